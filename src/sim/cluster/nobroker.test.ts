import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../contract/index.ts';
import { runScenario } from './run.ts';
import { bystanderLatencies, presetScenario, quantile, runPreset, sessionTracker } from './testing.ts';

// The no-broker pitfall's signature (issue 10, lab 2; ADR 0022): without a broker the sender's
// server makes one HTTP call per target server, so its work grows with the servers involved, the
// directory is asked once per message, and a failing server holds the senders' call slots until
// everyone on those servers waits. A broker decouples them. Every band below pins a measured run
// of the model (bench/nobroker.ts prints the same figures for the whole sweep).

/** Users u1..uN, all in one group g1. */
function group(size: number): { users: number; channels: { id: string; members: string[] }[] } {
  return { users: size, channels: [{ id: 'g1', members: Array.from({ length: size }, (_, i) => `u${i + 1}`) }] };
}

/** How many network messages of each wire type were sent, from the trace. */
function sentByType(events: readonly TraceEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'net/messageSent') continue;
    const type = (e.data.msg as { type?: string }).type ?? '?';
    out.set(type, (out.get(type) ?? 0) + 1);
  }
  return out;
}

/**
 * One sender (u1, 10 messages a second for 10 s) in a group of 50: the CPU ms per message of u1's
 * server beyond the mean of the other servers, i.e. what sending costs that server.
 */
function sendingPremiumMs(preset: 'group-chat' | 'no-broker', servers: number): number {
  const script = Array.from({ length: 100 }, (_, i) => ({ atMs: 3_000 + i * 100, user: 'u1', channel: 'g1', text: `message ${i + 1}` }));
  const scenario = presetScenario(preset, {
    topology: { wsServers: servers },
    durationMs: 14_000,
    settleMs: 6_000,
    workload: { ...group(50), sendRatePerUserPerSec: 0, burstProbability: 0, script },
    trace: { control: 'counted', maxEvents: 1_000_000 },
  });
  const { report, trace } = runScenario(scenario, { seed: 1 });
  const where = sessionTracker();
  for (const e of trace.events) where.see(e);
  const home = where.serverOf('u1');
  const busy = Object.entries(report.nodes).filter(([, n]) => n.kind === 'ws-server').map(([id, n]) => [id, n.utilization * report.simTimeMs] as const);
  const mine = busy.find(([id]) => id === home)?.[1] ?? 0;
  const others = busy.filter(([id]) => id !== home).map(([, b]) => b);
  return (mine - others.reduce((s, b) => s + b, 0) / others.length) / report.counts.persisted;
}

/** A group of 30 on 6 servers sending 40 messages a second for 15 s; ws-6 fails at 5 s (or nothing does). */
function failureRun(preset: 'group-chat' | 'no-broker', fault: 'none' | 'crash' | 'slow'): { p50: number; p99: number; events: readonly TraceEvent[] } {
  const faults = fault === 'crash' ? [{ at: 5_000, op: { verb: 'crash', node: 'ws-6' } }] : fault === 'slow' ? [{ at: 5_000, op: { verb: 'slow', node: 'ws-6', factor: 200 } }] : [];
  const scenario = presetScenario(preset, {
    topology: { wsServers: 6 },
    durationMs: 15_000,
    settleMs: 5_000,
    workload: { ...group(30), sendRatePerUserPerSec: 40 / 30 },
    faults,
    trace: { control: 'counted', maxEvents: 3_000_000 },
  });
  const { trace } = runScenario(scenario, { seed: 1 });
  const latencies = bystanderLatencies(trace.events, 'ws-6', 5_000);
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), events: trace.events };
}

const count = (events: readonly TraceEvent[], type: string): number => events.filter((e) => e.type === type).length;

