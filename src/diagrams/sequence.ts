/**
 * The lab's first diagram: a UML sequence diagram of a chat message's real path, built from the
 * trace. Trace → (incremental index, the message's filed path) → items → typed AST → the one
 * printer.
 *
 * How a message's path is found (see `traceIndex.ts`): every `net/messageSent` whose payload names
 * the message (its id `m12` or its idempotency key `u1-5`: a frame, a wrapped frame, a history
 * page, a batch) belongs to it; so does every send without any message in its payload whose
 * nearest causing send belongs to it (a sequencer request, a database reply), except keep-alives;
 * and the history requests that led to a page holding it. Each send becomes one arrow per
 * delivery, drawn at the moment of delivery, so the arrows read in the order things actually
 * arrived. A send that was dropped ends in a cross.
 *
 * Every builder takes either an index (the workbench keeps one live, so a diagram costs what it
 * draws) or plain events (indexed on the spot).
 */
import { eventMessageRefs, isUserAction, readWire, type TraceEvent, type Transport } from '../sim/index.ts';
import type { ChatMessageRef } from './catalog.ts';
import type { ArrowKind, SeqParticipant, SeqStatement, SequenceDiagramAst } from './mermaid/ast.ts';
import { faultStateAt } from './faults.ts';
import { printSequenceDiagram, truncateText, uniqueMermaidIds } from './mermaid/print.ts';
import { compareIds, nodeLabel, PSEUDO_NODES, roleOf, type NodeRole } from './roles.ts';
import { idToken, indexTrace, keyToken, refTokens, SENT, type OpEvent, type SentEvent, type TraceIndex } from './traceIndex.ts';
import { arrowKindOf, describeWire, innerFrame, innerWireType, wireType } from './wire.ts';

// ------------------------------------------------------------------------------------------------
// Options and results

/** Options shared by every sequence-diagram builder. */
export interface SequenceCommonOptions {
  /** Ignore events after this virtual time, so the diagram grows with playback. Default: no limit. */
  readonly atMs?: number;
  /** At most this many arrows; past it a note says how many were left out. Default 120. */
  readonly maxMessages?: number;
  /** At most this many notes (the cap note itself excluded). Default 60. */
  readonly maxNotes?: number;
  /** Chat text in labels is cut to this many characters with `…`. Default 24. */
  readonly maxTextLength?: number;
  /** `label` puts `t=<delivery ms> ms (+<transit ms>)` at the start of every arrow. Default `label`. */
  readonly timing?: 'label' | 'none';
  /** Notes for what nodes did with the message (sequenced, stored, published, shown, rejected, rate-limited). Default true. */
  readonly domainNotes?: boolean;
  /** Notes for operator faults (`op/*`: crash, partition, …) during the diagram's time span. Default true. */
  readonly faultNotes?: boolean;
  /** Notes for presence events (`presence/*`) during the diagram's time span. Default true. */
  readonly presenceNotes?: boolean;
  /** Also draw each involved client's last connect handshake before the message, in a shaded block. Default false. */
  readonly showConnect?: boolean;
  /** Number the arrows (Mermaid `autonumber`). Default false. */
  readonly autonumber?: boolean;
  /**
   * The clients' transport (the scenario's `transport`): names what a client's frames to the
   * gateway are on the wire: the connect's handshake (an HTTP upgrade, an event-stream GET, a
   * TCP connect) with its bytes, and each send as a POST of its own over SSE and long polling.
   * Unset: frames are drawn by their content only.
   */
  readonly transport?: Transport;
}

/** What a connect is on the wire, per transport. */
const CONNECT_ON_WIRE: Readonly<Record<Transport, string>> = {
  websocket: 'HTTP upgrade to a WebSocket',
  sse: 'GET of an event stream (SSE)',
  'long-polling': 'HTTP session for long polls',
  tcp: 'TCP connect, length-prefixed frames',
};

/** A client's frame to the gateway, named for what the transport makes of it. */
function onTheWire(desc: string, e: SentEvent, kinds: ReadonlyMap<string, string>, transport: Transport | undefined): string {
  if (transport === undefined || !isClientLike(roleOf(e.data.from, kinds)) || roleOf(e.data.to, kinds) !== 'gateway') return desc;
  const type = readWire(e.data.msg)?.type;
  const bytes = e.data.bytes === undefined ? '' : `, ${e.data.bytes} B`;
  if (type === 'connect') return `${desc} · ${CONNECT_ON_WIRE[transport]}${bytes}`;
  if (type === 'send' && (transport === 'sse' || transport === 'long-polling')) return `POST ${desc}${bytes}`;
  return desc;
}

/** Options of {@link sequenceDiagram}: which message to draw, and how. */
export interface SequenceDiagramOptions extends SequenceCommonOptions {
  /** The server-assigned id of the message (`m12`). */
  readonly messageId?: string;
  /** Or its client idempotency key (`u1-5`); works for messages that never got an id (rejected). */
  readonly clientMsgId?: string;
  /** Or follow the latest message a client sent (at or before `atMs`). The default when no id is given. */
  readonly follow?: 'latest';
}

