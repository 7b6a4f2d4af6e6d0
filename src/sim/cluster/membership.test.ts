/**
 * Issue 9, item 12: joining and leaving a channel mid-run (001's join/leave group calls), with the
 * two history visibility rules, and the message's timestamp. What each user saw is counted from the
 * trace, independently of the checkers; negative controls prove the checkers see the bugs a
 * membership change invites (a leaver still served, a newcomer reading what came before them, a
 * newcomer never subscribed).
 */
import { describe, expect, test } from 'vitest';
import { eventsOfType, type TraceEvent, type Violation, type WireMsg } from '../contract/index.ts';
import { runCheckers } from '../checkers/checker.ts';
import { chatCheckers } from '../checkers/chat.ts';
import type { NodeBehavior } from '../core/node.ts';
import { Simulation } from '../engine/simulation.ts';
import { database, type DatabaseState } from '../nodes/database.ts';
import { wsServer, type WsServerState } from '../nodes/wsServer.ts';
import { buildCluster } from '../scenario/build.ts';
import { parseScenario, type Scenario } from '../scenario/schema.ts';
import { presetScenario, violationsByChecker, runPreset } from './testing.ts';

/** Runs the join-and-leave preset (patched), with some nodes' behaviors swapped for test doubles. */
function run(seed: number, patch: unknown, swap: Record<string, NodeBehavior<never, WireMsg, unknown, never>> = {}): { events: readonly TraceEvent[]; violations: Violation[]; scenario: Scenario } {
  const scenario = presetScenario('join-and-leave', patch);
  const { config, info } = buildCluster(scenario, seed);
  const nodes = config.nodes.map((n) => {
    const kind = n.id.startsWith('ws-') ? 'ws' : n.id;
    const behavior = swap[kind];
    return behavior === undefined ? n : { ...n, behavior: behavior as unknown as typeof n.behavior };
  });
  const sim = new Simulation({ ...config, nodes });
  sim.runUntil(scenario.durationMs + scenario.settleMs);
  const events = sim.trace.events;
  return { events, violations: runCheckers(events, chatCheckers(info)), scenario };
}

/** When each of g1's messages was sequenced (trace position), by id. */
function sequencedAt(events: readonly TraceEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of eventsOfType(events, 'chat/messageSequenced')) if (e.data.channel === 'g1') out.set(e.data.id, e.seq);
  return out;
}

/** The trace positions where `user`'s membership of g1 changed, in order. */
function changesOf(events: readonly TraceEvent[], user: string): { at: number; action: string }[] {
  return eventsOfType(events, 'chat/membershipChanged')
    .filter((e) => e.data.user === user && e.data.channel === 'g1')
    .map((e) => ({ at: e.seq, action: e.data.action }));
}

/** Ids of g1 messages shown to `user`. */
function shownTo(events: readonly TraceEvent[], user: string): Set<string> {
  return new Set(eventsOfType(events, 'client/messageShown').filter((e) => e.data.user === user && e.data.channel === 'g1').map((e) => e.data.id));
}

const persistedIds = (events: readonly TraceEvent[]): string[] => eventsOfType(events, 'chat/messagePersisted').filter((e) => e.data.channel === 'g1').map((e) => e.data.id);

