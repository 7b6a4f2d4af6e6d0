/**
 * The whiteboard check for the sequence diagram: the student's diagram (as `parse.ts` reads it)
 * against the actual flow of a message in a run (`flow.ts`). Each finding says what differs, why
 * it matters in our words, the student's line and the trace seq of the real hop to jump to.
 *
 * How it compares [1]: every participant is read as a role and a side (`names.ts`) and resolved
 * to the run's nodes; every arrow is then matched, in reading order, to the first unused real
 * hop between those nodes (a hint in the arrow's text, such as "store" or "ack", picks among
 * several). An arrow that matches nothing may be a shortcut past the gateway, a reversed hop, or
 * an extra one. Required hops left unmatched are missing, unless a missing participant already
 * explains them. Order is judged by named rules over the matched hops (persist before publish,
 * publish before fan-out, fan-out before delivery, the ack after persist, …), and only where the
 * run itself shows that order.
 *
 * [1] Matching by role and side rather than by name is what makes "WS Server A", "WebSocket
 *     Server (A's connection)" and "A's server" the same lifeline; see ADR 0020.
 */
import type { ActualFlow, FlowHop, FlowStep } from './flow.ts';
import { meaningOfParticipant, roleWords, type NameMeaning, type WbRole } from './names.ts';
import { parseSequence, type ParsedSequence, type StudentMessage } from './parse.ts';

/** What kind of difference a finding is. */
export type FindingKind =
  | 'syntax'
  | 'participant-missing'
  | 'participant-extra'
  | 'participant-unknown'
  | 'participant-offpath'
  | 'hop-missing'
  | 'hop-extra'
  | 'hop-reversed'
  | 'shortcut'
  | 'out-of-order';

/** One difference between the student's diagram and the run. */
export interface WbFinding {
  /** A stable signature (`hop-missing:publish`, `hop-reversed:L12`), for tests and keys. */
  readonly code: string;
  readonly kind: FindingKind;
  /** `error`: the diagram is wrong about the path; `note`: worth knowing, not wrong. */
  readonly severity: 'error' | 'note';
  readonly title: string;
  readonly explanation: string;
  /** The student's line, when the finding is about one. */
  readonly line: number | null;
  /** The trace seq of the real hop (or event) to jump to, when there is one. */
  readonly seq: number | null;
  readonly atMs: number | null;
}

/** How a student's participant was read. */
export interface ParticipantReading {
  readonly id: string;
  readonly label: string;
  readonly line: number;
  readonly meaning: NameMeaning | null;
  /** The run's nodes it stands for. */
  readonly nodes: readonly string[];
  readonly status: 'matched' | 'unknown' | 'extra' | 'offpath';
}

/** A student's arrow and the real hops it stands for (none when it matched nothing). */
export interface ArrowMatch {
  readonly line: number;
  readonly hops: readonly number[];
}

/** The result of a check. */
export interface SequenceCheck {
  readonly parsed: ParsedSequence;
  readonly participants: readonly ParticipantReading[];
  readonly arrows: readonly ArrowMatch[];
  readonly findings: readonly WbFinding[];
  /** True when no finding is an error. */
  readonly ok: boolean;
}

