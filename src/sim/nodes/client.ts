/**
 * A client: one user's app with one WebSocket connection through the gateway. It connects with a
 * token, sends with a client message id (the idempotency key), retries on ack timeout, receives,
 * deduplicates, reorders by the previous-message chain, detects gaps and catches up from history,
 * and reconnects with fixed or full-jitter exponential backoff. It also plays its user's
 * workload: Poisson sends with bursts, scripted sends, going offline and coming back.
 *
 * What the user sees is `shown[channel]`, in display order: every append is a
 * `client/messageShown` trace event, which is what the checkers judge.
 */
import { fx, type Effect, type NodeBehavior, type NodeContext } from '../core/node.ts';
import { poissonGapMs, sampleExponentialMs } from '../core/dist.ts';
import { isDataCall, type ChatMessage, type ClientFrame, type DataCalls, type DisconnectReason, type MembershipAction, type ReplyRef, type ServerFrame, type Transport, type WireMsg } from '../contract/index.ts';
import { HTTP_REQUEST_BYTES, NODE, TRANSPORT_BYTES } from './protocol.ts';
import { loginProof } from './auth.ts';

/** Everything a client needs to know, fixed for the run. */
export interface ClientConfig {
  readonly user: string;
  readonly channels: readonly string[];
  readonly delivery: 'at-most-once' | 'at-least-once';
  readonly reorderBuffer: boolean;
  readonly reorderMaxWaitMs: number;
  readonly gapDetection: boolean;
  readonly dedup: boolean;
  readonly ackTimeoutMs: number;
  readonly maxSendAttempts: number;
  readonly reconnect: { readonly strategy: 'fixed' | 'full-jitter'; readonly baseMs: number; readonly maxMs: number };
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly downlinkBytesPerMs: number;
  readonly connectAtMs: number;
  readonly workloadEndMs: number;
  readonly sendRatePerSec: number;
  readonly burstProbability: number;
  readonly burstSize: number;
  readonly burstGapMs: number;
  /** Chance that a Poisson send replies to the latest message shown in its channel. */
  readonly replyProbability: number;
  /** Whether this user goes offline and comes back during the run. */
  readonly cyclesOffline: boolean;
  readonly meanOnlineMs: number;
  readonly meanOfflineMs: number;
  readonly script: readonly { readonly atMs: number; readonly channel: string; readonly text: string }[];
  /** When this user joins or leaves channels during the run (`workload.membershipChanges`). */
  readonly membershipChanges: readonly { readonly atMs: number; readonly channel: string; readonly action: MembershipAction }[];
  /** What a joiner may read (the chat service enforces it; the client starts its view accordingly). */
  readonly historyVisibility: 'all' | 'since-join';
  /** Presence: off, or how this client learns about others (see the presence service). */
  readonly presence: 'off' | 'broadcast' | 'subscribers' | 'lazy';
  /** channel → members, to know whom to watch when looking at a channel. */
  readonly channelMembers: Readonly<Record<string, readonly string[]>>;
  /** Mean time between switches to another channel (subscribers and lazy presence). */
  readonly viewSwitchMeanMs: number;
  /** Chance that a send is preceded by a typing notice. */
  readonly typingProbability: number;
  /** Channels this client polls instead of receiving pushes (large groups), and how often. */
  readonly pulledChannels: readonly string[];
  readonly pollIntervalMs: number;
  /** WebSocket, Server-Sent Events with POST for sending, long polling, or a raw TCP stream. */
  readonly transport: Transport;
  /**
   * How history fetches and presence queries travel: on the stream, or each as its own HTTP/1.1
   * request (ADR 0017). Absent means on the stream.
   */
  readonly dataCalls?: DataCalls;
  /** Long polling: how long the server holds a poll; one unanswered well past it is presumed lost. */
  readonly pollTimeoutMs: number;
  /**
   * Authentication (ADR 0013): the user's password (never sent: a login carries a proof made
   * with it), and how long before its token expires the client logs in again for a fresh one.
   */
  readonly auth: { readonly password: string; readonly refreshBeforeExpiryMs: number };
}

interface ChannelView {
  /** Ids in display order. */
  shown: string[];
  /** The latest message shown, which a reply answers. */
  last: ReplyRef | null;
  shownSet: Set<string>;
  lastId: string | null;
  lastSeq: number;
  /** Reorder buffer: messages waiting for their predecessor, keyed by prevId. */
  waiting: Map<string, ChatMessage>;
  /** History catch-ups asked for while a gap stays open. */
  catchUps: number;
  /**
   * Without a reorder buffer: the messages known to be missing (a later one named them as its
   * predecessor and was shown first), each with the sequence number to ask history after. The
   * shown sequence has moved past them, so every history request asks from the oldest of them.
   */
  missing: Map<string, number>;
}

