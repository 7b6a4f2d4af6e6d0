/**
 * A WebSocket server. It holds the connection state of the users connected to it: the
 * user → connection map and the channel → local members map (the lab's two hash maps), a
 * per-connection send queue with a byte cap (a slow consumer is disconnected), and its broker
 * subscriptions — only for channels with local members (interest-based routing) or for
 * everything (the naive broadcast, to compare). Without a broker it calls other servers directly,
 * found through the user → server directory. Outgoing server traffic can be batched in windows
 * with a randomized offset (design 001). Its single event loop is the node's CPU model.
 */
import { fx, type Effect, type NodeBehavior, type NodeContext } from '../core/node.ts';
import { isDataCall, type ChatMessage, type ClientFrame, type DataCalls, type DisconnectReason, type ReplyRef, type ServerFrame, type Transport, type WireMsg } from '../contract/index.ts';
import { createSlot, decide, decisionTrace, keyOf, rateLimitedMessage, type LimiterSlot, type RateLimitConfig } from './rateLimit.ts';
import { NODE, isDirectFrame, messageBytes, partitionOf, postsEveryFrame } from './protocol.ts';
import { verifyToken } from './auth.ts';
import { sampleUs, type DistSpec } from '../core/dist.ts';

/** WebSocket server configuration. */
export interface WsServerConfig {
  readonly broker: 'redis' | 'kafka' | 'none';
  readonly routing: 'interest' | 'broadcast';
  readonly partitions: number;
  readonly drainReportBytes: number;
  readonly sendQueueLimitBytes: number;
  readonly batchWindowMs: number;
  readonly batchOffsetMaxMs: number;
  readonly delivery: 'at-most-once' | 'at-least-once';
  readonly ackTimeoutMs: number;
  /** How often the server pings the broker, and how long it waits for an answer. */
  readonly brokerPingIntervalMs: number;
  readonly brokerPingTimeoutMs: number;
  /** Report connects, disconnects and heartbeats to the presence service. */
  readonly presence: boolean;
  /** Keep the user → server directory up to date (always on without a broker). */
  readonly mapping: boolean;
  /** Channels members poll instead of receiving pushes: no subscription, no fan-out. */
  readonly pulledChannels: readonly string[];
  /** A blocking handler on this server: every Nth client send takes this long (null: none). */
  readonly blocking: { readonly everyNth: number; readonly durationMs: number } | null;
  /** The clients' transport; long polling changes how frames reach them. */
  readonly transport: Transport;
  /** Data calls as their own HTTP/1.1 requests: each answer is that request's response (ADR 0017). */
  readonly dataCalls?: DataCalls;
  /** Long polling: how long a poll is held before an empty answer. */
  readonly pollTimeoutMs: number;
  /** A connection the client has said nothing on for this long is closed (0: never). */
  readonly idleTimeoutMs: number;
  /**
   * Stateless: sessions live in the external store and the channel → connections routing is
   * looked up there for every message (servers receive everything and ask who should get it).
   */
  readonly stateless: boolean;
  /**
   * Connections already open when the run starts (a warm start, for runs with a million users):
   * users, their client addresses and channels, in parallel arrays.
   */
  readonly warm?: { readonly users: readonly string[]; readonly clients: readonly string[]; readonly channels: readonly (readonly string[])[] };
  /** Rate limiting in this server ('ws-server'), or by asking the dedicated service ('service'). */
  readonly rateLimit?: RateLimitConfig;
  /** With the service: how long to wait for its verdict, and whether to let a send through without one. */
  readonly limiterTimeoutMs: number;
  readonly limiterFailOpen: boolean;
  /** The auth service's signing key: every connect's token is verified here, locally (ADR 0013). */
  readonly signingKey: string;
  /** No broker: the costs and limits of the direct HTTP calls to other servers (ADR 0022). */
  readonly serverCalls?: ServerCallsConfig;
}

/** No broker: how this server calls the others (the scenario's `serverCalls`, ADR 0022). */
export interface ServerCallsConfig {
  readonly poolSize: number;
  readonly queueMax: number;
  readonly timeoutMs: number;
  readonly requestCpuUs: number;
  readonly connectCpuUs: number;
  readonly headerBytes: number;
  /** The server's own per-input CPU distribution, drawn for an input that also makes calls. */
  readonly cpuServiceTime: DistSpec;
}

/** One outbound call: deliver `message` to `users` on `target`. */
interface ServerCall {
  readonly id: number;
  readonly target: string;
  readonly message: ChatMessage;
  readonly users: readonly string[];
}

/** No broker: the outbound calls in flight (at most the pool), those waiting, and the open connections. */
interface ServerCalls {
  inflight: Record<number, ServerCall>;
  inflightN: number;
  waiting: ServerCall[];
  /** Targets with a kept-alive connection; a call to another pays a new connection first. */
  open: Record<string, true>;
}

interface Connection {
  readonly client: string;
  channels: readonly string[];
  ready: boolean;
  downlinkBytesPerMs: number;
  backlogBytes: number;
  backlogAt: number;
  /** At-least-once: deliveries not yet acknowledged, id → [message, sent at, attempts] (null until the first). */
  unacked: Record<string, [ChatMessage, number, number]> | null;
  /** Long polling: a poll is held (since when, or -1), and frames waiting for the next one. */
  pollHeldSince: number;
  pending: ServerFrame[] | null;
  /** When the client last sent anything on this connection (for the idle timeout). */
  lastHeardAt: number;
  /** Channels joined mid-run under `since-join` history: nothing stamped before this reaches the user. */
  visibleFrom?: Record<string, number>;
  /** Presence queries made over HTTP still waiting for their answer (`dataCalls: 'http'`). */
  httpQueries?: number;
}

/** The user a client address names (`c-u3`, or `fleet-2#u3` for a fleet): addresses encode the user. */
function userKeyOf(client: string): string | undefined {
  const hash = client.indexOf('#');
  return hash >= 0 ? client.slice(hash + 1) : client.startsWith('c-') ? client.slice(2) : undefined;
}

/**
 * The user's connection here when `client` holds it (one map lookup: this runs for every frame of
 * a million users), so no second map from addresses is kept.
 */
function connAt(state: WsServerState, user: string, client: string): Connection | undefined {
  const conn = state.conns[user];
  return conn !== undefined && conn.client === client ? conn : undefined;
}

