/**
 * Reading the wire messages inside `net/messageSent` events (`data.msg`, typed by the contract's
 * protocol): a short human description, how a sequence diagram draws it, and which payloads are
 * keep-alives. Payloads are narrowed with the contract's `readWire`; a payload that is not part
 * of the chat protocol (the kernel demo's pings) is described by its `type` tag alone. Which chat
 * messages a payload carries is the contract's `messageRefs`, the one reader of that.
 */
import { readWire, type ChatMessage, type WireMsg } from '../sim/index.ts';
import type { ArrowKind } from './mermaid/ast.ts';
import { truncateText } from './mermaid/print.ts';

/**
 * The wire type of a payload (`send`, `fromClient`, `pub`, …), the `type` tag of a foreign
 * payload, or `?` when it has none.
 *
 * @example
 * wireType({ type: 'pub', topic: 'g1', message }); // 'pub'
 */
export function wireType(msg: unknown): string {
  const wire = readWire(msg);
  if (wire !== null) return wire.type;
  const t = typeof msg === 'object' && msg !== null ? (msg as { readonly type?: unknown }).type : undefined;
  return typeof t === 'string' ? t : '?';
}

/**
 * The client frame inside a gateway ↔ server or fleet wrapper (`fromClient`, `toClient`,
 * `fromUser`, `toUser`), or the message itself when it is not wrapped.
 *
 * @example
 * innerFrame({ type: 'fromClient', client: 'c-u1', frame: { type: 'bye' } }); // { type: 'bye' }
 */
export function innerFrame(msg: WireMsg): WireMsg {
  switch (msg.type) {
    case 'fromClient':
    case 'toClient':
    case 'fromUser':
    case 'toUser':
      return msg.frame;
    default:
      return msg;
  }
}

/** The inner wire type of a payload (a wrapped frame's own type), or its foreign `type` tag. */
export function innerWireType(msg: unknown): string {
  const wire = readWire(msg);
  return wire === null ? wireType(msg) : innerFrame(wire).type;
}

