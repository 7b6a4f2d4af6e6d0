import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chatCheckers } from '../checkers/chat.ts';
import type { Checker } from '../checkers/checker.ts';
import type { ClusterEventData, ClusterEventType, ClusterInfo, TraceEvent, Violation } from '../contract/index.ts';
import type { RunReport } from '../contract/index.ts';
import type { NodeReport } from '../engine/simulation.ts';
import { MetricsCollector, type ReportArgs } from './collector.ts';
import { IntHistogram, latencyPercentiles, nearestRank } from './percentiles.ts';

const info: ClusterInfo = {
  channels: new Map([['g1', ['u1', 'u2', 'u3']]]),
  clientNodes: new Map(['u1', 'u2', 'u3'].map((u) => [u, `client-${u}`])),
  nodeKinds: new Map([
    ['client-u1', 'client'],
    ['client-u2', 'client'],
    ['ws-1', 'ws-server'],
    ['chat', 'chat'],
    ['broker', 'broker'],
  ]),
  workloadEndMs: 1000,
};

/** Builds a synthetic trace with consecutive seqs; each event happens at `now`. */
class TraceBuilder {
  readonly events: TraceEvent[] = [];
  now = 0;

  add<T extends ClusterEventType>(type: T, data: ClusterEventData[T], node = 'n'): void {
    // The signature pairs the type with its data; the union cannot see it.
    this.events.push({ seq: this.events.length, at: this.now, node, causeSeq: null, type, data } as TraceEvent);
  }
  /** A kernel network send from `node`. */
  net(node: string): void {
    this.events.push({ seq: this.events.length, at: this.now, node, causeSeq: null, type: 'net/messageSent', data: { from: node, to: 'x', msg: {} } });
  }
  at(ms: number): this {
    this.now = ms;
    return this;
  }
  sent(user: string, clientMsgId: string): void {
    this.add('client/messageSent', { user, channel: 'g1', clientMsgId, text: 'hi' });
  }
  failed(user: string, clientMsgId: string, code: ClusterEventData['client/sendFailed']['code']): void {
    this.add('client/sendFailed', { user, channel: 'g1', clientMsgId, code, message: code });
  }
  /** The sender identity of each sequenced id (a show names it, as the client's does). */
  private readonly sends = new Map<string, { author: string; clientMsgId: string }>();
  sequenced(id: string, author: string, clientMsgId: string): void {
    this.sends.set(id, { author, clientMsgId });
    this.add('chat/messageSequenced', { id, channel: 'g1', seq: null, prevId: null, author, clientMsgId });
  }
  private sendOf(id: string): { author: string; clientMsgId: string } {
    return this.sends.get(id) ?? { author: 'u1', clientMsgId: `c-${id}` };
  }
  persisted(id: string, order: number): void {
    this.add('chat/messagePersisted', { id, channel: 'g1', seq: null, order, ...this.sendOf(id) });
  }
  shown(user: string, id: string): void {
    this.add('client/messageShown', { user, channel: 'g1', id, seq: null, ...this.sendOf(id), position: 0 });
  }
  connected(user: string): void {
    this.add('client/connected', { user, server: 'ws-1' });
  }
  lag(server: string, partition: number, lag: number): void {
    this.add('broker/consumerLagged', { server, partition, lag });
  }
}

function args(checkers: readonly Checker[], nodeReports: Record<string, NodeReport> = {}): ReportArgs {
  return { seed: 7, scenario: 'test', simTimeMs: 5000, events: 123, traceHash: 'abc', truncated: false, nodeReports, checkers, wallMs: 9 };
}

/** Runs the chat checkers and a collector over the events together, as a live run would. */
function collect(events: readonly TraceEvent[], nodeReports?: Record<string, NodeReport>): RunReport {
  const checkers = chatCheckers(info);
  const metrics = new MetricsCollector(info);
  for (const e of events) {
    for (const c of checkers) c.observe(e);
    metrics.observe(e);
  }
  return metrics.report(args(checkers, nodeReports));
}

