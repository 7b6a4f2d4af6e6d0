import type { ChatMessage, WireMsg } from '../contract/index.ts';
import { describe, expect, test } from 'vitest';
import type { SimTimeMs } from '../core/ids.ts';
import type { Effect, NodeContext } from '../core/node.ts';
import { Prng } from '../core/prng.ts';
import { chatService, utf8Bytes } from './chatService.ts';
import { database } from './database.ts';
import { client, type ClientConfig, type ClientState } from './client.ts';
import { gateway, type GatewayState } from './gateway.ts';

// Nodes are sans-IO: these tests call handlers directly and read the effects they return.

const ctx = (id: string): NodeContext => ({ id, rng: new Prng(1).fork(id), nodeIds: [] });
const at = (ms: number): SimTimeMs => ms as SimTimeMs;
const sends = (effects: readonly Effect<WireMsg, unknown>[]) =>
  effects.flatMap((e) => (e.type === 'send' ? [{ to: e.to, msg: e.msg }] : []));
const traces = (effects: readonly Effect<WireMsg, unknown>[]) => effects.flatMap((e) => (e.type === 'trace' ? [e.event] : []));

describe('gateway', () => {
  function routed(): GatewayState {
    const g = gateway.init({ servers: ['ws-1', 'ws-2'], strategy: 'round-robin', connectionLimitPerServer: 10, healthCheckIntervalMs: 1000, healthCheckTimeoutMs: 3000, admissionPerSec: 0, admissionBurst: 1, transport: 'websocket' }, ctx('gw'), undefined);
    gateway.handle(g, at(0), { type: 'message', from: 'c-u1', msg: { type: 'connect', user: 'u1', token: 'tok:u1', downlinkBytesPerMs: 0 } }, ctx('gw'));
    return g;
  }

  test('proxies a connection to the server it picked, both ways', () => {
    const g = routed();
    expect(g.routes['c-u1']).toBe('ws-1');
    const up = gateway.handle(g, at(5), { type: 'message', from: 'c-u1', msg: { type: 'ping', n: 1 } }, ctx('gw'));
    expect(sends(up.effects)).toEqual([{ to: 'ws-1', msg: { type: 'fromClient', client: 'c-u1', frame: { type: 'ping', n: 1 } } }]);
    const down = gateway.handle(g, at(6), { type: 'message', from: 'ws-1', msg: { type: 'toClient', client: 'c-u1', frame: { type: 'pong', n: 1 } } }, ctx('gw'));
    expect(sends(down.effects)).toEqual([{ to: 'c-u1', msg: { type: 'pong', n: 1 } }]);
  });

  test('a frame from a server that no longer holds the connection is dropped and the server told', () => {
    // The ghost-connection fix: ws-2 still thinks it has u1, but u1 is proxied to ws-1.
    const g = routed();
    const m: ChatMessage = { id: 'm1', channel: 'g1', seq: 1, prevId: null, author: 'u2', clientMsgId: 'u2-1', text: 'hi', sentAtMs: 0 };
    const step = gateway.handle(g, at(9), { type: 'message', from: 'ws-2', msg: { type: 'toClient', client: 'c-u1', frame: { type: 'deliver', message: m } } }, ctx('gw'));
    expect(sends(step.effects)).toEqual([{ to: 'ws-2', msg: { type: 'connClosed', client: 'c-u1' } }]);
  });

  test('a restart seen through the health check closes the connections the server had', () => {
    const g = routed();
    gateway.handle(g, at(10), { type: 'message', from: 'ws-1', msg: { type: 'healthOk', n: 1, bootAt: 0 } }, ctx('gw'));
    const step = gateway.handle(g, at(1010), { type: 'message', from: 'ws-1', msg: { type: 'healthOk', n: 2, bootAt: 700 } }, ctx('gw'));
    expect(sends(step.effects)).toEqual([{ to: 'c-u1', msg: { type: 'closed', reason: 'serverCrashed' } }]);
    expect(traces(step.effects)).toEqual(['gw/serverMarkedDown', 'gw/serverMarkedUp']);
    expect(g.routes['c-u1']).toBeUndefined();
  });
});

