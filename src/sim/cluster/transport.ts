/**
 * Transport figures from a run's trace: what WebSocket, SSE + POST and long polling cost on the
 * last mile for the same workload. These fill the lab's comparison table (bidirectional,
 * overhead, latency, complexity) with measured numbers.
 */
import type { ClusterInfo, TraceEvent, Transport } from '../contract/index.ts';

/** Measured costs of one transport in one run. */
export interface TransportFigures {
  readonly transport: Transport;
  /** One connection carries both directions. */
  readonly bidirectional: boolean;
  /** Bytes on client ↔ gateway links per message shown to a user (payload and overhead). */
  readonly lastMileBytesPerDelivered: number;
  /** Client → server requests (frames, or HTTP requests) per message sent. */
  readonly requestsPerSent: number;
  /** Bytes a connect costs (handshake included), on average. */
  readonly handshakeBytes: number;
  /** Connections (or held polls) open at the server on average over the run. */
  readonly connectionsHeldMean: number;
  /** Send → shown latency (null when nothing was shown). */
  readonly latencyMsP50: number | null;
  readonly latencyMsP99: number | null;
}

/**
 * Computes the figures of one run.
 *
 * @example
 * const { report, trace } = runScenario(scenario, { seed: 1 });
 * transportFigures(trace.events, info, 'long-polling', report.latencyMs, report.simTimeMs);
 */
export function transportFigures(
  events: readonly TraceEvent[],
  info: ClusterInfo,
  transport: Transport,
  latency: { readonly p50: number; readonly p99: number } | null,
  simTimeMs: number,
): TransportFigures {
  const isClient = (id: string): boolean => info.nodeKinds.get(id) === 'client';
  let lastMileBytes = 0;
  let requests = 0;
  let connectBytes = 0;
  let connects = 0;
  let sent = 0;
  let delivered = 0;
  let heldPollMs = 0;
  const connectedSince = new Map<string, number>();
  let connectedMs = 0;
  for (const e of events) {
    switch (e.type) {
      case 'net/messageSent': {
        const from = e.data['from'] as string;
        const to = e.data['to'] as string;
        const bytes = (e.data['bytes'] as number | undefined) ?? 0;
        if ((isClient(from) && to === 'gw') || (from === 'gw' && isClient(to))) lastMileBytes += bytes;
        if (isClient(from) && to === 'gw') {
          requests++;
          if ((e.data['msg'] as { type: string }).type === 'connect') {
            connects++;
            connectBytes += bytes;
          }
        }
        break;
      }
      case 'client/messageSent':
        sent++;
        break;
      case 'client/messageShown':
        delivered++;
        break;
      case 'ws/pollAnswered':
        heldPollMs += e.data['heldMs'] as number;
        break;
      case 'client/connected':
        connectedSince.set(e.data['user'] as string, e.at);
        break;
      case 'client/disconnected': {
        const since = connectedSince.get(e.data['user'] as string);
        if (since !== undefined) connectedMs += e.at - since;
        connectedSince.delete(e.data['user'] as string);
        break;
      }
    }
  }
  for (const since of connectedSince.values()) connectedMs += simTimeMs - since;
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    transport,
    bidirectional: transport === 'websocket',
    lastMileBytesPerDelivered: delivered > 0 ? round(lastMileBytes / delivered) : 0,
    requestsPerSent: sent > 0 ? round(requests / sent) : 0,
    handshakeBytes: connects > 0 ? round(connectBytes / connects) : 0,
    connectionsHeldMean: simTimeMs > 0 ? round((transport === 'long-polling' ? heldPollMs : connectedMs) / simTimeMs) : 0,
    latencyMsP50: latency?.p50 ?? null,
    latencyMsP99: latency?.p99 ?? null,
  };
}
