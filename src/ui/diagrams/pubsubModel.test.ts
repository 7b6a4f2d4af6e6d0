import { describe, expect, test } from 'vitest';
import { createWorkbench } from '../../workbench/index.ts';
import { graphToSvg } from './graphSvg.ts';
import { compactLayout, NODE_H, NODE_W, sidesFor, wiresOf, zonesOf } from './pubsubModel.ts';

/** group-chat (seed 42) at 6 s with ws-2 crashed at 3 s, as the pub/sub graph. */
function faultyGraph() {
  const wb = createWorkbench();
  wb.open('group-chat', 42);
  wb.advance(2_999);
  wb.operate({ verb: 'crash', node: 'ws-2' });
  wb.operate({ verb: 'partition', a: ['ws-1'], b: ['broker'] });
  const graph = wb.advance(3_000, { graph: true }).graph;
  if (graph === null) throw new Error('no graph');
  return graph;
}

describe('the pub/sub view model', () => {
  // Proves both directions between two nodes become one wire with both counters, and that the
  // builder's edge ids map onto wires (so flows can animate the right wire the right way).
  test('wires merge directions and keep both ids', () => {
    const graph = faultyGraph();
    const wires = wiresOf(graph);
    const pairs = new Set(wires.map((w) => [w.source, w.target].sort().join('|')));
    expect(pairs.size).toBe(wires.length);
    const gw = wires.find((w) => w.source === 'c-u1' && w.target === 'gw');
    expect(gw?.data.forwardId).toBe('c-u1->gw');
    expect(gw?.data.backwardId).toBe('gw->c-u1');
    expect(gw?.sourceSide).toBe('r');
    const cut = wires.filter((w) => w.data.partitioned).map((w) => [w.source, w.target].sort().join('|'));
    expect(cut).toContain('broker|ws-1');
  });

  // Proves wires leave by the side facing their other end, and stack vertically in one column.
  test('sides face each other', () => {
    expect(sidesFor({ x: 0, y: 0 }, { x: 300, y: 0 })).toEqual(['r', 'l']);
    expect(sidesFor({ x: 300, y: 0 }, { x: 0, y: 90 })).toEqual(['l', 'r']);
    expect(sidesFor({ x: 10, y: 0 }, { x: 10, y: 90 })).toEqual(['b', 't']);
  });

  // Proves the zones enclose their members: the WebSocket cluster holds every server.
  test('zones enclose the WebSocket cluster and the broker', () => {
    const graph = faultyGraph();
    const ws = zonesOf(graph).find((z) => z.id === 'zone:ws');
    expect(ws).toBeDefined();
    for (const n of graph.nodes.filter((x) => x.type === 'ws-server')) {
      expect(n.position.x).toBeGreaterThanOrEqual(ws?.x ?? Infinity);
      expect(n.position.y).toBeGreaterThanOrEqual(ws?.y ?? Infinity);
    }
  });

  // Proves the exported SVG is one well-formed document that says a server crashed and a link is
  // cut, with every label escaped.
  test('graphToSvg writes a standalone, escaped document', () => {
    const svg = graphToSvg(faultyGraph(), undefined, 'group-chat <seed 42> & friends');
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('CRASHED');
    expect(svg).toContain('✂ partitioned');
    expect(svg).toContain('group-chat &#60;seed 42&#62; &#38; friends');
    expect(svg).not.toContain('<seed');
    expect(svg.match(/<svg/g)).toHaveLength(1);
  });

  // Proves the export draws arrowheads as the screen does: every wire has one at each end that
  // traffic arrives at, and each refers to a marker the document defines.
  test('graphToSvg draws arrowheads', () => {
    const graph = faultyGraph();
    const svg = graphToSvg(graph);
    const defined = new Set([...svg.matchAll(/<marker id="([^"]+)"/g)].map((m) => m[1]));
    const used = [...svg.matchAll(/marker-(?:end|start)="url\(#([^)]+)\)"/g)].map((m) => m[1]);
    const ends = wiresOf(graph).reduce((n, w) => n + (w.data.forward === null ? 0 : 1) + (w.data.backward === null ? 0 : 1), 0);
    expect(used).toHaveLength(ends);
    for (const id of used) expect(defined.has(id)).toBe(true);
  });

  // Proves the compact layout keeps the builder's columns in order and rows apart, stacks a lone
  // last column (the database) under the one before it, and never overlaps two nodes.
  test('compactLayout packs the layout without overlaps', () => {
    const graph = faultyGraph();
    const laid = compactLayout(graph);
    const at = (g: typeof graph, id: string) => g.nodes.find((n) => n.id === id)?.position ?? { x: NaN, y: NaN };
    expect(at(laid, 'gw').x).toBeLessThan(at(laid, 'ws-1').x);
    expect(at(laid, 'db').x).toBe(at(laid, 'chat').x);
    expect(at(laid, 'db').y).toBeGreaterThan(at(laid, 'chat').y + NODE_H);
    const xs = laid.nodes.map((n) => n.position.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(Math.max(...graph.nodes.map((n) => n.position.x)) * 0.8);
    for (const a of laid.nodes)
      for (const b of laid.nodes)
        if (a !== b) expect(Math.abs(a.position.x - b.position.x) >= NODE_W || Math.abs(a.position.y - b.position.y) >= NODE_H).toBe(true);
  });
});
