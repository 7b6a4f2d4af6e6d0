/**
 * The chat service: validates a send (empty, too long, unknown channel), authorizes it (only
 * members may post; anyone else gets FORBIDDEN and nothing is delivered), deduplicates retries by
 * their idempotency key, assigns the sequence number and previous-message id (per channel, from a
 * global sequencer, or not at all), persists, and only then publishes and acknowledges.
 */
import type { ChatMessage, MembershipAction, ReplyRef, WireMsg } from '../contract/index.ts';
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
  /** A presence service runs (it authorizes typing, so it hears of joins and leaves). */
  readonly presence: boolean;
  /** Channels whose members poll history: persisted and acknowledged, never published. */
  readonly pulledChannels: readonly string[];
  /** Rate limiting in the chat service (every server's traffic meets here). */
  readonly rateLimit?: RateLimitConfig;
  /** Users u1..u<n> have implicit personal channels `p:<user>` (see ClusterInfo). */
  readonly personalChannelUsers: number;
  /**
   * How long an idempotency key is remembered after its first submit (ADR 0011): it must outlive
   * every retry of the send, including those after a database timeout and after a reconnect.
   */
  readonly idempotencyKeyTtlMs: number;
  /**
   * What a member who joined mid-run may read: `all` (the channel's whole history, as Slack
   * shows a newcomer) or `since-join` (only messages stamped at or after the join, as a
   * WhatsApp group does). Members from the start are members since before the first message.
   */
  readonly historyVisibility: 'all' | 'since-join';
}

/** The members of a channel now: the configured list, or its version after joins and leaves. */
function membersOf(state: ChatState, channel: string): readonly string[] | undefined {
  return state.changedMembers[channel] ?? channelMembers(state.config.channels, state.config.personalChannelUsers, channel);
}

interface Submission {
  readonly user: string;
  readonly server: string;
  readonly clientMsgId: string;
  readonly channel: string;
  readonly text: string;
  readonly replyTo?: ReplyRef | undefined;
}

/**
 * One idempotency key's record (ADR 0011). It lives for the key's TTL from its first submit,
 * whatever happens to the write: a write that timed out is in doubt (the row may exist), so the
 * key must outlive the timeout, or the retry would be stored again under a new id.
 */
interface KeyRecord {
  /** The message once sequenced (null while a global sequence number is awaited). */
  message: ChatMessage | null;
  /** The database confirmed the write. */
  done: boolean;
  /** Writes of this message still waiting for the database's answer. */
  writesInFlight: number;
  /** The server the last submit of this key came through (where its ack goes). */
  server: string;
  /** The key is forgotten at this time (its first submit plus the TTL). */
  readonly expiresAtMs: number;
}

/** Chat service state. */
export interface ChatState {
  readonly config: ChatConfig;
  nextSeq: Record<string, number>;
  lastId: Record<string, string | null>;
  /** Idempotency keys: `user|clientMsgId` → the record of that send. */
  keys: Record<string, KeyRecord>;
  /** Keys in the order they expire (every key has the same TTL, so the order of first submits). */
  keyExpiry: string[];
  /** The index of the next key in `keyExpiry` to expire. */
  keyExpiryHead: number;
  /**
   * Writes waiting for the database, by request id. A write that timed out stays (marked) until
   * its answer comes: the row may still be written, late, and the key must then be completed.
   */
  writes: Record<number, { submission: Submission; message: ChatMessage; timedOut: boolean }>;
  /** Global ordering: submissions waiting for the sequencer, and answers waiting their turn. */
  awaitingSeq: Record<number, Submission>;
  seqAnswers: Record<number, number>;
  nextGlobal: number;
  idCounter: number;
  reqCounter: number;
  limiter: LimiterSlot | null;
  /** The time of the input being handled. */
  now: number;
  /** Channels whose members changed during the run: their members now (the rest are as configured). */
  changedMembers: Record<string, string[]>;
  /**
   * `user|channel` → the user's last mid-run join of the channel: when it took effect (for
   * `since-join` history) and the channel's last number and message then (the join point,
   * answered again to a repeated join whose confirmation was lost).
   */
  joins: Record<string, { readonly atMs: number; readonly afterSeq: number; readonly afterId: string | null }>;
  /** The last sequence number handed out in each channel (the join point a joiner's view starts after). */
  lastSeq: Record<string, number>;
  /** Joins and leaves waiting for the database's membership write, by request id. */
  membershipWrites: Record<number, { user: string; channel: string; action: MembershipAction; server: string }>;
}

