/**
 * Turns the pub/sub graph the builder returns into what the React Flow view draws: the two
 * directions between a pair of nodes merged into one line (traffic both ways on one wire), handles
 * picked from the layout so no edge loops round a node, and zones drawn behind the WebSocket
 * cluster, the pub/sub system and the clients, as the lab's component diagram groups them; with a
 * Kafka-like log, the consumer's committed offset and lag on each partition → server wire.
 * Layout only: every number comes from the builder.
 */
import type { PartitionConsumer, PubsubEdge, PubsubEdgeData, PubsubEdgeKind, PubsubGraph, PubsubNode, PubsubNodeData } from '../../diagrams/index.ts';

/** Drawn size of a component node (CSS `.cluster-node` matches). */
export const NODE_W = 150;
export const NODE_H = 56;

export type Side = 'l' | 'r' | 't' | 'b';

/** One drawn line between two nodes, carrying both directions' counters. */
export interface WireData extends Record<string, unknown> {
  /** `a` → `b` traffic (a is the left or upper node), or null if none. */
  readonly forward: PubsubEdgeData | null;
  /** `b` → `a` traffic, or null. */
  readonly backward: PubsubEdgeData | null;
  readonly kind: PubsubEdgeKind;
  readonly partitioned: boolean;
  /** False for a topic → server edge whose server unsubscribed. */
  readonly active: boolean;
  /** The builder's edge ids in each direction, to match flows. */
  readonly forwardId: string | null;
  readonly backwardId: string | null;
  /** Kafka-like partition ↔ server wires: the server's committed offset and lag, while it reads the partition. */
  readonly consumer: PartitionConsumer | null;
}

export interface Wire {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly sourceSide: Side;
  readonly targetSide: Side;
  readonly data: WireData;
}

/** A shaded group drawn behind nodes. */
export interface Zone {
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const ZONE_PAD = 14;
const ZONE_LABEL = 22;

/** Distance between the drawn columns: a node and 40 px for the wires and their counters. */
export const COLUMN_PITCH = NODE_W + 40;
/** Distance between the drawn rows of a column: a node and a 6 px gap. */
export const ROW_PITCH = NODE_H + 6;
/**
 * Extra room before a Kafka-like log's partition column, for the offset and lag labels on the
 * server ↔ partition wires ("offset 1,234 · lag 56" is about 130 px at 13 px).
 */
export const CONSUMER_GAP = 110;

/**
 * The builder's layout drawn tighter, so the whole cluster fits the workbench's diagram pane
 * (868 × 500 px at 1280 × 720) at a zoom where the nodes' text is at least 11 px on screen.
 * The builder spaces columns 215 px and rows 72 px apart for any node size; at that spacing the
 * group-chat cluster (six columns, eight clients) only fitted at zoom 0.66, which drew 13 px text
 * at 8.6 px. Here columns keep their order and rows their relative heights, packed to
 * {@link COLUMN_PITCH} and {@link ROW_PITCH}; a last column holding a single node (the database)
 * is drawn under the column before it, one and a half rows below its lowest node, which saves a
 * whole column of width. With a Kafka-like log's partitions drawn, the columns from theirs on
 * move {@link CONSUMER_GAP} further right, so the offset and lag labels fit between the servers and
 * the partitions. Layout only: every node keeps its data.
 */
export function compactLayout(graph: PubsubGraph): PubsubGraph {
  if (graph.nodes.length === 0) return graph;
  const xs = [...new Set(graph.nodes.map((n) => n.position.x))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, i) => [x, i]));
  const partitionX = graph.nodes.find((n) => n.type === 'partition')?.position.x;
  const gapFrom = partitionX === undefined ? Infinity : (column.get(partitionX) ?? Infinity);
  const xOf = (i: number): number => i * COLUMN_PITCH + (i >= gapFrom ? CONSUMER_GAP : 0);
  // The builder's row pitch: the closest two nodes of one column.
  let unit = Infinity;
  for (const x of xs) {
    const ys = graph.nodes.filter((n) => n.position.x === x).map((n) => n.position.y).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) unit = Math.min(unit, (ys[i] as number) - (ys[i - 1] as number));
  }
  const yScale = Number.isFinite(unit) && unit > 0 ? ROW_PITCH / unit : 1;
  const placed = new Map(graph.nodes.map((n) => [n.id, { x: xOf(column.get(n.position.x) ?? 0), y: Math.round(n.position.y * yScale) }]));
  const lastX = xs.at(-1);
  const lone = graph.nodes.filter((n) => n.position.x === lastX);
  if (xs.length >= 3 && lone.length === 1 && lone[0] !== undefined) {
    const before = graph.nodes.filter((n) => n.position.x === xs.at(-2));
    const lowest = Math.max(...before.map((n) => placed.get(n.id)?.y ?? 0));
    placed.set(lone[0].id, { x: xOf(xs.length - 2), y: Math.round(lowest + ROW_PITCH * 1.5) });
  }
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: placed.get(n.id) ?? n.position })) };
}

