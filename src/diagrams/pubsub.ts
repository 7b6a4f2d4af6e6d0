/**
 * The lab's second diagram: the pub/sub component view with live fan-out, as React Flow–shaped
 * plain data (nodes with positions, edges with counters). Trace → node set and layout (from the
 * whole trace, so positions never move while playback runs) → state at `atMs` (status, counters,
 * subscriptions, cut links).
 *
 * The state is kept incrementally ({@link PubsubState}): each event updates counters in constant
 * time, and drawing the graph costs the size of the cluster, not the length of the run. The
 * workbench keeps one live; {@link pubsubGraph} builds one for a list of events.
 *
 * Topics are drawn as their own nodes under the broker: the chat service publishes to a topic,
 * and each topic delivers to the servers subscribed to it (from `broker/subscribed` /
 * `broker/unsubscribed`), which is the fan-out the lab asks to see.
 *
 * A Kafka-like broker keeps a log instead (ADR 0024): the chat service publishes to a topic, the
 * topic's records are appended to one partition, and each server reads the partitions it needs
 * from its committed offset. It is drawn as topics → partitions (each with its log end offset and
 * the records it holds) → servers, each partition → server edge carrying that consumer's committed
 * offset and lag at the moment shown ({@link PartitionLogs}).
 */
import { readWire, type TraceEvent } from '../sim/index.ts';
import { faultStateAt, linkKey } from './faults.ts';
import { brokerFlavorShownBy, compareIds, nodeLabel, PSEUDO_NODES, roleOf, userOfClient, type BrokerFlavor, type NodeRole } from './roles.ts';
import { lowerBoundByTime, type OpEvent } from './traceIndex.ts';
import { partitionOfSubscription, PartitionLogs, type PartitionConsumer, type PartitionLog } from './pubsubLog.ts';

export type { PartitionConsumer, PartitionLog } from './pubsubLog.ts';

/** What a graph node stands for: a cluster role, a broker topic, a partition of a Kafka-like log, or a group of clients. */
export type PubsubNodeKind = NodeRole | 'topic' | 'partition' | 'client-group';

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
  /** Topic nodes: the servers subscribed now (Kafka-like: the servers reading the topic's partition). */
  readonly subscribers?: readonly string[];
  /** Kafka-like topic nodes: the partition its records are appended to (null before the first). */
  readonly partition?: number | null;
  /** Kafka-like partition nodes: the log and its consumers. */
  readonly log?: PartitionLog;
  /** Kafka-like WS servers: the partitions it reads, with its committed offset and lag on each. */
  readonly consumes?: readonly PartitionConsumer[];
  /** WS servers: open client connections. */
  readonly connections?: number;
  /**
   * WS servers taken out of service by the operator (ADR 0014): `draining` (out of the gateway's
   * rotation, closing its connections), `stopped` (back in the spare pool; its status is `down`).
   * Absent while it serves. A spare that was never added is not drawn at all.
   */
  readonly service?: 'draining' | 'stopped';
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
  /** Topic → server edges: the server is subscribed now (Kafka-like partition → server: it reads the partition now). */
  readonly subscribed?: boolean;
  /** Kafka-like partition → server edges: the server's committed offset and lag on the partition, while it reads it. */
  readonly consumer?: PartitionConsumer;
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
  /** Kafka-like: every partition with records or consumers, also when not drawn as nodes; empty otherwise. */
  readonly partitions: readonly PartitionLog[];
}

