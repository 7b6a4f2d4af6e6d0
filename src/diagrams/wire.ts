/**
 * Reading the wire messages inside `net/messageSent` events (`data.msg`, shapes in
 * src/sim/nodes/protocol.ts): which chat messages a frame is about, a short human description,
 * and how a sequence diagram should draw it. The payloads are read structurally rather than
 * through the protocol's union type, so message types added later (presence, notifications)
 * still get a sensible description and are still linked to the chat messages they carry.
 */
import type { ArrowKind } from './mermaid/ast.ts';
import { truncateText } from './mermaid/print.ts';

/**
 * A plain object view of an unknown value, or null for anything else (arrays included).
 *
 * @example
 * rec({ type: 'ack' })?.['type']; // 'ack'
 * rec([1, 2]);                    // null
 */
export function rec(x: unknown): Record<string, unknown> | null {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : null;
}

function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function arr(x: unknown): readonly unknown[] {
  return Array.isArray(x) ? x : [];
}

/** The chat messages and idempotency keys a payload mentions, at any depth. */
export interface Mentions {
  /** Server-assigned message ids (`m12`). */
  readonly ids: readonly string[];
  /** Client idempotency keys (`u1-5`). */
  readonly clientMsgIds: readonly string[];
}

const NO_MENTIONS: Mentions = { ids: [], clientMsgIds: [] };
const mentionCache = new WeakMap<object, Mentions>();

/**
 * Finds every `id` and `clientMsgId` string in a payload (a frame, a wrapped frame, a history
 * page, a batch). Results are cached per payload object, since one diagram may ask many times.
 *
 * @example
 * mentionsOf({ type: 'ack', id: 'm3' }); // { ids: ['m3'], clientMsgIds: [] }
 */
export function mentionsOf(msg: unknown): Mentions {
  const root = rec(msg);
  if (root === null) return NO_MENTIONS;
  const cached = mentionCache.get(root);
  if (cached !== undefined) return cached;
  const ids: string[] = [];
  const clientMsgIds: string[] = [];
  // Bounded walk: payloads are small trees, but a bound keeps a malformed one from running away.
  let budget = 5_000;
  const walk = (x: unknown, depth: number): void => {
    if (budget-- <= 0 || depth > 8) return;
    if (Array.isArray(x)) {
      for (const item of x) walk(item, depth + 1);
      return;
    }
    const o = rec(x);
    if (o === null) return;
    const id = str(o['id']);
    if (id !== null) ids.push(id);
    const key = str(o['clientMsgId']);
    if (key !== null) clientMsgIds.push(key);
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'object' && v !== null) walk(v, depth + 1);
    }
  };
  walk(root, 0);
  const out = ids.length === 0 && clientMsgIds.length === 0 ? NO_MENTIONS : { ids, clientMsgIds };
  mentionCache.set(root, out);
  return out;
}

/**
 * The wire type of a payload (`send`, `fromClient`, `pub`, …), or `?` when it has none.
 *
 * @example
 * wireType({ type: 'pub', topic: 'g1' }); // 'pub'
 */
export function wireType(msg: unknown): string {
  return str(rec(msg)?.['type']) ?? '?';
}

/**
 * The client frame inside a gateway ↔ server wrapper (`fromClient`, `toClient`), or the payload
 * itself when it is not wrapped.
 *
 * @example
 * innerFrame({ type: 'fromClient', client: 'c-u1', frame: { type: 'send' } }); // { type: 'send' }
 */
export function innerFrame(msg: unknown): unknown {
  const o = rec(msg);
  const t = str(o?.['type']);
  return (t === 'fromClient' || t === 'toClient') && o !== null ? o['frame'] : msg;
}

/** Keep-alives and flow-control reports: real traffic, but never part of a message's story. */
export const BOOKKEEPING_TYPES: ReadonlySet<string> = new Set([
  'ping',
  'pong',
  'health',
  'healthOk',
  'brokerPing',
  'brokerPong',
  'drained',
  'presence/beat',
]);

