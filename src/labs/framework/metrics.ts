/**
 * The figures of a run's report that goals and figures can compare, by name. One table, so a
 * manifest names `latencyMs.p99` and the compiler checks the name.
 */
import type { RunReport } from '../../sim/index.ts';

/** Rounds a derived ratio to 3 decimals, so a figure prints the same everywhere. */
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Network messages one kind of component sent per stored chat message, or null before anything was stored. */
function perStored(r: RunReport, kind: string): number | null {
  return r.counts.persisted === 0 ? null : r3((r.messagesPerComponent[kind] ?? 0) / r.counts.persisted);
}

/**
 * The busiest WebSocket server's busy time (utilisation × simulated time) per stored message: with
 * one busy sender, what sending a message costs the sender's server (bench/nobroker.ts).
 */
function busiestWsServerMsPerStored(r: RunReport): number | null {
  if (r.counts.persisted === 0) return null;
  let busiest = 0;
  for (const n of Object.values(r.nodes)) if (n.kind === 'ws-server') busiest = Math.max(busiest, n.utilization);
  return r3((busiest * r.simTimeMs) / r.counts.persisted);
}

/** How to read each figure a goal can compare from a report (null: the report has none yet). */
const METRICS = {
  'counts.sent': (r) => r.counts.sent,
  'counts.persisted': (r) => r.counts.persisted,
  'counts.delivered': (r) => r.counts.delivered,
  'counts.duplicatesShown': (r) => r.counts.duplicatesShown,
  'counts.outOfOrderShown': (r) => r.counts.outOfOrderShown,
  'counts.senderOrderBroken': (r) => r.counts.senderOrderBroken,
  'counts.causalBroken': (r) => r.counts.causalBroken,
  'counts.lost': (r) => r.counts.lost,
  'counts.acked': (r) => r.counts.acked,
  'counts.failedShown': (r) => r.counts.failedShown,
  'counts.pending': (r) => r.counts.pending,
  'counts.lostSends': (r) => r.counts.lostSends,
  'counts.rateLimited': (r) => r.counts.rateLimited,
  'counts.forbidden': (r) => r.counts.forbidden,
  'latencyMs.p50': (r) => r.latencyMs?.p50 ?? null,
  'latencyMs.p90': (r) => r.latencyMs?.p90 ?? null,
  'latencyMs.p99': (r) => r.latencyMs?.p99 ?? null,
  'latencyMs.max': (r) => r.latencyMs?.max ?? null,
  messagesPerPersisted: (r) => r.messagesPerPersisted,
  'brokerLag.max': (r) => r.brokerLag.max,
  'transport.chatBytesPerStoredMessage': (r) => r.transport.chatBytesPerStoredMessage,
  'transport.chatHttpRequestsPerSentMessage': (r) => r.transport.chatHttpRequestsPerSentMessage,
  'transport.connectHandshakes': (r) => r.transport.connectHandshakes,
  'transport.connectHandshakeBytes': (r) => r.transport.connectHandshakeBytes,
  'transport.connectionsHeldPeak': (r) => r.transport.connectionsHeldPeak,
  'transport.lastMileBytes': (r) => r.transport.lastMileBytes,
  'messages.gateway': (r) => r.messagesPerComponent['gateway'] ?? 0,
  'messages.ws-server': (r) => r.messagesPerComponent['ws-server'] ?? 0,
  'messages.chat': (r) => r.messagesPerComponent['chat'] ?? 0,
  'messages.limiter': (r) => r.messagesPerComponent['limiter'] ?? 0,
  'nodes.chat.processed': (r) => r.nodes['chat']?.processed ?? null,
  'cpu.wsServerBusiestMsPerStored': (r) => busiestWsServerMsPerStored(r),
  'messagesPerStored.wsServer': (r) => perStored(r, 'ws-server'),
  'messagesPerStored.broker': (r) => perStored(r, 'broker'),
  'messagesPerStored.directory': (r) => perStored(r, 'directory'),
} as const satisfies Record<string, (report: RunReport) => number | null>;

/** A figure of the report a goal can compare. */
export type GoalMetric = keyof typeof METRICS;

/** Each metric in words, for a goal's explanation. */
export const METRIC_LABELS: Readonly<Record<GoalMetric, string>> = {
  'counts.sent': 'messages sent',
  'counts.persisted': 'messages stored',
  'counts.delivered': 'deliveries',
  'counts.duplicatesShown': 'messages shown twice',
  'counts.outOfOrderShown': 'messages shown out of order',
  'counts.senderOrderBroken': "messages shown out of their sender's order",
  'counts.causalBroken': 'replies shown before what they answer',
  'counts.lost': 'messages lost',
  'counts.acked': 'sends acked',
  'counts.failedShown': 'sends shown as failed',
  'counts.pending': 'sends still pending',
  'counts.lostSends': 'sends that vanished',
  'counts.rateLimited': 'requests refused by the rate limiter',
  'counts.forbidden': 'sends refused as forbidden',
  'latencyMs.p50': 'median delivery time (ms)',
  'latencyMs.p90': '90th percentile delivery time (ms)',
  'latencyMs.p99': '99th percentile delivery time (ms)',
  'latencyMs.max': 'slowest delivery (ms)',
  messagesPerPersisted: 'network messages per stored message',
  'brokerLag.max': 'largest broker lag',
  'transport.chatBytesPerStoredMessage': 'chat bytes per stored message',
  'transport.chatHttpRequestsPerSentMessage': 'HTTP requests per message sent',
  'transport.connectHandshakes': 'connect handshakes',
  'transport.connectHandshakeBytes': 'bytes of connect handshakes',
  'transport.connectionsHeldPeak': 'connections held at the peak',
  'transport.lastMileBytes': 'bytes on the last mile',
  'messages.gateway': 'network messages the gateway sent',
  'messages.ws-server': 'network messages the WebSocket servers sent',
  'messages.chat': 'network messages the chat service sent',
  'messages.limiter': 'network messages the rate-limit service sent',
  'nodes.chat.processed': 'inputs the chat service processed',
  'cpu.wsServerBusiestMsPerStored': "the busiest WebSocket server's CPU time per stored message (ms)",
  'messagesPerStored.wsServer': 'network messages the WebSocket servers sent per stored message',
  'messagesPerStored.broker': 'network messages the broker sent per stored message',
  'messagesPerStored.directory': 'network messages the directory sent per stored message',
};

/** Figures of the report a goal can compare. */
export const GOAL_METRICS: readonly GoalMetric[] = Object.keys(METRICS) as GoalMetric[];

/** A figure of a report, or null when the report has none (latency before anything was shown). */
export function metricOf(report: RunReport, metric: GoalMetric): number | null {
  return METRICS[metric](report);
}
