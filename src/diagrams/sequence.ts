/**
 * The lab's first diagram: a UML sequence diagram of a chat message's real path, built by walking
 * the trace. Trace → (index, causal walk) → items → typed AST → the one printer.
 *
 * How a message's path is found: every `net/messageSent` whose payload mentions the message (its
 * id `m12` or its idempotency key `u1-5`, at any depth: a frame, a wrapped frame, a history page,
 * a batch) belongs to it; so does every send without any message in its payload whose nearest
 * causing send belongs to it (a sequencer request, a database reply), except keep-alives; and the
 * history requests that led to a page holding it. Each send becomes one arrow per delivery, drawn
 * at the moment of delivery, so the arrows read in the order things actually arrived. A send that
 * was dropped ends in a cross.
 */
import type { TraceEvent } from '../sim/index.ts';
import type { ArrowKind, SeqParticipant, SeqStatement, SequenceDiagramAst } from './mermaid/ast.ts';
import { faultStateAt } from './faults.ts';
import { printSequenceDiagram, truncateText, uniqueMermaidIds } from './mermaid/print.ts';
import { brokerFlavorOf, compareIds, nodeLabel, PSEUDO_NODES, roleOf, type NodeRole } from './roles.ts';
import { endpointsOf, indexTrace, payloadOf, SENT, type TraceIndex } from './traceIndex.ts';
import { arrowKindOf, BOOKKEEPING_TYPES, describeWire, innerFrame, isHistoryRequest, mentionsOf, rec, wireType } from './wire.ts';

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

/** A chat message as the trace knows it. */
export interface ChatMessageRef {
  /** Server id; null if the message never got one (rejected, lost before the chat service). */
  readonly id: string | null;
  readonly clientMsgId: string;
  readonly author: string;
  /** The node that plays the author (`c-u1`, or a fleet). */
  readonly authorNode: string;
  readonly channel: string;
  readonly text: string;
  /** When the client sent it (first attempt). */
  readonly sentAt: number;
  /** Sequence number, if ordering assigned one. */
  readonly seq: number | null;
  /** Position in the channel's stored history (the ground truth of order), once persisted. */
  readonly order: number | null;
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
}

const DEFAULTS = {
  maxMessages: 120,
  maxNotes: 60,
  maxTextLength: 24,
  maxChatMessages: 12,
} as const;

// ------------------------------------------------------------------------------------------------
// The message catalog

/**
 * Every chat message a client sent (or the chat service sequenced) up to `atMs`, in send order,
 * with its id, sequence number and stored order once known. Useful for a message picker.
 *
 * @example
 * chatMessagesOf(events).map((m) => m.id); // ['m1', 'm2', 'm3', 'm4']
 */
export function chatMessagesOf(events: readonly TraceEvent[], options: { readonly atMs?: number } = {}): ChatMessageRef[] {
  const atMs = options.atMs ?? Number.POSITIVE_INFINITY;
  type Draft = { id: string | null; clientMsgId: string; author: string; authorNode: string; channel: string; text: string; sentAt: number; seq: number | null; order: number | null; firstSeq: number };
  const byKey = new Map<string, Draft>();
  const byId = new Map<string, Draft>();
  const str = (x: unknown): string => (typeof x === 'string' ? x : '');
  const numOrNull = (x: unknown): number | null => (typeof x === 'number' ? x : null);
  for (const e of events) {
    if (e.at > atMs) continue;
    const d = e.data;
    switch (e.type) {
      case 'client/messageSent': {
        const key = str(d['clientMsgId']);
        if (!byKey.has(key)) {
          byKey.set(key, { id: null, clientMsgId: key, author: str(d['user']), authorNode: e.node, channel: str(d['channel']), text: str(d['text']), sentAt: e.at, seq: null, order: null, firstSeq: e.seq });
        }
        break;
      }
      case 'chat/messageSequenced': {
        const key = str(d['clientMsgId']);
        const id = str(d['id']);
        let m = byKey.get(key);
        if (m === undefined) {
          // Injected by an operator, or the client's send fell outside the events given.
          m = { id, clientMsgId: key, author: str(d['author']), authorNode: `c-${str(d['author'])}`, channel: str(d['channel']), text: '', sentAt: e.at, seq: null, order: null, firstSeq: e.seq };
          byKey.set(key, m);
        }
        m.id = id;
        m.seq = numOrNull(d['seq']);
        byId.set(id, m);
        break;
      }
      case 'chat/duplicateSubmission':
      case 'client/sendAcked': {
        const m = byKey.get(str(d['clientMsgId']));
        if (m !== undefined && m.id === null) {
          m.id = str(d['id']);
          byId.set(m.id, m);
        }
        break;
      }
      case 'chat/messagePersisted': {
        const m = byId.get(str(d['id']));
        if (m !== undefined) m.order = numOrNull(d['order']);
        break;
      }
    }
  }
  return [...byKey.values()]
    .sort((a, b) => a.firstSeq - b.firstSeq)
    .map(({ firstSeq: _firstSeq, ...m }) => m);
}

