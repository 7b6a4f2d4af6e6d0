import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { COMPONENT_PALETTE } from '../../diagrams/index.ts';
import { drawingText, parseDrawing, type DrawnNode } from './drawing.ts';

const kinds = COMPONENT_PALETTE.map((p) => p.kind);

describe('the component drawing kept between visits', () => {
  // Proves a drawing written by the canvas reads back the same: boxes, labels, places, connections.
  test('round-trips boxes, labels, places and connections', () => {
    const nodes: DrawnNode[] = [
      { id: 'client-1-0', position: { x: 40.4, y: 30 }, data: { kind: 'client', label: 'Client' } },
      { id: 'gateway-2-1', position: { x: 250, y: 30.6 }, data: { kind: 'gateway', label: 'Edge <b>"GW"</b>' } },
    ];
    const text = drawingText(nodes, [{ source: 'client-1-0', target: 'gateway-2-1' }]);
    expect(parseDrawing(text)).toEqual({
      nodes: [
        { id: 'client-1-0', kind: 'client', label: 'Client', x: 40, y: 30 },
        { id: 'gateway-2-1', kind: 'gateway', label: 'Edge <b>"GW"</b>', x: 250, y: 31 },
      ],
      edges: [{ source: 'client-1-0', target: 'gateway-2-1' }],
    });
  });

  // Proves damaged storage never throws: text that is not a drawing gives null, and a drawing with
  // unknown kinds or dangling connections keeps only what can be drawn.
  test('damaged text is refused or trimmed, never thrown', () => {
    expect(parseDrawing('{not json')).toBeNull();
    expect(parseDrawing('null')).toBeNull();
    expect(parseDrawing('{"nodes":1,"edges":[]}')).toBeNull();
    const trimmed = parseDrawing(JSON.stringify({ nodes: [{ id: 'a', kind: 'client', x: 'left' }, { id: 'b', kind: 'teapot' }], edges: [{ source: 'a', target: 'b' }, { source: 'a', target: 'a' }] }));
    expect(trimmed).toEqual({ nodes: [{ id: 'a', kind: 'client' }], edges: [{ source: 'a', target: 'a' }] });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const read = parseDrawing(text);
        if (read === null) return;
        const ids = new Set(read.nodes.map((n) => n.id));
        expect(read.nodes.every((n) => kinds.includes(n.kind as (typeof kinds)[number]))).toBe(true);
        expect(read.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
      }),
    );
  });
});