/** The user behind a client address, if that address holds the user's current connection here. */
function userOf(state: WsServerState, client: string): string | undefined {
  const user = userKeyOf(client);
  return user !== undefined && connAt(state, user, client) !== undefined ? user : undefined;
}

/** WebSocket server state. */
export interface WsServerState {
  readonly config: WsServerConfig;
  /** user → connection. */
  conns: Record<string, Connection>;
  /** channel → users connected here. */
  local: Record<string, string[]>;
  /** Broker topics (Redis-like) or partitions (Kafka-like, as strings) subscribed. */
  subscribed: Record<string, true>;
  undrainedBytes: number;
  batches: Record<string, WireMsg[]>;
  batchOffsetMs: number;
  flushArmed: boolean;
  dirReq: number;
  /** The broker connection as this server believes it to be. */
  brokerUp: boolean;
  brokerPingN: number;
  brokerPongN: number;
  brokerPongAt: number;
  /** When this incarnation booted; the gateway notices a restart by it. */
  bootAt: number;
  /** Client sends seen, for the blocking-handler pitfall. */
  sendsSeen: number;
  /** The time of the input being handled (for long-poll bookkeeping). */
  now: number;
  limiter: LimiterSlot | null;
  /** Sends waiting for the limiter service's verdict. */
  awaitingVerdict: Record<number, { user: string; client: string; clientMsgId: string; channel: string; text: string; replyTo?: ReplyRef | undefined }>;
  rlReq: number;
  /**
   * The counter of this server's requests whose order matters (a Kafka-like `fetchFrom`, session
   * writes), kept across restarts: links in the back end may reorder them, and the receiver acts
   * on the newest only.
   */
  requestEpoch: number;
  /** Told to drain (`removeServer`, ADR 0014): every connection was closed and new ones are refused. */
  draining: boolean;
  /** No broker: the outbound call pool, made on the first call. */
  calls?: ServerCalls;
  /**
   * A time no connection here was last heard from before (a lower bound of every `lastHeardAt`):
   * the smallest one left after the last idle sweep, since a connection's `lastHeardAt` only
   * grows and a new one starts at the current time. While `now - idleFloor` is within the idle
   * timeout no connection can be idle, and the sweep skips its walk over every connection.
   */
  idleFloor: number;
}

type Fx = Effect<WireMsg, unknown>[];

const ALL = '*';

export const wsServer: NodeBehavior<WsServerState, WireMsg, unknown, WsServerConfig> = {
  kind: 'ws-server',
  init: (config, ctx, durable) => {
    const state: WsServerState = {
      config,
      conns: {},
      local: {},
      subscribed: {},
      undrainedBytes: 0,
      batches: {},
      batchOffsetMs: config.batchOffsetMaxMs > 0 ? ctx.rng.intBetween(0, config.batchOffsetMaxMs) : 0,
      flushArmed: false,
      dirReq: 0,
      brokerUp: true,
      brokerPingN: 0,
      brokerPongN: 0,
      brokerPongAt: 0,
      bootAt: 0,
      sendsSeen: 0,
      now: 0,
      limiter: config.rateLimit?.placement === 'ws-server' ? createSlot(config.rateLimit) : null,
      awaitingVerdict: {},
      rlReq: 0,
      requestEpoch: (durable as { requestEpoch?: number } | undefined)?.requestEpoch ?? 0,
      draining: false,
      idleFloor: 0,
    };
    // A warm start opens its connections only on the first boot; after a crash they are gone.
    const w = config.warm;
    if (w !== undefined && durable === undefined) {
      const ignore: Fx = [];
      for (let i = 0; i < w.users.length; i++) {
        const user = w.users[i] as string;
        const client = w.clients[i] as string;
        const channels = w.channels[i] as readonly string[];
        state.conns[user] = { client, channels, ready: true, downlinkBytesPerMs: 0, backlogBytes: 0, backlogAt: 0, unacked: null, pollHeldSince: -1, pending: null, lastHeardAt: 0 };
        // Subscriptions are sent together when the server starts (see 'started').
        for (const ch of channels) addLocal(state, ch, user, ignore, true);
      }
    }
    return state;
  },
  // Remembers that this server has booted before, so a restart does not reopen warm connections,
  // and its request counter, so requests after a restart are newer than any still in flight.
  durable: (state) => ({ booted: true, requestEpoch: state.requestEpoch }),
  // The blocking-handler pitfall: a synchronous call inside the send handler holds the event
  // loop, so every input queued behind it on this server waits — pings, deliveries, everything.
  serviceTimeMs(state, input, ctx) {
    // No broker: the input that makes the calls to other servers pays per call (ADR 0022).
    const calling = callingServiceMs(state, input, ctx);
    if (calling !== undefined) return calling;
    const b = state.config.blocking;
    if (b === null || input.type !== 'message' || input.msg.type !== 'fromClient' || input.msg.frame.type !== 'send') return undefined;
    state.sendsSeen++;
    return state.sendsSeen % b.everyNth === 0 ? b.durationMs : undefined;
  },
  // With worker queues (ADR 0016) a client connection's frames are one key, served in order by
  // one worker at a time; everything else (timers, broker and back-end traffic) is the server's own.
  workKey: (_state, input) => (input.type === 'message' && input.msg.type === 'fromClient' ? input.msg.client : undefined),
  handle(state, now, input, ctx) {
    const out: Fx = [];
    const c = state.config;
    state.now = now;
    if (input.type === 'started') {
      state.bootAt = now;
      // Warm connections subscribe in one batch, as a server resubscribing its channels would.
      const topics = Object.keys(state.subscribed);
      // (A Redis-like broker starts with the warm subscriptions installed; see BrokerConfig.warmSubs.)
      if (!input.restart && topics.length > 0 && c.routing === 'interest' && c.broker === 'kafka') {
        fetchFrom(state, topics.map(Number), out);
      }
      // Broadcast routing: this server takes every message and filters locally.
      if (c.routing === 'broadcast') subscribeAll(state, out);
      if (c.delivery === 'at-least-once') out.push(fx.setTimer('rtx', rtxCheckMs(c)));
      if (c.idleTimeoutMs > 0) out.push(fx.setTimer('idle', idleSweepMs(c)));
      if (c.broker !== 'none') {
        state.brokerPongAt = now;
        out.push(fx.setTimer('brokerPing', c.brokerPingIntervalMs));
      }
      return { state, effects: out };
    }
    if (input.type === 'timer') {
      if (input.timerId === 'flush') flush(state, out);
      else if (input.timerId === 'idle') {
        closeIdle(state, now, out);
        out.push(fx.setTimer('idle', idleSweepMs(c)));
      }
      else if (input.timerId.startsWith('rl:')) {
        // The limiter service did not answer: fail open (let it through) or closed (refuse).
        const reqId = input.payload as number;
        const waiting = state.awaitingVerdict[reqId];
        if (waiting !== undefined) {
          delete state.awaitingVerdict[reqId];
          out.push(fx.trace('ws/limiterUnavailable', { user: waiting.user, failOpen: c.limiterFailOpen }));
          if (c.limiterFailOpen) emit(state, now, NODE.chat, submitOf(waiting.user, waiting), out);
          else refuse(state, waiting.client, waiting.clientMsgId, waiting.channel, 'the rate limiter is unavailable', null, out, 'UNAVAILABLE');
        }
      } else if (input.timerId.startsWith('poll:')) {
        // A poll held long enough: answer it empty so that proxies do not time it out.
        const user = input.timerId.slice(5);
        const conn = state.conns[user];
        if (conn !== undefined && conn.pollHeldSince >= 0) answerPoll(state, user, conn, out);
      }
      else if (input.timerId === 'brokerPing') {
        // Like a Redis client's keep-alive: no answer for a while means the connection is gone.
        if (state.brokerUp && now - state.brokerPongAt > c.brokerPingTimeoutMs) {
          state.brokerUp = false;
          out.push(fx.trace('ws/brokerConnectionLost', { reason: 'pingTimeout' }));
        }
        state.brokerPingN++;
        out.push(fx.control<WireMsg>(NODE.broker, { type: 'brokerPing', n: state.brokerPingN }, 16));
        out.push(fx.setTimer('brokerPing', c.brokerPingIntervalMs));
      }
      else if (input.timerId.startsWith('call:')) callTimedOut(state, now, input.payload as number, out);
      else if (input.timerId === 'rtx') {
        retransmit(state, now, out);
        out.push(fx.setTimer('rtx', rtxCheckMs(c)));
      }
      return { state, effects: out };
    }
    onMessage(state, now, input.from, input.msg, out, ctx);
    return { state, effects: out };
  },
};