// ------------------------------------------------------------------------------------------------
// Walking the trace

/** The messages a diagram follows, as the keys payloads mention. */
interface Targets {
  readonly ids: ReadonlyMap<string, ChatMessageRef>;
  readonly keys: ReadonlyMap<string, ChatMessageRef>;
}

function targetsOf(messages: readonly ChatMessageRef[]): Targets {
  const ids = new Map<string, ChatMessageRef>();
  const keys = new Map<string, ChatMessageRef>();
  for (const m of messages) {
    if (m.id !== null) ids.set(m.id, m);
    keys.set(m.clientMsgId, m);
  }
  return { ids, keys };
}

/** The first target message a value mentions, or null. */
function mentionedTarget(value: unknown, targets: Targets): ChatMessageRef | null | 'none' {
  const m = mentionsOf(value);
  if (m.ids.length === 0 && m.clientMsgIds.length === 0) return 'none';
  for (const id of m.ids) {
    const hit = targets.ids.get(id);
    if (hit !== undefined) return hit;
  }
  for (const key of m.clientMsgIds) {
    const hit = targets.keys.get(key);
    if (hit !== undefined) return hit;
  }
  return null;
}

/** The sends and node events that belong to the followed messages. */
interface Path {
  /** Sent seq → the message it belongs to (null for a connect handshake). */
  readonly sends: Map<number, ChatMessageRef | null>;
  /** Node events (not net/*) that belong to the messages. */
  readonly events: Map<number, ChatMessageRef | null>;
  /** Sent seqs that belong to a connect handshake (drawn in a shaded block). */
  readonly connect: Set<number>;
}

/** Event types never drawn as notes, because an arrow or another note already says it. */
const SILENT_TYPES = new Set([
  'client/messageSent',
  'chat/messagePersisted',
  'chat/messagePublished',
  'cpu/inputDropped',
  'node/timerFired',
  'node/started',
]);

function walkPath(index: TraceIndex, targets: Targets): Path {
  const sends = new Map<number, ChatMessageRef | null>();
  const events = new Map<number, ChatMessageRef | null>();
  const parentOf = (e: TraceEvent): number | null => (e.causeSeq === null ? null : (index.sentOf.get(e.causeSeq) ?? null));
  for (const e of index.events) {
    if (e.type === SENT) {
      const msg = payloadOf(e);
      const hit = mentionedTarget(msg, targets);
      if (hit !== null && hit !== 'none') {
        sends.set(e.seq, hit);
      } else if (hit === 'none' && !BOOKKEEPING_TYPES.has(wireType(innerFrame(msg)))) {
        const parent = parentOf(e);
        if (parent !== null && sends.has(parent)) sends.set(e.seq, sends.get(parent) ?? null);
      }
      continue;
    }
    if (e.type.startsWith('net/') || SILENT_TYPES.has(e.type) || e.type.startsWith('op/')) continue;
    const hit = mentionedTarget(e.data, targets);
    if (hit !== null && hit !== 'none') {
      events.set(e.seq, hit);
    } else if (hit === 'none') {
      const parent = parentOf(e);
      if (parent !== null && sends.has(parent)) events.set(e.seq, sends.get(parent) ?? null);
    }
  }
  // A history page that carries the message was asked for: draw the request hops that led to it.
  // Entries added while iterating are requests, which the loop skips, so iterating live is safe.
  for (const [seq, owner] of sends) {
    const e = index.bySeq.get(seq);
    if (e === undefined) continue;
    const t = wireType(innerFrame(payloadOf(e)));
    if (t !== 'historyPage' && t !== 'db/historyResult') continue;
    let p = parentOf(e);
    while (p !== null && !sends.has(p)) {
      const up = index.bySeq.get(p);
      if (up === undefined || !isHistoryRequest(payloadOf(up))) break;
      sends.set(p, owner);
      p = parentOf(up);
    }
  }
  return { sends, events, connect: new Set() };
}

