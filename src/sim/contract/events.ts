/**
 * The trace vocabulary: every event type the simulation records, with the shape of its `data`.
 * The kernel records `net/*`, `node/*`, `cpu/*` and `op/*`; the cluster's nodes record the rest
 * through the typed `fx.trace`; checkers, metrics, diagrams, the workbench and lab goals read
 * them narrowed by `type` (a `switch (e.type)` or {@link isEvent}). This file is the contract
 * between the nodes and everything built on the trace: renaming a field here is a compile error
 * at every writer and reader.
 *
 * Conventions: `user` is a user id (`u1`), `channel` a channel id (`dm:u1:u2`, `g1`), `id` the
 * server-assigned message id (`m17`), `clientMsgId` the client's idempotency key (`u1-5`),
 * `seq` the per-channel (or global) sequence number or null when ordering is off.
 *
 * {@link EVENT_FIELDS} repeats the vocabulary as data (checked by the compiler against the types),
 * so a run can be checked for events outside it, and a trace read from a file can be validated.
 */
import type { OpEventTypes, OpOf, OpVerb } from './ops.ts';
import type { AuthRefusal, DisconnectReason, MembershipAction, ReplyRef, SendErrorCode } from './protocol.ts';

/** Why the network lost a message. */
export type DropReason = 'partition' | 'loss' | 'nodeDown';

/** Data of the kernel's own events: the network, node lifecycles, CPU queues. */
export interface KernelEventData {
  /** A node sent `msg` to `to` (`bytes` when the sender gave a size). The payload is opaque to the kernel. */
  'net/messageSent': { from: string; to: string; msg: unknown; bytes?: number };
  /** A message reached its destination's CPU (caused by its `net/messageSent`). */
  'net/messageDelivered': { from: string; to: string };
  /** The network lost a message. */
  'net/messageDropped': { from: string; to: string; reason: DropReason };
  /** A held link kept a message until the operator releases it. */
  'net/messageHeld': { from: string; to: string };
  /** The network delivered a second copy of a message. */
  'net/messageDuplicated': { from: string; to: string };
  /** A node booted (at time 0, or after a restart). */
  'node/started': { kind: string; restart: boolean };
  /** A timer the node set fired. */
  'node/timerFired': { timerId: string };
  /** A drained node stopped at the end of its grace period and went back to the spare pool (ADR 0014). */
  'node/stopped': { kind: string; reason: 'drained' };
  /** An `addServer` or `removeServer` could not apply: no spare server left, or the node is not serving. */
  'node/scaleRefused': { verb: 'addServer' | 'removeServer'; node: string | null; reason: 'noSpareServer' | 'notSpare' | 'notServing' };
  /** An input reached a full CPU queue and was thrown away. */
  'cpu/inputDropped': { reason: 'queueFull'; input: 'started' | 'message' | 'timer'; queueCapacity: number };
}

/** Data of the operator's verbs: each records the verb it applied. */
export type OpEventData = { [V in OpVerb as OpEventTypes[V]]: { op: OpOf<V> } };

/** Data of events recorded by the kernel's demo topology and by the kernel's test nodes. */
export interface DemoEventData {
  /** Kernel demo: a sender received a relayed ping. */
  'demo/relayReceived': { from: string; msg: unknown };
  /** Kernel tests: a scripted node received a message. */
  'test/received': { from: string; msg: unknown };
}