describe('client', () => {
  const config: ClientConfig = {
    user: 'u1', channels: ['g1'], delivery: 'at-least-once', reorderBuffer: true, reorderMaxWaitMs: 500, gapDetection: true, dedup: true,
    ackTimeoutMs: 5000, maxSendAttempts: 5, reconnect: { strategy: 'full-jitter', baseMs: 500, maxMs: 20_000 }, heartbeatIntervalMs: 25_000,
    heartbeatTimeoutMs: 8000, pollTimeoutMs: 25_000, downlinkBytesPerMs: 0, connectAtMs: 0, workloadEndMs: 60_000, sendRatePerSec: 0, burstProbability: 0, burstSize: 1,
    burstGapMs: 0, replyProbability: 0, cyclesOffline: false, meanOnlineMs: 1, meanOfflineMs: 1, script: [], membershipChanges: [], historyVisibility: 'all', presence: 'off', channelMembers: {}, viewSwitchMeanMs: 1000, typingProbability: 0, pulledChannels: [], pollIntervalMs: 1000, transport: 'websocket',
    auth: { password: 'pw', refreshBeforeExpiryMs: 1000 },
  };
  const msg = (n: number): ChatMessage => ({ id: `m${n}`, channel: 'g1', seq: n, prevId: n === 1 ? null : `m${n - 1}`, author: 'u2', clientMsgId: `u2-${n}`, text: `t${n}`, sentAtMs: 0 });

  function online(): ClientState {
    const s = client.init(config, ctx('c-u1'), undefined);
    client.handle(s, at(0), { type: 'started', restart: false }, ctx('c-u1'));
    client.handle(s, at(5), { type: 'message', from: 'gw', msg: { type: 'loginOk', token: 'st1.u1.c-u1.5.60005.1.0', expiresAtMs: 60_005 } }, ctx('c-u1'));
    client.handle(s, at(10), { type: 'message', from: 'gw', msg: { type: 'connected', server: 'ws-1' } }, ctx('c-u1'));
    return s;
  }

  test('long polling: a poll that gets no answer (lost on the way) is sent again', () => {
    const lp = { ...config, transport: 'long-polling' as const };
    const s = client.init(lp, ctx('c-u1'), undefined);
    client.handle(s, at(0), { type: 'started', restart: false }, ctx('c-u1'));
    client.handle(s, at(5), { type: 'message', from: 'gw', msg: { type: 'loginOk', token: 'st1.u1.c-u1.5.60005.1.0', expiresAtMs: 60_005 } }, ctx('c-u1'));
    const connected = client.handle(s, at(10), { type: 'message', from: 'gw', msg: { type: 'connected', server: 'ws-1' } }, ctx('c-u1'));
    const polls = (effects: readonly Effect<WireMsg, unknown>[]) => sends(effects).filter((e) => e.to === 'gw' && e.msg.type === 'poll');
    expect(polls(connected.effects).length).toBe(1);
    const timer = connected.effects.find((e) => e.type === 'setTimer' && e.timerId === 'pollTimeout');
    expect(timer).toMatchObject({ afterMs: lp.pollTimeoutMs + lp.heartbeatTimeoutMs });
    const fired = client.handle(s, at(10 + lp.pollTimeoutMs + lp.heartbeatTimeoutMs), { type: 'timer', timerId: 'pollTimeout', payload: undefined }, ctx('c-u1'));
    expect(polls(fired.effects).length).toBe(1);
  });

  test('a late message shown below the last number does not move the end of the chain back', () => {
    // Found by the swarm fuzzer: a hole filled after the client gave up on it was shown, its id
    // became the chain's end, and the next message (naming the real end) looked like a gap for
    // ever.
    const s = online();
    for (const n of [1, 3, 4]) client.handle(s, at(20 + n), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(n) } }, ctx('c-u1'));
    // The client gives up on m2 and shows what it holds.
    for (let i = 0; i < 20 && (s.views['g1']?.waiting.size ?? 0) > 0; i++) client.handle(s, at(1000 + i * 10_000), { type: 'timer', timerId: 'reorder:g1', payload: undefined }, ctx('c-u1'));
    expect(s.views['g1']?.shown).toEqual(['m1', 'm3', 'm4']);
    // m2 is written late and arrives; then m5.
    client.handle(s, at(300_000), { type: 'message', from: 'gw', msg: { type: 'historyPage', channel: 'g1', afterSeq: 1, messages: [msg(2)] } }, ctx('c-u1'));
    const next = client.handle(s, at(300_010), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(5) } }, ctx('c-u1'));
    expect(traces(next.effects)).not.toContain('client/gapDetected');
    expect(s.views['g1']?.shown).toEqual(['m1', 'm3', 'm4', 'm2', 'm5']);
  });

  test('holds a message whose predecessor is missing and shows both in order when it arrives', () => {
    const s = online();
    client.handle(s, at(20), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(1) } }, ctx('c-u1'));
    const held = client.handle(s, at(30), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(3) } }, ctx('c-u1'));
    expect(traces(held.effects)).toContain('client/gapDetected');
    expect(traces(held.effects)).not.toContain('client/messageShown');
    client.handle(s, at(40), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(2) } }, ctx('c-u1'));
    expect(s.views['g1']?.shown).toEqual(['m1', 'm2', 'm3']);
  });

  test('never skips a gap while disconnected: the catch-up after reconnecting fills it', () => {
    const s = online();
    client.handle(s, at(20), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(1) } }, ctx('c-u1'));
    client.handle(s, at(30), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(3) } }, ctx('c-u1'));
    client.handle(s, at(40), { type: 'message', from: 'gw', msg: { type: 'closed', reason: 'serverCrashed' } }, ctx('c-u1'));
    const timeout = client.handle(s, at(530), { type: 'timer', timerId: 'reorder:g1', payload: undefined }, ctx('c-u1'));
    expect(traces(timeout.effects)).toEqual(['client/reorderTimedOut']);
    expect(s.views['g1']?.shown).toEqual(['m1']);
    client.handle(s, at(800), { type: 'timer', timerId: 'reconnect', payload: undefined }, ctx('c-u1'));
    const back = client.handle(s, at(900), { type: 'message', from: 'gw', msg: { type: 'connected', server: 'ws-2' } }, ctx('c-u1'));
    expect(sends(back.effects)).toContainEqual({ to: 'gw', msg: { type: 'history', channel: 'g1', afterSeq: 1 } });
  });

  test('drops a duplicate by message id', () => {
    const s = online();
    client.handle(s, at(20), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(1) } }, ctx('c-u1'));
    const again = client.handle(s, at(25), { type: 'message', from: 'gw', msg: { type: 'deliver', message: msg(1) } }, ctx('c-u1'));
    expect(traces(again.effects)).toEqual(['client/messageReceived', 'client/duplicateDropped']);
  });
});