/**
 * Adds each client's last connect handshake before `beforeMs`: the `connect` frame and every send
 * it caused (keep-alives excluded) up to that time, with the node events they caused.
 */
function addConnect(index: TraceIndex, path: Path, clients: ReadonlySet<string>, beforeMs: number): void {
  const roots = new Map<string, number>();
  for (const e of index.events) {
    if (e.at > beforeMs) break;
    if (e.type !== SENT || wireType(payloadOf(e)) !== 'connect') continue;
    const { from } = endpointsOf(e);
    if (clients.has(from)) roots.set(from, e.seq);
  }
  const rootSeqs = new Set(roots.values());
  const parentOf = (e: TraceEvent): number | null => (e.causeSeq === null ? null : (index.sentOf.get(e.causeSeq) ?? null));
  for (const e of index.events) {
    if (e.at > beforeMs) break;
    if (e.type === SENT) {
      if (rootSeqs.has(e.seq)) {
        path.connect.add(e.seq);
        continue;
      }
      const msg = payloadOf(e);
      const m = mentionsOf(msg);
      if (m.ids.length > 0 || m.clientMsgIds.length > 0) continue;
      if (BOOKKEEPING_TYPES.has(wireType(innerFrame(msg)))) continue;
      const parent = parentOf(e);
      if (parent !== null && path.connect.has(parent)) path.connect.add(e.seq);
      continue;
    }
    if (e.type.startsWith('net/') || SILENT_TYPES.has(e.type) || e.type.startsWith('op/')) continue;
    const parent = parentOf(e);
    if (parent !== null && path.connect.has(parent) && !path.events.has(e.seq)) path.events.set(e.seq, null);
  }
  for (const seq of path.connect) path.sends.set(seq, null);
}

// ------------------------------------------------------------------------------------------------
// Notes

function s(x: unknown): string {
  return typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : '?';
}

