/**
 * Tests of the comparison with the exact sliding log and of the `rate-limit` checker.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { LimiterDecisionData, TraceEvent } from '../contract/index.ts';
import { runCheckers } from '../checkers/checker.ts';
import { LimiterBoundChecker } from './checker.ts';
import { compareWithExactLog } from './compare.ts';
import { KeyTable, Limiter, toDecisionData, type LimiterSpecInput } from './limiter.ts';

describe('compareWithExactLog', () => {
  // Proves a fixed window admits 2 × limit across a boundary: 5 requests just before and 5 just after a window edge all pass, where the exact log refuses the second five.
  test('fixed window over-admits across a boundary, up to 2 × limit', () => {
    const burst = [995, 996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004];
    const r = compareWithExactLog({ algorithm: 'fixed-window', limit: 5, windowMs: 1000 }, [burst]);
    expect(r).toMatchObject({
      requests: 10,
      allowedApprox: 10,
      allowedExact: 5,
      overAdmitted: 5,
      underAdmitted: 0,
      overAdmissionRate: 0.5,
      underAdmissionRate: 0,
      worstWindow: { key: 0, endMs: 1004, allowed: 10 },
    });
    expect(r.reference).toEqual({ algorithm: 'sliding-log', limit: 5, windowMs: 1000, boundary: 'inclusive', countRejected: false });
  });

  // Proves the numbers over many keys and windows: each of 4 keys bursts at the end of every window and the start of the next, so every second burst is over-admitted.
  test('fixed window bursts at every boundary, four keys', () => {
    const perKey = [0, 1, 2].flatMap((k) => [
      ...[996, 997, 998, 999].map((t) => t + 2000 * k),
      ...[1000, 1001, 1002, 1003].map((t) => t + 2000 * k),
    ]);
    const r = compareWithExactLog({ algorithm: 'fixed-window', limit: 4, windowMs: 1000 }, [perKey, perKey, perKey, perKey]);
    // Per key: 3 boundaries × 8 requests = 24; the fixed window admits all 24, the exact log 12.
    expect(r).toMatchObject({ requests: 96, allowedApprox: 96, allowedExact: 48, overAdmitted: 48, underAdmitted: 0, overAdmissionRate: 0.5 });
    expect(r.worstWindow?.allowed).toBe(8);
  });

  // Proves under-admission is counted too: the sliding counter (est + 1 ≤ L) at limit 1 refuses a request the exact log admits, and admits one it refuses.
  test('sliding counter errs both ways', () => {
    const r = compareWithExactLog({ algorithm: 'sliding-counter', limit: 1, windowMs: 10_000 }, [[0, 5000, 10_000, 15_000, 20_000]]);
    // Approximation: A D D D A; exact (inclusive): A D D A D.
    expect(r).toMatchObject({ requests: 5, allowedApprox: 2, allowedExact: 2, overAdmitted: 1, underAdmitted: 1, overAdmissionRate: 0.2, underAdmissionRate: 0.2 });
  });

  // Proves the exact log compared with itself never disagrees and never exceeds the limit, whatever the traffic.
  test('the sliding log agrees with itself', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }), { maxLength: 3 }), fc.integer({ min: 1, max: 5 }), (gaps, limit) => {
        const traffic = gaps.map((g) => g.reduce<number[]>((acc, d) => [...acc, (acc.at(-1) ?? 0) + d], []));
        const r = compareWithExactLog({ algorithm: 'sliding-log', limit, windowMs: 25 }, traffic);
        expect(r.overAdmitted + r.underAdmitted).toBe(0);
        expect(r.worstWindow === null || r.worstWindow.allowed <= limit).toBe(true);
      }),
    );
  });

  // Proves malformed traffic is refused with the index that is wrong.
  test('bad traffic', () => {
    expect(() => compareWithExactLog({ algorithm: 'gcra', limit: 1, windowMs: 10 }, [[0, 5], [3, 2]])).toThrow('traffic[1][1] = 2 is earlier than traffic[1][0] = 3');
    expect(() => compareWithExactLog({ algorithm: 'gcra', limit: 1, windowMs: 10 }, [[-1]])).toThrow(/traffic\[0\]\[0\]/);
  });
});

/** Limiter events as the cluster records them: one per decision, consecutive seqs. */
function traceOf(decisions: readonly { at: number; allowed: boolean; data: LimiterDecisionData }[]): TraceEvent[] {
  return decisions.map((d, seq) => ({ seq, at: d.at, node: 'gateway', causeSeq: null, type: d.allowed ? 'limiter/allowed' : 'limiter/rejected', data: d.data }));
}