type Fx = Effect<WireMsg, unknown>[];

/** What the chat service keeps across a crash (see `durable`). */
type ChatDurable = Pick<ChatState, 'nextSeq' | 'lastId' | 'keys' | 'keyExpiry' | 'keyExpiryHead' | 'idCounter' | 'reqCounter' | 'changedMembers' | 'joins' | 'lastSeq'>;

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
  init: (config, _ctx, durable) => {
    const disk = durable as ChatDurable | undefined;
    const keys = disk?.keys ?? {};
    if (disk !== undefined) {
      // After a crash nothing is in flight: a write that was is in doubt (its retry writes the
      // same message again, ADR 0011), and a send that never got its global number is forgotten,
      // so its retry is sequenced afresh.
      for (const [k, record] of Object.entries(keys)) {
        if (record.message === null) delete keys[k];
        else record.writesInFlight = 0;
      }
    }
    return {
      config,
      nextSeq: disk?.nextSeq ?? {},
      lastId: disk?.lastId ?? {},
      keys,
      keyExpiry: disk?.keyExpiry ?? [],
      keyExpiryHead: disk?.keyExpiryHead ?? 0,
      writes: {},
      awaitingSeq: {},
      seqAnswers: {},
      // After a restart the numbers the sequencer handed out to lost requests never come: take
      // the next answer's number as the next in line (0: not known yet).
      nextGlobal: disk === undefined ? 1 : 0,
      idCounter: disk?.idCounter ?? 0,
      reqCounter: disk?.reqCounter ?? 0,
      limiter: config.rateLimit === undefined ? null : createSlot(config.rateLimit),
      now: 0,
      changedMembers: disk?.changedMembers ?? {},
      joins: disk?.joins ?? {},
      lastSeq: disk?.lastSeq ?? {},
      membershipWrites: {},
    };
  },
  // The sequence counters, the id and request counters and the idempotency keys are kept in a
  // durable store (a database row per channel, a Redis hash with its log), as design 001's chat
  // servers keep them: a restarted chat service must not hand out a number, an id or a request id
  // again, nor store a retried send anew. (Found by the swarm fuzzer, ADR 0015: with them in
  // memory, a crash of the chat service broke every design.)
  durable: (state): ChatDurable => ({
    nextSeq: state.nextSeq,
    lastId: state.lastId,
    keys: state.keys,
    keyExpiry: state.keyExpiry,
    keyExpiryHead: state.keyExpiryHead,
    idCounter: state.idCounter,
    reqCounter: state.reqCounter,
    changedMembers: state.changedMembers,
    joins: state.joins,
    lastSeq: state.lastSeq,
  }),
  handle(state, now, input) {
    const out: Fx = [];
    state.now = now;
    if (input.type === 'started' && input.restart) {
      redriveInDoubt(state, out);
      return { state, effects: out };
    }
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
      submit(state, { user: msg.user, server: from, clientMsgId: msg.clientMsgId, channel: msg.channel, text: msg.text, replyTo: msg.replyTo }, out);
      return;
    case 'chat/history': {
      const members = membersOf(state, msg.channel);
      if (members === undefined || !members.includes(msg.user)) {
        out.push(fx.send<WireMsg>(from, { type: 'db/historyResult', user: msg.user, channel: msg.channel, afterSeq: msg.afterSeq, messages: [] }, 48));
        return;
      }
      // A member who joined mid-run, under `since-join`, reads only what was stamped since.
      const sinceMs = state.config.historyVisibility === 'since-join' ? state.joins[`${msg.user}|${msg.channel}`]?.atMs : undefined;
      const query: WireMsg = { type: 'db/history', user: msg.user, channel: msg.channel, afterSeq: msg.afterSeq, replyTo: from };
      out.push(fx.send<WireMsg>(NODE.db, sinceMs === undefined ? query : { ...query, sinceMs }, 48));
      return;
    }
    case 'chat/membership':
      membership(state, from, msg.user, msg.channel, msg.action, out);
      return;
    case 'db/membershipSaved':
      membershipSaved(state, msg.reqId, out);
      return;
    case 'seq/assigned': {
      state.seqAnswers[msg.seq] = msg.reqId;
      if (state.nextGlobal === 0) state.nextGlobal = msg.seq;
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
  const members = membersOf(state, sub.channel);
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

  expireKeys(state);
  const key = `${sub.user}|${sub.clientMsgId}`;
  const known = state.keys[key];
  if (known !== undefined) {
    known.server = sub.server;
    // A retry: nothing new is sequenced or stored. Persisted: acknowledge again with the same id
    // (the first ack was lost). Being written: the ack is on its way. In doubt (every write of it
    // timed out): write the same message again, which the database stores at most once (by id),
    // so the retry completes the send whether or not the first write landed.
    if (known.message !== null) out.push(fx.trace('chat/duplicateSubmission', { user: sub.user, clientMsgId: sub.clientMsgId, id: known.message.id }));
    if (known.done && known.message !== null) {
      out.push(fx.send<WireMsg>(sub.server, { type: 'chat/accepted', user: sub.user, message: known.message, members: null }, 96));
    } else if (known.message !== null && known.writesInFlight === 0) {
      write(state, { ...sub, replyTo: known.message.replyTo }, known.message, known, out);
    }
    return;
  }
  keyRecord(state, key).server = sub.server;
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
  if (seq !== null) {
    state.lastId[sub.channel] = id;
    state.lastSeq[sub.channel] = seq;
  }
  const base = { id, channel: sub.channel, seq, prevId, author: sub.user, clientMsgId: sub.clientMsgId, text: sub.text, sentAtMs: state.now };
  const message: ChatMessage = sub.replyTo === undefined ? base : { ...base, replyTo: sub.replyTo };
  const record = keyRecord(state, `${sub.user}|${sub.clientMsgId}`);
  record.message = message;
  out.push(fx.trace('chat/messageSequenced', { id, channel: sub.channel, seq, prevId, author: sub.user, clientMsgId: sub.clientMsgId }));
  write(state, sub, message, record, out);
}

/** Sends one write of `message` to the database, with its timeout. */
function write(state: ChatState, sub: Submission, message: ChatMessage, record: KeyRecord, out: Fx): void {
  state.reqCounter++;
  record.writesInFlight++;
  state.writes[state.reqCounter] = { submission: sub, message, timedOut: false };
  out.push(fx.send<WireMsg>(NODE.db, { type: 'db/insert', reqId: state.reqCounter, message }, 96 + sub.text.length * 2));
  out.push(fx.setTimer(`db:${state.reqCounter}`, state.config.dbTimeoutMs));
}

/** The record of a key, made (with its TTL from now) if there is none. */
function keyRecord(state: ChatState, key: string): KeyRecord {
  let record = state.keys[key];
  if (record === undefined) {
    record = { message: null, done: false, writesInFlight: 0, server: '', expiresAtMs: state.now + state.config.idempotencyKeyTtlMs };
    state.keys[key] = record;
    state.keyExpiry.push(key);
  }
  return record;
}

/** Forgets the keys whose TTL is over (lazily, on the next submit). */
function expireKeys(state: ChatState): void {
  const q = state.keyExpiry;
  while (state.keyExpiryHead < q.length) {
    const k = q[state.keyExpiryHead] as string;
    const record = state.keys[k];
    if (record !== undefined && record.expiresAtMs > state.now) break;
    delete state.keys[k];
    state.keyExpiryHead++;
  }
  // Drop the expired prefix now and then, so the queue holds only live keys.
  if (state.keyExpiryHead > 1024 && state.keyExpiryHead * 2 > q.length) {
    state.keyExpiry = q.slice(state.keyExpiryHead);
    state.keyExpiryHead = 0;
  }
}

function persisted(state: ChatState, reqId: number, order: number, out: Fx): void {
  const w = state.writes[reqId];
  if (w === undefined) return;
  delete state.writes[reqId];
  const { submission: sub, message: m } = w;
  const record = state.keys[`${sub.user}|${sub.clientMsgId}`];
  if (!w.timedOut) {
    out.push(fx.cancelTimer(`db:${reqId}`));
    if (record !== undefined) record.writesInFlight--;
  }
  // A second answer for the same message (a late first write and its retry): it is stored once
  // and was published and acknowledged at the first answer.
  if (record !== undefined) {
    if (record.done) return;
    record.done = true;
  }
  // With sequence numbers the stored history is ordered by them; without, by insertion.
  out.push(fx.trace('chat/messagePersisted', { id: m.id, channel: m.channel, seq: m.seq, order: m.seq ?? order, author: m.author, clientMsgId: m.clientMsgId }));
  const pulled = state.config.pulledChannels.includes(m.channel);
  const members = state.config.broker === 'none' && !pulled ? (membersOf(state, m.channel) ?? []) : null;
  out.push(fx.send<WireMsg>(sub.server, { type: 'chat/accepted', user: sub.user, message: m, members }, 96 + (members?.length ?? 0) * 8));
  // A pulled channel is not pushed: members find the message when they next poll history.
  if (pulled) return;
  if (state.config.broker !== 'none') out.push(fx.send<WireMsg>(NODE.broker, { type: 'pub', topic: m.channel, message: m }, 96 + m.text.length * 2));
  out.push(fx.trace('chat/messagePublished', { id: m.id, channel: m.channel }));
  if (state.config.notifications) {
    const all = membersOf(state, m.channel) ?? [];
    out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/notifyOffline', members: all, message: m }, 96 + all.length * 8));
  }
}

/**
 * After a restart, writes the messages whose writes were in flight when the service crashed: each
 * already has its number, and later messages name it as their predecessor, so left unwritten it
 * would be a hole every member's client waits on (found by the swarm fuzzer, ADR 0015). The
 * database stores each id at most once, so a write that had landed is answered as the first was.
 */
function redriveInDoubt(state: ChatState, out: Fx): void {
  for (const record of Object.values(state.keys)) {
    const m = record.message;
    if (m === null || record.done || record.server === '') continue;
    const sub: Submission = { user: m.author, server: record.server, clientMsgId: m.clientMsgId, channel: m.channel, text: m.text, replyTo: m.replyTo };
    write(state, sub, m, record, out);
  }
}

function dbTimedOut(state: ChatState, reqId: number, out: Fx): void {
  const w = state.writes[reqId];
  if (w === undefined || w.timedOut) return;
  w.timedOut = true;
  const record = state.keys[`${w.submission.user}|${w.submission.clientMsgId}`];
  if (record !== undefined) record.writesInFlight--;
  // The key is kept (ADR 0011): the write is in doubt, and a retry must find the same message.
  // Only the last write in flight tells the sender; a retry will write the same message again.
  if (record !== undefined && (record.done || record.writesInFlight > 0)) return;
  reject(state, w.submission, 'UNAVAILABLE', 'the database did not answer in time', out);
}

/**
 * A join or leave forwarded by a server. Access is revoked first and granted last, so no node
 * ever lets through more than the chat service allows: a leave is written to the membership table
 * first (a session loaded from then on lacks the channel) and takes effect here when the write is
 * confirmed; a join takes effect here at once (messages sequenced from now count the user in) and
 * is then written, and only its confirmation lets the user's server subscribe. Presence hears of
 * a leave before the database does and of a join after. Refused: unknown or personal channels.
 * Idempotent: joining as a member or leaving as a non-member answers as if it had just happened.
 */
function membership(state: ChatState, server: string, user: string, channel: string, action: MembershipAction, out: Fx): void {
  const members = membersOf(state, channel);
  const refuse = (error: string): void => {
    out.push(fx.send<WireMsg>(server, { type: 'chat/membershipDone', user, channel, action, afterSeq: 0, afterId: null, visibleFromMs: 0, error }, 64));
  };
  if (members === undefined) return refuse(`unknown channel "${channel}"`);
  if (channel.startsWith('p:')) return refuse(`${channel} is a personal channel`);
  const isMember = members.includes(user);
  if (action === 'join' && !isMember) {
    applyMembership(state, user, channel, 'join', out);
  } else if (action === 'leave' && isMember && state.config.presence) {
    out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/membership', user, channel, action }, 48));
  }
  state.reqCounter++;
  state.membershipWrites[state.reqCounter] = { user, channel, action, server };
  const visibleFromMs = action === 'join' && state.config.historyVisibility === 'since-join' ? (state.joins[`${user}|${channel}`]?.atMs ?? 0) : 0;
  out.push(fx.send<WireMsg>(NODE.db, { type: 'db/membership', reqId: state.reqCounter, user, channel, action, visibleFromMs }, 64));
}

function membershipSaved(state: ChatState, reqId: number, out: Fx): void {
  const w = state.membershipWrites[reqId];
  if (w === undefined) return;
  delete state.membershipWrites[reqId];
  const members = membersOf(state, w.channel) ?? [];
  if (w.action === 'leave' && members.includes(w.user)) applyMembership(state, w.user, w.channel, 'leave', out);
  if (w.action === 'join' && state.config.presence) {
    out.push(fx.send<WireMsg>(NODE.presence, { type: 'presence/membership', user: w.user, channel: w.channel, action: 'join' }, 48));
  }
  // A join answers with its own join point (the same for a repeat); a member from the start has
  // none (0, null: the client keeps its view); a leave answers with where the channel is now.
  const key = `${w.user}|${w.channel}`;
  const point = w.action === 'join' ? (state.joins[key] ?? { afterSeq: 0, afterId: null }) : { afterSeq: state.lastSeq[w.channel] ?? 0, afterId: state.lastId[w.channel] ?? null };
  const { afterSeq, afterId } = point;
  const visibleFromMs = w.action === 'join' && state.config.historyVisibility === 'since-join' ? (state.joins[key]?.atMs ?? 0) : 0;
  out.push(fx.send<WireMsg>(w.server, { type: 'chat/membershipDone', user: w.user, channel: w.channel, action: w.action, afterSeq, afterId, visibleFromMs }, 64));
}

/** The change itself, in the chat service that authorizes: from this event on, it counts. */
function applyMembership(state: ChatState, user: string, channel: string, action: MembershipAction, out: Fx): void {
  const members = membersOf(state, channel) ?? [];
  state.changedMembers[channel] = action === 'join' ? [...members, user] : members.filter((u) => u !== user);
  const key = `${user}|${channel}`;
  if (action === 'join') {
    state.joins[key] = { atMs: state.now, afterSeq: state.lastSeq[channel] ?? 0, afterId: state.lastId[channel] ?? null };
  } else {
    delete state.joins[key];
  }
  out.push(fx.trace('chat/membershipChanged', { user, channel, action, afterSeq: state.lastSeq[channel] ?? 0, afterId: state.lastId[channel] ?? null }));
}
