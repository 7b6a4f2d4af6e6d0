/**
 * The component whiteboard's drawing as it is kept between visits (in the lab's saved progress):
 * written as JSON with each box's place, read back defensively (storage may hold anything).
 */
import { COMPONENT_PALETTE, type StudentComponentGraph } from '../../diagrams/index.ts';

const KINDS = new Set<string>(COMPONENT_PALETTE.map((p) => p.kind));

/** A box as the canvas holds it (React Flow's node, the fields the drawing keeps). */
export interface DrawnNode {
  readonly id: string;
  readonly position: { readonly x: number; readonly y: number };
  readonly data: { readonly kind: string; readonly label: string };
}

/** A drawing as it is kept between visits: the graph, with where each box stands. */
export interface SavedDrawing extends StudentComponentGraph {
  readonly nodes: readonly { readonly id: string; readonly kind: string; readonly label?: string; readonly x?: number; readonly y?: number }[];
}

/** The drawing as JSON (positions rounded), the form `onChange` reports and `parseDrawing` reads. */
export function drawingText(nodes: readonly DrawnNode[], edges: readonly { readonly source: string; readonly target: string }[]): string {
  const drawing: SavedDrawing = {
    nodes: nodes.map((n) => ({ id: n.id, kind: n.data.kind, label: n.data.label, x: Math.round(n.position.x), y: Math.round(n.position.y) })),
    edges: edges.map((e) => ({ source: e.source, target: e.target })),
  };
  return JSON.stringify(drawing);
}

export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A kept drawing read back, or null when the text is not one (damaged storage): only boxes of a
 * known kind and connections between boxes that are there are kept.
 */
export function parseDrawing(text: string): SavedDrawing | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { nodes, edges } = raw as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(nodes) || !Array.isArray(edges)) return null;
  const kept = nodes.filter((n): n is SavedDrawing['nodes'][number] => typeof n === 'object' && n !== null && typeof (n as { id?: unknown }).id === 'string' && KINDS.has((n as { kind?: unknown }).kind as string));
  const ids = new Set(kept.map((n) => n.id));
  return {
    nodes: kept.map((n) => ({ id: n.id, kind: n.kind, ...(typeof n.label === 'string' ? { label: n.label.slice(0, 80) } : {}), ...(finite(n.x) && finite(n.y) ? { x: n.x, y: n.y } : {}) })),
    edges: edges
      .filter((e): e is { source: string; target: string } => typeof e === 'object' && e !== null && ids.has((e as { source?: unknown }).source as string) && ids.has((e as { target?: unknown }).target as string))
      .map((e) => ({ source: e.source, target: e.target })),
  };
}

