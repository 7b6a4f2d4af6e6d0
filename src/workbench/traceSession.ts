/**
 * A trace read from a file, browsed without re-running it: the read-only twin of
 * {@link RunSession}. The events (already checked by `readTraceJsonl`) feed the same kept log and
 * views as a live run, up to a playhead that moves over the file: forward appends the next events,
 * back cuts the log (the views start again when next asked, as after a seek in a live run). There
 * is no simulator: nothing can be applied, and the report, which needs the scenario's checkers, is
 * not available. The trace hash at the playhead is the hash of the events kept, so it is the CLI's
 * `traceHash` when the file is a whole run.
 */
import { TraceLog, type TraceEvent } from '../sim/index.ts';
import { KeptLog, Observers } from './observers.ts';

/** The nodes, users and channels a trace shows (a file carries no scenario, so they are read from its events). */
export interface TraceCast {
  readonly nodes: readonly { readonly id: string; readonly kind: string }[];
  readonly users: readonly { readonly user: string; readonly node: string }[];
  readonly channels: readonly { readonly id: string; readonly members: readonly string[] }[];
}

/** The cast of a trace: nodes by their `node/started` kind, users by their client events, channels by every event naming one. */
export function castOf(events: readonly TraceEvent[]): TraceCast {
  const kinds = new Map<string, string>();
  const users = new Map<string, string>();
  const channels = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.type.startsWith('op/')) continue;
    if (!kinds.has(e.node) || e.type === 'node/started') kinds.set(e.node, e.type === 'node/started' ? e.data.kind : (kinds.get(e.node) ?? 'node'));
    const data = e.data as { user?: unknown; channel?: unknown };
    if (e.type.startsWith('client/') && typeof data.user === 'string' && !users.has(data.user)) users.set(data.user, e.node);
    if (typeof data.channel === 'string') {
      const members = channels.get(data.channel) ?? new Set<string>();
      if (typeof data.user === 'string' && e.type.startsWith('client/')) members.add(data.user);
      channels.set(data.channel, members);
    }
  }
  return {
    nodes: [...kinds].map(([id, kind]) => ({ id, kind })),
    users: [...users].map(([user, node]) => ({ user, node })),
    channels: [...channels].map(([id, members]) => ({ id, members: [...members].sort() })),
  };
}

/**
 * A trace file at a playhead.
 *
 * @example
 * const read = readTraceJsonl(text);
 * if (read.ok) {
 *   const t = new TraceSession(read.events, 'run.jsonl');
 *   t.seek(5_000);
 *   t.observers.index(); // the diagrams' index of every event before 5 s
 * }
 */
export class TraceSession {
  readonly observers: Observers;
  readonly cast: TraceCast;
  private readonly log = new KeptLog();
  private hashes = new TraceLog({ maxEvents: 0 });
  private now = 0;
  /** The time just after the last event: the file's end. */
  readonly endMs: number;

  constructor(
    readonly events: readonly TraceEvent[],
    /** The file's name, as the person chose it. */
    readonly name: string,
  ) {
    this.observers = new Observers(this.log, null);
    this.cast = castOf(events);
    const last = events.at(-1);
    this.endMs = last === undefined ? 0 : Math.floor(last.at) + 1;
  }

  /** The playhead, in ms. */
  get nowMs(): number {
    return this.now;
  }

  /** Events kept so far (the next one to append is `events[count]`). */
  get count(): number {
    return this.log.length;
  }

  /** The trace hash of the events kept (the simulator's structural hash). */
  hash(): string {
    return this.hashes.hash();
  }

  private append(e: TraceEvent): void {
    this.log.append(e);
    this.hashes.record(e.at, e.node, e.causeSeq, e.type, e.data as never);
  }

  /** Moves the playhead to `ms`: every event strictly before it is kept, as a run's `runUntil(ms)`. */
  seek(ms: number): void {
    const target = Math.max(0, Math.min(ms, this.endMs));
    // Events before `target`: the first index whose time is at or after it (times never go back).
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.events[mid] as TraceEvent).at < target) lo = mid + 1;
      else hi = mid;
    }
    this.keep(lo);
    this.now = target;
  }

  /** Keeps one more event and moves the playhead to its time; false at the end of the file. */
  step(): boolean {
    const next = this.events[this.log.length];
    if (next === undefined) return false;
    this.keep(this.log.length + 1);
    this.now = Math.max(this.now, next.at);
    return true;
  }

  /** Keeps exactly the first `n` events. */
  private keep(n: number): void {
    if (n < this.log.length) {
      this.observers.truncate(n);
      // The hash has no way back: it is rebuilt over the kept events.
      this.hashes = new TraceLog({ maxEvents: 0 });
      for (const e of this.log.events) this.hashes.record(e.at, e.node, e.causeSeq, e.type, e.data as never);
    }
    for (let i = this.log.length; i < n; i++) this.append(this.events[i] as TraceEvent);
  }
}