describe('percentiles', () => {
  test('use the nearest rank', () => {
    // Over 1..200, rank ⌈p·n/100⌉ picks 100, 180, 198 and 200; one value is every percentile.
    const values = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(latencyPercentiles(values)).toEqual({ p50: 100, p90: 180, p99: 198, max: 200 });
    expect(latencyPercentiles([42])).toEqual({ p50: 42, p90: 42, p99: 42, max: 42 });
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  test('from a histogram equal the nearest-rank percentiles of the samples', () => {
    // Property: for any integer samples, the histogram's percentiles are those of the sorted list.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 300 }), (xs) => {
        const h = new IntHistogram();
        for (const x of xs) h.add(x);
        expect(h.percentiles()).toEqual(latencyPercentiles(xs));
      }),
    );
  });

  test('are absent with no values', () => {
    // An empty run reports no latency at all rather than zeros a reader would take for "instant".
    expect(latencyPercentiles([])).toBeNull();
  });
});

describe('MetricsCollector', () => {
  test('counts sends, persists, shows, refusals and the checkers’ violations', () => {
    // A hand-built run with one out-of-order show, one duplicate, two losses and two refusals.
    const t = new TraceBuilder();
    for (const u of ['u1', 'u2', 'u3']) t.connected(u);
    t.at(10).sent('u1', 'u1-1');
    t.at(12).sequenced('m1', 'u1', 'u1-1');
    t.at(14).persisted('m1', 1);
    t.at(15).shown('u1', 'm1'); // 5 ms
    t.at(20).sent('u2', 'u2-1');
    t.at(22).sequenced('m2', 'u2', 'u2-1');
    t.at(24).persisted('m2', 2);
    t.at(25).shown('u1', 'm2'); // 5 ms
    t.at(28).shown('u2', 'm2'); // 8 ms
    t.at(30).shown('u2', 'm1'); // 20 ms, and out of order after m2
    t.sent('u3', 'u3-1');
    t.failed('u3', 'u3-1', 'RATE_LIMITED');
    t.at(31).sent('u1', 'u1-2');
    t.failed('u1', 'u1-2', 'FORBIDDEN');
    t.at(32).sent('u1', 'u1-3');
    t.at(40).failed('u1', 'u1-3', 'TIMEOUT');
    t.at(50).shown('u1', 'm9'); // never sequenced: delivered but without a latency
    t.at(130).shown('u2', 'm1'); // 120 ms, and a duplicate
    // u3 saw neither message: two losses.
    const r = collect(t.events);
    expect(r.counts).toEqual({
      sent: 5,
      persisted: 2,
      delivered: 6,
      duplicatesShown: 1,
      outOfOrderShown: 1,
      senderOrderBroken: 0,
      causalBroken: 0,
      lost: 2,
      // No acks in this trace: three sends failed visibly, and the two others were shown to
      // someone, so none vanished (3 + 2 + 0 + 0 = the 5 sent).
      acked: 0,
      failedShown: 3,
      pending: 2,
      lostSends: 0,
      rateLimited: 1,
      forbidden: 1,
    });
    // Latencies 5, 5, 8, 20, 120: ranks ⌈2.5⌉ = 3 and ⌈4.5⌉ = 5.
    expect(r.latencyMs).toEqual({ p50: 8, p90: 120, p99: 120, max: 120 });
    // Losses are pinned to the persisted events, which come before the bad shows.
    expect(r.violations.map((v) => v.checker)).toEqual(['lost', 'lost', 'ordering', 'duplicates']);
  });

  test('measures latency from the first send, linked through the client message id', () => {
    // One message shown to ten recipients 10..100 ms after it was sent; a retry does not reset the clock.
    const t = new TraceBuilder();
    t.at(100).sent('u1', 'u1-1');
    t.at(150).add('client/messageRetried', { user: 'u1', channel: 'g1', clientMsgId: 'u1-1', attempt: 2 });
    t.at(160).sequenced('m1', 'u1', 'u1-1');
    for (const l of [7, 3, 9, 1, 5, 10, 2, 8, 4, 6]) t.at(100 + l * 10).shown(`r${l}`, 'm1');
    expect(collect(t.events).latencyMs).toEqual({ p50: 50, p90: 90, p99: 100, max: 100 });
  });

  test('counts network messages by the sending node’s kind, and per persisted message', () => {
    // Seven sends over three persisted messages: 7 / 3 rounds to 2.333; unknown nodes count as other.
    const t = new TraceBuilder();
    for (const node of ['client-u1', 'client-u2', 'ws-1', 'ws-1', 'ws-1', 'chat', 'mystery']) t.net(node);
    for (let i = 1; i <= 3; i++) t.persisted(`m${i}`, i);
    const r = collect(t.events);
    expect(r.messagesPerComponent).toEqual({ chat: 1, client: 2, other: 1, 'ws-server': 3 });
    expect(Object.keys(r.messagesPerComponent)).toEqual(['chat', 'client', 'other', 'ws-server']);
    expect(r.messagesPerPersisted).toBe(2.333);
  });

  test('reports the largest lag and the sum of each partition’s last lag', () => {
    // s1/p0 ends at 2, s1/p1 at 12, s2/p0 at 3: final 17; the largest ever seen is 12.
    const t = new TraceBuilder();
    t.lag('s1', 0, 5);
    t.lag('s1', 1, 12);
    t.lag('s1', 0, 2);
    t.lag('s2', 0, 3);
    expect(collect(t.events).brokerLag).toEqual({ max: 12, final: 17 });
  });

  test('reports zeros for an empty run, and no latency rather than a latency of zero', () => {
    // No persisted message means no amplification ratio rather than a division by zero; nothing
    // shown means there is no latency to report, which must not read as "0 ms".
    const r = collect([]);
    expect(r.brokerLag).toEqual({ max: 0, final: 0 });
    expect(r.messagesPerPersisted).toBe(0);
    expect(r.messagesPerComponent).toEqual({});
    expect(r.latencyMs).toBeNull();
  });

  test('maps node reports to figures rounded to 3 decimals', () => {
    // Means and ratios are rounded; counts pass through; up, dropped and queueDepth are left out.
    const ws: NodeReport = {
      kind: 'ws-server',
      up: true,
      processed: 7,
      dropped: 2,
      queueWaitMsMean: 1.23456,
      sojournMsMean: 2 / 3,
      utilization: 0.1 + 0.2,
      queueDepthMax: 4,
      queueDepth: 1,
    };
    const r = collect([], { 'ws-1': ws });
    expect(r.nodes).toStrictEqual({
      'ws-1': { kind: 'ws-server', processed: 7, queueWaitMsMean: 1.235, sojournMsMean: 0.667, utilization: 0.3, queueDepthMax: 4 },
    });
    expect(JSON.stringify(r.nodes['ws-1']?.utilization)).toBe('0.3');
  });

  test('passes the run identity through and merges violations by seq, then checker name', () => {
    // Plain Checker objects (not BaseChecker) report their own counts; absent checkers count 0.
    const v = (checker: string, seq: number): Violation => ({ checker, seq, at: seq, message: `${checker} ${seq}`, subject: {} });
    const fake = (name: string, found: Violation[]): Checker => ({ name, observe: () => {}, violations: () => found, violationCount: () => found.length });
    const checkers = [fake('membership', [v('membership', 3), v('membership', 9)]), fake('duplicates', [v('duplicates', 3), v('duplicates', 1)])];
    const r = new MetricsCollector(info).report(args(checkers));
    expect(r.violations.map((x) => `${x.checker} ${x.seq}`)).toEqual(['duplicates 1', 'duplicates 3', 'membership 3', 'membership 9']);
    expect(r.counts.duplicatesShown).toBe(2);
    expect(r.counts.lost).toBe(0);
    expect(r.counts.outOfOrderShown).toBe(0);
    expect(r).toMatchObject({ seed: 7, scenario: 'test', simTimeMs: 5000, events: 123, traceHash: 'abc', truncated: false, wallMs: 9 });
  });
});
