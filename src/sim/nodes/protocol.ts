/**
 * The wire protocol between the cluster's nodes: every message type a node can send, as plain
 * data. Client frames travel client → gateway → WebSocket server and back (the gateway proxies
 * the connection); back-end messages travel between services.
 */
import type { DisconnectReason, SendErrorCode } from '../cluster/events.ts';

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
}

/** Approximate bytes of a message on the wire: a JSON envelope plus the text. */
export function messageBytes(m: ChatMessage): number {
  return 96 + m.id.length + m.channel.length + m.author.length + m.clientMsgId.length + m.text.length * 2;
}

/** Frames a client sends (through the gateway). */
export type ClientFrame =
  | { readonly type: 'connect'; readonly user: string; readonly token: string; readonly downlinkBytesPerMs: number }
  | { readonly type: 'send'; readonly clientMsgId: string; readonly channel: string; readonly text: string }
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
  | { readonly type: 'poll' };

/** Frames a server sends to a client (through the gateway). */
export type ServerFrame =
  | { readonly type: 'connected'; readonly server: string }
  | { readonly type: 'rejected'; readonly reason: 'noLiveServer' | 'connectionLimit' | 'badToken' | 'admission' }
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
  | { readonly type: 'httpOk' };

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
  | { readonly type: 'toClient'; readonly client: string; readonly frame: ServerFrame }
  /** The gateway closed a proxied connection (the client left, or it moved to another server). */
  | { readonly type: 'connClosed'; readonly client: string }
  | { readonly type: 'health'; readonly n: number }
  /** `bootAt` changes when the server restarts: every connection it had is gone. */
  | { readonly type: 'healthOk'; readonly n: number; readonly bootAt: number }
  // WebSocket server ↔ chat service
  | { readonly type: 'chat/session'; readonly user: string }
  /** Chat → database: load a user's channels and answer the server directly. */
  | { readonly type: 'db/session'; readonly user: string; readonly replyTo: string }
  | { readonly type: 'chat/sessionInfo'; readonly user: string; readonly channels: readonly string[] }
  | { readonly type: 'chat/submit'; readonly user: string; readonly clientMsgId: string; readonly channel: string; readonly text: string }
  | { readonly type: 'chat/accepted'; readonly user: string; readonly message: ChatMessage; readonly members: readonly string[] | null }
  | { readonly type: 'chat/rejected'; readonly user: string; readonly clientMsgId: string; readonly channel: string; readonly code: SendErrorCode; readonly reason: string }
  | { readonly type: 'chat/history'; readonly user: string; readonly channel: string; readonly afterSeq: number }
  // chat service ↔ sequencer
  | { readonly type: 'seq/next'; readonly reqId: number }
  | { readonly type: 'seq/assigned'; readonly reqId: number; readonly seq: number }
  // chat service ↔ database
  | { readonly type: 'db/insert'; readonly reqId: number; readonly message: ChatMessage }
  | { readonly type: 'db/inserted'; readonly reqId: number; readonly order: number }
  | { readonly type: 'db/history'; readonly user: string; readonly channel: string; readonly afterSeq: number; readonly replyTo: string }
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
  | { readonly type: 'fetchFrom'; readonly partitions: readonly number[] }
  | { readonly type: 'records'; readonly partition: number; readonly records: readonly { readonly offset: number; readonly message: ChatMessage }[] }
  | { readonly type: 'commit'; readonly partition: number; readonly offset: number }
  // no broker: the user → server directory and direct server-to-server calls
  | { readonly type: 'dir/register'; readonly user: string }
  | { readonly type: 'dir/unregister'; readonly user: string }
  | { readonly type: 'dir/lookup'; readonly reqId: number; readonly users: readonly string[]; readonly message: ChatMessage }
  | { readonly type: 'dir/found'; readonly reqId: number; readonly servers: readonly { readonly server: string; readonly users: readonly string[] }[]; readonly message: ChatMessage }
  | { readonly type: 'direct'; readonly message: ChatMessage; readonly users: readonly string[] }
  // presence service
  | { readonly type: 'presence/connected'; readonly user: string }
  | { readonly type: 'presence/disconnected'; readonly user: string }
  | { readonly type: 'presence/beat'; readonly user: string }
  | { readonly type: 'presence/sub'; readonly user: string; readonly users: readonly string[] }
  | { readonly type: 'presence/query'; readonly user: string; readonly users: readonly string[] }
  | { readonly type: 'presence/typing'; readonly user: string; readonly channel: string }
  /** Presence → a server: send `frame` to these of its local users. */
  | { readonly type: 'presence/deliver'; readonly recipients: readonly string[]; readonly frame: ServerFrame }
  /** Chat → presence: who among these members is offline (for push notifications)? */
  | { readonly type: 'presence/notifyOffline'; readonly members: readonly string[]; readonly message: ChatMessage }
  // notification service
  | { readonly type: 'notify/push'; readonly users: readonly string[]; readonly message: ChatMessage }
  // the external session store of stateless servers (Redis-like)
  | { readonly type: 'store/put'; readonly user: string; readonly channels: readonly string[] }
  | { readonly type: 'store/remove'; readonly user: string }
  | { readonly type: 'store/get'; readonly user: string }
  | { readonly type: 'store/got'; readonly user: string; readonly channels: readonly string[] | null }
  /** Which of my connected users are members of this message's channel? */
  | { readonly type: 'store/members'; readonly message: ChatMessage }
  | { readonly type: 'store/membersOf'; readonly users: readonly string[]; readonly message: ChatMessage }
  // the dedicated rate-limit service
  | { readonly type: 'rl/check'; readonly reqId: number; readonly user: string }
  | { readonly type: 'rl/verdict'; readonly reqId: number; readonly allowed: boolean; readonly retryAfterMs: number | null }
  /** Operator → a client (via the inject verb): the user types and sends a message (the chat panel). */
  | { readonly type: 'userSend'; readonly channel: string; readonly text: string }
  /** Operator → gateway (via the inject verb): reload the configuration, dropping every connection. */
  | { readonly type: 'reload' }
  // batching (001: buffered, randomized-offset sends between servers)
  | { readonly type: 'batch'; readonly items: readonly WireMsg[] };

