import {
  Background,
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  getBezierPath,
  Handle,
  MarkerType,
  Panel,
  Position,
  ReactFlow,
  ViewportPortal,
  type Edge,
  type EdgeMarker,
  type EdgeProps,
  type Node,
  type NodeChange,
  type NodeProps,
  type ReactFlowInstance,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PubsubGraph, PubsubNodeData } from '../../diagrams/index.ts';
import type { Op } from '../../sim/index.ts';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { Icon } from '../components/Icon.tsx';
import { NodeFaults } from '../components/NodeFaults.tsx';
import { downloadBlob, downloadText, svgToPng } from '../export.ts';
import { formatCount } from '../format.ts';
import type { FlowBatch } from '../session/session.ts';
import { graphToSvg, LIGHT_PALETTE, type GraphPalette } from './graphSvg.ts';
import { anchor, compactLayout, consumerLabel, DEEP_QUEUE, KIND_TAG, lagOf, nodeFigures, showsConsumerLabel, wiresOf, zonesOf, type Side, type WireData } from './pubsubModel.ts';

// ------------------------------------------------------------------------------------------------
// Nodes

type ClusterNodeData = { info: PubsubNodeData; highlighted: boolean };
type ClusterNodeType = Node<ClusterNodeData, 'cluster'>;
type ZoneNodeType = Node<{ label: string }, 'zone'>;

const CLIENT_KINDS: ReadonlySet<string> = new Set(['client', 'client-group', 'fleet']);

const SIDES: readonly [Side, Position][] = [
  ['l', Position.Left],
  ['r', Position.Right],
  ['t', Position.Top],
  ['b', Position.Bottom],
];

/** One component of the cluster: kind, name, live figures, and its trouble at a glance. */
const ClusterNode = memo(function ClusterNode({ data, selected }: NodeProps<ClusterNodeType>) {
  const d = data.info;
  const deep = d.queueDepth !== null || d.inFlight >= DEEP_QUEUE;
  // A client is "down" when it is not connected: offline, not crashed.
  const clientLike = CLIENT_KINDS.has(d.kind);
  const status = clientLike && d.status === 'down' ? 'offline' : d.status;
  // A Kafka-like partition with a reader behind, or a server behind on what it reads.
  const lag = lagOf(d);
  const cls = ['cluster-node', `kind-${d.kind}`, `status-${status}`, deep ? 'is-deep' : '', lag > 0 ? 'has-lag' : '', selected ? 'is-selected' : '', data.highlighted ? 'is-linked' : ''].join(' ');
  // The kind is told by the coloured edge, the zone and the name itself ("WS Server ws-1",
  // "Chat Service"), so the node spends its room on a name and figures large enough to read.
  return (
    <div className={cls} data-testid={`node-${d.kind}`} data-status={status} title={KIND_TAG[d.kind] ?? d.kind}>
      {SIDES.map(([side, position]) => (
        <span key={side}>
          <Handle type="source" id={`${side}-s`} position={position} isConnectable={false} className="cn-handle" />
          <Handle type="target" id={`${side}-t`} position={position} isConnectable={false} className="cn-handle" />
        </span>
      ))}
      <div className="cn-badges">
        {status === 'down' ? <span className="cn-badge bad">{d.service === 'stopped' ? 'stopped' : 'crashed'}</span> : null}
        {d.service === 'draining' ? <span className="cn-badge warn">draining</span> : null}
        {status === 'offline' ? <span className="cn-badge quiet">offline</span> : null}
        {d.status === 'slow' ? <span className="cn-badge warn">slow ×{d.slowFactor ?? '?'}</span> : null}
        {lag > 0 ? (
          <span className="cn-badge warn" data-testid="lag-badge" title={d.kind === 'partition' ? 'Its furthest-behind reader has this many records to read' : 'Records appended that it has not read and committed yet'}>
            lag {lag}
          </span>
        ) : null}
        {d.queueDepth !== null ? (
          <span className="cn-badge bad" title="Its CPU queue overflowed recently">
            queue full
          </span>
        ) : d.inFlight > 0 ? (
          <span className={`cn-badge ${d.inFlight >= DEEP_QUEUE ? 'warn' : 'quiet'}`} title="Messages on their way to it">
            {d.inFlight} ⇢
          </span>
        ) : null}
      </div>
      <div className="cn-label">{d.label}</div>
      <div className="cn-figures">{nodeFigures(d)}</div>
    </div>
  );
});

