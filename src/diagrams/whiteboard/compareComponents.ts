/**
 * The whiteboard check for the component diagram: the graph a student draws from a palette of
 * component kinds (nodes typed by kind, directed edges) against the cluster's own components and
 * connections, read from the pub/sub view of the run (`pubsub.ts`).
 *
 * Both sides are compared by kind, not by node: the student draws "WebSocket server" boxes, the
 * run has `ws-1`…`ws-3`. A connection is directed the way the request goes (client → gateway,
 * chat → database, chat → broker to publish, server → broker to subscribe, broker → server to fan
 * out); the replies the run also shows (database → chat) are folded into their request, so a
 * student who draws only the reply direction drew the connection reversed. Connections the lab
 * does not ask for (the auth service, history replies straight to a server) are accepted when
 * drawn and never required.
 */
import type { PubsubGraph, PubsubNodeKind } from '../pubsub.ts';
import { roleWords, type WbRole } from './names.ts';

/** A kind in the palette. */
export type ComponentKind = WbRole;

/** The palette, in the order it is offered, with what each kind is for. */
export const COMPONENT_PALETTE: readonly { readonly kind: ComponentKind; readonly label: string; readonly hint: string }[] = [
  { kind: 'client', label: 'Client app', hint: 'a user’s web or mobile app' },
  { kind: 'gateway', label: 'API gateway / LB', hint: 'terminates connections, routes users to servers' },
  { kind: 'ws-server', label: 'WebSocket server', hint: 'holds persistent client connections' },
  { kind: 'broker', label: 'Pub/Sub broker', hint: 'topics; fans each message out to subscribed servers' },
  { kind: 'chat', label: 'Chat service', hint: 'validates, authorizes, sequences, persists, publishes' },
  { kind: 'db', label: 'Database', hint: 'message history, users, channels' },
  { kind: 'directory', label: 'Directory', hint: 'which server holds which user' },
  { kind: 'sequencer', label: 'Sequencer', hint: 'global order numbers' },
  { kind: 'presence', label: 'Presence service', hint: 'online status, last seen' },
  { kind: 'notifier', label: 'Notification service', hint: 'push to offline users' },
  { kind: 'auth', label: 'Auth service', hint: 'logins and tokens' },
  { kind: 'limiter', label: 'Rate limiter', hint: 'refuses a user’s excess requests' },
  { kind: 'session-store', label: 'Session store', hint: 'connection state outside the servers' },
];

const KINDS: ReadonlySet<string> = new Set(COMPONENT_PALETTE.map((p) => p.kind));

/** A student's component graph, as the canvas holds it. */
export interface StudentComponentGraph {
  readonly nodes: readonly { readonly id: string; readonly kind: string; readonly label?: string }[];
  readonly edges: readonly { readonly source: string; readonly target: string; readonly label?: string }[];
}

/** One connection of the cluster, by kind, directed the way requests go. */
export interface ClusterConnection {
  readonly from: ComponentKind;
  readonly to: ComponentKind;
  /** The lab asks for it. */
  readonly required: boolean;
  /** What it carries, in the lab's words. */
  readonly what: string;
  /** Messages it carried in the run so far (both directions). */
  readonly messages: number;
  /** The pub/sub view's edges behind it, to highlight. */
  readonly edgeIds: readonly string[];
}

/** The cluster's components and connections, by kind. */
export interface ClusterComponents {
  /** Each kind present, with its nodes. */
  readonly kinds: readonly { readonly kind: ComponentKind; readonly nodes: readonly string[] }[];
  readonly connections: readonly ClusterConnection[];
  readonly hasBroker: boolean;
}

/** One difference. */
export interface ComponentFinding {
  /** A stable signature (`component-missing:broker`, `connection-reversed:chat>broker`). */
  readonly code: string;
  readonly kind: 'invalid' | 'component-missing' | 'component-extra' | 'single-server' | 'connection-missing' | 'connection-extra' | 'connection-reversed';
  readonly severity: 'error' | 'note';
  readonly title: string;
  readonly explanation: string;
  /** The student's node or edge it is about (`source>target` for an edge). */
  readonly studentRef: string | null;
  /** The pub/sub view's edge to highlight, when there is one. */
  readonly edgeId: string | null;
  /** Messages the real connection carried in the run. */
  readonly messages: number | null;
}

/** The result of a check. */
export interface ComponentCheck {
  readonly findings: readonly ComponentFinding[];
  readonly ok: boolean;
}