/**
 * True for a history request at any hop: client frame, wrapped frame, chat service, database.
 *
 * @example
 * isHistoryRequest({ type: 'fromClient', client: 'c-u1', frame: { type: 'history' } }); // true
 */
export function isHistoryRequest(msg: unknown): boolean {
  const t = wireType(innerFrame(msg));
  return t === 'history' || t === 'chat/history' || t === 'db/history';
}

/** Answers to a request: drawn dashed, as UML draws replies. */
const REPLY_TYPES = new Set([
  'sendAck',
  'sendError',
  'connected',
  'rejected',
  'historyPage',
  'pong',
  'healthOk',
  'chat/sessionInfo',
  'chat/accepted',
  'chat/rejected',
  'seq/assigned',
  'db/inserted',
  'db/historyResult',
  'dir/found',
  'brokerPong',
  'records',
]);

/** Pushes nobody waits for an answer to: drawn as open (async) arrows. */
const ASYNC_TYPES = new Set([
  'pub',
  'msg',
  'deliver',
  'push',
  'direct',
  'notify/push',
  'presence',
  'presence/deliver',
  'typingNotice',
  'resync',
  'closed',
]);

/**
 * How a sequence diagram draws a payload: replies dashed, pushes async, requests solid. Wrapped
 * frames are drawn like the frame they carry.
 *
 * @example
 * arrowKindOf({ type: 'toClient', client: 'c-u2', frame: { type: 'deliver' } }); // 'async'
 */
export function arrowKindOf(msg: unknown): ArrowKind {
  const t = wireType(innerFrame(msg));
  if (REPLY_TYPES.has(t)) return 'dashed';
  if (ASYNC_TYPES.has(t) || t.startsWith('presence/')) return 'async';
  return 'solid';
}

/** Options for {@link describeWire}. */
export interface DescribeOptions {
  /** Chat text longer than this is cut with `…`. Default 24. */
  readonly maxTextLength?: number;
}

/** `, seq 3` when a message has a sequence number, else nothing. */
function seqPart(m: Record<string, unknown> | null): string {
  const seq = num(m?.['seq']);
  return seq === null ? '' : `, seq ${seq}`;
}

function idsPart(messages: readonly unknown[]): string {
  const ids = messages.map((m) => str(rec(m)?.['id']) ?? str(rec(rec(m)?.['message'])?.['id'])).filter((x): x is string => x !== null);
  if (ids.length === 0) return '';
  return ids.length <= 3 ? `: ${ids.join(' ')}` : `: ${ids.slice(0, 3).join(' ')} …`;
}

/**
 * A short description of a payload for an arrow label, with chat text quoted and cut. The result
 * is raw text; the Mermaid printer escapes it.
 *
 * @example
 * describeWire({ type: 'send', clientMsgId: 'u1-1', channel: 'dm:u1:u2', text: 'Hi Bo, are you there?' }, { maxTextLength: 8 });
 * // 'send(dm:u1:u2, "Hi Bo, …")'
 */
