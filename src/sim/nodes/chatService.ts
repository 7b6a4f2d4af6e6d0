/**
 * The chat service: validates a send (empty, too long, unknown channel), authorizes it (only
 * members may post; anyone else gets FORBIDDEN and nothing is delivered), deduplicates retries by
 * their idempotency key, assigns the sequence number and previous-message id (per channel, from a
 * global sequencer, or not at all), persists, and only then publishes and acknowledges.
 */
import type { ChatMessage, WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { channelMembers, type SendErrorCode } from '../contract/index.ts';
import { NODE } from './protocol.ts';
import { createSlot, decide, decisionTrace, keyOf, rateLimitedMessage, type LimiterSlot, type RateLimitConfig } from './rateLimit.ts';

/** Chat service configuration. */
export interface ChatConfig {
  readonly ordering: 'global' | 'per-channel' | 'none';
  readonly maxTextBytes: number;
  readonly broker: 'redis' | 'kafka' | 'none';
  /** channel → members (a Map: a million channels would make a slow object). */
  readonly channels: ReadonlyMap<string, readonly string[]>;
  readonly dbTimeoutMs: number;
  /** Ask presence which members are offline and push to them. */
  readonly notifications: boolean;
  /** Channels whose members poll history: persisted and acknowledged, never published. */
  readonly pulledChannels: readonly string[];
  /** Rate limiting in the chat service (every server's traffic meets here). */
  readonly rateLimit?: RateLimitConfig;
  /** Users u1..u<n> have implicit personal channels `p:<user>` (see ClusterInfo). */
  readonly personalChannelUsers: number;
}

function membersOf(config: ChatConfig, channel: string): readonly string[] | undefined {
  return channelMembers(config.channels, config.personalChannelUsers, channel);
}

interface Submission {
  readonly user: string;
  readonly server: string;
  readonly clientMsgId: string;
  readonly channel: string;
  readonly text: string;
}

/** Chat service state. */
export interface ChatState {
  readonly config: ChatConfig;
  nextSeq: Record<string, number>;
  lastId: Record<string, string | null>;
  /** Idempotency keys: `user|clientMsgId` → the message (status pending until persisted). */
  keys: Record<string, { message: ChatMessage | null; done: boolean }>;
  /** Writes waiting for the database, by request id. */
  writes: Record<number, { submission: Submission; message: ChatMessage }>;
  /** Global ordering: submissions waiting for the sequencer, and answers waiting their turn. */
  awaitingSeq: Record<number, Submission>;
  seqAnswers: Record<number, number>;
  nextGlobal: number;
  idCounter: number;
  reqCounter: number;
  limiter: LimiterSlot | null;
  /** The time of the input being handled. */
  now: number;
}

type Fx = Effect<WireMsg, unknown>[];

/** UTF-8 length of a string, without TextEncoder (which the simulation layer does not use). */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export const chatService: NodeBehavior<ChatState, WireMsg, unknown, ChatConfig> = {
  kind: 'chat',
  init: (config) => {
    return {
      config,
      nextSeq: {},
      lastId: {},
      keys: {},
      writes: {},
      awaitingSeq: {},
      seqAnswers: {},
      nextGlobal: 1,
      idCounter: 0,
      reqCounter: 0,
      limiter: config.rateLimit === undefined ? null : createSlot(config.rateLimit),
      now: 0,
    };
  },
  handle(state, now, input) {
    const out: Fx = [];
    state.now = now;
    if (input.type === 'timer') {
      if (input.timerId.startsWith('db:')) dbTimedOut(state, Number(input.timerId.slice(3)), out);
      return { state, effects: out };
    }
    if (input.type !== 'message') return { state, effects: out };
    onMessage(state, input.from, input.msg, out);
    return { state, effects: out };
  },
};

function onMessage(state: ChatState, from: string, msg: WireMsg, out: Fx): void {
  switch (msg.type) {
    case 'batch':
      for (const item of msg.items) onMessage(state, from, item, out);
      return;
    case 'chat/session':
      // Loading a session is a database read (memberships): a reconnect storm is a database storm.
      out.push(fx.send<WireMsg>(NODE.db, { type: 'db/session', user: msg.user, replyTo: from }, 48));
      return;
    case 'chat/submit':
      submit(state, { user: msg.user, server: from, clientMsgId: msg.clientMsgId, channel: msg.channel, text: msg.text }, out);
      return;
    case 'chat/history': {
      const members = membersOf(state.config, msg.channel);
      if (members === undefined || !members.includes(msg.user)) {
        out.push(fx.send<WireMsg>(from, { type: 'db/historyResult', user: msg.user, channel: msg.channel, afterSeq: msg.afterSeq, messages: [] }, 48));
        return;
      }
      out.push(fx.send<WireMsg>(NODE.db, { type: 'db/history', user: msg.user, channel: msg.channel, afterSeq: msg.afterSeq, replyTo: from }, 48));
      return;
    }
    case 'seq/assigned': {
      state.seqAnswers[msg.seq] = msg.reqId;
      // Sequencer answers may arrive out of order; hand out previous ids strictly in seq order.
      for (;;) {
        const reqId = state.seqAnswers[state.nextGlobal];
        if (reqId === undefined) break;
        delete state.seqAnswers[state.nextGlobal];
        const sub = state.awaitingSeq[reqId];
        delete state.awaitingSeq[reqId];
        if (sub !== undefined) sequence(state, sub, state.nextGlobal, out);
        state.nextGlobal++;
      }
      return;
    }
    case 'db/inserted':
      persisted(state, msg.reqId, msg.order, out);
      return;
    default:
      return;
  }
}

function reject(state: ChatState, sub: Submission, code: SendErrorCode, reason: string, out: Fx): void {
  out.push(fx.trace('chat/messageRejected', { user: sub.user, channel: sub.channel, clientMsgId: sub.clientMsgId, code, reason }));
  out.push(fx.send<WireMsg>(sub.server, { type: 'chat/rejected', user: sub.user, clientMsgId: sub.clientMsgId, channel: sub.channel, code, reason }, 64));
  void state;
}

function submit(state: ChatState, sub: Submission, out: Fx): void {
  const c = state.config;
  const members = membersOf(c, sub.channel);
  if (members === undefined) return reject(state, sub, 'INVALID', `unknown channel "${sub.channel}"`, out);
  if (sub.text.trim().length === 0) return reject(state, sub, 'INVALID', 'the message is empty', out);
  const bytes = utf8Bytes(sub.text);
  if (bytes > c.maxTextBytes) return reject(state, sub, 'INVALID', `the message is ${bytes} bytes; the limit is ${c.maxTextBytes}`, out);
  if (!members.includes(sub.user)) return reject(state, sub, 'FORBIDDEN', `${sub.user} is not a member of ${sub.channel}`, out);
  if (state.limiter !== null) {
    const { decision, data } = decide(state.limiter, keyOf(state.limiter.config, sub.user), state.now);
    if (data !== null) out.push(decisionTrace(data, decision?.allowed ?? true));
    if (decision !== null && !decision.allowed) return reject(state, sub, 'RATE_LIMITED', rateLimitedMessage(state.limiter.config, decision.retryAfterMs), out);
  }

  const key = `${sub.user}|${sub.clientMsgId}`;
  const known = state.keys[key];
  if (known !== undefined) {
    // A retry. Persisted: acknowledge again with the same id (the first ack was lost). Still in
    // flight: the ack is on its way. Either way nothing new is stored or delivered.
    if (known.message !== null) out.push(fx.trace('chat/duplicateSubmission', { user: sub.user, clientMsgId: sub.clientMsgId, id: known.message.id }));
    if (known.done && known.message !== null) {
      out.push(fx.send<WireMsg>(sub.server, { type: 'chat/accepted', user: sub.user, message: known.message, members: null }, 96));
    }
    return;
  }
  state.keys[key] = { message: null, done: false };
  if (c.ordering === 'global') {
    state.reqCounter++;
    state.awaitingSeq[state.reqCounter] = sub;
    out.push(fx.send<WireMsg>(NODE.sequencer, { type: 'seq/next', reqId: state.reqCounter }, 16));
    return;
  }
  sequence(state, sub, c.ordering === 'per-channel' ? (state.nextSeq[sub.channel] = (state.nextSeq[sub.channel] ?? 0) + 1) : null, out);
}

/** Assigns the id and previous id, then writes to the database. */
function sequence(state: ChatState, sub: Submission, seq: number | null, out: Fx): void {
  state.idCounter++;
  const id = `m${state.idCounter}`;
  const prevId = seq === null ? null : (state.lastId[sub.channel] ?? null);
  if (seq !== null) state.lastId[sub.channel] = id;
  const message: ChatMessage = { id, channel: sub.channel, seq, prevId, author: sub.user, clientMsgId: sub.clientMsgId, text: sub.text };
  const key = `${sub.user}|${sub.clientMsgId}`;
  state.keys[key] = { message, done: false };
  out.push(fx.trace('chat/messageSequenced', { id, channel: sub.channel, seq, prevId, author: sub.user, clientMsgId: sub.clientMsgId }));
  state.reqCounter++;
  state.writes[state.reqCounter] = { submission: sub, message };
  out.push(fx.send<WireMsg>(NODE.db, { type: 'db/insert', reqId: state.reqCounter, message }, 96 + sub.text.length * 2));
  out.push(fx.setTimer(`db:${state.reqCounter}`, state.config.dbTimeoutMs));
}

function persisted(state: ChatState, reqId: number, order: number, out: Fx): void {
  const w = state.writes[reqId];
  if (w === undefined) return; // it timed out; the row exists but the sender was told it failed
  delete state.writes[reqId];
  out.push(fx.cancelTimer(`db:${reqId}`));
  const { submission: sub, message: m } = w;
  const key = `${sub.user}|${sub.clientMsgId}`;
  state.keys[key] = { message: m, done: true };
  // With sequence numbers the stored history is ordered by them; without, by insertion.
  out.push(fx.trace('chat/messagePersisted', { id: m.id, channel: m.channel, seq: m.seq, order: m.seq ?? order, author: m.author }));
  const pulled = state.config.pulledChannels.includes(m.channel);
  const members = state.config.broker === 'none' && !pulled ? (membersOf(state.config, m.channel) ?? []) : null;
  out.push(fx.send<WireMsg>(sub.server, { type: 'chat/accepted', user: sub.user, message: m, members }, 96 + (members?.length ?? 0) * 8));
  // A pulled channel is not pushed: members find the message when they next poll history.
  if (pulled) return;
  if (state.config.broker !== 'none') out.push(fx.send<WireMsg>(NODE.broker, { type: 'pub', topic: m.channel, message: m }, 96 + m.text.length * 2));
  out.push(fx.trace('chat/messagePublished', { id: m.id, channel: m.channel }));
  if (state.config.notifications) {
    const all = membersOf(state.config, m.channel) ?? [];
    out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/notifyOffline', members: all, message: m }, 96 + all.length * 8));
  }
}

function dbTimedOut(state: ChatState, reqId: number, out: Fx): void {
  const w = state.writes[reqId];
  if (w === undefined) return;
  delete state.writes[reqId];
  // Forget the key so that the client's retry can try again.
  delete state.keys[`${w.submission.user}|${w.submission.clientMsgId}`];
  reject(state, w.submission, 'UNAVAILABLE', 'the database did not answer in time', out);
}
