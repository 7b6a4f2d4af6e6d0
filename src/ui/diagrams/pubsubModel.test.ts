import { describe, expect, test } from 'vitest';
import { createWorkbench } from '../../workbench/index.ts';
import { graphToSvg } from './graphSvg.ts';
import { COLUMN_PITCH, compactLayout, CONSUMER_GAP, consumerLabel, lagOf, MAX_CONSUMER_LABELS, NODE_H, NODE_W, nodeFigures, showsConsumerLabel, sidesFor, wiresOf, zonesOf } from './pubsubModel.ts';

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

/**
 * The pub/sub lab's restart run on a Kafka-like log (group-chat, seed 42, 2 partitions, ws-2 down
 * from 15 s to 17 s while the users send to g1), at `atMs`, as the workbench draws it.
 */
function kafkaGraph(atMs: number, patch: Record<string, unknown> = {}) {
  const script = Array.from({ length: 8 }, (_, i) => ({ atMs: 15_200 + i * 100, user: `u${i + 1}`, channel: 'g1', text: `while ws-2 is down ${i + 1}` }));
  const wb = createWorkbench();
  wb.open('group-chat', 42, {}, {
    broker: { kind: 'kafka', partitions: 2 },
    delivery: 'at-most-once',
    gateway: { strategy: 'sticky' },
    client: { gapDetection: false },
    durationMs: 30_000,
    workload: { sendRatePerUserPerSec: 0, burstProbability: 0, script },
    faults: [
      { at: 15_000, op: { verb: 'crash', node: 'ws-2' } },
      { at: 17_000, op: { verb: 'restart', node: 'ws-2' } },
    ],
    ...patch,
  });
  const graph = wb.advance(atMs - 1, { graph: true }).graph;
  if (graph === null) throw new Error('no graph');
  return graph;
}

describe('the pub/sub view model of a Kafka-like log', () => {
  // Proves a partition ↔ server wire carries the reader's offsets and is drawn as fan-out, a
  // lagging reader marks its partition and its server, and the label says offset and lag.
  test('wires carry the consumer; lag marks the partition and the server', () => {
    const graph = kafkaGraph(17_100);
    const wire = wiresOf(graph).find((w) => w.source === 'ws-2' && w.target === 'partition:1');
    expect(wire?.data.kind).toBe('deliver');
    expect(wire?.data.consumer).toMatchObject({ server: 'ws-2', partition: 1, committedOffset: 0 });
    const lag = wire?.data.consumer?.lag ?? 0;
    expect(lag).toBeGreaterThan(0);
    expect(consumerLabel(wire?.data.consumer ?? { server: '', partition: 0, committedOffset: 0, logEndOffset: 0, lag: 0 })).toBe(`offset 0 · lag ${lag}`);
    const part = graph.nodes.find((n) => n.id === 'partition:1');
    expect(lagOf(part?.data ?? graph.nodes[0]!.data)).toBe(lag);
    expect(nodeFigures(part?.data ?? graph.nodes[0]!.data)).toBe(`end ${lag} · ${lag} record${lag === 1 ? '' : 's'}`);
    expect(lagOf(graph.nodes.find((n) => n.id === 'ws-2')!.data)).toBe(lag);
    expect(lagOf(graph.nodes.find((n) => n.id === 'ws-1')!.data)).toBe(0);
    expect(zonesOf(graph).find((z) => z.id === 'zone:broker')?.height).toBeGreaterThan(NODE_H * 2);
    // Once replayed, nobody is behind.
    const later = kafkaGraph(20_000);
    expect(later.nodes.every((n) => lagOf(n.data) === 0)).toBe(true);
  });

  // Proves the label policy: every consumer wire is labelled in a small graph; past
  // MAX_CONSUMER_LABELS wires only the lagging ones are.
  test('consumer labels: all when few, the lagging ones when many', () => {
    const wires = wiresOf(kafkaGraph(17_100));
    const consumers = wires.filter((w) => w.data.consumer !== null);
    expect(consumers.length).toBeLessThanOrEqual(MAX_CONSUMER_LABELS);
    expect(consumers.every((w) => showsConsumerLabel(w.data, consumers.length))).toBe(true);
    expect(consumers.filter((w) => showsConsumerLabel(w.data, 96)).map((w) => w.data.consumer?.server)).toEqual(['ws-2']);
    expect(wires.filter((w) => w.data.consumer === null).some((w) => showsConsumerLabel(w.data, 1))).toBe(false);
  });

  // Proves 12 servers reading 8 partitions each lay out without overlaps once packed, with the
  // partitions in one column between the servers and the topics, set apart for the wire labels.
  test('compactLayout: 12 servers and 8 partitions without overlaps', () => {
    const laid = compactLayout(kafkaGraph(20_000, { topology: { wsServers: 12 }, broker: { kind: 'kafka', routing: 'broadcast' } }));
    const parts = laid.nodes.filter((n) => n.type === 'partition');
    expect(parts).toHaveLength(8);
    const x = (id: string) => laid.nodes.find((n) => n.id === id)?.position.x ?? NaN;
    // The labels' room: one column pitch and the consumer gap between the servers and the partitions.
    expect(x('partition:0') - x('ws-12')).toBe(COLUMN_PITCH + CONSUMER_GAP);
    expect(x('partition:0')).toBeLessThan(x('topic:g1'));
    for (const a of laid.nodes)
      for (const b of laid.nodes)
        if (a !== b) expect(Math.abs(a.position.x - b.position.x) >= NODE_W || Math.abs(a.position.y - b.position.y) >= NODE_H).toBe(true);
  });

  // Proves the SVG export writes the lag label the screen shows.
  test('graphToSvg writes the consumer labels', () => {
    const graph = kafkaGraph(17_100);
    const lag = graph.partitions.find((p) => p.partition === 1)?.consumers.find((c) => c.server === 'ws-2')?.lag;
    const svg = graphToSvg(graph);
    expect(svg).toContain(`offset 0 · lag ${lag}`);
    expect(svg).toContain('PARTITION');
  });
});
