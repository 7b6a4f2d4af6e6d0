/**
 * Issue 9, items 1, 2 and 4: checkers that cannot be fooled. Each repro of the issue is pinned
 * here by its whole scenario patch (preset, patch, seed), with what the user saw counted from the
 * trace by the sender's identity of each send, independently of the checkers under test.
 */
import { describe, expect, test } from 'vitest';
import { eventsOfType, type TraceEvent } from '../contract/index.ts';
import type { NodeBehavior } from '../core/node.ts';
import { Simulation } from '../engine/simulation.ts';
import { chatService, type ChatState } from '../nodes/chatService.ts';
import { NODE } from '../nodes/protocol.ts';
import { buildCluster } from '../scenario/build.ts';
import { createWatchers, runFacts } from './run.ts';
import { presetScenario, runPreset, violationsByChecker } from './testing.ts';

/** The group of 8: u1..u8 in g1 only, 0.3 sends a second each, for 60 s. */
const GROUP_OF_8 = {
  durationMs: 60_000,
  workload: { users: 8, channels: [{ id: 'g1', members: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'] }], sendRatePerUserPerSec: 0.3 },
};

/** Item 1's repro: no bursts, and the database 2000× slower from 10 s to 14 s (its writes outlast the chat service's 2 s timeout). */
const SLOW_DB = {
  ...GROUP_OF_8,
  workload: { ...GROUP_OF_8.workload, burstProbability: 0 },
  faults: [
    { at: 10_000, op: { verb: 'slow', node: 'db', factor: 2000 } },
    { at: 14_000, op: { verb: 'slow', node: 'db', factor: 1 } },
  ],
};

/** Item 2's repro: at most 2 connections on each of the 3 servers, so 2 of the 8 users never connect. */
const CONNECTION_LIMIT = { ...GROUP_OF_8, gateway: { connectionLimitPerServer: 2 } };

/** (user, author, clientMsgId) pairs shown more than once, counted from the trace alone. */
function sendsShownTwice(events: readonly TraceEvent[]): number {
  const times = new Map<string, number>();
  for (const e of eventsOfType(events, 'client/messageShown')) {
    const k = `${e.data.user} ${e.data.author} ${e.data.clientMsgId}`;
    times.set(k, (times.get(k) ?? 0) + 1);
  }
  return [...times.values()].filter((n) => n > 1).length;
}

/**
 * The chat service as it was before the fix (622d528): when a database write times out it forgets
 * the key and ignores the late answer, so the client's retry is stored under a new id while the
 * first row lands late and is served by history. A test double, to prove the checkers catch it.
 */
const forgetfulChat: NodeBehavior<ChatState, unknown, unknown, unknown> = {
  ...(chatService as unknown as NodeBehavior<ChatState, unknown, unknown, unknown>),
  handle(state, now, input, ctx) {
    const timedOut = input.type === 'timer' && input.timerId.startsWith('db:') ? Number(input.timerId.slice(3)) : null;
    const w = timedOut === null ? undefined : state.writes[timedOut];
    const result = chatService.handle(state, now, input as Parameters<typeof chatService.handle>[2], ctx);
    if (timedOut !== null && w !== undefined) {
      delete state.writes[timedOut];
      delete state.keys[`${w.submission.user}|${w.submission.clientMsgId}`];
    }
    return result;
  },
};

/** Runs a patched group-chat with the chat service swapped for `chat`, watched like any run. */
function runWithChat(patch: unknown, seed: number, chat: NodeBehavior<ChatState, unknown, unknown, unknown>) {
  const scenario = presetScenario('group-chat', patch);
  const { config, info } = buildCluster(scenario, seed);
  const sim = new Simulation({ ...config, nodes: config.nodes.map((n) => (n.id === NODE.chat ? { ...n, behavior: chat } : n)) });
  const watchers = createWatchers(info, scenario);
  sim.trace.subscribe((e) => watchers.observe(e));
  sim.runUntil(scenario.durationMs + scenario.settleMs);
  return { report: watchers.report(runFacts(sim, scenario.id, 0)), events: sim.trace.events };
}

describe('issue 9 #1: a send shown twice', () => {
  test('slow db ×2000 at 10–14 s, seed 1: a write that timed out is retried under the same key and stored once, shown once', () => {
    // On 622d528: 147 sent, 156 rows stored, 72 (user, send) pairs shown twice, no violation.
    const { report, events } = runPreset('group-chat', 1, SLOW_DB);
    // The repro still exercises the path: writes timed out (5 on seed 1 since service times are
    // drawn to the µs, ADR 0010; seed 2 below also has retries that meet their key).
    expect(eventsOfType(events, 'chat/messageRejected').filter((e) => e.data.code === 'UNAVAILABLE').length).toBeGreaterThan(0);
    expect(report.counts.sent).toBe(147);
    expect(eventsOfType(events, 'db/messageStored')).toHaveLength(report.counts.sent);
    expect(sendsShownTwice(events)).toBe(0);
    // Every send reached all 8 members exactly once.
    expect(report.counts.delivered).toBe(report.counts.sent * 8);
    expect(report.violations).toEqual([]);
  });

  test('the same repro on seed 2: retries meet their key, the second write is ignored, each send is shown once', () => {
    const { report, events } = runPreset('group-chat', 2, SLOW_DB);
    // Measured: 20 writes timed out, 12 retries met their key, 12 second writes ignored.
    expect(eventsOfType(events, 'chat/duplicateSubmission').length).toBeGreaterThan(0);
    expect(eventsOfType(events, 'db/duplicateInsertIgnored').length).toBeGreaterThan(0);
    expect(eventsOfType(events, 'db/messageStored')).toHaveLength(report.counts.sent);
    expect(sendsShownTwice(events)).toBe(0);
    expect(report.violations).toEqual([]);
  });

  test('the duplicates checker fires on the same repro with the old forget-the-key chat service', () => {
    // The fix reverted (a test double of the old service): one send, two rows, two ids. Judged by
    // the sender's identity, every (user, send) pair shown twice is a duplicate.
    const { report, events } = runWithChat(SLOW_DB, 1, forgetfulChat);
    expect(eventsOfType(events, 'db/messageStored').length).toBeGreaterThan(report.counts.sent);
    const twice = sendsShownTwice(events);
    expect(twice).toBeGreaterThan(0);
    expect(report.counts.duplicatesShown).toBeGreaterThanOrEqual(twice);
    expect(violationsByChecker(report)['duplicates']).toBeGreaterThan(0);
  });
});

describe('issue 9 #2: sends that never reach the database', () => {
  test('connection limit 2 on the group of 8, seed 1: the sends of the users who never connect vanished silently, and are judged lost', () => {
    // On 622d528: 190 sent, 149 stored, no violation. Two users never get a connection; their
    // client keeps the sends pending with no error shown, and nobody ever sees them. (Still 190
    // sent with the login hop of ADR 0013 and µs time of ADR 0010: the draws moved, the count
    // came back; the 149 stored are the same.)
    const { report, events } = runPreset('group-chat', 1, CONNECTION_LIMIT);
    const c = report.counts;
    expect(c.sent).toBe(190);
    expect(c.persisted).toBe(149);
    // Every send has exactly one outcome.
    expect(c.acked + c.failedShown + c.pending + c.lostSends).toBe(c.sent);
    expect(c.lostSends).toBe(c.sent - c.persisted);
    expect(violationsByChecker(report)).toEqual({ 'lost-sends': c.lostSends });
    // The lost sends are exactly those of the users who never connected.
    const connected = new Set(eventsOfType(events, 'client/connected').map((e) => e.data.user));
    const losers = new Set(report.violations.map((v) => v.subject.user));
    expect(losers.size).toBe(2);
    for (const u of losers) expect(connected.has(u as string)).toBe(false);
  });

  test('a send the user saw fail is not lost: at-most-once while disconnected shows the error', () => {
    // crash-at-most-once: sends made while ws-2's users are disconnected fail on their screens
    // ("not connected"), which is an outcome the user saw, not a silent loss.
    const { report, events } = runPreset('crash-at-most-once', 1);
    const failedOnScreen = new Set(eventsOfType(events, 'client/sendFailed').map((e) => `${e.data.user} ${e.data.clientMsgId}`));
    expect(failedOnScreen.size).toBe(report.counts.failedShown);
    for (const v of report.violations.filter((x) => x.checker === 'lost-sends')) expect(failedOnScreen.has(`${v.subject.user} ${v.subject.clientMsgId}`)).toBe(false);
    expect(report.counts.acked + report.counts.failedShown + report.counts.pending + report.counts.lostSends).toBe(report.counts.sent);
  });

  test('negative controls: at-most-once with a crash still loses messages; at-least-once loses none', () => {
    // The crash drops what ws-2 held: at-most-once has no retry, so persisted messages never
    // reach some members (lost) and sends in flight through ws-2 vanish (lost-sends, on seeds
    // where a send was in flight at 15 s). At-least-once retries and catches up: nothing lost.
    for (const seed of [1, 2, 3]) {
      const most = runPreset('crash-at-most-once', seed).report;
      expect(most.counts.lost, `seed ${seed}`).toBeGreaterThan(0);
      const least = runPreset('crash-at-least-once', seed).report;
      expect(least.counts.lost + least.counts.lostSends, `seed ${seed}`).toBe(0);
      expect(least.violations, `seed ${seed}`).toEqual([]);
    }
  });
});

describe('issue 9 #4: which order held', () => {
  /** Half the sends reply to the latest message their sender saw; internal hops jitter by 1 s on average (non-FIFO). */
  const REPLIES_ON_A_SLOW_NETWORK = { workload: { replyProbability: 0.5 }, network: { internal: { jitter: { kind: 'exponential', meanMs: 1000 } } } };

  test('each meaning of order has its own checker and count: without sequence numbers a reply can overtake its question', () => {
    // With no sequence and no reorder buffer, a question delayed by a long exponential jitter can
    // reach a member after a reply sent seconds later. Measured causal findings with this patch:
    // 2, 9, 1 and 10 on seeds 1–4 (replies take human time, so only the jitter's tail breaks it).
    for (const seed of [1, 2, 3, 4]) {
      const { report } = runPreset('reordering-without-sequence', seed, REPLIES_ON_A_SLOW_NETWORK);
      const by = violationsByChecker(report);
      expect(report.counts.causalBroken, `seed ${seed}`).toBe(by['causal']);
      expect(report.counts.causalBroken, `seed ${seed}`).toBeGreaterThan(0);
      expect(report.counts.outOfOrderShown, `seed ${seed}`).toBe(by['ordering']);
      expect(report.counts.senderOrderBroken, `seed ${seed}`).toBe(by['sender-order']);
    }
  });

  test('per-channel sequence numbers with a reorder buffer keep causal order on the same network', () => {
    // The replier saw the question, so it was persisted (and numbered) before the reply was
    // submitted: the reply's number is higher, and clients show by the previous-id chain. Sender
    // FIFO is not promised (a sender's retries can be numbered out of send order); causal is.
    for (const seed of [1, 2, 3, 4]) {
      const { report, events } = runPreset('reordering-with-sequence', seed, REPLIES_ON_A_SLOW_NETWORK);
      expect(eventsOfType(events, 'client/messageSent').filter((e) => e.data.replyTo !== undefined).length, `seed ${seed}`).toBeGreaterThan(0);
      expect(report.counts.causalBroken, `seed ${seed}`).toBe(0);
    }
  });
});