/** Request directions the lab names, with what they carry and when they are required. */
const CANON: readonly { readonly from: ComponentKind; readonly to: ComponentKind; readonly what: string; readonly need: 'always' | 'broker' | 'no-broker' | 'never' }[] = [
  { from: 'client', to: 'gateway', what: 'clients open their WebSocket to the gateway, which terminates it', need: 'always' },
  { from: 'gateway', to: 'ws-server', what: 'the gateway routes each connection to one WebSocket server of the cluster', need: 'always' },
  { from: 'ws-server', to: 'chat', what: 'servers hand each message sent to the chat service', need: 'always' },
  { from: 'chat', to: 'db', what: 'the chat service persists messages (and reads history)', need: 'always' },
  { from: 'chat', to: 'broker', what: 'the chat service publishes each stored message to its channel’s topic', need: 'broker' },
  { from: 'ws-server', to: 'broker', what: 'each server subscribes to the topics of its connected users’ channels', need: 'broker' },
  { from: 'broker', to: 'ws-server', what: 'the broker fans each message out to every subscribed server', need: 'broker' },
  { from: 'ws-server', to: 'directory', what: 'with no broker, servers look up which server holds each member', need: 'no-broker' },
  { from: 'ws-server', to: 'ws-server', what: 'with no broker, servers send each message straight to the servers that hold members', need: 'no-broker' },
  { from: 'gateway', to: 'auth', what: 'logins go through the gateway to the auth service', need: 'never' },
  { from: 'chat', to: 'sequencer', what: 'the chat service asks the sequencer for global order numbers', need: 'never' },
  { from: 'ws-server', to: 'presence', what: 'servers report connects and heartbeats to the presence service', need: 'never' },
  { from: 'presence', to: 'ws-server', what: 'the presence service pushes status changes to servers', need: 'never' },
  { from: 'chat', to: 'notifier', what: 'the chat service hands messages for offline users to the notification service', need: 'never' },
  { from: 'gateway', to: 'limiter', what: 'the gateway asks the rate limiter before passing a request on', need: 'never' },
  { from: 'ws-server', to: 'limiter', what: 'servers ask the rate limiter before passing a message on', need: 'never' },
  { from: 'chat', to: 'limiter', what: 'the chat service asks the rate limiter before accepting a message', need: 'never' },
  { from: 'ws-server', to: 'session-store', what: 'stateless servers keep connection state in the session store', need: 'never' },
];

const canonOf = (a: string, b: string) => CANON.find((c) => c.from === a && c.to === b);
const pairKey = (a: string, b: string): string => `${a}>${b}`;

function kindOfNode(kind: PubsubNodeKind): ComponentKind | null {
  // Topics and a Kafka-like log's partitions live inside the broker.
  if (kind === 'topic' || kind === 'partition') return 'broker';
  if (kind === 'client-group' || kind === 'fleet') return 'client';
  if (kind === 'other') return null;
  return kind;
}

/**
 * The cluster's components and connections by kind, from the pub/sub view of a run.
 *
 * @example
 * const cluster = clusterComponentsOf(frame.graph);
 * cluster.connections.find((c) => c.from === 'chat' && c.to === 'broker')?.messages; // 57
 */
export function clusterComponentsOf(graph: PubsubGraph): ClusterComponents {
  const kindOf = new Map<string, ComponentKind>();
  const kinds = new Map<ComponentKind, string[]>();
  for (const n of graph.nodes) {
    const k = kindOfNode(n.data.kind);
    if (k === null) continue;
    kindOf.set(n.id, k);
    if (n.data.kind === 'topic' || n.data.kind === 'partition') continue;
    const list = kinds.get(k) ?? [];
    list.push(n.id);
    kinds.set(k, list);
  }
  const hasBroker = kinds.has('broker');
  const acc = new Map<string, { from: ComponentKind; to: ComponentKind; messages: number; edgeIds: string[] }>();
  for (const e of graph.edges) {
    const a = kindOf.get(e.source);
    const b = kindOf.get(e.target);
    if (a === undefined || b === undefined || (a === b && a !== 'ws-server')) continue;
    // A reply travels the request's connection: fold it into the lab's direction.
    const [from, to] = canonOf(a, b) === undefined && canonOf(b, a) !== undefined ? [b, a] : [a, b];
    const key = pairKey(from, to);
    const c = acc.get(key) ?? { from, to, messages: 0, edgeIds: [] };
    c.messages += e.data.messages;
    c.edgeIds.push(e.id);
    acc.set(key, c);
  }
  const connections: ClusterConnection[] = [...acc.values()].map((c) => {
    const canon = canonOf(c.from, c.to);
    const required = canon !== undefined && (canon.need === 'always' || (canon.need === 'broker' && hasBroker) || (canon.need === 'no-broker' && !hasBroker));
    return { ...c, required, what: canon?.what ?? `${roleWords(c.from)} and ${roleWords(c.to)} exchange messages` };
  });
  connections.sort((x, y) => (pairKey(x.from, x.to) < pairKey(y.from, y.to) ? -1 : 1));
  return {
    kinds: [...kinds.entries()].map(([kind, nodes]) => ({ kind, nodes })).sort((x, y) => (x.kind < y.kind ? -1 : 1)),
    connections,
    hasBroker,
  };
}