describe('joining and leaving a channel', () => {
  for (const visibility of ['all', 'since-join'] as const) {
    test(`join-and-leave with ${visibility} history, seeds 1–3: every change takes effect, and each member sees exactly what the rule gives them`, () => {
      for (const seed of [1, 2, 3]) {
        const { events, violations } = run(seed, { chat: { historyVisibility: visibility } });
        expect(violations.map((v) => v.message)).toEqual([]);
        const born = sequencedAt(events);
        const persisted = persistedIds(events);
        expect(persisted.length).toBeGreaterThan(50);
        // Four changes requested, four applied by the chat service, four confirmed to the clients.
        expect(eventsOfType(events, 'chat/membershipChanged').map((e) => `${e.data.user} ${e.data.action}`)).toEqual(['u7 join', 'u3 leave', 'u8 join', 'u3 join']);
        expect(eventsOfType(events, 'client/membershipChanged').filter((e) => e.data.error === null)).toHaveLength(4);
        // u7 and u8 joined once; u3 was a member, left, and came back.
        for (const user of ['u7', 'u8']) {
          const [join] = changesOf(events, user);
          const shown = shownTo(events, user);
          const expected = persisted.filter((id) => visibility === 'all' || (born.get(id) as number) > (join as { at: number }).at);
          expect(new Set(expected), `${user}, seed ${seed}`).toEqual(shown);
        }
        const [leave, rejoin] = changesOf(events, 'u3') as unknown as [{ at: number }, { at: number }];
        const u3 = shownTo(events, 'u3');
        // Nothing sequenced while u3 was away reaches u3 under since-join; with all, the rejoin loads it.
        const away = persisted.filter((id) => (born.get(id) as number) > leave.at && (born.get(id) as number) < rejoin.at);
        expect(away.length).toBeGreaterThan(5);
        for (const id of away) expect(u3.has(id), `${id} (sent while u3 was away), seed ${seed}`).toBe(visibility === 'all');
        // Every message since the rejoin reaches u3 either way.
        for (const id of persisted.filter((x) => (born.get(x) as number) > rejoin.at)) expect(u3.has(id)).toBe(true);
      }
    });
  }

  test('a leave takes effect in the app at once: no more sends there, and a send typed anyway is refused FORBIDDEN and shown as failed', () => {
    const { events, violations } = run(1, { faults: [{ at: 25_000, op: { verb: 'inject', node: 'c-u3', msg: { type: 'userSend', channel: 'g1', text: 'still here?' } } }] });
    expect(violations).toEqual([]);
    const [leave] = changesOf(events, 'u3') as unknown as [{ at: number }];
    const leftAt = eventsOfType(events, 'client/membershipRequested').find((e) => e.data.user === 'u3' && e.data.action === 'leave')?.at as number;
    const rejoinAt = eventsOfType(events, 'client/membershipRequested').find((e) => e.data.user === 'u3' && e.data.action === 'join')?.at as number;
    // The workload's own sends stop between the leave and the rejoin.
    const workloadSends = eventsOfType(events, 'client/messageSent').filter((e) => e.data.user === 'u3' && e.data.channel === 'g1' && e.at > leftAt && e.at < rejoinAt && e.data.text !== 'still here?');
    expect(workloadSends).toEqual([]);
    const failed = eventsOfType(events, 'client/sendFailed').filter((e) => e.data.user === 'u3' && e.data.channel === 'g1');
    expect(failed.map((e) => e.data.code)).toEqual(['FORBIDDEN']);
    expect(leave.at).toBeLessThan(failed[0]?.seq as number);
  });

  test('history visibility is enforced by the chat service: a newcomer asking for the whole channel gets only what came since they joined (since-join), or everything (all)', () => {
    // u7 joined at about 10 s; at 15 s its app asks for g1's history from the start.
    const ask = { faults: [{ at: 15_000, op: { verb: 'inject', node: 'gw', from: 'c-u7', msg: { type: 'history', channel: 'g1', afterSeq: 0 } } }] };
    const pageOf = (events: readonly TraceEvent[]) => {
      const served = eventsOfType(events, 'db/historyServed').filter((e) => e.at >= 15_000 && e.data.channel === 'g1' && e.data.afterSeq === 0);
      return served[0]?.data.count;
    };
    const all = run(1, { ...ask, chat: { historyVisibility: 'all' } });
    const since = run(1, { ...ask, chat: { historyVisibility: 'since-join' } });
    expect(all.violations).toEqual([]);
    expect(since.violations).toEqual([]);
    const joinSeq = eventsOfType(since.events, 'chat/membershipChanged').find((e) => e.data.user === 'u7')?.data.afterSeq as number;
    const sentBy15 = eventsOfType(since.events, 'chat/messageSequenced').filter((e) => e.data.channel === 'g1' && e.at < 15_000).length;
    expect(joinSeq).toBeGreaterThan(0);
    // Measured on seed 1: the whole channel so far for all; only the part after the join point for since-join.
    expect(pageOf(all.events)).toBeGreaterThanOrEqual(sentBy15 - 2);
    expect(pageOf(since.events)).toBeLessThanOrEqual(sentBy15 - joinSeq + 2);
    expect(pageOf(since.events)).toBeLessThan(pageOf(all.events) as number);
  });

  test('negative control: a database that ignores since-join serves a newcomer the channel before they joined, and the membership checkers say so', () => {
    const ignoresSince: NodeBehavior<DatabaseState, WireMsg, unknown, never> = {
      ...database,
      handle: (state, now, input, ctx) => database.handle(state, now, input.type === 'message' && input.msg.type === 'db/history' ? { ...input, msg: { ...input.msg, sinceMs: 0 } } : input, ctx),
    } as NodeBehavior<DatabaseState, WireMsg, unknown, never>;
    const ask = { chat: { historyVisibility: 'since-join' }, faults: [{ at: 15_000, op: { verb: 'inject', node: 'gw', from: 'c-u7', msg: { type: 'history', channel: 'g1', afterSeq: 0 } } }] };
    const { violations } = run(1, ask, { db: ignoresSince as never });
    const by = new Set(violations.map((v) => v.checker));
    expect(by.has('membership')).toBe(true);
    expect(by.has('frames')).toBe(true);
    expect(violations.some((v) => v.message.includes('u7') && v.message.includes('not a member'))).toBe(true);
  });

  test('negative control: a server that forgets to revoke a leave keeps serving the leaver, and the membership checkers say so', () => {
    const noRevoke: NodeBehavior<WsServerState, WireMsg, unknown, never> = {
      ...wsServer,
      handle: (state, now, input, ctx) => {
        const m = input.type === 'message' ? input.msg : null;
        const user =
          m?.type === 'fromClient' && m.frame.type === 'membership' && m.frame.action === 'leave' ? m.client.slice(2) : m?.type === 'chat/membershipDone' && m.action === 'leave' ? m.user : null;
        if (user === null) return wsServer.handle(state, now, input, ctx);
        // Pass the leave on and answer the client, but keep the user's session and subscriptions.
        const conn = state.conns[user];
        const channels = conn?.channels;
        const local = { ...state.local };
        const step = wsServer.handle(state, now, input, ctx);
        if (conn !== undefined && channels !== undefined) conn.channels = channels;
        state.local = local;
        return { state, effects: step.effects.filter((e) => !(e.type === 'send' && (e.msg as WireMsg).type === 'unsub')) };
      },
    } as NodeBehavior<WsServerState, WireMsg, unknown, never>;
    const { violations } = run(1, { chat: { historyVisibility: 'all' } }, { ws: noRevoke as never });
    const u3 = violations.filter((v) => v.message.includes('u3'));
    expect(u3.length).toBeGreaterThan(0);
    expect(new Set(u3.map((v) => v.checker))).toEqual(new Set(['membership', 'frames']));
  });

  test('negative control: a server that never subscribes a newcomer leaves them without the channel, and the lost checker says so', () => {
    const noGrant: NodeBehavior<WsServerState, WireMsg, unknown, never> = {
      ...wsServer,
      handle: (state, now, input, ctx) => {
        const grant = input.type === 'message' && input.msg.type === 'chat/membershipDone' && input.msg.action === 'join';
        if (!grant) return wsServer.handle(state, now, input, ctx);
        // Answer the client, but never add the channel to the session.
        const msg = input.msg as Extract<WireMsg, { type: 'chat/membershipDone' }>;
        return wsServer.handle(state, now, { ...input, msg: { ...msg, error: 'dropped by the test double' } }, ctx);
      },
    } as NodeBehavior<WsServerState, WireMsg, unknown, never>;
    const { violations } = run(1, { chat: { historyVisibility: 'since-join' } }, { ws: noGrant as never });
    const lost = violations.filter((v) => v.checker === 'lost');
    expect(lost.some((v) => v.message.includes('never shown to u7'))).toBe(true);
    expect(lost.some((v) => v.message.includes('never shown to u8'))).toBe(true);
  });

  test('a membership survives a reconnect: u7, moved to another server after joining, keeps receiving g1 (the session is loaded from the membership table)', () => {
    const { events, violations } = run(2, {
      chat: { historyVisibility: 'since-join' },
      faults: [
        { at: 12_000, op: { verb: 'crash', node: 'ws-1' } },
        { at: 12_000, op: { verb: 'crash', node: 'ws-2' } },
        { at: 12_000, op: { verb: 'crash', node: 'ws-3' } },
        { at: 13_000, op: { verb: 'restart', node: 'ws-1' } },
        { at: 13_000, op: { verb: 'restart', node: 'ws-2' } },
        { at: 13_000, op: { verb: 'restart', node: 'ws-3' } },
      ],
    });
    expect(violations.map((v) => v.message)).toEqual([]);
    const reconnected = eventsOfType(events, 'client/connected').filter((e) => e.data.user === 'u7' && e.at > 12_000);
    expect(reconnected.length).toBeGreaterThan(0);
    const sessions = eventsOfType(events, 'db/sessionLoaded').filter((e) => e.data.user === 'u7' && e.at > 12_000);
    // u7's session now has g1 besides its private chat.
    expect(sessions.every((e) => e.data.channels === 2)).toBe(true);
    const after = eventsOfType(events, 'client/messageShown').filter((e) => e.data.user === 'u7' && e.data.channel === 'g1' && e.at > 14_000);
    expect(after.length).toBeGreaterThan(20);
  });

  test('presence follows membership: a newcomer may type in the channel, a leaver no longer', () => {
    const { report } = runPreset('join-and-leave', 1, {
      presence: { enabled: true, typingProbability: 1 },
      faults: [
        { at: 15_000, op: { verb: 'inject', node: 'gw', from: 'c-u7', msg: { type: 'typing', channel: 'g1' } } },
        { at: 25_000, op: { verb: 'inject', node: 'gw', from: 'c-u3', msg: { type: 'typing', channel: 'g1' } } },
      ],
    });
    expect(violationsByChecker(report)).toEqual({});
    const { events } = run(1, {
      presence: { enabled: true, typingProbability: 1 },
      faults: [
        { at: 15_000, op: { verb: 'inject', node: 'gw', from: 'c-u7', msg: { type: 'typing', channel: 'g1' } } },
        { at: 25_000, op: { verb: 'inject', node: 'gw', from: 'c-u3', msg: { type: 'typing', channel: 'g1' } } },
      ],
    });
    const refused = eventsOfType(events, 'presence/actionRefused').filter((e) => e.data.action === 'typing' && e.data.channel === 'g1');
    expect(refused.filter((e) => e.data.user === 'u3' && e.at >= 25_000 && e.at < 26_000)).toHaveLength(1);
    expect(refused.filter((e) => e.data.user === 'u7' && e.at >= 15_000 && e.at < 16_000)).toHaveLength(0);
    const fanned = eventsOfType(events, 'presence/typingFannedOut').filter((e) => e.data.user === 'u7' && e.at >= 15_000 && e.at < 16_000);
    expect(fanned).toHaveLength(1);
  });

  test('the message timestamp: stamped by the chat service when it sequences, never decreasing along a channel, carried to the reader', () => {
    const { events } = run(1, {});
    const stampOf = new Map<string, number>();
    for (const e of eventsOfType(events, 'net/messageSent')) {
      const msg = e.data.msg as { type?: string; message?: { id: string; sentAtMs: number } };
      if (msg.type === 'db/insert' && msg.message !== undefined) stampOf.set(msg.message.id, msg.message.sentAtMs);
    }
    const sequenced = eventsOfType(events, 'chat/messageSequenced').filter((e) => e.data.channel === 'g1');
    expect(sequenced.length).toBeGreaterThan(50);
    let last = -1;
    for (const e of sequenced) {
      const stamp = stampOf.get(e.data.id) as number;
      expect(stamp).toBe(e.at);
      expect(stamp).toBeGreaterThanOrEqual(last);
      last = stamp;
    }
  });

  test('bad membership changes are refused with the field and the reason', () => {
    const base = { workload: { users: 4, channels: [{ id: 'g1', members: ['u1', 'u2'] }, { id: 'dm:u1:u2', members: ['u1', 'u2'] }] }, durationMs: 10_000 };
    const errors = (changes: unknown[]): string[] => {
      const r = parseScenario({ ...base, workload: { ...base.workload, membershipChanges: changes } });
      return r.ok ? [] : r.errors;
    };
    expect(errors([{ atMs: 1000, user: 'u3', channel: 'g1', action: 'join' }])).toEqual([]);
    expect(errors([{ atMs: 1000, user: 'u9', channel: 'g1', action: 'join' }])).toEqual(['scenario.workload.membershipChanges[0].user: unknown user "u9"; users are u1..u4']);
    expect(errors([{ atMs: 10_000, user: 'u3', channel: 'g1', action: 'join' }])).toEqual(['scenario.workload.membershipChanges[0].atMs: 10000 is not before durationMs (10000)']);
    expect(errors([{ atMs: 1000, user: 'u3', channel: 'dm:u1:u2', action: 'join' }])[0]).toContain('"dm:u1:u2" is a private chat, whose two members are fixed');
    expect(errors([{ atMs: 1000, user: 'u3', channel: 'g7', action: 'join' }])[0]).toContain('"g7" is not a channel of this scenario');
    expect(errors([{ atMs: 1000, user: 'u3', channel: 'g1', action: 'wave' }])[0]).toMatch(/^scenario\.workload\.membershipChanges\[0\]\.action: /);
  });
});