function onMessage(state: WsServerState, now: number, from: string, msg: WireMsg, out: Fx, ctx: NodeContext): void {
  switch (msg.type) {
    case 'batch': {
      // A batch of calls from another server is one HTTP request, answered once for all of them.
      const callIds: number[] = [];
      const ids: string[] = [];
      for (const item of msg.items) {
        if (item.type === 'direct') {
          deliverLocal(state, now, item.message, item.users, out);
          callIds.push(item.callId);
          ids.push(item.message.id);
        } else onMessage(state, now, from, item, out, ctx);
      }
      if (callIds.length > 0) answerCalls(state, from, callIds, ids, out);
      return;
    }
    case 'health':
      out.push(fx.control<WireMsg>(from, { type: 'healthOk', n: msg.n, bootAt: state.bootAt }, 16));
      return;
    case 'drain':
      if (from === 'operator' && !state.draining) drain(state, out);
      return;
    case 'fromClient':
      onClientFrame(state, now, msg.client, msg.frame, out);
      return;
    case 'connClosed': {
      const user = userOf(state, msg.client);
      if (user !== undefined) closeConn(state, user, 'gatewayDropped', out);
      return;
    }
    case 'chat/sessionInfo': {
      const conn = state.conns[msg.user];
      if (conn === undefined || conn.ready) return;
      if (msg.visibleFrom !== undefined) conn.visibleFrom = { ...msg.visibleFrom };
      if (state.config.stateless) putSession(state, msg.user, conn, msg.channels, out);
      makeReady(state, msg.user, conn, msg.channels, 'database', out, ctx);
      return;
    }
    case 'store/got': {
      const conn = state.conns[msg.user];
      if (conn === undefined || conn.ready) return;
      if (msg.channels === null) {
        // No session anywhere yet: load it once from the database.
        out.push(fx.send<WireMsg>(NODE.chat, { type: 'chat/session', user: msg.user }, 32));
        return;
      }
      if (msg.visibleFrom !== undefined) conn.visibleFrom = { ...msg.visibleFrom };
      putSession(state, msg.user, conn, msg.channels, out);
      makeReady(state, msg.user, conn, msg.channels, 'store', out, ctx);
      return;
    }
    case 'store/membersOf':
      deliverLocal(state, now, msg.message, msg.users, out);
      return;
    case 'chat/accepted': {
      const conn = state.conns[msg.user];
      const m = msg.message;
      if (conn !== undefined) toClient(state, conn.client, { type: 'sendAck', clientMsgId: m.clientMsgId, channel: m.channel, id: m.id, seq: m.seq }, out);
      // No broker: this server fans the message out itself, one direct call per server.
      if (msg.members !== null) {
        deliverLocal(state, now, m, null, out);
        const remote = msg.members.filter((u) => !localMembers(state, m.channel).includes(u));
        if (remote.length > 0) {
          state.dirReq++;
          out.push(fx.send<WireMsg>(NODE.directory, { type: 'dir/lookup', reqId: state.dirReq, users: remote, message: m }, 32 + remote.length * 8));
        }
      }
      return;
    }
    case 'chat/rejected': {
      const conn = state.conns[msg.user];
      if (conn !== undefined) toClient(state, conn.client, { type: 'sendError', clientMsgId: msg.clientMsgId, channel: msg.channel, code: msg.code, message: msg.reason }, out);
      return;
    }
    case 'chat/membershipDone': {
      const conn = state.conns[msg.user];
      if (conn === undefined) return;
      if (msg.error === undefined) {
        if (msg.visibleFromMs > 0) (conn.visibleFrom ??= {})[msg.channel] = msg.visibleFromMs;
        setChannel(state, msg.user, conn, msg.channel, msg.action === 'join', out);
      }
      const done: ServerFrame = { type: 'membershipDone', channel: msg.channel, action: msg.action, afterSeq: msg.afterSeq, afterId: msg.afterId };
      toClient(state, conn.client, msg.error === undefined ? done : { ...done, error: msg.error }, out);
      return;
    }
    case 'db/historyResult': {
      const conn = state.conns[msg.user];
      // Every history page answers a history request: over HTTP, as that request's response.
      if (conn !== undefined) toClient(state, conn.client, { type: 'historyPage', channel: msg.channel, afterSeq: msg.afterSeq, messages: msg.messages }, out, state.config.dataCalls === 'http');
      return;
    }
    case 'msg': {
      if (state.config.stateless) out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/members', message: msg.message }, messageBytes(msg.message)));
      else deliverLocal(state, now, msg.message, null, out);
      // Tell the broker how much was consumed, as TCP window updates would.
      state.undrainedBytes += messageBytes(msg.message);
      if (state.undrainedBytes >= state.config.drainReportBytes) {
        out.push(fx.send<WireMsg>(NODE.broker, { type: 'drained', bytes: state.undrainedBytes }, 16));
        state.undrainedBytes = 0;
      }
      return;
    }
    case 'cutOff':
      // The broker dropped our connection (too slow a reader, or it restarted): every
      // subscription is gone and messages were lost. Reconnect at once.
      out.push(fx.trace('ws/brokerConnectionLost', { reason: 'cutOff' }));
      restoreBroker(state, out);
      return;
    case 'brokerPong': {
      // A pong that skips numbers means pings were lost, and whatever the broker pushed in that
      // window may have been lost with them: treat it as a blip of the connection.
      const skipped = msg.n > state.brokerPongN + 1;
      state.brokerPongN = Math.max(state.brokerPongN, msg.n);
      state.brokerPongAt = now;
      if (state.brokerUp && skipped) out.push(fx.trace('ws/brokerConnectionLost', { reason: 'pingLost' }));
      if (!state.brokerUp || skipped) restoreBroker(state, out);
      return;
    }
    case 'records': {
      let last = -1;
      for (const r of msg.records) {
        last = r.offset;
        if (state.config.stateless) out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/members', message: r.message }, messageBytes(r.message)));
        else if (localMembers(state, r.message.channel).length > 0) deliverLocal(state, now, r.message, null, out);
      }
      if (last >= 0) out.push(fx.send<WireMsg>(NODE.broker, { type: 'commit', partition: msg.partition, offset: last + 1 }, 24));
      return;
    }
    case 'dir/found':
      for (const { server, users } of msg.servers) {
        if (server === ctx.id) deliverLocal(state, now, msg.message, users, out);
        else call(state, now, { id: ++state.requestEpoch, target: server, message: msg.message, users }, out);
      }
      return;
    case 'direct':
      deliverLocal(state, now, msg.message, msg.users, out);
      answerCalls(state, from, [msg.callId], [msg.message.id], out);
      return;
    case 'directOk':
      for (const id of msg.callIds) callDone(state, now, id, out);
      return;
    case 'rl/verdict': {
      const waiting = state.awaitingVerdict[msg.reqId];
      if (waiting === undefined) return; // it timed out and was already decided
      delete state.awaitingVerdict[msg.reqId];
      out.push(fx.cancelTimer(`rl:${msg.reqId}`));
      if (msg.allowed) emit(state, now, NODE.chat, submitOf(waiting.user, waiting), out);
      else refuse(state, waiting.client, waiting.clientMsgId, waiting.channel, rateLimitedMessage(state.config.rateLimit as RateLimitConfig, msg.retryAfterMs), msg.retryAfterMs, out);
      return;
    }
    case 'presence/deliver':
      for (const user of msg.recipients) {
        const conn = state.conns[user];
        if (conn === undefined || !conn.ready) continue;
        // The answer to a presence query made over HTTP is that request's response.
        const answersQuery = msg.frame.type === 'presence' && (conn.httpQueries ?? 0) > 0;
        if (answersQuery) conn.httpQueries = (conn.httpQueries as number) - 1;
        toClient(state, conn.client, msg.frame, out, answersQuery);
      }
      return;
    default:
      return;
  }
}