/** What each step is, in the lab's words. */
const STEP: Readonly<Record<FlowStep, { readonly name: string; readonly what: string }>> = {
  send: { name: 'send', what: "User A's client sends the message over its WebSocket to the gateway" },
  forward: { name: 'forward', what: "the gateway passes the frame on to A's server, the one holding A's connection" },
  submit: { name: 'submit', what: "A's server hands the message to the chat service, which validates it, checks A may post in the channel and numbers it" },
  sequence: { name: 'sequence', what: 'the chat service asks the sequencer for the next number in the global order' },
  sequenced: { name: 'sequenced', what: 'the sequencer answers with the number' },
  persist: { name: 'persist', what: 'the chat service stores the message in the database' },
  persisted: { name: 'persisted', what: 'the database confirms the write' },
  accepted: { name: 'accepted', what: "the chat service tells A's server the message is stored" },
  publish: { name: 'publish', what: "the chat service publishes the stored message on the channel's topic" },
  fanout: { name: 'fan-out', what: "the broker pushes the message to every server subscribed to the topic, B's server among them" },
  lookup: { name: 'lookup', what: "with no broker, A's server asks the directory which servers hold the members" },
  found: { name: 'found', what: 'the directory answers with the servers' },
  direct: { name: 'direct send', what: "A's server sends the message straight to each of those servers" },
  relay: { name: 'relay', what: "B's server pushes the message down B's connection, through the gateway" },
  deliver: { name: 'deliver', what: "the gateway hands the message to User B's client" },
  ack: { name: 'ack', what: 'A learns the message is stored (the send ack), so its client can stop retrying' },
  'read-ack': { name: 'receipt', what: 'a client confirms it received the message' },
  other: { name: 'other', what: 'another hop of the message' },
};

/** Words in an arrow's text that say which step it means, to pick among hops between the same nodes. */
const HINTS: readonly [RegExp, readonly FlowStep[]][] = [
  [/\b(store|stored|persist|save|saved|insert|write|writes|put)\b/i, ['persist', 'persisted']],
  [/\b(publish|publishes|pub)\b/i, ['publish']],
  [/\b(notify|fan|fanout|fan-out|broadcast|push)\b/i, ['fanout', 'relay', 'deliver', 'direct']],
  [/\b(ack|acked|acknowledge|acknowledged|sent|confirm|confirmed|ok|stored ack)\b/i, ['ack', 'accepted', 'persisted', 'read-ack']],
  [/\b(deliver|delivered|delivery|receive|show|display|new message)\b/i, ['deliver', 'relay']],
  [/\b(send|sends|message|chat|post)\b/i, ['send', 'forward', 'submit']],
];

/** Named order rules: the first step must come before the second, where the run shows both. */
const ORDER_RULES: readonly { readonly before: FlowStep; readonly after: readonly FlowStep[]; readonly name: string; readonly why: string }[] = [
  { before: 'submit', after: ['persist'], name: 'submit-before-persist', why: 'the chat service can only store what A’s server has handed it' },
  { before: 'persist', after: ['publish'], name: 'persist-before-publish', why: 'a message is stored before anyone is told about it, so a receiver who asks for history can always find what was pushed to them' },
  { before: 'persist', after: ['lookup', 'direct'], name: 'persist-before-direct', why: 'a message is stored before anyone is told about it, so a receiver who asks for history can always find what was pushed to them' },
  { before: 'publish', after: ['fanout'], name: 'publish-before-fanout', why: 'the broker can only fan out what was published to it' },
  { before: 'fanout', after: ['relay', 'deliver'], name: 'fanout-before-deliver', why: 'B’s server only learns of the message from the broker’s fan-out' },
  { before: 'direct', after: ['relay', 'deliver'], name: 'direct-before-deliver', why: 'B’s server only learns of the message when A’s server sends it over' },
  { before: 'persist', after: ['ack'], name: 'persist-before-ack', why: 'the ack promises A the message is safe; sent before the write, it would promise something that can still be lost' },
];

function finding(f: Omit<WbFinding, 'atMs'> & { readonly atMs?: number | null }): WbFinding {
  return { ...f, atMs: f.atMs ?? null };
}

