/**
 * Seeking in virtual time. A run keeps snapshots at regular virtual-time intervals while it goes
 * forward; seeking back restores the nearest snapshot at or before the target and replays up to
 * it. Determinism makes the replay exact. The number of snapshots is bounded: when the cap is hit,
 * every other one is dropped and the interval doubles.
 *
 * Verbs applied live are not this class's to keep: whoever applies them (the workbench's session)
 * owns that list and applies each again when a replay reaches its time. A snapshot taken at time
 * T never holds a verb applied at T (it is taken on reaching T, before anything at T runs), so a
 * replay from it applies every kept verb with `at ≥ T`.
 */
import type { Op, ScheduledOp } from '../contract/index.ts';
import { msToUs } from '../core/time.ts';
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
  /** The interval in the kernel's µs, so boundaries are integer arithmetic. */
  private everyUs: number;
  private readonly maxSnapshots: number;

  constructor(
    readonly sim: Simulation,
    options: SeekableRunOptions = {},
  ) {
    const everyMs = options.snapshotEveryMs ?? 1000;
    this.maxSnapshots = Math.max(2, options.maxSnapshots ?? 256);
    if (!Number.isSafeInteger(everyMs) || everyMs <= 0) throw new RangeError(`snapshotEveryMs must be a positive integer, got ${everyMs}`);
    this.everyUs = msToUs(everyMs, 'snapshotEveryMs');
    this.snapshots.push(sim.snapshot());
  }

  /** The virtual times snapshots were taken at. */
  get snapshotTimes(): number[] {
    return this.snapshots.map((s) => s.nowMs);
  }

  /** Runs forward to `timeMs`, taking snapshots on the way. Returns false if the budget ran out. */
  runUntil(timeMs: number, maxSteps = Infinity): boolean {
    let budget = maxSteps;
    const timeUs = msToUs(timeMs, 'runUntil target');
    for (;;) {
      const last = this.snapshots[this.snapshots.length - 1] as SimSnapshot;
      const now = this.sim.nowUs;
      let nextSnapAt = last.nowUs + this.everyUs;
      // A verb applied at a boundary moved the run past it: that boundary gets no snapshot (it
      // would hold the verb, and a snapshot at T must not hold verbs at T), the next one does.
      if (nextSnapAt <= now) nextSnapAt = now + this.everyUs - ((now - last.nowUs) % this.everyUs);
      const target = Math.min(timeUs, nextSnapAt);
      const before = this.sim.trace.count;
      const done = this.sim.runUntilUs(target, budget);
      budget -= this.sim.trace.count - before;
      if (!done) return false;
      if (target === nextSnapAt && this.sim.nowUs === nextSnapAt) this.keep(this.sim.snapshot());
      if (target >= timeUs) return true;
    }
  }

  /**
   * Applies a verb now, forking the run: snapshots after its time describe a future without it
   * and are dropped. Returns when it applied and the seq of its event.
   */
  operate(op: Op): { readonly at: number; readonly seq: number } {
    const applied = this.sim.applyOp(op);
    this.dropAfter(applied.at);
    return applied;
  }

  /**
   * Applies a kept verb again at its own time, on a replay of the timeline it belongs to (the
   * snapshots ahead stay valid). Runs to that time first, taking snapshots on the way.
   */
  reapply(scheduled: ScheduledOp): { readonly at: number; readonly seq: number } {
    this.runUntil(scheduled.at);
    return this.sim.applyOp(scheduled.op, scheduled.at);
  }

  /** Drops the snapshots taken after `atMs` (a future that no longer happens). */
  dropAfter(atMs: number): void {
    this.snapshots = this.snapshots.filter((s) => s.nowMs <= atMs);
  }

  /**
   * Restores the latest snapshot at or before `timeMs` and returns its time: the caller replays
   * from there (applying again its kept verbs with `at ≥` that time).
   */
  restoreAtOrBefore(timeMs: number): number {
    let best = this.snapshots[0] as SimSnapshot;
    for (const s of this.snapshots) if (s.nowMs <= timeMs) best = s;
    this.sim.restore(best);
    return best.nowMs;
  }

  /**
   * Moves to `timeMs`, backwards (restore and replay) or forwards. A run with kept live verbs
   * replays with {@link restoreAtOrBefore} and {@link reapply} instead, applying each again.
   */
  seek(timeMs: number): void {
    if (timeMs < this.sim.nowMs) this.restoreAtOrBefore(timeMs);
    // Snapshots after the target stay valid: the replay is identical, so they are the same run.
    this.runUntil(timeMs);
  }

  private keep(snapshot: SimSnapshot): void {
    this.snapshots.push(snapshot);
    if (this.snapshots.length > this.maxSnapshots) {
      this.snapshots = this.snapshots.filter((_, i) => i % 2 === 0);
      this.everyUs *= 2;
    }
  }
}