/** Answers a send with an error instead of forwarding it. */
function refuse(state: WsServerState, client: string, clientMsgId: string, channel: string, message: string, retryAfterMs: number | null, out: Fx, code: 'RATE_LIMITED' | 'UNAVAILABLE' = 'RATE_LIMITED'): void {
  toClient(state, client, { type: 'sendError', clientMsgId, channel, code, message, ...(retryAfterMs === null ? {} : { retryAfterMs }) }, out);
}

/** A connection's session is loaded: subscribe, register, tell the client it is connected. */
function makeReady(state: WsServerState, user: string, conn: Connection, channels: readonly string[], source: 'database' | 'store', out: Fx, ctx: NodeContext): void {
  conn.channels = channels;
  conn.ready = true;
  for (const ch of channels) addLocal(state, ch, user, out);
  if (state.config.mapping) out.push(fx.send<WireMsg>(NODE.directory, { type: 'dir/register', user }, 32));
  if (state.config.presence) out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/connected', user }, 32));
  out.push(fx.trace('ws/sessionReady', { user, source }));
  toClient(state, conn.client, { type: 'connected', server: ctx.id }, out);
}

/**
 * After the broker connection came back: subscribe again to everything, and — because a Redis-like
 * broker kept nothing for us while we were gone — tell every local client to catch up from
 * history (Centrifugo disconnects with "insufficient state" for the same reason). A Kafka-like
 * consumer resumes from its committed offset instead, so its clients miss nothing.
 */
function restoreBroker(state: WsServerState, out: Fx): void {
  const c = state.config;
  state.brokerUp = true;
  state.undrainedBytes = 0;
  // Personal channels are subscribed without being recorded (see addLocal): list them from the connections.
  const keys = [...Object.keys(state.subscribed), ...(c.routing === 'interest' && c.broker === 'redis' ? Object.entries(state.conns).filter(([u, conn]) => conn.channels.includes(`p:${u}`)).map(([u]) => `p:${u}`) : [])];
  if (c.broker === 'redis' && keys.length > 0) out.push(fx.send<WireMsg>(NODE.broker, { type: 'sub', topics: keys }, 16 + keys.length * 16));
  if (c.broker === 'kafka' && keys.length > 0) fetchFrom(state, keys.map(Number), out);
  let resynced = 0;
  if (c.broker === 'redis') {
    for (const conn of Object.values(state.conns)) {
      if (!conn.ready) continue;
      resynced++;
      toClient(state, conn.client, { type: 'resync' }, out);
    }
  }
  out.push(fx.trace('ws/brokerConnectionRestored', { topics: keys.length, clientsResynced: resynced }));
}