interface Outgoing {
  readonly channel: string;
  readonly text: string;
  readonly replyTo?: ReplyRef | undefined;
  attempts: number;
}

/** A client's state (plain data). */
export interface ClientState {
  readonly config: ClientConfig;
  phase: 'idle' | 'loggingIn' | 'connecting' | 'online' | 'offline' | 'backoff';
  /** True once the user chose to be offline (no reconnects until they come back). */
  away: boolean;
  attempt: number;
  server: string | null;
  views: Record<string, ChannelView>;
  outbox: Record<string, Outgoing>;
  sentCount: number;
  pingN: number;
  /** The token the auth service issued (null before the first login, or after a refusal). */
  token: string | null;
  tokenExpiresAtMs: number;
  /** Logins sent so far (each with a fresh nonce). */
  logins: number;
  /** The channels the user is in now: the configured ones, changed by joins and leaves. */
  channels: readonly string[];
  /** Joins and leaves asked for and not yet answered, channel → action (sent again after a reconnect). */
  pendingMembership: Record<string, MembershipAction>;
}

const PING_BYTES = 16;

function view(state: ClientState, channel: string): ChannelView {
  let v = state.views[channel];
  if (v === undefined) {
    v = { shown: [], last: null, shownSet: new Set(), lastId: null, lastSeq: 0, waiting: new Map(), catchUps: 0, missing: new Map() };
    state.views[channel] = v;
  }
  return v;
}

/**
 * Long polling: sends the poll the server holds until it has something, with a timer that asks
 * again if no answer comes within the server's hold time plus the heartbeat's patience.
 */
function poll(c: ClientConfig, out: Fx): void {
  out.push(toGateway(c, { type: 'poll' }, 0));
  out.push(fx.setTimer('pollTimeout', c.pollTimeoutMs + c.heartbeatTimeoutMs));
}

/**
 * Sends a frame to the gateway with what the transport adds: the handshake for a connect, a frame
 * header on a WebSocket or a length prefix on a raw TCP stream, a whole HTTP request with SSE and
 * long polling (each send is a POST), and with `dataCalls: 'http'` for every data call.
 */
function toGateway(c: ClientConfig, frame: ClientFrame, bytes: number): Effect<WireMsg, unknown> {
  const t = TRANSPORT_BYTES[c.transport];
  // A login is an HTTPS request of its own, whatever the transport; so is a data call made over HTTP.
  const ownRequest = frame.type === 'login' || (c.dataCalls === 'http' && isDataCall(frame));
  const total = bytes + (frame.type === 'connect' ? t.handshake : ownRequest ? HTTP_REQUEST_BYTES : t.up);
  return frame.type === 'ping' ? fx.control<WireMsg>(NODE.gateway, frame, total) : fx.send<WireMsg>(NODE.gateway, frame, total);
}

/** The delay before reconnect attempt `attempt` (1-based). */
function backoffMs(config: ClientConfig, attempt: number, ctx: NodeContext): number {
  const { strategy, baseMs, maxMs } = config.reconnect;
  if (strategy === 'fixed') return baseMs;
  // Full jitter (AWS architecture blog): uniform in [0, min(max, base · 2^(attempt-1))].
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return ctx.rng.intBetween(0, cap);
}

/** Runs a handler body with an effect list, so helpers can push effects. */
type Fx = Effect<WireMsg, unknown>[];

export const client: NodeBehavior<ClientState, WireMsg, unknown, ClientConfig> = {
  kind: 'client',
  init: (config) => ({
    config,
    phase: 'idle',
    away: false,
    attempt: 0,
    server: null,
    views: {},
    outbox: {},
    sentCount: 0,
    pingN: 0,
    token: null,
    tokenExpiresAtMs: 0,
    logins: 0,
    channels: config.channels,
    pendingMembership: {},
  }),
  handle(state, now, input, ctx) {
    const out: Fx = [];
    const c = state.config;
    switch (input.type) {
      case 'started': {
        if (c.connectAtMs > 0) out.push(fx.setTimer('connect', c.connectAtMs));
        else connect(state, now, out);
        if (c.sendRatePerSec > 0) out.push(fx.setTimer('send', poissonGapMs(ctx.rng, c.sendRatePerSec)));
        c.script.forEach((s, i) => out.push(fx.setTimer(`script:${i}`, s.atMs - now, i)));
        c.membershipChanges.forEach((m, i) => out.push(fx.setTimer(`member:${i}`, m.atMs - now, i)));
        if (c.cyclesOffline) out.push(fx.setTimer('goOffline', c.connectAtMs + sampleExponentialMs(ctx.rng, c.meanOnlineMs)));
        break;
      }
      case 'timer':
        onTimer(state, now, input.timerId, input.payload, out, ctx);
        break;
      case 'message':
        // The person at the keyboard (the app's chat panel, through the inject verb).
        if (input.from === 'operator' && (input.msg as WireMsg).type === 'userSend') {
          const m = input.msg as { channel: string; text: string };
          send(state, m.channel, m.text, out, ctx);
          break;
        }
        if (input.from === 'operator' && (input.msg as WireMsg).type === 'userMembership') {
          const m = input.msg as { channel: string; action: MembershipAction };
          requestMembership(state, m.channel, m.action, out);
          break;
        }
        onFrame(state, now, input.msg as ServerFrame, out, ctx);
        break;
    }
    return { state, effects: out };
  },
};