/** Node ids used by the cluster builder. */
export const NODE = {
  gateway: 'gw',
  broker: 'broker',
  chat: 'chat',
  db: 'db',
  sequencer: 'sequencer',
  directory: 'directory',
  presence: 'presence',
  notifier: 'notifier',
  sessions: 'sessions',
  limiter: 'limiter',
  client: (user: string): string => `c-${user}`,
  ws: (i: number): string => `ws-${i}`,
} as const;

/** The token a user presents; the model checks its shape, not a signature. */
export function tokenFor(user: string): string {
  return `tok:${user}`;
}

/** Kafka-like partition of a channel: a stable string hash modulo the partition count. */
export function partitionOf(channel: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < channel.length; i++) h = Math.imul(h ^ channel.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/** How a client talks to the cluster. */
export type Transport = 'websocket' | 'sse' | 'long-polling';

/**
 * Bytes a transport adds on the last mile (client ↔ gateway), on top of the payload. Figures are
 * typical sizes, not measurements of one browser: RFC 6455 frame headers (2 bytes server → client,
 * 6 with the mask client → server); an HTTP request with a browser's usual headers and a cookie
 * (~500 bytes) and a small response (~150 bytes); an SSE event's `id:`/`data:` lines (~16 bytes);
 * the WebSocket upgrade or the first GET as the handshake. docs/CALIBRATION.md lists them.
 */
export const TRANSPORT_BYTES = {
  websocket: { handshake: 500, up: 6, down: 2 },
  sse: { handshake: 600, up: 500, down: 16 },
  'long-polling': { handshake: 600, up: 500, down: 150 },
} as const;

/** Bytes of an HTTP response's status line and headers (the answer to a POST or a poll). */
export const HTTP_RESPONSE_BYTES = 150;

/** Server frames that are the direct answer to a request (never queued behind a held poll). */
export function isDirectFrame(frame: ServerFrame): boolean {
  return frame.type === 'connected' || frame.type === 'rejected' || frame.type === 'closed' || frame.type === 'httpOk' || frame.type === 'pong' || frame.type === 'pollResponse';
}

/**
 * A client's address at the gateway: its node id, or `fleet#user` for one user of a client fleet
 * (a node that plays many users at once, for runs with a million of them).
 */
export function clientAddress(node: string, user: string | null): string {
  return user === null ? node : `${node}#${user}`;
}

/** Sends a server frame to a client address: directly to a client node, or wrapped for a fleet. */
export function toAddress(address: string, frame: ServerFrame): { readonly to: string; readonly msg: WireMsg } {
  const hash = address.indexOf('#');
  return hash < 0 ? { to: address, msg: frame } : { to: address.slice(0, hash), msg: { type: 'toUser', user: address.slice(hash + 1), frame } };
}