/** Options of {@link sequenceDiagramForWindow}: several messages in a time window. */
export interface SequenceWindowOptions extends SequenceCommonOptions {
  /** Messages sent from this time (inclusive). */
  readonly fromMs: number;
  /** Messages sent up to this time (inclusive). */
  readonly toMs: number;
  /** Only messages this user sent or received; other users' clients are left out, except authors. */
  readonly user?: string;
  /** Only messages of this channel. */
  readonly channel?: string;
  /** `client` keeps only arrows that start or end at a client (the users' view). Default `all`. */
  readonly hops?: 'all' | 'client';
  /** At most this many chat messages (the earliest in the window). Default 12. */
  readonly maxChatMessages?: number;
}

/** A lifeline of the result, for legends and highlighting in the UI. */
export interface SequenceParticipantInfo {
  /** The cluster node (`c-u1`, `gw`, `ws-2`). */
  readonly nodeId: string;
  /** Its Mermaid participant id (a safe identifier). */
  readonly alias: string;
  readonly label: string;
  readonly role: NodeRole;
}

/** What every sequence-diagram builder returns. */
export interface SequenceDiagramResult {
  readonly ast: SequenceDiagramAst;
  /** The printed Mermaid text. */
  readonly text: string;
  readonly participants: readonly SequenceParticipantInfo[];
  /** True when arrows or notes were left out because of `maxMessages` / `maxNotes` / `maxChatMessages`. */
  readonly capped: boolean;
  /** The chat messages drawn. */
  readonly messages: readonly ChatMessageRef[];
  /** Every arrow drawn, in the diagram's order, with the trace events behind it (for links to the real hop). */
  readonly arrows: readonly SequenceHop[];
}

/** One arrow of a built diagram and the trace events it was drawn from. */
export interface SequenceHop {
  /** The `net/messageSent` event. */
  readonly sentSeq: number;
  /** The event the arrow was drawn at: the delivery, the network's drop, or the send itself while in flight. */
  readonly seq: number;
  /** When the arrow was drawn (the delivery's time, or the drop's, or the send's). */
  readonly atMs: number;
  readonly sentAtMs: number;
  readonly from: string;
  readonly to: string;
  readonly arrow: ArrowKind;
  /** The payload's inner wire type (`send`, `chat/submit`, `db/insert`, `pub`, `msg`, `deliver`, …). */
  readonly wire: string;
  /** Part of the connect handshake drawn before the message (`showConnect`). */
  readonly connect: boolean;
}

const DEFAULTS = {
  maxMessages: 120,
  maxNotes: 60,
  maxTextLength: 24,
  maxChatMessages: 12,
} as const;

// ------------------------------------------------------------------------------------------------
// The followed messages' path

/** The sends and node events that belong to the followed messages. */
interface Path {
  /** Sent seq → the message it belongs to (null for a connect handshake). */
  readonly sends: Map<number, ChatMessageRef | null>;
  /** Node events (not net/*) that belong to the messages. */
  readonly events: Map<number, ChatMessageRef | null>;
  /** Sent seqs that belong to a connect handshake (drawn in a shaded block). */
  readonly connect: Set<number>;
}

/** The tokens of the followed messages, each with its message. */
function targetsOf(messages: readonly ChatMessageRef[]): Map<string, ChatMessageRef> {
  const targets = new Map<string, ChatMessageRef>();
  for (const m of messages) {
    if (m.id !== null) targets.set(idToken(m.id), m);
    targets.set(keyToken(m.clientMsgId), m);
  }
  return targets;
}

/** The first followed message among a list of tokens (ids come first), or null. */
function ownerAmong(tokens: readonly string[], targets: ReadonlyMap<string, ChatMessageRef>): ChatMessageRef | null {
  for (const t of tokens) {
    const m = targets.get(t);
    if (m !== undefined) return m;
  }
  return null;
}

function walkPath(index: TraceIndex, targets: ReadonlyMap<string, ChatMessageRef>): Path {
  const sends = new Map<number, ChatMessageRef | null>();
  const events = new Map<number, ChatMessageRef | null>();
  for (const token of targets.keys()) {
    const filed = index.filedUnder(token);
    for (const seq of filed.sends) {
      if (!sends.has(seq)) sends.set(seq, ownerAmong(index.tokensOf(seq), targets));
    }
    for (const seq of filed.events) {
      if (events.has(seq)) continue;
      const e = index.event(seq);
      if (e === undefined) continue;
      const own = refTokens(eventMessageRefs(e));
      const parent = index.parentSendOf(e);
      events.set(seq, own.length > 0 ? ownerAmong(own, targets) : parent === null ? null : ownerAmong(index.tokensOf(parent), targets));
    }
  }
  return { sends, events, connect: new Set() };
}

/**
 * Adds each client's last connect handshake before `beforeMs`: the `connect` frame and every send
 * it caused (keep-alives excluded) up to that time, with the node events they caused.
 */