/** Options of {@link pubsubGraph} and {@link flowsBetween}. */
export interface PubsubGraphOptions {
  /** The moment to show. Default: the last event's time. */
  readonly atMs?: number;
  /** Above this many clients, draw one "N clients" node per server instead. Default 24. */
  readonly maxClients?: number;
  /** Draw topics as nodes under the broker (with a Kafka-like one, only when its partitions are drawn too). Default true. */
  readonly topicNodes?: boolean;
  /** Above this many topics, list them in the broker's data instead of drawing them. Default 16. */
  readonly maxTopicNodes?: number;
  /** Kafka-like: above this many partitions in use, list them in the graph's `partitions` instead of drawing them. Default 32. */
  readonly maxPartitionNodes?: number;
  /** Horizontal distance between layout columns, in px. Default 260. */
  readonly columnGapPx?: number;
  /** Vertical distance between nodes of a column, in px. Default 90. */
  readonly rowGapPx?: number;
  /** How long after a CPU input drop the node's queue still counts as full, in ms. Default 1000. */
  readonly queueWindowMs?: number;
}

const DEFAULTS = { maxClients: 24, maxTopicNodes: 16, maxPartitionNodes: 32, columnGapPx: 260, rowGapPx: 90, queueWindowMs: 1000 } as const;