function onClientFrame(state: WsServerState, now: number, client: string, frame: ClientFrame, out: Fx): void {
  if (frame.type === 'connect') {
    // Stateless verification: the signature, the expiry against virtual time, and that the token
    // is this user's and bound to this client address (which the gateway stamped, not the client).
    const refusal = verifyToken(state.config.signingKey, frame.token, frame.user, client, now);
    if (refusal !== null) {
      out.push(fx.trace('auth/tokenRefused', { user: frame.user, client, reason: refusal }));
      toClient(state, client, { type: 'authError', phase: 'connect', reason: refusal }, out);
      return;
    }
    if (state.draining) {
      // A connect the gateway routed here just before it heard of the drain: refuse it, so the
      // client reconnects to a server that stays.
      toClient(state, client, { type: 'closed', reason: 'serverDraining' }, out);
      return;
    }
    if (state.conns[frame.user] !== undefined) closeConn(state, frame.user, 'gatewayDropped', out);
    state.conns[frame.user] = { client, channels: [], ready: false, downlinkBytesPerMs: frame.downlinkBytesPerMs, backlogBytes: 0, backlogAt: now, unacked: null, pollHeldSince: -1, pending: null, lastHeardAt: now };
    out.push(fx.trace('ws/connectionOpened', { user: frame.user, connections: Object.keys(state.conns).length }));
    // Load the session (the user's channels) before accepting traffic: from the external store
    // when stateless, else through the chat service from the database.
    if (state.config.stateless) out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/get', user: frame.user }, 32));
    else out.push(fx.send<WireMsg>(NODE.chat, { type: 'chat/session', user: frame.user }, 32));
    return;
  }
  const user = userKeyOf(client);
  const conn = user === undefined ? undefined : connAt(state, user, client);
  if (user === undefined || conn === undefined) {
    if (frame.type !== 'bye') toClient(state, client, { type: 'closed', reason: 'serverCrashed' }, out);
    return;
  }
  conn.lastHeardAt = now;
  // With SSE and long polling every client → server message is its own HTTP POST, which gets an
  // HTTP response of its own (a ping's response is its pong, a poll is held). A data call made
  // over HTTP gets its answer as its response instead (ADR 0017).
  const httpCall = state.config.dataCalls === 'http' && isDataCall(frame);
  if (postsEveryFrame(state.config.transport) && !httpCall && frame.type !== 'ping' && frame.type !== 'poll' && frame.type !== 'bye') {
    toClient(state, client, { type: 'httpOk' }, out);
  }
  if (httpCall && frame.type === 'presenceQuery') conn.httpQueries = (conn.httpQueries ?? 0) + 1;
  switch (frame.type) {
    case 'poll':
      if (conn.pending !== null && conn.pending.length > 0) {
        conn.pollHeldSince = now;
        answerPoll(state, user, conn, out);
      } else {
        conn.pollHeldSince = now;
        out.push(fx.setTimer(`poll:${user}`, state.config.pollTimeoutMs));
      }
      return;
    case 'send': {
      const rl = state.config.rateLimit;
      if (state.limiter !== null) {
        const { decision, data } = decide(state.limiter, keyOf(state.limiter.config, user), now);
        if (data !== null) out.push(decisionTrace(data, decision?.allowed ?? true));
        if (decision !== null && !decision.allowed) {
          refuse(state, client, frame.clientMsgId, frame.channel, rateLimitedMessage(state.limiter.config, decision.retryAfterMs), decision.retryAfterMs, out);
          return;
        }
      } else if (rl?.placement === 'service') {
        // Ask the dedicated limiter first: one more hop, and a verdict that may never come.
        state.rlReq++;
        state.awaitingVerdict[state.rlReq] = { user, client, clientMsgId: frame.clientMsgId, channel: frame.channel, text: frame.text, replyTo: frame.replyTo };
        out.push(fx.send<WireMsg>(NODE.limiter, { type: 'rl/check', reqId: state.rlReq, user }, 32));
        out.push(fx.setTimer(`rl:${state.rlReq}`, state.config.limiterTimeoutMs, state.rlReq));
        return;
      }
      emit(state, now, NODE.chat, submitOf(user, frame), out);
      return;
    }
    case 'ack':
      if (conn.unacked !== null) delete conn.unacked[frame.id];
      return;
    case 'history':
      out.push(fx.send<WireMsg>(NODE.chat, { type: 'chat/history', user, channel: frame.channel, afterSeq: frame.afterSeq }, 48));
      return;
    case 'ping':
      toClient(state, client, { type: 'pong', n: frame.n }, out);
      if (state.config.presence) out.push(fx.control<WireMsg>(NODE.presence, { type: 'presence/beat', user }, 24));
      return;
    case 'presenceSub':
      if (state.config.presence) out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/sub', user, users: frame.users }, 32 + frame.users.length * 8));
      return;
    case 'presenceQuery':
      if (state.config.presence) out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/query', user, users: frame.users }, 32 + frame.users.length * 8));
      return;
    case 'typing':
      if (state.config.presence) out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/typing', user, channel: frame.channel }, 32));
      return;
    case 'membership':
      // A leave is revoked here at once (nothing more of the channel reaches the user from this
      // server, whatever the chat service is still sequencing); a join waits for its confirmation.
      if (frame.action === 'leave') setChannel(state, user, conn, frame.channel, false, out);
      out.push(fx.send<WireMsg>(NODE.chat, { type: 'chat/membership', user, channel: frame.channel, action: frame.action }, 48));
      return;
    case 'bye':
      closeConn(state, user, 'wentOffline', out);
      return;
  }
}

/**
 * Sends a frame to a client. With long polling, a push (a delivery, an ack, a history page) can
 * only travel as the answer to a held poll: it waits in the connection's buffer until there is one.
 */
