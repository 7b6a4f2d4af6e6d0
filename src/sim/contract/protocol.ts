/**
 * The wire protocol between the cluster's nodes: every message type a node can send, as plain
 * data. Client frames travel client → gateway → WebSocket server and back (the gateway proxies
 * the connection); back-end messages travel between services.
 *
 * Types only, plus the one list of wire types ({@link WIRE_TYPES}) that lets a reader of a trace
 * narrow an untyped payload to {@link WireMsg} ({@link readWire}), and which client frames are data
 * calls ({@link isDataCall}: nodes and the transport meter must agree). The nodes' runtime helpers
 * (node ids, byte sizes, partitions) live in `nodes/protocol.ts`, tokens in `nodes/auth.ts`.
 */

/** Error codes a client can get back for a send. */
export type SendErrorCode = 'FORBIDDEN' | 'INVALID' | 'RATE_LIMITED' | 'UNAVAILABLE';

/**
 * Why the auth service refused a login, or a server refused a token at connect (ADR 0013):
 * `badCredentials` (the login's proof does not match the user's password), `staleLogin` (its
 * time is outside the accepted window), `nonceReused` (a one-time login nonce seen before: a
 * replayed login), `malformed` (not a token of this cluster, e.g. the old `tok:<user>`),
 * `badSignature` (forged or altered), `expired`, `wrongUser` (a token of another user) and
 * `wrongClient` (a token bound to another client connection: a replayed or stolen token).
 */
export type AuthRefusal = 'badCredentials' | 'staleLogin' | 'nonceReused' | 'malformed' | 'badSignature' | 'expired' | 'wrongUser' | 'wrongClient';

/** Why a client connection ended. */
export type DisconnectReason =
  | 'wentOffline'
  | 'serverCrashed'
  | 'heartbeatTimeout'
  | 'slowConsumer'
  | 'rejected'
  /** A login or the connect's token was refused (see {@link AuthRefusal}). */
  | 'authFailed'
  | 'gatewayDropped'
  /** The server heard nothing on the connection for its idle timeout and closed it. */
  | 'idleTimeout'
  /** The server is being taken out of service (`removeServer`) and closed the connection gracefully. */
  | 'serverDraining';

/** A chat message as stored and delivered. */
export interface ChatMessage {
  readonly id: string;
  readonly channel: string;
  /** Per-channel or global sequence number; null when ordering is off. */
  readonly seq: number | null;
  /** The id of the previous message in the channel (001's prevMsgID); null for the first or when ordering is off. */
  readonly prevId: string | null;
  readonly author: string;
  readonly clientMsgId: string;
  readonly text: string;
  /**
   * When the chat service accepted it (001's timeStamp, "message created time"): the service's
   * clock at sequencing, in ms of virtual time with the kernel's µs resolution. One chat service
   * stamps every message, so stamps never contradict the stored order; the history visibility
   * rule `since-join` compares them with a member's join time.
   */
  readonly sentAtMs: number;
  /** On a reply only: the message it answers (absent otherwise, so plain messages stay as they were). */
  readonly replyTo?: ReplyRef;
}

/** Joining or leaving a channel (001's web service: join/leave group). */
export type MembershipAction = 'join' | 'leave';

/**
 * The message a reply answers, as its sender saw it: the server's id it was shown under, and the
 * identity its own sender gave it (author and client message id), which the causal checker judges by.
 */
export interface ReplyRef {
  readonly id: string;
  readonly author: string;
  readonly clientMsgId: string;
}

/** Frames a client sends (through the gateway). */
export type ClientFrame =
  /**
   * Log in (an HTTP POST the gateway routes to the auth service): the user, a one-time nonce,
   * the client's time, and a proof (a keyed hash of those under the user's password), so the
   * password itself never travels and a captured login cannot be replayed.
   */
  | { readonly type: 'login'; readonly user: string; readonly nonce: string; readonly atMs: number; readonly proof: string }
  | { readonly type: 'connect'; readonly user: string; readonly token: string; readonly downlinkBytesPerMs: number }
  | { readonly type: 'send'; readonly clientMsgId: string; readonly channel: string; readonly text: string; readonly replyTo?: ReplyRef }
  | { readonly type: 'ack'; readonly id: string }
  | { readonly type: 'history'; readonly channel: string; readonly afterSeq: number }
  | { readonly type: 'ping'; readonly n: number }
  | { readonly type: 'bye' }
  /** Presence: "I am looking at these users" (Slack's presence_sub: the full list each time). */
  | { readonly type: 'presenceSub'; readonly users: readonly string[] }
  /** Presence, lazy: "what is the status of these users?" */
  | { readonly type: 'presenceQuery'; readonly users: readonly string[] }
  /** The user is typing in a channel. */
  | { readonly type: 'typing'; readonly channel: string }
  /** Long polling: "answer when you have something" (an HTTP GET the server holds). */
  | { readonly type: 'poll' }
  /** The user joins or leaves a channel. */
  | { readonly type: 'membership'; readonly channel: string; readonly action: MembershipAction };