/** A shaded group behind nodes (the WebSocket cluster, the pub/sub system, the clients). */
const ZoneNode = memo(function ZoneNode({ data }: NodeProps<ZoneNodeType>) {
  return (
    <div className="zone-node" aria-hidden="true">
      <span>{data.label}</span>
    </div>
  );
});

// ------------------------------------------------------------------------------------------------
// Edges

type WireEdgeData = WireData & { showCounts: boolean; highlighted: boolean; showConsumer: boolean };
type WireEdgeType = Edge<WireEdgeData, 'wire'>;

const WireEdge = memo(function WireEdge(props: EdgeProps<WireEdgeType>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerStart, markerEnd } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  if (data === undefined) return null;
  const total = (data.forward?.messages ?? 0) + (data.backward?.messages ?? 0);
  const dropped = (data.forward?.dropped ?? 0) + (data.backward?.dropped ?? 0);
  const width = total === 0 ? 1 : Math.min(4, 1 + Math.log10(1 + total));
  const cls = ['wire', `wire-${data.kind}`, data.partitioned ? 'is-cut' : '', data.active ? '' : 'is-idle', data.highlighted ? 'is-linked' : ''].join(' ');
  const consumer = data.showCounts && data.showConsumer && !data.partitioned ? data.consumer : null;
  if (consumer !== null) {
    // A Kafka-like reader: its committed offset and lag say more than a message count.
    return (
      <>
        <BaseEdge id={id} path={path} className={cls} style={{ strokeWidth: width }} {...(markerStart === undefined ? {} : { markerStart })} {...(markerEnd === undefined ? {} : { markerEnd })} />
        <EdgeLabelRenderer>
          <div
            className={`wire-label consumer${consumer.lag > 0 ? ' has-lag' : ''}`}
            data-testid="consumer-label"
            // Where two readers' wires cross at their midpoints, the one behind is drawn on top.
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, zIndex: consumer.lag > 0 ? 1 : 0 }}
            title={`${consumer.server} has committed partition ${consumer.partition} up to offset ${consumer.committedOffset}; the log ends at ${consumer.logEndOffset}, so it is ${consumer.lag} record${consumer.lag === 1 ? '' : 's'} behind`}
          >
            {consumerLabel(consumer)}
          </div>
        </EdgeLabelRenderer>
      </>
    );
  }
  return (
    <>
      <BaseEdge id={id} path={path} className={cls} style={{ strokeWidth: width }} {...(markerStart === undefined ? {} : { markerStart })} {...(markerEnd === undefined ? {} : { markerEnd })} />
      {/* A reader's wire whose offsets are not labelled (too many wires, none behind) shows no count either: 96 numbers between the servers and the partitions would hide the one that matters. */}
      {data.partitioned || (data.showCounts && total > 0 && data.consumer === null) ? (
        <EdgeLabelRenderer>
          <div
            className={`wire-label${data.partitioned ? ' is-cut' : ''}${dropped > 0 ? ' has-drops' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={`${data.forward === null ? '' : `${formatCount(data.forward.messages)} one way`}${data.backward === null ? '' : `, ${formatCount(data.backward.messages)} back`}${dropped > 0 ? `, ${dropped} dropped` : ''}`}
          >
            {data.partitioned ? '✂ cut' : `${formatCount(total)}`}
            {dropped > 0 ? <span className="drops">✕{dropped}</span> : null}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

const nodeTypes = { cluster: ClusterNode, zone: ZoneNode };

/**
 * An arrowhead in a wire's colour (the theme's CSS variable, so it follows light and dark), sized
 * in the diagram's units so a thick wire does not get a huge head. A wire carries traffic both
 * ways on one line, so it gets a head at each end that has traffic arriving.
 */
function arrowhead(data: WireData): EdgeMarker {
  return { type: MarkerType.ArrowClosed, color: data.partitioned ? 'var(--danger)' : `var(--edge-${data.kind})`, width: 14, height: 14, markerUnits: 'userSpaceOnUse' };
}
const edgeTypes = { wire: WireEdge };

// ------------------------------------------------------------------------------------------------
// Details

const PSEUDO = new Set(['topic', 'partition', 'client-group']);

/** What a clicked node shows: its figures, subscriptions and its fault buttons. */
export function NodeDetails({
  id,
  data,
  peers,
  cutFrom,
  onOp,
  onClose,
  disabled,
}: {
  id: string;
  data: PubsubNodeData;
  peers: readonly string[];
  cutFrom: readonly string[];
  onOp: (op: Op) => void;
  onClose: () => void;
  disabled: boolean;
}) {
  const events = Object.entries(data.events)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6);
  return (
    <aside className="node-details" aria-label={`Details of ${data.label}`}>
      <div className="detail-head">
        <div>
          <span className="cn-kind">{KIND_TAG[data.kind] ?? data.kind}</span>
          <h3>{data.label}</h3>
        </div>
        <button type="button" className="icon-button" onClick={onClose}>
          <Icon name="close" />
          <span className="visually-hidden">Close details</span>
        </button>
      </div>
      <dl className="kv">
        <div>
          <dt>Status</dt>
          <dd className={`status-text status-${data.status}`}>{data.service === 'stopped' ? 'stopped (a spare again)' : data.status === 'down' ? 'crashed' : data.service === 'draining' ? 'draining' : data.status === 'slow' ? `slowed ×${data.slowFactor ?? '?'}` : 'up'}</dd>
        </div>
        <div>
          <dt>In flight to it</dt>
          <dd>{data.inFlight}</dd>
        </div>
        <div>
          <dt>CPU queue</dt>
          <dd>{data.queueDepth === null ? 'not full' : `full (${data.queueDepth})`}</dd>
        </div>
        {data.connections === undefined ? null : (
          <div>
            <dt>Connections</dt>
            <dd>{data.connections}</dd>
          </div>
        )}
        {data.server === undefined ? null : (
          <div>
            <dt>Connected via</dt>
            <dd>{data.server ?? 'nothing'}</dd>
          </div>
        )}
        <div>
          <dt>Sent / received</dt>
          <dd>
            {formatCount(data.counters.sent)} / {formatCount(data.counters.received)}
          </dd>
        </div>
        <div>
          <dt>Dropped on the way to it</dt>
          <dd>{formatCount(data.counters.dropped)}</dd>
        </div>
        <div>
          <dt>Inputs its CPU threw away</dt>
          <dd>{formatCount(data.counters.inputsDropped)}</dd>
        </div>
      </dl>
      {PSEUDO.has(data.kind) ? (
        <p className="hint">{data.kind === 'topic' || data.kind === 'partition' ? `A ${data.kind} lives in the broker: crash or cut the broker instead.` : 'A group of clients: pick one user in the Faults tab.'}</p>
      ) : (
        <NodeFaults key={id} node={id} status={data.status} peers={peers} cutFrom={cutFrom} onOp={onOp} disabled={disabled} />
      )}
      {data.log === undefined ? null : <PartitionDetails log={data.log} />}
      {data.consumes === undefined || data.consumes.length === 0 ? null : (
        <div className="detail-list">
          <strong>Reads</strong>
          <ul>
            {data.consumes.map((c) => (
              <li key={c.partition}>
                partition {c.partition}: committed up to offset {c.committedOffset} of {c.logEndOffset}, {c.lag === 0 ? 'up to date' : `lag ${c.lag}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {data.subscriptions === undefined || data.subscriptions.length === 0 ? null : (
        <p className="detail-list">
          <strong>Subscribed to</strong> {data.subscriptions.join(', ')}
        </p>
      )}
      {data.subscribers === undefined ? null : (
        <p className="detail-list">
          <strong>Subscribers</strong> {data.subscribers.length === 0 ? 'none' : data.subscribers.join(', ')}
        </p>
      )}
      {data.topics === undefined || data.topics.length === 0 ? null : (
        <div className="detail-list">
          <strong>Topics</strong>
          <ul>
            {data.topics.map((t) => (
              <li key={t.topic}>
                <span className="mono">{t.topic}</span> → {t.subscribers.length === 0 ? 'no subscriber' : t.subscribers.join(', ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {events.length === 0 ? null : (
        <div className="detail-list">
          <strong>What it did</strong>
          <ul>
            {events.map(([type, n]) => (
              <li key={type}>
                <span className="mono">{type}</span> × {formatCount(n)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  );
}

/** A Kafka-like partition: what its log holds and where each reader stands. */
function PartitionDetails({ log }: { log: NonNullable<PubsubNodeData['log']> }) {
  return (
    <>
      <dl className="kv">
        <div>
          <dt>Log end offset</dt>
          <dd>{log.logEndOffset}</dd>
        </div>
        <div>
          <dt>Records held</dt>
          <dd>
            {log.records}
            {log.logStartOffset > 0 ? ` (from offset ${log.logStartOffset}; retention dropped the older)` : ''}
          </dd>
        </div>
      </dl>
      <p className="detail-list">
        <strong>Topics in it</strong> {log.topics.length === 0 ? 'none yet' : log.topics.join(', ')}
      </p>
      <div className="detail-list">
        <strong>Readers</strong>
        {log.consumers.length === 0 ? (
          ' none'
        ) : (
          <ul>
            {log.consumers.map((c) => (
              <li key={c.server}>
                {c.server}: committed up to offset {c.committedOffset}, {c.lag === 0 ? 'up to date' : `lag ${c.lag}`}
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

// ------------------------------------------------------------------------------------------------
// The panel

export interface PubsubPanelProps {
  readonly graph: PubsubGraph | null;
  /** The newest frame's traffic, animated along the wires. */
  readonly flows: FlowBatch | null;
  /** Playback speed (slower playback, slower dots). */
  readonly speed: number;
  readonly theme: 'light' | 'dark';
  /** Real node ids, for partition and link faults. */
  readonly peers: readonly string[];
  readonly onOp: (op: Op) => void;
  /** File name stem for exports. */
  readonly fileStem: string;
  /** Title written into exports. */
  readonly title: string;
  readonly disabled?: boolean;
}

/** How long a dot takes along a wire: slow playback, slow dots, within limits. */
export function travelMsFor(speed: number): number {
  return Math.round(Math.min(1400, Math.max(350, 40 / Math.max(speed, 1e-6))));
}

const MAX_PULSES = 160;
const SVG_NS = 'http://www.w3.org/2000/svg';
const POSITION: Record<Side, Position> = { l: Position.Left, r: Position.Right, t: Position.Top, b: Position.Bottom };

/** Adds one dot that runs along `path` once (SMIL, begun now) and removes itself after. */
function spawnPulse(host: SVGGElement, path: string, reverse: boolean, kind: string, count: number, travelMs: number): void {
  const dot = document.createElementNS(SVG_NS, 'circle');
  dot.setAttribute('r', count > 1 ? '5' : '4');
  dot.setAttribute('class', `pulse-dot pulse-${kind}`);
  const motion = document.createElementNS(SVG_NS, 'animateMotion');
  motion.setAttribute('dur', `${travelMs}ms`);
  motion.setAttribute('begin', 'indefinite');
  motion.setAttribute('fill', 'freeze');
  motion.setAttribute('path', path);
  motion.setAttribute('keyPoints', reverse ? '1;0' : '0;1');
  motion.setAttribute('keyTimes', '0;1');
  motion.setAttribute('calcMode', 'linear');
  dot.append(motion);
  host.append(dot);
  // SMIL times start with the document; an element added later must be begun by hand.
  (motion as SVGAnimationElement).beginElement();
  setTimeout(() => dot.remove(), travelMs + 40);
}
/** A wire spawns at most one dot per direction this often. */
const PULSE_SPACING_MS = 90;

/** The theme's colours for exported diagrams, read from the page. */
function exportPalette(): GraphPalette {
  if (typeof document === 'undefined') return LIGHT_PALETTE;
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--surface', LIGHT_PALETTE.background),
    surface: v('--surface', LIGHT_PALETTE.surface),
    text: v('--text', LIGHT_PALETTE.text),
    muted: v('--text-muted', LIGHT_PALETTE.muted),
    border: v('--border-strong', LIGHT_PALETTE.border),
    zone: v('--zone', LIGHT_PALETTE.zone),
    danger: v('--danger', LIGHT_PALETTE.danger),
    warn: v('--warn', LIGHT_PALETTE.warn),
    edge: {
      proxy: v('--edge-proxy', LIGHT_PALETTE.edge['proxy'] as string),
      rpc: v('--edge-rpc', LIGHT_PALETTE.edge['rpc'] as string),
      publish: v('--edge-publish', LIGHT_PALETTE.edge['publish'] as string),
      deliver: v('--edge-deliver', LIGHT_PALETTE.edge['deliver'] as string),
      subscribe: v('--edge-subscribe', LIGHT_PALETTE.edge['subscribe'] as string),
    },
  };
}

/**
 * The lab's pub/sub component diagram, live: clients, the gateway, the WebSocket cluster, the
 * broker with its topics (which server subscribes to which) or, for a Kafka-like log, its topics
 * and partitions (each partition's log end offset and records, each server's committed offset and
 * lag on the partitions it reads), the chat service and the database.
 * Messages run along the wires as they flow; counters say how many went each way. A crashed
 * node, a cut link and a deep queue show at a glance. Click a node (or focus it and press Enter)
 * for its details and fault buttons.
 */
export function PubsubPanel({ graph, flows, speed, theme, peers, onOp, fileStem, title, disabled = false }: PubsubPanelProps) {
  const [selected, setSelected] = useState<string | null>(null);
  const [showCounts, setShowCounts] = useState(true);
  const layer = useRef<SVGGElement>(null);
  const lastSpawn = useRef(new Map<string, number>());
  const flowInstance = useRef<ReactFlowInstance<ClusterNodeType | ZoneNodeType, WireEdgeType> | null>(null);
  const travelMs = travelMsFor(speed);

  // Drawn tighter than the builder lays it out, so the text is readable at the default fit.
  const laid = useMemo(() => (graph === null ? null : compactLayout(graph)), [graph]);
  const wires = useMemo(() => (laid === null ? [] : wiresOf(laid)), [laid]);
  const zones = useMemo(() => (laid === null ? [] : zonesOf(laid, laid.nodes.find((n) => n.type === 'broker')?.data.label)), [laid]);
  // Each builder edge id → the wire it is drawn on, the way it runs, and the wire's path.
  const wireOfEdge = useMemo(() => {
    const m = new Map<string, { wire: string; reverse: boolean; path: string; kind: string }>();
    if (laid === null) return m;
    const pos = new Map(laid.nodes.map((n) => [n.id, n.position]));
    for (const w of wires) {
      const s0 = anchor(pos.get(w.source) as { x: number; y: number }, w.sourceSide);
      const t0 = anchor(pos.get(w.target) as { x: number; y: number }, w.targetSide);
      const [path] = getBezierPath({ sourceX: s0.x, sourceY: s0.y, sourcePosition: POSITION[w.sourceSide], targetX: t0.x, targetY: t0.y, targetPosition: POSITION[w.targetSide] });
      if (w.data.forwardId !== null) m.set(w.data.forwardId, { wire: w.id, reverse: false, path, kind: w.data.kind });
      if (w.data.backwardId !== null) m.set(w.data.backwardId, { wire: w.id, reverse: true, path, kind: w.data.kind });
    }
    return m;
  }, [laid, wires]);

  // Each new batch of traffic sends dots along the wires. They are plain SVG elements added to one
  // layer and removed after their trip, outside React, so 60 batches a second re-render nothing.
  useEffect(() => {
    const host = layer.current;
    if (flows === null || flows.flows.length === 0 || host === null) return;
    const now = performance.now();
    for (const f of flows.flows) {
      const target = wireOfEdge.get(f.edgeId);
      if (target === undefined) continue;
      const key = `${target.wire}|${target.reverse ? 'b' : 'f'}`;
      if (now - (lastSpawn.current.get(key) ?? -Infinity) < PULSE_SPACING_MS || host.childElementCount >= MAX_PULSES) continue;
      lastSpawn.current.set(key, now);
      spawnPulse(host, target.path, target.reverse, target.kind, f.count, travelMs);
    }
  }, [flows, wireOfEdge, travelMs]);

  // A new run or layout: no dot from the old one keeps running.
  useEffect(() => {
    layer.current?.replaceChildren();
  }, [wireOfEdge]);

  const linked = useMemo(() => {
    const s = new Set<string>();
    if (selected === null) return s;
    for (const w of wires) {
      if (w.source === selected) s.add(w.target);
      if (w.target === selected) s.add(w.source);
    }
    return s;
  }, [wires, selected]);

  const nodes = useMemo((): (ClusterNodeType | ZoneNodeType)[] => {
    if (laid === null) return [];
    const zoneNodes: ZoneNodeType[] = zones.map((z) => ({
      id: z.id,
      type: 'zone',
      position: { x: z.x, y: z.y },
      data: { label: z.label },
      style: { width: z.width, height: z.height },
      selectable: false,
      focusable: false,
      draggable: false,
      zIndex: -1,
    }));
    const clusterNodes: ClusterNodeType[] = laid.nodes.map((n) => ({
      id: n.id,
      type: 'cluster',
      position: n.position,
      data: { info: n.data, highlighted: linked.has(n.id) },
      selected: n.id === selected,
      draggable: false,
      ariaLabel: `${n.data.label}, ${n.data.status === 'down' ? 'crashed' : n.data.status}. ${nodeFigures(n.data)}. Press Enter for details and faults.`,
    }));
    return [...zoneNodes, ...clusterNodes];
  }, [laid, zones, linked, selected]);

  const consumerWires = useMemo(() => wires.filter((w) => w.data.consumer !== null).length, [wires]);
  const edges = useMemo(
    (): WireEdgeType[] =>
      wires.map((w) => ({
        id: w.id,
        type: 'wire',
        source: w.source,
        target: w.target,
        sourceHandle: `${w.sourceSide}-s`,
        targetHandle: `${w.targetSide}-t`,
        focusable: false,
        selectable: false,
        ...(w.data.forward === null ? {} : { markerEnd: arrowhead(w.data) }),
        ...(w.data.backward === null ? {} : { markerStart: arrowhead(w.data) }),
        data: { ...w.data, showCounts, showConsumer: showsConsumerLabel(w.data, consumerWires), highlighted: selected !== null && (w.source === selected || w.target === selected) },
      })),
    [wires, showCounts, selected, consumerWires],
  );

  const onNodesChange = useCallback((changes: NodeChange<ClusterNodeType | ZoneNodeType>[]) => {
    for (const c of changes) {
      if (c.type === 'select' && c.selected && !c.id.startsWith('zone:')) setSelected(c.id);
    }
  }, []);

  // Fit the view once per layout (new run, clients regrouped), not on every frame.
  const layoutKey = graph === null ? '' : graph.nodes.map((n) => n.id).join(',');
  useEffect(() => {
    if (layoutKey === '') return;
    const id = requestAnimationFrame(() => void flowInstance.current?.fitView({ padding: 0.06, duration: 0, maxZoom: 1.2 }));
    return () => cancelAnimationFrame(id);
  }, [layoutKey]);

  const selectedNode = graph?.nodes.find((n) => n.id === selected) ?? null;
  const cutFrom = useMemo(() => {
    if (selected === null) return [];
    return wires.filter((w) => w.data.partitioned && (w.source === selected || w.target === selected)).map((w) => (w.source === selected ? w.target : w.source));
  }, [wires, selected]);
  const anyCut = wires.some((w) => w.data.partitioned);
  const down = graph?.nodes.filter((n) => n.data.status === 'down' && !CLIENT_KINDS.has(n.data.kind)).map((n) => n.id) ?? [];
  // Kafka-like: the servers behind on the log, with how many records they have still to read.
  const behind = graph?.nodes.filter((n) => n.type === 'ws-server' && lagOf(n.data) > 0).map((n) => `${n.id} (${lagOf(n.data)})`) ?? [];
  const partitions = graph?.partitions.length ?? 0;

  const exportSvg = () => (laid === null ? '' : graphToSvg(laid, exportPalette(), title));

  return (
    <section className="diagram pubsub" aria-label="Pub/sub component diagram">
      <div className="diagram-toolbar">
        <p className="diagram-caption">
          {graph === null ? 'Loading the cluster…' : `${graph.nodes.length} components · ${graph.topics.length} topic${graph.topics.length === 1 ? '' : 's'}${partitions > 0 ? ` · ${partitions} partition${partitions === 1 ? '' : 's'}` : ''}`}
          {down.length > 0 ? <span className="tag tag-bad">crashed: {down.join(', ')}</span> : null}
          {behind.length > 0 ? <span className="tag tag-warn">behind on the log: {behind.join(', ')}</span> : null}
          {anyCut ? <span className="tag tag-bad">partitioned</span> : null}
          {graph?.clientsGrouped === true ? <span className="tag">clients grouped per server</span> : null}
        </p>
        <label className="check">
          <input type="checkbox" checked={showCounts} onChange={(event) => setShowCounts(event.currentTarget.checked)} />
          Counters
        </label>
        {anyCut ? (
          <button type="button" className="small repair" disabled={disabled} onClick={() => onOp({ verb: 'heal' })}>
            <Icon name="heal" size={14} />
            Heal all
          </button>
        ) : null}
        <ExportButtons
          label="Export the pub/sub diagram"
          disabled={graph === null}
          actions={[
            { label: 'SVG', done: 'SVG saved', run: () => downloadText(`${fileStem}.svg`, exportSvg(), 'image/svg+xml') },
            { label: 'PNG', done: 'PNG saved', run: async () => downloadBlob(`${fileStem}.png`, await svgToPng(exportSvg())) },
          ]}
        />
      </div>
      <div className="flow-wrap" data-testid="pubsub-flow">
        <ReactFlow<ClusterNodeType | ZoneNodeType, WireEdgeType>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          colorMode={theme}
          onInit={(instance) => {
            flowInstance.current = instance;
            void instance.fitView({ padding: 0.06, maxZoom: 1.2 });
          }}
          onNodesChange={onNodesChange}
          onNodeClick={(_, node) => {
            if (node.type === 'cluster') setSelected(node.id);
          }}
          onPaneClick={() => setSelected(null)}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          minZoom={0.2}
          maxZoom={2.5}
          fitView
          fitViewOptions={{ padding: 0.06, maxZoom: 1.2 }}
          proOptions={{ hideAttribution: true }}
          ariaLabelConfig={{ 'node.a11yDescription.default': 'Press Enter or Space to open the details and fault buttons of a component.' }}
        >
          <Background gap={24} size={1} />
          <ViewportPortal>
            <svg className="pulse-layer" aria-hidden="true">
              <g ref={layer} />
            </svg>
          </ViewportPortal>
          <Controls showInteractive={false} position="bottom-left" />
          <Panel position="bottom-right" className="legend" aria-label="Legend">
            <span className="lg lg-proxy">client traffic</span>
            <span className="lg lg-rpc">service call</span>
            <span className="lg lg-publish">publish</span>
            <span className="lg lg-deliver">fan-out</span>
            <span className="lg lg-cut">cut</span>
          </Panel>
        </ReactFlow>
        {selectedNode === null ? null : (
          <NodeDetails id={selectedNode.id} data={selectedNode.data} peers={peers} cutFrom={cutFrom} onOp={onOp} onClose={() => setSelected(null)} disabled={disabled} />
        )}
      </div>
    </section>
  );
}

export default PubsubPanel;