/** Keep-alives and flow-control reports: real traffic, but never part of a message's story. */
export const BOOKKEEPING_TYPES: ReadonlySet<string> = new Set<WireMsg['type']>([
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
 * isHistoryRequest({ type: 'fromClient', client: 'c-u1', frame: { type: 'history', channel: 'g1', afterSeq: 3 } }); // true
 */
export function isHistoryRequest(msg: unknown): boolean {
  const t = innerWireType(msg);
  return t === 'history' || t === 'chat/history' || t === 'db/history';
}

/** Answers to a request: drawn dashed, as UML draws replies. */
const REPLY_TYPES: ReadonlySet<string> = new Set<WireMsg['type']>([
  'loginOk',
  'authError',
  'auth/issued',
  'auth/refused',
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
  'directOk',
  'brokerPong',
  'records',
]);

/** Pushes nobody waits for an answer to: drawn as open (async) arrows. */
const ASYNC_TYPES: ReadonlySet<string> = new Set<WireMsg['type']>([
  'pub',
  'msg',
  'deliver',
  'push',
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
 * arrowKindOf({ type: 'toClient', client: 'c-u2', frame: { type: 'resync' } }); // 'async'
 */
export function arrowKindOf(msg: unknown): ArrowKind {
  const t = innerWireType(msg);
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
function seqPart(seq: number | null | undefined): string {
  return seq === null || seq === undefined ? '' : `, seq ${seq}`;
}

function idsPart(messages: readonly ChatMessage[]): string {
  if (messages.length === 0) return '';
  const ids = messages.map((m) => m.id);
  return ids.length <= 3 ? `: ${ids.join(' ')}` : `: ${ids.slice(0, 3).join(' ')} …`;
}

/** The user a client node or fleet address plays (`c-u1` → `u1`). */
function userOf(client: string): string {
  return client.startsWith('c-') ? client.slice(2) : client;
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
  const wire = readWire(msg);
  if (wire === null) return wireType(msg);
  return describe(wire, options.maxTextLength ?? 24);
}

function describe(o: WireMsg, max: number): string {
  const quote = (text: string): string => `"${truncateText(text, max)}"`;
  switch (o.type) {
    case 'fromClient':
    case 'toClient':
      // Name the client: one server connection carries many users' frames.
      return `fwd ${describe(o.frame, max)} ${o.type === 'fromClient' ? 'from' : 'to'} ${userOf(o.client)}`;
    case 'fromUser':
    case 'toUser':
      return `${o.type}(${o.user})`;
    case 'batch':
      return `batch(${o.items.length} items)`;
    // client frames
    case 'login':
      return `login(${o.user})`;
    case 'connect':
      return `connect(${o.user})`;
    case 'send':
      return `send(${o.channel}, ${quote(o.text)})`;
    case 'ack':
      return `ack(${o.id})`;
    case 'history':
      return `history(${o.channel}, after seq ${o.afterSeq})`;
    case 'chat/history':
    case 'db/history':
      return `${o.type}(${o.channel}, after seq ${o.afterSeq})`;
    case 'presenceSub':
    case 'presenceQuery':
      return `${o.type}(${o.users.length} users)`;
    case 'typing':
      return `typing(${o.channel})`;
    // server frames
    case 'loginOk':
      return 'loginOk(token)';
    case 'authError':
      return `authError(${o.phase}: ${o.reason})`;
    case 'connected':
      return `connected(${o.server})`;
    case 'rejected':
    case 'closed':
      return `${o.type}(${o.reason})`;
    case 'deliver':
      return `deliver(${o.message.id}${seqPart(o.message.seq)})`;
    case 'sendAck':
      return `sendAck(${o.clientMsgId} → ${o.id}${seqPart(o.seq)})`;
    case 'sendError':
      return `sendError(${o.code}: ${truncateText(o.message, max * 2)})`;
    case 'historyPage':
    case 'db/historyResult':
      return `${o.type}(${o.channel}, ${o.messages.length} msgs${idsPart(o.messages)})`;
    case 'presence':
      return `presence(${o.users.length} statuses)`;
    case 'typingNotice':
      return `typing(${o.user} in ${o.channel})`;
    case 'push':
      return `push(${o.message.id})`;
    case 'membership':
    case 'userMembership':
    case 'presence/membership':
      return `${o.action}(${o.channel})`;
    case 'membershipDone':
    case 'chat/membershipDone':
      return o.error === undefined ? `${o.action}ed(${o.channel}${o.action === 'join' ? ` after #${o.afterSeq}` : ''})` : `${o.action} refused(${truncateText(o.error, max * 2)})`;
    case 'chat/membership':
      return `${o.action}(${o.user}, ${o.channel})`;
    case 'db/membership':
      return `membership ${o.action === 'join' ? '+' : '−'}(${o.user}, ${o.channel})`;
    case 'db/membershipSaved':
      return `membership saved (req ${o.reqId})`;

    // back end
    case 'auth/login':
      return `auth/login(${o.user} from ${o.client})`;
    case 'auth/issued':
      return `auth/issued(${o.user}, token for ${o.client})`;
    case 'auth/refused':
      return `auth/refused(${o.user}: ${o.reason})`;
    case 'chat/session':
      return `session(${o.user})`;
    case 'chat/sessionInfo':
      return `sessionInfo(${o.user}, ${o.channels.length} channels)`;
    case 'chat/submit':
      return `submit(${o.user}, ${o.channel}, ${quote(o.text)})`;
    case 'chat/accepted':
      return `accepted(${o.message.id}${seqPart(o.message.seq)})`;
    case 'chat/rejected':
      return `rejected(${o.code}: ${truncateText(o.reason, max * 2)})`;
    case 'seq/next':
      return `next seq? (req ${o.reqId})`;
    case 'seq/assigned':
      return `seq ${o.seq} (req ${o.reqId})`;
    case 'db/insert':
      return `insert(${o.message.id}${seqPart(o.message.seq)})`;
    case 'db/inserted':
      return `inserted(order ${o.order})`;
    case 'pub':
      return `publish(${o.topic}, ${o.message.id})`;
    case 'msg':
      return `msg(${o.topic}, ${o.message.id}${seqPart(o.message.seq)})`;
    case 'sub':
    case 'unsub':
      return `${o.type === 'sub' ? 'subscribe' : 'unsubscribe'}(${o.topics.join(', ')})`;
    case 'fetchFrom':
      return `fetch(partitions ${o.partitions.join(', ')})`;
    case 'records':
      return `records(p${o.partition}, ${o.records.length}${idsPart(o.records.map((r) => r.message))})`;
    case 'commit':
      return `commit(p${o.partition} @${o.offset})`;
    case 'dir/register':
    case 'dir/unregister':
      return `${o.type}(${o.user})`;
    case 'dir/lookup':
      return `lookup(${o.users.length} users for ${o.message.id})`;
    case 'dir/found':
      return `found(${o.servers.map((s) => s.server).join(', ')} for ${o.message.id})`;
    case 'direct':
      return `direct(${o.message.id} → ${o.users.join(', ')})`;
    case 'directOk':
      return `200 OK (${o.ids.length <= 3 ? o.ids.join(' ') : `${o.ids.slice(0, 3).join(' ')} …`})`;
    case 'notify/push':
      return `push(${o.message.id} → ${o.users.length} users)`;
    case 'presence/notifyOffline':
    case 'store/members':
    case 'store/membersOf':
      return `${o.type}(${o.message.id})`;

    case 'presence/connected':
    case 'presence/disconnected':
    case 'presence/beat':
    case 'presence/typing':
    case 'presence/sub':
    case 'presence/query':
    case 'store/put':
    case 'store/remove':
    case 'store/get':
    case 'store/got':
      return `${o.type}(${o.user})`;
    case 'db/session':
      return `db/session(${o.user})`;
    case 'rl/check':
      return `rl/check(${o.user})`;
    // Bookkeeping and control: the type says it all.
    case 'rl/verdict':
    case 'userSend':
    case 'connClosed':
    case 'ping':
    case 'pong':
    case 'health':
    case 'brokerPing':
    case 'brokerPong':
    case 'healthOk':
    case 'drained':
    case 'pollResponse':
    case 'presence/deliver':
    case 'bye':
    case 'poll':
    case 'resync':
    case 'httpOk':
    case 'cutOff':
    case 'reload':
    case 'drain':
      return o.type;
    case 'pool/serverAdded':
    case 'pool/serverDraining':
    case 'pool/serverStopped':
      return `${o.type}(${o.server})`;
  }
}
