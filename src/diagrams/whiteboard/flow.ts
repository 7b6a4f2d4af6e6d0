/**
 * The actual path of one chat message, as the whiteboard check compares it: the participants by
 * role (User A's client, the gateway, A's server, the chat service, the database, the broker, B's
 * server, User B's client, …) and the hops between them in causal order, each with the trace seq
 * and time it happened at.
 *
 * It reads the sequence diagram's own path walk (`sequenceDiagram(...).arrows`), so the hops are
 * exactly the arrows the sequence view draws for that message, then keeps those between A, B and
 * the services in between (and the broker's fan-out to other members' servers for a group).
 */
import { readWire } from '../../sim/index.ts';
import type { ChatMessageRef } from '../catalog.ts';
import type { ArrowKind, SeqParticipant, SeqStatement, SequenceDiagramAst } from '../mermaid/ast.ts';
import { printSequenceDiagram, uniqueMermaidIds } from '../mermaid/print.ts';
import { compareIds, nodeLabel, roleOf } from '../roles.ts';
import { sequenceDiagram, type SequenceHop, type TraceSource } from '../sequence.ts';
import { indexTrace, SENT, type TraceIndex } from '../traceIndex.ts';
import { describeWire } from '../wire.ts';
import type { WbRole, WbSide } from './names.ts';

/** What a hop does in the message's story. */
export type FlowStep =
  | 'send'
  | 'forward'
  | 'submit'
  | 'sequence'
  | 'sequenced'
  | 'persist'
  | 'persisted'
  | 'accepted'
  | 'publish'
  | 'fanout'
  | 'lookup'
  | 'found'
  | 'direct'
  | 'relay'
  | 'deliver'
  | 'ack'
  | 'read-ack'
  | 'other';

/** A lifeline of the actual flow. */
export interface FlowParticipant {
  readonly nodeId: string;
  readonly role: WbRole;
  /** Sides this node plays: A's server may also be B's. */
  readonly sides: readonly Exclude<WbSide, null>[];
  readonly label: string;
  /** Its Mermaid id in {@link ActualFlow.text}. */
  readonly alias: string;
}

/** One hop of the actual flow. */
export interface FlowHop {
  /** Position in causal (trace) order. */
  readonly index: number;
  /** The trace event to jump to: the delivery (or the drop, or the send while in flight). */
  readonly seq: number;
  /** The `net/messageSent` event. */
  readonly sentSeq: number;
  readonly atMs: number;
  readonly sentAtMs: number;
  readonly from: string;
  readonly to: string;
  readonly step: FlowStep;
  readonly wire: string;
  readonly arrow: ArrowKind;
  /** A step the lab's diagram must show; the others (replies, acks) are checked but not required. */
  readonly required: boolean;
  /** A short description of the payload. */
  readonly text: string;
  /** The client the hop is for or from (a client endpoint, or the client a gateway ↔ server frame names); null for service hops. */
  readonly client: string | null;
}

/** Which message to follow. */
export interface FlowQuery {
  /** A private message (a `dm:` channel) or a group message. */
  readonly kind: 'private' | 'group';
  /** This message (server id, `m12`); else the first of the kind that reached a receiver live. */
  readonly messageId?: string;
  /** The receiver to follow as User B; else one on another server than A, if any. */
  readonly receiver?: string;
  /** Ignore events after this time. */
  readonly atMs?: number;
}

/** The actual flow of a followed message. */
export interface ActualFlow {
  readonly kind: 'private' | 'group';
  readonly message: ChatMessageRef;
  readonly sender: string;
  readonly receiver: string;
  readonly senderNode: string;
  readonly receiverNode: string;
  readonly senderServer: string;
  readonly receiverServer: string;
  /** Lifelines in the lab's order. */
  readonly participants: readonly FlowParticipant[];
  readonly hops: readonly FlowHop[];
  /** Roles of every node in the run (also those not on this message's path: presence, auth, …). */
  readonly runRoles: readonly WbRole[];
  readonly hasBroker: boolean;
  /** Other members of a group the message reached live. */
  readonly otherReceivers: number;
  /** The actual flow as Mermaid text (every arrow labelled with its trace seq and time). */
  readonly text: string;
}

/** The flow, or why there is none. */
export type FlowResult = { readonly ok: true; readonly flow: ActualFlow } | { readonly ok: false; readonly reason: string };

/** Candidate messages tried at most when none is named. */
const MAX_CANDIDATES = 40;

