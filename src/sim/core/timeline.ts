/**
 * Seeking in virtual time. A run keeps snapshots at regular virtual-time intervals while it goes
 * forward; seeking back restores the nearest snapshot at or before the target and replays up to
 * it. Determinism makes the replay exact. The number of snapshots is bounded: when the cap is hit,
 * every other one is dropped and the interval doubles.
 */
import type { SimSnapshot, Simulation } from './simulation.ts';

/** Options for {@link SeekableRun}. */
export interface SeekableRunOptions {
  /** Virtual ms between snapshots. Default 1000. */
  readonly snapshotEveryMs?: number;
  /** Snapshots kept at most. Default 256. */
  readonly maxSnapshots?: number;
}

/**
 * A simulation with a timeline you can scrub.
 *
 * @example
 * const run = new SeekableRun(new Simulation(config));
 * run.runUntil(10_000);
 * run.seek(2_500);      // restores the snapshot at 2,000 ms and replays 500 ms
 */
export class SeekableRun {
  private snapshots: SimSnapshot[] = [];
  private everyMs: number;
  private readonly maxSnapshots: number;

  constructor(readonly sim: Simulation, options: SeekableRunOptions = {}) {
    this.everyMs = options.snapshotEveryMs ?? 1000;
    this.maxSnapshots = Math.max(2, options.maxSnapshots ?? 256);
    if (!Number.isSafeInteger(this.everyMs) || this.everyMs <= 0) throw new RangeError(`snapshotEveryMs must be a positive integer, got ${this.everyMs}`);
    this.snapshots.push(sim.snapshot());
  }

  /** The virtual times snapshots were taken at. */
  get snapshotTimes(): number[] {
    return this.snapshots.map((s) => s.nowMs);
  }

  /** Runs forward to `timeMs`, taking snapshots on the way. Returns false if the budget ran out. */
  runUntil(timeMs: number, maxSteps = Infinity): boolean {
    let budget = maxSteps;
    for (;;) {
      const last = this.snapshots[this.snapshots.length - 1] as SimSnapshot;
      const nextSnapAt = last.nowMs + this.everyMs;
      const target = Math.min(timeMs, nextSnapAt);
      const before = this.sim.trace.count;
      const done = this.sim.runUntil(target, budget);
      budget -= this.sim.trace.count - before;
      if (!done) return false;
      if (target === nextSnapAt) this.keep(this.sim.snapshot());
      if (target >= timeMs) return true;
    }
  }

  /** Moves to `timeMs`, backwards (restore and replay) or forwards. */
  seek(timeMs: number): void {
    if (timeMs >= this.sim.nowMs) {
      this.runUntil(timeMs);
      return;
    }
    let best = this.snapshots[0] as SimSnapshot;
    for (const s of this.snapshots) if (s.nowMs <= timeMs) best = s;
    this.sim.restore(best);
    // Snapshots after the target stay valid: the replay is identical, so they are the same run.
    this.sim.runUntil(timeMs);
  }

  private keep(snapshot: SimSnapshot): void {
    this.snapshots.push(snapshot);
    if (this.snapshots.length > this.maxSnapshots) {
      this.snapshots = this.snapshots.filter((_, i) => i % 2 === 0);
      this.everyMs *= 2;
    }
  }
}
