/**
 * The lab's second diagram: the pub/sub component view with live fan-out, as React Flow–shaped
 * plain data (nodes with positions, edges with counters). Trace → node set and layout (from the
 * whole trace, so positions never move while playback runs) → state at `atMs` (status, counters,
 * subscriptions, cut links).
 *
 * Topics are drawn as their own nodes under the broker: the chat service publishes to a topic,
 * and each topic delivers to the servers subscribed to it (from `broker/subscribed` /
 * `broker/unsubscribed`), which is the fan-out the lab asks to see.
 */
import type { TraceEvent } from '../sim/index.ts';
import { faultStateAt, linkKey } from './faults.ts';
import { brokerFlavorOf, compareIds, nodeKindsOf, nodeLabel, PSEUDO_NODES, roleOf, userOfClient, type NodeRole } from './roles.ts';
import { rec, wireType } from './wire.ts';

/** What a graph node stands for: a cluster role, a broker topic, or a group of clients. */
export type PubsubNodeKind = NodeRole | 'topic' | 'client-group';

/** What a graph edge carries. */
export type PubsubEdgeKind = 'publish' | 'subscribe' | 'deliver' | 'proxy' | 'rpc';

/** A node's state at `atMs`. */
export interface PubsubNodeData {
  readonly label: string;
  readonly kind: PubsubNodeKind;
  /** `down`: crashed (or, for a client, not connected); `slow`: slowed by the operator. */
  readonly status: 'up' | 'down' | 'slow';
  /**
   * Inputs waiting in the node's CPU queue, when the trace says: a `cpu/inputDropped` within
   * `queueWindowMs` before `atMs` means the queue was full (its capacity). Null when unknown.
   */
  readonly queueDepth: number | null;
  /** Messages sent to this node and not yet delivered or dropped at `atMs`. */
  readonly inFlight: number;
  /** Network counters up to `atMs`. */
  readonly counters: {
    readonly sent: number;
    readonly received: number;
    readonly bytesSent: number;
    /** Messages to this node the network dropped (partition, node down, loss). */
    readonly dropped: number;
    /** Inputs its CPU threw away (queue full). */
    readonly inputsDropped: number;
  };
  /** How many times each of the node's own trace events happened (`ws/fannedOut`: 12, …). */
  readonly events: Readonly<Record<string, number>>;
  /** Broker and topics: the subscribed servers by topic. WS servers: the topics they subscribe to. */
  readonly topics?: readonly { readonly topic: string; readonly subscribers: readonly string[] }[];
  readonly subscriptions?: readonly string[];
  /** Topic nodes: the servers subscribed now. */
  readonly subscribers?: readonly string[];
  /** WS servers: open client connections. */
  readonly connections?: number;
  /** Clients: the server they are connected through, or null. Client groups: the members. */
  readonly server?: string | null;
  readonly members?: readonly string[];
  /** Client groups: members connected now. */
  readonly online?: number;
  /** Slowed nodes: the service-time factor. */
  readonly slowFactor?: number;
}

/** A React Flow node. `type` is the kind, for a custom node renderer per kind. */
export interface PubsubNode {
  readonly id: string;
  readonly type: PubsubNodeKind;
  readonly position: { readonly x: number; readonly y: number };
  readonly data: PubsubNodeData;
}

/** An edge's state at `atMs`. */
export interface PubsubEdgeData {
  readonly kind: PubsubEdgeKind;
  /** Messages sent along the edge up to `atMs`. */
  readonly messages: number;
  readonly bytes: number;
  /** When the last one was sent, or null. */
  readonly lastAt: number | null;
  /** Of those, how many the network dropped (partition, node down, loss). */
  readonly dropped: number;
  /** The operator cut this link (partition) and has not healed it. */
  readonly partitioned: boolean;
  /** Topic → server edges: the server is subscribed now. */
  readonly subscribed?: boolean;
}

/** A React Flow edge. */
export interface PubsubEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly data: PubsubEdgeData;
}

/** The graph at a moment. */
export interface PubsubGraph {
  readonly atMs: number;
  readonly nodes: readonly PubsubNode[];
  readonly edges: readonly PubsubEdge[];
  /** Every topic with its subscribers at `atMs`, also when topics are not drawn as nodes. */
  readonly topics: readonly { readonly topic: string; readonly subscribers: readonly string[] }[];
  /** True when clients were drawn as one group per server (more than `maxClients`). */
  readonly clientsGrouped: boolean;
}

