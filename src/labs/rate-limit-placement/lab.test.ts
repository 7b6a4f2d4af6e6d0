import { describe, expect, test } from 'vitest';
import { planSweep } from '../../sim/index.ts';
import { resolveStep, type StepOutcome } from '../framework/index.ts';
import { describeLab, LAB_BUDGET, sharedRuns } from '../framework/labTesting.test-helper.ts';
import { manifest } from './manifest.ts';
import { ABUSER, AT_GATEWAY, rollingRestart } from './patches.ts';

// The experiments' goals need the student to change something: fail closed, key by user, and a
// limit that refuses only the flood (20 per 60 s, the lab's own).
describeLab(manifest, { reachWith: { 'open-or-closed': { failOpen: false }, 'key-by': { keyBy: 'user' }, 'limit-slider': { limit: 20 } } });

/** Runs shared with describeLab and every test of this file (the steps read the same runs). */
const load = sharedRuns;
const resolve = (stepId: string, seed = manifest.seed, controls?: Record<string, string | number | boolean>): StepOutcome => resolveStep(manifest, stepId, seed, controls === undefined ? {} : { controls }, load);
const value = (o: StepOutcome, id: string): number => o.figures[id]?.value ?? Number.NaN;

/** The limit every run uses (patches.ts): a sliding log of 20 per 60 s per user. */
const LIMIT = 20;