/** Resolves each student participant to the run's nodes. */
function readParticipants(parsed: ParsedSequence, flow: ActualFlow): ParticipantReading[] {
  const metas = parsed.participants.map((p) => ({ p, meaning: meaningOfParticipant(p.id, p.label) }));
  const sided = (role: WbRole, side: 'A' | 'B' | 'other'): string[] =>
    flow.participants.filter((fp) => fp.role === role && fp.sides.includes(side)).map((fp) => fp.nodeId);
  // Unlettered clients and servers take the sides nobody named, in the order they were declared.
  const taken = new Map<WbRole, Set<string>>();
  for (const { meaning } of metas) {
    if (meaning?.side != null) {
      const set = taken.get(meaning.role) ?? new Set<string>();
      set.add(meaning.side);
      taken.set(meaning.role, set);
    }
  }
  const serverCount = metas.filter((m) => m.meaning?.role === 'ws-server').length;
  return metas.map(({ p, meaning }): ParticipantReading => {
    const base = { id: p.id, label: p.label, line: p.line, meaning };
    if (meaning === null) return { ...base, nodes: [], status: 'unknown' };
    const { role } = meaning;
    let nodes: string[];
    if (role === 'client' || role === 'ws-server') {
      let side = meaning.side;
      if (side === null && role === 'ws-server' && serverCount === 1) {
        // One box for the whole server tier.
        nodes = flow.participants.filter((fp) => fp.role === 'ws-server').map((fp) => fp.nodeId);
      } else {
        if (side === null) {
          const set = taken.get(role) ?? new Set<string>();
          side = !set.has('A') ? 'A' : !set.has('B') ? 'B' : 'other';
          set.add(side);
          taken.set(role, set);
        }
        nodes = sided(role, side);
      }
    } else {
      nodes = flow.participants.filter((fp) => fp.role === role).map((fp) => fp.nodeId);
    }
    if (nodes.length > 0) return { ...base, nodes, status: 'matched' };
    return { ...base, nodes, status: flow.runRoles.includes(role) && !(meaning.side === 'other' && flow.otherReceivers === 0) ? 'offpath' : 'extra' };
  });
}

function hintedSteps(text: string): Set<FlowStep> {
  const out = new Set<FlowStep>();
  for (const [re, steps] of HINTS) if (re.test(text)) for (const s of steps) out.add(s);
  return out;
}

/** The step pairs that make one hop through the gateway (a student may draw them as one arrow). */
const THROUGH_GATEWAY: readonly (readonly [FlowStep, FlowStep])[] = [
  ['send', 'forward'],
  ['relay', 'deliver'],
  ['ack', 'ack'],
  ['read-ack', 'read-ack'],
];

function viaGateway(flow: ActualFlow, from: ReadonlySet<string>, to: ReadonlySet<string>, used: readonly boolean[], hints: ReadonlySet<FlowStep>): [FlowHop, FlowHop] | null {
  let best: [FlowHop, FlowHop] | null = null;
  for (const h1 of flow.hops) {
    if (used[h1.index] === true || !from.has(h1.from) || h1.to !== 'gw') continue;
    for (const h2 of flow.hops) {
      if (h2.index <= h1.index || used[h2.index] === true || h2.from !== 'gw' || !to.has(h2.to)) continue;
      if (h1.client !== h2.client || !THROUGH_GATEWAY.some(([a, b]) => a === h1.step && b === h2.step)) continue;
      if (best === null) best = [h1, h2];
      if (hints.has(h1.step) || hints.has(h2.step)) return [h1, h2];
    }
  }
  return best;
}

function describeNodes(flow: ActualFlow, r: ParticipantReading): string {
  if (r.meaning === null) return r.label;
  return roleWords(r.meaning.role, r.meaning.side);
}

