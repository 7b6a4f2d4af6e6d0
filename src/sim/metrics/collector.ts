/**
 * Computes a run's {@link RunReport} from its trace, online: it sees each event once, as it is
 * recorded, and keeps only small per-id maps and counters, never the events themselves, because
 * the stored trace may be truncated on big runs while the report must still cover every event.
 */
import { findingsAtEnd, type Checker } from '../checkers/checker.ts';
import { SendOutcomeChecker } from '../checkers/chat.ts';
import type { ClusterInfo, DataCalls, NodeFigures, RunReport, TraceEvent, Transport, Violation } from '../contract/index.ts';
import type { NodeReport } from '../engine/simulation.ts';
import { IntHistogram } from './percentiles.ts';
import { TransportMeter, type CountedControlTraffic } from './transport.ts';

/** What {@link MetricsCollector.report} needs besides the trace: the run's identity and the simulator's figures. */
export interface ReportArgs extends Pick<RunReport, 'seed' | 'scenario' | 'simTimeMs' | 'events' | 'traceHash' | 'truncated' | 'wallMs'> {
  nodeReports: Record<string, NodeReport>;
  /**
   * Control traffic the simulator counted instead of recording (`trace.control: 'counted'`), by
   * link; it joins the keep-alive figures. Absent or empty when control traffic is traced.
   */
  countedControl?: readonly CountedControlTraffic[];
  /** The run's checkers, fed the same events; their end judgements are taken as of now. */
  checkers: readonly Checker[];
}

/** Rounds to 3 decimals, so that means and ratios print short and compare stably in JSON. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The percentiles of a histogram of µs, in ms (exact: µs / 1000). */
function latencyMsOf(latencies: IntHistogram): RunReport['latencyMs'] {
  const p = latencies.percentiles();
  return p === null ? null : { p50: p.p50 / 1000, p90: p.p90 / 1000, p99: p.p99 / 1000, max: p.max / 1000 };
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
 * // … run …
 * const report = metrics.report({ seed, scenario, simTimeMs, events, traceHash, truncated, nodeReports, checkers, wallMs });
 */
export class MetricsCollector {
  private sent = 0;
  private persisted = 0;
  private shown = 0;
  private rateLimited = 0;
  private forbidden = 0;
  /** Time of each first send, by (author, clientMsgId). */
  private readonly sentAt = new Map<string, number>();
  /**
   * Send → shown latency of every show that could be linked to its send, in integer µs: event
   * times are whole µs (ADR 0010), so the percentiles stay exact; the histogram holds one entry
   * per distinct µs value, bounded by the latencies' spread (a 0–500 ms spread is at most 500k).
   */
  private readonly latencies = new IntHistogram();
  private readonly netByKind = new Map<string, number>();
  private netTotal = 0;
  private lagMax = 0;
  /** The latest lag of each (server, partition). */
  private readonly lagLast = new Map<string, number>();

  private readonly transport: TransportMeter;

  /**
   * @param info the cluster's static facts (node kinds for per-component traffic).
   * @param transport how clients talk to the cluster (the scenario's `transport`; default WebSocket).
   * @param dataCalls how history fetches and presence queries travel (the scenario's `dataCalls`).
   */
  constructor(
    private readonly info: ClusterInfo,
    transport: Transport = 'websocket',
    dataCalls: DataCalls = 'stream',
  ) {
    this.transport = new TransportMeter(info, transport, dataCalls);
  }

  /** Takes one event; call for every event in seq order. */
  observe(e: TraceEvent): void {
    this.transport.observe(e);
    switch (e.type) {
      case 'client/messageSent': {
        this.sent++;
        const d = e.data;
        const k = key(d.user, d.clientMsgId);
        if (!this.sentAt.has(k)) this.sentAt.set(k, e.at);
        return;
      }
      case 'chat/messagePersisted':
        this.persisted++;
        return;
      case 'client/messageShown': {
        this.shown++;
        // Linked by the sender's identity of the send, whatever row of it was shown.
        const at = this.sentAt.get(key(e.data.author, e.data.clientMsgId));
        if (at !== undefined) this.latencies.add(Math.round((e.at - at) * 1000));
        return;
      }
      case 'client/sendFailed': {
        const code = e.data.code;
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
        const d = e.data;
        if (d.lag > this.lagMax) this.lagMax = d.lag;
        this.lagLast.set(key(d.server, String(d.partition)), d.lag);
        return;
      }
    }
  }

  /**
   * The report as if the run ended now: the checkers' end judgements are taken without changing
   * them, and nothing here changes the collector, so observing may go on and a later report
   * covers the later events too. The checkers must have seen the same events.
   */
  report(args: ReportArgs): RunReport {
    const findings = new Map(args.checkers.map((c) => [c.name, findingsAtEnd(c)] as const));
    // The violation lists are capped; the counts go on past the cap.
    const count = (name: string): number => findings.get(name)?.count ?? 0;

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
      if (r.workers !== undefined) {
        const w = r.workers;
        (nodes[id] as NodeFigures).workers = { ...w, switchMs: round3(w.switchMs), contentionMs: round3(w.contentionMs), workerWaitMsP99: round3(w.workerWaitMsP99), workerWaitMsMax: round3(w.workerWaitMsMax) };
      }
    }

    // Sorted by kind so the JSON does not depend on which component happened to send first.
    const messagesPerComponent: Record<string, number> = {};
    for (const kind of [...this.netByKind.keys()].sort()) messagesPerComponent[kind] = this.netByKind.get(kind) as number;

    // The outcome of every send, from the checker that judges it (zeros without one).
    const outcomeChecker = args.checkers.find((c): c is SendOutcomeChecker => c instanceof SendOutcomeChecker);
    const outcomes = outcomeChecker?.outcomes() ?? { acked: 0, failedShown: 0, pending: 0, lost: 0 };

    let lagFinal = 0;
    for (const lag of this.lagLast.values()) lagFinal += lag;

    const violations: Violation[] = [...findings.values()]
      .flatMap((f) => f.violations)
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
        senderOrderBroken: count('sender-order'),
        causalBroken: count('causal'),
        lost: count('lost'),
        acked: outcomes.acked,
        failedShown: outcomes.failedShown,
        pending: outcomes.pending,
        lostSends: count('lost-sends'),
        rateLimited: this.rateLimited,
        forbidden: this.forbidden,
      },
      latencyMs: latencyMsOf(this.latencies),
      nodes,
      messagesPerComponent,
      messagesPerPersisted: this.persisted > 0 ? round3(this.netTotal / this.persisted) : 0,
      brokerLag: { max: this.lagMax, final: lagFinal },
      transport: this.transport.costs(this.persisted, this.sent, args.countedControl ?? []),
      violations,
      wallMs: args.wallMs,
    };
  }
}