/** Options of {@link pubsubGraph} and {@link flowsBetween}. */
export interface PubsubGraphOptions {
  /** The moment to show. Default: the last event's time. */
  readonly atMs?: number;
  /** Above this many clients, draw one "N clients" node per server instead. Default 24. */
  readonly maxClients?: number;
  /** Draw topics as nodes under the broker (Redis-like brokers only; a Kafka-like one routes by partition). Default true. */
  readonly topicNodes?: boolean;
  /** Above this many topics, list them in the broker's data instead of drawing them. Default 16. */
  readonly maxTopicNodes?: number;
  /** Horizontal distance between layout columns, in px. Default 260. */
  readonly columnGapPx?: number;
  /** Vertical distance between nodes of a column, in px. Default 90. */
  readonly rowGapPx?: number;
  /** How long after a CPU input drop the node's queue still counts as full, in ms. Default 1000. */
  readonly queueWindowMs?: number;
}

const DEFAULTS = { maxClients: 24, maxTopicNodes: 16, columnGapPx: 260, rowGapPx: 90, queueWindowMs: 1000 } as const;

/** Layout column of each role: clients on the left, storage on the right. */
const COLUMN: Readonly<Record<PubsubNodeKind, number>> = {
  client: 0,
  'client-group': 0,
  fleet: 0,
  gateway: 1,
  limiter: 1,
  'ws-server': 2,
  broker: 3,
  topic: 3,
  directory: 3,
  chat: 4,
  presence: 4,
  notifier: 4,
  sequencer: 5,
  db: 5,
  'session-store': 5,
  other: 6,
};

/** Order inside a column, before ids. */
const ROW_ORDER: Readonly<Record<PubsubNodeKind, number>> = {
  client: 0,
  'client-group': 0,
  fleet: 1,
  gateway: 0,
  limiter: 1,
  'ws-server': 0,
  broker: 0,
  topic: 1,
  directory: 2,
  chat: 0,
  presence: 1,
  notifier: 2,
  sequencer: 0,
  db: 1,
  'session-store': 2,
  other: 0,
};

const NO_SERVER = 'none';
const groupId = (server: string): string => `clients@${server}`;
const topicId = (topic: string): string => `topic:${topic}`;

/** The stable part of the graph: which nodes exist and how sends map onto edges. */
interface Model {
  readonly kinds: ReadonlyMap<string, string>;
  readonly nodeIds: readonly string[];
  readonly clients: readonly string[];
  readonly servers: readonly string[];
  readonly grouped: boolean;
  readonly topics: readonly string[];
  readonly topicNodes: boolean;
}

function modelOf(events: readonly TraceEvent[], options: PubsubGraphOptions): Model {
  const kinds = nodeKindsOf(events);
  const ids = new Set<string>(kinds.keys());
  const topics: string[] = [];
  const seenTopic = new Set<string>();
  const addTopic = (t: unknown): void => {
    if (typeof t === 'string' && !seenTopic.has(t)) {
      seenTopic.add(t);
      topics.push(t);
    }
  };
  for (const e of events) {
    if (e.type === 'net/messageSent') {
      ids.add(String(e.data['from'] ?? e.node));
      ids.add(String(e.data['to'] ?? ''));
      const msg = rec(e.data['msg']);
      if (msg?.['type'] === 'pub' || msg?.['type'] === 'msg') addTopic(msg['topic']);
    } else if (e.type === 'broker/subscribed' || e.type === 'broker/published') {
      addTopic(e.data['topic']);
    }
  }
  ids.delete('');
  for (const p of PSEUDO_NODES) ids.delete(p);
  const all = [...ids].sort(compareIds);
  const clients = all.filter((n) => roleOf(n, kinds) === 'client');
  const servers = all.filter((n) => roleOf(n, kinds) === 'ws-server');
  const hasBroker = all.some((n) => roleOf(n, kinds) === 'broker');
  return {
    kinds,
    nodeIds: all,
    clients,
    servers,
    grouped: clients.length > (options.maxClients ?? DEFAULTS.maxClients),
    topics,
    // A Kafka-like broker routes by partition, not by topic, so its subscriptions (partitions) and
    // its publishes (channels) do not meet in one node: it is drawn whole, with lists in its data.
    topicNodes:
      hasBroker &&
      brokerFlavorOf(events) === 'redis' &&
      options.topicNodes !== false &&
      topics.length <= (options.maxTopicNodes ?? DEFAULTS.maxTopicNodes),
  };
}