/**
 * Connects with the token the client holds, or logs in first when it holds none or one that
 * expires within the refresh margin (a reconnect after a long absence).
 */
function connect(state: ClientState, now: number, out: Fx): void {
  const c = state.config;
  state.attempt++;
  if (state.token === null || now + c.auth.refreshBeforeExpiryMs >= state.tokenExpiresAtMs) {
    state.phase = 'loggingIn';
    login(state, now, false, out);
  } else sendConnect(state, out);
  // A connect (or its login) that gets no answer (a dropped frame, a dead server) counts as a failure.
  out.push(fx.setTimer('connectTimeout', Math.max(c.heartbeatTimeoutMs, 1000)));
}

function sendConnect(state: ClientState, out: Fx): void {
  const c = state.config;
  state.phase = 'connecting';
  out.push(fx.trace('client/connectRequested', { user: c.user, attempt: state.attempt }));
  out.push(toGateway(c, { type: 'connect', user: c.user, token: state.token as string, downlinkBytesPerMs: c.downlinkBytesPerMs }, 64 + (state.token as string).length));
}

/** Asks the auth service for a token, with a fresh one-time nonce and a proof made with the password. */
function login(state: ClientState, now: number, refresh: boolean, out: Fx): void {
  const c = state.config;
  state.logins++;
  // The nonce names the client's clock too, so a client that restarted never repeats one.
  const nonce = `${state.logins}@${now}`;
  out.push(fx.trace('client/loginRequested', { user: c.user, refresh }));
  // Whole milliseconds, as a login's timestamp is on the wire (the clock inside counts µs, ADR 0010).
  const atMs = Math.floor(now);
  out.push(toGateway(c, { type: 'login', user: c.user, nonce, atMs, proof: loginProof(c.auth.password, c.user, nonce, atMs) }, 96));
}

function lostConnection(state: ClientState, reason: DisconnectReason, out: Fx, ctx: NodeContext): void {
  const c = state.config;
  state.server = null;
  out.push(fx.cancelTimer('heartbeat'), fx.cancelTimer('pongTimeout'), fx.cancelTimer('connectTimeout'), fx.cancelTimer('pollTimeout'));
  for (const channel of Object.keys(state.views)) out.push(fx.cancelTimer(`reorder:${channel}`));
  if (state.away) {
    state.phase = 'offline';
    out.push(fx.trace('client/disconnected', { user: c.user, reason, retryInMs: null }));
    return;
  }
  const delay = backoffMs(c, Math.max(1, state.attempt), ctx);
  state.phase = 'backoff';
  out.push(fx.trace('client/disconnected', { user: c.user, reason, retryInMs: delay }));
  out.push(fx.setTimer('reconnect', delay));
}

