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
import type { DisconnectReason } from '../cluster/events.ts';
import { NODE, isDirectFrame, messageBytes, partitionOf, tokenFor, type ChatMessage, type ClientFrame, type ServerFrame, type Transport, type WireMsg } from './protocol.ts';

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
  /** Long polling: how long a poll is held before an empty answer. */
  readonly pollTimeoutMs: number;
  /**
   * Stateless: sessions live in the external store and the channel → connections routing is
   * looked up there for every message (servers receive everything and ask who should get it).
   */
  readonly stateless: boolean;
}

interface Connection {
  readonly client: string;
  channels: readonly string[];
  ready: boolean;
  downlinkBytesPerMs: number;
  backlogBytes: number;
  backlogAt: number;
  /** At-least-once: deliveries not yet acknowledged, id → [message, sent at, attempts]. */
  unacked: Record<string, [ChatMessage, number, number]>;
  /** Long polling: a poll is held (since when, or -1), and frames waiting for the next one. */
  pollHeldSince: number;
  pollSeq: number;
  pending: ServerFrame[];
}

/** WebSocket server state. */
export interface WsServerState {
  readonly config: WsServerConfig;
  /** user → connection. */
  conns: Record<string, Connection>;
  /** client node → user. */
  byClient: Record<string, string>;
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
}

type Fx = Effect<WireMsg, unknown>[];

const ALL = '*';