export function describeWire(msg: unknown, options: DescribeOptions = {}): string {
  const max = options.maxTextLength ?? 24;
  const o = rec(msg);
  if (o === null) return '?';
  const t = wireType(o);
  const quote = (x: unknown): string => `"${truncateText(str(x) ?? '', max)}"`;
  const message = rec(o['message']);
  const mid = str(message?.['id']) ?? '?';
  switch (t) {
    case 'fromClient':
    case 'toClient': {
      // Name the client: one server connection carries many users' frames.
      const client = str(o['client']) ?? '?';
      const user = client.startsWith('c-') ? client.slice(2) : client;
      return `fwd ${describeWire(o['frame'], options)} ${t === 'fromClient' ? 'from' : 'to'} ${user}`;
    }
    case 'batch':
      return `batch(${arr(o['items']).length} items)`;
    // client frames
    case 'connect':
      return `connect(${str(o['user']) ?? '?'})`;
    case 'send':
      return `send(${str(o['channel']) ?? '?'}, ${quote(o['text'])})`;
    case 'ack':
      return `ack(${str(o['id']) ?? '?'})`;
    case 'history':
    case 'chat/history':
    case 'db/history':
      return `${t === 'history' ? 'history' : t}(${str(o['channel']) ?? '?'}, after seq ${num(o['afterSeq']) ?? '?'})`;
    case 'presenceSub':
    case 'presenceQuery':
      return `${t}(${arr(o['users']).length} users)`;
    case 'typing':
      return `typing(${str(o['channel']) ?? '?'})`;
    // server frames
    case 'connected':
      return `connected(${str(o['server']) ?? '?'})`;
    case 'rejected':
    case 'closed':
      return `${t}(${str(o['reason']) ?? '?'})`;
    case 'deliver':
      return `deliver(${mid}${seqPart(message)})`;
    case 'sendAck':
      return `sendAck(${str(o['clientMsgId']) ?? '?'} → ${str(o['id']) ?? '?'}${seqPart(o)})`;
    case 'sendError':
      return `sendError(${str(o['code']) ?? '?'}: ${truncateText(str(o['message']) ?? '', max * 2)})`;
    case 'historyPage':
    case 'db/historyResult': {
      const ms = arr(o['messages']);
      return `${t}(${str(o['channel']) ?? '?'}, ${ms.length} msgs${idsPart(ms)})`;
    }
    case 'presence':
      return `presence(${arr(o['users']).length} statuses)`;
    case 'typingNotice':
      return `typing(${str(o['user']) ?? '?'} in ${str(o['channel']) ?? '?'})`;
    case 'push':
      return `push(${mid})`;
    // back end
    case 'chat/session':
      return `session(${str(o['user']) ?? '?'})`;
    case 'chat/sessionInfo':
      return `sessionInfo(${str(o['user']) ?? '?'}, ${arr(o['channels']).length} channels)`;
    case 'chat/submit':
      return `submit(${str(o['user']) ?? '?'}, ${str(o['channel']) ?? '?'}, ${quote(o['text'])})`;
    case 'chat/accepted':
      return `accepted(${mid}${seqPart(message)})`;
    case 'chat/rejected':
      return `rejected(${str(o['code']) ?? '?'}: ${truncateText(str(o['reason']) ?? '', max * 2)})`;
    case 'seq/next':
      return `next seq? (req ${num(o['reqId']) ?? '?'})`;
    case 'seq/assigned':
      return `seq ${num(o['seq']) ?? '?'} (req ${num(o['reqId']) ?? '?'})`;
    case 'db/insert':
      return `insert(${mid}${seqPart(message)})`;
    case 'db/inserted':
      return `inserted(order ${num(o['order']) ?? '?'})`;
    case 'pub':
      return `publish(${str(o['topic']) ?? '?'}, ${mid})`;
    case 'msg':
      return `msg(${str(o['topic']) ?? '?'}, ${mid}${seqPart(message)})`;
    case 'sub':
    case 'unsub':
      return `${t === 'sub' ? 'subscribe' : 'unsubscribe'}(${arr(o['topics']).map(String).join(', ')})`;
    case 'fetchFrom':
      return `fetch(partitions ${arr(o['partitions']).map(String).join(', ')})`;
    case 'records': {
      const rs = arr(o['records']);
      return `records(p${num(o['partition']) ?? '?'}, ${rs.length}${idsPart(rs)})`;
    }
    case 'commit':
      return `commit(p${num(o['partition']) ?? '?'} @${num(o['offset']) ?? '?'})`;
    case 'dir/register':
    case 'dir/unregister':
      return `${t}(${str(o['user']) ?? '?'})`;
    case 'dir/lookup':
      return `lookup(${arr(o['users']).length} users for ${mid})`;
    case 'dir/found':
      return `found(${arr(o['servers']).map((s) => str(rec(s)?.['server']) ?? '?').join(', ')} for ${mid})`;
    case 'direct':
      return `direct(${mid} → ${arr(o['users']).map(String).join(', ')})`;
    case 'notify/push':
      return `push(${mid} → ${arr(o['users']).length} users)`;
    default: {
      // Unknown types (new node kinds): the type, plus the user or message it names if any.
      const who = str(o['user']) ?? (message !== null ? mid : null);
      return who === null ? t : `${t}(${who})`;
    }
  }
}
