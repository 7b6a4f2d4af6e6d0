import { describe, expect, test } from 'vitest';
import type { ClusterInfo, ServerFrame, TraceEvent, WireMsg } from '../contract/index.ts';
import { presetScenario } from '../cluster/testing.ts';
import { runScenario } from '../cluster/run.ts';
import { PRESETS } from '../scenario/presets.ts';
import { runCheckers } from './checker.ts';
import { chatCheckers } from './chat.ts';
import { FrameChecker } from './frames.ts';

const info: ClusterInfo = {
  channels: new Map([
    ['dm:u1:u2', ['u1', 'u2']],
    ['g1', ['u1', 'u2', 'u3']],
    ['dm:u1:u4', ['u1', 'u4']],
  ]),
  clientNodes: new Map([
    ['u1', 'c-u1'],
    ['u2', 'c-u2'],
    ['u3', 'c-u3'],
    ['u4', 'c-u4'],
    ['u5', 'fleet-1'],
    ['u6', 'fleet-1'],
  ]),
  nodeKinds: new Map([
    ['c-u1', 'client'],
    ['c-u2', 'client'],
    ['c-u3', 'client'],
    ['c-u4', 'client'],
    ['fleet-1', 'client'],
    ['gw', 'gateway'],
  ]),
  workloadEndMs: 1000,
};

/** A synthetic trace of frames the gateway sends to clients, each sent then delivered. */
class FrameTrace {
  readonly events: TraceEvent[] = [];
  private push(e: Omit<TraceEvent, 'seq' | 'at'>): number {
    const seq = this.events.length;
    this.events.push({ ...e, seq, at: seq } as TraceEvent);
    return seq;
  }
  sent(user: string, clientMsgId: string, channel: string): this {
    this.push({ node: `c-${user}`, causeSeq: null, type: 'client/messageSent', data: { user, channel, clientMsgId, text: 'hi' } } as Omit<TraceEvent, 'seq' | 'at'>);
    return this;
  }
  /** The gateway sends `msg` to `to`, and it arrives (unless `dropped`). */
  frame(to: string, msg: WireMsg, dropped = false): this {
    const sent = this.push({ node: 'gw', causeSeq: null, type: 'net/messageSent', data: { from: 'gw', to, msg } } as Omit<TraceEvent, 'seq' | 'at'>);
    if (dropped) this.push({ node: 'net', causeSeq: sent, type: 'net/messageDropped', data: { from: 'gw', to, reason: 'loss' } } as Omit<TraceEvent, 'seq' | 'at'>);
    else this.push({ node: to, causeSeq: sent, type: 'net/messageDelivered', data: { from: 'gw', to } } as Omit<TraceEvent, 'seq' | 'at'>);
    return this;
  }
}

const dmMessage = (id: string, author = 'u2') => ({ id, channel: 'dm:u1:u2', seq: 1, prevId: null, author, clientMsgId: `${author}-1`, text: 'for u1 only', sentAtMs: 0 });

function findings(events: readonly TraceEvent[]): string[] {
  return runCheckers(events, [new FrameChecker(info)]).map((v) => v.message);
}