function seqText(seq: unknown): string {
  return typeof seq === 'number' ? `seq ${seq}` : 'no seq';
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
  const d = e.data;
  switch (e.type) {
    case 'client/messageRetried':
      return `retry ${s(d['clientMsgId'])} (attempt ${s(d['attempt'])})`;
    case 'client/sendAcked':
      return `acked: ${s(d['clientMsgId'])} = ${s(d['id'])}, ${seqText(d['seq'])}`;
    case 'client/sendFailed':
      return `✗ send failed: ${s(d['code'])} ${s(d['message'])}`;
    case 'client/messageReceived':
      return d['via'] === 'history' ? `received ${s(d['id'])} via history` : null;
    case 'client/messageShown':
      return `${s(d['user'])} sees ${s(d['id'])} (${seqText(d['seq'])}) at position ${s(d['position'])}`;
    case 'client/duplicateDropped':
      return `duplicate ${s(d['id'])} dropped`;
    case 'client/gapDetected':
      return `gap: expected seq ${s(d['expectedSeq'])}, got ${s(d['gotSeq'])}`;
    case 'client/reorderTimedOut':
      return `reorder buffer gave up after ${s(d['waitedMs'])} ms`;
    case 'client/historyRequested':
      return `catch up ${s(d['channel'])} after seq ${s(d['afterSeq'])}`;
    case 'client/connected':
      return `${s(d['user'])} connected via ${s(d['server'])}`;
    case 'client/pushReceived':
      return `push notification for ${s(d['id'])}`;
    case 'gw/connectionRouted':
      return `route ${s(d['user'])} → ${s(d['server'])} (${s(d['strategy'])})`;
    case 'gw/connectionRejected':
      return `✗ connection of ${s(d['user'])} rejected: ${s(d['reason'])}`;
    case 'ws/connectionOpened':
      return `${s(d['user'])} registered (${s(d['connections'])} connections)`;
    case 'ws/fannedOut':
      return `${s(d['id'])} → ${s(d['recipients'])} local connection(s)`;
    case 'chat/messageSequenced':
      return d['seq'] === null
        ? `${s(d['id'])}: no sequence number (ordering off)`
        : `${s(d['id'])}: seq ${s(d['seq'])}, prev ${d['prevId'] === null ? 'none' : s(d['prevId'])}`;
    case 'chat/messageRejected':
      return `✗ ${s(d['code'])}: ${s(d['reason'])}`;
    case 'chat/duplicateSubmission':
      return `retry of ${s(d['clientMsgId'])} = ${s(d['id'])}: nothing stored again`;
    case 'db/messageStored':
      return `stored ${s(d['id'])} (order ${s(d['order'])})`;
    case 'db/historyServed':
      return `history ${s(d['channel'])} after seq ${s(d['afterSeq'])}: ${s(d['count'])} msgs`;
    case 'broker/published':
      return `topic ${s(d['topic'])} → ${s(d['subscribers'])} subscriber(s)`;
    case 'broker/subscribed':
      return `${s(d['server'])} subscribed to ${s(d['topic'])}`;
    case 'broker/appended':
      return `appended to p${s(d['partition'])} at offset ${s(d['offset'])}`;
    case 'limiter/allowed':
      return `rate limit ${s(d['key'])}: ${s(d['count'])}/${s(d['limit'])} → allowed`;
    case 'limiter/rejected': {
      const retry = typeof d['retryAfterMs'] === 'number' ? `, retry in ${d['retryAfterMs']} ms` : '';
      return `✗ rate limited ${s(d['key'])} (${s(d['algorithm'])}): ${s(d['count'])}/${s(d['limit'])}${retry}`;
    }
    case 'notify/sent':
      return `push notification → ${s(d['user'])}`;
    case 'notify/dropped':
      return `✗ push to ${s(d['user'])} dropped (${s(d['reason'])})`;
    case 'mapping/registered':
      return `directory: ${s(d['user'])} @ ${s(d['server'])}`;
    default: {
      const rest = compactData(d);
      return rest === '' ? e.type : `${e.type} ${rest}`;
    }
  }
}

