import { describe, expect, test } from 'vitest';
import { presetScenario } from '../sim/kernel.ts';
import { runScenario, type TraceEvent } from '../sim/index.ts';
import { flowsBetween, pubsubGraph, type PubsubGraph } from './pubsub.ts';

const SEED = 42;
const cache = new Map<string, readonly TraceEvent[]>();

/** A (patched) preset's trace at seed 42. */
function eventsOf(id: string, patch?: unknown): readonly TraceEvent[] {
  const cacheKey = `${id} ${JSON.stringify(patch ?? null)}`;
  let events = cache.get(cacheKey);
  if (events === undefined) {
    events = runScenario(presetScenario(id, patch), { seed: SEED }).trace.events;
    cache.set(cacheKey, events);
  }
  return events;
}

const node = (g: PubsubGraph, id: string) => g.nodes.find((n) => n.id === id);
const edge = (g: PubsubGraph, id: string) => g.edges.find((e) => e.id === id);

describe('pubsubGraph of group-chat, seed 42', () => {
  // Proves the graph has the lab's components: eight clients, the gateway, the auth service, three
  // servers, the broker with one node per topic, the chat service and the database, and nothing else.
  test('has the expected nodes', () => {
    const g = pubsubGraph(eventsOf('group-chat'));
    expect(g.nodes.map((n) => n.id).sort()).toEqual(
      [
        'c-u1',
        'c-u2',
        'c-u3',
        'c-u4',
        'c-u5',
        'c-u6',
        'c-u7',
        'c-u8',
        'gw',
        'auth',
        'ws-1',
        'ws-2',
        'ws-3',
        'broker',
        'topic:g1',
        'topic:dm:u1:u2',
        'topic:dm:u3:u7',
        'chat',
        'db',
      ].sort(),
    );
    expect(node(g, 'broker')?.data).toMatchObject({ kind: 'broker', label: 'Pub/Sub (Redis-like)', status: 'up' });
    expect(g.clientsGrouped).toBe(false);
  });

  // Proves the subscriptions are the broker's own record (broker/subscribed minus unsubscribed):
  // every server takes g1 (all have members of the group), and each private chat only where its
  // users are connected; topic → server edges exist exactly for these and are marked subscribed.
  test('subscriptions follow the broker events', () => {
    const events = eventsOf('group-chat');
    const want = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.type === 'broker/subscribed') want.set(e.data.topic, (want.get(e.data.topic) ?? new Set()).add(e.data.server));
      if (e.type === 'broker/unsubscribed') want.get(e.data.topic)?.delete(e.data.server);
    }
    const g = pubsubGraph(events);
    expect(Object.fromEntries(g.topics.map((t) => [t.topic, t.subscribers]))).toEqual(
      Object.fromEntries([...want].map(([t, s]) => [t, [...s].sort()])),
    );
    expect(g.topics.find((t) => t.topic === 'g1')?.subscribers).toEqual(['ws-1', 'ws-2', 'ws-3']);
    for (const t of g.topics) {
      for (const s of t.subscribers) {
        expect(edge(g, `topic:${t.topic}->${s}`)?.data).toMatchObject({ kind: 'deliver', subscribed: true });
        expect(node(g, s)?.data.subscriptions).toContain(t.topic);
      }
    }
  });

  // Proves the counters are the trace's: every send counted once on its edge (topic edges for
  // publish and fan-out, one edge per node pair otherwise), and publish edges count the chat
  // service's publishes per topic.
  test('edge counters match the sends in the trace', () => {
    const events = eventsOf('group-chat');
    const g = pubsubGraph(events);
    const sends = events.filter((e) => e.type === 'net/messageSent');
    expect(g.edges.reduce((n, e) => n + e.data.messages, 0)).toBe(sends.length);
    const pubs = sends.filter((e) => (e.data['msg'] as { type: string; topic?: string }).type === 'pub' && (e.data['msg'] as { topic: string }).topic === 'g1');
    expect(edge(g, 'chat->topic:g1')?.data).toMatchObject({ kind: 'publish', messages: pubs.length, partitioned: false, dropped: 0 });
    expect(pubs.length).toBe(events.filter((e) => e.type === 'broker/published' && e.data['topic'] === 'g1').length);
    const pair = (from: string, to: string) => sends.filter((e) => e.data['from'] === from && e.data['to'] === to).length;
    expect(edge(g, 'c-u1->gw')?.data).toMatchObject({ kind: 'proxy', messages: pair('c-u1', 'gw') });
    expect(edge(g, 'ws-2->chat')?.data).toMatchObject({ kind: 'rpc', messages: pair('ws-2', 'chat') });
    expect(edge(g, 'ws-1->broker')?.data.kind).toBe('subscribe');
  });

  // Proves the layout is layered by role and stable: the same positions at every moment.
  test('layout: columns by role, identical between frames', () => {
    const events = eventsOf('group-chat');
    const early = pubsubGraph(events, { atMs: 1_000 });
    const late = pubsubGraph(events);
    expect(early.nodes.map((n) => [n.id, n.position])).toEqual(late.nodes.map((n) => [n.id, n.position]));
    const x = (id: string) => node(late, id)?.position.x ?? -1;
    expect(x('c-u1')).toBeLessThan(x('gw'));
    expect(x('gw')).toBeLessThan(x('ws-1'));
    expect(x('ws-1')).toBeLessThan(x('broker'));
    expect(x('broker')).toBe(x('topic:g1'));
    expect(x('broker')).toBeLessThan(x('chat'));
    expect(x('chat')).toBeLessThan(x('db'));
    expect(early.edges.find((e) => e.id === 'chat->topic:g1')?.data.messages).toBe(0);
  });

  // Proves flowsBetween slices the same counters: the traffic in (t1, t2] is the graph at t2 minus the graph at t1.
  test('flowsBetween matches the graph counters', () => {
    const events = eventsOf('group-chat');
    const [t1, t2] = [20_000, 20_500];
    const before = pubsubGraph(events, { atMs: t1 });
    const after = pubsubGraph(events, { atMs: t2 });
    const flows = flowsBetween(events, t1 + 1, t2 + 1);
    expect(flows.length).toBeGreaterThan(0);
    for (const e of after.edges) {
      const delta = e.data.messages - (before.edges.find((b) => b.id === e.id)?.data.messages ?? 0);
      expect(flows.find((f) => f.edgeId === e.id)?.count ?? 0, e.id).toBe(delta);
    }
  });

  // Proves many clients collapse into one node per server, with the right members and edges.
  test('maxClients groups clients per server', () => {
    const g = pubsubGraph(eventsOf('group-chat'), { maxClients: 4 });
    expect(g.clientsGrouped).toBe(true);
    const groups = g.nodes.filter((n) => n.type === 'client-group');
    expect(groups.map((n) => n.id)).toEqual(['clients@ws-1', 'clients@ws-2', 'clients@ws-3', 'clients@none']);
    expect(groups.flatMap((n) => n.data.members ?? []).sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8']);
    expect(g.nodes.some((n) => n.type === 'client')).toBe(false);
    expect(edge(g, 'clients@ws-1->gw')?.data.kind).toBe('proxy');
    const flows = flowsBetween(eventsOf('group-chat'), 0, 100_000, { maxClients: 4 });
    expect(flows.every((f) => !f.source.startsWith('c-') && !f.target.startsWith('c-'))).toBe(true);
  });
});