/** Data of each cluster event, by type. */
export interface ClusterEventData {
  // ---- clients ---------------------------------------------------------------------------------
  /** A client asked the auth service for a token (`refresh`: while it still held a valid one). */
  'client/loginRequested': { user: string; refresh: boolean };
  /** The client holds a new token, valid until `expiresAtMs`. */
  'client/loggedIn': { user: string; expiresAtMs: number };
  /** A login or a connect of this client was refused for an authentication reason. */
  'client/authFailed': { user: string; phase: 'login' | 'connect'; reason: AuthRefusal };
  /** A client started connecting (attempt 1, 2, … after failures). */
  'client/connectRequested': { user: string; attempt: number };
  /** The server accepted the connection. */
  'client/connected': { user: string; server: string };
  /** The connection ended; the client may reconnect after `retryInMs` (null: it will not). */
  'client/disconnected': { user: string; reason: DisconnectReason; retryInMs: number | null };
  /** The user went offline on purpose (closed the app). */
  'client/wentOffline': { user: string };
  /** The user came back online. */
  'client/wentOnline': { user: string };
  /**
   * The user sent a message (first attempt). `sentAt` is this event's time. `replyTo`, present
   * only on a reply, names the message it answers by its sender's identity (and the id shown).
   */
  'client/messageSent': { user: string; channel: string; clientMsgId: string; text: string; replyTo?: ReplyRef };
  /** The client sent the same message again after an ack timeout or a reconnect. */
  'client/messageRetried': { user: string; channel: string; clientMsgId: string; attempt: number };
  /** The server confirmed a send. */
  'client/sendAcked': { user: string; channel: string; clientMsgId: string; id: string; seq: number | null };
  /** A send failed for good (an error from the server, or retries exhausted). */
  'client/sendFailed': { user: string; channel: string; clientMsgId: string; code: SendErrorCode | 'TIMEOUT'; message: string };
  /** A message reached the client (before any reorder buffer). `via` says how. */
  'client/messageReceived': { user: string; channel: string; id: string; seq: number | null; via: 'push' | 'history' };
  /**
   * The user now sees the message: appended to the channel's list at `position` (0-based). This
   * is what ordering, duplicate and loss checkers judge, by the sender's identity of the send
   * (`author`, `clientMsgId`), not by the server's `id`: two rows of one send are one send shown twice.
   */
  'client/messageShown': { user: string; channel: string; id: string; seq: number | null; author: string; clientMsgId: string; position: number };
  /** The client recognised a message it already shows and dropped it. */
  'client/duplicateDropped': { user: string; channel: string; id: string };
  /** The user asked to join or leave a channel (a leave stops the client's use of it at once). */
  'client/membershipRequested': { user: string; channel: string; action: MembershipAction };
  /**
   * The join or leave took effect (`error` null) or was refused. On a join the client's view of
   * the channel starts after `afterSeq` (`since-join`) or loads the channel's history (`all`).
   */
  'client/membershipChanged': { user: string; channel: string; action: MembershipAction; afterSeq: number; error: string | null };
  /** A sequence or previous-id gap was found. */
  'client/gapDetected': { user: string; channel: string; expectedSeq: number; gotSeq: number };
  /** The reorder buffer gave up waiting and asked for history. */
  'client/reorderTimedOut': { user: string; channel: string; waitedMs: number };
  /** The client asked for the messages after `afterSeq`. */
  'client/historyRequested': { user: string; channel: string; afterSeq: number };

  /** A presence update or answer reached the client: `statuses` entries, `online` of them online. */
  'client/presenceSeen': { user: string; statuses: number; online: number };
  /** The client showed "X is typing…". */
  'client/typingSeen': { user: string; of: string; channel: string };
  /** A push notification reached the user's device. */
  'client/pushReceived': { user: string; channel: string; id: string };

  // ---- authentication and authorization --------------------------------------------------------
  /** The auth service issued a token for `user`, bound to the client address `client`. */
  'auth/tokenIssued': { user: string; client: string; expiresAtMs: number };
  /** The auth service refused a login (`user` is who the login claimed to be). */
  'auth/loginRefused': { user: string; client: string; reason: AuthRefusal };
  /** A WebSocket server refused a connect's token (checked locally: signature, expiry, binding). */
  'auth/tokenRefused': { user: string; client: string; reason: AuthRefusal };
  /**
   * The presence service refused an action a user is not authorized for: typing in a channel
   * they are not a member of, or asking about (`refused`) users who share no channel with them.
   */
  'presence/actionRefused': { user: string; action: 'typing' | 'sub' | 'query'; channel: string | null; refused: number };

  // ---- presence, notifications, user mapping ----------------------------------------------------
  /** A user went online or offline (`reason`: connected, disconnected, ttlExpired). */
  'presence/statusChanged': { user: string; online: boolean; reason: string };
  /** A status change was sent to `recipients` users under `strategy`. */
  'presence/fannedOut': { user: string; strategy: string; recipients: number };
  /** A typing notice was sent to `recipients` users. */
  'presence/typingFannedOut': { user: string; channel: string; recipients: number };
  /** A push notification went to the provider. */
  'notify/sent': { user: string; id: string };
  /** A push notification was dropped (over the provider's quota). */
  'notify/dropped': { user: string; id: string; reason: 'quota' };
  /** The user → server directory recorded a connection. */
  'mapping/registered': { user: string; server: string };
  /** The directory forgot a connection (a crashed server never sends this: entries go stale). */
  'mapping/unregistered': { user: string; server: string };