const REQUIRED_KINDS: readonly ComponentKind[] = ['client', 'gateway', 'ws-server', 'chat', 'db'];

/** Why a kind matters, for a missing one. */
function kindWhy(kind: ComponentKind): string {
  switch (kind) {
    case 'client':
      return 'The diagram starts at the users’ apps that hold the connections.';
    case 'gateway':
      return 'The gateway / load balancer is where connections end and are spread over the servers.';
    case 'ws-server':
      return 'The WebSocket servers hold the persistent connections; they are what the broker fans out to.';
    case 'chat':
      return 'The chat service is where a message is validated, ordered and persisted before it is published.';
    case 'db':
      return 'Without a database there is no history: the "no persistence" pitfall.';
    case 'broker':
      return 'The pub/sub broker is the heart of this diagram: one publish per message, and the broker delivers it to every subscribed server. Without it, each server must call the others (the "no pub/sub" pitfall).';
    case 'directory':
      return 'With no broker, servers find each other through the directory of who is connected where.';
    default:
      return `${roleWords(kind)} is part of this cluster.`;
  }
}

/** Why a connection the run never had is wrong, for the common cases. */
function extraWhy(a: ComponentKind, b: ComponentKind, hasBroker: boolean): string {
  if (a === 'client' && b === 'ws-server') return 'In this cluster clients never reach a server directly: the gateway terminates their connections and routes them.';
  if (a === 'client') return `Clients only talk to the gateway; they never reach ${roleWords(b)} themselves.`;
  if (b === 'client' && a !== 'gateway') return `Nothing reaches a client except through the gateway that holds its connection; ${roleWords(a)} never pushes to one.`;
  if (a === 'chat' && b === 'ws-server' && hasBroker) return 'The chat service does not push messages to servers: it publishes to the broker, which fans out. Pushing directly couples it to every server (the "no pub/sub" pitfall).';
  if ((a === 'ws-server' || a === 'gateway') && b === 'db') return 'Servers do not write to the database: the chat service persists each message.';
  if (a === 'ws-server' && b === 'ws-server' && hasBroker) return 'With a broker, servers never call each other: each subscribes to topics and the broker fans out.';
  if (a === 'broker' && b === 'chat') return 'The broker does not call the chat service: the chat service publishes to it.';
  return `In the run, ${roleWords(a)} and ${roleWords(b)} never exchanged a message.`;
}

function validate(student: StudentComponentGraph): ComponentFinding[] {
  const out: ComponentFinding[] = [];
  const ids = new Set<string>();
  for (const n of student.nodes) {
    if (!KINDS.has(n.kind)) {
      out.push({ code: `invalid:node:${n.id}`, kind: 'invalid', severity: 'error', title: `Component "${n.label ?? n.id}" has an unknown kind`, explanation: `Its kind "${n.kind}" is not one of the palette's: ${[...KINDS].join(', ')}.`, studentRef: n.id, edgeId: null, messages: null });
    }
    ids.add(n.id);
  }
  for (const e of student.edges) {
    for (const end of [e.source, e.target]) {
      if (!ids.has(end)) {
        out.push({ code: `invalid:edge:${e.source}>${e.target}`, kind: 'invalid', severity: 'error', title: `A connection ends at "${end}", which is not on the canvas`, explanation: 'Delete the connection or draw the component again.', studentRef: `${e.source}>${e.target}`, edgeId: null, messages: null });
      }
    }
  }
  return out;
}

/**
 * Compares a student's component graph with the cluster's.
 *
 * @example
 * compareComponents({ nodes: [{ id: 'a', kind: 'client' }], edges: [] }, cluster).findings[0]?.code; // 'component-missing:gateway'
 */