const isDm = (channel: string): boolean => channel.startsWith('dm:');

function stepOf(h: SequenceHop, fromRole: WbRole | 'other', toRole: WbRole | 'other'): FlowStep {
  switch (h.wire) {
    case 'send':
      return fromRole === 'client' ? 'send' : 'forward';
    case 'chat/submit':
      return 'submit';
    case 'seq/next':
      return 'sequence';
    case 'seq/assigned':
      return 'sequenced';
    case 'db/insert':
      return 'persist';
    case 'db/inserted':
      return 'persisted';
    case 'chat/accepted':
      return 'accepted';
    case 'pub':
      return 'publish';
    case 'msg':
    case 'records':
      return 'fanout';
    case 'dir/lookup':
      return 'lookup';
    case 'dir/found':
      return 'found';
    case 'direct':
      return 'direct';
    case 'deliver':
      return toRole === 'client' ? 'deliver' : 'relay';
    case 'sendAck':
      return 'ack';
    case 'ack':
      return 'read-ack';
    default:
      return 'other';
  }
}

const asRole = (r: string): WbRole | 'other' => (r === 'fleet' ? 'client' : (r as WbRole | 'other'));

/** Lifeline order, as the lab's example draws it. */
function rank(role: WbRole | 'other', sides: readonly string[]): number {
  switch (role) {
    case 'client':
      return sides.includes('A') ? 0 : sides.includes('B') ? 20 : 21;
    case 'gateway':
      return 1;
    case 'ws-server':
      return sides.includes('A') ? 2 : sides.includes('B') ? 18 : 19;
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
    default:
      return 10;
  }
}

interface Candidate {
  readonly message: ChatMessageRef;
  readonly arrows: readonly SequenceHop[];
  readonly senderServer: string;
  /** Receiver user → the server that relayed the message to them. */
  readonly receivers: Map<string, string>;
}

function candidateOf(index: TraceIndex, m: ChatMessageRef, atMs: number): Candidate | null {
  if (m.id === null) return null;
  const until = Number.isFinite(atMs) ? { atMs } : {};
  const sd = sequenceDiagram(index, { ...until, messageId: m.id, domainNotes: false, faultNotes: false, presenceNotes: false, maxMessages: 2_000, timing: 'none' });
  const arrows = sd.arrows.filter((a) => !a.connect);
  let senderServer: string | null = null;
  const receivers = new Map<string, string>();
  for (const a of arrows) {
    const e = index.event(a.sentSeq);
    const wire = e?.type === SENT ? readWire(e.data.msg) : null;
    if (wire === null) continue;
    if (senderServer === null && wire.type === 'fromClient' && wire.client === m.authorNode && wire.frame.type === 'send') senderServer = a.to;
    if (wire.type === 'toClient' && wire.frame.type === 'deliver' && wire.client !== m.authorNode && wire.client.startsWith('c-') && a.arrow !== 'cross') {
      const user = wire.client.slice(2);
      // Only a delivery that reached the client counts (the gateway's hop to it).
      const reached = arrows.some((b) => b.from === 'gw' && b.to === wire.client && b.wire === 'deliver' && b.arrow !== 'cross' && b.atMs >= a.atMs);
      if (reached && !receivers.has(user)) receivers.set(user, a.from);
    }
  }
  if (senderServer === null || receivers.size === 0) return null;
  return { message: m, arrows, senderServer, receivers };
}

function pickReceiver(c: Candidate, wanted: string | undefined): string | null {
  if (wanted !== undefined) return c.receivers.has(wanted) ? wanted : null;
  const users = [...c.receivers.keys()].sort(compareIds);
  return users.find((u) => c.receivers.get(u) !== c.senderServer) ?? users[0] ?? null;
}

/**
 * The actual flow of a private or group message: the first of its kind (or the one named) that
 * reached a receiver live, preferring one whose receiver is on another server than the sender.
 *
 * @example
 * const r = actualFlow(trace.events, { kind: 'private' });
 * if (r.ok) r.flow.hops.map((h) => `${h.step} ${h.from}→${h.to} #${h.seq}`);
 * // ['send c-u1→gw #412', 'forward gw→ws-1 #415', 'submit ws-1→chat #419', 'persist chat→db #425', …]
 */