function onTimer(state: ClientState, now: number, timerId: string, payload: unknown, out: Fx, ctx: NodeContext): void {
  const c = state.config;
  if (timerId === 'connect' || timerId === 'reconnect') {
    if (!state.away && state.phase !== 'online' && state.phase !== 'connecting' && state.phase !== 'loggingIn') connect(state, now, out);
    return;
  }
  if (timerId === 'connectTimeout') {
    if (state.phase === 'connecting' || state.phase === 'loggingIn') lostConnection(state, 'rejected', out, ctx);
    return;
  }
  if (timerId === 'refresh') {
    // Refresh before expiry, so that a reconnect never has to wait for a login. Offline or
    // between connections, the next connect logs in if it must.
    if (state.phase === 'online' && !state.away) login(state, now, true, out);
    return;
  }
  if (timerId === 'heartbeat') {
    if (state.phase !== 'online') return;
    state.pingN++;
    out.push(toGateway(c, { type: 'ping', n: state.pingN }, PING_BYTES));
    out.push(fx.setTimer('pongTimeout', c.heartbeatTimeoutMs));
    out.push(fx.setTimer('heartbeat', c.heartbeatIntervalMs));
    return;
  }
  if (timerId === 'pollTimeout') {
    // A poll (or its answer) lost on the way: nothing would ever ask again, and the pushes, acks
    // and history pages that wait at the server for a poll would wait for ever. Ask again, as a
    // browser's request timeout does; the server answers the new poll and drops the old one.
    if (state.phase === 'online') poll(c, out);
    return;
  }
  if (timerId === 'pongTimeout') {
    if (state.phase === 'online') lostConnection(state, 'heartbeatTimeout', out, ctx);
    return;
  }
  if (timerId === 'send') {
    if (now >= c.workloadEndMs) return;
    out.push(fx.setTimer('send', poissonGapMs(ctx.rng, c.sendRatePerSec)));
    if (state.channels.length === 0 || state.away) return;
    const channel = state.channels[ctx.rng.nextInt(state.channels.length)] as string;
    // A reply answers the latest message this user has been shown in the channel. The draw is made
    // only when replies are on, so a scenario without them keeps its random streams (and trace).
    const last = c.replyProbability > 0 ? view(state, channel).last : null;
    const replyTo = last !== null && ctx.rng.chance(Math.round(c.replyProbability * 1_000_000), 1_000_000) ? last : undefined;
    send(state, channel, `${replyTo === undefined ? 'hello' : 'reply'} #${state.sentCount + 1} from ${c.user}`, out, ctx, replyTo);
    // A burst: a few more quick messages to the same channel (a user typing fast).
    if (c.burstProbability > 0 && ctx.rng.chance(Math.round(c.burstProbability * 1_000_000), 1_000_000)) {
      out.push(fx.setTimer('burst', c.burstGapMs, { channel, left: c.burstSize - 1 }));
    }
    return;
  }
  if (timerId === 'burst') {
    const { channel, left } = payload as { channel: string; left: number };
    if (left <= 0 || now >= c.workloadEndMs || state.away) return;
    send(state, channel, `burst #${state.sentCount + 1} from ${c.user}`, out);
    out.push(fx.setTimer('burst', c.burstGapMs, { channel, left: left - 1 }));
    return;
  }
  if (timerId.startsWith('memberRetry:')) {
    const channel = timerId.slice(12);
    const action = state.pendingMembership[channel];
    // Offline, the next connect asks again.
    if (action !== undefined && state.phase === 'online') askMembership(state, channel, action, out);
    return;
  }
  if (timerId.startsWith('member:')) {
    const m = c.membershipChanges[payload as number];
    if (m !== undefined) requestMembership(state, m.channel, m.action, out);
    return;
  }
  if (timerId.startsWith('script:')) {
    const s = c.script[payload as number];
    if (s !== undefined) send(state, s.channel, s.text, out);
    return;
  }
  if (timerId.startsWith('ack:')) {
    const clientMsgId = timerId.slice(4);
    const o = state.outbox[clientMsgId];
    if (o === undefined) return;
    if (o.attempts >= c.maxSendAttempts) {
      delete state.outbox[clientMsgId];
      out.push(fx.trace('client/sendFailed', { user: c.user, channel: o.channel, clientMsgId, code: 'TIMEOUT', message: `no ack after ${o.attempts} attempts` }));
      return;
    }
    if (state.phase === 'online') transmit(state, clientMsgId, o, out);
    else out.push(fx.setTimer(timerId, c.ackTimeoutMs));
    return;
  }
  if (timerId.startsWith('tail:')) {
    const channel = timerId.slice(5);
    if (state.phase === 'online' && view(state, channel).lastSeq < (payload as number)) requestHistory(state, channel, out);
    return;
  }
  if (timerId.startsWith('gap:')) {
    // Without a reorder buffer: a gap still open asks history again, a few times while online
    // (offline, the catch-up after the next connect asks from the oldest missing message).
    const channel = timerId.slice(4);
    const v = view(state, channel);
    if (v.missing.size === 0) return;
    if (v.catchUps >= gapCatchUps(c)) {
      // History never had it (a send sequenced and then abandoned when its write failed leaves
      // such a hole in the chain): stop asking from before it, as the reorder buffer gives up.
      v.missing.clear();
      return;
    }
    if (state.phase === 'online') requestHistory(state, channel, out);
    out.push(fx.setTimer(timerId, catchUpDelayMs(c, v.catchUps)));
    return;
  }
  if (timerId.startsWith('reorder:')) {
    onReorderTimeout(state, timerId.slice(8), out);
    return;
  }
  if (timerId === 'poll') {
    if (state.phase !== 'online') return;
    for (const channel of c.pulledChannels) {
      // From before the oldest message known to be missing, not from the last one shown.
      out.push(toGateway(c, { type: 'history', channel, afterSeq: askAfter(view(state, channel)) }, 48));
    }
    out.push(fx.setTimer('poll', c.pollIntervalMs));
    return;
  }
  if (timerId === 'view') {
    if (state.phase === 'online') lookAt(state, out, ctx);
    return;
  }
  if (timerId === 'goOffline') {
    if (now >= c.workloadEndMs) return;
    state.away = true;
    out.push(fx.trace('client/wentOffline', { user: c.user }));
    if (state.phase === 'online' || state.phase === 'connecting') out.push(toGateway(c, { type: 'bye' }, 8));
    out.push(fx.cancelTimer('reconnect'));
    lostConnection(state, 'wentOffline', out, ctx);
    out.push(fx.setTimer('goOnline', sampleExponentialMs(ctx.rng, c.meanOfflineMs)));
    return;
  }
  if (timerId === 'goOnline') {
    state.away = false;
    state.attempt = 0;
    out.push(fx.trace('client/wentOnline', { user: c.user }));
    connect(state, now, out);
    if (now < c.workloadEndMs) out.push(fx.setTimer('goOffline', sampleExponentialMs(ctx.rng, c.meanOnlineMs)));
  }
}

