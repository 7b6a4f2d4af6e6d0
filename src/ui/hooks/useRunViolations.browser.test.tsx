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
