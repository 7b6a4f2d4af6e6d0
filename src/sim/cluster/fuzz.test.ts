import { describe, expect, test } from 'vitest';
import { FUZZ_PRESETS, formatFault, fuzzFaults, fuzzOnce } from './fuzz.ts';

function explain(r: ReturnType<typeof fuzzOnce>): string {
  return [`${r.preset} seed ${r.seed}`, ...r.faults.map(formatFault), ...(r.report?.violations.slice(0, 5).map((v) => v.message) ?? [r.error ?? ''])].join('\n');
}

describe('seeded fault fuzzing', () => {
  test('the same seed draws the same faults, each undone before the settle period', () => {
    expect(fuzzFaults('group-chat', 12)).toEqual(fuzzFaults('group-chat', 12));
    expect(fuzzFaults('group-chat', 12)).not.toEqual(fuzzFaults('group-chat', 13));
    const faults = fuzzFaults('group-chat', 12);
    expect(faults.map((f) => f.op.verb).sort()).toEqual(['crash', 'heal', 'partition', 'restart', 'slow', 'slow']);
  });

  test('protected presets survive random crashes, partitions and slowdowns (a bounded sweep)', () => {
    // CI's time-boxed share of the hunt (`npm run fuzz` runs the long one): 12 seeds per preset.
    const failures: string[] = [];
    for (const preset of FUZZ_PRESETS) {
      for (let seed = 1000; seed < 1012; seed++) {
        const r = fuzzOnce(preset, seed);
        if (!r.ok) failures.push(explain(r));
      }
    }
    expect(failures).toEqual([]);
  });
});

// Seeds the fuzzer once failed on, pinned so the bugs stay fixed.
describe('regressions found by the fuzzer', () => {
  test('group-chat seed 244: a subscription sent while the broker was unreachable is restored', () => {
    const r = fuzzOnce('group-chat', 244);
    expect(r.ok, explain(r)).toBe(true);
  });

  test('private-chat seed 7: messages pushed during a partition from the broker are recovered', () => {
    const r = fuzzOnce('private-chat', 7);
    expect(r.ok, explain(r)).toBe(true);
  });

  test('reordering-with-sequence seed 359: a crash, a slow database and a broker partition lose nothing', () => {
    const r = fuzzOnce('reordering-with-sequence', 359);
    expect(r.ok, explain(r)).toBe(true);
  });

  test('private-chat seed 385: a crash, a slow chat service and a broker partition lose nothing', () => {
    const r = fuzzOnce('private-chat', 385);
    expect(r.ok, explain(r)).toBe(true);
  });

  test('private-chat seed 227: a short partition that swallows one ping still triggers a resync', () => {
    const r = fuzzOnce('private-chat', 227);
    expect(r.ok, explain(r)).toBe(true);
    expect(r.report?.counts.lost).toBe(0);
  });
});