describe('chat service', () => {
  test('counts UTF-8 bytes without TextEncoder', () => {
    for (const text of ['', 'abc', 'héllo', '日本語', '😀 <b>&</b>']) expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).length);
  });

  const chatConfig = { ordering: 'per-channel' as const, maxTextBytes: 100, broker: 'redis' as const, channels: new Map([['g1', ['u1', 'u2']]]), dbTimeoutMs: 2000, notifications: false, pulledChannels: [], personalChannelUsers: 0, idempotencyKeyTtlMs: 86_400_000, presence: false, historyVisibility: 'all' as const };

  test('answers a retry with the original id and stores nothing new', () => {
    const chat = chatService.init(chatConfig, ctx('chat'), undefined);
    const submit = { type: 'message' as const, from: 'ws-1', msg: { type: 'chat/submit' as const, user: 'u1', clientMsgId: 'u1-1', channel: 'g1', text: 'hi' } };
    const first = chatService.handle(chat, at(0), submit, ctx('chat'));
    expect(sends(first.effects).map((e) => e.to)).toEqual(['db']);
    chatService.handle(chat, at(3), { type: 'message', from: 'db', msg: { type: 'db/inserted', reqId: 1, order: 1 } }, ctx('chat'));
    const retry = chatService.handle(chat, at(9), submit, ctx('chat'));
    expect(traces(retry.effects)).toEqual(['chat/duplicateSubmission']);
    expect(sends(retry.effects)).toEqual([{ to: 'ws-1', msg: expect.objectContaining({ type: 'chat/accepted', members: null, message: expect.objectContaining({ id: 'm1', seq: 1 }) }) }]);
  });

  test('issue 9 #1: a key outlives a database timeout; the retry writes the same message again, and the late row completes it once', () => {
    // The old service forgot the key when the write timed out, so the retry was stored under a
    // new id while the first write landed late: one send, two rows. Here the retry re-sends the
    // same message (m1), and of the two database answers only the first publishes and acks.
    const chat = chatService.init(chatConfig, ctx('chat'), undefined);
    const submit = { type: 'message' as const, from: 'ws-1', msg: { type: 'chat/submit' as const, user: 'u1', clientMsgId: 'u1-1', channel: 'g1', text: 'hi' } };
    chatService.handle(chat, at(0), submit, ctx('chat'));
    const timedOut = chatService.handle(chat, at(2000), { type: 'timer', timerId: 'db:1', payload: undefined }, ctx('chat'));
    expect(traces(timedOut.effects)).toEqual(['chat/messageRejected']);
    const retry = chatService.handle(chat, at(2500), { ...submit, from: 'ws-2' }, ctx('chat'));
    expect(traces(retry.effects)).toEqual(['chat/duplicateSubmission']);
    expect(sends(retry.effects)).toEqual([{ to: 'db', msg: expect.objectContaining({ type: 'db/insert', reqId: 2, message: expect.objectContaining({ id: 'm1', seq: 1 }) }) }]);
    const late = chatService.handle(chat, at(2600), { type: 'message', from: 'db', msg: { type: 'db/inserted', reqId: 1, order: 1 } }, ctx('chat'));
    expect(traces(late.effects)).toEqual(['chat/messagePersisted', 'chat/messagePublished']);
    const second = chatService.handle(chat, at(2700), { type: 'message', from: 'db', msg: { type: 'db/inserted', reqId: 2, order: 1 } }, ctx('chat'));
    expect(second.effects.filter((e) => e.type !== 'cancelTimer')).toEqual([]);
  });

  test('the database stores a message id once: a second write of it answers with the first row', () => {
    // The primary key that makes the chat service's retried write idempotent.
    const db = database.init({ historyPageMax: 10, memberships: new Map() }, ctx('db'), undefined);
    const m: ChatMessage = { id: 'm1', channel: 'g1', seq: 1, prevId: null, author: 'u2', clientMsgId: 'u2-1', text: 't1', sentAtMs: 0 };
    const first = database.handle(db, at(0), { type: 'message', from: 'chat', msg: { type: 'db/insert', reqId: 1, message: m } }, ctx('db'));
    const again = database.handle(db, at(5), { type: 'message', from: 'chat', msg: { type: 'db/insert', reqId: 2, message: m } }, ctx('db'));
    expect(traces(first.effects)).toEqual(['db/messageStored']);
    expect(traces(again.effects)).toEqual(['db/duplicateInsertIgnored']);
    expect(sends(again.effects)).toEqual([{ to: 'chat', msg: { type: 'db/inserted', reqId: 2, order: 1 } }]);
    expect(db.rows['g1']).toHaveLength(1);
  });
});

