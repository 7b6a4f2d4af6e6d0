/**
 * Issue 9, item 6: every presence and typing action is authorized like a send (membership of the
 * channel; presence only about users who share a channel with the asker). Each repro from the
 * issue is a named test; on 622d528 each of them fails.
 */
import { describe, expect, test } from 'vitest';
import { type Scenario } from '../scenario/schema.ts';
import { startScenario } from './run.ts';
import { finish, framesTo, injectAtGateway, ofType, threeUsers } from './authFixtures.ts';

describe('authorization of presence and typing (issue 9 item 6)', () => {
  // Presence on, with a fourth user who shares no channel with u3.
  function withPresence(): Scenario {
    return threeUsers({
      workload: {
        users: 4,
        channels: [
          { id: 'dm:u1:u2', members: ['u1', 'u2'] },
          { id: 'g1', members: ['u1', 'u2', 'u3'] },
          { id: 'dm:u1:u4', members: ['u1', 'u4'] },
        ],
        sendRatePerUserPerSec: 0,
        script: [],
      },
      presence: { enabled: true, strategy: 'lazy', typingProbability: 0 },
    });
  }

  // The repro: u3 says it is typing in dm:u1:u2, which it is not a member of. Before the
  // fix the presence service fanned "u3 is typing" out to u1 and u2.
  test('a typing notice from a non-member is refused, not fanned out to the channel', () => {
    const scenario = withPresence();
    const run = startScenario(scenario, 1);
    run.sim.runUntil(5_000);
    injectAtGateway(run, 'c-u3', { type: 'typing', channel: 'dm:u1:u2' });
    const report = finish(run, scenario);
    expect(ofType(run, 'client/typingSeen')).toEqual([]);
    expect(ofType(run, 'presence/actionRefused').map((e) => e.data)).toEqual([{ user: 'u3', action: 'typing', channel: 'dm:u1:u2', refused: 1 }]);
    expect(report.violations).toEqual([]);
  });

  // The issue's repro: u3 asks for the presence of everyone. Before the fix the answer held u4's
  // status, though u3 and u4 share no channel; now it holds only u3's contacts.
  test('presence answers a query only about users who share a channel with the asker', () => {
    const scenario = withPresence();
    const run = startScenario(scenario, 1);
    run.sim.runUntil(5_000);
    const seenBefore = ofType(run, 'client/presenceSeen').length;
    injectAtGateway(run, 'c-u3', { type: 'presenceQuery', users: ['u1', 'u2', 'u4'] });
    const report = finish(run, scenario);
    const answers = framesTo(run, 'c-u3').flatMap((m) => (m.type === 'presence' ? [m.users.map((u) => u.user)] : []));
    expect(answers.flat()).not.toContain('u4');
    expect(answers).toContainEqual(['u1', 'u2']);
    expect(ofType(run, 'client/presenceSeen').length).toBeGreaterThan(seenBefore);
    expect(ofType(run, 'presence/actionRefused').map((e) => e.data)).toEqual([{ user: 'u3', action: 'query', channel: null, refused: 1 }]);
    expect(report.violations).toEqual([]);
  });

  // The same for a subscription (the subscribers strategy): u3 may not watch u4.
  test('a presence subscription to a stranger is refused, and their changes never reach the asker', () => {
    const base = withPresence();
    const scenario = { ...base, presence: { ...base.presence, strategy: 'subscribers' as const }, faults: [{ at: 8_000, op: { verb: 'crash' as const, node: 'ws-2' } }] };
    const run = startScenario(scenario, 1);
    run.sim.runUntil(5_000);
    injectAtGateway(run, 'c-u3', { type: 'presenceSub', users: ['u4'] });
    const report = finish(run, scenario);
    const about = framesTo(run, 'c-u3').flatMap((m) => (m.type === 'presence' ? m.users.map((u) => u.user) : []));
    expect(about).not.toContain('u4');
    expect(ofType(run, 'presence/actionRefused').some((e) => e.data.user === 'u3' && e.data.action === 'sub' && e.data.refused === 1)).toBe(true);
    expect(report.violations).toEqual([]);
  });
});
