/**
 * The runtime side of the wire protocol: node ids, message sizes, partitions, transport
 * overheads and client addresses. The message types themselves are part of the contract
 * (`../contract/protocol.ts`).
 */
import type { ChatMessage, ServerFrame, Transport, WireMsg } from '../contract/index.ts';

/** Approximate bytes of a message on the wire: a JSON envelope plus the text. */
export function messageBytes(m: ChatMessage): number {
  return 96 + m.id.length + m.channel.length + m.author.length + m.clientMsgId.length + m.text.length * 2;
}

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
  auth: 'auth',
  client: (user: string): string => `c-${user}`,
  ws: (i: number): string => `ws-${i}`,
} as const;

/** Kafka-like partition of a channel: a stable string hash modulo the partition count. */
export function partitionOf(channel: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < channel.length; i++) h = Math.imul(h ^ channel.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/**
 * Bytes a transport adds on the last mile (client ↔ gateway), on top of the payload. Figures are
 * typical sizes, not measurements of one browser: RFC 6455 frame headers (2 bytes server → client,
 * 6 with the mask client → server); an HTTP request with a browser's usual headers and a cookie
 * (~500 bytes) and a small response (~150 bytes); an SSE event's `id:`/`data:` lines (~16 bytes);
 * the WebSocket upgrade or the first GET as the handshake. A raw TCP stream (ADR 0017) frames
 * each JSON message with a 4-byte length prefix, and its connect is a frame like any other: no
 * HTTP upgrade. The TCP and TLS handshakes are the same under every transport and counted under
 * none. docs/CALIBRATION.md lists them.
 */
export const TRANSPORT_BYTES = {
  websocket: { handshake: 500, up: 6, down: 2 },
  sse: { handshake: 600, up: 500, down: 16 },
  'long-polling': { handshake: 600, up: 500, down: 150 },
  tcp: { handshake: 4, up: 4, down: 4 },
} as const;

/** Bytes of an HTTP request's request line and headers (a POST, a poll, a login, a data call). */
export const HTTP_REQUEST_BYTES = 500;

/** Bytes of an HTTP response's status line and headers (the answer to a POST or a poll). */
export const HTTP_RESPONSE_BYTES = 150;

/** Whether every client frame but a connect, a poll and a bye is its own HTTP POST (SSE and long polling). */
export function postsEveryFrame(transport: Transport): boolean {
  return transport === 'sse' || transport === 'long-polling';
}

/** Server frames that are the direct answer to a request (never queued behind a held poll). */
export function isDirectFrame(frame: ServerFrame): boolean {
  return frame.type === 'connected' || frame.type === 'authError' || frame.type === 'loginOk' || frame.type === 'rejected' || frame.type === 'closed' || frame.type === 'httpOk' || frame.type === 'pong' || frame.type === 'pollResponse';
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