describe('a membership change at the edges', () => {
  test('joining as a member, or leaving as a non-member, is answered as done and changes nothing', () => {
    const { events, violations } = run(1, {
      faults: [
        { at: 5_000, op: { verb: 'inject', node: 'c-u1', msg: { type: 'userMembership', channel: 'g1', action: 'join' } } },
        { at: 5_000, op: { verb: 'inject', node: 'c-u8', msg: { type: 'userMembership', channel: 'g1', action: 'leave' } } },
      ],
    });
    expect(violations).toEqual([]);
    const early = eventsOfType(events, 'client/membershipChanged').filter((e) => e.at < 10_000);
    expect(early.map((e) => `${e.data.user} ${e.data.action} ${String(e.data.error)}`).sort()).toEqual(['u1 join null', 'u8 leave null']);
    expect(eventsOfType(events, 'chat/membershipChanged').filter((e) => e.at < 10_000)).toEqual([]);
  });

  test('a join of an unknown channel is refused with the reason shown to the user', () => {
    const { events } = run(1, { faults: [{ at: 5_000, op: { verb: 'inject', node: 'c-u1', msg: { type: 'userMembership', channel: 'nowhere', action: 'join' } } }] });
    const refused = eventsOfType(events, 'client/membershipChanged').filter((e) => e.data.user === 'u1');
    expect(refused.map((e) => e.data.error)).toEqual(['unknown channel "nowhere"']);
  });

  test('the same scenario and seed give the same trace (membership changes included)', () => {
    const a = run(3, { chat: { historyVisibility: 'since-join' } }).events;
    const b = run(3, { chat: { historyVisibility: 'since-join' } }).events;
    expect(a.length).toBe(b.length);
    expect(JSON.stringify(a.slice(-50))).toBe(JSON.stringify(b.slice(-50)));
  });
});

