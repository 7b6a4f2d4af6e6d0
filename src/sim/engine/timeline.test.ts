import { describe, expect, test } from 'vitest';
import { kernelDemo } from '../demo/kernelDemo.ts';
import { Simulation } from './simulation.ts';
import { SeekableRun } from './timeline.ts';

describe('SeekableRun', () => {
  test('seeking back restores a snapshot and replays to exactly the state of a straight run', () => {
    // Run to 9 s, seek back to 3.5 s, compare with a fresh run to 3.5 s; then forward again to 9 s.
    const config = { ...kernelDemo({ seed: 17 }), faults: [{ at: 2000, op: { verb: 'crash' as const, node: 'hub' } }, { at: 5000, op: { verb: 'restart' as const, node: 'hub' } }] };
    const run = new SeekableRun(new Simulation(config), { snapshotEveryMs: 1000 });
    run.runUntil(9000);
    const endHash = run.sim.trace.hash();
    expect(run.snapshotTimes).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    run.seek(3500);
    const straight = new Simulation(config);
    straight.runUntil(3500);
    expect(run.sim.nowMs).toBe(3500);
    expect(run.sim.trace.hash()).toBe(straight.trace.hash());
    expect(run.sim.report()).toEqual(straight.report());
    run.seek(9000);
    expect(run.sim.trace.hash()).toBe(endHash);
  });

  test('the number of snapshots is bounded: past the cap the interval doubles', () => {
    const run = new SeekableRun(new Simulation(kernelDemo({ seed: 1 })), { snapshotEveryMs: 100, maxSnapshots: 8 });
    run.runUntil(5000);
    expect(run.snapshotTimes.length).toBeLessThanOrEqual(8);
    run.seek(1234);
    const straight = new Simulation(kernelDemo({ seed: 1 }));
    straight.runUntil(1234);
    expect(run.sim.trace.hash()).toBe(straight.trace.hash());
  });

  test('a step budget stops a run early without losing determinism', () => {
    const run = new SeekableRun(new Simulation(kernelDemo({ seed: 2 })));
    let calls = 0;
    while (!run.runUntil(3000, 500)) calls++;
    // 4 senders × 20 pings/s × 3 s ≈ 240 pings, each a timer, a hub arrival and 3 relay arrivals:
    // over 1,000 steps, more than two budgets on any seed (measured 2 early returns on seed 2).
    expect(calls).toBeGreaterThan(1);
    const straight = new Simulation(kernelDemo({ seed: 2 }));
    straight.runUntil(3000);
    expect(run.sim.trace.hash()).toBe(straight.trace.hash());
  });
});

describe('SeekableRun with live operator verbs', () => {
  test('a verb applied now lands at now, before the events of that millisecond, and forks the run', () => {
    // Crash the hub live at 3 s: the op event is recorded at 3,000 ms, and the snapshots of the
    // future it changes (none yet past 3 s here) are gone; the run equals a scripted one.
    const run = new SeekableRun(new Simulation(kernelDemo({ seed: 8 })), { snapshotEveryMs: 1000 });
    run.runUntil(3000);
    const applied = run.operate({ verb: 'crash', node: 'hub' });
    expect(applied.at).toBe(3000);
    expect(run.sim.trace.events.find((e) => e.seq === applied.seq)?.type).toBe('op/crashed');
    run.runUntil(6000);
    const scripted = new Simulation({ ...kernelDemo({ seed: 8 }), faults: [{ at: 3000, op: { verb: 'crash', node: 'hub' } }] });
    scripted.runUntil(6000);
    expect(run.sim.trace.hash()).toBe(scripted.trace.hash());
  });

  test('a replay from a snapshot that applies the kept verb again lands on the same run', () => {
    // Keep the live verb outside the run (as the workbench does), seek back before it, replay
    // applying it again at its time: the same hash as the straight run, snapshots kept.
    const run = new SeekableRun(new Simulation(kernelDemo({ seed: 8 })), { snapshotEveryMs: 1000 });
    run.runUntil(3000);
    const kept = { at: run.operate({ verb: 'crash', node: 'hub' }).at, op: { verb: 'crash', node: 'hub' } as const };
    run.runUntil(6000);
    const liveHash = run.sim.trace.hash();
    const snapshotsBefore = run.snapshotTimes;
    const from = run.restoreAtOrBefore(2500);
    expect(from).toBe(2000);
    expect(kept.at).toBeGreaterThanOrEqual(from);
    run.reapply(kept);
    run.runUntil(6000);
    expect(run.sim.trace.hash()).toBe(liveHash);
    expect(run.snapshotTimes).toEqual(snapshotsBefore);
  });

  test('a verb applied after a seek back drops the snapshots of the future it changes', () => {
    const run = new SeekableRun(new Simulation(kernelDemo({ seed: 9 })), { snapshotEveryMs: 1000 });
    run.runUntil(5000);
    run.seek(2000);
    run.operate({ verb: 'crash', node: 'hub' });
    expect(Math.max(...run.snapshotTimes)).toBeLessThanOrEqual(2000);
    run.runUntil(4000);
    const scripted = new Simulation({ ...kernelDemo({ seed: 9 }), faults: [{ at: 2000, op: { verb: 'crash', node: 'hub' } }] });
    scripted.runUntil(4000);
    expect(run.sim.trace.hash()).toBe(scripted.trace.hash());
  });
});