/** Frames a server sends to a client (through the gateway). */
export type ServerFrame =
  /** The auth service issued a signed token, valid until `expiresAtMs` (virtual time). */
  | { readonly type: 'loginOk'; readonly token: string; readonly expiresAtMs: number }
  /** A login or a connect was refused for an authentication reason. */
  | { readonly type: 'authError'; readonly phase: 'login' | 'connect'; readonly reason: AuthRefusal }
  | { readonly type: 'connected'; readonly server: string }
  | { readonly type: 'rejected'; readonly reason: 'noLiveServer' | 'connectionLimit' | 'admission' }
  | { readonly type: 'closed'; readonly reason: DisconnectReason }
  | { readonly type: 'deliver'; readonly message: ChatMessage }
  | { readonly type: 'sendAck'; readonly clientMsgId: string; readonly channel: string; readonly id: string; readonly seq: number | null }
  | { readonly type: 'sendError'; readonly clientMsgId: string; readonly channel: string; readonly code: SendErrorCode; readonly message: string; readonly retryAfterMs?: number }
  | { readonly type: 'historyPage'; readonly channel: string; readonly afterSeq: number; readonly messages: readonly ChatMessage[] }
  | { readonly type: 'pong'; readonly n: number }
  /** The server may have missed messages (its broker connection broke): catch up from history. */
  | { readonly type: 'resync' }
  /** Another user's presence changed (or, lazily, the answer to a query). */
  | { readonly type: 'presence'; readonly users: readonly { readonly user: string; readonly online: boolean; readonly lastSeenMs: number }[] }
  /** Someone is typing in a channel. */
  | { readonly type: 'typingNotice'; readonly user: string; readonly channel: string }
  /** A push notification, delivered by the phone maker's service even while the app is closed. */
  | { readonly type: 'push'; readonly message: ChatMessage }
  /** Long polling: the answer to a held poll, with every frame buffered since the last one. */
  | { readonly type: 'pollResponse'; readonly frames: readonly ServerFrame[] }
  /** SSE and long polling: the HTTP response to a client's POST. */
  | { readonly type: 'httpOk' }
  /**
   * The answer to a join or leave. On a join, `afterSeq`/`afterId` are the channel's last number
   * and message when the join took effect: with `since-join` history the member's view starts
   * there. `error` says why a change was refused (the other fields are then 0 and null).
   */
  | { readonly type: 'membershipDone'; readonly channel: string; readonly action: MembershipAction; readonly afterSeq: number; readonly afterId: string | null; readonly error?: string };