describe('the frames checker', () => {
  // Proves it is silent on the frames members are meant to get: their channels' messages, pages,
  // typing, contacts' presence, their own acks and errors (a FORBIDDEN about a channel they are
  // not in included), keep-alives, auth frames, a long poll's answer, a fleet's user's frame.
  test('is silent when every frame concerns the recipient', () => {
    const t = new FrameTrace()
      .sent('u3', 'u3-1', 'dm:u1:u2')
      .sent('u1', 'u1-1', 'g1')
      .frame('c-u1', { type: 'deliver', message: dmMessage('m1') })
      .frame('c-u1', { type: 'historyPage', channel: 'dm:u1:u2', afterSeq: 0, messages: [dmMessage('m1')] })
      .frame('c-u3', { type: 'historyPage', channel: 'dm:u1:u2', afterSeq: 0, messages: [] })
      .frame('c-u2', { type: 'typingNotice', user: 'u3', channel: 'g1' })
      .frame('c-u3', { type: 'presence', users: [{ user: 'u1', online: true, lastSeenMs: 0 }, { user: 'u3', online: true, lastSeenMs: 0 }] })
      .frame('c-u1', { type: 'sendAck', clientMsgId: 'u1-1', channel: 'g1', id: 'm2', seq: 1 })
      .frame('c-u3', { type: 'sendError', clientMsgId: 'u3-1', channel: 'dm:u1:u2', code: 'FORBIDDEN', message: 'u3 is not a member of dm:u1:u2' })
      .frame('c-u3', { type: 'authError', phase: 'connect', reason: 'malformed' })
      .frame('c-u2', { type: 'pollResponse', frames: [{ type: 'deliver', message: dmMessage('m1') }, { type: 'pong', n: 1 }] })
      .frame('fleet-1', { type: 'toUser', user: 'u5', frame: { type: 'connected', server: 'ws-1' } })
      // A frame the network lost never reached anyone.
      .frame('c-u3', { type: 'deliver', message: dmMessage('m9') }, true);
    expect(findings(t.events)).toEqual([]);
  });

  // The item 5 repro as it looked before the fix: c-u3, connected as u1 with `tok:u1`, got u1's
  // direct messages, history and the acks of u1's sends.
  test('fires when a client receives messages, history and acks of another user (the forged connect)', () => {
    const t = new FrameTrace()
      .sent('u1', 'u1-1', 'dm:u1:u2')
      .frame('c-u3', { type: 'deliver', message: dmMessage('m1') })
      .frame('c-u3', { type: 'historyPage', channel: 'dm:u1:u2', afterSeq: 0, messages: [dmMessage('m1')] })
      .frame('c-u3', { type: 'sendAck', clientMsgId: 'u1-1', channel: 'dm:u1:u2', id: 'm2', seq: 2 })
      .frame('c-u3', { type: 'pollResponse', frames: [{ type: 'push', message: dmMessage('m3') }] });
    expect(findings(t.events)).toEqual([
      'event 2: u3 received m1 of dm:u1:u2 (a deliver), a channel u3 is not a member of.',
      'event 4: u3 received a history page of dm:u1:u2 with m1 of dm:u1:u2, a channel u3 is not a member of.',
      'event 6: u3 received a sendAck for u1-1, which u1 sent, not u3.',
      'event 8: u3 received m3 of dm:u1:u2 (a push), a channel u3 is not a member of.',
    ]);
  });

  // The item 6 repros as they looked before the fix: u3's typing in dm:u1:u2 fanned out to its
  // members, and a presence answer to u3 about u4, who shares no channel with u3.
  test('fires on a typing notice from a non-member and on presence about a stranger', () => {
    const t = new FrameTrace()
      .frame('c-u1', { type: 'typingNotice', user: 'u3', channel: 'dm:u1:u2' })
      .frame('c-u3', { type: 'typingNotice', user: 'u1', channel: 'dm:u1:u2' })
      .frame('c-u3', { type: 'presence', users: [{ user: 'u1', online: true, lastSeenMs: 0 }, { user: 'u4', online: false, lastSeenMs: 5 }] });
    expect(findings(t.events)).toEqual([
      'event 1: u1 received a typing notice from u3 in dm:u1:u2, a channel u3 is not a member of.',
      'event 3: u3 received a typing notice from u1 in dm:u1:u2, a channel u3 is not a member of.',
      'event 5: u3 received the presence of u4, who shares no channel with u3.',
    ]);
  });

  // A fleet handed a frame for a user it does not play: addressed to another user.
  test('fires on a frame addressed to a user the receiving client does not play', () => {
    const t = new FrameTrace().frame('fleet-1', { type: 'toUser', user: 'u1', frame: { type: 'deliver', message: dmMessage('m1') } as ServerFrame });
    expect(findings(t.events)).toEqual(['event 1: fleet-1 received a deliver frame addressed to u1, but fleet-1 does not play u1.']);
  });

  // It is part of the chat checkers, so the CLI, the workbench and runCheckers all run it.
  test('is one of the chat checkers', () => {
    expect(chatCheckers(info).map((c) => c.name)).toContain('frames');
  });

  // Proves it is silent on every light preset (seed 1 and 2) and on variants that send the frames
  // the presets do not: presence under each strategy with typing, long polling (frames inside poll
  // answers), a Kafka-like log, stateless servers with a crash, pulled large groups.
  test('is silent on every preset and on the presence, polling and broker variants', () => {
    const seen = new Map<string, number>();
    const frames = (id: string, seed: number, patch?: unknown): number => {
      const { report, trace } = runScenario(presetScenario(id, patch), { seed });
      for (const e of trace.events) seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
      return report.violations.filter((v) => v.checker === 'frames').length;
    };
    const found: string[] = [];
    for (const p of PRESETS.filter((x) => x.heavy !== true)) for (const seed of [1, 2]) if (frames(p.id, seed) > 0) found.push(`${p.id} seed ${seed}`);
    const MANY = { workload: { users: 20, channels: null, groups: { count: 3, size: { kind: 'fixed', size: 6 } }, privateChats: 6, sendRatePerUserPerSec: 0.2, offlineFraction: 0.3, meanOnlineMs: 8_000, meanOfflineMs: 4_000 } };
    const variants: readonly [string, unknown][] = [
      ['presence broadcast', { ...MANY, presence: { enabled: true, strategy: 'broadcast', ttlMs: 10_000, sweepMs: 1000, typingProbability: 0.5 } }],
      ['presence subscribers', { ...MANY, presence: { enabled: true, strategy: 'subscribers', viewSwitchMeanMs: 3000, typingProbability: 0.5 } }],
      ['presence lazy with push', { ...MANY, presence: { enabled: true, strategy: 'lazy', viewSwitchMeanMs: 3000 }, notifications: { enabled: true } }],
      ['long polling', { ...MANY, transport: 'long-polling', presence: { enabled: true, typingProbability: 0.5 } }],
      ['kafka-like log', { broker: { kind: 'kafka', partitions: 4 } }],
      ['stateless servers', { wsServer: { state: 'stateless' }, faults: [{ at: 10_000, op: { verb: 'crash', node: 'ws-2' } }, { at: 15_000, op: { verb: 'restart', node: 'ws-2' } }] }],
      ['large groups by pull', { ...MANY, largeGroups: { mode: 'pull', thresholdMembers: 5, pollIntervalMs: 2000 } }],
    ];
    for (const [name, patch] of variants) if (frames('group-chat', 1, patch) > 0) found.push(name);
    expect(found).toEqual([]);
    // Not vacuous: the runs carried every kind of frame the rules are about.
    for (const type of ['client/messageShown', 'client/sendAcked', 'client/sendFailed', 'client/typingSeen', 'client/presenceSeen', 'client/pushReceived', 'ws/pollAnswered', 'client/loggedIn']) {
      expect(seen.get(type) ?? 0, type).toBeGreaterThan(0);
    }
  });
});
