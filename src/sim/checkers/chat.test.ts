import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ClusterEventData, ClusterEventType, ClusterInfo, TraceEvent } from '../contract/index.ts';
import { CausalChecker, DuplicateChecker, LostChecker, MembershipChecker, OrderingChecker, SendOutcomeChecker, SenderOrderChecker, chatCheckers } from './chat.ts';
import { findingsAtEnd, runCheckers } from './checker.ts';

const info: ClusterInfo = {
  channels: new Map([
    ['g1', ['u1', 'u2', 'u3']],
    ['g2', ['u1', 'u4']],
    ['dm:u1:u2', ['u1', 'u2']],
  ]),
  clientNodes: new Map(['u1', 'u2', 'u3', 'u4'].map((u) => [u, `client-${u}`])),
  nodeKinds: new Map([
    ['client-u1', 'client'],
    ['ws-1', 'ws-server'],
    ['chat', 'chat'],
  ]),
  workloadEndMs: 1000,
};

/** Builds a synthetic trace with consecutive seqs; data is typed by the contract. */
class TraceBuilder {
  readonly events: TraceEvent[] = [];
  /** Time of the next events; tests that care about time set it. */
  now = 0;
  private readonly positions = new Map<string, number>();

  add<T extends ClusterEventType>(type: T, data: ClusterEventData[T], node = 'n'): number {
    const seq = this.events.length;
    // The builder's signature pairs the type with its data; the union cannot see it.
    this.events.push({ seq, at: this.now, node, causeSeq: null, type, data } as TraceEvent);
    return seq;
  }
  connected(user: string): number {
    return this.add('client/connected', { user, server: 'ws-1' });
  }
  disconnected(user: string): number {
    return this.add('client/disconnected', { user, reason: 'serverCrashed', retryInMs: 100 });
  }
  wentOffline(user: string): number {
    return this.add('client/wentOffline', { user });
  }
  /** The author of each persisted id, so a show names the same send (author, client message id). */
  private readonly authors = new Map<string, string>();
  persisted(id: string, channel: string, order: number, author = 'u1'): number {
    this.authors.set(id, author);
    return this.add('chat/messagePersisted', { id, channel, seq: order, order, author, clientMsgId: `c-${id}` });
  }
  received(user: string, channel: string, id: string, via: 'push' | 'history' = 'push'): number {
    return this.add('client/messageReceived', { user, channel, id, seq: null, via });
  }
  /** A show at the next position of the user's list for that channel. */
  shown(user: string, channel: string, id: string): number {
    const k = `${user} ${channel}`;
    const position = this.positions.get(k) ?? 0;
    this.positions.set(k, position + 1);
    return this.add('client/messageShown', { user, channel, id, seq: null, author: this.authors.get(id) ?? 'u1', clientMsgId: `c-${id}`, position });
  }
}

/** A healthy run: a reconnect with a history catch-up, and a member who leaves before the end. */
function goodTrace(): TraceEvent[] {
  const t = new TraceBuilder();
  for (const u of ['u1', 'u2', 'u3', 'u4']) t.connected(u);
  t.persisted('m1', 'g1', 1);
  for (const u of ['u1', 'u2', 'u3']) t.shown(u, 'g1', 'm1');
  // u2's server crashes; m2 is persisted while u2 is away and reaches u2 through history.
  t.disconnected('u2');
  t.persisted('m2', 'g1', 2);
  t.shown('u1', 'g1', 'm2');
  t.shown('u3', 'g1', 'm2');
  t.connected('u2');
  t.received('u2', 'g1', 'm2', 'history');
  t.shown('u2', 'g1', 'm2');
  t.persisted('m3', 'g1', 3, 'u2');
  for (const u of ['u1', 'u2', 'u3']) t.shown(u, 'g1', 'm3');
  // u3 closes the app, so m4 never reaching u3 is not a loss.
  t.wentOffline('u3');
  t.persisted('m4', 'g1', 4);
  t.shown('u1', 'g1', 'm4');
  t.shown('u2', 'g1', 'm4');
  // Orders are per channel: g2 and the DM start again at 1.
  t.persisted('m5', 'g2', 1, 'u4');
  t.shown('u4', 'g2', 'm5');
  t.shown('u1', 'g2', 'm5');
  t.persisted('m6', 'dm:u1:u2', 1);
  t.received('u2', 'dm:u1:u2', 'm6');
  t.shown('u2', 'dm:u1:u2', 'm6');
  t.shown('u1', 'dm:u1:u2', 'm6');
  return t.events;
}