/** The kind of edge between two roles. */
function edgeKind(from: NodeRole, to: NodeRole): PubsubEdgeKind {
  const clientLike = (r: NodeRole): boolean => r === 'client' || r === 'fleet';
  if (clientLike(from) || clientLike(to)) return from === 'notifier' ? 'deliver' : 'proxy';
  if ((from === 'gateway' && to === 'ws-server') || (from === 'ws-server' && to === 'gateway')) return 'proxy';
  if (to === 'broker') return from === 'chat' ? 'publish' : 'subscribe';
  if (from === 'broker') return to === 'ws-server' ? 'deliver' : 'rpc';
  if (from === 'ws-server' && to === 'ws-server') return 'deliver';
  if ((from === 'presence' || from === 'notifier') && to === 'ws-server') return 'deliver';
  return 'rpc';
}

/** Tracks which server each client is connected through, event by event. */
class ClientServers {
  readonly server = new Map<string, string | null>();
  observe(e: TraceEvent): void {
    const user = typeof e.data['user'] === 'string' ? e.data['user'] : null;
    if (user === null) return;
    if (e.type === 'client/connected') this.server.set(`c-${user}`, typeof e.data['server'] === 'string' ? e.data['server'] : null);
    else if (e.type === 'client/disconnected' || e.type === 'client/wentOffline') this.server.set(`c-${user}`, null);
  }
  of(client: string): string | null {
    return this.server.get(client) ?? null;
  }
}

/** The drawn endpoints of a send: the real nodes, or a client group, or a topic. */
function drawnEdge(
  model: Model,
  e: TraceEvent,
  clientServers: ClientServers,
): { source: string; target: string; kind: PubsubEdgeKind; from: string; to: string } {
  const from = String(e.data['from'] ?? e.node);
  const to = String(e.data['to'] ?? '');
  const msg = rec(e.data['msg']);
  const rf = roleOf(from, model.kinds);
  const rt = roleOf(to, model.kinds);
  if (model.topicNodes && typeof msg?.['topic'] === 'string') {
    if (wireType(msg) === 'pub' && rt === 'broker') return { source: from, target: topicId(msg['topic']), kind: 'publish', from, to };
    if (wireType(msg) === 'msg' && rf === 'broker') return { source: topicId(msg['topic']), target: to, kind: 'deliver', from, to };
  }
  const draw = (n: string, role: NodeRole): string => (model.grouped && role === 'client' ? groupId(clientServers.of(n) ?? NO_SERVER) : n);
  return { source: draw(from, rf), target: draw(to, rt), kind: edgeKind(rf, rt), from, to };
}

const edgeId = (source: string, target: string): string => `${source}->${target}`;

interface EdgeAcc {
  source: string;
  target: string;
  kind: PubsubEdgeKind;
  messages: number;
  bytes: number;
  lastAt: number | null;
  dropped: number;
  /** Underlying directed links, to tell whether any is cut. */
  links: Set<string>;
}

/**
 * The pub/sub component graph at `atMs`: clients (grouped per server above `maxClients`), the
 * gateway, the WebSocket servers, the broker with its topics, the chat service, database and
 * whatever else the trace shows (sequencer, directory, presence, notifications), with message
 * and byte counters per edge, nodes down while crashed, links flagged while partitioned, and a
 * layered layout (columns by role) computed from the whole trace so nodes never move between
 * frames. Defaults: `atMs` the last event, `maxClients` 24, `topicNodes` true, `maxTopicNodes`
 * 16, `columnGapPx` 260, `rowGapPx` 90, `queueWindowMs` 1000.
 *
 * @example
 * const { nodes, edges } = pubsubGraph(trace.events, { atMs: 20_000 });
 * nodes.find((n) => n.id === 'ws-2')?.data.status; // 'down' during crash-at-least-once
 * edges.find((e) => e.id === 'topic:g1->ws-1')?.data.subscribed; // true
 */
