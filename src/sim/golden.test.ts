import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { GOLDEN_RUNS, describeDivergence, firstDivergence, rerun } from './golden.ts';

const pinnedLines = (file: string): string[] => gunzipSync(readFileSync(new URL(file, import.meta.url))).toString('utf8').trimEnd().split('\n');

describe('golden runs', () => {
  for (const g of GOLDEN_RUNS) {
    // Proves the run is the pinned one to the bit (count and hash); when it is not, the failure
    // names the first event that differs, with both versions, read from the pinned trace.
    test(`${g.scenario} seed ${g.seed} to ${g.untilMs} ms`, () => {
      const run = rerun(g);
      const same = run.traceHash === g.traceHash && run.eventCount === g.eventCount;
      expect(same, same ? '' : describeDivergence(g, firstDivergence(pinnedLines(g.file), run.lines))).toBe(true);
    });
  }

  // Proves the pinned traces are the runs the constants name (a stale fixture would make every
  // divergence report wrong).
  test('the pinned traces hold the pinned counts', () => {
    for (const g of GOLDEN_RUNS) expect(pinnedLines(g.file)).toHaveLength(g.eventCount);
  });

  // Proves the divergence report names the first differing event with both versions.
  test('a divergence is reported at its first event, with both versions', () => {
    const a = ['{"seq":0,"type":"node/started"}', '{"seq":1,"type":"net/messageSent","data":{"msg":1}}', '{"seq":2,"type":"x"}'];
    const b = [a[0] as string, '{"seq":1,"type":"net/messageSent","data":{"msg":2}}'];
    const d = firstDivergence(a, b);
    expect(d).toMatchObject({ seq: 1, expectedType: 'net/messageSent', actualType: 'net/messageSent', expected: a[1], actual: b[1] });
    expect(firstDivergence(a, a.slice(0, 2))).toMatchObject({ seq: 2, expectedType: 'x', actualType: null });
    expect(describeDivergence(GOLDEN_RUNS[0] as (typeof GOLDEN_RUNS)[number], d)).toContain('first differs at seq 1');
    expect(firstDivergence(a, a)).toBeNull();
  });
});
