/**
 * What the `inject` verb may carry into the cluster: a user's action at the keyboard (`userSend`),
 * the gateway's `reload`, or a frame a client or a server really sends (a forged `connect`, a
 * spoofed `deliver`). Each is checked field by field, so a malformed payload (`msg: null`,
 * `{"type":"deliver"}` without its message) is refused with the field's path before it reaches a
 * node, instead of crashing the node that reads it. Back-end messages (`pub`, `db/insert`, …) are
 * refused: they carry request ids and bookkeeping that only their sender can get right, and no lab
 * needs to forge them.
 */
import { z } from 'zod';
import type { WireMsg } from '../contract/index.ts';
import { describeIssue } from './issues.ts';

/** The longest string an injected frame may carry (a user id, a channel, a message's text). */
export const INJECT_TEXT_MAX = 65_536;
/** The most entries a list in an injected frame may have (users watched, messages in a page). */
export const INJECT_LIST_MAX = 10_000;
/** Numbers in an injected frame (sequence numbers, ping counters, offsets) are safe integers. */
const count = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const text = () => z.string().max(INJECT_TEXT_MAX);
const name = () => z.string().min(1).max(INJECT_TEXT_MAX);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(INJECT_LIST_MAX);

const replyRef = z.strictObject({ id: name(), author: name(), clientMsgId: name() });

const chatMessage = z.strictObject({
  id: name(),
  channel: name(),
  seq: count().nullable(),
  prevId: name().nullable(),
  author: name(),
  clientMsgId: name(),
  text: text(),
  sentAtMs: z.number().min(0).max(1e15),
  replyTo: replyRef.optional(),
});

const membershipAction = z.enum(['join', 'leave']);

const sendErrorCode = z.enum(['FORBIDDEN', 'INVALID', 'RATE_LIMITED', 'UNAVAILABLE']);
const disconnectReason = z.enum(['wentOffline', 'serverCrashed', 'heartbeatTimeout', 'slowConsumer', 'rejected', 'authFailed', 'gatewayDropped', 'idleTimeout', 'serverDraining']);
const authRefusal = z.enum(['badCredentials', 'staleLogin', 'nonceReused', 'malformed', 'badSignature', 'expired', 'wrongUser', 'wrongClient']);

const clientFrames = [
  z.strictObject({ type: z.literal('login'), user: name(), nonce: name(), atMs: count(), proof: name() }),
  z.strictObject({ type: z.literal('connect'), user: name(), token: text(), downlinkBytesPerMs: z.number().min(0).max(1e12) }),
  z.strictObject({ type: z.literal('send'), clientMsgId: name(), channel: name(), text: text(), replyTo: replyRef.optional() }),
  z.strictObject({ type: z.literal('ack'), id: name() }),
  z.strictObject({ type: z.literal('history'), channel: name(), afterSeq: count() }),
  z.strictObject({ type: z.literal('ping'), n: count() }),
  z.strictObject({ type: z.literal('bye') }),
  z.strictObject({ type: z.literal('presenceSub'), users: list(name()) }),
  z.strictObject({ type: z.literal('presenceQuery'), users: list(name()) }),
  z.strictObject({ type: z.literal('typing'), channel: name() }),
  z.strictObject({ type: z.literal('poll') }),
  z.strictObject({ type: z.literal('membership'), channel: name(), action: membershipAction }),
] as const;

