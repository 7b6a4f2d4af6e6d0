/**
 * An index over a trace for walking it causally: for every event, the nearest `net/messageSent`
 * it descends from (through `causeSeq` links, timers included), and for every sent message its
 * deliveries, drop, hold and CPU drop. Built once per diagram in one forward pass, because
 * `causeSeq` always points to an earlier event.
 */
import type { TraceEvent } from '../sim/index.ts';
import { nodeKindsOf } from './roles.ts';
import { rec } from './wire.ts';

/** The indexed view of a trace up to a time. */
export interface TraceIndex {
  /** The events at or before `atMs`, in trace order. */
  readonly events: readonly TraceEvent[];
  readonly bySeq: ReadonlyMap<number, TraceEvent>;
  /** Event seq → the seq of the nearest `net/messageSent` at or above it (itself for a send). */
  readonly sentOf: ReadonlyMap<number, number | null>;
  /** Sent seq → its `net/messageDelivered` events (two when the network duplicated it). */
  readonly deliveries: ReadonlyMap<number, readonly TraceEvent[]>;
  /** Sent seq → its `net/messageDropped` event. */
  readonly drops: ReadonlyMap<number, TraceEvent>;
  /** Sent seqs the network is holding (`net/messageHeld`). */
  readonly held: ReadonlySet<number>;
  /** Delivered seq → the `cpu/inputDropped` that threw the input away (queue full). */
  readonly cpuDrops: ReadonlyMap<number, TraceEvent>;
  /** Node id → kind, from `node/started`. */
  readonly kinds: ReadonlyMap<string, string>;
}

/** True for the kernel's send event. */
export const SENT = 'net/messageSent';

/**
 * Indexes the events at or before `atMs` (all of them by default). Events must be in trace
 * order, as a {@link TraceLog} stores them; a slice of a trace works too (causes outside the
 * slice simply end the walk).
 *
 * @example
 * const index = indexTrace(events, 7_100);
 * index.deliveries.get(372)?.[0]?.at; // 7026
 */
export function indexTrace(events: readonly TraceEvent[], atMs = Number.POSITIVE_INFINITY): TraceIndex {
  const kept: TraceEvent[] = [];
  const bySeq = new Map<number, TraceEvent>();
  const sentOf = new Map<number, number | null>();
  const deliveries = new Map<number, TraceEvent[]>();
  const drops = new Map<number, TraceEvent>();
  const held = new Set<number>();
  const cpuDrops = new Map<number, TraceEvent>();
  for (const e of events) {
    if (e.at > atMs) continue;
    kept.push(e);
    bySeq.set(e.seq, e);
    const parent = e.causeSeq === null ? null : (sentOf.get(e.causeSeq) ?? null);
    sentOf.set(e.seq, e.type === SENT ? e.seq : parent);
    if (e.causeSeq === null) continue;
    switch (e.type) {
      case 'net/messageDelivered': {
        const list = deliveries.get(e.causeSeq);
        if (list === undefined) deliveries.set(e.causeSeq, [e]);
        else list.push(e);
        break;
      }
      case 'net/messageDropped':
        drops.set(e.causeSeq, e);
        break;
      case 'net/messageHeld':
        held.add(e.causeSeq);
        break;
      case 'cpu/inputDropped':
        cpuDrops.set(e.causeSeq, e);
        break;
    }
  }
  return { events: kept, bySeq, sentOf, deliveries, drops, held, cpuDrops, kinds: nodeKindsOf(kept) };
}

/**
 * The wire payload of a send event.
 *
 * @example
 * payloadOf(sentEvent); // { type: 'send', clientMsgId: 'u1-1', channel: 'dm:u1:u2', text: 'Hi' }
 */
export function payloadOf(e: TraceEvent): unknown {
  return e.data['msg'];
}

/**
 * `from` and `to` of a send event (the sender defaults to the event's node).
 *
 * @example
 * endpointsOf(sentEvent); // { from: 'c-u1', to: 'gw' }
 */
export function endpointsOf(e: TraceEvent): { from: string; to: string } {
  const d = rec(e.data);
  return { from: String(d?.['from'] ?? e.node), to: String(d?.['to'] ?? '?') };
}
