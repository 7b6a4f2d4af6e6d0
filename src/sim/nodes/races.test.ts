import type { ChatMessage, WireMsg } from '../contract/index.ts';
import { describe, expect, test } from 'vitest';
import type { SimTimeMs } from '../core/ids.ts';
import type { Effect, NodeContext } from '../core/node.ts';
import { Prng } from '../core/prng.ts';
import { broker } from './broker.ts';
import { database } from './database.ts';
import { gateway } from './gateway.ts';
import { sessionStore } from './sessionStore.ts';

// Requests that a back-end link delivers twice or out of order (the swarm fuzzer's findings,
// docs/BENCHMARKS.md): each receiver must act as if each request came once, in the order sent.

const ctx = (id: string): NodeContext => ({ id, rng: new Prng(1).fork(id), nodeIds: [] });
const at = (ms: number): SimTimeMs => ms as SimTimeMs;
const sends = (effects: readonly Effect<WireMsg, unknown>[]) => effects.flatMap((e) => (e.type === 'send' ? [{ to: e.to, msg: e.msg }] : []));
const traces = (effects: readonly Effect<WireMsg, unknown>[]) => effects.flatMap((e) => (e.type === 'trace' ? [e.event] : []));
const message: ChatMessage = { id: 'm7', channel: 'g1', seq: 7, prevId: 'm6', author: 'u1', clientMsgId: 'u1-3', text: 'hi', sentAtMs: 0 };

describe('the database', () => {
  test('a repeated insert of the same message (a duplicated request) stores one row and answers like the first', () => {
    const db = database.init({ historyPageMax: 100, memberships: new Map() }, ctx('db'), undefined);
    const first = database.handle(db, at(1), { type: 'message', from: 'chat', msg: { type: 'db/insert', reqId: 4, message } }, ctx('db'));
    const again = database.handle(db, at(2), { type: 'message', from: 'chat', msg: { type: 'db/insert', reqId: 4, message } }, ctx('db'));
    expect(db.rows['g1']?.map((m) => m.id)).toEqual(['m7']);
    expect(traces(first.effects)).toEqual(['db/messageStored']);
    expect(traces(again.effects)).toEqual(['db/duplicateInsertIgnored']);
    expect(sends(again.effects)).toEqual(sends(first.effects));
  });

  test('the primary key survives a crash with the rows', () => {
    const db = database.init({ historyPageMax: 100, memberships: new Map() }, ctx('db'), undefined);
    database.handle(db, at(1), { type: 'message', from: 'chat', msg: { type: 'db/insert', reqId: 1, message } }, ctx('db'));
    const restarted = database.init(db.config, ctx('db'), database.durable?.(db));
    database.handle(restarted, at(9), { type: 'message', from: 'chat', msg: { type: 'db/insert', reqId: 2, message } }, ctx('db'));
    expect(restarted.rows['g1']?.length).toBe(1);
  });
});

describe('the Kafka-like broker', () => {
  test('a fetch request overtaken by a newer one is ignored, so a partition still in use stays subscribed', () => {
    const b = broker.init({ kind: 'kafka', servers: ['ws-1'], outputBufferLimitBytes: 1 << 20, partitions: 8, retentionMessages: 100, fetchMaxRecords: 10 }, ctx('broker'), undefined);
    broker.handle(b, at(1), { type: 'message', from: 'ws-1', msg: { type: 'fetchFrom', partitions: [5, 6], epoch: 2 } }, ctx('broker'));
    const stale = broker.handle(b, at(2), { type: 'message', from: 'ws-1', msg: { type: 'fetchFrom', partitions: [5], epoch: 1 } }, ctx('broker'));
    expect(traces(stale.effects)).toEqual([]);
    expect(Object.keys(b.consumers['ws-1'] ?? {}).sort()).toEqual(['5', '6']);
    // A newer request with the smaller set does unsubscribe.
    broker.handle(b, at(3), { type: 'message', from: 'ws-1', msg: { type: 'fetchFrom', partitions: [5], epoch: 3 } }, ctx('broker'));
    expect(Object.keys(b.consumers['ws-1'] ?? {})).toEqual(['5']);
  });
});

describe('the session store', () => {
  test("a server's late remove does not end the session its newer put opened", () => {
    const s = sessionStore.init(undefined as never, ctx('sessions'), undefined);
    // ws-2 closed u2's old connection (remove, v 4) and opened a new one (put, v 5); the put
    // arrived first.
    sessionStore.handle(s, at(1), { type: 'message', from: 'ws-2', msg: { type: 'store/put', user: 'u2', channels: ['g1'], v: 5 } }, ctx('sessions'));
    sessionStore.handle(s, at(2), { type: 'message', from: 'ws-2', msg: { type: 'store/remove', user: 'u2', v: 4 } }, ctx('sessions'));
    const asked = sessionStore.handle(s, at(3), { type: 'message', from: 'ws-2', msg: { type: 'store/members', message: { ...message, author: 'u1' } } }, ctx('sessions'));
    expect(sends(asked.effects)).toEqual([{ to: 'ws-2', msg: expect.objectContaining({ type: 'store/membersOf', users: ['u2'] }) }]);
    // In order, the remove ends it.
    sessionStore.handle(s, at(4), { type: 'message', from: 'ws-2', msg: { type: 'store/remove', user: 'u2', v: 6 } }, ctx('sessions'));
    expect(s.sessions['u2']?.server).toBe('');
  });
});

describe('the gateway', () => {
  const config = { servers: ['ws-1', 'ws-2'], strategy: 'round-robin' as const, connectionLimitPerServer: 10, healthCheckIntervalMs: 1000, healthCheckTimeoutMs: 3000, admissionPerSec: 0, admissionBurst: 1, transport: 'websocket' as const };

  test('a gateway restarted late in a run does not mark every server down at its first health check', () => {
    const g = gateway.init(config, ctx('gw'), undefined);
    gateway.handle(g, at(40_234), { type: 'started', restart: true }, ctx('gw'));
    gateway.handle(g, at(40_300), { type: 'message', from: 'c-u1', msg: { type: 'connect', user: 'u1', token: 'tok:u1', downlinkBytesPerMs: 0 } }, ctx('gw'));
    const check = gateway.handle(g, at(41_234), { type: 'timer', timerId: 'health', payload: undefined }, ctx('gw'));
    expect(traces(check.effects)).not.toContain('gw/serverMarkedDown');
    expect(g.routes['c-u1']).toBeDefined();
  });
});