/**
 * The user opens a channel: with subscriber presence the client asks to watch its members (the
 * full list, each time); with lazy presence it asks for their statuses once. Then, later, another.
 */
function lookAt(state: ClientState, out: Fx, ctx: NodeContext): void {
  const c = state.config;
  if (state.channels.length === 0) return;
  const channel = state.channels[ctx.rng.nextInt(state.channels.length)] as string;
  const users = (c.channelMembers[channel] ?? []).filter((u) => u !== c.user);
  const frame: ClientFrame = c.presence === 'subscribers' ? { type: 'presenceSub', users } : { type: 'presenceQuery', users };
  out.push(toGateway(c, frame, 32 + users.length * 8));
  out.push(fx.setTimer('view', sampleExponentialMs(ctx.rng, c.viewSwitchMeanMs)));
}

/** A new message from the user. */
function send(state: ClientState, channel: string, text: string, out: Fx, ctx?: NodeContext, replyTo?: ReplyRef): void {
  const c = state.config;
  if (c.presence !== 'off' && ctx !== undefined && c.typingProbability > 0 && state.phase === 'online' && ctx.rng.chance(Math.round(c.typingProbability * 1_000_000), 1_000_000)) {
    out.push(toGateway(c, { type: 'typing', channel }, 32));
  }
  state.sentCount++;
  const clientMsgId = `${c.user}-${state.sentCount}`;
  out.push(fx.trace('client/messageSent', replyTo === undefined ? { user: c.user, channel, clientMsgId, text } : { user: c.user, channel, clientMsgId, text, replyTo }));
  if (state.phase !== 'online') {
    if (c.delivery === 'at-most-once') {
      out.push(fx.trace('client/sendFailed', { user: c.user, channel, clientMsgId, code: 'UNAVAILABLE', message: 'not connected' }));
      return;
    }
    // At-least-once: keep it in the outbox; it goes out after the next connect.
    state.outbox[clientMsgId] = { channel, text, replyTo, attempts: 0 };
    return;
  }
  const o: Outgoing = { channel, text, replyTo, attempts: 0 };
  if (c.delivery === 'at-least-once') state.outbox[clientMsgId] = o;
  transmit(state, clientMsgId, o, out);
}

function transmit(state: ClientState, clientMsgId: string, o: Outgoing, out: Fx): void {
  const c = state.config;
  o.attempts++;
  if (o.attempts > 1) out.push(fx.trace('client/messageRetried', { user: c.user, channel: o.channel, clientMsgId, attempt: o.attempts }));
  const frame: ClientFrame = o.replyTo === undefined ? { type: 'send', clientMsgId, channel: o.channel, text: o.text } : { type: 'send', clientMsgId, channel: o.channel, text: o.text, replyTo: o.replyTo };
  out.push(toGateway(c, frame, 64 + o.text.length * 2 + (o.replyTo === undefined ? 0 : 24)));
  if (c.delivery === 'at-least-once') out.push(fx.setTimer(`ack:${clientMsgId}`, c.ackTimeoutMs));
}