/** Why an arrow the run never made is wrong, for the common cases, in our words. */
function extraWhy(flow: ActualFlow, from: ParticipantReading, to: ParticipantReading): string {
  const fr = from.meaning?.role;
  const tr = to.meaning?.role;
  const publish = flow.hops.find((h) => h.step === 'publish');
  if (fr === 'ws-server' && tr === 'broker' && publish !== undefined) {
    return `In this cluster A's server does not publish: the chat service does, after the database has stored the message (seq ${publish.seq}). Publishing from the server is a design you can defend, but then the server must also wait for the write, or a receiver may be pushed a message the history does not have yet.`;
  }
  if ((fr === 'chat' || fr === 'ws-server') && (tr === 'ws-server' || tr === 'client') && flow.hasBroker) {
    return `Nothing went from ${describeNodes(flow, from)} straight to ${describeNodes(flow, to)}. The message reaches the receivers' servers through the broker: the sender's side never needs to know where each receiver is connected. Sending directly is the "no pub/sub" pitfall.`;
  }
  if (fr === 'client' && tr !== 'gateway' && tr !== 'ws-server') {
    return `A client never talks to ${roleWords(tr ?? 'chat')} directly: everything it sends goes over its one connection, through the gateway to its WebSocket server.`;
  }
  if (fr === 'broker' && tr === 'client') {
    return 'The broker pushes to servers, not to clients: it knows which servers subscribed to a topic, and only a server knows its own connections.';
  }
  if (fr === 'db' && tr !== 'chat') {
    return 'The database only answers the chat service, which asked it to store the message; it never pushes anything on its own.';
  }
  return `For this message nothing went from ${describeNodes(flow, from)} to ${describeNodes(flow, to)} in the run.`;
}

/** Why a participant matters, for a missing one. */
function missingWhy(role: WbRole, side: string | null, flow: ActualFlow): string {
  switch (role) {
    case 'client':
      return side === 'A' ? 'The message starts at User A’s client.' : 'The message ends at User B’s client; without it the diagram never shows B getting it.';
    case 'gateway':
      return 'Every frame to and from a client passes the gateway / load balancer: it terminates the connections and routes each user to a server.';
    case 'ws-server':
      return side === 'B' && flow.receiverServer !== flow.senderServer
        ? `B is connected to another server (${flow.receiverServer}) than A (${flow.senderServer}): that server is the one that pushes the message to B.`
        : 'The WebSocket server holds the client’s connection: it receives the frame and later pushes the message back down.';
    case 'chat':
      return 'The chat service validates the message, checks membership, numbers it and stores it before anyone sees it.';
    case 'db':
      return 'Without the database nothing is persisted: a user who reconnects could never fetch the history (the "no persistence" pitfall).';
    case 'broker':
      return 'The broker decouples the sender’s side from the receivers’ servers: one publish, and every subscribed server gets the message. Leaving it out is the "no pub/sub" pitfall.';
    case 'directory':
      return 'With no broker, the sender’s server must look up which servers hold the members: that lookup is the directory.';
    case 'sequencer':
      return 'This run orders messages globally: the chat service asks the sequencer for each number.';
    default:
      return `${roleWords(role)} is on this message's path in the run.`;
  }
}

/**
 * Compares a parsed student diagram with the actual flow.
 *
 * @example
 * const check = compareSequence(parseSequence(text), flow);
 * check.findings.map((f) => f.code); // ['participant-missing:broker', 'hop-extra:L9']
 */