function addConnect(index: TraceIndex, path: Path, clients: ReadonlySet<string>, beforeMs: number): void {
  for (const client of clients) {
    const roots = index.connectsFrom(client);
    let root: number | undefined;
    for (const seq of roots) if ((index.event(seq)?.at ?? Infinity) <= beforeMs) root = seq;
    if (root === undefined) continue;
    const family = index.connectFamily(root);
    for (const seq of family.sends) if ((index.event(seq)?.at ?? Infinity) <= beforeMs) path.connect.add(seq);
    for (const seq of family.events) {
      if ((index.event(seq)?.at ?? Infinity) <= beforeMs && !path.events.has(seq)) path.events.set(seq, null);
    }
  }
  for (const seq of path.connect) path.sends.set(seq, null);
}

// ------------------------------------------------------------------------------------------------
// Notes

function seqText(seq: number | null): string {
  return seq === null ? 'no seq' : `seq ${seq}`;
}

/** Primitive fields of an event's data, compactly, for events without a dedicated sentence. */
function compactData(data: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(`${k}=${String(v)}`);
    if (parts.length === 4) break;
  }
  return parts.join(' ');
}

/** A short sentence for a node event on the message's path, or null to leave it out. */
function describeEvent(e: TraceEvent): string | null {
  switch (e.type) {
    case 'client/messageRetried':
      return `retry ${e.data.clientMsgId} (attempt ${e.data.attempt})`;
    case 'client/sendAcked':
      return `acked: ${e.data.clientMsgId} = ${e.data.id}, ${seqText(e.data.seq)}`;
    case 'client/sendFailed':
      return `✗ send failed: ${e.data.code} ${e.data.message}`;
    case 'client/messageReceived':
      return e.data.via === 'history' ? `received ${e.data.id} via history` : null;
    case 'client/messageShown':
      return `${e.data.user} sees ${e.data.id} (${seqText(e.data.seq)}) at position ${e.data.position}`;
    case 'client/duplicateDropped':
      return `duplicate ${e.data.id} dropped`;
    case 'client/gapDetected':
      return `gap: expected seq ${e.data.expectedSeq}, got ${e.data.gotSeq}`;
    case 'client/reorderTimedOut':
      return `reorder buffer gave up after ${e.data.waitedMs} ms`;
    case 'client/historyRequested':
      return `catch up ${e.data.channel} after seq ${e.data.afterSeq}`;
    case 'client/connected':
      return `${e.data.user} connected via ${e.data.server}`;
    case 'client/pushReceived':
      return `push notification for ${e.data.id}`;
    case 'client/loggedIn':
      return `${e.data.user} holds a token until t=${e.data.expiresAtMs} ms`;
    case 'client/authFailed':
      return `✗ ${e.data.phase} of ${e.data.user} refused: ${e.data.reason}`;
    case 'client/connectRequested':
      return `${e.data.user} connects (attempt ${e.data.attempt})`;
    case 'auth/tokenIssued':
      return `token for ${e.data.user}, bound to ${e.data.client}, expires t=${e.data.expiresAtMs} ms`;
    case 'auth/loginRefused':
      return `✗ login as ${e.data.user} from ${e.data.client} refused: ${e.data.reason}`;
    case 'auth/tokenRefused':
      return `✗ token of ${e.data.user} from ${e.data.client} refused: ${e.data.reason}`;
    case 'presence/actionRefused':
      return `✗ ${e.data.action} by ${e.data.user} refused${e.data.channel === null ? '' : ` in ${e.data.channel}`}: not authorized`;
    case 'gw/connectionRouted':
      return `route ${e.data.user} → ${e.data.server} (${e.data.strategy})`;
    case 'gw/connectionRejected':
      return `✗ connection of ${e.data.user} rejected: ${e.data.reason}`;
    case 'ws/connectionOpened':
      return `${e.data.user} registered (${e.data.connections} connections)`;
    case 'ws/fannedOut':
      return `${e.data.id} → ${e.data.recipients} local connection(s)`;
    case 'chat/messageSequenced':
      return e.data.seq === null ? `${e.data.id}: no sequence number (ordering off)` : `${e.data.id}: seq ${e.data.seq}, prev ${e.data.prevId ?? 'none'}`;
    case 'chat/messageRejected':
      return `✗ ${e.data.code}: ${e.data.reason}`;
    case 'chat/duplicateSubmission':
      return `retry of ${e.data.clientMsgId} = ${e.data.id}: nothing stored again`;
    case 'db/messageStored':
      return `stored ${e.data.id} (order ${e.data.order})`;
    case 'db/historyServed':
      return `history ${e.data.channel} after seq ${e.data.afterSeq}: ${e.data.count} msgs`;
    case 'broker/published':
      return `topic ${e.data.topic} → ${e.data.subscribers} subscriber(s)`;
    case 'broker/subscribed':
      return `${e.data.server} subscribed to ${e.data.topic}`;
    case 'broker/appended':
      return `appended to p${e.data.partition} at offset ${e.data.offset}`;
    case 'limiter/allowed':
      return `rate limit ${e.data.key}: ${e.data.count}/${e.data.limit} → allowed`;
    case 'limiter/rejected': {
      const retry = e.data.retryAfterMs === null ? '' : `, retry in ${e.data.retryAfterMs} ms`;
      return `✗ rate limited ${e.data.key} (${e.data.algorithm}): ${e.data.count}/${e.data.limit}${retry}`;
    }
    case 'notify/sent':
      return `push notification → ${e.data.user}`;
    case 'notify/dropped':
      return `✗ push to ${e.data.user} dropped (${e.data.reason})`;
    case 'mapping/registered':
      return `directory: ${e.data.user} @ ${e.data.server}`;
    default: {
      const rest = compactData(e.data);
      return rest === '' ? e.type : `${e.type} ${rest}`;
    }
  }
}