function onFrame(state: ClientState, now: number, frame: ServerFrame, out: Fx, ctx: NodeContext): void {
  const c = state.config;
  switch (frame.type) {
    case 'loginOk': {
      state.token = frame.token;
      state.tokenExpiresAtMs = frame.expiresAtMs;
      out.push(fx.trace('client/loggedIn', { user: c.user, expiresAtMs: frame.expiresAtMs }));
      out.push(fx.setTimer('refresh', Math.max(1, frame.expiresAtMs - c.auth.refreshBeforeExpiryMs - now)));
      if (state.phase === 'loggingIn') sendConnect(state, out);
      return;
    }
    case 'authError':
      out.push(fx.trace('client/authFailed', { user: c.user, phase: frame.phase, reason: frame.reason }));
      // A refused token is useless: the next attempt logs in again.
      if (frame.phase === 'connect') state.token = null;
      if ((frame.phase === 'login' && state.phase === 'loggingIn') || (frame.phase === 'connect' && state.phase === 'connecting')) lostConnection(state, 'authFailed', out, ctx);
      return;
    case 'connected': {
      if (state.phase !== 'connecting') return;
      state.phase = 'online';
      state.server = frame.server;
      state.attempt = 0;
      out.push(fx.cancelTimer('connectTimeout'));
      out.push(fx.trace('client/connected', { user: c.user, server: frame.server }));
      // Long polling: keep one request waiting at the server at all times.
      if (c.transport === 'long-polling') poll(c, out);
      // The first heartbeat is jittered so that a fleet that connected together does not ping
      // together (Discord's gateway does this).
      out.push(fx.setTimer('heartbeat', ctx.rng.intBetween(1, c.heartbeatIntervalMs)));
      if (c.presence === 'subscribers' || c.presence === 'lazy') lookAt(state, out, ctx);
      // Pulled channels: poll their history, starting at a random point of the interval so that
      // members do not all poll at once.
      if (c.pulledChannels.length > 0) out.push(fx.setTimer('poll', ctx.rng.intBetween(1, c.pollIntervalMs)));
      if (c.delivery === 'at-least-once') {
        // Catch up on every channel, then resend whatever was never acknowledged.
        for (const channel of state.channels) requestHistory(state, channel, out);
        for (const [clientMsgId, o] of Object.entries(state.outbox)) transmit(state, clientMsgId, o, out);
      }
      // Joins and leaves never answered: ask again (the chat service answers a repeat as the first).
      for (const [channel, action] of Object.entries(state.pendingMembership)) askMembership(state, channel, action, out);
      return;
    }
    case 'rejected':
      if (state.phase === 'connecting') lostConnection(state, 'rejected', out, ctx);
      return;
    case 'closed':
      if (state.phase === 'online' || state.phase === 'connecting') lostConnection(state, frame.reason, out, ctx);
      return;
    case 'pong':
      if (frame.n === state.pingN) out.push(fx.cancelTimer('pongTimeout'));
      return;
    case 'pollResponse':
      for (const f of frame.frames) onFrame(state, now, f, out, ctx);
      if (state.phase === 'online') poll(c, out);
      return;
    case 'httpOk':
      return;
    case 'presence':
      out.push(fx.trace('client/presenceSeen', { user: c.user, statuses: frame.users.length, online: frame.users.filter((u) => u.online).length }));
      return;
    case 'typingNotice':
      out.push(fx.trace('client/typingSeen', { user: c.user, of: frame.user, channel: frame.channel }));
      return;
    case 'push':
      out.push(fx.trace('client/pushReceived', { user: c.user, channel: frame.message.channel, id: frame.message.id }));
      return;
    case 'sendAck': {
      const o = state.outbox[frame.clientMsgId];
      if (c.delivery === 'at-least-once' && o === undefined) return; // a late second ack
      delete state.outbox[frame.clientMsgId];
      out.push(fx.cancelTimer(`ack:${frame.clientMsgId}`));
      out.push(fx.trace('client/sendAcked', { user: c.user, channel: frame.channel, clientMsgId: frame.clientMsgId, id: frame.id, seq: frame.seq }));
      // The ack tells where the channel has got to. If the message itself never shows up (its
      // push was lost and nothing later reveals the gap), ask history after a while.
      if (c.delivery === 'at-least-once' && frame.seq !== null && frame.seq > view(state, frame.channel).lastSeq) {
        out.push(fx.setTimer(`tail:${frame.channel}`, c.reorderMaxWaitMs * 2, frame.seq));
      }
      return;
    }
    case 'resync':
      if (c.delivery === 'at-least-once' && state.phase === 'online') for (const channel of state.channels) requestHistory(state, channel, out);
      return;
    case 'sendError':
      // A service that was briefly unavailable is worth another try: the ack timer resends.
      if (frame.code === 'UNAVAILABLE' && c.delivery === 'at-least-once' && state.outbox[frame.clientMsgId] !== undefined) return;
      delete state.outbox[frame.clientMsgId];
      out.push(fx.cancelTimer(`ack:${frame.clientMsgId}`));
      out.push(fx.trace('client/sendFailed', { user: c.user, channel: frame.channel, clientMsgId: frame.clientMsgId, code: frame.code, message: frame.message }));
      return;
    case 'membershipDone':
      membershipDone(state, frame, out);
      return;
    case 'deliver':
      if (c.delivery === 'at-least-once') out.push(toGateway(c, { type: 'ack', id: frame.message.id }, 24));
      receive(state, frame.message, 'push', out);
      return;
    case 'historyPage': {
      for (const m of frame.messages) receive(state, m, 'history', out);
      // A gap the history could not close yet (the missing message is still being written):
      // keep waiting; the reorder timer asks again.
      const v = view(state, frame.channel);
      if (v.waiting.size > 0) out.push(fx.setTimer(`reorder:${frame.channel}`, catchUpDelayMs(c, v.catchUps)));
      return;
    }
  }
}

/**
 * The user joins or leaves a channel. A leave takes effect in the app at once (no more sends or
 * typing there); a join waits for the server's answer. Offline, the request waits for the next
 * connect.
 */