/** A sentence for an operator verb (`op/*`). */
function describeOp(e: TraceEvent): { text: string; nodes: string[] } {
  const op = rec(e.data['op']) ?? {};
  const verb = s(op['verb']);
  const list = (x: unknown): string[] => (Array.isArray(x) ? x.map(s) : []);
  if (typeof op['node'] === 'string') {
    const extra = verb === 'slow' ? ` ×${s(op['factor'])}` : '';
    return { text: `⚡ operator: ${verb} ${op['node']}${extra}`, nodes: [op['node']] };
  }
  if (verb === 'partition' || verb === 'heal') {
    const a = list(op['a']);
    const b = list(op['b']);
    if (a.length === 0 && b.length === 0) return { text: `⚡ operator: ${verb} all`, nodes: [] };
    const arrow = op['oneWay'] === true ? '→' : '↔';
    return { text: `⚡ operator: ${verb} ${a.join(', ')} ${arrow} ${b.join(', ')}`, nodes: [...a, ...b] };
  }
  if (typeof op['from'] === 'string' && typeof op['to'] === 'string') {
    return { text: `⚡ operator: ${verb} ${op['from']} → ${op['to']}`, nodes: [op['from'], op['to']] };
  }
  return { text: `⚡ operator: ${verb}`, nodes: [] };
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
  readonly all: readonly TraceEvent[];
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

function build(spec: BuildSpec): SequenceDiagramResult {
  const { index, options } = spec;
  const maxMessages = Math.max(0, options.maxMessages ?? DEFAULTS.maxMessages);
  const maxNotes = Math.max(0, options.maxNotes ?? DEFAULTS.maxNotes);
  const maxText = options.maxTextLength ?? DEFAULTS.maxTextLength;
  const timing = options.timing ?? 'label';
  const targets = targetsOf(spec.messages);
  const path = walkPath(index, targets);

  // Loops rather than Math.min(...xs): a long window can hold more items than a call has arguments.
  const firstAt = spec.messages.reduce((min, m) => Math.min(min, m.sentAt), Number.POSITIVE_INFINITY);
  if (options.showConnect === true) {
    const clients = new Set<string>(spec.primaryClients);
    for (const seq of path.sends.keys()) {
      const e = index.bySeq.get(seq);
      if (e === undefined) continue;
      const { from, to } = endpointsOf(e);
      if (isClientLike(roleOf(from, index.kinds))) clients.add(from);
      if (isClientLike(roleOf(to, index.kinds))) clients.add(to);
    }
    addConnect(index, path, clients, firstAt);
  }

  // Ground truth of order, for the out-of-order marks on deliveries.
  const orderOf = new Map<string, number>();
  for (const m of chatMessagesOf(index.events)) {
    if (m.id !== null && (m.seq ?? m.order) !== null) orderOf.set(m.id, (m.seq ?? m.order) as number);
  }

  const timeLabel = (at: number, sentAt: number): string => (timing === 'label' ? `t=${at} ms (+${at - sentAt}) ` : '');
  const items: Item[] = [];
  const highestShown = new Map<string, number>();
  const arrows: ArrowItem[] = [];
  for (const [seq, owner] of path.sends) {
    const e = index.bySeq.get(seq);
    if (e === undefined) continue;
    const { from, to } = endpointsOf(e);
    const msg = payloadOf(e);
    const desc = describeWire(msg, { maxTextLength: maxText });
    const connect = path.connect.has(seq);
    const base = { kind: 'arrow' as const, from, to, connect, owner, sent: seq };
    const ds = index.deliveries.get(seq) ?? [];
    if (ds.length > 0) {
      ds.forEach((d, i) => {
        const cpu = index.cpuDrops.get(d.seq);
        const dup = i > 0 ? ' (network duplicate)' : '';
        const lost = cpu !== undefined ? ' ✗ dropped: input queue full' : '';
        arrows.push({ ...base, key: d.seq, arrow: cpu !== undefined ? 'cross' : arrowKindOf(msg), text: `${timeLabel(d.at, e.at)}${desc}${dup}${lost}` });
      });
      continue;
    }
    const drop = index.drops.get(seq);
    if (drop !== undefined) {
      const at = timing === 'label' ? `t=${drop.at} ms ` : '';
      arrows.push({ ...base, key: drop.seq, arrow: 'cross', text: `${at}✗ ${s(drop.data['reason'])}: ${desc}` });
      continue;
    }
    const at = timing === 'label' ? `t=${e.at} ms ` : '';
    const state = index.held.has(seq) ? 'held by the network' : 'in flight';
    arrows.push({ ...base, key: seq, arrow: arrowKindOf(msg), text: `${at}(${state}) ${desc}` });
  }
  arrows.sort((a, b) => a.key - b.key);
  for (const a of arrows) {
    if (spec.keepArrow !== undefined && !a.connect && !spec.keepArrow(a)) continue;
    // Mark a delivery that reaches a client after a later message of the same channel did.
    let text = a.text;
    const e = index.bySeq.get(a.sent);
    const frame = rec(innerFrame(e === undefined ? undefined : payloadOf(e)));
    const delivered = rec(frame?.['message']);
    if (frame?.['type'] === 'deliver' && isClientLike(roleOf(a.to, index.kinds)) && delivered !== null && a.arrow !== 'cross') {
      const order = orderOf.get(s(delivered['id']));
      const lane = `${a.to}|${s(delivered['channel'])}`;
      const high = highestShown.get(lane);
      if (order !== undefined) {
        // Without sequence numbers the ground truth is the stored order: show it, or the reader
        // cannot tell a late delivery from an early one.
        const unit = delivered['seq'] === null ? 'stored order' : 'seq';
        if (delivered['seq'] === null) text += ` (stored order ${order})`;
        if (high !== undefined && order < high) text += ` ⚠ out of order (after ${unit} ${high})`;
        highestShown.set(lane, Math.max(order, high ?? order));
      }
    }
    items.push({ ...a, text });
  }

  // Notes from the message's own events.
  if (options.domainNotes !== false) {
    const lifelines = new Set<string>();
    for (const item of items) {
      if (item.kind === 'arrow') lifelines.add(item.from).add(item.to);
    }
    const keepClientNote = spec.keepClientNote;
    for (const [seq, owner] of path.events) {
      const e = index.bySeq.get(seq);
      if (e === undefined) continue;
      if (keepClientNote !== undefined) {
        if (!lifelines.has(e.node)) continue;
        if (isClientLike(roleOf(e.node, index.kinds)) && !keepClientNote(e.node, owner)) continue;
      }
      const text = describeEvent(e);
      if (text === null) continue;
      items.push({ kind: 'note', key: seq, nodes: [e.node], text, connect: path.connect.has(index.sentOf.get(seq) ?? -1) });
    }
  }

  // Faults and presence changes during the diagram's span, whatever caused them.
  const lastAt = items.reduce((max, i) => Math.max(max, index.bySeq.get(i.key)?.at ?? firstAt), firstAt);
  const span = [firstAt, lastAt] as const;
  if (options.faultNotes !== false) {
    // Faults from before the span that still hold explain drops inside it (a server still down).
    for (const e of faultStateAt(index.events, span[0]).inForce) {
      if (e.at >= span[0]) continue;
      const { text, nodes } = describeOp(e);
      items.push({ kind: 'note', key: e.seq, nodes, text: `${text} (in force since t=${e.at} ms)`, connect: false });
    }
  }
  for (const e of index.events) {
    if (e.at < span[0] || e.at > span[1]) continue;
    if (e.type.startsWith('op/') && options.faultNotes !== false) {
      const { text, nodes } = describeOp(e);
      items.push({ kind: 'note', key: e.seq, nodes, text, connect: false });
    } else if (e.type.startsWith('presence/') && options.presenceNotes !== false && !path.events.has(e.seq)) {
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
    const e = index.bySeq.get(item.sent);
    const payload = rec(e === undefined ? undefined : payloadOf(e));
    if (payload?.['type'] === 'fromClient' && primaryClients.has(s(payload['client']))) primaryServers.add(item.to);
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
  const broker = brokerFlavorOf(spec.all);
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

  const ast: SequenceDiagramAst = {
    kind: 'sequenceDiagram',
    autonumber: options.autonumber === true,
    participants: participants.map((p): SeqParticipant => ({ id: p.alias, label: p.label })),
    statements,
  };
  return { ast, text: printSequenceDiagram(ast), participants, capped, messages: spec.messages };
}

function emptyResult(reason: string): SequenceDiagramResult {
  const ast: SequenceDiagramAst = { kind: 'sequenceDiagram', participants: [], statements: [{ kind: 'comment', text: reason }] };
  return { ast, text: printSequenceDiagram(ast), participants: [], capped: false, messages: [] };
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
export function sequenceDiagram(events: readonly TraceEvent[], options: SequenceDiagramOptions = {}): SequenceDiagramResult {
  const index = indexTrace(events, options.atMs);
  const catalog = chatMessagesOf(index.events);
  let picked: ChatMessageRef | undefined;
  if (options.messageId !== undefined) picked = catalog.find((m) => m.id === options.messageId);
  else if (options.clientMsgId !== undefined) picked = catalog.find((m) => m.clientMsgId === options.clientMsgId);
  else picked = catalog.reduce<ChatMessageRef | undefined>((best, m) => (best === undefined || m.sentAt >= best.sentAt ? m : best), undefined);
  if (picked === undefined) {
    const which = options.messageId ?? options.clientMsgId ?? 'latest';
    return emptyResult(`no chat message matches ${which} in this trace${options.atMs === undefined ? '' : ` up to t=${options.atMs} ms`}`);
  }
  return build({
    index,
    all: events,
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
 * {@link sequenceDiagram}. Deliveries to a client that arrive after a later message of the same
 * channel are marked `⚠ out of order`, so reordering is visible. Defaults as for
 * {@link sequenceDiagram}, plus `hops` `all` and `maxChatMessages` 12.
 *
 * @example
 * sequenceDiagramForWindow(trace.events, { fromMs: 0, toMs: 10_000, channel: 'g1', hops: 'client' }).text;
 */
export function sequenceDiagramForWindow(events: readonly TraceEvent[], options: SequenceWindowOptions): SequenceDiagramResult {
  const index = indexTrace(events, options.atMs);
  const receivedBy = new Set<string>();
  if (options.user !== undefined) {
    for (const e of index.events) {
      if ((e.type === 'client/messageReceived' || e.type === 'client/messageShown') && e.data['user'] === options.user) receivedBy.add(s(e.data['id']));
    }
  }
  const inWindow = chatMessagesOf(index.events).filter(
    (m) =>
      m.sentAt >= options.fromMs &&
      m.sentAt <= options.toMs &&
      (options.channel === undefined || m.channel === options.channel) &&
      (options.user === undefined || m.author === options.user || (m.id !== null && receivedBy.has(m.id))),
  );
  const maxChat = Math.max(1, options.maxChatMessages ?? DEFAULTS.maxChatMessages);
  const messages = inWindow.slice(0, maxChat);
  const filters = [options.user === undefined ? '' : `user ${options.user}`, options.channel === undefined ? '' : `channel ${options.channel}`].filter((x) => x !== '');
  const header = `${messages.length} of ${inWindow.length} message(s) sent between t=${options.fromMs} and t=${options.toMs} ms${filters.length > 0 ? ` (${filters.join(', ')})` : ''}`;
  if (messages.length === 0) return emptyResult(header);
  const userClient = options.user === undefined ? null : `c-${options.user}`;
  const keepArrow = (a: ArrowItem): boolean => {
    const fromClient = isClientLike(roleOf(a.from, index.kinds));
    const toClient = isClientLike(roleOf(a.to, index.kinds));
    if (options.hops === 'client' && !fromClient && !toClient) return false;
    if (userClient === null) return true;
    // Another user's client appears only as the author sending the message the user receives.
    const author = a.owner === null ? null : a.owner.authorNode;
    const sendsIt = a.from === author && wireType(payloadOf(index.bySeq.get(a.sent) as TraceEvent)) === 'send';
    const ok = (n: string, isClient: boolean): boolean => !isClient || n === userClient || sendsIt;
    return ok(a.from, fromClient) && ok(a.to, toClient);
  };
  // With a user filter, a client's notes are the user's own, or an author's about their message.
  const keepClientNote = (client: string): boolean => userClient === null || client === userClient;
  const authors = [...new Set(messages.map((m) => m.authorNode))].sort(compareIds);
  const primaryClients = userClient === null ? authors : [userClient];
  return build({
    index,
    all: events,
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
export function sequenceDiagramForUser(
  events: readonly TraceEvent[],
  user: string,
  options: Omit<SequenceWindowOptions, 'user'>,
): SequenceDiagramResult {
  return sequenceDiagramForWindow(events, { ...options, user });
}