/** Everything that travels between nodes. */
export type WireMsg =
  // client ↔ gateway
  | ClientFrame
  | ServerFrame
  // a client fleet (many users in one node) ↔ gateway: the frame of one of its users
  | { readonly type: 'fromUser'; readonly user: string; readonly frame: ClientFrame }
  | { readonly type: 'toUser'; readonly user: string; readonly frame: ServerFrame }
  // gateway ↔ WebSocket server
  | { readonly type: 'fromClient'; readonly client: string; readonly frame: ClientFrame }
  /**
   * `http` marks the answer to a data call made as its own HTTP/1.1 request (`dataCalls: 'http'`,
   * ADR 0017): the gateway sends it as that request's response, not on the client's stream.
   * Absent otherwise, so runs without such calls keep their bytes and traces.
   */
  | { readonly type: 'toClient'; readonly client: string; readonly frame: ServerFrame; readonly http?: true }
  /** The gateway closed a proxied connection (the client left, or it moved to another server). */
  | { readonly type: 'connClosed'; readonly client: string }
  | { readonly type: 'health'; readonly n: number }
  /** `bootAt` changes when the server restarts: every connection it had is gone. */
  | { readonly type: 'healthOk'; readonly n: number; readonly bootAt: number }
  // gateway ↔ auth service: a client's login, with the client address the gateway saw it from
  | { readonly type: 'auth/login'; readonly client: string; readonly user: string; readonly nonce: string; readonly atMs: number; readonly proof: string }
  | { readonly type: 'auth/issued'; readonly client: string; readonly user: string; readonly token: string; readonly expiresAtMs: number }
  | { readonly type: 'auth/refused'; readonly client: string; readonly user: string; readonly reason: AuthRefusal }
  // WebSocket server ↔ chat service
  | { readonly type: 'chat/session'; readonly user: string }
  /** Chat → database: load a user's channels and answer the server directly. */
  | { readonly type: 'db/session'; readonly user: string; readonly replyTo: string }
  /**
   * `visibleFrom`: channels the user joined mid-run under `since-join` history, each with its join
   * time (the membership table keeps it): any server holding the user passes nothing older.
   */
  | { readonly type: 'chat/sessionInfo'; readonly user: string; readonly channels: readonly string[]; readonly visibleFrom?: Readonly<Record<string, number>> }
  | { readonly type: 'chat/submit'; readonly user: string; readonly clientMsgId: string; readonly channel: string; readonly text: string; readonly replyTo?: ReplyRef }
  | { readonly type: 'chat/accepted'; readonly user: string; readonly message: ChatMessage; readonly members: readonly string[] | null }
  | { readonly type: 'chat/rejected'; readonly user: string; readonly clientMsgId: string; readonly channel: string; readonly code: SendErrorCode; readonly reason: string }
  | { readonly type: 'chat/history'; readonly user: string; readonly channel: string; readonly afterSeq: number }
  /** A server forwards a user's join or leave. */
  | { readonly type: 'chat/membership'; readonly user: string; readonly channel: string; readonly action: MembershipAction }
  /** The chat service's answer to the server that forwarded it. */
  /**
   * `visibleFromMs`: with `since-join` history, the join's time: the server passes the member no
   * message stamped before it (one sequenced before the join can still be on its way); else 0.
   */
  | { readonly type: 'chat/membershipDone'; readonly user: string; readonly channel: string; readonly action: MembershipAction; readonly afterSeq: number; readonly afterId: string | null; readonly visibleFromMs: number; readonly error?: string }
  // chat service ↔ sequencer
  | { readonly type: 'seq/next'; readonly reqId: number }
  | { readonly type: 'seq/assigned'; readonly reqId: number; readonly seq: number }
  // chat service ↔ database
  | { readonly type: 'db/insert'; readonly reqId: number; readonly message: ChatMessage }
  | { readonly type: 'db/inserted'; readonly reqId: number; readonly order: number }
  /** `sinceMs`: only messages stamped at or after it (a `since-join` member's history); 0 for all. */
  | { readonly type: 'db/history'; readonly user: string; readonly channel: string; readonly afterSeq: number; readonly replyTo: string; readonly sinceMs?: number }
  /** The membership table (001): add or remove a row. */
  | { readonly type: 'db/membership'; readonly reqId: number; readonly user: string; readonly channel: string; readonly action: MembershipAction; readonly visibleFromMs: number }
  | { readonly type: 'db/membershipSaved'; readonly reqId: number }
  | { readonly type: 'db/historyResult'; readonly user: string; readonly channel: string; readonly afterSeq: number; readonly messages: readonly ChatMessage[] }
  // chat service → broker, broker ↔ WebSocket servers (Redis-like)
  | { readonly type: 'pub'; readonly topic: string; readonly message: ChatMessage }
  | { readonly type: 'sub'; readonly topics: readonly string[] }
  | { readonly type: 'unsub'; readonly topics: readonly string[] }
  | { readonly type: 'msg'; readonly topic: string; readonly message: ChatMessage }
  | { readonly type: 'drained'; readonly bytes: number }
  | { readonly type: 'cutOff' }
  | { readonly type: 'brokerPing'; readonly n: number }
  | { readonly type: 'brokerPong'; readonly n: number }
  // Kafka-like
  /**
   * The whole set of partitions a server consumes. `epoch` grows with every request from that
   * server (across its restarts), so the broker can ignore a stale request that a non-FIFO link
   * delivered after a newer one, as a consumer group's generation id does.
   */
  | { readonly type: 'fetchFrom'; readonly partitions: readonly number[]; readonly epoch: number }
  | { readonly type: 'records'; readonly partition: number; readonly records: readonly { readonly offset: number; readonly message: ChatMessage }[] }
  | { readonly type: 'commit'; readonly partition: number; readonly offset: number }
  // no broker: the user → server directory and direct server-to-server calls
  | { readonly type: 'dir/register'; readonly user: string }
  | { readonly type: 'dir/unregister'; readonly user: string }
  | { readonly type: 'dir/lookup'; readonly reqId: number; readonly users: readonly string[]; readonly message: ChatMessage }
  | { readonly type: 'dir/found'; readonly reqId: number; readonly servers: readonly { readonly server: string; readonly users: readonly string[] }[]; readonly message: ChatMessage }
  /** A server-to-server HTTP call: deliver `message` to these local users; `callId` names it for the response. */
  | { readonly type: 'direct'; readonly message: ChatMessage; readonly users: readonly string[]; readonly callId: number }
  /** The HTTP response to one request carrying these calls (one `direct`, or a batch of them) for these messages. */
  | { readonly type: 'directOk'; readonly callIds: readonly number[]; readonly ids: readonly string[] }
  // presence service
  | { readonly type: 'presence/connected'; readonly user: string }
  | { readonly type: 'presence/disconnected'; readonly user: string }
  | { readonly type: 'presence/beat'; readonly user: string }
  | { readonly type: 'presence/sub'; readonly user: string; readonly users: readonly string[] }
  | { readonly type: 'presence/query'; readonly user: string; readonly users: readonly string[] }
  | { readonly type: 'presence/typing'; readonly user: string; readonly channel: string }
  /** Chat → presence: a membership changed (typing and contacts follow it). */
  | { readonly type: 'presence/membership'; readonly user: string; readonly channel: string; readonly action: MembershipAction }
  /** Presence → a server: send `frame` to these of its local users. */
  | { readonly type: 'presence/deliver'; readonly recipients: readonly string[]; readonly frame: ServerFrame }
  /** Chat → presence: who among these members is offline (for push notifications)? */
  | { readonly type: 'presence/notifyOffline'; readonly members: readonly string[]; readonly message: ChatMessage }
  // notification service
  | { readonly type: 'notify/push'; readonly users: readonly string[]; readonly message: ChatMessage }
  // the external session store of stateless servers (Redis-like)
  /**
   * Session writes carry the writing server's counter `v` (growing across its restarts), so the
   * store can tell a late remove from one server apart from the newer put it would undo.
   */
  | { readonly type: 'store/put'; readonly user: string; readonly channels: readonly string[]; readonly v: number; readonly visibleFrom?: Readonly<Record<string, number>> }
  | { readonly type: 'store/remove'; readonly user: string; readonly v: number }
  | { readonly type: 'store/get'; readonly user: string }
  | { readonly type: 'store/got'; readonly user: string; readonly channels: readonly string[] | null; readonly visibleFrom?: Readonly<Record<string, number>> }
  /** Which of my connected users are members of this message's channel? */
  | { readonly type: 'store/members'; readonly message: ChatMessage }
  | { readonly type: 'store/membersOf'; readonly users: readonly string[]; readonly message: ChatMessage }
  // the dedicated rate-limit service
  | { readonly type: 'rl/check'; readonly reqId: number; readonly user: string }
  | { readonly type: 'rl/verdict'; readonly reqId: number; readonly allowed: boolean; readonly retryAfterMs: number | null }
  /** Operator → a client (via the inject verb): the user types and sends a message (the chat panel). */
  | { readonly type: 'userSend'; readonly channel: string; readonly text: string }
  /** Operator → a client (via the inject verb): the user joins or leaves a channel. */
  | { readonly type: 'userMembership'; readonly channel: string; readonly action: MembershipAction }
  /** Operator → gateway (via the inject verb): reload the configuration, dropping every connection. */
  | { readonly type: 'reload' }
  // scaling (ADR 0014): the orchestrator's notices when an operator adds or removes a server
  /** Orchestrator → gateway: a spare server booted; put it in the rotation once it answers a health check. */
  | { readonly type: 'pool/serverAdded'; readonly server: string }
  /** Orchestrator → gateway: take a server out of the rotation; it is draining. */
  | { readonly type: 'pool/serverDraining'; readonly server: string }
  /** Orchestrator → gateway: a drained server stopped; close whatever is still proxied to it. */
  | { readonly type: 'pool/serverStopped'; readonly server: string }
  /** Orchestrator → a server (SIGTERM): close every connection gracefully and accept no new one. */
  | { readonly type: 'drain' }
  // batching (001: buffered, randomized-offset sends between servers)
  | { readonly type: 'batch'; readonly items: readonly WireMsg[] };