describe('chatCheckers', () => {
  test('returns fresh instances of the eight checkers, one per rule, by name', () => {
    // Two calls share no state, so each run gets its own checkers.
    const a = chatCheckers(info);
    const b = chatCheckers(info);
    expect(a.map((c) => c.name)).toEqual(['ordering', 'sender-order', 'causal', 'duplicates', 'lost', 'lost-sends', 'membership', 'frames']);
    for (let i = 0; i < a.length; i++) expect(a[i]).not.toBe(b[i]);
  });

  test('all stay silent on a good trace with a reconnect, history and a user going offline', () => {
    // The healthy trace breaks no rule, offline (runCheckers) as well as online (observe, then judge the end).
    expect(runCheckers(goodTrace(), chatCheckers(info))).toEqual([]);
    const online = chatCheckers(info);
    for (const e of goodTrace()) for (const c of online) c.observe(e);
    expect(online.flatMap((c) => findingsAtEnd(c).violations)).toEqual([]);
  });
});

describe('OrderingChecker', () => {
  test('fires when a user sees an earlier message after a later one', () => {
    // m1 comes before m2 in g1's history, so showing m2 then m1 to u3 is out of order.
    const t = new TraceBuilder();
    t.persisted('m1', 'g1', 4);
    t.persisted('m2', 'g1', 6);
    t.shown('u3', 'g1', 'm2');
    const bad = t.shown('u3', 'g1', 'm1');
    const v = runCheckers(t.events, [new OrderingChecker()]);
    expect(v).toEqual([
      {
        checker: 'ordering',
        seq: bad,
        at: 0,
        message: `event ${bad}: u3 saw m1 (no. 4 in g1's history) after m2 (no. 6); users see g1 out of order.`,
        subject: { messageId: 'm1', user: 'u3', channel: 'g1' },
      },
    ]);
  });

  test('judges each (user, channel) separately', () => {
    // Different users, and different channels of one user, each have their own running maximum.
    const t = new TraceBuilder();
    t.persisted('m1', 'g1', 1);
    t.persisted('m2', 'g1', 2);
    t.persisted('m3', 'g2', 1);
    t.shown('u1', 'g1', 'm2');
    t.shown('u1', 'g2', 'm3');
    t.shown('u2', 'g1', 'm1');
    t.shown('u2', 'g1', 'm2');
    const c = new OrderingChecker();
    expect(runCheckers(t.events, [c])).toEqual([]);
    // One more show of m1 to u1 (which saw m2) is the only break.
    t.shown('u1', 'g1', 'm1');
    expect(runCheckers(t.events, [new OrderingChecker()]).map((v) => v.seq)).toEqual([t.events.length - 1]);
  });

  test('leaves repeated shows of the same message to the duplicates checker', () => {
    // u1 sees m1, m2, then m1 again: a duplicate, not an ordering break.
    const t = new TraceBuilder();
    t.persisted('m1', 'g1', 1);
    t.persisted('m2', 'g1', 2);
    t.shown('u1', 'g1', 'm1');
    t.shown('u1', 'g1', 'm2');
    t.shown('u1', 'g1', 'm1');
    expect(runCheckers(t.events, [new OrderingChecker()])).toEqual([]);
  });

  test('judges shows whose message is persisted only later, as soon as it is', () => {
    // m2 is shown before its persisted event; the later show of m1 waits behind it and is reported
    // online when m2's order arrives, at the show's own seq.
    const t = new TraceBuilder();
    t.persisted('m1', 'g1', 1);
    t.shown('u1', 'g1', 'm2');
    const bad = t.shown('u1', 'g1', 'm1');
    t.persisted('m2', 'g1', 2);
    const c = new OrderingChecker();
    for (const e of t.events.slice(0, -1)) c.observe(e);
    expect(c.violations()).toEqual([]);
    c.observe(t.events.at(-1) as TraceEvent);
    expect(c.violations().map((v) => v.seq)).toEqual([bad]);
  });

  test('at the end, skips a show whose message was never persisted and judges the rest, without changing state', () => {
    // m9 is never persisted, so it has no order; m2 then m1 behind it is still out of order. Judging
    // the end twice gives the same answer, and the safety list stays as it was.
    const t = new TraceBuilder();
    t.persisted('m1', 'g1', 1);
    t.persisted('m2', 'g1', 2);
    t.shown('u1', 'g1', 'm9');
    t.shown('u1', 'g1', 'm2');
    const bad = t.shown('u1', 'g1', 'm1');
    const c = new OrderingChecker();
    for (const e of t.events) c.observe(e);
    expect(c.violations()).toEqual([]);
    expect(c.judgeEnd().violations.map((v) => v.seq)).toEqual([bad]);
    expect(c.judgeEnd().violations.map((v) => v.seq)).toEqual([bad]);
    expect(c.violations()).toEqual([]);
  });

  test('reports exactly the shows below the running maximum, for any show order', () => {
    // Property: with distinct persisted orders, a permutation of the shows breaks ordering once per
    // show whose order is below the maximum of those before it, whether the persisted events come
    // before the shows or only after all of them.
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        (orders, persistLate) => {
          // Showing in the generated order is a permutation of the channel's history.
          const t = new TraceBuilder();
          const persistAll = () => orders.forEach((o, i) => t.persisted(`m${i}`, 'g1', o));
          if (!persistLate) persistAll();
          orders.forEach((_, i) => t.shown('u1', 'g1', `m${i}`));
          if (persistLate) persistAll();
          let max = -1;
          let expected = 0;
          for (const o of orders) {
            if (o < max) expected++;
            max = Math.max(max, o);
          }
          const c = new OrderingChecker();
          runCheckers(t.events, [c]);
          expect(findingsAtEnd(c).count).toBe(expected);
        },
      ),
    );
  });
});

