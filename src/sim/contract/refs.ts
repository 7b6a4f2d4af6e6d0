/**
 * The one reader of message references in wire payloads: which chat messages a payload carries
 * or names, by server id (`m12`) and by the sender's idempotency key (`u1-5`). Diagrams (which
 * sends belong to a message's path), the workbench (a message's text, the table's "show its path")
 * and the checkers all ask here, so a new wire type is classified once: the switch below is
 * exhaustive over the protocol, and the compiler fails when a type is added without a case.
 */
import type { TraceEvent, TraceEventData, TraceEventType } from './events.ts';
import type { ChatMessage, WireMsg } from './protocol.ts';

/** The chat messages a payload carries and the ids and keys it names, in payload order. */
export interface MessageRefs {
  /** Whole messages carried (a delivery, a history page, a publish), each once per carrying. */
  readonly messages: readonly ChatMessage[];
  /** Server ids named, carried messages' ids included. */
  readonly ids: readonly string[];
  /** Idempotency keys named, carried messages' keys included. */
  readonly clientMsgIds: readonly string[];
}

const NONE: MessageRefs = { messages: [], ids: [], clientMsgIds: [] };
const cache = new WeakMap<object, MessageRefs>();

/**
 * The message references of a wire payload. Results are cached per payload object (one payload
 * is asked about many times while a diagram is built).
 *
 * @example
 * messageRefs({ type: 'sendAck', clientMsgId: 'u1-1', channel: 'g1', id: 'm3', seq: 3 });
 * // { messages: [], ids: ['m3'], clientMsgIds: ['u1-1'] }
 */
export function messageRefs(msg: WireMsg): MessageRefs {
  const cached = cache.get(msg);
  if (cached !== undefined) return cached;
  const acc: Acc = { messages: [], ids: [], clientMsgIds: [] };
  collect(msg, acc, 0);
  const out = acc.messages.length === 0 && acc.ids.length === 0 && acc.clientMsgIds.length === 0 ? NONE : acc;
  cache.set(msg, out);
  return out;
}

interface Acc {
  messages: ChatMessage[];
  ids: string[];
  clientMsgIds: string[];
}

function carry(acc: Acc, m: ChatMessage): void {
  acc.messages.push(m);
  acc.ids.push(m.id);
  acc.clientMsgIds.push(m.clientMsgId);
}

/** Nesting allowed (a batch of wrapped frames holding a poll response): deeper is malformed. */
const MAX_DEPTH = 6;

function collect(msg: WireMsg, acc: Acc, depth: number): void {
  if (depth > MAX_DEPTH) return;
  switch (msg.type) {
    // Whole messages.
    case 'deliver':
    case 'push':
    case 'chat/accepted':
    case 'db/insert':
    case 'pub':
    case 'msg':
    case 'dir/lookup':
    case 'dir/found':
    case 'direct':
    case 'presence/notifyOffline':
    case 'notify/push':
    case 'store/members':
    case 'store/membersOf':
      carry(acc, msg.message);
      return;
    case 'historyPage':
    case 'db/historyResult':
      for (const m of msg.messages) carry(acc, m);
      return;
    case 'records':
      for (const r of msg.records) carry(acc, r.message);
      return;
    // Names only.
    case 'ack':
      acc.ids.push(msg.id);
      return;
    case 'sendAck':
      acc.ids.push(msg.id);
      acc.clientMsgIds.push(msg.clientMsgId);
      return;
    case 'send':
    case 'sendError':
    case 'chat/submit':
    case 'chat/rejected':
      acc.clientMsgIds.push(msg.clientMsgId);
      return;
    // Envelopes.
    case 'fromClient':
    case 'toClient':
    case 'fromUser':
    case 'toUser':
      collect(msg.frame, acc, depth + 1);
      return;
    case 'pollResponse':
      for (const f of msg.frames) collect(f, acc, depth + 1);
      return;
    case 'batch':
      for (const item of msg.items) collect(item, acc, depth + 1);
      return;
    case 'presence/deliver':
      collect(msg.frame, acc, depth + 1);
      return;
    // No message named: keep-alives, sessions, logins, presence, subscriptions, sequencing, limits.
    case 'login':
    case 'loginOk':
    case 'authError':
    case 'auth/login':
    case 'auth/issued':
    case 'auth/refused':
    case 'connect':
    case 'history':
    case 'ping':
    case 'bye':
    case 'presenceSub':
    case 'presenceQuery':
    case 'typing':
    case 'poll':
    case 'connected':
    case 'rejected':
    case 'closed':
    case 'pong':
    case 'resync':
    case 'presence':
    case 'typingNotice':
    case 'httpOk':
    case 'connClosed':
    case 'health':
    case 'healthOk':
    case 'chat/session':
    case 'db/session':
    case 'chat/sessionInfo':
    case 'chat/history':
    case 'seq/next':
    case 'seq/assigned':
    case 'db/inserted':
    case 'db/history':
    case 'sub':
    case 'unsub':
    case 'drained':
    case 'cutOff':
    case 'brokerPing':
    case 'brokerPong':
    case 'fetchFrom':
    case 'commit':
    case 'dir/register':
    case 'dir/unregister':
    case 'presence/connected':
    case 'presence/disconnected':
    case 'presence/beat':
    case 'presence/sub':
    case 'presence/query':
    case 'presence/typing':
    case 'store/put':
    case 'store/remove':
    case 'store/get':
    case 'store/got':
    case 'rl/check':
    case 'rl/verdict':
    case 'userSend':
    case 'userMembership':
    case 'membership':
    case 'membershipDone':
    case 'chat/membership':
    case 'chat/membershipDone':
    case 'db/membership':
    case 'db/membershipSaved':
    case 'presence/membership':
    case 'reload':
    case 'pool/serverAdded':
    case 'pool/serverDraining':
    case 'pool/serverStopped':
    case 'drain':
      return;
    case 'directOk':
      acc.ids.push(...msg.ids);
      return;
    default:
      unreachable(msg);
  }
}