const plainServerFrames = [
  z.strictObject({ type: z.literal('connected'), server: name() }),
  z.strictObject({ type: z.literal('rejected'), reason: z.enum(['noLiveServer', 'connectionLimit', 'admission']) }),
  z.strictObject({ type: z.literal('loginOk'), token: text(), expiresAtMs: count() }),
  z.strictObject({ type: z.literal('authError'), phase: z.enum(['login', 'connect']), reason: authRefusal }),
  z.strictObject({ type: z.literal('closed'), reason: disconnectReason }),
  z.strictObject({ type: z.literal('deliver'), message: chatMessage }),
  z.strictObject({ type: z.literal('sendAck'), clientMsgId: name(), channel: name(), id: name(), seq: count().nullable() }),
  z.strictObject({
    type: z.literal('sendError'),
    clientMsgId: name(),
    channel: name(),
    code: sendErrorCode,
    message: text(),
    retryAfterMs: count().optional(),
  }),
  z.strictObject({ type: z.literal('historyPage'), channel: name(), afterSeq: count(), messages: list(chatMessage) }),
  z.strictObject({ type: z.literal('pong'), n: count() }),
  z.strictObject({ type: z.literal('resync') }),
  z.strictObject({ type: z.literal('presence'), users: list(z.strictObject({ user: name(), online: z.boolean(), lastSeenMs: count() })) }),
  z.strictObject({ type: z.literal('typingNotice'), user: name(), channel: name() }),
  z.strictObject({ type: z.literal('push'), message: chatMessage }),
  z.strictObject({ type: z.literal('httpOk') }),
  z.strictObject({ type: z.literal('membershipDone'), channel: name(), action: membershipAction, afterSeq: count(), afterId: name().nullable(), error: text().optional() }),
] as const;

/** A long poll's answer carries other server frames (one level: a poll answer holds no poll answer). */
const pollResponse = z.strictObject({ type: z.literal('pollResponse'), frames: list(z.discriminatedUnion('type', [...plainServerFrames])) });

const operatorMessages = [
  z.strictObject({ type: z.literal('userSend'), channel: name(), text: text() }),
  z.strictObject({ type: z.literal('userMembership'), channel: name(), action: membershipAction }),
  z.strictObject({ type: z.literal('reload') }),
] as const;

/** The wire types an `inject` may carry, each once. */
export const INJECTABLE_TYPES: readonly WireMsg['type'][] = [...clientFrames, ...plainServerFrames, pollResponse, ...operatorMessages].map(
  (s) => s.shape.type.value,
);

/**
 * The zod schema of an injected message. Its issues name the field (`msg.message.id`); an unknown
 * or back-end type is refused with the list of the types that may be injected.
 */
export const injectMsgSchema = z.discriminatedUnion('type', [...clientFrames, ...plainServerFrames, pollResponse, ...operatorMessages]);

/**
 * Checks an injected payload; returns one sentence naming the first bad field, or null when the
 * cluster can take it.
 *
 * @example
 * injectProblem({ type: 'userSend', channel: 'g1', text: 'hi' }); // null
 * injectProblem({ type: 'deliver' });                              // 'msg.message: is required (allowed: an object)'
 * injectProblem({ type: 'pong', n: 1 });                           // 'from: is required for a "pong" frame, …'
 */
export function injectProblem(msg: unknown, from?: string, node?: string): string | null {
  const result = injectMsgSchema.safeParse(msg, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0];
    return issue === undefined ? 'msg: not a message the cluster can take' : describeIssue('msg', issue);
  }
  return senderProblem(result.data.type, from, node);
}

/**
 * Who may send what: the operator's own messages go where they mean something (a user types at
 * their client, the gateway reloads), and a frame is always sent by some node, which the node
 * that takes it may answer, so it must name that sender in `from`. Without these, the node would
 * answer "operator", which is no node.
 */
export function senderProblem(type: string, from: string | undefined, node: string | undefined): string | null {
  if (from !== undefined) return null;
  if (type === 'userSend' || type === 'userMembership') {
    return node === undefined || node.startsWith('c-') ? null : `node: a ${type} is the user's action at their client (allowed: c-u1, c-u2, …), not at ${JSON.stringify(node)}`;
  }
  if (type === 'reload') return node === undefined || node === 'gw' ? null : `node: a reload is the gateway's (allowed: gw), not ${JSON.stringify(node)}'s`;
  return `from: is required for a ${JSON.stringify(type)} frame, which one node sends another (allowed without from: userSend or userMembership at a client, reload at gw)`;
}