  // ---- gateway / load balancer ------------------------------------------------------------------
  /** A connect was routed to a server. */
  'gw/connectionRouted': { user: string; server: string; strategy: string };
  /** No live server could take the connection. */
  'gw/connectionRejected': { user: string; reason: 'noLiveServer' | 'connectionLimit' | 'admission' };
  /** The gateway reloaded its configuration and dropped every connection (an ingress reload). */
  'gw/reloaded': { connectionsDropped: number };
  /** The health check found a server dead; its clients were disconnected. */
  'gw/serverMarkedDown': { server: string; connectionsDropped: number };
  /** The health check found a server alive again. */
  'gw/serverMarkedUp': { server: string };
  /** A server joined the rotation (it takes connections once its first health check answers); `servers`: the rotation now. */
  'gw/serverAdded': { server: string; servers: string[] };
  /** A server left the rotation to drain: no new connection goes to it; `servers`: the rotation now. */
  'gw/serverDraining': { server: string; connections: number; servers: string[] };
  /** A drained server stopped; connections still proxied to it were closed. */
  'gw/serverRemoved': { server: string; connectionsDropped: number };

  // ---- WebSocket servers ------------------------------------------------------------------------
  /** A client connection was registered (user → connection map). */
  'ws/connectionOpened': { user: string; connections: number };
  /** A client connection was removed. */
  'ws/connectionClosed': { user: string; reason: DisconnectReason; connections: number };
  /** The server pushed a message to `recipients` local connections. */
  'ws/fannedOut': { id: string; channel: string; recipients: number };
  /** A connection's send queue passed its byte cap; the connection was closed. */
  'ws/slowConsumerDisconnected': { user: string; queuedBytes: number; limitBytes: number };
  /** The server's connection to the broker broke (no answer to its pings, or cut off). */
  'ws/brokerConnectionLost': { reason: 'pingTimeout' | 'pingLost' | 'cutOff' };
  /** The connection is back: subscriptions restored, and local clients told to catch up. */
  'ws/brokerConnectionRestored': { topics: number; clientsResynced: number };
  /** The server was told to drain: it closed its connections (`serverDraining`) and refuses new ones. */
  'ws/draining': { connectionsClosed: number };
  /** A connection became ready; its session came from the server's own load or the external store. */
  'ws/sessionReady': { user: string; source: 'database' | 'store' };
  /** The dedicated rate limiter did not answer in time; the send went through (failOpen) or was refused. */
  'ws/limiterUnavailable': { user: string; failOpen: boolean };
  /** Long polling: a held poll was answered with `frames` frames after `heldMs`. */
  'ws/pollAnswered': { user: string; frames: number; heldMs: number };
  /** A batch window closed and its messages went out together. */
  'ws/batchFlushed': { messages: number; target: string };
  /**
   * No broker (ADR 0022): every outbound call slot to other servers was busy, so this call to
   * `target` for message `id` waits; `queued` calls wait, this one included.
   */
  'ws/serverCallQueued': { target: string; id: string; queued: number };
  /** No broker: a call to `target` got no response within the timeout; its slot and connection are freed. */
  'ws/serverCallTimedOut': { target: string; id: string; timeoutMs: number };
  /** No broker: the queue of waiting calls was full; the call to `target` for `id` was given up. */
  'ws/serverCallDropped': { target: string; id: string; queued: number };

