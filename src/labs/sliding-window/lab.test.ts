import { describe, expect, test } from 'vitest';
import { LAB_EXAMPLE_TIMES_MS } from '../workedExamples.ts';
import { resolveStep } from '../framework/index.ts';
import { describeLab, LAB_BUDGET, sharedRuns } from '../framework/labTesting.test-helper.ts';
import { manifest } from './manifest.ts';

// The experiment's goal (more than the limit in one window) needs an algorithm that is not the
// exact log; the fixed window is the classic one.
describeLab(manifest, { reachWith: { 'log-vs-counter': { algorithm: 'fixed-window' } } });

describe('sliding-window specifics', LAB_BUDGET, () => {
  // Proves the worked example is the lab's exactly: the request at 60 s refused, 65 s allowed.
  test('the worked example refuses the request at 60 s and allows the one at 65 s', () => {
    const o = resolveStep(manifest, 'worked-example', 42, {}, sharedRuns);
    expect(LAB_EXAMPLE_TIMES_MS).toEqual([0, 15, 20, 35, 55, 60, 65].map((s) => s * 1000));
    expect(o.figures['refusedAt']?.value).toBe(60);
    expect(o.figures['readmittedAt']?.value).toBe(65);
    expect(o.figures['allowed']?.value).toBe(6);
  });

  // Proves the student's own requests are judged one by one by the gateway's limiter, in the order
  // placed, and a prediction is scored against them.
  test('your requests: each placed request gets its verdict, and predictions are judged', () => {
    const requests = [0, 1, 2, 3, 4, 5, 61];
    const allowed = [true, true, true, true, true, false, true];
    const o = resolveStep(manifest, 'your-requests', 7, { controls: { requests }, prediction: { kind: 'allowDeny', allowed } }, sharedRuns);
    expect(o.answer?.kind === 'allowDeny' ? o.answer.decisions.map((d) => [d.second, d.allowed]) : null).toEqual(requests.map((s, i) => [s, allowed[i]]));
    expect(o.judged).toEqual({ right: 7, of: 7 });
  });

  // Proves a bad control value is refused with a message naming the control.
  test('a request outside the timeline is refused by name', () => {
    expect(() => resolveStep(manifest, 'your-requests', 7, { controls: { requests: [0, 99] } }, sharedRuns)).toThrow(/requests\[1\] must be a whole second from 0 to 66, got 99/);
  });

  // Proves the exact log's replay agrees with the run's own sliding log (0 error), so the table's
  // reference is the same limiter the gateway ran.
  test('replaying the run through the sliding log reproduces the gateway exactly', () => {
    const o = resolveStep(manifest, 'the-bound-holds', 42, {}, sharedRuns);
    const t = resolveStep(manifest, 'log-vs-counter', 42, { controls: { algorithm: 'sliding-log' } }, sharedRuns);
    expect(t.figures['replay-sliding-log-overAdmitted']?.value).toBe(0);
    expect(t.figures['replay-sliding-log-rejected']?.value).toBe(o.figures['refused']?.value);
  });
});