function requestMembership(state: ClientState, channel: string, action: MembershipAction, out: Fx): void {
  const c = state.config;
  out.push(fx.trace('client/membershipRequested', { user: c.user, channel, action }));
  if (action === 'leave') {
    state.channels = state.channels.filter((ch) => ch !== channel);
    // The app stops following the channel: no gap is waited on or asked for any more. (Found by
    // the swarm fuzzer: a gap's history request after the leave fetched an old message, which
    // the reorder buffer held and showed out of place after the user came back.)
    const v = state.views[channel];
    if (v !== undefined) {
      v.waiting.clear();
      v.missing.clear();
    }
    out.push(fx.cancelTimer(`reorder:${channel}`), fx.cancelTimer(`gap:${channel}`), fx.cancelTimer(`tail:${channel}`));
  }
  state.pendingMembership[channel] = action;
  if (state.phase === 'online') askMembership(state, channel, action, out);
}

/**
 * Sends a join or leave and waits for its answer as for a send's ack: a request or answer lost on
 * the way (a crashed server, a database down while it was written) is asked again, for as long
 * as the change is pending. (Found by the swarm fuzzer: a join whose write was lost to a database
 * crash was never confirmed, so the joiner's server never subscribed and the joiner missed the
 * channel.)
 */
function askMembership(state: ClientState, channel: string, action: MembershipAction, out: Fx): void {
  const c = state.config;
  out.push(toGateway(c, { type: 'membership', channel, action }, 48));
  out.push(fx.setTimer(`memberRetry:${channel}`, c.ackTimeoutMs));
}

/**
 * The answer to a join or leave. A joiner's view of the channel starts at the join point with
 * `since-join` history (older messages are not theirs to read); with `all` it loads the channel
 * from its start, as an app opening a channel does.
 */
function membershipDone(state: ClientState, frame: Extract<ServerFrame, { type: 'membershipDone' }>, out: Fx): void {
  const c = state.config;
  // A stale answer (the user changed their mind since): the newer request's answer will come.
  if (state.pendingMembership[frame.channel] !== frame.action) return;
  delete state.pendingMembership[frame.channel];
  out.push(fx.cancelTimer(`memberRetry:${frame.channel}`));
  out.push(fx.trace('client/membershipChanged', { user: c.user, channel: frame.channel, action: frame.action, afterSeq: frame.afterSeq, error: frame.error ?? null }));
  if (frame.error !== undefined || frame.action === 'leave') return;
  if (!state.channels.includes(frame.channel)) state.channels = [...state.channels, frame.channel];
  const v = view(state, frame.channel);
  if (c.historyVisibility === 'since-join') {
    if (v.lastSeq <= frame.afterSeq) {
      v.lastSeq = frame.afterSeq;
      v.lastId = frame.afterId;
    }
  } else requestHistory(state, frame.channel, out);
}

/** Where a history request starts: after the last message shown, or before the oldest missing one. */
function askAfter(v: ChannelView): number {
  let afterSeq = v.lastSeq;
  for (const seq of v.missing.values()) if (seq < afterSeq) afterSeq = seq;
  return afterSeq;
}

function requestHistory(state: ClientState, channel: string, out: Fx): void {
  const c = state.config;
  const v = view(state, channel);
  v.catchUps++;
  const afterSeq = askAfter(v);
  out.push(fx.trace('client/historyRequested', { user: state.config.user, channel, afterSeq }));
  out.push(toGateway(c, { type: 'history', channel, afterSeq }, 48));
}

function show(state: ClientState, v: ChannelView, m: ChatMessage, out: Fx): void {
  v.shown.push(m.id);
  v.shownSet.add(m.id);
  if (v.missing.size > 0) v.missing.delete(m.id);
  // The chain's end moves only forward: a late message shown below the last number (a hole
  // filled after the client gave up on it) must not make the next message look like a gap.
  if (m.seq === null || m.seq >= v.lastSeq) v.lastId = m.id;
  if (state.config.replyProbability > 0) v.last = { id: m.id, author: m.author, clientMsgId: m.clientMsgId };
  if (m.seq !== null && m.seq > v.lastSeq) v.lastSeq = m.seq;
  out.push(fx.trace('client/messageShown', { user: state.config.user, channel: m.channel, id: m.id, seq: m.seq, author: m.author, clientMsgId: m.clientMsgId, position: v.shown.length - 1 }));
}