  // ---- chat service -----------------------------------------------------------------------------
  /** A send was refused. */
  'chat/messageRejected': { user: string; channel: string; clientMsgId: string; code: SendErrorCode; reason: string };
  /** A retried send whose key was already seen: answered with the original id, nothing new stored. */
  'chat/duplicateSubmission': { user: string; clientMsgId: string; id: string };
  /**
   * A membership changed in the chat service, the authority: messages sequenced after this event
   * count the user as a member (join) or not (leave). `afterSeq`/`afterId`: the channel's last
   * number and message at that moment. The checkers judge what a user may see by these events.
   */
  'chat/membershipChanged': { user: string; channel: string; action: MembershipAction; afterSeq: number; afterId: string | null };
  /** A sequence number (and previous id) was assigned. */
  'chat/messageSequenced': { id: string; channel: string; seq: number | null; prevId: string | null; author: string; clientMsgId: string };
  /**
   * The database confirmed the write. `order` is the message's position in the channel's stored
   * history: the ground truth the ordering checker compares what users see against.
   */
  'chat/messagePersisted': { id: string; channel: string; seq: number | null; order: number; author: string; clientMsgId: string };
  /** The message was handed to the broker (or, with no broker, to the target servers). */
  'chat/messagePublished': { id: string; channel: string };

  // ---- database ---------------------------------------------------------------------------------
  /** A message row was written. */
  'db/messageStored': { id: string; channel: string; seq: number | null; order: number };
  /** A write of a message already stored (same id: a retried write) stored nothing; `order` is the first row's. */
  'db/duplicateInsertIgnored': { id: string; channel: string; order: number };
  /** A user's session (their channels) was read from the membership table. */
  'db/sessionLoaded': { user: string; channels: number };
  /** A history query was answered. */
  'db/historyServed': { channel: string; afterSeq: number; count: number };

  // ---- rate limiting ----------------------------------------------------------------------------
  /**
   * A rate limiter let a request through. `count` is what the algorithm compared with `limit`
   * (the estimate for the sliding counter, the tokens used for a bucket); `detail` carries the
   * algorithm's own state for the timeline (see LimiterDetail).
   */
  'limiter/allowed': LimiterDecisionData;
  /** A rate limiter refused a request; `retryAfterMs` says when the next one could pass. */
  'limiter/rejected': LimiterDecisionData;

  // ---- broker -----------------------------------------------------------------------------------
  /** A server subscribed to a topic. */
  'broker/subscribed': { server: string; topic: string };
  /** A server unsubscribed from a topic. */
  'broker/unsubscribed': { server: string; topic: string };
  /** A message was published to a topic and pushed to `subscribers` servers. */
  'broker/published': { topic: string; id: string; subscribers: number };
  /**
   * Kafka-like: a record was appended to a partition at an offset. `logStartOffset` is the oldest
   * offset the partition still holds after retention trimmed it (so it holds `offset + 1 −
   * logStartOffset` records); absent in traces recorded before it was added.
   */
  'broker/appended': { topic: string; partition: number; offset: number; id: string; logStartOffset?: number };
  /** Kafka-like: a consumer's lag on a partition after a fetch. */
  'broker/consumerLagged': { server: string; partition: number; lag: number };
  /** Redis-like: a subscriber's output buffer passed its limit and it was cut off. */
  'broker/subscriberCutOff': { server: string; bufferedBytes: number; limitBytes: number };
}

/** The state behind one rate-limit decision, as far as the algorithm has it. */
export type LimiterDetail = {
  /** Sliding counter: the previous window's count, the current window's count, and the weight of the previous one (0..1). */
  readonly previousCount?: number;
  readonly currentCount?: number;
  readonly previousWeight?: number;
  /** Fixed window / sliding counter: start of the current window (ms). */
  readonly windowStartMs?: number;
  /** Sliding log: the timestamps counted in the window. */
  readonly log?: readonly number[];
  /** Token bucket: tokens left after the decision. */
  readonly tokens?: number;
  /** GCRA: the theoretical arrival time after the decision. */
  readonly tatMs?: number;
  /** Leaky bucket as a queue: how long the request was delayed. */
  readonly delayMs?: number;
  /** Token bucket, leaky bucket, GCRA: the bucket's capacity in requests, what `count` is compared with. */
  readonly burst?: number;
  /** Leaky bucket as a queue: how many requests may wait, what `count` is compared with. */
  readonly queueMax?: number;
};

/** Data of `limiter/allowed` and `limiter/rejected`. */
export type LimiterDecisionData = {
  /** What the limit is keyed by: `user:u3` or `ip:10.0.0.7`. */
  readonly key: string;
  /** Where the limiter sits: `gateway`, `ws-server`, `chat` or `limiter` (a dedicated service). */
  readonly placement: string;
  readonly algorithm: string;
  readonly count: number;
  readonly limit: number;
  readonly windowMs: number;
  readonly retryAfterMs: number | null;
  readonly detail: LimiterDetail;
};

