/**
 * Computes a run's {@link RunReport} from its trace, online: it sees each event once, as it is
 * recorded, and keeps only small per-id maps and counters, never the events themselves, because
 * the stored trace may be truncated on big runs while the report must still cover every event.
 */
import { BaseChecker, type Checker, type Violation } from '../checkers/checker.ts';
import type { ClusterEventData, ClusterEventType, ClusterInfo } from '../cluster/events.ts';
import type { NodeFigures, RunReport } from '../cluster/report.ts';
import type { NodeReport } from '../core/simulation.ts';
import type { TraceEvent } from '../core/trace.ts';
import { latencyPercentiles } from './percentiles.ts';

/** The contract's data shape of an event type. */
type Data<T extends ClusterEventType> = ClusterEventData[T];

/** What {@link MetricsCollector.finish} needs besides the trace: the run's identity and the simulator's figures. */
export interface FinishArgs extends Pick<RunReport, 'seed' | 'scenario' | 'simTimeMs' | 'events' | 'traceHash' | 'truncated' | 'wallMs'> {
  nodeReports: Record<string, NodeReport>;
  /** The run's checkers, already finished, so that liveness rules have reported. */
  checkers: readonly Checker[];
}

/** Rounds to 3 decimals, so that means and ratios print short and compare stably in JSON. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Joins id parts into one map key; NUL cannot occur in ids. */
function key(a: string, b: string): string {
  return a + '\u0000' + b;
}

/**
 * Collects a run's counts, latencies and traffic from its trace events.
 *
 * @example
 * const metrics = new MetricsCollector(info);
 * sim.trace.subscribe((e) => metrics.observe(e));
 * // … run, then finish the checkers …
 * const report = metrics.finish({ seed, scenario, simTimeMs, events, traceHash, truncated, nodeReports, checkers, wallMs });
 */
export class MetricsCollector {
  private sent = 0;
  private persisted = 0;
  private shown = 0;
  private rateLimited = 0;
  private forbidden = 0;
  /** Time of each first send, by (author, clientMsgId). */
  private readonly sentAt = new Map<string, number>();
  /** Time of the first send of each message, by server id, once the chat service sequenced it. */
  private readonly idSentAt = new Map<string, number>();
  /** Send → shown latency of every show that could be linked to its send. */
  private readonly latencies: number[] = [];
  private readonly netByKind = new Map<string, number>();
  private netTotal = 0;
  private lagMax = 0;
  /** The latest lag of each (server, partition). */
  private readonly lagLast = new Map<string, number>();

  /** @param info the cluster's static facts (node kinds for per-component traffic). */
  constructor(private readonly info: ClusterInfo) {}

  /** Takes one event; call for every event in seq order. */
  observe(e: TraceEvent): void {
    switch (e.type) {
      case 'client/messageSent': {
        this.sent++;
        const d = e.data as Data<'client/messageSent'>;
        const k = key(d.user, d.clientMsgId);
        if (!this.sentAt.has(k)) this.sentAt.set(k, e.at);
        return;
      }
      case 'chat/messageSequenced': {
        const d = e.data as Data<'chat/messageSequenced'>;
        const at = this.sentAt.get(key(d.author, d.clientMsgId));
        if (at !== undefined && !this.idSentAt.has(d.id)) this.idSentAt.set(d.id, at);
        return;
      }
      case 'chat/messagePersisted':
        this.persisted++;
        return;
      case 'client/messageShown': {
        this.shown++;
        const at = this.idSentAt.get((e.data as Data<'client/messageShown'>).id);
        if (at !== undefined) this.latencies.push(e.at - at);
        return;
      }
      case 'client/sendFailed': {
        const code = (e.data as Data<'client/sendFailed'>).code;
        if (code === 'RATE_LIMITED') this.rateLimited++;
        else if (code === 'FORBIDDEN') this.forbidden++;
        return;
      }
      case 'net/messageSent': {
        const kind = this.info.nodeKinds.get(e.node) ?? 'other';
        this.netByKind.set(kind, (this.netByKind.get(kind) ?? 0) + 1);
        this.netTotal++;
        return;
      }
      case 'broker/consumerLagged': {
        const d = e.data as Data<'broker/consumerLagged'>;
        if (d.lag > this.lagMax) this.lagMax = d.lag;
        this.lagLast.set(key(d.server, String(d.partition)), d.lag);
        return;
      }
    }
  }

  /** Builds the report. The checkers must have seen every event and been finished. */
  finish(args: FinishArgs): RunReport {
    const count = (name: string): number => {
      const c = args.checkers.find((x) => x.name === name);
      if (c === undefined) return 0;
      // The violation list is capped; the base class counts past the cap.
      return c instanceof BaseChecker ? c.violationCount : c.violations().length;
    };

    const nodes: Record<string, NodeFigures> = {};
    for (const [id, r] of Object.entries(args.nodeReports)) {
      nodes[id] = {
        kind: r.kind,
        processed: r.processed,
        queueWaitMsMean: round3(r.queueWaitMsMean),
        sojournMsMean: round3(r.sojournMsMean),
        utilization: round3(r.utilization),
        queueDepthMax: r.queueDepthMax,
      };
    }

    // Sorted by kind so the JSON does not depend on which component happened to send first.
    const messagesPerComponent: Record<string, number> = {};
    for (const kind of [...this.netByKind.keys()].sort()) messagesPerComponent[kind] = this.netByKind.get(kind) as number;

    let lagFinal = 0;
    for (const lag of this.lagLast.values()) lagFinal += lag;

    const violations: Violation[] = args.checkers
      .flatMap((c) => c.violations())
      .sort((a, b) => a.seq - b.seq || (a.checker < b.checker ? -1 : a.checker > b.checker ? 1 : 0));

    return {
      seed: args.seed,
      scenario: args.scenario,
      simTimeMs: args.simTimeMs,
      events: args.events,
      traceHash: args.traceHash,
      truncated: args.truncated,
      counts: {
        sent: this.sent,
        persisted: this.persisted,
        delivered: this.shown,
        duplicatesShown: count('duplicates'),
        outOfOrderShown: count('ordering'),
        lost: count('lost'),
        rateLimited: this.rateLimited,
        forbidden: this.forbidden,
      },
      latencyMs: latencyPercentiles(this.latencies),
      nodes,
      messagesPerComponent,
      messagesPerPersisted: this.persisted > 0 ? round3(this.netTotal / this.persisted) : 0,
      brokerLag: { max: this.lagMax, final: lagFinal },
      violations,
      wallMs: args.wallMs,
    };
  }
}
