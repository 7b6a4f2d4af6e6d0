import { expect, test } from 'vitest';
import { renderHook } from 'vitest-browser-react';
import { useRunViolations, type KeptViolation } from './useRunViolations.ts';

const v = (seq: number, at: number): KeptViolation => ({ checker: 'ordering', seq, at });

// Proves the rules the report relies on: violations seen stay when a later report (after a seek
// back) has fewer; those at or past the frontier go when the frontier moves back (an intervention
// forked the future); a new run starts empty; the list is in order of time.
test('keeps a run’s violations across seeks, forgets a forked future and a new run', async () => {
  let frontier = 5_000;
  const { result, rerender } = await renderHook((props?: { latest: readonly KeptViolation[]; run: number }) => useRunViolations(props?.latest ?? [], props?.run ?? 1, () => frontier), {
    initialProps: { latest: [v(30, 3_000), v(10, 1_000), v(20, 2_000)], run: 1 },
  });
  expect(result.current.map((x) => x.seq)).toEqual([10, 20, 30]);

  // A seek back to 1.5 s: the report knows only the first; the others stay.
  await rerender({ latest: [v(10, 1_000)], run: 1 });
  expect(result.current.map((x) => x.seq)).toEqual([10, 20, 30]);

  // An intervention at 2.5 s forks the future: the frontier is 2.5 s, the violation at 3 s goes.
  frontier = 2_500;
  await rerender({ latest: [v(10, 1_000), v(20, 2_000)], run: 1 });
  expect(result.current.map((x) => x.seq)).toEqual([10, 20]);

  // A new run starts from nothing.
  await rerender({ latest: [v(5, 500)], run: 2 });
  expect(result.current.map((x) => x.seq)).toEqual([5]);
});

// Proves a "never shown" judged at a playhead before the run's end is shown with its report but
// not kept: after a seek to the end, where the message was shown after all, it is gone (a clean
// run once showed a standing "lost" violation this way).
test('a provisional liveness finding is not kept across seeks', async () => {
  const lost = (seq: number, at: number, provisional: boolean) => ({ checker: 'lost', seq, at, provisional });
  type P = ReturnType<typeof lost>;
  const { result, rerender } = await renderHook((props?: { latest: readonly P[] }) => useRunViolations<P>(props?.latest ?? [], 1, () => 25_000, (x) => x.checker === 'lost' && x.provisional), {
    initialProps: { latest: [lost(630, 10_033, true), { checker: 'ordering', seq: 20, at: 2_000, provisional: true }] },
  });
  expect(result.current.map((x) => x.seq)).toEqual([20, 630]);
  // The end: the report no longer finds it; the ordering violation stays kept, the lost one is gone.
  await rerender({ latest: [] });
  expect(result.current.map((x) => x.seq)).toEqual([20]);
  // A lost finding of the end's report is kept like any other.
  await rerender({ latest: [lost(700, 12_000, false)] });
  await rerender({ latest: [] });
  expect(result.current.map((x) => x.seq)).toEqual([20, 700]);
});