/** Data of every event type, by type. */
export interface TraceEventData extends KernelEventData, OpEventData, DemoEventData, ClusterEventData {}

/** Every event type of the vocabulary. */
export type TraceEventType = keyof TraceEventData;

/** Every cluster event type. */
export type ClusterEventType = keyof ClusterEventData;

/** Event types the kernel records itself; nodes may not emit them. */
export type KernelEventType = keyof KernelEventData | keyof OpEventData;

/** Event types a node may record with `fx.trace`. */
export type NodeEventType = Exclude<TraceEventType, KernelEventType>;

/** An event of type `T` (a union of types gives a union of events). */
export type EventOf<T extends TraceEventType> = Extract<TraceEvent, { readonly type: T }>;

interface TraceEventAt<T extends TraceEventType> {
  /** Position in the run's trace, from 0, with no gaps. */
  readonly seq: number;
  /** Virtual time in integer ms. */
  readonly at: number;
  /** The node it happened at (`operator` for an operator's verb, `net` for the network). */
  readonly node: string;
  /** The seq of the event that caused this one, or null for a root cause. */
  readonly causeSeq: number | null;
  /** `domain/eventName`, in the past tense. */
  readonly type: T;
  /** Event-specific fields. */
  readonly data: Readonly<TraceEventData[T]>;
}

/**
 * One trace event: a union over the vocabulary, so `switch (e.type)` narrows `e.data` to that
 * type's fields.
 */
export type TraceEvent = { [K in TraceEventType]: TraceEventAt<K> }[TraceEventType];

/** Plain data carried by an event, seen generically (hashing, export, tables). */
export type TraceData = Readonly<Record<string, unknown>>;

/**
 * True when `e` is of one of `types`, narrowing it.
 *
 * @example
 * if (isEvent(e, 'client/messageShown', 'client/messageReceived')) e.data.user;
 */
export function isEvent<T extends TraceEventType>(e: TraceEvent, ...types: readonly T[]): e is EventOf<T> {
  return (types as readonly string[]).includes(e.type);
}

/**
 * The events of `types`, in order, narrowed.
 *
 * @example
 * eventsOfType(trace.events, 'client/connected').map((e) => e.data.server);
 */
export function eventsOfType<T extends TraceEventType>(events: Iterable<TraceEvent>, ...types: readonly T[]): EventOf<T>[] {
  const out: EventOf<T>[] = [];
  for (const e of events) if (isEvent(e, ...types)) out.push(e);
  return out;
}

/** Whether a field of an event type's data must be present. */
export type FieldPresence = 'required' | 'optional';

/** The fields of one data type, each marked required or optional. */
type FieldsOf<D> = { readonly [K in keyof D]-?: {} extends Pick<D, K> ? 'optional' : 'required' };

/**
 * The vocabulary as data: every event type with its fields. The compiler checks it against
 * {@link TraceEventData} both ways (a missing or extra type or field is an error), so it is the
 * runtime copy of the types above.
 */
