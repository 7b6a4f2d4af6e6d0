/**
 * The checker framework. A checker reads trace events, one at a time and in order, and reports
 * violations: the seq of the event where the rule broke and a sentence saying what went wrong.
 * The same checker runs online (subscribed to a live trace, so safety is checked on every step)
 * or offline over a stored trace.
 */
import type { TraceEvent } from '../core/trace.ts';

/** One broken rule, pinned to the event that broke it. */
export interface Violation {
  /** The checker's name (`ordering`, `net/causality`). */
  readonly checker: string;
  /** The seq of the event where the rule broke. */
  readonly seq: number;
  /** Virtual time of that event. */
  readonly at: number;
  /** What went wrong, as a sentence a student can read. */
  readonly message: string;
}

/** A rule over the trace. Create a fresh instance per run: checkers keep state. */
export interface Checker {
  readonly name: string;
  /** Sees every event in seq order. */
  observe(event: TraceEvent): void;
  /** Called once after the last event (liveness rules report here). */
  finish?(): void;
  /** Everything found so far. */
  violations(): readonly Violation[];
}

/**
 * A base class that keeps the violation list and caps it, so a broken run cannot fill memory
 * with millions of copies of the same complaint.
 */
export abstract class BaseChecker implements Checker {
  abstract readonly name: string;
  private readonly found: Violation[] = [];
  /** How many violations were seen, including those beyond the cap. */
  violationCount = 0;

  constructor(protected readonly maxViolations = 1000) {}

  abstract observe(event: TraceEvent): void;

  protected report(event: TraceEvent, message: string): void {
    this.reportAt(event.seq, event.at, message);
  }

  /** Reports at an event known by its seq and time (for checkers that do not keep events). */
  protected reportAt(seq: number, at: number, message: string): void {
    this.violationCount++;
    if (this.found.length < this.maxViolations) this.found.push({ checker: this.name, seq, at, message });
  }

  violations(): readonly Violation[] {
    return this.found;
  }
}

/** Runs checkers over a stored trace and returns all violations, ordered by seq. */
export function runCheckers(events: Iterable<TraceEvent>, checkers: readonly Checker[]): Violation[] {
  for (const e of events) for (const c of checkers) c.observe(e);
  for (const c of checkers) c.finish?.();
  return checkers.flatMap((c) => c.violations()).sort((a, b) => a.seq - b.seq);
}

/**
 * The kernel's own invariant: the network delivers only what was sent, to whom it was sent,
 * never before it was sent, and never to a node that is down; and a message is delivered at most
 * once unless the network recorded a duplication. It guards the simulator itself.
 */
export class NetCausalityChecker extends BaseChecker {
  readonly name = 'net/causality';
  // Messages still travelling: an entry goes when every copy was delivered or dropped, so the map
  // holds what is in flight, not the whole run.
  private readonly sent = new Map<number, { at: number; from: string; to: string; copies: number; delivered: number; dropped: number }>();
  /** Messages whose copies have all arrived: a further delivery of one is a duplicate the network never made. */
  private readonly done = new Set<number>();
  private readonly down = new Set<string>();

  observe(e: TraceEvent): void {
    switch (e.type) {
      case 'net/messageSent':
        this.sent.set(e.seq, { at: e.at, from: String(e.data['from']), to: String(e.data['to']), copies: 1, delivered: 0, dropped: 0 });
        return;
      case 'net/messageDropped': {
        const s = e.causeSeq === null ? undefined : this.sent.get(e.causeSeq);
        if (s === undefined) return;
        s.dropped++;
        this.settle(e.causeSeq as number, s);
        return;
      }
      case 'net/messageDuplicated': {
        const s = e.causeSeq === null ? undefined : this.sent.get(e.causeSeq);
        if (s !== undefined) s.copies++;
        return;
      }
      case 'op/crashed':
        this.down.add(String((e.data['op'] as { node: string }).node));
        return;
      case 'node/started':
        this.down.delete(e.node);
        return;
      case 'net/messageDelivered': {
        const s = e.causeSeq === null ? undefined : this.sent.get(e.causeSeq);
        if (s === undefined) {
          if (e.causeSeq !== null && this.done.has(e.causeSeq)) this.report(e, `event ${e.seq}: message ${e.causeSeq} was delivered again after every copy had arrived.`);
          else this.report(e, `event ${e.seq}: ${e.node} received a message that no node sent (cause ${String(e.causeSeq)}).`);
          return;
        }
        if (e.at < s.at) this.report(e, `event ${e.seq}: a message sent at ${s.at} ms arrived earlier, at ${e.at} ms.`);
        if (e.node !== s.to) this.report(e, `event ${e.seq}: a message sent to ${s.to} was delivered to ${e.node}.`);
        if (this.down.has(e.node)) this.report(e, `event ${e.seq}: ${e.node} is crashed but a message was delivered to it.`);
        s.delivered++;
        if (s.delivered > s.copies) {
          this.report(e, `event ${e.seq}: message ${String(e.causeSeq)} from ${s.from} was delivered ${s.delivered} times but sent ${s.copies}.`);
        }
        this.settle(e.causeSeq as number, s);
        return;
      }
    }
  }

  private settle(seq: number, s: { copies: number; delivered: number; dropped: number }): void {
    if (s.delivered + s.dropped < s.copies) return;
    this.sent.delete(seq);
    // Remember finished messages only while the set stays small; it exists to name duplicates.
    if (this.done.size < 100_000) this.done.add(seq);
  }
}