function toClient(state: WsServerState, client: string, frame: ServerFrame, out: Fx, httpResponse = false): void {
  if (httpResponse) {
    // The response to a data call's own HTTP request: never on the stream, never behind a poll.
    out.push(fx.send<WireMsg>(NODE.gateway, { type: 'toClient', client, frame, http: true }, 48));
    return;
  }
  if (state.config.transport === 'long-polling' && !isDirectFrame(frame)) {
    const user = userKeyOf(client);
    const conn = user === undefined ? undefined : connAt(state, user, client);
    if (user !== undefined && conn !== undefined) {
      (conn.pending ??= []).push(frame);
      if (conn.pollHeldSince >= 0) answerPoll(state, user, conn, out);
      return;
    }
  }
  const msg: WireMsg = { type: 'toClient', client, frame };
  out.push(frame.type === 'pong' ? fx.control<WireMsg>(NODE.gateway, msg, 48) : fx.send<WireMsg>(NODE.gateway, msg, frame.type === 'deliver' ? messageBytes(frame.message) : 48));
}

/** Answers a held poll with everything buffered. */
function answerPoll(state: WsServerState, user: string, conn: Connection, out: Fx): void {
  const frames = conn.pending ?? [];
  conn.pending = null;
  // Rounded to the µs: a difference of two µs-exact ms values can carry float noise.
  out.push(fx.trace('ws/pollAnswered', { user, frames: frames.length, heldMs: Math.round((state.now - conn.pollHeldSince) * 1000) / 1000 }));
  conn.pollHeldSince = -1;
  out.push(fx.cancelTimer(`poll:${user}`));
  out.push(fx.send<WireMsg>(NODE.gateway, { type: 'toClient', client: conn.client, frame: { type: 'pollResponse', frames } }, 48 + frames.reduce((n, f) => n + (f.type === 'deliver' ? messageBytes(f.message) : 48), 0)));
}

/** Pushes a message to local connections: every local member, or only `only`. */
function deliverLocal(state: WsServerState, now: number, m: ChatMessage, only: readonly string[] | null, out: Fx): void {
  const members = only ?? localMembers(state, m.channel);
  let recipients = 0;
  const bytes = messageBytes(m);
  for (const user of members) {
    const conn = state.conns[user];
    if (conn === undefined || !conn.ready) continue;
    // Only members see a channel's messages: a server never trusts a caller's user list blindly.
    if (!conn.channels.includes(m.channel)) continue;
    // Sequenced before the user joined, and still on its way: not theirs to read (`since-join`).
    if (conn.visibleFrom !== undefined && m.sentAtMs < (conn.visibleFrom[m.channel] ?? 0)) continue;
    if (overflows(state, conn, now, bytes)) {
      out.push(fx.trace('ws/slowConsumerDisconnected', { user, queuedBytes: conn.backlogBytes, limitBytes: state.config.sendQueueLimitBytes }));
      toClient(state, conn.client, { type: 'closed', reason: 'slowConsumer' }, out);
      closeConn(state, user, 'slowConsumer', out);
      continue;
    }
    recipients++;
    if (state.config.delivery === 'at-least-once') (conn.unacked ??= {})[m.id] = [m, now, 1];
    toClient(state, conn.client, { type: 'deliver', message: m }, out);
  }
  out.push(fx.trace('ws/fannedOut', { id: m.id, channel: m.channel, recipients }));
}

/**
 * The per-connection send queue as a fluid: it drains at the client's downlink rate and fills
 * with every frame. Past the byte cap the client is too slow to keep, so it is disconnected.
 */
function overflows(state: WsServerState, conn: Connection, now: number, bytes: number): boolean {
  if (conn.downlinkBytesPerMs <= 0) return false;
  conn.backlogBytes = Math.max(0, conn.backlogBytes - (now - conn.backlogAt) * conn.downlinkBytesPerMs) + bytes;
  conn.backlogAt = now;
  return conn.backlogBytes > state.config.sendQueueLimitBytes;
}

/**
 * How often unacknowledged deliveries are checked: a quarter of the ack timeout, so a lost frame
 * is resent at most 1.25 timeouts after it went out (one timer per server, not per delivery).
 */
function rtxCheckMs(c: WsServerConfig): number {
  return Math.max(100, Math.floor(c.ackTimeoutMs / 4));
}

function retransmit(state: WsServerState, now: number, out: Fx): void {
  const timeout = state.config.ackTimeoutMs;
  for (const conn of Object.values(state.conns)) {
    if (conn.unacked === null) continue;
    for (const [id, entry] of Object.entries(conn.unacked)) {
      const [m, at, attempts] = entry;
      if (now - at < timeout) continue;
      if (attempts >= 3) {
        delete conn.unacked[id];
        continue;
      }
      conn.unacked[id] = [m, now, attempts + 1];
      toClient(state, conn.client, { type: 'deliver', message: m }, out);
    }
  }
}

/** How often the idle sweep runs: a silent connection is closed within 1.5 idle timeouts. */
function idleSweepMs(c: WsServerConfig): number {
  return Math.max(1, Math.floor(c.idleTimeoutMs / 2));
}

/**
 * Closes every connection the client has said nothing on for the idle timeout: one whose client
 * died without a goodbye, or one the gateway forgot, would otherwise keep its user a local member
 * here, taking (and holding) their messages for ever. The client, if it is still there, is told.
 */
function closeIdle(state: WsServerState, now: number, out: Fx): void {
  const limit = state.config.idleTimeoutMs;
  // Every connection was heard from at idleFloor or later, so none is idle yet: the walk below
  // would close nothing. (A state without the field, from elsewhere, is walked.)
  if (now - state.idleFloor <= limit) return;
  let floor = now;
  // for…in, not Object.entries: a warm server holds fifty thousand connections.
  for (const user in state.conns) {
    const conn = state.conns[user] as Connection;
    if (now - conn.lastHeardAt <= limit) {
      if (conn.lastHeardAt < floor) floor = conn.lastHeardAt;
      continue;
    }
    toClient(state, conn.client, { type: 'closed', reason: 'idleTimeout' }, out);
    closeConn(state, user, 'idleTimeout', out);
  }
  state.idleFloor = floor;
}

/**
 * SIGTERM (ADR 0014): close every connection gracefully with `serverDraining`, so that clients
 * reconnect at once through the gateway (which no longer routes here), give up the broker's
 * broadcast feed, and refuse new connects until the node stops.
 */
