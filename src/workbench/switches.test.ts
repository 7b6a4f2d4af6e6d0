import { describe, expect, test } from 'vitest';
import { buildRun, parseScenario, presetById, PRESETS } from '../sim/index.ts';
import { SWITCHES, switchById, switchPatch } from './switches.ts';

const LIGHT = PRESETS.filter((p) => p.heavy !== true).map((p) => p.id);

describe('the design switches', () => {
  // Applies every value of every switch to every light preset and builds the run: each builds, or
  // is refused with a sentence naming the field (the scenario's own validation), never a crash.
  test('every value over every light preset is a valid scenario or clearly refused', () => {
    const refused: string[] = [];
    for (const s of SWITCHES) {
      expect(s.values.length).toBeGreaterThanOrEqual(2);
      for (const v of s.values) {
        for (const id of LIGHT) {
          const patch = switchPatch(id, null, s.id, v.id);
          try {
            const built = buildRun(id, 1, patch);
            expect(built.cluster).not.toBeNull();
          } catch (error) {
            const text = error instanceof Error ? error.message : String(error);
            expect(text).toMatch(new RegExp(`^${id} with this patch is not a valid scenario: [\\w.[\\]]+: `));
            refused.push(`${s.id}=${v.id} on ${id}: ${text}`);
          }
        }
      }
    }
    // Measured: every value applies to every light preset today (the limiter's algorithm switch
    // fills in a 5 per 60 s limit where a preset had no limiter); a refusal above is still allowed
    // when it names the field, and the story's switches must never be refused.
    expect(refused.filter((r) => /^(ordering|delivery|broker|transport)=/.test(r))).toEqual([]);
  });

  // The reordering pair is one switch apart: "no sequence numbers" turned to "per-channel" gives
  // the with-sequence preset's scenario, field for field (ids and descriptions aside).
  test('the ordering switch turns reordering-without-sequence into reordering-with-sequence', () => {
    const patch = switchPatch('reordering-without-sequence', null, 'ordering', 'per-channel');
    const switched = buildRun('reordering-without-sequence', 42, patch).cluster?.scenario;
    const withSeq = buildRun('reordering-with-sequence', 42).cluster?.scenario;
    expect({ ...switched, id: '', description: '' }).toEqual({ ...withSeq, id: '', description: '' });
    expect(parseScenario(presetById('reordering-with-sequence')?.scenario).ok).toBe(true);
  });

  // A switch over a patch keeps the patch and puts the switch on top; the limiter algorithm's
  // stale options are deleted rather than kept as nulls.
  test('a switch composes with the current patch and resets the old algorithm’s options', () => {
    const current = { rateLimit: { enabled: true, limiter: { algorithm: 'sliding-log', limit: 5, windowMs: 60_000, boundary: 'exclusive' } }, settleMs: 9_000 };
    const patch = switchPatch('rate-limit-burst', current, 'limiter-algorithm', 'token-bucket');
    expect(patch['settleMs']).toBe(9_000);
    const built = buildRun('rate-limit-burst', 1, patch).cluster?.scenario;
    expect(built?.rateLimit.limiter.algorithm).toBe('token-bucket');
    expect(built?.settleMs).toBe(9_000);
  });

  test('unknown switches, values and presets are named', () => {
    // Each error names what is unknown and lists what is known.
    expect(() => switchById('nope')).toThrow(/unknown switch "nope"; switches are ordering, delivery/);
    expect(() => switchPatch('group-chat', null, 'ordering', 'sideways')).toThrow(/switch "ordering" has no value "sideways"; its values are none, per-channel, global/);
    expect(() => switchPatch('nope', null, 'ordering', 'none')).toThrow(/unknown scenario "nope"/);
  });
});
