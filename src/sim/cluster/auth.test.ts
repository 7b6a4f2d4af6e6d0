/**
 * Issue 9, items 5 and 6: authentication that means something (signed, expiring tokens bound to
 * a client connection, one-time logins) and authorization of every presence and typing action.
 * Each repro from the issue is a named test; on 622d528 each of them fails.
 */
import { describe, expect, test } from 'vitest';
import { startScenario } from './run.ts';
import { finish, framesTo, injectAtGateway, ofType, sentBy, threeUsers, tokenOf } from './authFixtures.ts';

describe('authentication (issue 9 item 5)', () => {
  // The repro: at 5 s, c-u3 sends the gateway a connect for u1 with the old `tok:u1`.
  // Before the fix the server accepted it and u3's client received u1's direct messages (the
  // membership checker caught the shows). Now the server refuses the token, c-u3 gets an auth
  // error frame, and not one frame of dm:u1:u2 reaches c-u3.
  test('a client connecting as another user with a made-up token is refused and never receives their direct messages', () => {
    const scenario = threeUsers();
    const run = startScenario(scenario, 1);
    run.sim.runUntil(5_000);
    injectAtGateway(run, 'c-u3', { type: 'connect', user: 'u1', token: 'tok:u1', downlinkBytesPerMs: 0 });
    const report = finish(run, scenario);
    const leaked = framesTo(run, 'c-u3').filter((m) => m.type === 'deliver' && m.message.channel === 'dm:u1:u2');
    expect(leaked).toEqual([]);
    expect(ofType(run, 'client/messageShown').filter((e) => e.data.user === 'u3' && e.data.channel === 'dm:u1:u2')).toEqual([]);
    expect(ofType(run, 'auth/tokenRefused').map((e) => e.data)).toEqual([{ user: 'u1', client: 'c-u3', reason: 'malformed' }]);
    expect(framesTo(run, 'c-u3')).toContainEqual({ type: 'authError', phase: 'connect', reason: 'malformed' });
    // u1 itself still gets both messages, and no checker finds anything.
    expect(ofType(run, 'client/messageShown').filter((e) => e.data.user === 'u1' && e.data.channel === 'dm:u1:u2')).toHaveLength(2);
    expect(report.violations).toEqual([]);
  });

  // A real token of u1, taken from the trace, presented by c-u3: the token is bound to c-u1 (the
  // address the gateway saw the login from), so the server refuses it as replayed elsewhere.
  test('a stolen valid token used from another client is refused as wrongClient', () => {
    const scenario = threeUsers();
    const run = startScenario(scenario, 1);
    run.sim.runUntil(5_000);
    injectAtGateway(run, 'c-u3', { type: 'connect', user: 'u1', token: tokenOf(run, 'c-u1'), downlinkBytesPerMs: 0 });
    const report = finish(run, scenario);
    expect(ofType(run, 'auth/tokenRefused').map((e) => e.data.reason)).toEqual(['wrongClient']);
    expect(framesTo(run, 'c-u3').filter((m) => m.type === 'deliver' && m.message.channel === 'dm:u1:u2')).toEqual([]);
    expect(report.violations).toEqual([]);
  });

  // An altered token (its expiry pushed out by hand) no longer matches its signature.
  test('a forged token (an altered expiry) is refused as badSignature', () => {
    const scenario = threeUsers();
    const run = startScenario(scenario, 1);
    run.sim.runUntil(5_000);
    const parts = tokenOf(run, 'c-u1').split('.');
    parts[4] = String(Number(parts[4]) + 86_400_000);
    injectAtGateway(run, 'c-u1', { type: 'connect', user: 'u1', token: parts.join('.'), downlinkBytesPerMs: 0 });
    finish(run, scenario);
    expect(ofType(run, 'auth/tokenRefused').map((e) => e.data.reason)).toEqual(['badSignature']);
  });

  // Tokens live 8 s and clients refresh 2 s early. u1's first token, presented again by u1's own
  // client at 15 s, has expired by virtual time; meanwhile every client refreshed on its own, so
  // nothing else was refused and nothing was lost.
  test('an expired token is refused, while clients refresh theirs before expiry', () => {
    const scenario = threeUsers({ auth: { tokenLifetimeMs: 8_000, refreshBeforeExpiryMs: 2_000 } });
    const run = startScenario(scenario, 1);
    run.sim.runUntil(15_000);
    const first = tokenOf(run, 'c-u1');
    expect(tokenOf(run, 'c-u1', 'last')).not.toBe(first);
    injectAtGateway(run, 'c-u1', { type: 'connect', user: 'u1', token: first, downlinkBytesPerMs: 0 });
    const report = finish(run, scenario);
    expect(ofType(run, 'auth/tokenRefused').map((e) => e.data.reason)).toEqual(['expired']);
    // 25 s of run with 8 s tokens refreshed at 6 s: at least three refreshes per client.
    const refreshes = ofType(run, 'client/loginRequested').filter((e) => e.data.refresh);
    for (const user of ['u1', 'u2', 'u3']) expect(refreshes.filter((e) => e.data.user === user).length).toBeGreaterThanOrEqual(3);
    expect(report.violations).toEqual([]);
  });

  // A reconnect (the server crashed) presents the token the client holds and is checked again.
  test('a reconnect after a server crash is checked again and accepted with the held token', () => {
    const scenario = threeUsers({ faults: [{ at: 4_000, op: { verb: 'crash', node: 'ws-1' } }] });
    const run = startScenario(scenario, 1);
    const report = finish(run, scenario);
    const reconnects = ofType(run, 'client/connectRequested').filter((e) => e.data.attempt >= 1 && e.at > 4_000);
    expect(reconnects.length).toBeGreaterThan(0);
    // One login per client: a reconnect reuses the token, which every server verifies on its own.
    expect(ofType(run, 'client/loginRequested')).toHaveLength(3);
    expect(ofType(run, 'auth/tokenRefused')).toEqual([]);
    expect(report.violations).toEqual([]);
  });

  // A login captured on the wire and sent again, from the attacker's own client: the nonce was
  // used once, so the auth service refuses it; a login made up without the password is refused too.
  test('a replayed login (a one-time nonce reused) and a login without the password are refused', () => {
    const scenario = threeUsers();
    const run = startScenario(scenario, 1);
    run.sim.runUntil(5_000);
    const captured = sentBy(run, 'c-u1').find((s) => s.msg.type === 'login')?.msg;
    expect(captured?.type).toBe('login');
    injectAtGateway(run, 'c-u3', captured);
    injectAtGateway(run, 'c-u3', { type: 'login', user: 'u1', nonce: '1@5000', atMs: 5_000, proof: '0000000000000000' });
    const report = finish(run, scenario);
    expect(ofType(run, 'auth/loginRefused').map((e) => [e.data.client, e.data.reason])).toEqual([
      ['c-u3', 'nonceReused'],
      ['c-u3', 'badCredentials'],
    ]);
    expect(framesTo(run, 'c-u3').filter((m) => m.type === 'loginOk')).toHaveLength(1);
    expect(framesTo(run, 'c-u3').filter((m) => m.type === 'authError')).toHaveLength(2);
    expect(report.violations).toEqual([]);
  });
});