export const wsServer: NodeBehavior<WsServerState, WireMsg, unknown, WsServerConfig> = {
  kind: 'ws-server',
  init: (config, ctx) => ({
    config,
    conns: {},
    byClient: {},
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
  }),
  // The blocking-handler pitfall: a synchronous call inside the send handler holds the event
  // loop, so every input queued behind it on this server waits — pings, deliveries, everything.
  serviceTimeMs(state, input) {
    const b = state.config.blocking;
    if (b === null || input.type !== 'message' || input.msg.type !== 'fromClient' || input.msg.frame.type !== 'send') return undefined;
    state.sendsSeen++;
    return state.sendsSeen % b.everyNth === 0 ? b.durationMs : undefined;
  },
  handle(state, now, input, ctx) {
    const out: Fx = [];
    const c = state.config;
    state.now = now;
    if (input.type === 'started') {
      state.bootAt = now;
      // Broadcast routing: this server takes every message and filters locally.
      if (c.routing === 'broadcast') subscribeAll(state, out);
      if (c.delivery === 'at-least-once') out.push(fx.setTimer('rtx', rtxCheckMs(c)));
      if (c.broker !== 'none') {
        state.brokerPongAt = now;
        out.push(fx.setTimer('brokerPing', c.brokerPingIntervalMs));
      }
      return { state, effects: out };
    }
    if (input.type === 'timer') {
      if (input.timerId === 'flush') flush(state, out);
      else if (input.timerId.startsWith('poll:')) {
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
        out.push(fx.send<WireMsg>(NODE.broker, { type: 'brokerPing', n: state.brokerPingN }, 16));
        out.push(fx.setTimer('brokerPing', c.brokerPingIntervalMs));
      }
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
    case 'batch':
      for (const item of msg.items) onMessage(state, now, from, item, out, ctx);
      return;
    case 'health':
      out.push(fx.send<WireMsg>(from, { type: 'healthOk', n: msg.n, bootAt: state.bootAt }, 16));
      return;
    case 'fromClient':
      onClientFrame(state, now, msg.client, msg.frame, out, ctx);
      return;
    case 'connClosed': {
      const user = state.byClient[msg.client];
      if (user !== undefined) closeConn(state, user, 'gatewayDropped', out, false);
      return;
    }
    case 'chat/sessionInfo': {
      const conn = state.conns[msg.user];
      if (conn === undefined || conn.ready) return;
      if (state.config.stateless) out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/put', user: msg.user, channels: msg.channels }, 32 + msg.channels.length * 12));
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
      out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/put', user: msg.user, channels: msg.channels }, 32 + msg.channels.length * 12));
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
        const remote = msg.members.filter((u) => !(state.local[m.channel] ?? []).includes(u));
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
    case 'db/historyResult': {
      const conn = state.conns[msg.user];
      if (conn !== undefined) toClient(state, conn.client, { type: 'historyPage', channel: msg.channel, afterSeq: msg.afterSeq, messages: msg.messages }, out);
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
        else if ((state.local[r.message.channel] ?? []).length > 0) deliverLocal(state, now, r.message, null, out);
      }
      if (last >= 0) out.push(fx.send<WireMsg>(NODE.broker, { type: 'commit', partition: msg.partition, offset: last + 1 }, 24));
      return;
    }
    case 'dir/found':
      for (const { server, users } of msg.servers) {
        if (server === ctx.id) deliverLocal(state, now, msg.message, users, out);
        else emit(state, now, server, { type: 'direct', message: msg.message, users }, out);
      }
      return;
    case 'direct':
      deliverLocal(state, now, msg.message, msg.users, out);
      return;
    case 'presence/deliver':
      for (const user of msg.recipients) {
        const conn = state.conns[user];
        if (conn !== undefined && conn.ready) toClient(state, conn.client, msg.frame, out);
      }
      return;
    default:
      return;
  }
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
  const keys = Object.keys(state.subscribed);
  if (c.broker === 'redis' && keys.length > 0) out.push(fx.send<WireMsg>(NODE.broker, { type: 'sub', topics: keys }, 16 + keys.length * 16));
  if (c.broker === 'kafka' && keys.length > 0) out.push(fx.send<WireMsg>(NODE.broker, { type: 'fetchFrom', partitions: keys.map(Number) }, 32));
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

function onClientFrame(state: WsServerState, now: number, client: string, frame: ClientFrame, out: Fx, ctx: NodeContext): void {
  if (frame.type === 'connect') {
    if (frame.token !== tokenFor(frame.user)) {
      toClient(state, client, { type: 'rejected', reason: 'badToken' }, out);
      return;
    }
    if (state.conns[frame.user] !== undefined) closeConn(state, frame.user, 'gatewayDropped', out, false);
    state.conns[frame.user] = { client, channels: [], ready: false, downlinkBytesPerMs: frame.downlinkBytesPerMs, backlogBytes: 0, backlogAt: now, unacked: {}, pollHeldSince: -1, pollSeq: 0, pending: [] };
    state.byClient[client] = frame.user;
    out.push(fx.trace('ws/connectionOpened', { user: frame.user, connections: Object.keys(state.conns).length }));
    // Load the session (the user's channels) before accepting traffic: from the external store
    // when stateless, else through the chat service from the database.
    if (state.config.stateless) out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/get', user: frame.user }, 32));
    else out.push(fx.send<WireMsg>(NODE.chat, { type: 'chat/session', user: frame.user }, 32));
    return;
  }
  const user = state.byClient[client];
  const conn = user === undefined ? undefined : state.conns[user];
  if (user === undefined || conn === undefined) {
    if (frame.type !== 'bye') toClient(state, client, { type: 'closed', reason: 'serverCrashed' }, out);
    return;
  }
  // With SSE and long polling every client → server message is its own HTTP POST, which gets an
  // HTTP response of its own (a ping's response is its pong, a poll is held).
  if (state.config.transport !== 'websocket' && frame.type !== 'ping' && frame.type !== 'poll' && frame.type !== 'bye') {
    toClient(state, client, { type: 'httpOk' }, out);
  }
  switch (frame.type) {
    case 'poll':
      if (conn.pending.length > 0) {
        conn.pollHeldSince = now;
        answerPoll(state, user, conn, out);
      } else {
        conn.pollHeldSince = now;
        conn.pollSeq++;
        out.push(fx.setTimer(`poll:${user}`, state.config.pollTimeoutMs));
      }
      return;
    case 'send':
      emit(state, now, NODE.chat, { type: 'chat/submit', user, clientMsgId: frame.clientMsgId, channel: frame.channel, text: frame.text }, out);
      return;
    case 'ack':
      delete conn.unacked[frame.id];
      return;
    case 'history':
      out.push(fx.send<WireMsg>(NODE.chat, { type: 'chat/history', user, channel: frame.channel, afterSeq: frame.afterSeq }, 48));
      return;
    case 'ping':
      toClient(state, client, { type: 'pong', n: frame.n }, out);
      if (state.config.presence) out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/beat', user }, 24));
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
    case 'bye':
      closeConn(state, user, 'wentOffline', out, false);
      return;
  }
  void ctx;
}

/**
 * Sends a frame to a client. With long polling, a push (a delivery, an ack, a history page) can
 * only travel as the answer to a held poll: it waits in the connection's buffer until there is one.
 */
function toClient(state: WsServerState, client: string, frame: ServerFrame, out: Fx): void {
  if (state.config.transport === 'long-polling' && !isDirectFrame(frame)) {
    const user = state.byClient[client];
    const conn = user === undefined ? undefined : state.conns[user];
    if (conn !== undefined) {
      conn.pending.push(frame);
      if (conn.pollHeldSince >= 0) answerPoll(state, user as string, conn, out);
      return;
    }
  }
  out.push(fx.send<WireMsg>(NODE.gateway, { type: 'toClient', client, frame }, frame.type === 'deliver' ? messageBytes(frame.message) : 48));
}

/** Answers a held poll with everything buffered. */
function answerPoll(state: WsServerState, user: string, conn: Connection, out: Fx): void {
  const frames = conn.pending;
  conn.pending = [];
  out.push(fx.trace('ws/pollAnswered', { user, frames: frames.length, heldMs: state.now - conn.pollHeldSince }));
  conn.pollHeldSince = -1;
  out.push(fx.cancelTimer(`poll:${user}`));
  out.push(fx.send<WireMsg>(NODE.gateway, { type: 'toClient', client: conn.client, frame: { type: 'pollResponse', frames } }, 48 + frames.reduce((n, f) => n + (f.type === 'deliver' ? messageBytes(f.message) : 48), 0)));
}

/** Pushes a message to local connections: every local member, or only `only`. */
function deliverLocal(state: WsServerState, now: number, m: ChatMessage, only: readonly string[] | null, out: Fx): void {
  const members = only ?? state.local[m.channel] ?? [];
  let recipients = 0;
  const bytes = messageBytes(m);
  for (const user of members) {
    const conn = state.conns[user];
    if (conn === undefined || !conn.ready) continue;
    // Only members see a channel's messages: a server never trusts a caller's user list blindly.
    if (!conn.channels.includes(m.channel)) continue;
    if (overflows(state, conn, now, bytes)) {
      out.push(fx.trace('ws/slowConsumerDisconnected', { user, queuedBytes: conn.backlogBytes, limitBytes: state.config.sendQueueLimitBytes }));
      toClient(state, conn.client, { type: 'closed', reason: 'slowConsumer' }, out);
      closeConn(state, user, 'slowConsumer', out, false);
      continue;
    }
    recipients++;
    if (state.config.delivery === 'at-least-once') conn.unacked[m.id] = [m, now, 1];
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

function closeConn(state: WsServerState, user: string, reason: DisconnectReason, out: Fx, _notify: boolean): void {
  const conn = state.conns[user];
  if (conn === undefined) return;
  delete state.conns[user];
  delete state.byClient[conn.client];
  for (const ch of conn.channels) removeLocal(state, ch, user, out);
  if (state.config.mapping) out.push(fx.send<WireMsg>(NODE.directory, { type: 'dir/unregister', user }, 32));
  if (state.config.stateless) out.push(fx.send<WireMsg>(NODE.sessions, { type: 'store/remove', user }, 32));
  if (state.config.presence) out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/disconnected', user }, 32));
  out.push(fx.trace('ws/connectionClosed', { user, reason, connections: Object.keys(state.conns).length }));
}

function addLocal(state: WsServerState, channel: string, user: string, out: Fx): void {
  const list = state.local[channel] ?? [];
  if (!list.includes(user)) list.push(user);
  state.local[channel] = list;
  if (state.config.routing === 'interest' && !state.config.pulledChannels.includes(channel)) {
    const key = state.config.broker === 'kafka' ? String(partitionOf(channel, state.config.partitions)) : channel;
    if (state.config.broker !== 'none' && state.subscribed[key] === undefined) {
      state.subscribed[key] = true;
      if (state.config.broker === 'redis') out.push(fx.send<WireMsg>(NODE.broker, { type: 'sub', topics: [channel] }, 32));
      else out.push(fx.send<WireMsg>(NODE.broker, { type: 'fetchFrom', partitions: Object.keys(state.subscribed).map(Number) }, 32));
    }
  }
}

function removeLocal(state: WsServerState, channel: string, user: string, out: Fx): void {
  const list = (state.local[channel] ?? []).filter((u) => u !== user);
  if (list.length > 0) {
    state.local[channel] = list;
    return;
  }
  delete state.local[channel];
  // The last local member left: stop receiving the channel (Redis-like). Kafka partitions are
  // shared by many channels, so a server keeps fetching until it has no channel in them.
  if (state.config.routing !== 'interest' || state.config.broker === 'none' || state.config.pulledChannels.includes(channel)) return;
  if (state.config.broker === 'redis') {
    delete state.subscribed[channel];
    out.push(fx.send<WireMsg>(NODE.broker, { type: 'unsub', topics: [channel] }, 32));
    return;
  }
  const p = partitionOf(channel, state.config.partitions);
  const stillUsed = Object.keys(state.local).some((ch) => partitionOf(ch, state.config.partitions) === p);
  if (!stillUsed) {
    delete state.subscribed[String(p)];
    out.push(fx.send<WireMsg>(NODE.broker, { type: 'fetchFrom', partitions: Object.keys(state.subscribed).map(Number) }, 32));
  }
}

function subscribeAll(state: WsServerState, out: Fx): void {
  const c = state.config;
  if (c.broker === 'redis') {
    state.subscribed[ALL] = true;
    out.push(fx.send<WireMsg>(NODE.broker, { type: 'sub', topics: [ALL] }, 32));
  } else if (c.broker === 'kafka') {
    for (let p = 0; p < c.partitions; p++) state.subscribed[String(p)] = true;
    out.push(fx.send<WireMsg>(NODE.broker, { type: 'fetchFrom', partitions: Array.from({ length: c.partitions }, (_, p) => p) }, 32));
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
