import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { presetScenario } from '../sim/kernel.ts';
import { runScenario, type TraceEvent } from '../sim/index.ts';
import { flowsBetween, pubsubGraph, PubsubState, type PubsubGraph } from './pubsub.ts';

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

/**
 * The pub/sub lab's restart run (src/labs/pubsub-fanout/patches.ts `restart('kafka')`, rebuilt here
 * because diagrams may not import labs): group-chat on a Kafka-like log of 2 partitions, ws-2
 * crashes at 15 s and restarts at 17 s while each user sends one message to g1 from 15.2 s on.
 * `fetchMaxRecords` small makes the replay take several batches.
 */
const CRASH_AT = 15_000;
const RESTART_AT = 17_000;
function kafkaRestart(fetchMaxRecords?: number): unknown {
  const script = Array.from({ length: 8 }, (_, i) => ({ atMs: 15_200 + i * 100, user: `u${i + 1}`, channel: 'g1', text: `while ws-2 is down ${i + 1}` }));
  return {
    broker: { kind: 'kafka', partitions: 2, ...(fetchMaxRecords === undefined ? {} : { fetchMaxRecords }) },
    delivery: 'at-most-once',
    gateway: { strategy: 'sticky' },
    client: { gapDetection: false },
    durationMs: 30_000,
    workload: { sendRatePerUserPerSec: 0, burstProbability: 0, script },
    faults: [
      { at: CRASH_AT, op: { verb: 'crash', node: 'ws-2' } },
      { at: RESTART_AT, op: { verb: 'restart', node: 'ws-2' } },
    ],
  };
}

const consumerAt = (g: PubsubGraph, server: string, partition: number) => g.partitions.find((p) => p.partition === partition)?.consumers.find((c) => c.server === server);