/** Layout column of each role: clients on the left, storage on the right. */
const COLUMN: Readonly<Record<PubsubNodeKind, number>> = {
  client: 0,
  'client-group': 0,
  fleet: 0,
  gateway: 1,
  auth: 1,
  limiter: 1,
  'ws-server': 2,
  broker: 3,
  topic: 3,
  partition: 3,
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
  auth: 2,
  limiter: 1,
  'ws-server': 0,
  broker: 0,
  topic: 1,
  partition: 1,
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
const partitionId = (p: number): string => `partition:${p}`;
/**
 * With a Kafka-like log, topics sit in a column of their own between the broker's (the broker and
 * its partitions) and the chat service's, so a record runs right to left: chat → topic → partition
 * → server, without crossing the partitions.
 */
const KAFKA_TOPIC_COLUMN = 3.5;

/** Which nodes exist and how sends map onto edges, as far as the trace has shown. */
interface ModelFlags {
  readonly grouped: boolean;
  readonly topicNodes: boolean;
  /** A Kafka-like broker whose partitions are drawn as nodes. */
  readonly partitionNodes: boolean;
}

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

const edgeId = (source: string, target: string): string => `${source}->${target}`;

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

/** Follows which server each client is connected through. */
function trackClient(servers: Map<string, string | null>, e: TraceEvent): void {
  if (e.type === 'client/connected') servers.set(`c-${e.data.user}`, e.data.server);
  else if (e.type === 'client/disconnected' || e.type === 'client/wentOffline') servers.set(`c-${e.data.user}`, null);
}

const inc = (m: Map<string, number>, k: string, by = 1): void => {
  m.set(k, (m.get(k) ?? 0) + by);
};

/**
 * The pub/sub view of a trace, kept up to date event by event. Events up to the moment shown are
 * *counted* (they move counters, subscriptions and the state of links); events after it, when a
 * caller has them, only *shape* the graph (nodes, topics and edges exist from the start, so the
 * layout never moves while playback runs).
 *
 * @example
 * const state = new PubsubState({ columnGapPx: 215 });
 * sim.trace.subscribe((e) => state.observe(e));
 * sim.runUntil(20_000);
 * state.graph().edges.find((e) => e.id === 'topic:g1->ws-1')?.data.subscribed; // true
 */
export class PubsubState {
  // ---- shape (every event seen) ----
  private readonly kinds = new Map<string, string>();
  private readonly ids = new Set<string>();
  private readonly topics: string[] = [];
  private readonly topicSet = new Set<string>();
  /** Topics that are channels (published, pushed or appended), not a Kafka-like `partition-N` subscription. */
  private readonly channelTopics = new Set<string>();
  /** Kafka-like: the partitions the trace names (appends, subscriptions, records, commits). */
  private readonly partitionsSeen = new Set<number>();
  /** Kafka-like: the partition each channel is appended to, as far as the trace has shown (for the layout). */
  private readonly topicPartition = new Map<string, number>();
  private flavor: BrokerFlavor | null = null;
  /** Client → the server it is connected through, as of the last event seen (to draw edges). */
  private readonly clientServer = new Map<string, string | null>();
  /** The same, as of the last event counted (the moment shown). */
  private readonly clientServerShown = new Map<string, string | null>();
  private readonly edges = new Map<string, EdgeAcc>();
  /** The model flags the edges were drawn under; a change redraws them from the events. */
  private drawnUnder: ModelFlags | null = null;
  // ---- counted (events up to the moment shown) ----
  private countedUpTo = Number.NEGATIVE_INFINITY;
  private readonly subs = new Map<string, Set<string>>();
  private readonly nodeEvents = new Map<string, Record<string, number>>();
  private readonly sent = new Map<string, number>();
  private readonly bytesSent = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private readonly dropped = new Map<string, number>();
  private readonly cpuDropped = new Map<string, number>();
  private readonly lastCpuDrop = new Map<string, { at: number; queueCapacity: number }>();
  private readonly connections = new Map<string, number>();
  /** WS servers draining or stopped by `removeServer`, until `addServer` boots them again. */
  private readonly service = new Map<string, 'draining' | 'stopped'>();
  /** Kafka-like: the log's partitions and each consumer's committed offset. */
  private readonly logs = new PartitionLogs();
  private readonly pending = new Map<number, { to: string; edge: EdgeAcc }>();
  private readonly ops: OpEvent[] = [];
  /** Every counted send, for traffic in a time slice: its time, drawn edge and bytes. */
  private readonly flowAt: { at: number; edge: EdgeAcc; bytes: number }[] = [];
  private lastAt = 0;
  /**
   * The events seen, so a change of model can redraw the edges (kept by reference, not copied);
   * the first `countedEvents` of them were counted.
   */
  private readonly seen: TraceEvent[] = [];
  private countedEvents = 0;

  constructor(private readonly options: PubsubGraphOptions = {}) {}

  /** Takes the next event; `counted` false for an event after the moment to be shown. */
  observe(e: TraceEvent, counted = true): void {
    if (counted && this.countedEvents < this.seen.length) throw new Error('counted events must come before the shaping-only ones');
    this.seen.push(e);
    if (counted) this.countedEvents++;
    this.shape(e);
    this.apply(e, counted);
  }

  /** Updates the node set, topics and broker flavour. */
  private shape(e: TraceEvent): void {
    this.flavor ??= brokerFlavorShownBy(e);
    switch (e.type) {
      case 'node/started':
        if (!this.kinds.has(e.node)) this.kinds.set(e.node, e.data.kind);
        this.ids.add(e.node);
        return;
      case 'net/messageSent': {
        this.ids.add(e.data.from);
        this.ids.add(e.data.to);
        const wire = readWire(e.data.msg);
        if (wire?.type === 'pub' || wire?.type === 'msg') this.addTopic(wire.topic, true);
        else if (wire?.type === 'records' || wire?.type === 'commit') this.partitionsSeen.add(wire.partition);
        return;
      }
      case 'broker/subscribed': {
        this.addTopic(e.data.topic);
        const p = partitionOfSubscription(e.data.topic);
        if (p !== null) this.partitionsSeen.add(p);
        return;
      }
      case 'broker/published':
        this.addTopic(e.data.topic, true);
        return;
      case 'broker/appended':
        this.addTopic(e.data.topic, true);
        this.partitionsSeen.add(e.data.partition);
        if (!this.topicPartition.has(e.data.topic)) this.topicPartition.set(e.data.topic, e.data.partition);
        return;
      default:
        return;
    }
  }

  private addTopic(t: string, channel = false): void {
    if (channel) this.channelTopics.add(t);
    if (this.topicSet.has(t)) return;
    this.topicSet.add(t);
    this.topics.push(t);
  }

  /** The model as the trace shows it now. */
  private flags(): ModelFlags {
    const clients = this.nodeIdsNow().filter((n) => roleOf(n, this.kinds) === 'client');
    const hasBroker = this.nodeIdsNow().some((n) => roleOf(n, this.kinds) === 'broker');
    const maxTopics = this.options.maxTopicNodes ?? DEFAULTS.maxTopicNodes;
    // A Kafka-like broker routes by partition, not by topic: a topic's records go to one partition,
    // and servers read partitions. Its partitions are drawn between the topics and the servers,
    // unless there are too many; then it is drawn whole, with lists in its data.
    const kafka = hasBroker && this.flavor === 'kafka';
    const partitionNodes = kafka && this.partitionsSeen.size <= (this.options.maxPartitionNodes ?? DEFAULTS.maxPartitionNodes);
    return {
      grouped: clients.length > (this.options.maxClients ?? DEFAULTS.maxClients),
      topicNodes:
        hasBroker &&
        this.options.topicNodes !== false &&
        (kafka ? partitionNodes && this.kafkaTopics().length <= maxTopics : (this.flavor ?? 'redis') === 'redis' && this.topics.length <= maxTopics),
      partitionNodes,
    };
  }

  /** Kafka-like: the channels, without the `partition-N` subscriptions. */
  private kafkaTopics(): string[] {
    return this.topics.filter((t) => this.channelTopics.has(t));
  }

  private nodeIdsNow(): string[] {
    const ids = new Set(this.ids);
    ids.delete('');
    for (const p of PSEUDO_NODES) ids.delete(p);
    return [...ids].sort(compareIds);
  }

  /** The drawn endpoints of a send: the real nodes, or a client group, or a topic. */
  private drawnEdge(from: string, to: string, msg: unknown, flags: ModelFlags): { source: string; target: string; kind: PubsubEdgeKind } {
    const rf = roleOf(from, this.kinds);
    const rt = roleOf(to, this.kinds);
    const wire = readWire(msg);
    if (flags.partitionNodes) {
      // Kafka-like: records come from a partition and commits go back to it; a publish goes to its topic.
      if (wire?.type === 'records' && rf === 'broker') return { source: partitionId(wire.partition), target: to, kind: 'deliver' };
      if (wire?.type === 'commit' && rt === 'broker') return { source: from, target: partitionId(wire.partition), kind: 'subscribe' };
      if (wire?.type === 'pub' && rt === 'broker' && flags.topicNodes) return { source: from, target: topicId(wire.topic), kind: 'publish' };
    } else if (flags.topicNodes) {
      if (wire?.type === 'pub' && rt === 'broker') return { source: from, target: topicId(wire.topic), kind: 'publish' };
      if (wire?.type === 'msg' && rf === 'broker') return { source: topicId(wire.topic), target: to, kind: 'deliver' };
    }
    const draw = (n: string, role: NodeRole): string => (flags.grouped && role === 'client' ? groupId(this.clientServer.get(n) ?? NO_SERVER) : n);
    return { source: draw(from, rf), target: draw(to, rt), kind: edgeKind(rf, rt) };
  }

  private touch(source: string, target: string, kind: PubsubEdgeKind): EdgeAcc {
    const id = edgeId(source, target);
    let acc = this.edges.get(id);
    if (acc === undefined) {
      acc = { source, target, kind, messages: 0, bytes: 0, lastAt: null, dropped: 0, links: new Set() };
      this.edges.set(id, acc);
    }
    return acc;
  }

  /** Draws a send, subscription or partition onto its edge and, when counted, counts it. */
  private apply(e: TraceEvent, counted: boolean): void {
    const flags = (this.drawnUnder ??= this.flags());
    trackClient(this.clientServer, e);
    if (counted) trackClient(this.clientServerShown, e);
    if (counted) {
      this.countedUpTo = e.at;
      this.lastAt = e.at;
    }
    switch (e.type) {
      case 'net/messageSent': {
        const d = this.drawnEdge(e.data.from, e.data.to, e.data.msg, flags);
        const acc = this.touch(d.source, d.target, d.kind);
        acc.links.add(linkKey(e.data.from, e.data.to));
        if (!counted) return;
        const bytes = e.data.bytes ?? 0;
        acc.messages++;
        acc.bytes += bytes;
        acc.lastAt = e.at;
        inc(this.sent, e.data.from);
        inc(this.bytesSent, e.data.from, bytes);
        this.pending.set(e.seq, { to: e.data.to, edge: acc });
        this.flowAt.push({ at: e.at, edge: acc, bytes });
        return;
      }
      case 'broker/appended':
        // Kafka-like: the topic's record goes into its partition, inside the broker (no network hop).
        if (flags.partitionNodes && flags.topicNodes) {
          const acc = this.touch(topicId(e.data.topic), partitionId(e.data.partition), 'publish');
          if (counted) {
            acc.messages++;
            acc.lastAt = e.at;
            this.flowAt.push({ at: e.at, edge: acc, bytes: 0 });
          }
        }
        break;
      case 'broker/subscribed': {
        const p = partitionOfSubscription(e.data.topic);
        if (flags.partitionNodes) {
          if (p !== null) this.touch(partitionId(p), e.data.server, 'deliver').links.add(linkKey(e.node, e.data.server));
        } else if (flags.topicNodes) this.touch(topicId(e.data.topic), e.data.server, 'deliver').links.add(linkKey(e.node, e.data.server));
        if (counted) {
          const set = this.subs.get(e.data.topic) ?? new Set<string>();
          set.add(e.data.server);
          this.subs.set(e.data.topic, set);
        }
        break;
      }
      case 'op/partitioned': {
        const op = e.data.op;
        for (const a of op.a) {
          for (const b of op.b) {
            for (const [x, y] of op.oneWay === true ? [[a, b] as const] : [[a, b] as const, [b, a] as const]) {
              if (!this.ids.has(x) || !this.ids.has(y)) continue;
              const d = this.drawnEdge(x, y, null, flags);
              this.touch(d.source, d.target, d.kind).links.add(linkKey(x, y));
            }
          }
        }
        break;
      }
      default:
        break;
    }
    if (!counted) return;
    this.count(e);
  }

  /** The counters of everything but sends. */
  private count(e: TraceEvent): void {
    if (e.type.startsWith('broker/')) this.logs.observe(e);
    switch (e.type) {
      case 'net/messageDelivered':
        inc(this.received, e.node);
        // A duplicated message is delivered twice but was in flight once: deleting is idempotent.
        if (e.causeSeq !== null) this.pending.delete(e.causeSeq);
        return;
      case 'net/messageDropped': {
        inc(this.dropped, e.data.to);
        const p = e.causeSeq === null ? undefined : this.pending.get(e.causeSeq);
        if (p !== undefined) p.edge.dropped++;
        if (e.causeSeq !== null) this.pending.delete(e.causeSeq);
        return;
      }
      case 'cpu/inputDropped':
        inc(this.cpuDropped, e.node);
        this.lastCpuDrop.set(e.node, { at: e.at, queueCapacity: e.data.queueCapacity });
        return;
      case 'broker/unsubscribed':
        this.subs.get(e.data.topic)?.delete(e.data.server);
        break;
      case 'broker/subscriberCutOff':
        // A cut-off subscriber loses every subscription at once.
        for (const set of this.subs.values()) set.delete(e.data.server);
        break;
      case 'ws/connectionOpened':
      case 'ws/connectionClosed':
        this.connections.set(e.node, e.data.connections);
        break;
      case 'gw/serverDraining':
        this.service.set(e.data.server, 'draining');
        break;
      case 'node/stopped':
        this.service.set(e.node, 'stopped');
        this.connections.set(e.node, 0);
        break;
      case 'node/started':
        this.service.delete(e.node);
        break;
      case 'op/crashed':
        // A crashed server loses its connections and the broker forgets its subscriptions only
        // when it notices; the node itself holds nothing any more.
        this.connections.set(e.data.op.node, 0);
        break;
      default:
        break;
    }
    if (e.type.startsWith('op/')) this.ops.push(e as OpEvent);
    if (e.type.startsWith('node/') || e.type.startsWith('net/')) return;
    const counts = this.nodeEvents.get(e.node) ?? {};
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    this.nodeEvents.set(e.node, counts);
  }

  /** When the model has changed since the edges were drawn (more clients, a new topic), redraws them. */
  private redrawIfNeeded(): void {
    const now = this.flags();
    const was = this.drawnUnder;
    if (was !== null && was.grouped === now.grouped && was.topicNodes === now.topicNodes && was.partitionNodes === now.partitionNodes) return;
    const seen = this.seen.slice();
    const counted = this.countedEvents;
    const fresh = new PubsubState(this.options);
    // Shape first, so the replay draws every edge under the final model, as a one-shot graph does.
    for (const e of seen) fresh.shape(e);
    fresh.drawnUnder = now;
    seen.forEach((e, i) => {
      fresh.seen.push(e);
      if (i < counted) fresh.countedEvents++;
      fresh.apply(e, i < counted);
    });
    Object.assign(this, fresh);
  }

  /**
   * The graph at the moment counted so far (or at `atMs`, which only moves the window in which a
   * CPU drop still counts as a full queue, and the graph's stamp).
   */
  graph(atMs?: number): PubsubGraph {
    this.redrawIfNeeded();
    const at = atMs ?? (Number.isFinite(this.countedUpTo) ? this.countedUpTo : this.lastAt);
    return this.draw(at);
  }

  /**
   * The messages sent along each edge in `[fromMs, toMs)`, for animating traffic frame by frame.
   * Costs what the slice holds.
   */
  flowsBetween(fromMs: number, toMs: number): EdgeFlow[] {
    this.redrawIfNeeded();
    const flows = new Map<string, { source: string; target: string; kind: PubsubEdgeKind; count: number; bytes: number }>();
    const start = lowerBoundByTime(this.flowAt, fromMs);
    for (let i = start; i < this.flowAt.length; i++) {
      const f = this.flowAt[i] as { at: number; edge: EdgeAcc; bytes: number };
      if (f.at >= toMs) break;
      const id = edgeId(f.edge.source, f.edge.target);
      const acc = flows.get(id) ?? { source: f.edge.source, target: f.edge.target, kind: f.edge.kind, count: 0, bytes: 0 };
      acc.count++;
      acc.bytes += f.bytes;
      flows.set(id, acc);
    }
    return [...flows.entries()].sort(([a], [b]) => compareIds(a, b)).map(([edgeId, f]) => ({ edgeId, ...f }));
  }

  private draw(atMs: number): PubsubGraph {
    const flags = this.drawnUnder ?? this.flags();
    const nodeIds = this.nodeIdsNow();
    const clients = nodeIds.filter((n) => roleOf(n, this.kinds) === 'client');
    const servers = nodeIds.filter((n) => roleOf(n, this.kinds) === 'ws-server');
    const queueWindowMs = this.options.queueWindowMs ?? DEFAULTS.queueWindowMs;
    const broker = this.flavor ?? 'redis';
    const faults = faultStateAt({ opEvents: this.ops, kinds: this.kinds });
    const inFlight = new Map<string, number>();
    for (const { to } of this.pending.values()) inc(inFlight, to);
    const serverOf = (c: string): string | null => this.clientServerShown.get(c) ?? null;

    // ---- nodes ----------------------------------------------------------------------------------
    // Kafka-like: the partitions the trace names (also those whose records come later, so the
    // layout never moves), each as the log holds it now; a topic's subscribers are the servers
    // reading its partition.
    const kafka = this.flavor === 'kafka';
    const partitionList = kafka ? [...new Set([...this.partitionsSeen, ...this.logs.partitions()])].sort((a, b) => a - b).map((p) => this.logs.log(p)) : [];
    const logOf = new Map(partitionList.map((l) => [l.partition, l]));
    const topicList = kafka
      ? this.kafkaTopics().map((topic) => {
          const p = this.logs.partitionOfTopic(topic);
          return { topic, subscribers: p === null ? [] : (logOf.get(p)?.consumers ?? []).map((c) => c.server) };
        })
      : this.topics.map((topic) => ({ topic, subscribers: [...(this.subs.get(topic) ?? [])].sort(compareIds) }));
    const brokerDown = [...faults.down.keys()].some((n) => roleOf(n, this.kinds) === 'broker');
    const subscriptionsOf = (server: string): string[] => topicList.filter((t) => t.subscribers.includes(server)).map((t) => t.topic);
    const queueOf = (n: string): number | null => {
      const d = this.lastCpuDrop.get(n);
      return d !== undefined && atMs - d.at <= queueWindowMs ? d.queueCapacity : null;
    };
    const statusOf = (n: string): 'up' | 'down' | 'slow' => (faults.down.has(n) ? 'down' : faults.slow.has(n) ? 'slow' : 'up');
    const baseData = (n: string) => ({
      queueDepth: queueOf(n),
      inFlight: inFlight.get(n) ?? 0,
      counters: {
        sent: this.sent.get(n) ?? 0,
        received: this.received.get(n) ?? 0,
        bytesSent: this.bytesSent.get(n) ?? 0,
        dropped: this.dropped.get(n) ?? 0,
        inputsDropped: this.cpuDropped.get(n) ?? 0,
      },
      events: { ...this.nodeEvents.get(n) },
    });

    type Draft = { id: string; kind: PubsubNodeKind; data: PubsubNodeData; order: number };
    const drafts: Draft[] = [];
    for (const n of nodeIds) {
      const role = roleOf(n, this.kinds);
      if (role === 'client' && flags.grouped) continue;
      const extra: Partial<PubsubNodeData> = {};
      let status = statusOf(n);
      if (role === 'client') {
        const server = serverOf(n);
        (extra as { server?: string | null }).server = server;
        if (server === null && status === 'up') status = 'down';
      } else if (role === 'ws-server') {
        Object.assign(extra, { subscriptions: subscriptionsOf(n), connections: this.connections.get(n) ?? 0 });
        if (kafka) Object.assign(extra, { consumes: this.logs.consumersOf(n) });
        const service = this.service.get(n);
        if (service !== undefined) Object.assign(extra, { service });
        if (service === 'stopped') status = 'down';
      } else if (role === 'broker') {
        Object.assign(extra, { topics: topicList });
      }
      const slowFactor = faults.slow.get(n);
      if (slowFactor !== undefined) Object.assign(extra, { slowFactor });
      drafts.push({ id: n, kind: role, order: ROW_ORDER[role], data: { label: nodeLabel(n, role, { broker }), kind: role, status, ...baseData(n), ...extra } });
    }
    if (flags.grouped) {
      for (const server of [...servers, NO_SERVER]) {
        const members = clients.filter((c) => (serverOf(c) ?? NO_SERVER) === server);
        const online = server === NO_SERVER ? 0 : members.length;
        const sum = (m: Map<string, number>): number => members.reduce((acc, c) => acc + (m.get(c) ?? 0), 0);
        const groupEvents: Record<string, number> = {};
        for (const c of members) for (const [k, v] of Object.entries(this.nodeEvents.get(c) ?? {})) groupEvents[k] = (groupEvents[k] ?? 0) + v;
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
            counters: { sent: sum(this.sent), received: sum(this.received), bytesSent: sum(this.bytesSent), dropped: sum(this.dropped), inputsDropped: sum(this.cpuDropped) },
            events: groupEvents,
            server: server === NO_SERVER ? null : server,
            members: members.map((c) => userOfClient(c) ?? c),
            online,
          },
        });
      }
    }
    const quiet = { queueDepth: null, inFlight: 0, counters: { sent: 0, received: 0, bytesSent: 0, dropped: 0, inputsDropped: 0 }, events: {} } as const;
    if (flags.topicNodes) {
      for (const t of topicList) {
        drafts.push({
          id: topicId(t.topic),
          kind: 'topic',
          order: ROW_ORDER.topic,
          data: {
            label: `topic ${t.topic}`,
            kind: 'topic',
            status: brokerDown ? 'down' : 'up',
            ...quiet,
            subscribers: t.subscribers,
            ...(kafka ? { partition: this.logs.partitionOfTopic(t.topic) } : {}),
          },
        });
      }
    }
    if (flags.partitionNodes) {
      for (const log of partitionList) {
        drafts.push({
          id: partitionId(log.partition),
          kind: 'partition',
          order: ROW_ORDER.partition,
          data: { label: `partition ${log.partition}`, kind: 'partition', status: brokerDown ? 'down' : 'up', ...quiet, log },
        });
      }
    }

    // ---- layout: columns by role, rows in a fixed order, each column centred on the tallest ------
    const colGap = this.options.columnGapPx ?? DEFAULTS.columnGapPx;
    const rowGap = this.options.rowGapPx ?? DEFAULTS.rowGapPx;
    const columns = new Map<number, Draft[]>();
    for (const d of drafts) {
      const col = kafka && d.kind === 'topic' ? KAFKA_TOPIC_COLUMN : COLUMN[d.kind];
      const list = columns.get(col) ?? [];
      list.push(d);
      columns.set(col, list);
    }
    // Kafka-like topics stand in the order of their partitions, so topic → partition lines cross little.
    const topicRank = new Map(this.topics.map((t, i) => [topicId(t), kafka ? (this.topicPartition.get(t) ?? this.partitionsSeen.size) * this.topics.length + i : i]));
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

    // ---- edges ----------------------------------------------------------------------------------
    const drawnIds = new Set(nodes.map((n) => n.id));
    const subscribedNow = new Set(topicList.flatMap((t) => t.subscribers.map((sub) => edgeId(topicId(t.topic), sub))));
    const consumerOf = new Map(partitionList.flatMap((l) => l.consumers.map((c) => [edgeId(partitionId(l.partition), c.server), c] as const)));
    const outEdges: PubsubEdge[] = [...this.edges.entries()]
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
          ...edgeState(id, acc, subscribedNow, consumerOf),
        },
      }));
    return { atMs, nodes, edges: outEdges, topics: topicList, clientsGrouped: flags.grouped, partitions: partitionList };
  }
}