export const EVENT_FIELDS: { readonly [T in TraceEventType]: FieldsOf<TraceEventData[T]> } = {
  'net/messageSent': { from: 'required', to: 'required', msg: 'required', bytes: 'optional' },
  'net/messageDelivered': { from: 'required', to: 'required' },
  'net/messageDropped': { from: 'required', to: 'required', reason: 'required' },
  'net/messageHeld': { from: 'required', to: 'required' },
  'net/messageDuplicated': { from: 'required', to: 'required' },
  'node/started': { kind: 'required', restart: 'required' },
  'node/timerFired': { timerId: 'required' },
  'node/stopped': { kind: 'required', reason: 'required' },
  'node/scaleRefused': { verb: 'required', node: 'required', reason: 'required' },
  'cpu/inputDropped': { reason: 'required', input: 'required', queueCapacity: 'required' },
  'op/partitioned': { op: 'required' },
  'op/healed': { op: 'required' },
  'op/crashed': { op: 'required' },
  'op/restarted': { op: 'required' },
  'op/slowed': { op: 'required' },
  'op/delayed': { op: 'required' },
  'op/dropSet': { op: 'required' },
  'op/duplicationSet': { op: 'required' },
  'op/held': { op: 'required' },
  'op/released': { op: 'required' },
  'op/clogged': { op: 'required' },
  'op/injected': { op: 'required' },
  'op/serverAdded': { op: 'required' },
  'op/serverRemoved': { op: 'required' },
  'demo/relayReceived': { from: 'required', msg: 'required' },
  'test/received': { from: 'required', msg: 'required' },
  'client/loginRequested': { user: 'required', refresh: 'required' },
  'client/loggedIn': { user: 'required', expiresAtMs: 'required' },
  'client/authFailed': { user: 'required', phase: 'required', reason: 'required' },
  'client/connectRequested': { user: 'required', attempt: 'required' },
  'client/connected': { user: 'required', server: 'required' },
  'client/disconnected': { user: 'required', reason: 'required', retryInMs: 'required' },
  'client/wentOffline': { user: 'required' },
  'client/wentOnline': { user: 'required' },
  'client/messageSent': { user: 'required', channel: 'required', clientMsgId: 'required', text: 'required', replyTo: 'optional' },
  'client/messageRetried': { user: 'required', channel: 'required', clientMsgId: 'required', attempt: 'required' },
  'client/sendAcked': { user: 'required', channel: 'required', clientMsgId: 'required', id: 'required', seq: 'required' },
  'client/sendFailed': { user: 'required', channel: 'required', clientMsgId: 'required', code: 'required', message: 'required' },
  'client/messageReceived': { user: 'required', channel: 'required', id: 'required', seq: 'required', via: 'required' },
  'client/messageShown': { user: 'required', channel: 'required', id: 'required', seq: 'required', author: 'required', clientMsgId: 'required', position: 'required' },
  'client/duplicateDropped': { user: 'required', channel: 'required', id: 'required' },
  'client/membershipRequested': { user: 'required', channel: 'required', action: 'required' },
  'client/membershipChanged': { user: 'required', channel: 'required', action: 'required', afterSeq: 'required', error: 'required' },
  'client/gapDetected': { user: 'required', channel: 'required', expectedSeq: 'required', gotSeq: 'required' },
  'client/reorderTimedOut': { user: 'required', channel: 'required', waitedMs: 'required' },
  'client/historyRequested': { user: 'required', channel: 'required', afterSeq: 'required' },
  'client/presenceSeen': { user: 'required', statuses: 'required', online: 'required' },
  'client/typingSeen': { user: 'required', of: 'required', channel: 'required' },
  'client/pushReceived': { user: 'required', channel: 'required', id: 'required' },
  'auth/tokenIssued': { user: 'required', client: 'required', expiresAtMs: 'required' },
  'auth/loginRefused': { user: 'required', client: 'required', reason: 'required' },
  'auth/tokenRefused': { user: 'required', client: 'required', reason: 'required' },
  'presence/actionRefused': { user: 'required', action: 'required', channel: 'required', refused: 'required' },
  'presence/statusChanged': { user: 'required', online: 'required', reason: 'required' },
  'presence/fannedOut': { user: 'required', strategy: 'required', recipients: 'required' },
  'presence/typingFannedOut': { user: 'required', channel: 'required', recipients: 'required' },
  'notify/sent': { user: 'required', id: 'required' },
  'notify/dropped': { user: 'required', id: 'required', reason: 'required' },
  'mapping/registered': { user: 'required', server: 'required' },
  'mapping/unregistered': { user: 'required', server: 'required' },
  'gw/connectionRouted': { user: 'required', server: 'required', strategy: 'required' },
  'gw/connectionRejected': { user: 'required', reason: 'required' },
  'gw/reloaded': { connectionsDropped: 'required' },
  'gw/serverMarkedDown': { server: 'required', connectionsDropped: 'required' },
  'gw/serverMarkedUp': { server: 'required' },
  'gw/serverAdded': { server: 'required', servers: 'required' },
  'gw/serverDraining': { server: 'required', connections: 'required', servers: 'required' },
  'gw/serverRemoved': { server: 'required', connectionsDropped: 'required' },
  'ws/connectionOpened': { user: 'required', connections: 'required' },
  'ws/connectionClosed': { user: 'required', reason: 'required', connections: 'required' },
  'ws/fannedOut': { id: 'required', channel: 'required', recipients: 'required' },
  'ws/slowConsumerDisconnected': { user: 'required', queuedBytes: 'required', limitBytes: 'required' },
  'ws/brokerConnectionLost': { reason: 'required' },
  'ws/brokerConnectionRestored': { topics: 'required', clientsResynced: 'required' },
  'ws/draining': { connectionsClosed: 'required' },
  'ws/sessionReady': { user: 'required', source: 'required' },
  'ws/limiterUnavailable': { user: 'required', failOpen: 'required' },
  'ws/pollAnswered': { user: 'required', frames: 'required', heldMs: 'required' },
  'ws/batchFlushed': { messages: 'required', target: 'required' },
  'ws/serverCallQueued': { target: 'required', id: 'required', queued: 'required' },
  'ws/serverCallTimedOut': { target: 'required', id: 'required', timeoutMs: 'required' },
  'ws/serverCallDropped': { target: 'required', id: 'required', queued: 'required' },
  'chat/messageRejected': { user: 'required', channel: 'required', clientMsgId: 'required', code: 'required', reason: 'required' },
  'chat/duplicateSubmission': { user: 'required', clientMsgId: 'required', id: 'required' },
  'chat/membershipChanged': { user: 'required', channel: 'required', action: 'required', afterSeq: 'required', afterId: 'required' },
  'chat/messageSequenced': { id: 'required', channel: 'required', seq: 'required', prevId: 'required', author: 'required', clientMsgId: 'required' },
  'chat/messagePersisted': { id: 'required', channel: 'required', seq: 'required', order: 'required', author: 'required', clientMsgId: 'required' },
  'chat/messagePublished': { id: 'required', channel: 'required' },
  'db/messageStored': { id: 'required', channel: 'required', seq: 'required', order: 'required' },
  'db/duplicateInsertIgnored': { id: 'required', channel: 'required', order: 'required' },
  'db/sessionLoaded': { user: 'required', channels: 'required' },
  'db/historyServed': { channel: 'required', afterSeq: 'required', count: 'required' },
  'limiter/allowed': { key: 'required', placement: 'required', algorithm: 'required', count: 'required', limit: 'required', windowMs: 'required', retryAfterMs: 'required', detail: 'required' },
  'limiter/rejected': { key: 'required', placement: 'required', algorithm: 'required', count: 'required', limit: 'required', windowMs: 'required', retryAfterMs: 'required', detail: 'required' },
  'broker/subscribed': { server: 'required', topic: 'required' },
  'broker/unsubscribed': { server: 'required', topic: 'required' },
  'broker/published': { topic: 'required', id: 'required', subscribers: 'required' },
  'broker/appended': { topic: 'required', partition: 'required', offset: 'required', id: 'required', logStartOffset: 'optional' },
  'broker/consumerLagged': { server: 'required', partition: 'required', lag: 'required' },
  'broker/subscriberCutOff': { server: 'required', bufferedBytes: 'required', limitBytes: 'required' },
};