export function actualFlow(source: TraceSource, query: FlowQuery): FlowResult {
  const index = Array.isArray(source) ? indexTrace(source, query.atMs) : (source as TraceIndex);
  const atMs = query.atMs ?? Number.POSITIVE_INFINITY;
  let chosen: { c: Candidate; receiver: string } | null = null;
  if (query.messageId !== undefined) {
    const m = index.catalog.byId(query.messageId);
    if (m === undefined) return { ok: false, reason: `no message "${query.messageId}" in this run up to the playhead` };
    const c = candidateOf(index, m, atMs);
    const receiver = c === null ? null : pickReceiver(c, query.receiver);
    if (c === null || receiver === null) {
      return { ok: false, reason: `message ${query.messageId} has not reached ${query.receiver ?? 'any receiver'} live (yet); run further or pick another` };
    }
    chosen = { c, receiver };
  } else {
    let fallback: { c: Candidate; receiver: string } | null = null;
    let tried = 0;
    for (const m of index.catalog.sentBetween(0, atMs)) {
      if (isDm(m.channel) !== (query.kind === 'private') || m.id === null) continue;
      if (++tried > MAX_CANDIDATES) break;
      const c = candidateOf(index, m, atMs);
      const receiver = c === null ? null : pickReceiver(c, query.receiver);
      if (c === null || receiver === null) continue;
      if (c.receivers.get(receiver) !== c.senderServer) {
        chosen = { c, receiver };
        break;
      }
      fallback ??= { c, receiver };
    }
    chosen ??= fallback;
    if (chosen === null) {
      return { ok: false, reason: `no ${query.kind} message has reached ${query.receiver ?? 'a receiver'} live by t=${index.lastAt} ms; run further` };
    }
  }
  return { ok: true, flow: buildFlow(index, chosen.c, chosen.receiver, query.kind) };
}

/** The client a hop is for or from, or null. */
function clientOf(index: TraceIndex, a: SequenceHop, fromRole: WbRole | 'other', toRole: WbRole | 'other'): string | null {
  if (fromRole === 'client') return a.from;
  if (toRole === 'client') return a.to;
  const e = index.event(a.sentSeq);
  const wire = e?.type === SENT ? readWire(e.data.msg) : null;
  return wire !== null && (wire.type === 'fromClient' || wire.type === 'toClient') ? wire.client : null;
}

/** A hop between the gateway and a server that carries another client's frame. */
function forSomeoneElse(index: TraceIndex, a: SequenceHop, senderNode: string, receiverNode: string): boolean {
  const e = index.event(a.sentSeq);
  const wire = e?.type === SENT ? readWire(e.data.msg) : null;
  if (wire === null || (wire.type !== 'fromClient' && wire.type !== 'toClient')) return false;
  return wire.client !== senderNode && wire.client !== receiverNode;
}