/** A sentence for an operator verb (`op/*`), and the nodes it is about. */
function describeOp(e: OpEvent): { text: string; nodes: string[] } {
  const op = e.data.op;
  switch (op.verb) {
    case 'crash':
    case 'restart':
    case 'inject':
      return { text: `⚡ operator: ${op.verb} ${op.node}`, nodes: [op.node] };
    case 'slow':
      return { text: `⚡ operator: slow ${op.node} ×${op.factor}`, nodes: [op.node] };
    case 'addServer':
      return { text: `⚡ operator: add a server${op.node === undefined ? '' : ` (${op.node})`}`, nodes: op.node === undefined ? [] : [op.node] };
    case 'removeServer':
      return { text: `⚡ operator: drain ${op.node}`, nodes: [op.node] };
    case 'partition':
    case 'heal': {
      const a = op.a ?? [];
      const b = op.b ?? [];
      if (a.length === 0 && b.length === 0) return { text: `⚡ operator: ${op.verb} all`, nodes: [] };
      const arrow = op.verb === 'partition' && op.oneWay === true ? '→' : '↔';
      return { text: `⚡ operator: ${op.verb} ${a.join(', ')} ${arrow} ${b.join(', ')}`, nodes: [...a, ...b] };
    }
    default:
      return { text: `⚡ operator: ${op.verb} ${op.from} → ${op.to}`, nodes: [op.from, op.to] };
  }
}

// ------------------------------------------------------------------------------------------------
// Items → AST

interface ArrowItem {
  readonly kind: 'arrow';
  readonly key: number;
  readonly from: string;
  readonly to: string;
  readonly arrow: ArrowKind;
  readonly text: string;
  readonly connect: boolean;
  readonly owner: ChatMessageRef | null;
  /** The `net/messageSent` event drawn. */
  readonly sent: number;
}

interface NoteItem {
  readonly kind: 'note';
  readonly key: number;
  /** The nodes the note is about; drawn over the first present one, or across the diagram. */
  readonly nodes: readonly string[];
  readonly text: string;
  readonly connect: boolean;
}

type Item = ArrowItem | NoteItem;

interface BuildSpec {
  readonly index: TraceIndex;
  readonly messages: readonly ChatMessageRef[];
  readonly options: SequenceCommonOptions;
  /** Clients to put first (the sender, or the user a window follows). */
  readonly primaryClients: readonly string[];
  /** Optional arrow filter (window mode). */
  readonly keepArrow?: (a: ArrowItem) => boolean;
  /**
   * Window mode: keep a node event's note only if the node has a lifeline and, for a client, the
   * client passes this test. Single-message mode keeps every note (spanning the diagram when its
   * node has no lifeline).
   */
  readonly keepClientNote?: (client: string, owner: ChatMessageRef | null) => boolean;
  readonly header: string;
  readonly cappedAlready: boolean;
}

/** Lifeline order by role; primary clients and their servers first, as in the lab's example. */
function rankOf(role: NodeRole, primary: boolean): number {
  switch (role) {
    case 'client':
    case 'fleet':
      return primary ? 0 : 14;
    case 'gateway':
      return 1;
    // Between the gateway and the servers: a client logs in there before it connects.
    case 'auth':
      return 1.5;
    case 'ws-server':
      return primary ? 2 : 13;
    case 'limiter':
      return 3;
    case 'chat':
      return 4;
    case 'sequencer':
      return 5;
    case 'db':
      return 6;
    case 'broker':
      return 7;
    case 'directory':
      return 8;
    case 'presence':
      return 9;
    case 'notifier':
      return 10;
    case 'session-store':
      return 11;
    case 'other':
      return 12;
  }
}

function isClientLike(role: NodeRole): boolean {
  return role === 'client' || role === 'fleet';
}