describe('the no-broker pitfall, measured', () => {
  test("the sender's server pays per target server without a broker, and almost nothing with one", () => {
    // Seed 1, one sender: without a broker the premium was 1.1 ms a message on 3 servers and 4.4 ms
    // on 12 (11 targets × (150 µs request + a ~200 µs response input) + the lookup); with a broker
    // 0.4 and 0.36 ms (the send's own inputs: the broker does the fan-out).
    const direct3 = sendingPremiumMs('no-broker', 3);
    const direct12 = sendingPremiumMs('no-broker', 12);
    const broker12 = sendingPremiumMs('group-chat', 12);
    expect(direct12).toBeGreaterThan(3 * direct3);
    expect(direct12).toBeGreaterThan(3);
    expect(broker12).toBeLessThan(1);
  });

  test('each message costs a directory lookup and a request and a response per other server', () => {
    // 50 members over 6 servers: every server has members, so each message is one lookup, 5 calls
    // and 5 responses, exactly; the broker's is one publish and a push per subscribed server.
    const scenario = { topology: { wsServers: 6 }, durationMs: 10_000, settleMs: 5_000, workload: { ...group(50), sendRatePerUserPerSec: 0.2 } };
    const direct = runPreset('no-broker', 1, scenario);
    const sent = sentByType(direct.events);
    const stored = direct.report.counts.persisted;
    expect(stored).toBeGreaterThan(50);
    expect(sent.get('dir/lookup')).toBe(stored);
    expect(sent.get('direct')).toBe(5 * stored);
    expect(sent.get('directOk')).toBe(sent.get('direct'));
    expect(direct.report.violations).toEqual([]);
    const withBroker = runPreset('group-chat', 1, scenario);
    const pushed = sentByType(withBroker.events);
    expect(pushed.get('pub')).toBe(withBroker.report.counts.persisted);
    expect(pushed.get('msg')).toBe(6 * withBroker.report.counts.persisted);
    // Per stored message: 2 + 2 × 5 = 12 fan-out messages without a broker, 1 + 6 = 7 with one.
    expect(((sent.get('dir/lookup') ?? 0) + (sent.get('dir/found') ?? 0) + (sent.get('direct') ?? 0) + (sent.get('directOk') ?? 0)) / stored).toBe(12);
  });

  test('a crashed server delays everyone on the other servers without a broker, and nobody with one', () => {
    // Seed 1, ws-6 crashes at 5 s; latencies of sends between users on ws-1..ws-5. Measured: no
    // failure 73 / 94 ms (p50 / p99) without a broker; after the crash 248 / 808 ms without a
    // broker (calls to ws-6 hold the 20 slots for 5 s each until its users re-register
    // elsewhere, so 1,322 calls queued and 161 timed out), 65 / 79 ms with one.
    const healthy = failureRun('no-broker', 'none');
    const direct = failureRun('no-broker', 'crash');
    const withBroker = failureRun('group-chat', 'crash');
    expect(healthy.p99).toBeLessThan(150);
    expect(direct.p99).toBeGreaterThan(3 * healthy.p99);
    expect(direct.p50).toBeGreaterThan(healthy.p50 + 40);
    expect(count(direct.events, 'ws/serverCallTimedOut')).toBeGreaterThan(0);
    expect(count(direct.events, 'ws/serverCallQueued')).toBeGreaterThan(0);
    expect(withBroker.p99).toBeLessThan(150);
    expect(count(withBroker.events, 'ws/serverCallQueued')).toBe(0);
  });

  test('a slow server does the same: its callers wait on it, with a broker only its own users do', () => {
    // Seed 1, ws-6 slowed ×200 at 5 s (each input 40 ms on average). Measured: 296 / 767 ms (p50 /
    // p99) for the other servers' users without a broker, 65 / 78 ms with one.
    const direct = failureRun('no-broker', 'slow');
    const withBroker = failureRun('group-chat', 'slow');
    expect(direct.p99).toBeGreaterThan(400);
    expect(direct.p50).toBeGreaterThan(120);
    expect(withBroker.p99).toBeLessThan(150);
  });
});

describe('a server crashes and comes back: Redis-like push against a Kafka-like log', () => {
  // Each user sends one message while ws-2 is down (15–17 s); the gateway is sticky, so ws-2's users
  // come back to it; no gap detection, so nothing but the broker can bring them what they missed.
  const script = Array.from({ length: 8 }, (_, i) => ({ atMs: 15_200 + i * 100, user: `u${i + 1}`, channel: 'g1', text: `while ws-2 is down ${i + 1}` }));
  const patch = (kind: 'redis' | 'kafka') => ({
    broker: { kind, partitions: 2 },
    delivery: 'at-most-once',
    gateway: { strategy: 'sticky' },
    client: { gapDetection: false },
    durationMs: 30_000,
    workload: { sendRatePerUserPerSec: 0, burstProbability: 0, script },
    faults: [{ at: 15_000, op: { verb: 'crash', node: 'ws-2' } }, { at: 17_000, op: { verb: 'restart', node: 'ws-2' } }],
  });
  /** Messages stored while ws-2 was down that the broker gave ws-2 after its restart, and that its users were shown. */
  function replay(events: readonly TraceEvent[]): { stored: number; toServer: number; shown: number } {
    const crash = events.find((e) => e.type === 'op/crashed') as TraceEvent;
    const restart = events.find((e) => e.type === 'op/restarted') as TraceEvent;
    const during = new Set<string>();
    for (const e of events) if (e.type === 'chat/messagePersisted' && e.at >= crash.at && e.at < restart.at) during.add(e.data.id);
    const back = new Set<string>();
    for (const e of events) if (e.type === 'ws/sessionReady' && e.node === 'ws-2' && e.seq > restart.seq) back.add(e.data.user);
    let toServer = 0;
    for (const e of events) {
      if (e.type !== 'net/messageSent' || e.node !== 'broker' || e.data.to !== 'ws-2' || e.seq < restart.seq) continue;
      const m = e.data.msg as { type: string; records?: readonly { message: { id: string } }[]; message?: { id: string } };
      const ids = m.type === 'records' ? (m.records ?? []).map((r) => r.message.id) : m.type === 'msg' && m.message !== undefined ? [m.message.id] : [];
      toServer += ids.filter((id) => during.has(id)).length;
    }
    const shown = events.filter((e) => e.type === 'client/messageShown' && back.has(e.node.slice(2)) && during.has(e.data.id)).length;
    return { stored: during.size, toServer, shown };
  }

  test('the Redis-like broker loses what was published meanwhile; the Kafka-like log replays it from the committed offset', () => {
    // Seeds 1–3 all measured 5 messages stored during the outage (the other 3 senders were on ws-2);
    // Kafka-like: all 5 reach ws-2 again and its first returning user is shown them (lost 10 vs 15).
    for (const seed of [1, 2]) {
      const redis = runPreset('group-chat', seed, patch('redis'));
      const kafka = runPreset('group-chat', seed, patch('kafka'));
      const r = replay(redis.events);
      const k = replay(kafka.events);
      expect(r.stored, `seed ${seed}`).toBeGreaterThan(0);
      expect(r.toServer, `seed ${seed}`).toBe(0);
      expect(r.shown, `seed ${seed}`).toBe(0);
      expect(k.toServer, `seed ${seed}`).toBe(k.stored);
      expect(k.shown, `seed ${seed}`).toBeGreaterThan(0);
      expect(kafka.report.counts.lost, `seed ${seed}`).toBeLessThan(redis.report.counts.lost);
    }
  });
});
