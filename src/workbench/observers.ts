/**
 * What the session knows about its run, kept up to date from the trace: the kept log of events,
 * and the views derived from it (the diagrams' index, the pub/sub state, the rate-limit
 * decisions, the screens of the users, counts by type, and the checkers and metrics).
 *
 * Each derived view reads the log forward from where it stopped, on demand: an event is observed
 * once per view, never re-run, and a view nobody looks at costs nothing. A seek back (or a verb
 * that forks the run) truncates the log; a view that had read past the cut starts again from the
 * beginning of the log the next time it is asked — the only moment a view's cost depends on the
 * length of the run, and it is paid once per fork, not per question.
 */
import { PubsubState, RateLimitDecisions, TraceIndex } from '../diagrams/index.ts';
import { createWatchers, type BuiltRun, type TraceEvent, type Watchers } from '../sim/index.ts';
import { Screens } from './views/chat.ts';
import { TypeCounts } from './views/table.ts';

/** Events the log keeps; past it the run goes on and is counted, views see the first part only. */
export const LOG_CAP = 1_000_000;

/** Layout gaps tuned to the workbench's node size (about 150 × 56 px). */
export const GRAPH_LAYOUT = { columnGapPx: 215, rowGapPx: 72 } as const;

/**
 * The run's events in order, from seq 0, up to {@link LOG_CAP}.
 *
 * @example
 * const log = new KeptLog();
 * sim.trace.subscribe((e) => log.append(e));
 */
export class KeptLog {
  private readonly list: TraceEvent[] = [];
  /** Set when an event was not kept because the log was full. */
  full = false;

  /** Takes the next event (a replay after a truncation continues at the cut). */
  append(e: TraceEvent): void {
    if (e.seq !== this.list.length) {
      // The simulator numbers events without gaps; anything else is a bug worth stopping on.
      if (e.seq > this.list.length && this.full) return;
      throw new Error(`kept log: expected event ${this.list.length}, got ${e.seq}`);
    }
    if (this.list.length >= LOG_CAP) {
      this.full = true;
      return;
    }
    this.list.push(e);
  }

  /** Forgets the events from seq `n` on. */
  truncate(n: number): void {
    if (n < this.list.length) {
      this.list.length = n;
      this.full = false;
    }
  }

  get length(): number {
    return this.list.length;
  }

  /** The event with this seq, or undefined. */
  at(seq: number): TraceEvent | undefined {
    return this.list[seq];
  }

  /** Every kept event (read-only). */
  get events(): readonly TraceEvent[] {
    return this.list;
  }
}

/** A view that reads the log forward on demand. */
class Derived<T> {
  private state: T | null = null;
  private consumed = 0;

  constructor(
    private readonly log: KeptLog,
    private readonly create: () => T,
    private readonly feed: (state: T, e: TraceEvent) => void,
  ) {}

  /** The view, caught up with the log. */
  get(): T {
    this.state ??= this.create();
    const events = this.log.events;
    for (let i = this.consumed; i < events.length; i++) this.feed(this.state, events[i] as TraceEvent);
    this.consumed = events.length;
    return this.state;
  }

  /** Forgets the view if it had read events from seq `n` on. */
  truncate(n: number): void {
    if (this.consumed > n) {
      this.state = null;
      this.consumed = 0;
    }
  }
}

/**
 * The views of one run. Every getter returns its view caught up with the kept log.
 */
export class Observers {
  private readonly derived: Derived<unknown>[] = [];
  private readonly indexView: Derived<TraceIndex>;
  private readonly pubsubView: Derived<PubsubState>;
  private readonly limitsView: Derived<RateLimitDecisions>;
  private readonly screensView: Derived<Screens>;
  private readonly countsView: Derived<TypeCounts>;
  private readonly watchersView: Derived<Watchers> | null;

  constructor(
    readonly log: KeptLog,
    cluster: BuiltRun['cluster'],
  ) {
    this.indexView = this.add(() => new TraceIndex(), (s, e) => s.observe(e));
    this.pubsubView = this.add(() => new PubsubState(GRAPH_LAYOUT), (s, e) => s.observe(e));
    this.limitsView = this.add(() => new RateLimitDecisions(), (s, e) => s.observe(e));
    this.screensView = this.add(() => new Screens(), (s, e) => s.observe(e));
    this.countsView = this.add(() => new TypeCounts(), (s, e) => s.observe(e));
    this.watchersView = cluster === null ? null : this.add(() => createWatchers(cluster.info, cluster.scenario), (s, e) => s.observe(e));
  }

  private add<T>(create: () => T, feed: (state: T, e: TraceEvent) => void): Derived<T> {
    const d = new Derived(this.log, create, feed);
    this.derived.push(d as Derived<unknown>);
    return d;
  }

  /** The diagrams' index. */
  index(): TraceIndex {
    return this.indexView.get();
  }

  /** The pub/sub graph's state. */
  pubsub(): PubsubState {
    return this.pubsubView.get();
  }

  /** The rate-limit decisions by key. */
  limits(): RateLimitDecisions {
    return this.limitsView.get();
  }

  /** What each user's screen shows. */
  screens(): Screens {
    return this.screensView.get();
  }

  /** Counts by event type and domain. */
  counts(): TypeCounts {
    return this.countsView.get();
  }

  /** The checkers and metrics, or null for a run that is not a chat cluster. */
  watchers(): Watchers | null {
    return this.watchersView?.get() ?? null;
  }

  /** Cuts the log at seq `n`: views that had read past it start again when next asked. */
  truncate(n: number): void {
    this.log.truncate(n);
    for (const d of this.derived) d.truncate(n);
  }
}