/**
 * True for a type of the vocabulary.
 *
 * @example
 * isKnownEventType('client/messageShown'); // true
 * isKnownEventType('client/shown');        // false
 */
export function isKnownEventType(type: string): type is TraceEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_FIELDS, type);
}

/**
 * What is wrong with an event's type and fields against the vocabulary, or null when nothing is:
 * an unknown type, a missing required field, or a field the type does not have.
 *
 * @example
 * eventShapeProblem({ type: 'client/connected', data: { user: 'u1' } });
 * // 'client/connected: the field "server" is missing'
 */
export function eventShapeProblem(e: { readonly type: string; readonly data: unknown }): string | null {
  if (!isKnownEventType(e.type)) return `unknown event type "${e.type}"`;
  if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) return `${e.type}: data is not an object`;
  const fields: Readonly<Record<string, FieldPresence>> = EVENT_FIELDS[e.type];
  const data = e.data as Readonly<Record<string, unknown>>;
  for (const [name, presence] of Object.entries(fields)) {
    if (presence === 'required' && !Object.prototype.hasOwnProperty.call(data, name)) return `${e.type}: the field "${name}" is missing`;
  }
  for (const name of Object.keys(data)) {
    if (!Object.prototype.hasOwnProperty.call(fields, name)) return `${e.type}: the field "${name}" is not in the vocabulary`;
  }
  return null;
}