export function pubsubGraph(events: readonly TraceEvent[], options: PubsubGraphOptions = {}): PubsubGraph {
  const model = modelOf(events, options);
  const last = events.length === 0 ? 0 : (events[events.length - 1] as TraceEvent).at;
  const atMs = options.atMs ?? last;
  const queueWindowMs = options.queueWindowMs ?? DEFAULTS.queueWindowMs;
  const broker = brokerFlavorOf(events);

  // ---- state at atMs --------------------------------------------------------------------------
  const clientServers = new ClientServers();
  const subs = new Map<string, Set<string>>(model.topics.map((t) => [t, new Set<string>()]));
  const nodeEvents = new Map<string, Record<string, number>>();
  const sent = new Map<string, number>();
  const bytesSent = new Map<string, number>();
  const received = new Map<string, number>();
  const dropped = new Map<string, number>();
  const cpuDropped = new Map<string, number>();
  const lastCpuDrop = new Map<string, TraceEvent>();
  const connections = new Map<string, number>();
  const pending = new Map<number, { to: string; edge: EdgeAcc }>();
  const edges = new Map<string, EdgeAcc>();
  const inc = (m: Map<string, number>, k: string, by = 1): void => {
    m.set(k, (m.get(k) ?? 0) + by);
  };
  const touch = (source: string, target: string, kind: PubsubEdgeKind): EdgeAcc => {
    const id = edgeId(source, target);
    let acc = edges.get(id);
    if (acc === undefined) {
      acc = { source, target, kind, messages: 0, bytes: 0, lastAt: null, dropped: 0, links: new Set() };
      edges.set(id, acc);
    }
    return acc;
  };

  // The edge set comes from the whole trace (stable between frames); counters only from atMs.
  const fullServers = new ClientServers();
  for (const e of events) {
    fullServers.observe(e);
    if (e.type === 'net/messageSent') {
      const d = drawnEdge(model, e, fullServers);
      touch(d.source, d.target, d.kind).links.add(linkKey(d.from, d.to));
    } else if (e.type === 'broker/subscribed' && model.topicNodes) {
      const server = String(e.data['server']);
      touch(topicId(String(e.data['topic'])), server, 'deliver').links.add(linkKey(e.node, server));
    } else if (e.type === 'op/partitioned') {
      const op = rec(e.data['op']);
      const names = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : []);
      for (const a of names(op?.['a'])) {
        for (const b of names(op?.['b'])) {
          for (const [x, y] of op?.['oneWay'] === true ? [[a, b]] : [[a, b], [b, a]]) {
            const fake = { ...e, data: { from: x, to: y, msg: null } } as TraceEvent;
            const d = drawnEdge(model, fake, fullServers);
            if (model.nodeIds.includes(x) && model.nodeIds.includes(y)) touch(d.source, d.target, d.kind).links.add(linkKey(x, y));
          }
        }
      }
    }
  }

  for (const e of events) {
    if (e.at > atMs) break;
    clientServers.observe(e);
    switch (e.type) {
      case 'net/messageSent': {
        const d = drawnEdge(model, e, clientServers);
        const acc = touch(d.source, d.target, d.kind);
        const bytes = typeof e.data['bytes'] === 'number' ? e.data['bytes'] : 0;
        acc.messages++;
        acc.bytes += bytes;
        acc.lastAt = e.at;
        inc(sent, d.from);
        inc(bytesSent, d.from, bytes);
        pending.set(e.seq, { to: d.to, edge: acc });
        continue;
      }
      case 'net/messageDelivered':
        inc(received, e.node);
        // A duplicated message is delivered twice but was in flight once: deleting is idempotent.
        if (e.causeSeq !== null) pending.delete(e.causeSeq);
        continue;
      case 'net/messageDropped': {
        inc(dropped, String(e.data['to']));
        const p = e.causeSeq === null ? undefined : pending.get(e.causeSeq);
        if (p !== undefined) p.edge.dropped++;
        if (e.causeSeq !== null) pending.delete(e.causeSeq);
        continue;
      }
      case 'cpu/inputDropped':
        inc(cpuDropped, e.node);
        lastCpuDrop.set(e.node, e);
        continue;
      case 'broker/subscribed': {
        const topic = String(e.data['topic']);
        const set = subs.get(topic) ?? new Set<string>();
        set.add(String(e.data['server']));
        subs.set(topic, set);
        break;
      }
      case 'broker/unsubscribed':
      case 'broker/subscriberCutOff': {
        // A cut-off subscriber loses every subscription at once.
        const server = String(e.data['server']);
        if (e.type === 'broker/subscriberCutOff') for (const set of subs.values()) set.delete(server);
        else subs.get(String(e.data['topic']))?.delete(server);
        break;
      }
      case 'ws/connectionOpened':
      case 'ws/connectionClosed':
        if (typeof e.data['connections'] === 'number') connections.set(e.node, e.data['connections']);
        break;
      case 'op/crashed':
        // A crashed server loses its connections and the broker forgets its subscriptions only
        // when it notices; the node itself holds nothing any more.
        if (typeof rec(e.data['op'])?.['node'] === 'string') connections.set(String(rec(e.data['op'])?.['node']), 0);
        break;
    }
    if (e.type.startsWith('node/') || e.type.startsWith('net/')) continue;
    const counts = nodeEvents.get(e.node) ?? {};
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    nodeEvents.set(e.node, counts);
  }
  const faults = faultStateAt(events, atMs);
  const inFlight = new Map<string, number>();
  for (const { to } of pending.values()) inc(inFlight, to);

  // ---- nodes ------------------------------------------------------------------------------------
  const topicList = [...subs].map(([topic, set]) => ({ topic, subscribers: [...set].sort(compareIds) }));
  const subscriptionsOf = (server: string): string[] => topicList.filter((t) => t.subscribers.includes(server)).map((t) => t.topic);
  const queueOf = (n: string): number | null => {
    const d = lastCpuDrop.get(n);
    return d !== undefined && atMs - d.at <= queueWindowMs && typeof d.data['queueCapacity'] === 'number' ? d.data['queueCapacity'] : null;
  };
  const statusOf = (n: string): 'up' | 'down' | 'slow' => (faults.down.has(n) ? 'down' : faults.slow.has(n) ? 'slow' : 'up');
  const baseData = (n: string) => ({
    queueDepth: queueOf(n),
    inFlight: inFlight.get(n) ?? 0,
    counters: {
      sent: sent.get(n) ?? 0,
      received: received.get(n) ?? 0,
      bytesSent: bytesSent.get(n) ?? 0,
      dropped: dropped.get(n) ?? 0,
      inputsDropped: cpuDropped.get(n) ?? 0,
    },
    events: nodeEvents.get(n) ?? {},
  });

  type Draft = { id: string; kind: PubsubNodeKind; data: PubsubNodeData; order: number };
  const drafts: Draft[] = [];
  for (const n of model.nodeIds) {
    const role = roleOf(n, model.kinds);
    if (role === 'client' && model.grouped) continue;
    const extra: Partial<PubsubNodeData> = {};
    let status = statusOf(n);
    if (role === 'client') {
      const server = clientServers.of(n);
      (extra as { server?: string | null }).server = server;
      if (server === null && status === 'up') status = 'down';
    } else if (role === 'ws-server') {
      Object.assign(extra, { subscriptions: subscriptionsOf(n), connections: connections.get(n) ?? 0 });
    } else if (role === 'broker') {
      Object.assign(extra, { topics: topicList });
    }
    const slowFactor = faults.slow.get(n);
    if (slowFactor !== undefined) Object.assign(extra, { slowFactor });
    drafts.push({ id: n, kind: role, order: ROW_ORDER[role], data: { label: nodeLabel(n, role, { broker }), kind: role, status, ...baseData(n), ...extra } });
  }
  if (model.grouped) {
    for (const server of [...model.servers, NO_SERVER]) {
      const members = model.clients.filter((c) => (clientServers.of(c) ?? NO_SERVER) === server);
      const online = server === NO_SERVER ? 0 : members.length;
      const sum = (m: Map<string, number>): number => members.reduce((acc, c) => acc + (m.get(c) ?? 0), 0);
      const groupEvents: Record<string, number> = {};
      for (const c of members) for (const [k, v] of Object.entries(nodeEvents.get(c) ?? {})) groupEvents[k] = (groupEvents[k] ?? 0) + v;
      drafts.push({
        id: groupId(server),
        kind: 'client-group',
        order: server === NO_SERVER ? 1 : 0,
        data: {
          label: server === NO_SERVER ? `${members.length} clients offline` : `${members.length} clients on ${server}`,
          kind: 'client-group',
          status: members.length > 0 && server !== NO_SERVER ? 'up' : 'down',
          queueDepth: null,
          inFlight: sum(inFlight),
          counters: { sent: sum(sent), received: sum(received), bytesSent: sum(bytesSent), dropped: sum(dropped), inputsDropped: sum(cpuDropped) },
          events: groupEvents,
          server: server === NO_SERVER ? null : server,
          members: members.map((c) => userOfClient(c) ?? c),
          online,
        },
      });
    }
  }
  if (model.topicNodes) {
    const brokerDown = [...faults.down.keys()].some((n) => roleOf(n, model.kinds) === 'broker');
    for (const t of topicList) {
      drafts.push({
        id: topicId(t.topic),
        kind: 'topic',
        order: ROW_ORDER.topic,
        data: {
          label: `topic ${t.topic}`,
          kind: 'topic',
          status: brokerDown ? 'down' : 'up',
          queueDepth: null,
          inFlight: 0,
          counters: { sent: 0, received: 0, bytesSent: 0, dropped: 0, inputsDropped: 0 },
          events: {},
          subscribers: t.subscribers,
        },
      });
    }
  }

  // ---- layout: columns by role, rows in a fixed order, each column centred on the tallest ------
  const colGap = options.columnGapPx ?? DEFAULTS.columnGapPx;
  const rowGap = options.rowGapPx ?? DEFAULTS.rowGapPx;
  const columns = new Map<number, Draft[]>();
  for (const d of drafts) {
    const col = COLUMN[d.kind];
    const list = columns.get(col) ?? [];
    list.push(d);
    columns.set(col, list);
  }
  const topicRank = new Map(model.topics.map((t, i) => [topicId(t), i]));
  for (const list of columns.values()) {
    list.sort(
      (a, b) =>
        a.order - b.order ||
        (a.kind === 'topic' && b.kind === 'topic' ? (topicRank.get(a.id) ?? 0) - (topicRank.get(b.id) ?? 0) : 0) ||
        compareIds(a.id, b.id),
    );
  }
  const tallest = Math.max(1, ...[...columns.values()].map((l) => l.length));
  const usedColumns = [...columns.keys()].sort((a, b) => a - b);
  const nodes: PubsubNode[] = [];
  usedColumns.forEach((col, xIndex) => {
    const list = columns.get(col) as Draft[];
    const offset = ((tallest - list.length) * rowGap) / 2;
    list.forEach((d, row) => {
      nodes.push({ id: d.id, type: d.kind, position: { x: xIndex * colGap, y: offset + row * rowGap }, data: d.data });
    });
  });

  // ---- edges ------------------------------------------------------------------------------------
  const drawnIds = new Set(nodes.map((n) => n.id));
  const subscribedNow = new Set(topicList.flatMap((t) => t.subscribers.map((s) => edgeId(topicId(t.topic), s))));
  const outEdges: PubsubEdge[] = [...edges.entries()]
    .filter(([, acc]) => drawnIds.has(acc.source) && drawnIds.has(acc.target))
    .sort(([a], [b]) => compareIds(a, b))
    .map(([id, acc]) => ({
      id,
      source: acc.source,
      target: acc.target,
      data: {
        kind: acc.kind,
        messages: acc.messages,
        bytes: acc.bytes,
        lastAt: acc.lastAt,
        dropped: acc.dropped,
        partitioned: [...acc.links].some((l) => faults.cuts.has(l)),
        ...(acc.source.startsWith('topic:') ? { subscribed: subscribedNow.has(id) } : {}),
      },
    }));
  return { atMs, nodes, edges: outEdges, topics: topicList, clientsGrouped: model.grouped };
}