function unreachable(x: never): void {
  void x;
}

/** True when a payload names at least one message (by id or key). */
export function namesAMessage(refs: MessageRefs): boolean {
  return refs.ids.length > 0 || refs.clientMsgIds.length > 0;
}

/** Fields of an event's data that name a chat message. */
type RefField<D> = Extract<keyof D, 'id' | 'clientMsgId'>;

/**
 * For each event type, the fields of its data that name a chat message (server id, idempotency
 * key). Complete over the vocabulary: the compiler fails when an event type is added without an
 * entry, and an entry may only list fields the type has.
 */
const EVENT_REF_FIELDS: { readonly [T in TraceEventType]: readonly RefField<TraceEventData[T]>[] } = {
  'net/messageSent': [],
  'net/messageDelivered': [],
  'net/messageDropped': [],
  'net/messageHeld': [],
  'net/messageDuplicated': [],
  'node/started': [],
  'node/timerFired': [],
  'node/stopped': [],
  'node/scaleRefused': [],
  'cpu/inputDropped': [],
  'op/partitioned': [],
  'op/healed': [],
  'op/crashed': [],
  'op/restarted': [],
  'op/slowed': [],
  'op/delayed': [],
  'op/dropSet': [],
  'op/duplicationSet': [],
  'op/held': [],
  'op/released': [],
  'op/clogged': [],
  'op/injected': [],
  'op/serverAdded': [],
  'op/serverRemoved': [],
  'demo/relayReceived': [],
  'test/received': [],
  'client/loginRequested': [],
  'client/loggedIn': [],
  'client/authFailed': [],
  'client/connectRequested': [],
  'client/connected': [],
  'client/disconnected': [],
  'client/wentOffline': [],
  'client/wentOnline': [],
  'client/messageSent': ['clientMsgId'],
  'client/messageRetried': ['clientMsgId'],
  'client/sendAcked': ['id', 'clientMsgId'],
  'client/sendFailed': ['clientMsgId'],
  'client/messageReceived': ['id'],
  'client/messageShown': ['id'],
  'client/duplicateDropped': ['id'],
  'client/membershipRequested': [],
  'client/membershipChanged': [],
  'client/gapDetected': [],
  'client/reorderTimedOut': [],
  'client/historyRequested': [],
  'client/presenceSeen': [],
  'client/typingSeen': [],
  'client/pushReceived': ['id'],
  'auth/tokenIssued': [],
  'auth/loginRefused': [],
  'auth/tokenRefused': [],
  'presence/actionRefused': [],
  'presence/statusChanged': [],
  'presence/fannedOut': [],
  'presence/typingFannedOut': [],
  'notify/sent': ['id'],
  'notify/dropped': ['id'],
  'mapping/registered': [],
  'mapping/unregistered': [],
  'gw/connectionRouted': [],
  'gw/connectionRejected': [],
  'gw/reloaded': [],
  'gw/serverMarkedDown': [],
  'gw/serverMarkedUp': [],
  'gw/serverAdded': [],
  'gw/serverDraining': [],
  'gw/serverRemoved': [],
  'ws/connectionOpened': [],
  'ws/connectionClosed': [],
  'ws/fannedOut': ['id'],
  'ws/slowConsumerDisconnected': [],
  'ws/brokerConnectionLost': [],
  'ws/brokerConnectionRestored': [],
  'ws/draining': [],
  'ws/sessionReady': [],
  'ws/limiterUnavailable': [],
  'ws/pollAnswered': [],
  'ws/batchFlushed': [],
  'ws/serverCallQueued': ['id'],
  'ws/serverCallTimedOut': ['id'],
  'ws/serverCallDropped': ['id'],
  'chat/messageRejected': ['clientMsgId'],
  'chat/duplicateSubmission': ['id', 'clientMsgId'],
  'chat/membershipChanged': [],
  'chat/messageSequenced': ['id', 'clientMsgId'],
  'chat/messagePersisted': ['id'],
  'chat/messagePublished': ['id'],
  'db/messageStored': ['id'],
  'db/duplicateInsertIgnored': ['id'],
  'db/sessionLoaded': [],
  'db/historyServed': [],
  'limiter/allowed': [],
  'limiter/rejected': [],
  'broker/subscribed': [],
  'broker/unsubscribed': [],
  'broker/published': ['id'],
  'broker/appended': ['id'],
  'broker/consumerLagged': [],
  'broker/subscriberCutOff': [],
};

/**
 * The chat messages an event names in its own data (not in a carried payload: for
 * `net/messageSent`, read the payload with {@link messageRefs}).
 *
 * @example
 * eventMessageRefs(sendAckedEvent); // { messages: [], ids: ['m3'], clientMsgIds: ['u1-1'] }
 */
export function eventMessageRefs(e: TraceEvent): MessageRefs {
  const fields: readonly string[] = EVENT_REF_FIELDS[e.type];
  if (fields.length === 0) return NONE;
  const data = e.data as Readonly<Record<string, unknown>>;
  const ids: string[] = [];
  const clientMsgIds: string[] = [];
  for (const f of fields) {
    const v = data[f];
    if (typeof v !== 'string') continue;
    if (f === 'id') ids.push(v);
    else clientMsgIds.push(v);
  }
  return { messages: [], ids, clientMsgIds };
}