describe('rate-limit-placement specifics', LAB_BUDGET, () => {
  // Proves the table holds what the text says of the four placements, read from the four runs:
  // the same share of the flood let through everywhere (one count per user, and u1's whole flood
  // falls in one window: 5 s to 45 s), nobody else refused, and the cost of each place.
  test('the placement table: same abuse through, different back-end load and latency', () => {
    const o = resolve('placements');
    for (const p of ['gateway', 'server', 'chat', 'service']) {
      expect(value(o, `through-${p}`), p).toBe(LIMIT);
      expect(value(o, `bystanders-${p}`), p).toBe(0);
      expect(value(o, `refused-${p}`), p).toBe(value(o, 'refused-gateway'));
    }
    // Refused sends reach the chat service only when it is the one refusing them: one more input per refused send.
    expect(value(o, 'chatInputs-chat')).toBe(value(o, 'chatInputs-gateway') + value(o, 'refused-gateway'));
    expect(value(o, 'chatInputs-server')).toBe(value(o, 'chatInputs-gateway'));
    expect(value(o, 'chatInputs-service')).toBe(value(o, 'chatInputs-gateway'));
    // The further in the check, the more the servers carry.
    expect(value(o, 'wsMessages-gateway')).toBeLessThan(value(o, 'wsMessages-server'));
    expect(value(o, 'wsMessages-server')).toBeLessThan(value(o, 'wsMessages-chat'));
    expect(value(o, 'wsMessages-chat')).toBeLessThan(value(o, 'wsMessages-service'));
    // Only the dedicated service answers verdicts, one per send; and that round trip shows in the median.
    expect(value(o, 'limiterMessages-gateway')).toBe(0);
    expect(value(o, 'limiterMessages-service')).toBeGreaterThan(0);
    expect(value(o, 'p50-service')).toBeGreaterThan(value(o, 'p50-gateway'));
  });

  // Proves the `exclude` of a figure: u1's refusals plus everyone else's are all the refusals.
  test('refusals split into the abuser\u2019s and everyone else\u2019s', () => {
    const o = resolve('limit-slider', manifest.seed, { limit: 5 });
    const report = load(o.run).report;
    const abuser = load(o.run).events.filter((e) => e.type === 'client/sendFailed' && e.data.user === ABUSER && e.data.code === 'RATE_LIMITED').length;
    expect(value(o, 'bystanders')).toBeGreaterThan(0);
    expect(value(o, 'bystanders') + abuser).toBe(report?.counts.rateLimited);
  });

  // Proves the per-server limiter's weakness on several seeds: after a rolling restart moves u1 to
  // another server, a fresh log there lets a second allowance through, while one count at the
  // gateway or the chat service does not move.
  test.each([42, 1, 2])('seed %i: a rolling restart lets more of the flood through a per-server limiter', (seed) => {
    const o = resolve('server-fails', seed);
    expect(o.answer).toEqual({ kind: 'choice', option: 'more' });
    expect(value(o, 'through')).toBeGreaterThan(value(o, 'gatewayThrough'));
    expect(value(o, 'gatewayThrough')).toBe(LIMIT);
    expect(value(o, 'chatThrough')).toBe(LIMIT);
    // u1's connection really broke and was routed again, to a server with no log for it.
    const run = rollingRestart('ws-server');
    const routed = load({ scenario: run.scenario, seed, patch: run.patch ?? null }).events.filter((e) => e.type === 'gw/connectionRouted' && e.data.user === ABUSER);
    expect(routed.length).toBeGreaterThanOrEqual(2);
  });

  // Proves the outage figures: failing open lets the flood in and every send without a verdict
  // waits out the 200 ms timeout (rateLimit.serviceTimeoutMs), which moves the median by about that.
  test('the limiter down, failing open: more abuse, and the timeout in every delivery', () => {
    const o = resolve('limiter-fails');
    expect(o.answer).toEqual({ kind: 'choice', option: 'more' });
    expect(value(o, 'through')).toBeGreaterThan(2 * LIMIT);
    expect(value(o, 'p50') - value(o, 'healthyP50')).toBeGreaterThan(150);
    expect(value(o, 'p50') - value(o, 'healthyP50')).toBeLessThan(250);
  });

  // Proves the open/closed table: closed keeps the flood out but holds everyone's messages until
  // the service is back (20 s later), and a restarted service forgets its log.
  test('fail closed: less abuse, normal users wait out the outage, and the restart forgets the log', () => {
    const o = resolve('open-or-closed', manifest.seed, { failOpen: false });
    expect(value(o, 'through-closed')).toBeLessThan(value(o, 'through-open'));
    // One allowance before the crash (the flood fills the log by 9 s) and a second after the restart
    // at 40 s, the flood still running until 45 s: exactly twice the limit.
    expect(value(o, 'through-closed')).toBe(2 * LIMIT);
    expect(value(o, 'noVerdictOthers-closed')).toBeGreaterThan(0);
    // Retried until the service is back: the tail is of the order of the 20 s outage.
    expect(value(o, 'p99-closed')).toBeGreaterThan(10_000);
    expect(value(o, 'p99-open')).toBeLessThan(1_000);
  });

  // Proves keying by address refuses the abuser's neighbours and keying by user does not.
  test('per address, the neighbours pay; per user, nobody else does', () => {
    const o = resolve('key-by');
    expect(o.met).toBe(false);
    expect(value(o, 'bystanders-ip')).toBeGreaterThan(0);
    expect(value(o, 'bystanders-user')).toBe(0);
    expect(value(o, 'through-user')).toBe(LIMIT);
  });

  // Proves the slider's ends: too tight refuses normal users, too loose lets most of the flood in
  // (u1 sends about 211 in the minute: 200 scripted plus its Poisson sends), and neither meets the goal.
  test('the limit: too tight refuses normal users, too loose lets the flood in', () => {
    const tight = resolve('limit-slider', manifest.seed, { limit: 5 });
    expect(tight.met).toBe(false);
    expect(value(tight, 'bystanders')).toBeGreaterThan(0);
    const loose = resolve('limit-slider', manifest.seed, { limit: 160 });
    expect(loose.met).toBe(false);
    expect(value(loose, 'bystanders')).toBe(0);
    expect(value(loose, 'through')).toBe(160);
    expect(value(loose, 'chatInputs')).toBeGreaterThan(value(resolve('limit-slider', manifest.seed, { limit: LIMIT }), 'chatInputs'));
  });

  // Proves the slider's sweep is one the sweep planner accepts (paths, values and seeds).
  test('the slider\u2019s sweep is a valid plan over the step\u2019s run', () => {
    const step = manifest.steps.find((s) => s.id === 'limit-slider');
    const sweep = step?.kind === 'experiment' ? step.sweep : undefined;
    expect(sweep).toBeDefined();
    if (sweep === undefined) return;
    const planned = planSweep({ scenario: AT_GATEWAY.scenario, patch: AT_GATEWAY.patch, axes: [{ path: sweep.path, values: sweep.values }], seeds: sweep.seeds });
    expect(planned.ok ? [] : planned.errors).toEqual([]);
  });

  // Proves a bad control value is refused with a message naming the control.
  test('a limit outside the control\u2019s range is refused by name', () => {
    expect(() => resolve('limit-slider', manifest.seed, { limit: 0 })).toThrow('limit must be from 1 to 200, got 0');
  });
});
