/**
 * The checker framework. A checker reads trace events, one at a time and in order, and reports
 * violations: the seq of the event where the rule broke, a sentence saying what went wrong, and
 * what it is about as data (the message, user, channel). The same checker runs online (subscribed
 * to a live trace, so safety is checked on every step) or offline over a stored trace.
 *
 * Liveness rules ("every message is eventually shown") can only be judged at an end. A checker
 * judges them in {@link Checker.judgeEnd}, which changes nothing that could change an answer
 * (it may forget what can no longer be found wanting): the workbench asks for the report as if the run ended now, then plays on, and the answer is the
 * same as a run stopped at that moment (the CLI's `--until-ms`).
 */
import type { TraceEvent, Violation, ViolationSubject } from '../contract/index.ts';

/** A rule over the trace. Create a fresh instance per run: checkers keep state. */
export interface Checker {
  readonly name: string;
  /** Sees every event in seq order. */
  observe(event: TraceEvent): void;
  /** Safety findings so far (rules broken by an event already seen). */
  violations(): readonly Violation[];
  /** How many safety findings there were, including any past the kept list's cap. */
  violationCount(): number;
  /**
   * Findings that hold if the run ended after the last event seen (liveness, and judgements
   * deferred until more is known). Changes nothing a later answer depends on: observing may go
   * on, and asking again gives the same findings.
   */
  judgeEnd?(): EndJudgement;
}

/** What {@link Checker.judgeEnd} found. */
export interface EndJudgement {
  /** Findings, at most the checker's cap. */
  readonly violations: readonly Violation[];
  /** How many there were. */
  readonly count: number;
}

/** All of a checker's findings if the run ended now: safety so far plus its end judgement. */
export function findingsAtEnd(c: Checker): EndJudgement {
  const end = c.judgeEnd?.();
  if (end === undefined || end.count === 0) return { violations: c.violations(), count: c.violationCount() };
  return { violations: [...c.violations(), ...end.violations], count: c.violationCount() + end.count };
}

/**
 * A base class that keeps the violation list and caps it, so a broken run cannot fill memory
 * with millions of copies of the same complaint.
 */
export abstract class BaseChecker implements Checker {
  abstract readonly name: string;
  private readonly found: Violation[] = [];
  /** How many violations were seen, including those beyond the cap. */
  private count = 0;

  constructor(protected readonly maxViolations = 1000) {}

  abstract observe(event: TraceEvent): void;

  protected report(event: TraceEvent, message: string, subject: ViolationSubject = {}): void {
    this.reportAt(event.seq, event.at, message, subject);
  }

  /** Reports at an event known by its seq and time (for checkers that do not keep events). */
  protected reportAt(seq: number, at: number, message: string, subject: ViolationSubject = {}): void {
    this.count++;
    if (this.found.length < this.maxViolations) this.found.push({ checker: this.name, seq, at, message, subject });
  }

  violations(): readonly Violation[] {
    return this.found;
  }

  violationCount(): number {
    return this.count;
  }
}

/**
 * A capped list of end findings, for {@link Checker.judgeEnd} implementations.
 *
 * @example
 * const end = new EndFindings('lost', 1000);
 * end.add(12, 300, 'm3 was never shown to u2', { messageId: 'm3', user: 'u2' });
 * end.judgement(); // { violations: [...], count: 1 }
 */
export class EndFindings {
  private readonly list: Violation[] = [];
  private count = 0;

  constructor(
    private readonly checker: string,
    private readonly max: number,
  ) {}

  add(seq: number, at: number, message: string, subject: ViolationSubject = {}): void {
    this.count++;
    if (this.list.length < this.max) this.list.push({ checker: this.checker, seq, at, message, subject });
  }

  judgement(): EndJudgement {
    return { violations: this.list, count: this.count };
  }
}

/** Runs checkers over a stored trace and returns all violations (end judgements included), ordered by seq. */
export function runCheckers(events: Iterable<TraceEvent>, checkers: readonly Checker[]): Violation[] {
  for (const e of events) for (const c of checkers) c.observe(e);
  return checkers.flatMap((c) => findingsAtEnd(c).violations).sort((a, b) => a.seq - b.seq);
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
        this.sent.set(e.seq, { at: e.at, from: e.data.from, to: e.data.to, copies: 1, delivered: 0, dropped: 0 });
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
        this.down.add(e.data.op.node);
        return;
      case 'node/started':
        this.down.delete(e.node);
        return;
      case 'net/messageDelivered': {
        const s = e.causeSeq === null ? undefined : this.sent.get(e.causeSeq);
        if (s === undefined) {
          if (e.causeSeq !== null && this.done.has(e.causeSeq)) this.report(e, `event ${e.seq}: message ${e.causeSeq} was delivered again after every copy had arrived.`, { node: e.node });
          else this.report(e, `event ${e.seq}: ${e.node} received a message that no node sent (cause ${String(e.causeSeq)}).`, { node: e.node });
          return;
        }
        if (e.at < s.at) this.report(e, `event ${e.seq}: a message sent at ${s.at} ms arrived earlier, at ${e.at} ms.`, { node: e.node });
        if (e.node !== s.to) this.report(e, `event ${e.seq}: a message sent to ${s.to} was delivered to ${e.node}.`, { node: e.node });
        if (this.down.has(e.node)) this.report(e, `event ${e.seq}: ${e.node} is crashed but a message was delivered to it.`, { node: e.node });
        s.delivered++;
        if (s.delivered > s.copies) {
          this.report(e, `event ${e.seq}: message ${String(e.causeSeq)} from ${s.from} was delivered ${s.delivered} times but sent ${s.copies}.`, { node: e.node });
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

