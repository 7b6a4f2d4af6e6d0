import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EventQueue } from './queue.ts';

type Cmd = { op: 'push'; delay: number } | { op: 'pop' };

/** A command list: pushes at a delay after the last popped time (near and far), and pops. */
const commands = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('push' as const), delay: fc.nat(40) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('push' as const), delay: fc.integer({ min: 0, max: 500 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('pop' as const) }) },
  ),
  { maxLength: 400 },
);

/** Runs commands on the queue and on a sorted-array model; returns both pop sequences. */
function runBoth(cmds: Cmd[], wheelSlots: number): { got: number[][]; want: number[][] } {
  const q = new EventQueue({ wheelSlots, initialCapacity: 16 });
  const model: { time: number; seq: number; a: number }[] = [];
  let now = 0;
  let payload = 0;
  const got: number[][] = [];
  const want: number[][] = [];
  const popBoth = (): void => {
    const ok = q.pop();
    if (model.length === 0) {
      expect(ok).toBe(false);
      return;
    }
    model.sort((x, y) => x.time - y.time || x.seq - y.seq);
    const m = model.shift() as { time: number; seq: number; a: number };
    want.push([m.time, m.seq, m.a]);
    got.push([q.poppedTime, q.poppedSeq, q.poppedA]);
    now = m.time;
  };
  for (const c of cmds) {
    if (c.op === 'push') {
      const time = now + c.delay;
      const seq = q.push(time, 1, payload, 0, null);
      model.push({ time, seq, a: payload++ });
    } else popBoth();
    expect(q.size).toBe(model.length);
  }
  while (model.length > 0) popBoth();
  expect(q.pop()).toBe(false);
  return { got, want };
}

describe('EventQueue', () => {
  test('pops in (time, seq) order under any interleaving of pushes and pops', () => {
    // Property against a sorted-array model. A 32-slot wheel makes far pushes (up to 500 ms)
    // land in the heap and migrate, which is where order bugs would hide.
    fc.assert(
      fc.property(commands, (cmds) => {
        const { got, want } = runBoth(cmds, 32);
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  test('pops in (time, seq) order on a sparse wide wheel, where the summary bitmap finds the next slot', () => {
    // Property against the same model with a 4,096-slot wheel (128 bitmap words, 4 summary
    // words, one top word) and pushes spread over 0–20,000: most of the wheel is empty, events sit many
    // words apart and wrap around, and far ones migrate from the heap.
    const spread = fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ op: fc.constant('push' as const), delay: fc.nat(5000) }) },
        { weight: 1, arbitrary: fc.record({ op: fc.constant('push' as const), delay: fc.integer({ min: 3000, max: 20_000 }) }) },
        { weight: 4, arbitrary: fc.record({ op: fc.constant('pop' as const) }) },
      ),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(spread, (cmds) => {
        const { got, want } = runBoth(cmds, 4096);
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
    // The same spread 16 times wider on a 65,536-slot wheel: two words of the top level.
    const wide = spread.map((cmds) => cmds.map((c) => (c.op === 'push' ? { op: 'push' as const, delay: c.delay * 16 } : c)));
    fc.assert(
      fc.property(wide, (cmds) => {
        const { got, want } = runBoth(cmds, 65_536);
        expect(got).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });

  test('same-time events pop in insertion order, across the wheel and the heap', () => {
    const q = new EventQueue({ wheelSlots: 32 });
    q.push(100, 1, 1, 0, 'far-first'); // beyond the window: goes to the heap
    q.push(5, 1, 2, 0, 'near');
    q.pop(); // now = 5, window [5, 37): 100 is still far
    q.push(100, 1, 3, 0, 'far-second');
    q.push(90, 1, 4, 0, 'ninety');
    const order: unknown[] = [];
    while (q.pop()) order.push(q.poppedRef);
    expect(order).toEqual(['ninety', 'far-first', 'far-second']);
  });

  test('export then restore pops exactly what the original would', () => {
    // Property: after a random prefix, the restored queue and the original agree on every pop
    // and on the seqs they assign to new pushes.
    fc.assert(
      fc.property(commands, fc.array(fc.nat(600), { maxLength: 30 }), (cmds, later) => {
        const q = new EventQueue({ wheelSlots: 64 });
        let now = 0;
        for (const c of cmds) {
          if (c.op === 'push') q.push(now + c.delay, 2, 7, 8, { d: c.delay });
          else if (q.pop()) now = q.poppedTime;
        }
        const r = EventQueue.restore(q.export(), { wheelSlots: 64 });
        for (const d of later) expect(r.push(now + d, 3, 0, 0, null)).toBe(q.push(now + d, 3, 0, 0, null));
        while (q.pop()) {
          expect(r.pop()).toBe(true);
          expect([r.poppedTime, r.poppedSeq, r.poppedKind, r.poppedA, r.poppedB]).toEqual([q.poppedTime, q.poppedSeq, q.poppedKind, q.poppedA, q.poppedB]);
          expect(r.poppedRef).toEqual(q.poppedRef);
        }
        expect(r.pop()).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  test('peekTime reports the next time without removing it, Infinity when empty', () => {
    const q = new EventQueue({ wheelSlots: 32 });
    expect(q.peekTime()).toBe(Infinity);
    q.push(1000, 1, 0, 0, null);
    q.push(3, 1, 0, 0, null);
    expect(q.peekTime()).toBe(3);
    q.pop();
    expect(q.peekTime()).toBe(1000);
    expect(q.size).toBe(1);
  });

  test('grows past its initial capacity and reuses freed slots', () => {
    const q = new EventQueue({ initialCapacity: 16 });
    for (let i = 0; i < 10_000; i++) q.push(i % 97, 1, i, 0, null);
    let last = -1;
    let count = 0;
    while (q.pop()) {
      expect(q.poppedTime).toBeGreaterThanOrEqual(last);
      last = q.poppedTime;
      count++;
    }
    expect(count).toBe(10_000);
  });

  test('rejects scheduling in the past or at fractional times', () => {
    const q = new EventQueue();
    q.push(10, 1, 0, 0, null);
    q.pop();
    expect(() => q.push(9, 1, 0, 0, null)).toThrow(/cannot schedule at 9/);
    expect(() => q.push(10.5, 1, 0, 0, null)).toThrow(/integers/);
    expect(() => new EventQueue({ wheelSlots: 100 })).toThrow(/power of two/);
  });
});