/** `A`…`Z`, then `AA`, `AB`, … */
function letter(i: number): string {
  let n = i;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/**
 * What a delivery of a chat message to a client says about order, in words a student can check
 * against the chat panel: without sequence numbers, the stored position (the ground truth); then
 * whether a later message of the channel had already arrived (the message arrived out of order)
 * and, if so, whether the client still showed it in order (its reorder buffer held the later one
 * back) or showed it out of order.
 */
function orderMark(index: TraceIndex, a: ArrowItem): string {
  const e = index.event(a.sent);
  const wire = e?.type === SENT ? readWire(e.data.msg) : null;
  if (wire === null || a.arrow === 'cross') return '';
  const frame = innerFrame(wire);
  if (frame.type !== 'deliver' || !isClientLike(roleOf(a.to, index.kinds))) return '';
  const m = index.catalog.byId(frame.message.id);
  const order = m === undefined ? undefined : (m.seq ?? m.order ?? undefined);
  if (order === undefined) return '';
  // Without sequence numbers the ground truth is the stored order: show it, or the reader cannot
  // tell a late delivery from an early one.
  let text = frame.message.seq === null ? ` (stored order ${order})` : '';
  const user = wire.type === 'toUser' ? wire.user : a.to.startsWith('c-') ? a.to.slice(2) : a.to;
  const shown = index.showOf(user, frame.message.id);
  if (shown?.after != null) return `${text} ⚠ shown out of order (after ${shown.after.unit} ${shown.after.order})`;
  const late = index.arrivedAfter(a.key);
  if (late !== undefined) {
    text += ` ↯ arrived after ${late.unit} ${late.order}`;
    if (shown !== null) text += ', the reorder buffer kept the order';
  }
  return text;
}

function build(spec: BuildSpec): SequenceDiagramResult {
  const { index, options } = spec;
  const maxMessages = Math.max(0, options.maxMessages ?? DEFAULTS.maxMessages);
  const maxNotes = Math.max(0, options.maxNotes ?? DEFAULTS.maxNotes);
  const maxText = options.maxTextLength ?? DEFAULTS.maxTextLength;
  const timing = options.timing ?? 'label';
  const targets = targetsOf(spec.messages);
  const path = walkPath(index, targets);
  const sentEvent = (seq: number): SentEvent | undefined => {
    const e = index.event(seq);
    return e?.type === SENT ? e : undefined;
  };

  // Loops rather than Math.min(...xs): a long window can hold more items than a call has arguments.
  const firstAt = spec.messages.reduce((min, m) => Math.min(min, m.sentAt), Number.POSITIVE_INFINITY);
  if (options.showConnect === true) {
    const clients = new Set<string>(spec.primaryClients);
    for (const seq of path.sends.keys()) {
      const e = sentEvent(seq);
      if (e === undefined) continue;
      if (isClientLike(roleOf(e.data.from, index.kinds))) clients.add(e.data.from);
      if (isClientLike(roleOf(e.data.to, index.kinds))) clients.add(e.data.to);
    }
    addConnect(index, path, clients, firstAt);
  }

  // Times are whole µs in ms (ADR 0010); their difference is rounded back to the µs so that
  // float noise (7023.146 − 7000 = 23.14599999999973) never reaches the label.
  const timeLabel = (at: number, sentAt: number): string => (timing === 'label' ? `t=${at} ms (+${Math.round((at - sentAt) * 1000) / 1000}) ` : '');
  const items: Item[] = [];
  const arrows: ArrowItem[] = [];
  for (const [seq, owner] of path.sends) {
    const e = sentEvent(seq);
    if (e === undefined) continue;
    const { from, to, msg } = e.data;
    const desc = onTheWire(describeWire(msg, { maxTextLength: maxText }), e, index.kinds, options.transport);
    const connect = path.connect.has(seq);
    const base = { kind: 'arrow' as const, from, to, connect, owner, sent: seq };
    const ds = index.deliveries(seq);
    if (ds.length > 0) {
      ds.forEach((d, i) => {
        const cpu = index.cpuDrop(d.seq);
        const dup = i > 0 ? ' (network duplicate)' : '';
        const lost = cpu !== undefined ? ' ✗ dropped: input queue full' : '';
        arrows.push({ ...base, key: d.seq, arrow: cpu !== undefined ? 'cross' : arrowKindOf(msg), text: `${timeLabel(d.at, e.at)}${desc}${dup}${lost}` });
      });
      continue;
    }
    const drop = index.drop(seq);
    if (drop !== undefined) {
      const at = timing === 'label' ? `t=${drop.at} ms ` : '';
      arrows.push({ ...base, key: drop.seq, arrow: 'cross', text: `${at}✗ ${drop.data.reason}: ${desc}` });
      continue;
    }
    const at = timing === 'label' ? `t=${e.at} ms ` : '';
    const state = index.isHeld(seq) ? 'held by the network' : 'in flight';
    arrows.push({ ...base, key: seq, arrow: arrowKindOf(msg), text: `${at}(${state}) ${desc}` });
  }
  arrows.sort((a, b) => a.key - b.key);
  for (const a of arrows) {
    if (spec.keepArrow !== undefined && !a.connect && !spec.keepArrow(a)) continue;
    items.push({ ...a, text: a.text + orderMark(index, a) });
  }

  // Notes from the message's own events.
  if (options.domainNotes !== false) {
    const lifelines = new Set<string>();
    for (const item of items) {
      if (item.kind === 'arrow') lifelines.add(item.from).add(item.to);
    }
    const keepClientNote = spec.keepClientNote;
    for (const [seq, owner] of path.events) {
      const e = index.event(seq);
      if (e === undefined) continue;
      if (keepClientNote !== undefined) {
        if (!lifelines.has(e.node)) continue;
        if (isClientLike(roleOf(e.node, index.kinds)) && !keepClientNote(e.node, owner)) continue;
      }
      const text = describeEvent(e);
      if (text === null) continue;
      items.push({ kind: 'note', key: seq, nodes: [e.node], text, connect: path.connect.has(index.sentOf(seq) ?? -1) });
    }
  }

  // Faults and presence changes during the diagram's span, whatever caused them.
  const lastAt = items.reduce((max, i) => Math.max(max, index.event(i.key)?.at ?? firstAt), firstAt);
  const span = [firstAt, lastAt] as const;
  if (options.faultNotes !== false) {
    // Faults from before the span that still hold explain drops inside it (a server still down).
    for (const e of faultStateAt(index, span[0]).inForce) {
      if (e.at >= span[0]) continue;
      const { text, nodes } = describeOp(e);
      items.push({ kind: 'note', key: e.seq, nodes, text: `${text} (in force since t=${e.at} ms)`, connect: false });
    }
    for (const e of index.opEvents) {
      if (e.at < span[0] || e.at > span[1]) continue;
      // A user typing a message is not a fault: the client's send arrow already shows it.
      if (isUserAction(e.data.op)) continue;
      const { text, nodes } = describeOp(e);
      items.push({ kind: 'note', key: e.seq, nodes, text, connect: false });
    }
  }
  if (options.presenceNotes !== false) {
    for (const e of index.presenceBetween(span[0], span[1])) {
      if (path.events.has(e.seq)) continue;
      const rest = compactData(e.data);
      items.push({ kind: 'note', key: e.seq, nodes: [e.node], text: `${e.type}${rest === '' ? '' : ` ${rest}`}`, connect: false });
    }
  }
  items.sort((a, b) => a.key - b.key);

  // Caps: the first maxMessages arrows, the notes up to the last arrow kept, at most maxNotes.
  let arrowCount = 0;
  let noteCount = 0;
  let droppedArrows = 0;
  let droppedNotes = 0;
  let lastKey = Number.POSITIVE_INFINITY;
  const kept: Item[] = [];
  for (const item of items) {
    if (item.kind === 'arrow') {
      if (arrowCount >= maxMessages) {
        droppedArrows++;
        if (lastKey === Number.POSITIVE_INFINITY) lastKey = item.key;
        continue;
      }
      arrowCount++;
      kept.push(item);
    } else {
      if (item.key > lastKey || noteCount >= maxNotes) {
        droppedNotes++;
        continue;
      }
      noteCount++;
      kept.push(item);
    }
  }

  // Participants: every arrow endpoint, ordered by role.
  const nodes = new Set<string>();
  for (const item of kept) {
    if (item.kind === 'arrow') {
      nodes.add(item.from);
      nodes.add(item.to);
    }
  }
  for (const n of PSEUDO_NODES) nodes.delete(n);
  const primaryClients = new Set(spec.primaryClients);
  const primaryServers = new Set<string>();
  for (const item of kept) {
    if (item.kind !== 'arrow') continue;
    const e = index.event(item.sent);
    const wire = e?.type === SENT ? readWire(e.data.msg) : null;
    if (wire?.type === 'fromClient' && primaryClients.has(wire.client)) primaryServers.add(item.to);
  }
  const rolesOf = new Map([...nodes].map((n) => [n, roleOf(n, index.kinds)] as const));
  const ordered = [...nodes].sort((a, b) => {
    const ra = rolesOf.get(a) as NodeRole;
    const rb = rolesOf.get(b) as NodeRole;
    const pa = isClientLike(ra) ? primaryClients.has(a) : primaryServers.has(a);
    const pb = isClientLike(rb) ? primaryClients.has(b) : primaryServers.has(b);
    return rankOf(ra, pa) - rankOf(rb, pb) || compareIds(a, b);
  });
  const aliases = uniqueMermaidIds(ordered);
  const broker = index.brokerFlavor;
  let clientIndex = 0;
  const participants: SequenceParticipantInfo[] = ordered.map((nodeId) => {
    const role = rolesOf.get(nodeId) as NodeRole;
    const clientLetter = role === 'client' ? letter(clientIndex++) : undefined;
    return {
      nodeId,
      alias: aliases.get(nodeId) as string,
      label: nodeLabel(nodeId, role, clientLetter === undefined ? { broker } : { clientLetter, broker }),
      role,
    };
  });
  const aliasOf = (n: string): string | undefined => aliases.get(n);
  const first = participants[0]?.alias;
  const last = participants[participants.length - 1]?.alias;
  const spanOver = (): readonly [string] | readonly [string, string] | null =>
    first === undefined || last === undefined ? null : first === last ? [first] : [first, last];

  const toStatement = (item: Item): SeqStatement | null => {
    if (item.kind === 'arrow') {
      return { kind: 'message', from: aliasOf(item.from) ?? item.from, to: aliasOf(item.to) ?? item.to, arrow: item.arrow, text: item.text };
    }
    const onNode = item.nodes.map(aliasOf).find((x): x is string => x !== undefined);
    if (onNode !== undefined) return { kind: 'note', placement: 'over', participants: [onNode], text: item.text };
    const over = spanOver();
    if (over === null) return null;
    // The note is about a node without a lifeline here: say which.
    const who = item.nodes.length === 1 && !item.text.includes(item.nodes[0] ?? '') ? `${item.nodes[0]}: ` : '';
    return { kind: 'note', placement: 'over', participants: over, text: `${who}${item.text}` };
  };

  const statements: SeqStatement[] = [{ kind: 'comment', text: spec.header }];
  const connectBody: SeqStatement[] = [];
  const body: SeqStatement[] = [];
  for (const item of kept) {
    const st = toStatement(item);
    if (st !== null) (item.connect ? connectBody : body).push(st);
  }
  if (connectBody.length > 0) {
    const over = spanOver();
    const title: SeqStatement[] = over === null ? [] : [{ kind: 'note', placement: 'over', participants: over, text: 'connect handshake (before the message)' }];
    statements.push({ kind: 'rect', color: { r: 235, g: 235, b: 245 }, body: [...title, ...connectBody] });
  }
  statements.push(...body);
  const capped = spec.cappedAlready || droppedArrows > 0 || droppedNotes > 0;
  if (droppedArrows > 0 || droppedNotes > 0) {
    const over = spanOver();
    const parts = [
      droppedArrows > 0 ? `${droppedArrows} more arrows (maxMessages ${maxMessages})` : '',
      droppedNotes > 0 ? `${droppedNotes} more notes (maxNotes ${maxNotes})` : '',
    ].filter((x) => x !== '');
    if (over !== null) statements.push({ kind: 'note', placement: 'over', participants: over, text: `capped: ${parts.join(' and ')} not drawn` });
  }

  const drawn: SequenceHop[] = [];
  for (const item of kept) {
    if (item.kind !== 'arrow') continue;
    const sent = sentEvent(item.sent);
    if (sent === undefined) continue;
    drawn.push({
      sentSeq: item.sent,
      seq: item.key,
      atMs: index.event(item.key)?.at ?? sent.at,
      sentAtMs: sent.at,
      from: item.from,
      to: item.to,
      arrow: item.arrow,
      wire: innerWireType(sent.data.msg),
      connect: item.connect,
    });
  }
  const ast: SequenceDiagramAst = {
    kind: 'sequenceDiagram',
    autonumber: options.autonumber === true,
    participants: participants.map((p): SeqParticipant => ({ id: p.alias, label: p.label })),
    statements,
  };
  return { ast, text: printSequenceDiagram(ast), participants, capped, messages: spec.messages, arrows: drawn };
}

function emptyResult(reason: string): SequenceDiagramResult {
  const ast: SequenceDiagramAst = { kind: 'sequenceDiagram', participants: [], statements: [{ kind: 'comment', text: reason }] };
  return { ast, text: printSequenceDiagram(ast), participants: [], capped: false, messages: [], arrows: [] };
}

function headerOf(m: ChatMessageRef): string {
  const id = m.id === null ? `${m.clientMsgId} (no id)` : `${m.id} (${m.clientMsgId})`;
  return `message ${id} by ${m.author} in ${m.channel}, sent at t=${m.sentAt} ms: "${truncateText(m.text, 40)}"`;
}

// ------------------------------------------------------------------------------------------------
// Public builders

/**
 * The sequence diagram of one chat message's real path: sender client, gateway, the sender's
 * server, chat service (and sequencer), database, broker (or directory), the receivers' servers
 * and clients, with the sender's ack path, in the order things arrived, each arrow labelled with
 * its delivery time and transit time. Lost messages end in a cross; rejections, rate limiting,
 * operator faults and presence changes appear as notes.
 *
 * Pick the message with `messageId` (`m12`), `clientMsgId` (`u1-5`) or `follow: 'latest'` (the
 * default). Defaults: `maxMessages` 120, `maxNotes` 60, `maxTextLength` 24, `timing` `label`,
 * `domainNotes`/`faultNotes`/`presenceNotes` true, `showConnect` false, `autonumber` false,
 * `atMs` unlimited.
 *
 * @example
 * const { report, trace } = runScenario(scenario, { seed: 42 });
 * const { text, participants } = sequenceDiagram(trace.events, { messageId: 'm3' });
 * // text starts with:
 * // sequenceDiagram
 * //     participant c_u1 as Client A (u1)
 * //     participant gw as API Gateway
 * //     …
 * //     c_u1->>gw: t=7026 ms (+26) send(dm:u1:u2, #quot;Look: #lt;b#gt;bold#lt;/b#gt;…#quot;)
 */
export function sequenceDiagram(source: TraceSource, options: SequenceDiagramOptions = {}): SequenceDiagramResult {
  const index = indexOf(source, options.atMs);
  const catalog = index.catalog;
  const atMs = options.atMs ?? Number.POSITIVE_INFINITY;
  let picked: ChatMessageRef | undefined;
  if (options.messageId !== undefined) picked = catalog.byId(options.messageId);
  else if (options.clientMsgId !== undefined) picked = catalog.byKey(options.clientMsgId);
  else picked = catalog.latestAtOrBefore(atMs);
  if (picked !== undefined && picked.sentAt > atMs) picked = undefined;
  if (picked === undefined) {
    const which = options.messageId ?? options.clientMsgId ?? 'latest';
    return emptyResult(`no chat message matches ${which} in this trace${options.atMs === undefined ? '' : ` up to t=${options.atMs} ms`}`);
  }
  return build({
    index,
    messages: [picked],
    options,
    primaryClients: [picked.authorNode],
    header: headerOf(picked),
    cappedAlready: false,
  });
}

/**
 * A sequence diagram of every chat message sent in a time window, optionally only one user's
 * (sent or received) or one channel's, drawn as one diagram with the same AST and printer as
 * {@link sequenceDiagram}. Each delivery to a client says what it did to order: `↯ arrived
 * after …` when a later message of the channel had already reached that client (and whether the
 * reorder buffer kept the order), `⚠ shown out of order` when the user saw it after a later one.
 * Defaults as for {@link sequenceDiagram}, plus `hops` `all` and `maxChatMessages` 12.
 *
 * @example
 * sequenceDiagramForWindow(trace.events, { fromMs: 0, toMs: 10_000, channel: 'g1', hops: 'client' }).text;
 */
export function sequenceDiagramForWindow(source: TraceSource, options: SequenceWindowOptions): SequenceDiagramResult {
  const index = indexOf(source, options.atMs);
  const user = options.user;
  const atMs = options.atMs ?? Number.POSITIVE_INFINITY;
  const inWindow = index.catalog
    .sentBetween(options.fromMs, Math.min(options.toMs, atMs))
    .filter(
      (m) =>
        (options.channel === undefined || m.channel === options.channel) &&
        (user === undefined || m.author === user || (m.id !== null && index.reached(user, m.id))),
    );
  const maxChat = Math.max(1, options.maxChatMessages ?? DEFAULTS.maxChatMessages);
  const messages = inWindow.slice(0, maxChat);
  const filters = [user === undefined ? '' : `user ${user}`, options.channel === undefined ? '' : `channel ${options.channel}`].filter((x) => x !== '');
  const header = `${messages.length} of ${inWindow.length} message(s) sent between t=${options.fromMs} and t=${options.toMs} ms${filters.length > 0 ? ` (${filters.join(', ')})` : ''}`;
  if (messages.length === 0) return emptyResult(header);
  const userClient = user === undefined ? null : `c-${user}`;
  const keepArrow = (a: ArrowItem): boolean => {
    const fromClient = isClientLike(roleOf(a.from, index.kinds));
    const toClient = isClientLike(roleOf(a.to, index.kinds));
    if (options.hops === 'client' && !fromClient && !toClient) return false;
    if (userClient === null) return true;
    // Another user's client appears only as the author sending the message the user receives.
    const author = a.owner === null ? null : a.owner.authorNode;
    const sent = index.event(a.sent);
    const sendsIt = a.from === author && sent?.type === SENT && wireType(sent.data.msg) === 'send';
    const ok = (n: string, isClient: boolean): boolean => !isClient || n === userClient || sendsIt;
    return ok(a.from, fromClient) && ok(a.to, toClient);
  };
  // With a user filter, a client's notes are the user's own, or an author's about their message.
  const keepClientNote = (client: string): boolean => userClient === null || client === userClient;
  const authors = [...new Set(messages.map((m) => m.authorNode))].sort(compareIds);
  const primaryClients = userClient === null ? authors : [userClient];
  return build({
    index,
    messages,
    options,
    primaryClients,
    keepArrow,
    keepClientNote,
    header,
    cappedAlready: inWindow.length > messages.length,
  });
}

/**
 * {@link sequenceDiagramForWindow} for one user: the messages they sent or received in the
 * window, other users' clients left out except the authors'. Same defaults.
 *
 * @example
 * sequenceDiagramForUser(trace.events, 'u3', { fromMs: 0, toMs: 30_000, hops: 'client' }).text;
 */
export function sequenceDiagramForUser(source: TraceSource, user: string, options: Omit<SequenceWindowOptions, 'user'>): SequenceDiagramResult {
  return sequenceDiagramForWindow(source, { ...options, user });
}

/** What a builder reads: a live index (the workbench's), or plain events to index on the spot. */
export type TraceSource = TraceIndex | readonly TraceEvent[];

function indexOf(source: TraceSource, atMs: number | undefined): TraceIndex {
  return Array.isArray(source) ? indexTrace(source as readonly TraceEvent[], atMs) : (source as TraceIndex);
}