describe('pubsubGraph of a Kafka-like log', () => {
  // Proves the log is drawn as topics → partitions → servers: the channel g1 goes to its partition
  // (the one the broker appended it to), each server reads the partitions its channels live in, and
  // nothing is drawn as a topic → server push (that is the Redis-like design).
  test('draws topics, partitions and the servers reading them', () => {
    const events = eventsOf('group-chat', kafkaRestart());
    const g = pubsubGraph(events);
    const gPartition = events.find((e) => e.type === 'broker/appended' && e.data.topic === 'g1');
    if (gPartition?.type !== 'broker/appended') throw new Error('no append of g1');
    const p = gPartition.data.partition;
    expect(node(g, 'broker')?.data.label).toBe('Pub/Sub (Kafka-like log)');
    expect(g.nodes.filter((n) => n.type === 'partition').map((n) => n.id)).toEqual(['partition:0', 'partition:1']);
    expect(node(g, 'topic:g1')?.data.partition).toBe(p);
    expect(edge(g, `topic:g1->partition:${p}`)?.data).toMatchObject({ kind: 'publish', messages: events.filter((e) => e.type === 'broker/appended').length });
    expect(edge(g, 'chat->topic:g1')?.data.kind).toBe('publish');
    for (const s of ['ws-1', 'ws-2', 'ws-3']) expect(edge(g, `partition:${p}->${s}`)?.data).toMatchObject({ kind: 'deliver', subscribed: true, consumer: { server: s, partition: p } });
    expect(g.edges.some((e) => e.source.startsWith('topic:') && e.target.startsWith('ws-'))).toBe(false);
    expect(g.topics).toEqual([{ topic: 'g1', subscribers: ['ws-1', 'ws-2', 'ws-3'] }]);
    // Layout: servers | broker and its partitions | topics | chat service.
    const x = (id: string) => node(g, id)?.position.x ?? NaN;
    expect(x('partition:0')).toBe(x('broker'));
    expect(x('ws-1')).toBeLessThan(x('partition:0'));
    expect(x('partition:0')).toBeLessThan(x('topic:g1'));
    expect(x('topic:g1')).toBeLessThan(x('chat'));
  });

  // Proves every figure is the broker's: replaying the trace event by event, after each
  // broker/appended the partition's log end offset is that offset + 1 and it holds offset + 1 −
  // logStartOffset records, and after each broker/consumerLagged that consumer's lag is the one the
  // broker recorded (and its committed offset the log end minus it).
  test('offsets and lags equal what the broker recorded, at every event', () => {
    const state = new PubsubState();
    let appends = 0;
    let lags = 0;
    for (const e of eventsOf('group-chat', kafkaRestart(2))) {
      state.observe(e);
      if (e.type === 'broker/appended') {
        const log = state.graph().partitions.find((l) => l.partition === e.data.partition);
        expect(log).toMatchObject({ logEndOffset: e.data.offset + 1, records: e.data.offset + 1 - (e.data.logStartOffset ?? 0) });
        expect(log?.topics).toContain(e.data.topic);
        appends++;
      } else if (e.type === 'broker/consumerLagged') {
        const c = consumerAt(state.graph(), e.data.server, e.data.partition);
        expect(c?.lag, `seq ${e.seq}`).toBe(e.data.lag);
        expect(c?.committedOffset).toBe((c?.logEndOffset ?? NaN) - e.data.lag);
        lags++;
      }
    }
    // Each record appended is committed by each of its partition's readers, so commits outnumber appends.
    expect(appends).toBeGreaterThan(0);
    expect(lags).toBeGreaterThan(appends);
  });

  // Proves the lab's point on the diagram: while ws-2 is down its lag on g1's partition grows with
  // every record appended; right after the restart it is still behind by all of them; once it has
  // read them again its lag is 0, and with batches of 2 records it shrinks batch by batch.
  test('a restarted server is behind by what it missed, then catches up', () => {
    for (const batch of [undefined, 2]) {
      const events = eventsOf('group-chat', kafkaRestart(batch));
      const appended = events.filter((e) => e.type === 'broker/appended');
      const p = appended[0]?.type === 'broker/appended' ? appended[0].data.partition : -1;
      const whileDown = appended.filter((e) => e.at > CRASH_AT && e.at <= RESTART_AT).length;
      expect(whileDown).toBeGreaterThan(0);
      const before = consumerAt(pubsubGraph(events, { atMs: CRASH_AT }), 'ws-2', p);
      const atRestart = consumerAt(pubsubGraph(events, { atMs: RESTART_AT }), 'ws-2', p);
      expect(before?.lag).toBe(0);
      expect(atRestart?.lag).toBe(whileDown);
      const g = pubsubGraph(events, { atMs: RESTART_AT });
      expect(edge(g, `partition:${p}->ws-2`)?.data.consumer?.lag).toBe(whileDown);
      expect(node(g, `partition:${p}`)?.data.log?.consumers.find((c) => c.server === 'ws-2')?.lag).toBe(whileDown);
      expect(node(g, 'ws-2')?.data.consumes?.find((c) => c.partition === p)?.lag).toBe(whileDown);
      // The lag after each of ws-2's commits from the restart on: it falls to 0 and stays there.
      const lags = events
        .filter((e) => e.type === 'broker/consumerLagged' && e.data.server === 'ws-2' && e.at > RESTART_AT)
        .map((e) => consumerAt(pubsubGraph(events, { atMs: e.at }), 'ws-2', p)?.lag);
      expect(lags.at(-1)).toBe(0);
      for (let i = 1; i < lags.length; i++) expect(lags[i] ?? NaN).toBeLessThan(lags[i - 1] ?? NaN);
      // One batch of up to 100 records brings the 5 back at once; batches of 2 take three commits (3, 1, 0).
      expect(lags.length).toBe(batch === undefined ? 1 : Math.ceil(whileDown / 2));
    }
  });

  // Proves lag = log end offset − committed offset ≥ 0 for every consumer at any playhead, that the
  // log end is the number of records appended to the partition so far, and that the partition →
  // server edge carries the same consumer.
  test('property: lag = end − committed ≥ 0 at every playhead', () => {
    const events = eventsOf('group-chat', kafkaRestart(2));
    const last = (events.at(-1) as TraceEvent).at;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Math.ceil(last) }), (atMs) => {
        const g = pubsubGraph(events, { atMs });
        for (const log of g.partitions) {
          const appended = events.filter((e) => e.type === 'broker/appended' && e.at <= atMs && e.data.partition === log.partition).length;
          expect(log.logEndOffset).toBe(appended);
          for (const c of log.consumers) {
            expect(c.lag).toBe(log.logEndOffset - c.committedOffset);
            expect(c.lag).toBeGreaterThanOrEqual(0);
            expect(c.committedOffset).toBeGreaterThanOrEqual(log.logStartOffset);
            expect(edge(g, `partition:${log.partition}->${c.server}`)?.data.consumer).toEqual(c);
          }
        }
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  // Proves retention shows: with a log that keeps 3 records, a partition holds 3 while its log end
  // keeps growing (group-chat's own traffic, at 30 s).
  test('records held follow retention', () => {
    const g = pubsubGraph(eventsOf('group-chat', { broker: { kind: 'kafka', retentionMessages: 3 } }), { atMs: 30_000 });
    const busy = g.partitions.filter((l) => l.logEndOffset > 3);
    expect(busy.length).toBeGreaterThan(0);
    for (const l of busy) expect(l).toMatchObject({ records: 3, logStartOffset: l.logEndOffset - 3 });
  });

  // Proves the layout stays readable at 12 servers and 8 partitions read by every server
  // (broadcast routing: 96 consumers): partitions stack in the broker's column in order, no two
  // nodes overlap, and every consumer has its edge.
  test('12 servers reading 8 partitions', () => {
    const g = pubsubGraph(eventsOf('group-chat', { topology: { wsServers: 12 }, broker: { kind: 'kafka', routing: 'broadcast' }, durationMs: 10_000 }));
    const parts = g.nodes.filter((n) => n.type === 'partition');
    expect(parts.map((n) => n.id)).toEqual(Array.from({ length: 8 }, (_, i) => `partition:${i}`));
    expect(new Set(parts.map((n) => n.position.x)).size).toBe(1);
    const ys = parts.map((n) => n.position.y);
    expect(ys).toEqual(ys.slice().sort((a, b) => a - b));
    expect(g.edges.filter((e) => e.data.consumer !== undefined)).toHaveLength(96);
    const seen = new Set(g.nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(seen.size).toBe(g.nodes.length);
  });

  // Proves past maxPartitionNodes the partitions are listed, not drawn, and records fall back onto
  // the broker's edges.
  test('too many partitions are listed, not drawn', () => {
    const g = pubsubGraph(eventsOf('group-chat', kafkaRestart()), { maxPartitionNodes: 1 });
    expect(g.nodes.some((n) => n.type === 'partition' || n.type === 'topic')).toBe(false);
    expect(g.partitions.length).toBe(2);
    expect(edge(g, 'broker->ws-1')?.data.messages).toBeGreaterThan(0);
  });
});

describe('pubsubGraph of a Redis-like broker stays as it was', () => {
  // Proves the Kafka-like additions leave a Redis-like graph alone: no partitions, no consumer on
  // any edge or server, topics only from the broker's subscriptions (the tests above pin the rest).
  test('no partitions, no consumers', () => {
    const g = pubsubGraph(eventsOf('group-chat'));
    expect(g.partitions).toEqual([]);
    expect(g.nodes.some((n) => n.type === 'partition' || n.data.consumes !== undefined || n.data.log !== undefined || n.data.partition !== undefined)).toBe(false);
    expect(g.edges.some((e) => e.data.consumer !== undefined)).toBe(false);
  });
});
