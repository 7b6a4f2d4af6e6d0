/**
 * The chat cluster's trace vocabulary: every event type the cluster's nodes record, with the
 * shape of its `data`. Checkers, metrics, diagrams and lab goals read these and nothing else, so
 * this file is the contract between the nodes and everything built on the trace.
 *
 * Conventions: `user` is a user id (`u1`), `channel` a channel id (`dm:u1:u2`, `g1`), `id` the
 * server-assigned message id (`m17`), `clientMsgId` the client's idempotency key (`u1-5`),
 * `seq` the per-channel (or global) sequence number or null when ordering is off.
 */

/** Error codes a client can get back for a send. */
export type SendErrorCode = 'FORBIDDEN' | 'INVALID' | 'RATE_LIMITED' | 'UNAVAILABLE';

/** Why a client connection ended. */
export type DisconnectReason =
  | 'wentOffline'
  | 'serverCrashed'
  | 'heartbeatTimeout'
  | 'slowConsumer'
  | 'rejected'
  | 'gatewayDropped';

/** Data of each cluster trace event, by type. */
export interface ClusterEventData {
  // ---- clients ---------------------------------------------------------------------------------
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
  /** The user sent a message (first attempt). `sentAt` is this event's time. */
  'client/messageSent': { user: string; channel: string; clientMsgId: string; text: string };
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
   * is what ordering, duplicate and loss checkers judge.
   */
  'client/messageShown': { user: string; channel: string; id: string; seq: number | null; author: string; position: number };
  /** The client recognised a message it already shows and dropped it. */
  'client/duplicateDropped': { user: string; channel: string; id: string };
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
  /** A connection became ready; its session came from the server's own load or the external store. */
  'ws/sessionReady': { user: string; source: 'database' | 'store' };
  /** The dedicated rate limiter did not answer in time; the send went through (failOpen) or was refused. */
  'ws/limiterUnavailable': { user: string; failOpen: boolean };
  /** Long polling: a held poll was answered with `frames` frames after `heldMs`. */
  'ws/pollAnswered': { user: string; frames: number; heldMs: number };
  /** A batch window closed and its messages went out together. */
  'ws/batchFlushed': { messages: number; target: string };

  // ---- chat service -----------------------------------------------------------------------------
  /** A send was refused. */
  'chat/messageRejected': { user: string; channel: string; clientMsgId: string; code: SendErrorCode; reason: string };
  /** A retried send whose key was already seen: answered with the original id, nothing new stored. */
  'chat/duplicateSubmission': { user: string; clientMsgId: string; id: string };
  /** A sequence number (and previous id) was assigned. */
  'chat/messageSequenced': { id: string; channel: string; seq: number | null; prevId: string | null; author: string; clientMsgId: string };
  /**
   * The database confirmed the write. `order` is the message's position in the channel's stored
   * history: the ground truth the ordering checker compares what users see against.
   */
  'chat/messagePersisted': { id: string; channel: string; seq: number | null; order: number; author: string };
  /** The message was handed to the broker (or, with no broker, to the target servers). */
  'chat/messagePublished': { id: string; channel: string };

  // ---- database ---------------------------------------------------------------------------------
  /** A message row was written. */
  'db/messageStored': { id: string; channel: string; seq: number | null; order: number };
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
  /** Kafka-like: a record was appended to a partition at an offset. */
  'broker/appended': { topic: string; partition: number; offset: number; id: string };
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

/** Every cluster event type. */
export type ClusterEventType = keyof ClusterEventData;

/** Static facts about a built cluster that checkers and metrics need. */
export interface ClusterInfo {
  /** Channel id → member user ids. */
  readonly channels: ReadonlyMap<string, readonly string[]>;
  /** User id → the client node id that plays that user. */
  readonly clientNodes: ReadonlyMap<string, string>;
  /** Node id → node kind (`client`, `gateway`, `ws-server`, `broker`, `chat`, `db`, …). */
  readonly nodeKinds: ReadonlyMap<string, string>;
  /** Time after which no new message is sent (the settle period starts). */
  readonly workloadEndMs: number;
  /**
   * Users u1..u<n> each have a personal channel `p:<user>`, not listed in `channels` (a million of
   * them would cost more than the rest of the cluster). 0 when there are none.
   */
  readonly personalChannelUsers?: number;
  /**
   * Users u1..u<n> are connected from the start (a warm start): online until a trace event says
   * otherwise, without a million `client/connected` events. 0 when there is no warm start.
   */
  readonly warmStartUsers?: number;
}

/** The members of a channel, personal channels included; undefined for an unknown channel. */
export function channelMembers(
  channels: ReadonlyMap<string, readonly string[]>,
  personalChannelUsers: number,
  channel: string,
): readonly string[] | undefined {
  const listed = channels.get(channel);
  if (listed !== undefined || personalChannelUsers <= 0 || !channel.startsWith('p:u')) return listed;
  const n = Number(channel.slice(3));
  return Number.isInteger(n) && n >= 1 && n <= personalChannelUsers ? [channel.slice(2)] : undefined;
}