describe('DuplicateChecker', () => {
  test('fires at the second and every later show of a message to the same user', () => {
    // u2 sees m7 three times: two violations, each pointing back at the first show.
    const t = new TraceBuilder();
    const first = t.shown('u2', 'g1', 'm7');
    t.shown('u1', 'g1', 'm7');
    const second = t.shown('u2', 'g1', 'm7');
    const third = t.shown('u2', 'g1', 'm7');
    const c = new DuplicateChecker();
    expect(runCheckers(t.events, [c]).map((v) => v.message)).toEqual([
      `event ${second}: u2 was shown u1's c-m7 (m7) in g1 a second time (first at event ${first}).`,
      `event ${third}: u2 was shown u1's c-m7 (m7) in g1 a third time (first at event ${first}).`,
    ]);
    expect(c.violationCount()).toBe(2);
  });

  test('stays silent when different users see the same message once each', () => {
    // One show per (user, id) is the healthy case, across users and channels.
    const t = new TraceBuilder();
    for (const u of ['u1', 'u2', 'u3']) t.shown(u, 'g1', 'm1');
    t.shown('u1', 'g2', 'm2');
    expect(runCheckers(t.events, [new DuplicateChecker()])).toEqual([]);
  });
});

describe('LostChecker', () => {
  test('fires for a member online at the end who never saw a persisted message', () => {
    // u2 and u3 are online, only u3 saw m9, so m9 is lost for u2; u1 went offline and is not judged.
    const t = new TraceBuilder();
    for (const u of ['u1', 'u2', 'u3']) t.connected(u);
    t.now = 40;
    const p = t.persisted('m9', 'g1', 1);
    t.shown('u3', 'g1', 'm9');
    t.wentOffline('u1');
    const c = new LostChecker(info);
    expect(runCheckers(t.events, [c])).toEqual([
      {
        checker: 'lost',
        seq: p,
        at: 40,
        message: `u1's c-m9 (m9) in g1 (persisted at event ${p}) was never shown to u2, who is online at the end.`,
        subject: { messageId: 'm9', clientMsgId: 'c-m9', user: 'u2', channel: 'g1' },
      },
    ]);
  });

  test('reports only when the end is judged, and a later show withdraws the finding', () => {
    // Loss is a liveness rule: a message may still arrive until the run ends. Judging the end
    // changes nothing, so a run judged mid-way and then played on is judged again from its state.
    const t = new TraceBuilder();
    t.connected('u4');
    t.persisted('m1', 'g2', 1);
    const c = new LostChecker(info);
    for (const e of t.events) c.observe(e);
    expect(c.violations()).toEqual([]);
    // u1 never connected, so only u4 counts.
    expect(c.judgeEnd().count).toBe(1);
    expect(c.judgeEnd().count).toBe(1);
    t.shown('u4', 'g2', 'm1');
    c.observe(t.events.at(-1) as TraceEvent);
    expect(c.judgeEnd().count).toBe(0);
  });

  test('a member offline when the end was judged still counts once they come back unshown', () => {
    // Judging forgets the messages every member has seen; m1 was seen by u1 only, so it must
    // still be judged when u2, offline at the first judgement, comes back and is never shown it.
    const t = new TraceBuilder();
    t.connected('u1');
    t.persisted('m1', 'dm:u1:u2', 1);
    t.shown('u1', 'dm:u1:u2', 'm1');
    const c = new LostChecker(info);
    for (const e of t.events) c.observe(e);
    expect(c.judgeEnd().count).toBe(0);
    t.connected('u2');
    c.observe(t.events.at(-1) as TraceEvent);
    expect(c.judgeEnd().violations.map((v) => v.subject)).toEqual([{ messageId: 'm1', clientMsgId: 'c-m1', user: 'u2', channel: 'dm:u1:u2' }]);
    // Once u2 is shown it, nothing is missing any more.
    t.shown('u2', 'dm:u1:u2', 'm1');
    c.observe(t.events.at(-1) as TraceEvent);
    expect(c.judgeEnd().count).toBe(0);
  });

  test('uses the last connection event: reconnected users count, disconnected ones do not', () => {
    // u1 dropped and came back (online); u2 connected then dropped (offline); u3 never connected.
    const t = new TraceBuilder();
    t.connected('u1');
    t.disconnected('u1');
    t.connected('u1');
    t.connected('u2');
    t.disconnected('u2');
    t.persisted('m1', 'g1', 1);
    const v = runCheckers(t.events, [new LostChecker(info)]);
    expect(v.map((x) => x.message)).toEqual([`u1's c-m1 (m1) in g1 (persisted at event 5) was never shown to u1, who is online at the end.`]);
  });

  test('caps the list but counts every lost pair', () => {
    // Five lost messages with a cap of two: two kept, five counted.
    const t = new TraceBuilder();
    t.connected('u2');
    for (let i = 1; i <= 5; i++) t.persisted(`m${i}`, 'dm:u1:u2', i);
    const c = new LostChecker(info, 2);
    expect(runCheckers(t.events, [c])).toHaveLength(2);
    expect(findingsAtEnd(c).count).toBe(5);
  });

  test('counts a message persisted twice once', () => {
    // A repeated persisted event for the same id is one message, so at most one loss per member.
    const t = new TraceBuilder();
    t.connected('u2');
    t.persisted('m1', 'dm:u1:u2', 1);
    t.persisted('m1', 'dm:u1:u2', 1);
    const c = new LostChecker(info);
    runCheckers(t.events, [c]);
    expect(findingsAtEnd(c).count).toBe(1);
  });
});