/** A message reached the client, by push or from history. */
function receive(state: ClientState, m: ChatMessage, via: 'push' | 'history', out: Fx): void {
  const c = state.config;
  const v = view(state, m.channel);
  out.push(fx.trace('client/messageReceived', { user: c.user, channel: m.channel, id: m.id, seq: m.seq, via }));
  // A channel the user left (or never joined) is not on screen: what still arrives for it is not shown.
  if (!state.channels.includes(m.channel)) return;
  if (c.dedup && (v.shownSet.has(m.id) || (m.prevId !== null && v.waiting.get(m.prevId)?.id === m.id))) {
    out.push(fx.trace('client/duplicateDropped', { user: c.user, channel: m.channel, id: m.id }));
    return;
  }
  // Without sequence information, or without a reorder buffer, the client shows messages in the
  // order they arrive: exactly what the network did to them is what the user sees.
  if (!c.reorderBuffer || m.seq === null) {
    if (c.gapDetection && m.seq !== null && v.lastId !== m.prevId && !v.shownSet.has(m.id)) {
      out.push(fx.trace('client/gapDetected', { user: c.user, channel: m.channel, expectedSeq: v.lastSeq + 1, gotSeq: m.seq }));
      if (c.delivery === 'at-least-once') {
        // Remember what is missing: the request (or its answer) can be lost, a history page can
        // be read before the missing message is written (a retried write keeps its number), and
        // the shown sequence is about to move past the gap, so later asks start from here.
        if (m.prevId !== null && !v.missing.has(m.prevId)) v.missing.set(m.prevId, v.lastSeq);
        v.catchUps = 0;
        if (via === 'push') requestHistory(state, m.channel, out);
        out.push(fx.setTimer(`gap:${m.channel}`, catchUpDelayMs(c, 1)));
      }
    }
    show(state, v, m, out);
    return;
  }
  if (v.shownSet.has(m.id)) {
    // Dedup is off: the user sees it again.
    show(state, v, m, out);
    return;
  }
  if (m.prevId === v.lastId || (m.seq !== null && m.seq <= v.lastSeq)) {
    show(state, v, m, out);
    drain(state, v, m.channel, out);
    return;
  }
  // A gap: the predecessor has not arrived yet. Hold this one and wait a little.
  const opened = v.waiting.size === 0;
  v.waiting.set(m.prevId ?? '', m);
  if (opened) {
    out.push(fx.trace('client/gapDetected', { user: c.user, channel: m.channel, expectedSeq: v.lastSeq + 1, gotSeq: m.seq }));
    v.catchUps = 0;
    out.push(fx.setTimer(`reorder:${m.channel}`, c.reorderMaxWaitMs));
  }
}

/** Shows every held message whose predecessor is now shown. */
function drain(state: ClientState, v: ChannelView, channel: string, out: Fx): void {
  for (;;) {
    const next = v.lastId === null ? undefined : v.waiting.get(v.lastId);
    if (next === undefined) break;
    v.waiting.delete(v.lastId as string);
    if (!v.shownSet.has(next.id)) show(state, v, next, out);
  }
  if (v.waiting.size === 0) out.push(fx.cancelTimer(`reorder:${channel}`));
}

/** The wait before catch-up number `k + 1` of a gap: from reorderMaxWaitMs, doubling, up to 8 s. */
function catchUpDelayMs(c: ClientConfig, k: number): number {
  return Math.min(c.reorderMaxWaitMs * 2 ** Math.min(k, 16), Math.max(c.reorderMaxWaitMs, 8000));
}

/**
 * How many times a gap asks history before the client gives up on it and shows what it holds:
 * enough to outlast the sender's own retries (ackTimeoutMs × maxSendAttempts), since a message
 * whose write timed out is written again, with its number, by a retry; after that it can no longer
 * appear. At least 3. (Found by the swarm fuzzer: giving up after 1.5 s skipped such late writes,
 * and a member saw them out of place or, polling after the gap, never.)
 */
function gapCatchUps(c: ClientConfig): number {
  const horizon = c.ackTimeoutMs * c.maxSendAttempts;
  let waited = c.reorderMaxWaitMs;
  let k = 0;
  while (waited < horizon && k < 16) {
    waited += catchUpDelayMs(c, k);
    k++;
  }
  return Math.max(3, k);
}

function onReorderTimeout(state: ClientState, channel: string, out: Fx): void {
  const c = state.config;
  const v = view(state, channel);
  if (v.waiting.size === 0) return;
  out.push(fx.trace('client/reorderTimedOut', { user: c.user, channel, waitedMs: c.reorderMaxWaitMs }));
  // Ask history for the gap (at-least-once with gap detection), a few times; after that, or when
  // there is no history to ask, give up on the gap and show what is held, in sequence order.
  if (c.delivery === 'at-least-once' && c.gapDetection) {
    // Offline: the catch-up after the next connect will fill the gap; never skip it meanwhile.
    if (state.phase !== 'online') return;
    if (v.catchUps < gapCatchUps(c)) {
      requestHistory(state, channel, out);
      return;
    }
  }
  const held = [...v.waiting.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  v.waiting.clear();
  for (const m of held) if (!v.shownSet.has(m.id)) show(state, v, m, out);
}
