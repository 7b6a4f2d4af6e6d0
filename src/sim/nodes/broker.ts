/**
 * The pub/sub broker, in two kinds:
 *
 * - Redis-like topics: fire-and-forget, at-most-once, nothing kept. A publish goes to the servers
 *   subscribed to the topic (or to `*`) at that instant. Each subscriber has an output buffer
 *   that fills with what was pushed and empties as the subscriber reports consumption; past the
 *   limit the subscriber is cut off, losing every topic until it resubscribes (Redis's
 *   `client-output-buffer-limit pubsub`).
 * - Kafka-like partitioned log: a publish is appended to the channel's partition at the next
 *   offset and kept (up to a retention count, durably). Consumers (the servers) fetch from an
 *   offset, one batch in flight per partition, and commit; a restarted consumer resumes from its
 *   committed offset. Lag (log end − committed offset) is recorded after every commit.
 */
import type { ChatMessage, WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { messageBytes, partitionOf } from './protocol.ts';
import { sampleUs, type DistSpec } from '../core/dist.ts';

/** Broker configuration. */
export interface BrokerConfig {
  readonly kind: 'redis' | 'kafka';
  readonly servers: readonly string[];
  readonly outputBufferLimitBytes: number;
  readonly partitions: number;
  readonly retentionMessages: number;
  readonly fetchMaxRecords: number;
  /**
   * A warm start (Redis-like): the subscriptions the servers' open connections already hold,
   * topic → servers, so that a million users need no million SUBSCRIBE commands to begin.
   */
  readonly warmSubs?: ReadonlyMap<string, readonly string[]>;
  /**
   * CPU per subscriber a publish is written to, in µs, on top of the broker's own draw for the
   * input (ADR 0022): a Redis-like publish copies the message into every subscriber's output
   * buffer, a Kafka-like append hands it to every consumer of the partition. 0 or absent: none.
   */
  readonly cpuPerSubscriberUs?: number;
  /** The broker's per-input CPU distribution, drawn for a publish that also pays per subscriber. */
  readonly cpuServiceTime?: DistSpec;
}

interface Consumer {
  next: number;
  inflight: boolean;
}

/** Broker state. */
export interface BrokerState {
  readonly config: BrokerConfig;
  // Redis-like: topic → subscribed servers (a lone server as a string: most topics, such as a
  // user's personal channel, have exactly one, and a million one-element lists add up).
  subs: Record<string, string | string[]>;
  buffered: Record<string, number>;
  // Kafka-like (durable)
  logs: { base: number; records: ChatMessage[] }[];
  /** server → partition → consumer position. */
  consumers: Record<string, Record<number, Consumer>>;
  /** server → the epoch of the newest `fetchFrom` acted on (durable with the consumers). */
  fetchEpochs: Record<string, number>;
}

type Fx = Effect<WireMsg, unknown>[];

export const broker: NodeBehavior<BrokerState, WireMsg, unknown, BrokerConfig> = {
  kind: 'broker',
  init: (config, _ctx, durable) => {
    const disk = durable as Partial<Pick<BrokerState, 'logs' | 'consumers' | 'fetchEpochs'>> | undefined;
    const consumers = disk?.consumers ?? {};
    // After a restart nothing is in flight: consumers fetch again from their committed offsets.
    for (const parts of Object.values(consumers)) for (const c of Object.values(parts)) c.inflight = false;
    // Warm subscriptions on the first boot only: a restarted broker has lost them.
    const subs: Record<string, string | string[]> = {};
    if (durable === undefined && config.warmSubs !== undefined) {
      for (const [topic, servers] of config.warmSubs) subs[topic] = servers.length === 1 ? (servers[0] as string) : [...servers];
    }
    return {
      config,
      subs,
      buffered: {},
      logs: disk?.logs ?? Array.from({ length: config.partitions }, () => ({ base: 0, records: [] })),
      consumers,
      fetchEpochs: disk?.fetchEpochs ?? {},
    };
  },
  // A Redis pub/sub broker keeps nothing; a Kafka log and its committed offsets are on disk.
  // (Either way the broker remembers that it booted before, so warm subscriptions are not reinstated.)
  durable: (state) => (state.config.kind === 'kafka' ? { logs: state.logs, consumers: state.consumers, fetchEpochs: state.fetchEpochs } : { booted: true }),
  // A publish costs the input's own draw plus a copy per subscriber it goes to.
  serviceTimeMs(state, input, ctx) {
    const c = state.config;
    if (input.type !== 'message' || input.msg.type !== 'pub' || (c.cpuPerSubscriberUs ?? 0) === 0 || c.cpuServiceTime === undefined) return undefined;
    const topic = input.msg.topic;
    let n: number;
    if (c.kind === 'redis') {
      const direct = subscribers(state, topic);
      n = direct.length + subscribers(state, '*').filter((s) => !direct.includes(s)).length;
    } else {
      const p = partitionOf(topic, c.partitions);
      n = Object.values(state.consumers).filter((parts) => parts[p] !== undefined).length;
    }
    return (sampleUs(ctx.rng, c.cpuServiceTime) + n * (c.cpuPerSubscriberUs as number)) / 1000;
  },
  handle(state, _now, input) {
    const out: Fx = [];
    if (input.type === 'started') {
      // After a restart, every server's connection to the broker was reset: tell them, so that
      // they subscribe (or fetch) again, as a client library does on reconnect.
      if (input.restart) for (const s of state.config.servers) out.push(fx.send<WireMsg>(s, { type: 'cutOff' }, 8));
      return { state, effects: out };
    }
    if (input.type !== 'message') return { state, effects: out };
    const msg = input.msg;
    const from = input.from;
    if (msg.type === 'brokerPing') {
      out.push(fx.control<WireMsg>(from, { type: 'brokerPong', n: msg.n }, 16));
      return { state, effects: out };
    }
    if (state.config.kind === 'redis') redis(state, from, msg, out);
    else kafka(state, from, msg, out);
    return { state, effects: out };
  },
};

/** The servers subscribed to a topic. */
function subscribers(state: BrokerState, topic: string): readonly string[] {
  const v = state.subs[topic];
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
}

function setSubscribers(state: BrokerState, topic: string, servers: readonly string[]): void {
  if (servers.length === 0) delete state.subs[topic];
  else state.subs[topic] = servers.length === 1 ? (servers[0] as string) : [...servers];
}

function redis(state: BrokerState, from: string, msg: WireMsg, out: Fx): void {
  switch (msg.type) {
    case 'sub':
      for (const t of msg.topics) {
        const list = subscribers(state, t);
        if (!list.includes(from)) {
          setSubscribers(state, t, [...list, from]);
          out.push(fx.trace('broker/subscribed', { server: from, topic: t }));
        }
      }
      return;
    case 'unsub':
      for (const t of msg.topics) {
        const list = subscribers(state, t);
        if (!list.includes(from)) continue;
        setSubscribers(state, t, list.filter((s) => s !== from));
        out.push(fx.trace('broker/unsubscribed', { server: from, topic: t }));
      }
      return;
    case 'drained':
      state.buffered[from] = Math.max(0, (state.buffered[from] ?? 0) - msg.bytes);
      return;
    case 'pub': {
      const direct = subscribers(state, msg.topic);
      const targets = [...direct, ...subscribers(state, '*').filter((s) => !direct.includes(s))];
      const bytes = messageBytes(msg.message);
      let delivered = 0;
      for (const server of targets) {
        const buffered = (state.buffered[server] ?? 0) + bytes;
        if (buffered > state.config.outputBufferLimitBytes) {
          cutOff(state, server, buffered, out);
          continue;
        }
        state.buffered[server] = buffered;
        delivered++;
        out.push(fx.send<WireMsg>(server, { type: 'msg', topic: msg.topic, message: msg.message }, bytes));
      }
      out.push(fx.trace('broker/published', { topic: msg.topic, id: msg.message.id, subscribers: delivered }));
      return;
    }
    default:
      return;
  }
}

/** Drops a subscriber that reads too slowly: all its subscriptions go, as its connection does. */
function cutOff(state: BrokerState, server: string, bufferedBytes: number, out: Fx): void {
  for (const t of Object.keys(state.subs)) {
    const list = subscribers(state, t);
    if (list.includes(server)) setSubscribers(state, t, list.filter((s) => s !== server));
  }
  state.buffered[server] = 0;
  out.push(fx.trace('broker/subscriberCutOff', { server, bufferedBytes, limitBytes: state.config.outputBufferLimitBytes }));
  out.push(fx.send<WireMsg>(server, { type: 'cutOff' }, 8));
}

function kafka(state: BrokerState, from: string, msg: WireMsg, out: Fx): void {
  switch (msg.type) {
    case 'pub': {
      const p = partitionOf(msg.topic, state.config.partitions);
      const log = state.logs[p] as { base: number; records: ChatMessage[] };
      const offset = log.base + log.records.length;
      log.records.push(msg.message);
      // Retention: the oldest records go; a consumer behind them loses them.
      while (log.records.length > state.config.retentionMessages) {
        log.records.shift();
        log.base++;
      }
      out.push(fx.trace('broker/appended', { topic: msg.topic, partition: p, offset, id: msg.message.id, logStartOffset: log.base }));
      for (const [server, parts] of Object.entries(state.consumers)) if (parts[p] !== undefined) pump(state, server, p, out);
      return;
    }
    case 'fetchFrom': {
      // A request older than one already acted on was overtaken on the way: acting on it would
      // bring back the smaller set the server has since replaced.
      if (msg.epoch <= (state.fetchEpochs[from] ?? 0)) return;
      state.fetchEpochs[from] = msg.epoch;
      const parts = (state.consumers[from] ??= {});
      const wanted = new Set(msg.partitions);
      for (const p of Object.keys(parts).map(Number)) {
        if (!wanted.has(p)) {
          delete parts[p];
          out.push(fx.trace('broker/unsubscribed', { server: from, topic: `partition-${p}` }));
        }
      }
      for (const p of msg.partitions) {
        const log = state.logs[p];
        if (log === undefined) continue;
        const existing = parts[p];
        if (existing === undefined) {
          // A new consumer starts at the end of the log: it wants what is published from now on.
          parts[p] = { next: log.base + log.records.length, inflight: false };
          out.push(fx.trace('broker/subscribed', { server: from, topic: `partition-${p}` }));
        } else {
          // A consumer that fetches again (after its own restart) resumes from its committed offset.
          existing.inflight = false;
        }
        pump(state, from, p, out);
      }
      return;
    }
    case 'commit': {
      const c = state.consumers[from]?.[msg.partition];
      if (c === undefined) return;
      c.next = Math.max(c.next, msg.offset);
      c.inflight = false;
      const log = state.logs[msg.partition] as { base: number; records: ChatMessage[] };
      out.push(fx.trace('broker/consumerLagged', { server: from, partition: msg.partition, lag: log.base + log.records.length - c.next }));
      pump(state, from, msg.partition, out);
      return;
    }
    default:
      return;
  }
}

/** Sends the next batch of records to a consumer if it has none in flight and is behind. */
function pump(state: BrokerState, server: string, p: number, out: Fx): void {
  const c = state.consumers[server]?.[p];
  const log = state.logs[p];
  if (c === undefined || log === undefined || c.inflight) return;
  if (c.next < log.base) c.next = log.base; // retention passed it: those records are gone
  const end = log.base + log.records.length;
  if (c.next >= end) return;
  const upTo = Math.min(end, c.next + state.config.fetchMaxRecords);
  const records = [];
  for (let o = c.next; o < upTo; o++) records.push({ offset: o, message: log.records[o - log.base] as ChatMessage });
  c.inflight = true;
  out.push(fx.send<WireMsg>(server, { type: 'records', partition: p, records }, records.reduce((s, r) => s + messageBytes(r.message), 16)));
}