/**
 * How a client talks to the cluster: a WebSocket, Server-Sent Events down with a POST per frame
 * up, long polling, or JSON frames over a raw TCP (TLS) stream, a native app's choice that
 * browsers cannot make (ADR 0017).
 */
export type Transport = 'websocket' | 'sse' | 'long-polling' | 'tcp';

/**
 * How a client's request/response calls (a history fetch, a lazy presence query) travel: on the
 * persistent stream as request and response frames (`stream`, 002's first option), or each as its
 * own HTTP/1.1 request on a kept-alive connection beside the stream (`http`, 002's second; ADR 0017).
 */
export type DataCalls = 'stream' | 'http';

/** The client frames that are data calls: one request, one answer. */
export function isDataCall(frame: { readonly type: string }): boolean {
  return frame.type === 'history' || frame.type === 'presenceQuery';
}

/** Every frame type a client sends, each once: the compiler fails when one is added without it. */
export const CLIENT_FRAME_TYPES: Readonly<Record<ClientFrame['type'], true>> = {
  login: true,
  connect: true,
  send: true,
  ack: true,
  history: true,
  ping: true,
  bye: true,
  presenceSub: true,
  presenceQuery: true,
  typing: true,
  poll: true,
  membership: true,
};

/** Every frame type a server sends a client, each once (the compiler checks it as above). */
export const SERVER_FRAME_TYPES: Readonly<Record<ServerFrame['type'], true>> = {
  loginOk: true,
  authError: true,
  connected: true,
  rejected: true,
  closed: true,
  deliver: true,
  sendAck: true,
  sendError: true,
  historyPage: true,
  pong: true,
  resync: true,
  presence: true,
  typingNotice: true,
  push: true,
  pollResponse: true,
  httpOk: true,
  membershipDone: true,
};