export function compareComponents(student: StudentComponentGraph, cluster: ClusterComponents): ComponentCheck {
  const invalid = validate(student);
  if (invalid.length > 0) return { findings: invalid, ok: false };
  const findings: ComponentFinding[] = [];
  const realKinds = new Map(cluster.kinds.map((k) => [k.kind, k.nodes] as const));
  const kindOfStudent = new Map(student.nodes.map((n) => [n.id, n.kind as ComponentKind] as const));
  const studentKinds = new Set(kindOfStudent.values());

  const required = [...REQUIRED_KINDS, ...(cluster.hasBroker ? (['broker'] as const) : realKinds.has('directory') ? (['directory'] as const) : [])];
  for (const k of required) {
    if (studentKinds.has(k) || !realKinds.has(k)) continue;
    const conn = cluster.connections.find((c) => c.from === k || c.to === k);
    findings.push({ code: `component-missing:${k}`, kind: 'component-missing', severity: 'error', title: `Missing: ${roleWords(k)}`, explanation: kindWhy(k), studentRef: null, edgeId: conn?.edgeIds[0] ?? null, messages: conn?.messages ?? null });
  }
  for (const k of [...studentKinds].sort()) {
    if (realKinds.has(k)) continue;
    const ref = student.nodes.find((n) => n.kind === k);
    findings.push({
      code: `component-extra:${k}`,
      kind: 'component-extra',
      severity: 'error',
      title: `${ref?.label ?? cap(roleWords(k))}: not in this cluster`,
      explanation: k === 'broker' ? 'This run is the no-broker design: servers find each other through a directory and send directly.' : `This cluster has no ${roleWords(k).replace(/^the |^a /, '')}.`,
      studentRef: ref?.id ?? null,
      edgeId: null,
      messages: null,
    });
  }
  const servers = student.nodes.filter((n) => n.kind === 'ws-server').length;
  const realServers = realKinds.get('ws-server')?.length ?? 0;
  if (servers === 1 && realServers > 1) {
    findings.push({ code: 'single-server', kind: 'single-server', severity: 'note', title: 'One WebSocket server', explanation: `The run has ${realServers} servers behind the gateway; draw the tier as a cluster, since fan-out is about reaching the servers that hold the members.`, studentRef: null, edgeId: null, messages: null });
  }

  // Connections by kind. Edges touching a kind the run lacks were reported with the kind.
  const real = new Map(cluster.connections.map((c) => [pairKey(c.from, c.to), c] as const));
  const drawn = new Set<string>();
  for (const e of student.edges) {
    const a = kindOfStudent.get(e.source);
    const b = kindOfStudent.get(e.target);
    if (a === undefined || b === undefined || (e.source === e.target)) continue;
    if (!realKinds.has(a) || !realKinds.has(b)) continue;
    drawn.add(pairKey(a, b));
  }
  const reversedOf = new Set<string>();
  for (const key of [...drawn].sort()) {
    const [a, b] = key.split('>') as [ComponentKind, ComponentKind];
    // Pushing from the chat service to the servers, with no broker drawn, is the pitfall itself,
    // even though the run's chat service does answer each server's submit on that connection.
    const pitfall = a === 'chat' && b === 'ws-server' && cluster.hasBroker && !studentKinds.has('broker');
    if (real.has(key) && !pitfall) continue;
    const back = real.get(pairKey(b, a));
    if (back !== undefined && !pitfall && canonOf(b, a) !== undefined) {
      // The reply direction drawn beside its request is fine.
      if (drawn.has(pairKey(b, a))) continue;
      reversedOf.add(pairKey(b, a));
      findings.push({ code: `connection-reversed:${key}`, kind: 'connection-reversed', severity: 'error', title: cap(`${roleWords(a)} → ${roleWords(b)} points the wrong way`), explanation: `The requests go the other way: ${back.what} (${back.messages} messages in the run).`, studentRef: key, edgeId: back.edgeIds[0] ?? null, messages: back.messages });
      continue;
    }
    findings.push({ code: `connection-extra:${key}`, kind: 'connection-extra', severity: 'error', title: cap(`${roleWords(a)} → ${roleWords(b)}: no such connection`), explanation: extraWhy(a, b, cluster.hasBroker), studentRef: key, edgeId: null, messages: null });
  }
  for (const c of cluster.connections) {
    const key = pairKey(c.from, c.to);
    if (!c.required || drawn.has(key) || reversedOf.has(key)) continue;
    if (!studentKinds.has(c.from) || !studentKinds.has(c.to)) continue;
    findings.push({ code: `connection-missing:${key}`, kind: 'connection-missing', severity: 'error', title: `Missing: ${roleWords(c.from)} → ${roleWords(c.to)}`, explanation: `${cap(c.what)} (${c.messages} messages in the run).`, studentRef: null, edgeId: c.edgeIds[0] ?? null, messages: c.messages });
  }
  return { findings, ok: !findings.some((f) => f.severity === 'error') };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