function drain(state: WsServerState, out: Fx): void {
  state.draining = true;
  const c = state.config;
  let closed = 0;
  for (const user of Object.keys(state.conns)) {
    toClient(state, (state.conns[user] as Connection).client, { type: 'closed', reason: 'serverDraining' }, out);
    closeConn(state, user, 'serverDraining', out);
    closed++;
  }
  // Interest subscriptions went with the last local members (removeLocal); a broadcast feed did not.
  if (c.routing === 'broadcast' && c.broker === 'redis' && state.subscribed[ALL] === true) {
    delete state.subscribed[ALL];
    out.push(fx.send<WireMsg>(NODE.broker, { type: 'unsub', topics: [ALL] }, 32));
  } else if (c.routing === 'broadcast' && c.broker === 'kafka' && Object.keys(state.subscribed).length > 0) {
    state.subscribed = {};
    fetchFrom(state, [], out);
  }
  out.push(fx.trace('ws/draining', { connectionsClosed: closed }));
}

function closeConn(state: WsServerState, user: string, reason: DisconnectReason, out: Fx): void {
  const conn = state.conns[user];
  if (conn === undefined) return;
  delete state.conns[user];
  for (const ch of conn.channels) removeLocal(state, ch, user, out);
  if (state.config.mapping) out.push(fx.send<WireMsg>(NODE.directory, { type: 'dir/unregister', user }, 32));
  if (state.config.stateless) out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/remove', user, v: ++state.requestEpoch }, 32));
  if (state.config.presence) out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/disconnected', user }, 32));
  out.push(fx.trace('ws/connectionClosed', { user, reason, connections: Object.keys(state.conns).length }));
}

/**
 * The users connected here who are members of a channel. A personal channel (`p:<user>`) has one
 * member by definition, so it is not stored: with a million users that saves a million lists.
 */
function localMembers(state: WsServerState, channel: string): readonly string[] {
  if (channel.startsWith('p:')) {
    const user = channel.slice(2);
    return state.conns[user] !== undefined ? [user] : [];
  }
  return state.local[channel] ?? [];
}

/** Adds a channel to a connected user's session or removes it: subscriptions and the session store follow. */
function setChannel(state: WsServerState, user: string, conn: Connection, channel: string, member: boolean, out: Fx): void {
  if (conn.channels.includes(channel) === member) return;
  conn.channels = member ? [...conn.channels, channel] : conn.channels.filter((c) => c !== channel);
  if (!member && conn.visibleFrom !== undefined) delete conn.visibleFrom[channel];
  if (!conn.ready) return;
  if (member) addLocal(state, channel, user, out);
  else removeLocal(state, channel, user, out);
  if (state.config.stateless) putSession(state, user, conn, conn.channels, out);
}

/** Writes a user's session to the external store (stateless servers), with its since-join boundaries. */
function putSession(state: WsServerState, user: string, conn: Connection, channels: readonly string[], out: Fx): void {
  const put: WireMsg = { type: 'store/put', user, channels, v: ++state.requestEpoch };
  out.push(fx.send<WireMsg>(NODE.sessions, conn.visibleFrom === undefined ? put : { ...put, visibleFrom: conn.visibleFrom }, 32 + channels.length * 12));
}

function addLocal(state: WsServerState, channel: string, user: string, out: Fx, quiet = false): void {
  if (channel !== `p:${user}`) {
    const list = state.local[channel] ?? [];
    if (!list.includes(user)) list.push(user);
    state.local[channel] = list;
  }
  if (state.config.routing === 'interest' && !state.config.pulledChannels.includes(channel)) {
    const key = state.config.broker === 'kafka' ? String(partitionOf(channel, state.config.partitions)) : channel;
    // A Redis-like subscription to a personal channel is not recorded: it exists exactly while
    // its user is connected here (a million users, a million fewer entries).
    const personal = state.config.broker === 'redis' && channel === `p:${user}`;
    if (state.config.broker !== 'none' && (personal || state.subscribed[key] === undefined)) {
      if (!personal) state.subscribed[key] = true;
      if (quiet) return;
      if (state.config.broker === 'redis') out.push(fx.send<WireMsg>(NODE.broker, { type: 'sub', topics: [channel] }, 32));
      else fetchFrom(state, Object.keys(state.subscribed).map(Number), out);
    }
  }
}

function removeLocal(state: WsServerState, channel: string, user: string, out: Fx): void {
  if (channel !== `p:${user}`) {
    const list = (state.local[channel] ?? []).filter((u) => u !== user);
    if (list.length > 0) {
      state.local[channel] = list;
      return;
    }
    delete state.local[channel];
  }
  // The last local member left: stop receiving the channel (Redis-like). Kafka partitions are
  // shared by many channels, so a server keeps fetching until it has no channel in them.
  if (state.config.routing !== 'interest' || state.config.broker === 'none' || state.config.pulledChannels.includes(channel)) return;
  if (state.config.broker === 'redis') {
    if (channel !== `p:${user}`) delete state.subscribed[channel];
    out.push(fx.send<WireMsg>(NODE.broker, { type: 'unsub', topics: [channel] }, 32));
    return;
  }
  const p = partitionOf(channel, state.config.partitions);
  const stillUsed = Object.keys(state.local).some((ch) => partitionOf(ch, state.config.partitions) === p);
  if (!stillUsed) {
    delete state.subscribed[String(p)];
    fetchFrom(state, Object.keys(state.subscribed).map(Number), out);
  }
}

/**
 * Tells a Kafka-like broker the whole set of partitions this server consumes, with the next
 * epoch: the requests travel on back-end links that may overtake each other, and the broker acts
 * on the newest only (a stale, smaller set would otherwise cancel a subscription still in use).
 */
function fetchFrom(state: WsServerState, partitions: readonly number[], out: Fx): void {
  state.requestEpoch++;
  out.push(fx.send<WireMsg>(NODE.broker, { type: 'fetchFrom', partitions, epoch: state.requestEpoch }, 32));
}

function subscribeAll(state: WsServerState, out: Fx): void {
  const c = state.config;
  if (c.broker === 'redis') {
    state.subscribed[ALL] = true;
    out.push(fx.send<WireMsg>(NODE.broker, { type: 'sub', topics: [ALL] }, 32));
  } else if (c.broker === 'kafka') {
    for (let p = 0; p < c.partitions; p++) state.subscribed[String(p)] = true;
    fetchFrom(state, Array.from({ length: c.partitions }, (_, p) => p), out);
  }
}

