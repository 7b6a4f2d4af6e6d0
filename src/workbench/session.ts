/**
 * One run and what the person did to it: the one owner of the interventions. It builds the run
 * from the catalog, moves it forward, steps it, seeks it (restoring a snapshot and replaying),
 * applies verbs and a user's sends, and forgets them again, keeping every intervention on the
 * timeline like a fault script so that scrubbing back before a crash and playing again shows the
 * same crash [1]. The trace feeds the kept log, and the views read it ({@link Observers}).
 *
 * [1] A snapshot taken at time T holds the verbs applied before T and none applied at T or later
 *     (it is taken on reaching T). A replay from it applies again, at its own time, every kept
 *     intervention with `at ≥ T`; verbs apply before the events of their millisecond (ADR 0003),
 *     so the replayed trace is byte-identical to the original.
 */
import { buildRun, SeekableRun, Simulation, type BuiltRun, type Op, type ScenarioEntry } from '../sim/index.ts';
import { KeptLog, Observers } from './observers.ts';
import { describeOp, interventionKind, type InterventionKind } from './opText.ts';

/** An operator verb or a user's send that the person applied, kept on the timeline. */
export interface Intervention {
  readonly id: number;
  /** Virtual time it applies at. */
  readonly at: number;
  /** The seq of its `op/*` event on the current timeline. */
  readonly seq: number;
  readonly op: Op;
  readonly label: string;
  /** A fault, a repair, or the user's own action (a chat message): a user's send is not a fault. */
  readonly kind: InterventionKind;
}

/** When and where an action landed in the trace. */
export interface Applied {
  /** The intervention's id (to forget it). */
  readonly id: number;
  /** Virtual time it applied at. */
  readonly at: number;
  /** The seq of its `op/*` event. */
  readonly seq: number;
}

/** Queue events one call processes at most, so one call can never freeze the worker. */
export const STEP_BUDGET_PER_CALL = 2_000_000;
/** Queue steps one "step" takes at most while looking for a traced event. */
const STEP_TO_EVENT_BUDGET = 10_000;

/**
 * A loaded run with its interventions.
 *
 * @example
 * const session = new RunSession('group-chat', 42);
 * session.runTo(5_000);
 * session.operate({ verb: 'crash', node: 'ws-2' }); // { id: 1, at: 5000, seq: … }
 * session.seek(2_000);
 * session.runTo(8_000); // the crash is applied again on the way
 */
export class RunSession {
  readonly entry: ScenarioEntry;
  readonly built: BuiltRun;
  readonly run: SeekableRun;
  readonly observers: Observers;
  private list: Intervention[] = [];
  /** list[0..applied) are in force in the simulation's current state. */
  private applied = 0;
  private nextId = 1;
  private frontier = 0;

  constructor(
    scenario: string,
    readonly seed: number,
    /** A JSON merge patch over the preset (a lab's variant, a long run for the bench), or none. */
    readonly patch?: unknown,
  ) {
    this.built = buildRun(scenario, seed, patch);
    this.entry = this.built.entry;
    const sim = new Simulation(this.built.config);
    const log = new KeptLog();
    sim.trace.subscribe((e) => log.append(e));
    this.run = new SeekableRun(sim);
    this.observers = new Observers(log, this.built.cluster);
  }

  get sim(): Simulation {
    return this.run.sim;
  }

  get nowMs(): number {
    return this.run.sim.nowMs;
  }

  /** The furthest time this timeline has reached (the scrubber's extent). */
  get frontierMs(): number {
    return this.frontier;
  }

  /** The interventions, in timeline order. */
  get interventions(): readonly Intervention[] {
    return this.list;
  }

  /**
   * Runs forward to `target`, applying each kept intervention due by then at its own time (a verb
   * at `target` itself is recorded before the events of that millisecond). Returns false when the
   * step budget ran out first (the run stopped early, consistently).
   */
  runTo(target: number, budget = STEP_BUDGET_PER_CALL): boolean {
    const t0 = this.sim.trace.count;
    const left = (): number => budget - (this.sim.trace.count - t0);
    for (;;) {
      const iv = this.list[this.applied];
      if (iv === undefined || iv.at > target) break;
      if (!this.run.runUntil(iv.at, left())) return this.reached(false);
      this.reapplyNext();
    }
    return this.reached(target > this.nowMs ? this.run.runUntil(target, left()) : true);
  }

  private reached(done: boolean): boolean {
    if (this.nowMs > this.frontier) this.frontier = this.nowMs;
    return done;
  }

  /** Applies the next kept intervention again at its time, on this timeline. */
  private reapplyNext(): void {
    const iv = this.list[this.applied] as Intervention;
    const { at, seq } = this.run.reapply({ at: iv.at, op: iv.op });
    this.list[this.applied] = { ...iv, at, seq };
    this.applied++;
  }

  /** Moves the playhead to `target`, backwards (restore a snapshot and replay) or forwards. */
  seek(target: number): void {
    if (target >= this.nowMs) {
      this.runTo(target);
      return;
    }
    this.restoreBefore(target);
    this.runTo(target);
  }

  /** Restores the latest snapshot at or before `ms` and cuts the log and the views there. */
  private restoreBefore(ms: number): void {
    const from = this.run.restoreAtOrBefore(ms);
    this.observers.truncate(this.sim.trace.count);
    // The snapshot holds every intervention before its time and none at or after it [1].
    this.applied = this.list.filter((iv) => iv.at < from).length;
  }

  /**
   * Processes the queue until one more trace event is recorded (a kept intervention due before
   * the next event counts as that event).
   */
  step(): void {
    this.runTo(this.nowMs);
    const before = this.sim.trace.count;
    for (let i = 0; i < STEP_TO_EVENT_BUDGET && this.sim.trace.count === before; i++) {
      const iv = this.list[this.applied];
      const next = this.sim.peekTime();
      if (iv !== undefined && iv.at <= next) {
        this.run.runUntil(iv.at);
        this.reapplyNext();
      } else if (!this.sim.step()) break;
    }
    this.reached(true);
  }

  /**
   * Applies a verb now and keeps it on the timeline. Kept verbs due now go first, as they did on
   * the original timeline. A verb applied in the past of the frontier forks the future: the
   * scrubber's extent ends here (the run drops the snapshots of the old future).
   */
  operate(op: Op): Applied {
    this.runTo(this.nowMs);
    const { at, seq } = this.run.operate(op);
    const iv: Intervention = { id: this.nextId++, at, seq, op, label: describeOp(op), kind: interventionKind(op) };
    // Later kept interventions (after a seek back) stay on the timeline, after this one.
    this.list = [...this.list.slice(0, this.applied), iv, ...this.list.slice(this.applied)];
    this.applied++;
    this.frontier = this.nowMs;
    return { id: iv.id, at, seq };
  }

  /** Forgets an intervention: the run from its time on is replayed without it. */
  forget(id: number): boolean {
    const iv = this.list.find((x) => x.id === id);
    if (iv === undefined) return false;
    const now = this.nowMs;
    this.list = this.list.filter((x) => x.id !== id);
    // Snapshots after it hold it; the ones at or before its time do not [1].
    this.run.dropAfter(iv.at);
    this.restoreBefore(iv.at);
    this.runTo(now);
    this.frontier = this.nowMs;
    return true;
  }
}
