import { describe, expect, test } from 'vitest';
import type { ClusterInfo, TraceEvent } from '../contract/index.ts';
import { TransportMeter } from './transport.ts';

const info: ClusterInfo = {
  channels: new Map([['g1', ['u1', 'u2']]]),
  clientNodes: new Map([['u1', 'c-u1'], ['u2', 'c-u2']]),
  nodeKinds: new Map([
    ['c-u1', 'client'],
    ['c-u2', 'client'],
    ['fleet-1', 'client-fleet'],
    ['gw', 'gateway'],
    ['ws-1', 'ws-server'],
    ['broker', 'broker'],
  ]),
  workloadEndMs: 1000,
  warmStartUsers: 3,
};

/** A meter fed synthetic events with consecutive seqs. */
function meter(transport: 'websocket' | 'long-polling' = 'long-polling') {
  const m = new TransportMeter(info, transport);
  let seq = 0;
  const feed = (e: Omit<TraceEvent, 'seq' | 'at' | 'causeSeq' | 'node'> & { node?: string }): void => m.observe({ seq: seq++, at: seq, causeSeq: null, node: 'n', ...e } as TraceEvent);
  const sent = (from: string, to: string, msg: unknown, bytes: number): void => feed({ type: 'net/messageSent', data: { from, to, msg, bytes } });
  return { m, feed, sent };
}

describe('TransportMeter', () => {
  test('a long poll answered empty is keep-alive with its poll; one answered with a frame is chat', () => {
    // Proves the poll's hops wait for their answer: four hops answered empty, then four with a delivery.
    const { m, sent } = meter();
    const poll = (): void => {
      sent('c-u1', 'gw', { type: 'poll' }, 500);
      sent('gw', 'ws-1', { type: 'fromClient', client: 'c-u1', frame: { type: 'poll' } }, 32);
    };
    poll();
    sent('ws-1', 'gw', { type: 'toClient', client: 'c-u1', frame: { type: 'pollResponse', frames: [] } }, 48);
    sent('gw', 'c-u1', { type: 'pollResponse', frames: [] }, 150);
    const deliver = { type: 'deliver', message: { id: 'm1', channel: 'g1', seq: 1, prevId: null, author: 'u2', clientMsgId: 'u2-1', text: 'hi' } };
    poll();
    sent('ws-1', 'gw', { type: 'toClient', client: 'c-u1', frame: { type: 'pollResponse', frames: [deliver] } }, 200);
    sent('gw', 'c-u1', { type: 'pollResponse', frames: [deliver] }, 300);
    // A poll still held at the report's moment counts as keep-alive: nothing came back on it yet.
    poll();
    const t = m.costs(1, 1, []);
    expect(t.keepAlive).toEqual({ networkMessages: 4 + 2, bytes: 500 + 32 + 48 + 150 + 500 + 32 });
    expect(t.chat).toEqual({ networkMessages: 4, bytes: 500 + 32 + 200 + 300 });
    expect([t.httpPollRequests, t.httpPostRequests, t.chatHttpRequestsPerSentMessage]).toEqual([3, 0, 1]);
    expect(t.lastMileBytes).toBe(500 * 3 + 150 + 300);
    expect(t.backEndBytes).toBe(32 * 3 + 48 + 200);
  });

  test('warm-started users are held from the start; reconnects and repeated events count once', () => {
    // Proves held connections follow each user's latest state, warm users (u1..u3) included.
    const { m, feed } = meter('websocket');
    expect(m.costs(0, 0, []).connectionsHeldAtEnd).toBe(3);
    feed({ type: 'client/connected', data: { user: 'u9', server: 'ws-1' } });
    feed({ type: 'client/connected', data: { user: 'u2', server: 'ws-1' } });
    feed({ type: 'client/disconnected', data: { user: 'u1', reason: 'serverCrashed', retryInMs: 10 } });
    feed({ type: 'client/disconnected', data: { user: 'u1', reason: 'rejected', retryInMs: 10 } });
    feed({ type: 'client/wentOffline', data: { user: 'u9' } });
    const t = m.costs(0, 0, []);
    expect([t.connectionsHeldAtEnd, t.connectionsHeldPeak]).toEqual([2, 4]);
  });

  test('counted control traffic joins keep-alive, split by link into last mile and back end', () => {
    // Proves the simulator's per-link tallies reach the figures: fleet pings on the last mile, broker pings in the back end.
    const { m } = meter('websocket');
    const t = m.costs(0, 0, [
      { from: 'fleet-1', to: 'gw', messages: 10, bytes: 220 },
      { from: 'ws-1', to: 'broker', messages: 5, bytes: 80 },
    ]);
    expect(t.keepAlive).toEqual({ networkMessages: 15, bytes: 300 });
    expect([t.lastMileBytes, t.backEndBytes, t.httpPostRequests]).toEqual([220, 80, 0]);
  });
});