/** Which sides a wire from `a` to `b` leaves and enters by. */
export function sidesFor(a: { x: number; y: number }, b: { x: number; y: number }): [Side, Side] {
  if (Math.abs(a.x - b.x) < NODE_W / 2) return a.y <= b.y ? ['b', 't'] : ['t', 'b'];
  return a.x < b.x ? ['r', 'l'] : ['l', 'r'];
}

/** The anchor point of a side of a node at `p` (top-left corner). */
export function anchor(p: { x: number; y: number }, side: Side): { x: number; y: number } {
  switch (side) {
    case 'l':
      return { x: p.x, y: p.y + NODE_H / 2 };
    case 'r':
      return { x: p.x + NODE_W, y: p.y + NODE_H / 2 };
    case 't':
      return { x: p.x + NODE_W / 2, y: p.y };
    case 'b':
      return { x: p.x + NODE_W / 2, y: p.y + NODE_H };
  }
}

/** Merges the graph's directed edges into wires, one per pair of nodes. */
export function wiresOf(graph: PubsubGraph): Wire[] {
  const pos = new Map(graph.nodes.map((n) => [n.id, n.position]));
  const byPair = new Map<string, { a: string; b: string; fwd: PubsubEdge | null; back: PubsubEdge | null }>();
  const before = (x: string, y: string): boolean => {
    const px = pos.get(x);
    const py = pos.get(y);
    if (px === undefined || py === undefined) return x < y;
    return px.x !== py.x ? px.x < py.x : px.y !== py.y ? px.y < py.y : x < y;
  };
  for (const e of graph.edges) {
    if (!pos.has(e.source) || !pos.has(e.target)) continue;
    const [a, b] = before(e.source, e.target) ? [e.source, e.target] : [e.target, e.source];
    const key = `${a}|${b}`;
    const pair = byPair.get(key) ?? { a, b, fwd: null, back: null };
    if (e.source === a) pair.fwd = e;
    else pair.back = e;
    byPair.set(key, pair);
  }
  const wires: Wire[] = [];
  for (const [key, { a, b, fwd, back }] of byPair) {
    const [sourceSide, targetSide] = sidesFor(pos.get(a) as { x: number; y: number }, pos.get(b) as { x: number; y: number });
    // A partition ↔ server wire is drawn as the records' way (fan-out), though commits run back on it.
    const main = [fwd, back].find((e) => e?.source.startsWith('partition:') === true) ?? fwd ?? back;
    if (main === null || main === undefined) continue;
    const subscribed = [fwd, back].filter((e): e is PubsubEdge => e !== null && e.data.subscribed !== undefined);
    wires.push({
      id: key,
      source: a,
      target: b,
      sourceSide,
      targetSide,
      data: {
        forward: fwd?.data ?? null,
        backward: back?.data ?? null,
        kind: main.data.kind,
        partitioned: (fwd?.data.partitioned ?? false) || (back?.data.partitioned ?? false),
        active: subscribed.length === 0 || subscribed.some((e) => e.data.subscribed === true),
        forwardId: fwd?.id ?? null,
        backwardId: back?.id ?? null,
        consumer: fwd?.data.consumer ?? back?.data.consumer ?? null,
      },
    });
  }
  return wires;
}

/** The zones behind the graph's nodes: clients, the WebSocket cluster, the pub/sub system. */
export function zonesOf(graph: PubsubGraph, brokerLabel = 'Pub/Sub system'): Zone[] {
  const groups: { id: string; label: string; members: PubsubNode[] }[] = [
    { id: 'zone:clients', label: 'Client applications', members: graph.nodes.filter((n) => n.type === 'client' || n.type === 'client-group' || n.type === 'fleet') },
    { id: 'zone:ws', label: 'WebSocket cluster', members: graph.nodes.filter((n) => n.type === 'ws-server') },
    { id: 'zone:broker', label: brokerLabel, members: graph.nodes.filter((n) => n.type === 'broker' || n.type === 'topic' || n.type === 'partition') },
  ];
  return groups
    .filter((g) => g.members.length > 1)
    .map((g) => {
      const xs = g.members.map((n) => n.position.x);
      const ys = g.members.map((n) => n.position.y);
      const x = Math.min(...xs) - ZONE_PAD;
      const y = Math.min(...ys) - ZONE_PAD - ZONE_LABEL;
      return { id: g.id, label: g.label, x, y, width: Math.max(...xs) + NODE_W + ZONE_PAD - x, height: Math.max(...ys) + NODE_H + ZONE_PAD - y };
    });
}