/** Sends to another server or the chat service, through the batch window when batching is on. */
function emit(state: WsServerState, now: number, target: string, msg: WireMsg, out: Fx): void {
  const c = state.config;
  if (c.batchWindowMs <= 0) {
    out.push(fx.send<WireMsg>(target, msg, wireBytes(msg)));
    return;
  }
  (state.batches[target] ??= []).push(msg);
  if (!state.flushArmed) {
    state.flushArmed = true;
    // Windows tick at offset + k · window; this server's offset is random, so servers do not
    // all flush at the same instant.
    const k = Math.floor((now - state.batchOffsetMs) / c.batchWindowMs) + 1;
    const at = Math.max(now, state.batchOffsetMs + k * c.batchWindowMs);
    out.push(fx.setTimer('flush', at - now));
  }
}

function flush(state: WsServerState, out: Fx): void {
  state.flushArmed = false;
  for (const [target, items] of Object.entries(state.batches)) {
    if (items.length === 0) continue;
    out.push(fx.trace('ws/batchFlushed', { messages: items.length, target }));
    out.push(fx.send<WireMsg>(target, items.length === 1 ? (items[0] as WireMsg) : { type: 'batch', items }, items.reduce((s, m) => s + wireBytes(m), 16)));
  }
  state.batches = {};
}

function wireBytes(msg: WireMsg): number {
  if (msg.type === 'direct') return messageBytes(msg.message) + msg.users.length * 8;
  if (msg.type === 'chat/submit') return 64 + msg.text.length * 2;
  return 48;
}

/** The submit of a send to the chat service; a reply keeps what it answers (plain sends carry no field). */
function submitOf(user: string, send: { readonly clientMsgId: string; readonly channel: string; readonly text: string; readonly replyTo?: ReplyRef | undefined }): WireMsg {
  const base = { type: 'chat/submit' as const, user, clientMsgId: send.clientMsgId, channel: send.channel, text: send.text };
  return send.replyTo === undefined ? base : { ...base, replyTo: send.replyTo };
}

// ---- No broker: direct HTTP calls to other servers (ADR 0022) ------------------------------------

function callsOf(state: WsServerState): ServerCalls {
  return (state.calls ??= { inflight: {}, inflightN: 0, waiting: [], open: {} });
}

/**
 * The CPU of an input that makes calls to other servers: the server's own draw for the input, plus
 * for each target the request (serialising the message, the headers, the write) and, for a target
 * without a kept-alive connection, a new one (the TLS handshake). Undefined for every other input.
 */
function callingServiceMs(state: WsServerState, input: Parameters<typeof wsServer.handle>[2], ctx: NodeContext): number | undefined {
  const c = state.config.serverCalls;
  if (c === undefined || input.type !== 'message' || input.msg.type !== 'dir/found') return undefined;
  const targets = input.msg.servers.filter((s) => s.server !== ctx.id);
  if (targets.length === 0) return undefined;
  const open = state.calls?.open ?? {};
  const fresh = targets.filter((t) => open[t.server] !== true).length;
  return (sampleUs(ctx.rng, c.cpuServiceTime) + targets.length * c.requestCpuUs + fresh * c.connectCpuUs) / 1000;
}

/** Starts a call, or queues it when every slot of the pool is busy (design 001's synchronous call per message). */
function call(state: WsServerState, now: number, sc: ServerCall, out: Fx): void {
  const c = state.config.serverCalls;
  if (c === undefined) {
    // No pool configured (a server built without one): the plain call, with no response awaited.
    emit(state, now, sc.target, { type: 'direct', message: sc.message, users: sc.users, callId: sc.id }, out);
    return;
  }
  const pool = callsOf(state);
  // Its connection is opened (and paid for, in callingServiceMs) when the call is made.
  pool.open[sc.target] = true;
  if (pool.inflightN < c.poolSize) {
    dispatch(state, now, sc, out);
    return;
  }
  if (pool.waiting.length >= c.queueMax) {
    out.push(fx.trace('ws/serverCallDropped', { target: sc.target, id: sc.message.id, queued: pool.waiting.length }));
    return;
  }
  pool.waiting.push(sc);
  out.push(fx.trace('ws/serverCallQueued', { target: sc.target, id: sc.message.id, queued: pool.waiting.length }));
}

function dispatch(state: WsServerState, now: number, sc: ServerCall, out: Fx): void {
  const c = state.config.serverCalls as ServerCallsConfig;
  const pool = callsOf(state);
  pool.inflight[sc.id] = sc;
  pool.inflightN++;
  out.push(fx.setTimer(`call:${sc.id}`, c.timeoutMs, sc.id));
  const msg: WireMsg = { type: 'direct', message: sc.message, users: sc.users, callId: sc.id };
  if (state.config.batchWindowMs > 0) emit(state, now, sc.target, msg, out);
  else out.push(fx.send<WireMsg>(sc.target, msg, wireBytes(msg) + c.headerBytes));
}

/** The receiving side: one HTTP response for the request that carried these calls. */
function answerCalls(state: WsServerState, to: string, callIds: readonly number[], ids: readonly string[], out: Fx): void {
  const headerBytes = state.config.serverCalls?.headerBytes ?? 0;
  out.push(fx.send<WireMsg>(to, { type: 'directOk', callIds, ids }, 16 + headerBytes + callIds.length * 8));
}

/** A slot is free again: the oldest waiting call takes it. */
function release(state: WsServerState, now: number, id: number, out: Fx): boolean {
  const pool = state.calls;
  if (pool === undefined || pool.inflight[id] === undefined) return false;
  delete pool.inflight[id];
  pool.inflightN--;
  const next = pool.waiting.shift();
  if (next !== undefined) dispatch(state, now, next, out);
  return true;
}

function callDone(state: WsServerState, now: number, id: number, out: Fx): void {
  // A response after its call timed out finds nothing: the slot was already given back.
  if (release(state, now, id, out)) out.push(fx.cancelTimer(`call:${id}`));
}

/**
 * No response in time: the target is down, slow or unreachable. The slot is given back and the
 * connection closed (the next call to that target opens a new one); the users it was for miss
 * the push and catch up from history when they notice the gap.
 */
function callTimedOut(state: WsServerState, now: number, id: number, out: Fx): void {
  const sc = state.calls?.inflight[id];
  if (sc === undefined) return;
  delete (state.calls as ServerCalls).open[sc.target];
  release(state, now, id, out);
  out.push(fx.trace('ws/serverCallTimedOut', { target: sc.target, id: sc.message.id, timeoutMs: (state.config.serverCalls as ServerCallsConfig).timeoutMs }));
}