describe('pubsubGraph under faults', () => {
  // Proves ws-2 is drawn down exactly while crashed in crash-at-least-once (15 s to 25 s), and
  // that sends to it meanwhile count as dropped on their edges.
  test('a crashed server is down between 15 s and 25 s', () => {
    const events = eventsOf('crash-at-least-once');
    const status = (atMs: number) => node(pubsubGraph(events, { atMs }), 'ws-2')?.data.status;
    expect(status(14_999)).toBe('up');
    expect(status(15_000)).toBe('down');
    expect(status(20_000)).toBe('down');
    expect(status(24_999)).toBe('down');
    expect(status(25_000)).toBe('up');
    const g = pubsubGraph(events, { atMs: 24_999 });
    expect(node(g, 'ws-2')?.data.counters.dropped).toBeGreaterThan(0);
    expect(edge(g, 'gw->ws-2')?.data.dropped).toBeGreaterThan(0);
    expect(node(g, 'ws-1')?.data.status).toBe('up');
  });

  // Proves a partition between a server and the broker flags those links while it lasts.
  test('partitioned links are flagged until healed', () => {
    const events = eventsOf('group-chat', {
      faults: [
        { at: 10_000, op: { verb: 'partition', a: ['ws-2'], b: ['broker'] } },
        { at: 20_000, op: { verb: 'heal' } },
      ],
    });
    const during = pubsubGraph(events, { atMs: 15_000 });
    expect(edge(during, 'ws-2->broker')?.data.partitioned).toBe(true);
    expect(edge(during, 'topic:g1->ws-2')?.data.partitioned).toBe(true);
    expect(edge(during, 'ws-1->broker')?.data.partitioned).toBe(false);
    const after = pubsubGraph(events, { atMs: 25_000 });
    expect(after.edges.some((e) => e.data.partitioned)).toBe(false);
  });
});

describe('pubsubGraph while servers are added and drained', () => {
  // Proves the node list handles the spare pool (ADR 0014): a spare is not drawn until added, a
  // drained server shows `draining` and then `stopped` (down), and it serves again once re-added.
  test('a spare appears when added; a drained server is draining, then stopped, then serves again', () => {
    const events = eventsOf('group-chat', {
      topology: { maxWsServers: 4 },
      faults: [
        { at: 10_000, op: { verb: 'removeServer', node: 'ws-2', graceMs: 5000 } },
        { at: 20_000, op: { verb: 'addServer', node: 'ws-2' } },
      ],
    });
    const at = (atMs: number) => pubsubGraph(events, { atMs });
    expect(node(at(60_000), 'ws-4')).toBeUndefined();
    expect(node(at(9_999), 'ws-2')?.data.service).toBeUndefined();
    expect(node(at(12_000), 'ws-2')?.data).toMatchObject({ service: 'draining', status: 'up', connections: 0 });
    expect(node(at(16_000), 'ws-2')?.data).toMatchObject({ service: 'stopped', status: 'down' });
    expect(node(at(21_000), 'ws-2')?.data.service).toBeUndefined();
    expect(node(at(21_000), 'ws-2')?.data.status).toBe('up');
  });
});