function buildFlow(index: TraceIndex, c: Candidate, receiver: string, kind: 'private' | 'group'): ActualFlow {
  const m = c.message;
  const senderNode = m.authorNode;
  const receiverNode = `c-${receiver}`;
  const senderServer = c.senderServer;
  const receiverServer = c.receivers.get(receiver) as string;
  const role = (n: string): WbRole | 'other' => asRole(roleOf(n, index.kinds));
  const core = new Set([senderNode, receiverNode, senderServer, receiverServer]);
  const servicesOnPath = (n: string): boolean => {
    const r = role(n);
    return r === 'gateway' || r === 'chat' || r === 'db' || r === 'broker' || r === 'sequencer' || r === 'directory' || r === 'limiter';
  };
  const onPath = (n: string): boolean => core.has(n) || servicesOnPath(n);
  const kept: SequenceHop[] = [];
  for (const a of c.arrows) {
    const step = stepOf(a, role(a.from), role(a.to));
    if (onPath(a.from) && onPath(a.to)) {
      // The gateway's traffic with other members' clients is theirs, not A's or B's.
      if (!forSomeoneElse(index, a, senderNode, receiverNode)) kept.push(a);
    } else if ((step === 'fanout' || step === 'direct') && onPath(a.from) && role(a.to) === 'ws-server') {
      kept.push(a);
    }
  }
  const hasBroker = [...index.kinds.values()].some((k) => k === 'broker') || c.arrows.some((a) => role(a.from) === 'broker' || role(a.to) === 'broker');
  const hops: FlowHop[] = kept.map((a, i) => {
    const fromRole = role(a.from);
    const toRole = role(a.to);
    const step = stepOf(a, fromRole, toRole);
    const e = index.event(a.sentSeq);
    const required =
      (step === 'send' && a.from === senderNode) ||
      (step === 'forward' && a.to === senderServer) ||
      step === 'submit' ||
      step === 'persist' ||
      step === 'publish' ||
      step === 'lookup' ||
      ((step === 'fanout' || step === 'direct') && a.to === receiverServer) ||
      (step === 'relay' && a.from === receiverServer && a.to === 'gw') ||
      (step === 'deliver' && a.to === receiverNode);
    return {
      index: i,
      seq: a.seq,
      sentSeq: a.sentSeq,
      atMs: a.atMs,
      sentAtMs: a.sentAtMs,
      from: a.from,
      to: a.to,
      step,
      wire: a.wire,
      arrow: a.arrow,
      required: required && a.arrow !== 'cross',
      text: e?.type === SENT ? describeWire(e.data.msg, { maxTextLength: 16 }) : a.wire,
      client: clientOf(index, a, fromRole, toRole),
    };
  });
  const nodes = new Set<string>();
  for (const h of hops) nodes.add(h.from).add(h.to);
  const sidesOf = (n: string): Exclude<WbSide, null>[] => {
    const s: Exclude<WbSide, null>[] = [];
    if (n === senderNode || n === senderServer) s.push('A');
    if (n === receiverNode || n === receiverServer) s.push('B');
    if (s.length === 0 && (role(n) === 'client' || role(n) === 'ws-server')) s.push('other');
    return s;
  };
  const ordered = [...nodes].filter((n) => role(n) !== 'other').sort((a, b) => rank(role(a), sidesOf(a)) - rank(role(b), sidesOf(b)) || compareIds(a, b));
  const aliases = uniqueMermaidIds(ordered);
  const participants: FlowParticipant[] = ordered.map((n) => {
    const r = role(n) as WbRole;
    const sides = sidesOf(n);
    const base = nodeLabel(n, r, r === 'client' ? { clientLetter: sides.includes('A') ? 'A' : sides.includes('B') ? 'B' : 'C' } : { broker: index.brokerFlavor });
    const whose = r === 'ws-server' ? ` (${sides.map((s) => (s === 'other' ? 'other members' : `${s}'s`)).join(' and ')})` : '';
    return { nodeId: n, role: r, sides, label: base + whose, alias: aliases.get(n) as string };
  });
  const runRoles = new Set<WbRole>();
  for (const [n] of index.kinds) {
    const r = role(n);
    if (r !== 'other') runRoles.add(r);
  }
  for (const p of participants) runRoles.add(p.role);
  const otherReceivers = [...c.receivers.keys()].filter((u) => u !== receiver).length;
  const flowBase = { kind, message: { ...m }, sender: m.author, receiver, senderNode, receiverNode, senderServer, receiverServer, participants, hops, hasBroker, otherReceivers };
  return { ...flowBase, runRoles: [...runRoles].sort(), text: flowText(flowBase) };
}

/** The actual flow as Mermaid, every arrow labelled `#seq t=… ms what`, through the one printer. */
function flowText(f: Pick<ActualFlow, 'participants' | 'hops' | 'message' | 'sender' | 'receiver' | 'otherReceivers'>): string {
  const alias = new Map(f.participants.map((p) => [p.nodeId, p.alias] as const));
  const statements: SeqStatement[] = [
    { kind: 'comment', text: `actual path of ${f.message.id ?? f.message.clientMsgId} from ${f.sender} to ${f.receiver} in ${f.message.channel}` },
  ];
  for (const h of f.hops) {
    const from = alias.get(h.from);
    const to = alias.get(h.to);
    if (from === undefined || to === undefined) continue;
    statements.push({ kind: 'message', from, to, arrow: h.arrow, text: `#${h.seq} t=${h.atMs} ms ${h.text}` });
  }
  if (f.otherReceivers > 0) {
    const first = f.participants[0]?.alias;
    const last = f.participants[f.participants.length - 1]?.alias;
    if (first !== undefined && last !== undefined) {
      statements.push({ kind: 'note', placement: 'over', participants: first === last ? [first] : [first, last], text: `also delivered live to ${f.otherReceivers} other member(s), not drawn` });
    }
  }
  const ast: SequenceDiagramAst = {
    kind: 'sequenceDiagram',
    participants: f.participants.map((p): SeqParticipant => ({ id: p.alias, label: p.label })),
    statements,
  };
  return printSequenceDiagram(ast);
}