/** Every wire type, each once: the compiler fails when a message type is added without it. */
const WIRE_TYPE_SET: Readonly<Record<WireMsg['type'], true>> = {
  ...CLIENT_FRAME_TYPES,
  ...SERVER_FRAME_TYPES,
  fromUser: true,
  toUser: true,
  fromClient: true,
  toClient: true,
  connClosed: true,
  health: true,
  healthOk: true,
  'auth/login': true,
  'auth/issued': true,
  'auth/refused': true,
  'chat/session': true,
  'db/session': true,
  'chat/sessionInfo': true,
  'chat/submit': true,
  'chat/accepted': true,
  'chat/rejected': true,
  'chat/history': true,
  'chat/membership': true,
  'chat/membershipDone': true,
  'seq/next': true,
  'seq/assigned': true,
  'db/insert': true,
  'db/inserted': true,
  'db/history': true,
  'db/historyResult': true,
  'db/membership': true,
  'db/membershipSaved': true,
  pub: true,
  sub: true,
  unsub: true,
  msg: true,
  drained: true,
  cutOff: true,
  brokerPing: true,
  brokerPong: true,
  fetchFrom: true,
  records: true,
  commit: true,
  'dir/register': true,
  'dir/unregister': true,
  'dir/lookup': true,
  'dir/found': true,
  direct: true,
  directOk: true,
  'presence/connected': true,
  'presence/disconnected': true,
  'presence/beat': true,
  'presence/sub': true,
  'presence/query': true,
  'presence/typing': true,
  'presence/membership': true,
  'presence/deliver': true,
  'presence/notifyOffline': true,
  'notify/push': true,
  'store/put': true,
  'store/remove': true,
  'store/get': true,
  'store/got': true,
  'store/members': true,
  'store/membersOf': true,
  'rl/check': true,
  'rl/verdict': true,
  userSend: true,
  userMembership: true,
  reload: true,
  'pool/serverAdded': true,
  'pool/serverDraining': true,
  'pool/serverStopped': true,
  drain: true,
  batch: true,
};

/** Every wire message type. */
export const WIRE_TYPES: readonly WireMsg['type'][] = Object.keys(WIRE_TYPE_SET) as WireMsg['type'][];

/**
 * Narrows a payload carried by a trace event (`net/messageSent`'s `msg`, an injected message) to
 * the cluster's wire protocol, or null when it is not one (the kernel demo's pings, a test's
 * payload). The check is on the `type` tag: a trace written by this cluster carries exactly these
 * shapes, so that is enough to read the rest with the protocol's types.
 *
 * @example
 * readWire({ type: 'ack', id: 'm3' })?.type; // 'ack'
 * readWire({ type: 'ping!' });              // null
 */
export function readWire(payload: unknown): WireMsg | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const type = (payload as { readonly type?: unknown }).type;
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(WIRE_TYPE_SET, type) ? (payload as WireMsg) : null;
}