/** One edge's traffic in a time slice. */
export interface EdgeFlow {
  readonly edgeId: string;
  readonly source: string;
  readonly target: string;
  readonly kind: PubsubEdgeKind;
  readonly count: number;
  readonly bytes: number;
}

/**
 * The messages sent along each edge of {@link pubsubGraph} in `[fromMs, toMs)`, for animating
 * traffic frame by frame. Pass the same options as to the graph so the edge ids match.
 *
 * @example
 * flowsBetween(trace.events, 7_000, 7_100);
 * // [{ edgeId: 'c-u1->gw', source: 'c-u1', target: 'gw', kind: 'proxy', count: 1, bytes: 174 }, …]
 */
export function flowsBetween(events: readonly TraceEvent[], fromMs: number, toMs: number, options: PubsubGraphOptions = {}): EdgeFlow[] {
  const model = modelOf(events, options);
  const clientServers = new ClientServers();
  const flows = new Map<string, { source: string; target: string; kind: PubsubEdgeKind; count: number; bytes: number }>();
  for (const e of events) {
    if (e.at >= toMs) break;
    clientServers.observe(e);
    if (e.type !== 'net/messageSent' || e.at < fromMs) continue;
    const d = drawnEdge(model, e, clientServers);
    const id = edgeId(d.source, d.target);
    const f = flows.get(id) ?? { source: d.source, target: d.target, kind: d.kind, count: 0, bytes: 0 };
    f.count++;
    f.bytes += typeof e.data['bytes'] === 'number' ? e.data['bytes'] : 0;
    flows.set(id, f);
  }
  return [...flows.entries()].sort(([a], [b]) => compareIds(a, b)).map(([edgeId, f]) => ({ edgeId, ...f }));
}