describe('MembershipChecker', () => {
  test('fires when a non-member receives or is shown a message', () => {
    // u4 is not in g1; both the receive and the show break the rule.
    const t = new TraceBuilder();
    const r = t.received('u4', 'g1', 'm3');
    const s = t.shown('u4', 'g1', 'm3');
    expect(runCheckers(t.events, [new MembershipChecker(info)]).map((v) => v.message)).toEqual([
      `event ${r}: u4 received m3 from g1, a channel u4 is not a member of.`,
      `event ${s}: u4 was shown m3 from g1, a channel u4 is not a member of.`,
    ]);
  });

  test('fires for a channel that does not exist', () => {
    // g9 is in no channel list, so nobody may receive from it.
    const t = new TraceBuilder();
    const r = t.received('u1', 'g9', 'm1');
    expect(runCheckers(t.events, [new MembershipChecker(info)]).map((v) => v.message)).toEqual([
      `event ${r}: u1 received m1 from g9, a channel that does not exist.`,
    ]);
  });

  test('stays silent for members, including DM participants', () => {
    // Every receiver below is listed in the channel's members.
    const t = new TraceBuilder();
    t.received('u4', 'g2', 'm1');
    t.shown('u4', 'g2', 'm1');
    t.received('u2', 'dm:u1:u2', 'm2', 'history');
    expect(runCheckers(t.events, [new MembershipChecker(info)])).toEqual([]);
  });
});

