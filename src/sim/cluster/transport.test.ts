import { describe, expect, test } from 'vitest';
import type { RunReport, TransportCosts } from '../contract/index.ts';
import { reportOf, runScenario, startScenario } from './run.ts';
import { presetScenario, runPreset } from './testing.ts';

/** The report's transport costs of group-chat under a patch. */
function costsOf(patch: unknown, seed: number): { report: RunReport; t: TransportCosts } {
  const { report } = runScenario(presetScenario('group-chat', patch), { seed });
  return { report, t: report.transport };
}

describe('the report carries the transport costs', () => {
  test('the three transports on the same workload: the ordering of costs the lab teaches', () => {
    // Proves the report's figures order the transports as the lab's table does: group-chat at one
    // send per user per second, at-most-once (no ack POSTs, so every client request is a send, a
    // poll or a keep-alive), seed 4, each transport in turn.
    const patch = (transport: string) => ({ transport, delivery: 'at-most-once', workload: { sendRatePerUserPerSec: 1 } });
    const ws = costsOf(patch('websocket'), 4);
    const sse = costsOf(patch('sse'), 4);
    const lp = costsOf(patch('long-polling'), 4);
    // The same workload: the same sends, stored and shown (587 sent, 582 stored, 3808 shown).
    expect(sse.report.counts.sent).toBe(ws.report.counts.sent);
    expect(lp.report.counts.sent).toBe(ws.report.counts.sent);
    // Measured on seed 4 (`npx vitest run --project unit src/sim/cluster/transport.test.ts`):
    //                          websocket    sse    long polling
    //   chat requests / send        0       0.991      7.421    (1 POST per send; + polls after every answer)
    //   POSTs, polls             0, 0     606, 0    606, 3782   (POSTs include 24 pings)
    //   chat bytes / stored      2980      3779       8409
    //   chat hops / stored       24.9      26.9       37.8
    //   last-mile bytes        604,542  1,053,914  3,453,842
    //   handshakes (connect, login): 8 and 8 for each; connections held at the end and peak: 8.
    // Requests: a WebSocket frame is no HTTP request; SSE posts each send once; long polling posts
    // each send and asks again after every answer, one poll per message shown to each member.
    expect(ws.t.httpPostRequests + ws.t.httpPollRequests).toBe(0);
    expect(ws.t.chatHttpRequestsPerSentMessage).toBe(0);
    // A send is one POST; a few sends of the last instant are never posted (the run ends first).
    expect(sse.t.chatHttpRequestsPerSentMessage).toBeGreaterThan(0.95);
    expect(sse.t.chatHttpRequestsPerSentMessage).toBeLessThanOrEqual(1);
    expect(sse.t.httpPollRequests).toBe(0);
    expect(lp.t.httpPostRequests).toBe(sse.t.httpPostRequests);
    // One poll per answer: a group of 8 shows each message to about 6.5 members (3808 / 587).
    expect(lp.t.httpPollRequests).toBeGreaterThan(5 * lp.report.counts.sent);
    expect(lp.t.chatHttpRequestsPerSentMessage).toBeGreaterThan(sse.t.chatHttpRequestsPerSentMessage + 5);
    // Handshakes: one connect and one login per user whatever the transport; the connections stay.
    for (const x of [ws, sse, lp]) {
      expect([x.t.connectHandshakes, x.t.loginHandshakes, x.t.connectionsHeldAtEnd, x.t.connectionsHeldPeak]).toEqual([8, 8, 8, 8]);
    }
    // Bytes per message: a frame header < an SSE event and a POST per send < an HTTP response per poll.
    expect(ws.t.chatBytesPerStoredMessage).toBeLessThan(sse.t.chatBytesPerStoredMessage);
    expect(sse.t.chatBytesPerStoredMessage).toBeLessThan(lp.t.chatBytesPerStoredMessage);
    expect(ws.t.lastMileBytes).toBeLessThan(sse.t.lastMileBytes);
    expect(sse.t.lastMileBytes).toBeLessThan(lp.t.lastMileBytes);
    // The back end carries the same chat whatever the last mile; long polling adds a hop per poll.
    expect(ws.t.chatNetworkMessagesPerStoredMessage).toBeLessThan(lp.t.chatNetworkMessagesPerStoredMessage);
  });

  test('per-message chat figures do not grow with the run: doubling the settle period grows only keep-alive traffic', () => {
    // Proves keep-alive traffic is split from chat traffic: group-chat, seed 4, run with its settle
    // period and with twice it (15 s → 30 s of silence after the last send), over each transport.
    for (const transport of ['websocket', 'sse', 'long-polling']) {
      const base = presetScenario('group-chat', { transport });
      const short = runScenario(base, { seed: 4 }).report.transport;
      const long = runScenario(presetScenario('group-chat', { transport, settleMs: base.settleMs * 2 }), { seed: 4 }).report.transport;
      // No sends in the settle period: the chat traffic and every per-message figure stay the same.
      expect(long.chat, transport).toEqual(short.chat);
      expect(long.chatBytesPerStoredMessage, transport).toBe(short.chatBytesPerStoredMessage);
      expect(long.chatNetworkMessagesPerStoredMessage, transport).toBe(short.chatNetworkMessagesPerStoredMessage);
      expect(long.chatHttpRequestsPerSentMessage, transport).toBe(short.chatHttpRequestsPerSentMessage);
      // Pings, health checks and broker pings go on: 15 s more of them (measured on WebSocket:
      // 984 → 1,172 messages, 17,856 → 21,040 bytes).
      expect(long.keepAlive.networkMessages, transport).toBeGreaterThan(short.keepAlive.networkMessages);
      expect(long.keepAlive.bytes, transport).toBeGreaterThan(short.keepAlive.bytes);
      expect(long.chatBytesPerStoredMessage, transport).toBeGreaterThan(0);
    }
  });

  test('counted keep-alives are in the keep-alive totals: a counted run reports what a traced one does', () => {
    // Proves the simulator's per-link tallies of counted control traffic (ADR 0007) join the
    // report: the same run (same seed, same randomness) with control traffic traced and counted.
    for (const transport of ['websocket', 'sse']) {
      const traced = costsOf({ transport }, 2);
      const counted = costsOf({ transport, trace: { control: 'counted' } }, 2);
      expect(counted.report.counts).toEqual(traced.report.counts);
      expect(counted.report.events).toBeLessThan(traced.report.events);
      expect(counted.t, transport).toEqual(traced.t);
      expect(counted.t.keepAlive.networkMessages).toBeGreaterThan(0);
    }
  });

  test('million-users scaled down: counted pings of warm-started fleets are keep-alive, their connections held', () => {
    // Proves the figures hold where keep-alives are counted and users start connected without an
    // event: 20,000 users, heartbeats every 25 s over 62 s, control traffic counted.
    const { report } = runPreset('million-users', 1, { workload: { users: 20_000, groups: { count: 2_000 } } });
    const t = report.transport;
    expect(t.connectionsHeldAtEnd).toBe(20_000);
    expect(t.connectionsHeldPeak).toBe(20_000);
    // Every user pings at least twice in 62 s (its first ping within 25 s, then every 25 s), and a
    // ping and its pong cross four links: at least 20,000 × 2 × 4 keep-alive messages.
    expect(t.keepAlive.networkMessages).toBeGreaterThan(160_000);
    // Chat traffic: about 9 shows per stored message, a handful of hops each.
    expect(t.chatNetworkMessagesPerStoredMessage).toBeGreaterThan(9);
    expect(t.chatNetworkMessagesPerStoredMessage).toBeLessThan(60);
    expect(t.connectHandshakes + t.loginHandshakes).toBe(0);
  });

  test('the report as if the run ended now covers the same costs as a run stopped there', () => {
    // Proves the costs are computed online and the report changes nothing: a report taken mid-run
    // of a run that goes on equals the report of the same run stopped at that moment.
    const scenario = presetScenario('group-chat', { transport: 'long-polling' });
    const run = startScenario(scenario, 3);
    run.sim.runUntil(30_000);
    const mid = reportOf(run, scenario.id, 0).transport;
    run.sim.runUntil(scenario.durationMs + scenario.settleMs);
    const stopped = runScenario(scenario, { seed: 3, untilMs: 30_000 }).report.transport;
    expect(mid).toEqual(stopped);
  });
});
