import {
  addEdge,
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { COMPONENT_PALETTE, compareComponents, type ClusterComponents, type ComponentCheck, type ComponentKind, type StudentComponentGraph } from '../../diagrams/index.ts';
import { useSettled } from '../hooks/useSettled.ts';
import { drawingText, finite, type SavedDrawing } from './drawing.ts';
import { Findings } from './Findings.tsx';
import './whiteboard.css';

type ComponentNodeData = { kind: ComponentKind; label: string };
type ComponentNode = Node<ComponentNodeData, 'component'>;

const DRAG_TYPE = 'application/x-switchboard-component';
const labelOfKind = new Map(COMPONENT_PALETTE.map((p) => [p.kind, p.label] as const));
const ARROW = { type: MarkerType.ArrowClosed, width: 18, height: 18 } as const;

function ComponentBox({ data, selected }: NodeProps<ComponentNode>) {
  return (
    <div className={`wb-component kind-${data.kind}${selected ? ' is-selected' : ''}`} data-testid={`wb-node-${data.kind}`}>
      <Handle type="target" position={Position.Left} />
      <span className="wb-component-label">{data.label}</span>
      {data.label === labelOfKind.get(data.kind) ? null : <span className="wb-component-kind">{labelOfKind.get(data.kind) ?? data.kind}</span>}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { component: ComponentBox };

function toFlow(graph: SavedDrawing): { nodes: ComponentNode[]; edges: Edge[] } {
  const nodes = graph.nodes.map((n, i): ComponentNode => ({
    id: n.id,
    type: 'component',
    position: finite(n.x) && finite(n.y) ? { x: n.x, y: n.y } : { x: 40 + (i % 4) * 210, y: 30 + Math.floor(i / 4) * 110 },
    data: { kind: n.kind as ComponentKind, label: n.label ?? labelOfKind.get(n.kind as ComponentKind) ?? n.kind },
  }));
  const edges = graph.edges.map((e): Edge => ({ id: `${e.source}->${e.target}`, source: e.source, target: e.target, markerEnd: ARROW }));
  return { nodes, edges };
}

export interface ComponentWhiteboardProps {
  /** The cluster's components and connections (the workbench's `actualComponents`), or null while loading. */
  readonly cluster: ClusterComponents | null;
  readonly theme: 'light' | 'dark';
  /** A drawing to start from (stories and saved work). */
  readonly initial?: SavedDrawing;
  /** The drawing as `drawingText` writes it, once it settles (to keep it between visits). */
  readonly onChange?: (text: string) => void;
  /** Each check's verdict: true when no difference is an error. */
  readonly onChecked?: (ok: boolean) => void;
  /** Highlights a real connection in the pub/sub view (its edge id), when the host offers that. */
  readonly onShowEdge?: (edgeId: string) => void;
}

/**
 * The component whiteboard: the student drags components from a palette onto a React Flow canvas
 * (or clicks to add them), connects them (from a box's right handle to another's left handle, the
 * way requests go), deletes with the Delete key or the button, and checks the drawing against the
 * cluster's own components and connections.
 */
export function ComponentWhiteboard(props: ComponentWhiteboardProps) {
  return (
    <ReactFlowProvider>
      <Board {...props} />
    </ReactFlowProvider>
  );
}

const NOTHING: SavedDrawing = { nodes: [], edges: [] };

function Board({ cluster, theme, initial = NOTHING, onShowEdge, onChange, onChecked }: ComponentWhiteboardProps) {
  const start = useMemo(() => toFlow(initial), [initial]);
  const [nodes, setNodes, onNodesChange] = useNodesState<ComponentNode>(start.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>(start.edges);
  const startText = useMemo(() => drawingText(start.nodes, start.edges), [start]);
  const text = useMemo(() => drawingText(nodes, edges), [nodes, edges]);
  useSettled(text, startText, onChange);
  const [result, setResult] = useState<ComponentCheck | null>(null);
  const counter = useRef(0);
  const { screenToFlowPosition } = useReactFlow();

  const add = useCallback(
    (kind: ComponentKind, position?: { x: number; y: number }) => {
      counter.current += 1;
      setNodes((ns) => {
        const same = ns.filter((n) => n.data.kind === kind).length;
        let id = `${kind}-${counter.current}-${ns.length}`;
        // A kept drawing may already hold this id: count on until it is free.
        while (ns.some((n) => n.id === id)) id = `${kind}-${(counter.current += 1)}-${ns.length}`;
        const label = `${labelOfKind.get(kind) ?? kind}${same > 0 ? ` ${same + 1}` : ''}`;
        const at = position ?? { x: 40 + (ns.length % 4) * 210, y: 30 + Math.floor(ns.length / 4) * 110 };
        return [...ns, { id, type: 'component', position: at, data: { kind, label } }];
      });
    },
    [setNodes],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source === c.target) return;
      setEdges((es) => addEdge({ ...c, id: `${c.source}->${c.target}`, markerEnd: ARROW }, es));
    },
    [setEdges],
  );

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    const kind = e.dataTransfer.getData(DRAG_TYPE);
    if (!COMPONENT_PALETTE.some((p) => p.kind === kind)) return;
    add(kind as ComponentKind, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  };

  const deleteSelected = (): void => {
    const gone = new Set(nodes.filter((n) => n.selected === true).map((n) => n.id));
    setNodes((ns) => ns.filter((n) => !gone.has(n.id)));
    setEdges((es) => es.filter((e) => e.selected !== true && !gone.has(e.source) && !gone.has(e.target)));
  };

  const check = (): void => {
    if (cluster === null) return;
    const graph: StudentComponentGraph = {
      nodes: nodes.map((n) => ({ id: n.id, kind: n.data.kind, label: n.data.label })),
      edges: edges.map((e) => ({ source: e.source, target: e.target })),
    };
    const checked = compareComponents(graph, cluster);
    setResult(checked);
    onChecked?.(checked.ok);
  };

  return (
    <section className="whiteboard" aria-label="Component whiteboard">
      <div className="wb-board">
        <ul className="wb-palette" aria-label="Components">
          {COMPONENT_PALETTE.map((p) => (
            <li key={p.kind}>
              <button
                type="button"
                draggable
                title={p.hint}
                aria-label={`Add ${p.label}`}
                className={`wb-palette-item kind-${p.kind}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, p.kind);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => add(p.kind)}
              >
                {p.label}
              </button>
            </li>
          ))}
        </ul>
        <div
          className="wb-canvas"
          data-testid="wb-canvas"
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }}
          onDrop={onDrop}
        >
          <ReactFlow<ComponentNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            colorMode={theme}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            deleteKeyCode={['Backspace', 'Delete']}
            fitView
            fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
      </div>
      <div className="whiteboard-actions">
        <button type="button" className="primary" onClick={check} disabled={cluster === null}>
          Check against the cluster
        </button>
        <button type="button" onClick={deleteSelected}>
          Delete selected
        </button>
        <span className="hint">
          {nodes.length} component{nodes.length === 1 ? '' : 's'}, {edges.length} connection{edges.length === 1 ? '' : 's'}. Connect from a box’s right side to another’s left side, the way requests go.
        </span>
      </div>
      {result === null ? null : (
        <section className="whiteboard-result" aria-label="Check result">
          <Findings
            findings={result.findings}
            allClear="No differences: your drawing has the cluster’s components and connections."
            linksOf={(f) =>
              f.edgeId !== null && onShowEdge !== undefined ? (
                <button type="button" className="link-button" onClick={() => onShowEdge(f.edgeId as string)}>
                  Show it in the pub/sub view
                </button>
              ) : null
            }
          />
        </section>
      )}
    </section>
  );
}