export function compareSequence(parsed: ParsedSequence, flow: ActualFlow): SequenceCheck {
  const findings: WbFinding[] = [];
  const readings = readParticipants(parsed, flow);
  const byId = new Map(readings.map((r) => [r.id, r] as const));
  const firstHopOf = (node: string): FlowHop | undefined => flow.hops.find((h) => h.from === node || h.to === node);

  // Participants the student wrote that the run cannot place.
  for (const r of readings) {
    if (r.status === 'unknown') {
      findings.push(finding({
        code: `participant-unknown:${r.id}`,
        kind: 'participant-unknown',
        severity: 'error',
        title: `"${r.label}" is not a part we recognise`,
        explanation: 'Name it by what it does, e.g. "WebSocket Server (A’s connection)", "Chat Service", "Pub/Sub (Redis)", "Database", "API Gateway".',
        line: r.line,
        seq: null,
      }));
    } else if (r.status === 'extra' && r.meaning !== null) {
      const noOthers = r.meaning.side === 'other';
      findings.push(finding({
        code: `participant-extra:${r.meaning.role}${r.meaning.side === null ? '' : `:${r.meaning.side}`}`,
        kind: 'participant-extra',
        severity: 'error',
        title: `${r.label}: not in this run`,
        explanation: noOthers
          ? 'This is a private message: it has one sender and one receiver, and no other member to deliver to.'
          : `This cluster has no ${roleWords(r.meaning.role).replace(/^the |^a /, '')}; ${r.meaning.role === 'broker' ? 'it is the no-broker design, where servers call each other directly.' : 'nothing like it took part.'}`,
        line: r.line,
        seq: null,
      }));
    } else if (r.status === 'offpath' && r.meaning !== null) {
      findings.push(finding({
        code: `participant-offpath:${r.meaning.role}`,
        kind: 'participant-offpath',
        severity: 'note',
        title: `${r.label}: not on this message's path`,
        explanation: `The cluster has ${roleWords(r.meaning.role)}, but this message never passed it; its arrows are not checked.`,
        line: r.line,
        seq: null,
      }));
    }
  }

  // Participants on the real path that the student left out.
  const represented = new Set<string>();
  for (const r of readings) for (const n of r.nodes) represented.add(n);
  const essential: { node: string; role: WbRole; side: 'A' | 'B' | null }[] = [
    { node: flow.senderNode, role: 'client', side: 'A' },
    { node: flow.senderServer, role: 'ws-server', side: 'A' },
    { node: flow.receiverServer, role: 'ws-server', side: 'B' },
    { node: flow.receiverNode, role: 'client', side: 'B' },
  ];
  for (const p of flow.participants) {
    if (p.role === 'gateway' || p.role === 'chat' || p.role === 'db' || p.role === 'broker' || p.role === 'directory' || p.role === 'sequencer') {
      essential.push({ node: p.nodeId, role: p.role, side: null });
    }
  }
  const reported = new Set<string>();
  for (const e of essential) {
    if (represented.has(e.node) || reported.has(e.node)) continue;
    reported.add(e.node);
    const hop = firstHopOf(e.node);
    const side = e.role === 'client' || e.role === 'ws-server' ? e.side : null;
    findings.push(finding({
      code: `participant-missing:${e.role}${side === null ? '' : `:${side}`}`,
      kind: 'participant-missing',
      severity: e.role === 'sequencer' ? 'note' : 'error',
      title: `Missing: ${roleWords(e.role, side)} (${e.node})`,
      explanation: missingWhy(e.role, side, flow),
      line: null,
      seq: hop?.seq ?? null,
      atMs: hop?.atMs ?? null,
    }));
  }

  // Arrows, in reading order.
  const used: boolean[] = flow.hops.map(() => false);
  const arrows: ArrowMatch[] = [];
  /** Student position (reading order) of each matched hop. */
  const matchedAt: { pos: number; line: number; hop: FlowHop }[] = [];
  const gatewayDrawn = readings.some((r) => r.meaning?.role === 'gateway' && r.status === 'matched');
  parsed.messages.forEach((m: StudentMessage, pos) => {
    const from = byId.get(m.from);
    const to = byId.get(m.to);
    if (from === undefined || to === undefined || from.status !== 'matched' || to.status !== 'matched') {
      arrows.push({ line: m.line, hops: [] });
      return;
    }
    const F = new Set(from.nodes);
    const T = new Set(to.nodes);
    const hints = hintedSteps(m.text);
    const candidates = flow.hops.filter((h) => !used[h.index] && F.has(h.from) && T.has(h.to));
    // Words that name a step pick among the hops between the same nodes; words that name none
    // of them make the arrow something else (a "publish ack" where the run only fanned out).
    const direct = hints.size === 0 ? (candidates.find((h) => h.required) ?? candidates[0]) : candidates.find((h) => hints.has(h.step) || h.required);
    if (direct !== undefined) {
      used[direct.index] = true;
      arrows.push({ line: m.line, hops: [direct.index] });
      matchedAt.push({ pos, line: m.line, hop: direct });
      return;
    }
    const pair = viaGateway(flow, F, T, used, hints);
    if (pair !== null) {
      used[pair[0].index] = true;
      used[pair[1].index] = true;
      arrows.push({ line: m.line, hops: [pair[0].index, pair[1].index] });
      matchedAt.push({ pos, line: m.line, hop: pair[0] }, { pos, line: m.line, hop: pair[1] });
      if (gatewayDrawn) {
        findings.push(finding({
          code: `shortcut:L${m.line}`,
          kind: 'shortcut',
          severity: 'note',
          title: `Line ${m.line}: this hop passes the gateway`,
          explanation: `You drew ${describeNodes(flow, from)} → ${describeNodes(flow, to)} as one arrow; in the run it went through the gateway, which holds the client's connection (seq ${pair[0].seq}, then ${pair[1].seq}).`,
          line: m.line,
          seq: pair[0].seq,
          atMs: pair[0].atMs,
        }));
      }
      return;
    }
    const anyForward = flow.hops.some((h) => F.has(h.from) && T.has(h.to));
    const back = anyForward ? null : (flow.hops.find((h) => F.has(h.to) && T.has(h.from)) ?? viaGateway(flow, T, F, [], new Set())?.[0] ?? null);
    // A reversed arrow means the same step drawn backwards: an arrow whose words name another
    // step ("publish" from A's server, where the run only fanned out to it) is an extra one.
    const backward = back !== null && (hints.size === 0 || hints.has(back.step)) ? back : null;
    if (backward !== null) {
      used[backward.index] = true;
      arrows.push({ line: m.line, hops: [backward.index] });
      findings.push(finding({
        code: `hop-reversed:L${m.line}`,
        kind: 'hop-reversed',
        severity: 'error',
        title: `Line ${m.line}: the arrow points the wrong way`,
        explanation: `In the run this hop went from ${describeNodes(flow, to)} to ${describeNodes(flow, from)}: ${STEP[backward.step].what} (seq ${backward.seq}).`,
        line: m.line,
        seq: backward.seq,
        atMs: backward.atMs,
      }));
      return;
    }
    arrows.push({ line: m.line, hops: [] });
    if (candidates.length > 0) {
      const what = candidates[0] as FlowHop;
      findings.push(finding({
        code: `hop-extra:L${m.line}`,
        kind: 'hop-extra',
        severity: 'note',
        title: `Line ${m.line}: not what this hop carried`,
        explanation: `In the run, ${describeNodes(flow, from)} → ${describeNodes(flow, to)} only carried this: ${STEP[what.step].what} (seq ${what.seq}). Nothing like "${m.text}" went that way.`,
        line: m.line,
        seq: what.seq,
        atMs: what.atMs,
      }));
      return;
    }
    if (anyForward) {
      const once = flow.hops.find((h) => F.has(h.from) && T.has(h.to)) as FlowHop;
      findings.push(finding({
        code: `hop-extra:L${m.line}`,
        kind: 'hop-extra',
        severity: 'note',
        title: `Line ${m.line}: one arrow more than the run made`,
        explanation: `For this message the run went from ${describeNodes(flow, from)} to ${describeNodes(flow, to)} ${flow.hops.filter((h) => F.has(h.from) && T.has(h.to)).length === 1 ? 'once' : 'fewer times'} (seq ${once.seq}); the earlier arrow already stands for it.`,
        line: m.line,
        seq: once.seq,
        atMs: once.atMs,
      }));
      return;
    }
    findings.push(finding({
      code: `hop-extra:L${m.line}`,
      kind: 'hop-extra',
      severity: 'error',
      title: `Line ${m.line}: the run made no such hop`,
      explanation: extraWhy(flow, from, to),
      line: m.line,
      seq: null,
    }));
  });

  // Required hops nobody drew, one finding per step, unless a missing participant explains them.
  const missingSteps = new Set<FlowStep>();
  for (const h of flow.hops) {
    if (!h.required || used[h.index] === true || missingSteps.has(h.step)) continue;
    if (!represented.has(h.from) || !represented.has(h.to)) continue;
    // A step is drawn if any of its hops is (B's server may be reached once, whichever way).
    if (flow.hops.some((o) => o.step === h.step && o.required && used[o.index] === true)) continue;
    missingSteps.add(h.step);
    findings.push(finding({
      code: `hop-missing:${h.step}`,
      kind: 'hop-missing',
      severity: 'error',
      title: `Missing step: ${STEP[h.step].name}`,
      explanation: `${capitalise(STEP[h.step].what)}. In the run: ${h.from} → ${h.to} at t=${h.atMs} ms (seq ${h.seq}).`,
      line: null,
      seq: h.seq,
      atMs: h.atMs,
    }));
  }
  const ackToA = flow.hops.find((h) => h.step === 'ack' && h.to === flow.senderNode);
  if (ackToA !== undefined && represented.has(flow.senderNode) && !flow.hops.some((h) => h.step === 'ack' && used[h.index] === true)) {
    findings.push(finding({
      code: 'hop-missing:ack',
      kind: 'hop-missing',
      severity: 'note',
      title: 'No ack back to A',
      explanation: `${capitalise(STEP.ack.what)}. In the run it reached A at t=${ackToA.atMs} ms (seq ${ackToA.seq}).`,
      line: null,
      seq: ackToA.seq,
      atMs: ackToA.atMs,
    }));
  }

  // Order: named rules over matched hops, where the run shows the same order.
  for (const rule of ORDER_RULES) {
    const befores = matchedAt.filter((x) => x.hop.step === rule.before);
    const afters = matchedAt.filter((x) => rule.after.includes(x.hop.step) && (x.hop.required || x.hop.step === 'ack'));
    const b = befores[0];
    if (b === undefined) continue;
    const bad = afters.find((a) => a.pos < b.pos && a.hop.index > b.hop.index);
    if (bad === undefined) continue;
    findings.push(finding({
      code: `out-of-order:${rule.name}:L${bad.line}`,
      kind: 'out-of-order',
      severity: 'error',
      title: `Line ${bad.line}: ${STEP[bad.hop.step].name} drawn before ${STEP[rule.before].name} (line ${b.line})`,
      explanation: `In the run, ${STEP[rule.before].name} happened first (seq ${b.hop.seq}, t=${b.hop.atMs} ms) and ${STEP[bad.hop.step].name} after it (seq ${bad.hop.seq}, t=${bad.hop.atMs} ms): ${rule.why}.`,
      line: bad.line,
      seq: bad.hop.seq,
      atMs: bad.hop.atMs,
    }));
  }

  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { parsed, participants: readings, arrows, findings, ok: !findings.some((f) => f.severity === 'error') };
}

const KIND_ORDER: readonly FindingKind[] = [
  'syntax',
  'participant-missing',
  'participant-unknown',
  'participant-extra',
  'participant-offpath',
  'hop-missing',
  'hop-reversed',
  'hop-extra',
  'shortcut',
  'out-of-order',
];

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Reads and checks a student's Mermaid text in one go. A text that does not parse gets one
 * `syntax` finding per error (with line and column) and is not compared.
 *
 * @example
 * checkSequence('sequenceDiagram\n  A->>B hi', flow).findings[0]?.kind; // 'syntax'
 */
export function checkSequence(source: string, flow: ActualFlow): SequenceCheck {
  const parsed = parseSequence(source);
  if (parsed.errors.length > 0) {
    const findings = parsed.errors.map((e) =>
      finding({ code: `syntax:L${e.line}:C${e.column}`, kind: 'syntax', severity: 'error', title: `Line ${e.line}, column ${e.column}`, explanation: e.message, line: e.line, seq: null }),
    );
    return { parsed, participants: [], arrows: [], findings, ok: false };
  }
  return compareSequence(parsed, flow);
}