/** A fan-out edge's subscription state: topic → server (subscribed now), partition → server (read now, with the consumer's offsets). */
function edgeState(
  id: string,
  acc: EdgeAcc,
  subscribedNow: ReadonlySet<string>,
  consumerOf: ReadonlyMap<string, PartitionConsumer>,
): Pick<PubsubEdgeData, 'subscribed' | 'consumer'> {
  if (acc.source.startsWith('partition:')) {
    const consumer = consumerOf.get(id);
    return consumer === undefined ? { subscribed: false } : { subscribed: true, consumer };
  }
  // A topic → partition edge is the log's own routing: always in force.
  if (acc.source.startsWith('topic:') && !acc.target.startsWith('partition:')) return { subscribed: subscribedNow.has(id) };
  return {};
}

/** The state of a list of events at `atMs`: later events shape the graph but count nothing. */
function stateOf(events: readonly TraceEvent[], options: PubsubGraphOptions): PubsubState {
  const state = new PubsubState(options);
  const atMs = options.atMs ?? Number.POSITIVE_INFINITY;
  for (const e of events) state.observe(e, e.at <= atMs);
  return state;
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
  const last = events.length === 0 ? 0 : (events[events.length - 1] as TraceEvent).at;
  return stateOf(events, options).graph(options.atMs ?? last);
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
  return stateOf(events, { ...options, atMs: toMs }).flowsBetween(fromMs, toMs);
}
