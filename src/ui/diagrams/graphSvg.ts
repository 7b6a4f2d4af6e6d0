/**
 * The pub/sub diagram as a standalone SVG document, drawn from the same data as the React Flow
 * view (not a screenshot of it), so the file is small, sharp at any size and opens anywhere.
 */
import { getBezierPath, Position } from '@xyflow/react';
import type { PubsubGraph } from '../../diagrams/index.ts';
import { anchor, consumerLabel, KIND_TAG, NODE_H, NODE_W, nodeFigures, showsConsumerLabel, wiresOf, zonesOf, type Side } from './pubsubModel.ts';

/** Colours of the exported drawing. */
export interface GraphPalette {
  readonly background: string;
  readonly surface: string;
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly zone: string;
  readonly danger: string;
  readonly warn: string;
  readonly edge: Readonly<Record<string, string>>;
}

export const LIGHT_PALETTE: GraphPalette = {
  background: '#ffffff',
  surface: '#ffffff',
  text: '#1b1f24',
  muted: '#5b6472',
  border: '#c9cfd8',
  zone: '#f1f3f7',
  danger: '#c62828',
  warn: '#b45309',
  edge: { proxy: '#8a94a6', rpc: '#2f6fde', publish: '#7c4dff', deliver: '#0f9d76', subscribe: '#a78bfa' },
};

const POSITION: Record<Side, Position> = { l: Position.Left, r: Position.Right, t: Position.Top, b: Position.Bottom };

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * @example
 * const svg = graphToSvg(frame.graph, LIGHT_PALETTE, 'group-chat, seed 42, t = 12.000 s');
 */
export function graphToSvg(graph: PubsubGraph, palette: GraphPalette = LIGHT_PALETTE, title = 'Pub/sub component diagram'): string {
  const pos = new Map(graph.nodes.map((n) => [n.id, n.position]));
  const zones = zonesOf(graph);
  const xs = [...graph.nodes.map((n) => n.position.x), ...zones.map((z) => z.x)];
  const ys = [...graph.nodes.map((n) => n.position.y), ...zones.map((z) => z.y)];
  const pad = 24;
  const minX = Math.min(0, ...xs) - pad;
  const minY = Math.min(0, ...ys) - pad - 28;
  const maxX = Math.max(...graph.nodes.map((n) => n.position.x + NODE_W), ...zones.map((z) => z.x + z.width)) + pad;
  const maxY = Math.max(...graph.nodes.map((n) => n.position.y + NODE_H), ...zones.map((z) => z.y + z.height)) + pad;
  const width = maxX - minX;
  const height = maxY - minY;
  const font = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="${minX} ${minY} ${width} ${height}" ${font}>`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="${palette.background}"/>`);
  out.push(`<text x="${minX + pad}" y="${minY + pad + 6}" font-size="14" font-weight="600" fill="${palette.text}">${escapeXml(title)}</text>`);
  for (const z of zones) {
    out.push(`<rect x="${z.x}" y="${z.y}" width="${z.width}" height="${z.height}" rx="10" fill="${palette.zone}" stroke="${palette.border}" stroke-dasharray="4 4"/>`);
    out.push(`<text x="${z.x + 10}" y="${z.y + 14}" font-size="11" font-weight="600" fill="${palette.muted}">${escapeXml(z.label)}</text>`);
  }
  // One arrowhead per wire colour, pointing the way traffic arrives (as on screen).
  const heads = new Map<string, string>();
  const headOf = (colour: string): string => {
    let id = heads.get(colour);
    if (id === undefined) {
      id = `head-${heads.size}`;
      heads.set(colour, id);
      out.push(`<defs><marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker></defs>`);
    }
    return id;
  };
  const wires = wiresOf(graph);
  const consumerWires = wires.filter((w) => w.data.consumer !== null).length;
  for (const w of wires) {
    const s = anchor(pos.get(w.source) as { x: number; y: number }, w.sourceSide);
    const t = anchor(pos.get(w.target) as { x: number; y: number }, w.targetSide);
    const [d, lx, ly] = getBezierPath({ sourceX: s.x, sourceY: s.y, sourcePosition: POSITION[w.sourceSide], targetX: t.x, targetY: t.y, targetPosition: POSITION[w.targetSide] });
    const colour = w.data.partitioned ? palette.danger : (palette.edge[w.data.kind] ?? palette.muted);
    const dash = w.data.partitioned ? ' stroke-dasharray="6 4"' : w.data.active ? '' : ' stroke-dasharray="2 4"';
    const msgs = (w.data.forward?.messages ?? 0) + (w.data.backward?.messages ?? 0);
    const widthPx = msgs === 0 ? 1 : Math.min(4, 1 + Math.log10(1 + msgs));
    const ends = `${w.data.forward === null ? '' : ` marker-end="url(#${headOf(colour)})"`}${w.data.backward === null ? '' : ` marker-start="url(#${headOf(colour)})"`}`;
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="${widthPx.toFixed(2)}"${dash} opacity="${w.data.active ? 1 : 0.5}"${ends}/>`);
    if (w.data.partitioned) out.push(`<text x="${lx}" y="${ly - 6}" font-size="11" font-weight="700" text-anchor="middle" fill="${palette.danger}">✂ partitioned</text>`);
    // A Kafka-like reader's committed offset and lag, as on screen.
    else if (w.data.consumer !== null && showsConsumerLabel(w.data, consumerWires)) {
      const fill = w.data.consumer.lag > 0 ? palette.warn : palette.muted;
      out.push(`<text x="${lx}" y="${ly - 6}" font-size="11" font-weight="600" text-anchor="middle" fill="${fill}">${escapeXml(consumerLabel(w.data.consumer))}</text>`);
    }
  }
  for (const n of graph.nodes) {
    const { x, y } = n.position;
    const down = n.data.status === 'down';
    const stroke = down ? palette.danger : n.data.status === 'slow' ? palette.warn : palette.border;
    out.push(`<g>`);
    out.push(`<rect x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="8" fill="${palette.surface}" stroke="${stroke}" stroke-width="${down ? 2 : 1}"${down ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${x + 10}" y="${y + 15}" font-size="9.5" font-weight="600" fill="${palette.muted}" letter-spacing="0.04em">${escapeXml((KIND_TAG[n.data.kind] ?? n.data.kind).toUpperCase())}${down ? ` · CRASHED` : n.data.status === 'slow' ? ` · SLOW ×${n.data.slowFactor ?? '?'}` : ''}</text>`);
    out.push(`<text x="${x + 10}" y="${y + 32}" font-size="13" font-weight="600" fill="${down ? palette.danger : palette.text}">${escapeXml(n.data.label)}</text>`);
    out.push(`<text x="${x + 10}" y="${y + 48}" font-size="10.5" fill="${palette.muted}">${escapeXml(nodeFigures(n.data))}</text>`);
    out.push(`</g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