/** Runs [time, key] traffic through a real limiter and records the trace it would produce. */
function realTrace(spec: LimiterSpecInput, traffic: readonly [number, string][]): TraceEvent[] {
  const keys = new KeyTable(16);
  const limiter = new Limiter(spec, 16);
  return traceOf(
    traffic.map(([at, name]) => {
      const d = limiter.check(keys.intern(name), at);
      return { at, allowed: d.allowed, data: toDecisionData(limiter.spec, name, 'gateway', d) };
    }),
  );
}

const allowedAt = (at: number, key = 'user:u3', algorithm = 'sliding-log'): { at: number; allowed: boolean; data: LimiterDecisionData } => ({
  at,
  allowed: true,
  data: { key, placement: 'gateway', algorithm, count: 1, limit: 5, windowMs: 60_000, retryAfterMs: null, detail: {} },
});

describe('LimiterBoundChecker', () => {
  // Proves the checker fires on a forged trace where a key got 6 requests through in one 60 s window, with a message naming the key, the window and the count.
  test('fires on a forged trace', () => {
    const trace = traceOf([allowedAt(1000), allowedAt(10_000), allowedAt(20_000), allowedAt(1, 'user:u4'), allowedAt(30_000), allowedAt(40_000), allowedAt(61_000)]);
    const violations = runCheckers(trace, [new LimiterBoundChecker()]);
    expect(violations).toEqual([
      {
        checker: 'rate-limit',
        seq: 6,
        at: 61_000,
        message: 'event 6: user:u3 was allowed 6 requests in the 60000 ms window ending at 61000 ms; the limit is 5.',
        subject: { key: 'user:u3', node: 'gateway' },
      },
    ]);
  });

  // Proves the inclusive window is closed: a request exactly 60 s old still counts (the lab's convention), and under 'exclusive' it does not.
  test('the window edge follows the boundary option', () => {
    const trace = traceOf([0, 15_000, 20_000, 35_000, 55_000, 60_000].map((t) => allowedAt(t)));
    expect(runCheckers(trace, [new LimiterBoundChecker()])).toHaveLength(1);
    expect(runCheckers(trace, [new LimiterBoundChecker({ boundary: 'exclusive' })])).toHaveLength(0);
  });

  // Proves the checker stays silent on traces from the real sliding log, under both conventions, for any traffic.
  test('silent on a correct trace', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom('user:u1', 'user:u2', 'ip:10.0.0.7')), { maxLength: 120 }),
        fc.constantFrom('inclusive' as const, 'exclusive' as const),
        (steps, boundary) => {
          let t = 0;
          const traffic = steps.map(([gap, key]) => [(t += gap), key] as [number, string]);
          const trace = realTrace({ algorithm: 'sliding-log', limit: 5, windowMs: 60_000, boundary }, traffic);
          expect(runCheckers(trace, [new LimiterBoundChecker({ boundary })])).toEqual([]);
        },
      ),
    );
  });

  // Proves the checker judges only sliding logs: a fixed window's legitimate 2 × limit across a boundary is not reported.
  test('other algorithms are not judged', () => {
    const times = [59_995, 59_996, 59_997, 59_998, 59_999, 60_000, 60_001, 60_002, 60_003, 60_004];
    const trace = realTrace({ algorithm: 'fixed-window', limit: 5, windowMs: 60_000 }, times.map((t) => [t, 'user:u3']));
    expect(trace.filter((e) => e.type === 'limiter/allowed')).toHaveLength(10);
    expect(runCheckers(trace, [new LimiterBoundChecker()])).toEqual([]);
  });

  // Proves two placements with the same key names are judged separately (each limiter keeps its own promise).
  test('placements are separate', () => {
    const at = (t: number, placement: string) => ({ ...allowedAt(t), data: { ...allowedAt(t).data, placement } });
    const trace = traceOf([0, 1, 2, 3, 4].flatMap((t) => [at(t, 'gateway'), at(t, 'chat')]));
    expect(runCheckers(trace, [new LimiterBoundChecker()])).toEqual([]);
  });
});
