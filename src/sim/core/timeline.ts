/**
 * Seeking in virtual time. A run keeps snapshots at regular virtual-time intervals while it goes
 * forward; seeking back restores the nearest snapshot at or before the target and replays up to
 * it. Determinism makes the replay exact. The number of snapshots is bounded: when the cap is hit,
 * every other one is dropped and the interval doubles.
 */
import type { Op, ScheduledOp } from './ops.ts';
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
  /**
   * Operator verbs applied live, with the time they took effect. A snapshot taken before a verb
   * does not hold it, so a seek that restores such a snapshot schedules it again.
   */
  private readonly liveOps: ScheduledOp[] = [];

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

  /**
   * Applies an operator verb now and remembers it, so that seeking back across it replays it.
   * Snapshots after now describe a future without this verb: they are dropped.
   */
  operate(op: Op): number {
    const at = this.sim.operate(op);
    this.liveOps.push({ at, op });
    this.snapshots = this.snapshots.filter((s) => s.nowMs <= this.sim.nowMs);
    return at;
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
    // Verbs applied live after the snapshot: schedule them again (those already pending in the
    // snapshot are there; a verb is identified by its time and content).
    const pending = new Set(this.sim.pendingOps.map((o) => `${o.at}|${JSON.stringify(o.op)}`));
    for (const o of this.liveOps) {
      if (o.at >= best.nowMs && !pending.has(`${o.at}|${JSON.stringify(o.op)}`)) this.sim.schedule(o.at, o.op);
    }
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