/** Short kind tags shown on nodes. */
export const KIND_TAG: Readonly<Record<string, string>> = {
  client: 'client',
  'client-group': 'clients',
  fleet: 'fleet',
  gateway: 'gateway',
  auth: 'auth',
  limiter: 'limiter',
  'ws-server': 'WebSocket',
  broker: 'pub/sub',
  topic: 'topic',
  partition: 'partition',
  directory: 'directory',
  chat: 'service',
  presence: 'presence',
  notifier: 'notify',
  sequencer: 'sequencer',
  db: 'database',
  'session-store': 'sessions',
  other: 'node',
};

/** The one line of live figures a node shows under its name. */
export function nodeFigures(data: PubsubNodeData): string {
  switch (data.kind) {
    case 'ws-server':
      if (data.consumes === undefined) return `${data.connections ?? 0} conn · ${data.subscriptions?.length ?? 0} topics`;
      // The partitions it reads by number while they fit the node (p5, p7), else how many.
      return `${data.connections ?? 0} conn · ${data.consumes.length === 0 ? 'reads nothing' : data.consumes.length <= 3 ? data.consumes.map((c) => `p${c.partition}`).join(', ') : `${data.consumes.length} parts`}`;
    case 'partition':
      return data.log === undefined ? '' : `end ${formatOffset(data.log.logEndOffset)} · ${plural(data.log.records, 'record')}`;
    case 'client':
      return data.server === null || data.server === undefined ? 'not connected' : `via ${data.server}`;
    case 'client-group':
      return `${data.online ?? 0}/${data.members?.length ?? 0} online`;
    case 'topic':
      if (data.partition !== undefined) return data.partition === null ? 'no record yet' : `→ p${data.partition} · ${plural(data.subscribers?.length ?? 0, 'reader')}`;
      return `${data.subscribers?.length ?? 0} subscriber${data.subscribers?.length === 1 ? '' : 's'}`;
    case 'broker':
      return `${data.topics?.length ?? 0} topics · ${data.counters.received} in`;
    default:
      return `↓${data.counters.received} ↑${data.counters.sent}`;
  }
}

/** In-flight messages at which a node's queue counts as deep. */
export const DEEP_QUEUE = 10;

const plural = (n: number, word: string): string => `${formatOffset(n)} ${word}${n === 1 ? '' : 's'}`;
/** Offsets and counts in full up to 99,999 (an offset is an address: 12,345 is clearer than 12.3k), then in thousands. */
const formatOffset = (n: number): string => (n < 100_000 ? n.toLocaleString('en-US') : `${Math.round(n / 1000).toLocaleString('en-US')}k`);

/**
 * How far behind a node's readers are, in records: a Kafka-like partition's furthest-behind
 * consumer, or the sum of a server's lags over the partitions it reads. 0 when none is behind
 * (and for every other node).
 */
export function lagOf(data: PubsubNodeData): number {
  if (data.log !== undefined) return Math.max(0, ...data.log.consumers.map((c) => c.lag));
  return (data.consumes ?? []).reduce((sum, c) => sum + c.lag, 0);
}

/** The label of a partition ↔ server wire: the consumer's committed offset and its lag. */
export function consumerLabel(c: PartitionConsumer): string {
  return `offset ${formatOffset(c.committedOffset)} · lag ${formatOffset(c.lag)}`;
}

/**
 * Up to this many partition ↔ server wires, each carries its offset and lag; past it (12 servers
 * each reading 8 partitions is 96 wires), only the ones whose server is behind do, and the rest
 * show their figures in the node details, so the labels stay readable.
 */
export const MAX_CONSUMER_LABELS = 16;

/** Whether a wire shows its consumer label, given how many consumer wires the graph has. */
export function showsConsumerLabel(data: WireData, consumerWires: number): boolean {
  return data.consumer !== null && (consumerWires <= MAX_CONSUMER_LABELS || data.consumer.lag > 0);
}