describe('gateway warm start', () => {
  // Warm users are routed by rule (uN → server (N−1) mod S) until their connection changes.
  test('routes warm users by rule, forgets them when dropped, and routes them again on reconnect', () => {
    const cfg = { servers: ['ws-1', 'ws-2'], strategy: 'round-robin' as const, connectionLimitPerServer: 10, healthCheckIntervalMs: 1000, healthCheckTimeoutMs: 3000, admissionPerSec: 0, admissionBurst: 1, transport: 'websocket' as const, warm: { users: 4 }, warmFleetSize: 2 };
    const g = gateway.init(cfg, ctx('gw'), undefined);
    expect(g.servers['ws-1']?.connections).toBe(2);
    const ping = (user: string) => sends(gateway.handle(g, at(5), { type: 'message', from: 'fleet-2', msg: { type: 'fromUser', user, frame: { type: 'ping', n: 1 } } }, ctx('gw')).effects);
    expect(ping('u3')).toEqual([{ to: 'ws-1', msg: { type: 'fromClient', client: 'fleet-2#u3', frame: { type: 'ping', n: 1 } } }]);
    expect(ping('u4')[0]?.to).toBe('ws-2');
    // An ingress reload drops every connection, warm ones included.
    gateway.handle(g, at(6), { type: 'message', from: 'operator', msg: { type: 'reload' } }, ctx('gw'));
    expect(ping('u3')).toEqual([{ to: 'fleet-2', msg: { type: 'toUser', user: 'u3', frame: { type: 'closed', reason: 'gatewayDropped' } } }]);
    // Reconnecting gets a route from the strategy again.
    gateway.handle(g, at(7), { type: 'message', from: 'fleet-2', msg: { type: 'fromUser', user: 'u3', frame: { type: 'connect', user: 'u3', token: 'tok:u3', downlinkBytesPerMs: 0 } } }, ctx('gw'));
    expect(ping('u3')[0]?.to).toMatch(/^ws-\d$/);
    expect(g.warmChanged).toBe(4);
  });
});
