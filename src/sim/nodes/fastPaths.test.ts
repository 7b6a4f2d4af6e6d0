import type { WireMsg } from '../contract/index.ts';
import { describe, expect, test } from 'vitest';
import type { SimTimeMs } from '../core/ids.ts';
import type { Effect, NodeContext } from '../core/node.ts';
import { Prng } from '../core/prng.ts';
import { clientFleet } from './clientFleet.ts';
import { wsServer, type WsServerConfig } from './wsServer.ts';

// The shortcuts the million-user run takes (fleet user indices read from ids, idle sweeps that
// skip their walk) must answer exactly as the plain walk and lookup did. Sans-IO: handlers are
// called directly and their effects read.

const ctx = (id: string): NodeContext => ({ id, rng: new Prng(1).fork(id), nodeIds: [] });
const at = (ms: number): SimTimeMs => ms as SimTimeMs;
const traces = (effects: readonly Effect<WireMsg, unknown>[]) => effects.flatMap((e) => (e.type === 'trace' ? [{ event: e.event, data: e.data }] : []));

function serverConfig(users: readonly string[]): WsServerConfig {
  return {
    broker: 'redis',
    routing: 'interest',
    partitions: 1,
    drainReportBytes: 1 << 20,
    sendQueueLimitBytes: 1 << 20,
    batchWindowMs: 0,
    batchOffsetMaxMs: 0,
    delivery: 'at-most-once',
    ackTimeoutMs: 1000,
    brokerPingIntervalMs: 1000,
    brokerPingTimeoutMs: 3000,
    presence: false,
    mapping: false,
    pulledChannels: [],
    blocking: null,
    transport: 'websocket',
    pollTimeoutMs: 25_000,
    idleTimeoutMs: 60_000,
    stateless: false,
    warm: { users, clients: users.map((u) => `fleet-1#${u}`), channels: users.map((u) => [`p:${u}`]) },
    limiterTimeoutMs: 100,
    limiterFailOpen: true,
    signingKey: 'k',
  };
}

describe('idle sweep', () => {
  test('closes each silent connection at the first sweep past the timeout, after sweeps that found nobody idle', () => {
    const s = wsServer.init(serverConfig(['u1', 'u2', 'u3']), ctx('ws-1'), undefined);
    const closedAt: [number, string][] = [];
    const sweep = (ms: number): void => {
      const step = wsServer.handle(s, at(ms), { type: 'timer', timerId: 'idle', payload: undefined }, ctx('ws-1'));
      for (const t of traces(step.effects)) if (t.event === 'ws/connectionClosed') closedAt.push([ms, (t.data as { user: string }).user]);
    };
    const ping = (ms: number, user: string): void => {
      wsServer.handle(s, at(ms), { type: 'message', from: 'gw', msg: { type: 'fromClient', client: `fleet-1#${user}`, frame: { type: 'ping', n: 1 } } }, ctx('ws-1'));
    };
    // Warm connections were last heard at 0. u3 pings at 10 s and 65 s, u1 at 50 s.
    ping(10_000.5, 'u3');
    sweep(30_000);
    ping(50_000, 'u1');
    sweep(60_000); // 60 s after 0 is not more than the timeout: nobody is idle yet.
    ping(65_000, 'u3');
    sweep(90_000); // u2 (0) is; u1 (50 s) and u3 (65 s) are not.
    sweep(120_000); // u1 (70 s of silence) is; u3 (55 s) is not.
    sweep(150_000); // u3 (85 s) is.
    expect(closedAt).toEqual([
      [90_000, 'u2'],
      [120_000, 'u1'],
      [150_000, 'u3'],
    ]);
    expect(Object.keys(s.conns)).toEqual([]);
  });
});

describe('client fleet', () => {
  const fleet = (users: string[]) =>
    clientFleet.init(
      { users, channels: users.map(() => ['g1']), heartbeatIntervalMs: 25_000, sendRatePerUserPerSec: 0, workloadEndMs: 60_000, tickMs: 10, firstChannelShare: 1, servers: null },
      ctx('fleet-1'),
      undefined,
    );
  const deliver = (user: string) => ({ type: 'message' as const, from: 'gw', msg: { type: 'toUser' as const, user, frame: { type: 'deliver' as const, message: { id: 'm1', channel: 'g1', seq: 1, prevId: null, author: 'u9', clientMsgId: 'u9-1', text: 'hi', sentAtMs: 0 } } } });

  test('finds its users by the number in their ids, and any other id through its list', () => {
    const f = fleet(['u41', 'u42', 'u43', 'bob', 'u7']);
    for (const user of ['u42', 'bob', 'u7', 'u43', 'u42']) {
      const step = clientFleet.handle(f, at(1), deliver(user), ctx('fleet-1'));
      expect(traces(step.effects).map((t) => t.data as { user: string })[0]?.user).toBe(user);
    }
    expect(Array.from(f.shown)).toEqual([0, 2, 1, 1, 1]);
    // Users the fleet does not play, numbered inside or outside its range, are ignored.
    for (const user of ['u40', 'u44', 'u044', 'u', 'x42']) expect(clientFleet.handle(f, at(2), deliver(user), ctx('fleet-1')).effects).toEqual([]);
  });
});