/** A show of `author`'s send `clientMsgId` under the server id `id`, at position 0 (positions do not matter here). */
function showSend(t: TraceBuilder, user: string, id: string, author: string, clientMsgId: string): number {
  return t.add('client/messageShown', { user, channel: 'g1', id, seq: null, author, clientMsgId, position: 0 });
}

describe('judged by the sender’s identity of a send, not the server’s id (issue 9)', () => {
  test('a send stored twice under two ids and shown under both is a duplicate', () => {
    // The chat service of 622d528 stored a retried send again as m3; the old checker, keyed by
    // server id, saw two different messages.
    const t = new TraceBuilder();
    t.add('client/messageSent', { user: 'u1', channel: 'g1', clientMsgId: 'u1-1', text: 'a' });
    const first = showSend(t, 'u2', 'm1', 'u1', 'u1-1');
    const second = showSend(t, 'u2', 'm3', 'u1', 'u1-1');
    expect(runCheckers(t.events, [new DuplicateChecker()]).map((v) => v.message)).toEqual([
      `event ${second}: u2 was shown u1's u1-1 (m3) in g1 a second time (first at event ${first}).`,
    ]);
  });

  test('sender FIFO: #1 shown after #2 fires even when #1 is shown under a second id', () => {
    // u1-1 was sequenced as m1, timed out, and was stored again as m3 after u1-2 (m2); u2 sees
    // #2 then #1's second row. The old checker knew #1 only as m1 and stayed silent.
    const t = new TraceBuilder();
    t.add('client/messageSent', { user: 'u1', channel: 'g1', clientMsgId: 'u1-1', text: 'a' });
    t.add('client/messageSent', { user: 'u1', channel: 'g1', clientMsgId: 'u1-2', text: 'b' });
    t.add('chat/messageSequenced', { id: 'm1', channel: 'g1', seq: 1, prevId: null, author: 'u1', clientMsgId: 'u1-1' });
    t.add('chat/messageSequenced', { id: 'm2', channel: 'g1', seq: 2, prevId: 'm1', author: 'u1', clientMsgId: 'u1-2' });
    t.add('chat/messageSequenced', { id: 'm3', channel: 'g1', seq: 3, prevId: 'm2', author: 'u1', clientMsgId: 'u1-1' });
    showSend(t, 'u2', 'm2', 'u1', 'u1-2');
    const bad = showSend(t, 'u2', 'm3', 'u1', 'u1-1');
    const shows = new DuplicateChecker();
    expect(runCheckers(t.events, [new SenderOrderChecker(shows), shows]).map((v) => v.message)).toEqual([
      `event ${bad}: u2 saw u1's message #1 (u1-1, m3) after their #2 (u1-2) in g1; u1 sent them in the other order.`,
    ]);
  });

  test('causal: a reply shown before the message it answers fires; after it, not', () => {
    // u2 answers u1-1; u3 is shown the reply first (a violation), u1 in the right order.
    const t = new TraceBuilder();
    t.add('client/messageSent', { user: 'u1', channel: 'g1', clientMsgId: 'u1-1', text: 'question' });
    t.add('client/messageSent', { user: 'u2', channel: 'g1', clientMsgId: 'u2-1', text: 'answer', replyTo: { id: 'm1', author: 'u1', clientMsgId: 'u1-1' } });
    showSend(t, 'u1', 'm1', 'u1', 'u1-1');
    showSend(t, 'u1', 'm2', 'u2', 'u2-1');
    const bad = showSend(t, 'u3', 'm2', 'u2', 'u2-1');
    showSend(t, 'u3', 'm1', 'u1', 'u1-1');
    // A repeat of the reply is the duplicates checker's business, not a second causal finding.
    showSend(t, 'u3', 'm2', 'u2', 'u2-1');
    const shows = new DuplicateChecker();
    expect(runCheckers(t.events, [new CausalChecker(shows), shows]).filter((v) => v.checker === 'causal').map((v) => v.message)).toEqual([
      `event ${bad}: u3 saw u2's reply u2-1 (m2) in g1 before the message it answers, u1's u1-1 (m1).`,
    ]);
  });

  test('lost sends: every send ends acked, failed on screen, pending (shown to someone) or lost', () => {
    // Four sends, one of each outcome; only the one nobody saw and nobody was told about is a finding.
    const t = new TraceBuilder();
    const sent = (clientMsgId: string) => t.add('client/messageSent', { user: 'u1', channel: 'g1', clientMsgId, text: 'x' });
    sent('u1-1');
    sent('u1-2');
    sent('u1-3');
    const vanished = sent('u1-4');
    t.add('client/sendAcked', { user: 'u1', channel: 'g1', clientMsgId: 'u1-1', id: 'm1', seq: 1 });
    t.add('client/sendFailed', { user: 'u1', channel: 'g1', clientMsgId: 'u1-2', code: 'UNAVAILABLE', message: 'not connected' });
    showSend(t, 'u2', 'm3', 'u1', 'u1-3');
    const c = new SendOutcomeChecker();
    for (const e of t.events) c.observe(e);
    expect(c.outcomes()).toEqual({ acked: 1, failedShown: 1, pending: 1, lost: 1 });
    expect(c.judgeEnd().violations).toEqual([
      {
        checker: 'lost-sends',
        seq: vanished,
        at: 0,
        message: `u1's send u1-4 in g1 (event ${vanished}) silently vanished: no ack, no error shown to u1, and nobody was shown it.`,
        subject: { clientMsgId: 'u1-4', user: 'u1', channel: 'g1' },
      },
    ]);
    // A late ack settles it; judging again changes nothing else.
    t.add('client/sendAcked', { user: 'u1', channel: 'g1', clientMsgId: 'u1-4', id: 'm4', seq: 4 });
    c.observe(t.events.at(-1) as TraceEvent);
    expect(c.outcomes()).toEqual({ acked: 2, failedShown: 1, pending: 1, lost: 0 });
    expect(c.judgeEnd().count).toBe(0);
  });
});
