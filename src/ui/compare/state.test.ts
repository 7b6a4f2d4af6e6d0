import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareFrom, compareQuery, DEFAULT_COMPARE, readCompareQuery, sideCaption, type CompareState } from './state.ts';

describe('the side-by-side view’s address', () => {
  // A state written to an address reads back the same, patches, playhead and message included.
  test('round-trips every state', () => {
    const id = fc.stringMatching(/^[\w-]{1,20}$/);
    const patch = fc.option(fc.dictionary(fc.stringMatching(/^\w{1,8}$/), fc.oneof(fc.integer(), fc.string(), fc.boolean())), { nil: null });
    fc.assert(
      fc.property(id, patch, id, patch, fc.integer({ min: 0, max: 0xffff_ffff }), fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }), fc.option(fc.stringMatching(/^u\d-\d{1,3}$/), { nil: null }), fc.array(fc.record({ at: fc.integer({ min: 0, max: 100_000 }), op: fc.record({ verb: fc.constantFrom('crash', 'restart'), node: fc.constantFrom('ws-1', 'ws-2') }) }), { maxLength: 5 }), (a, pa, b, pb, seed, atMs, msg, ivs) => {
        const interventions = [...ivs].sort((x, y) => x.at - y.at);
        const state: CompareState = { a: { scenario: a, patch: pa }, b: { scenario: b, patch: pb }, seed, atMs, msg, interventions };
        expect(readCompareQuery(compareQuery(state))).toEqual({ state, messages: [] });
      }),
      { numRuns: 200, seed: 29 },
    );
  });

  // Each unreadable part is named and left at its default; the rest of the address still counts.
  test('bad parts are named and ignored, never thrown', () => {
    const { state, messages } = readCompareQuery('a=<script>&pb=%7Bbad&seed=-1&t=soon&msg=%22%3E&b=no-broker');
    expect(state).toEqual({ ...DEFAULT_COMPARE, b: { scenario: 'no-broker', patch: null } });
    expect(messages).toEqual([
      `A's scenario "<script>" is not a scenario id; reordering-without-sequence was used.`,
      expect.stringMatching(/^B's patch is not valid JSON \(.+\); it was ignored\.$/),
      'The seed "-1" is not a whole number from 0 to 4294967295; seed 42 was used.',
      'The playhead "soon" is not a time in ms; the view opens at the start.',
      'The message ""\u003e" is not a client message id; none is drawn.',
    ]);
    expect(readCompareQuery('pa=[1,2]').messages).toEqual(["A's patch is not a JSON object; it was ignored."]);
    expect(readCompareQuery('iv=[{"at":-1,"op":{"verb":"crash"}}]')).toMatchObject({ state: { interventions: [] }, messages: [expect.stringMatching(/^The faults \(iv\) are not a list/)] });
    expect(readCompareQuery('iv=[{"at":9,"op":{"verb":"crash","node":"ws-2"}},{"at":3,"op":{"verb":"slow","node":"db"}}]').state.interventions.map((iv) => iv.at)).toEqual([3, 9]);
    expect(readCompareQuery('seed=99999999999').messages[0]).toMatch(/^The seed "99999999999"/);
    // Any text at all reads to some state with messages, never an exception.
    fc.assert(fc.property(fc.string(), (q) => void readCompareQuery(q)), { numRuns: 300, seed: 29 });
  });

  test('free play opens its preset’s partner as B, or the same preset without sequence numbers', () => {
    // The paired presets tell one story; any other preset gets the ordering switch turned off.
    expect(compareFrom('reordering-with-sequence', 5)).toMatchObject({ a: { scenario: 'reordering-with-sequence' }, b: { scenario: 'reordering-without-sequence', patch: null }, seed: 5 });
    expect(compareFrom('crash-at-most-once', 1).b.scenario).toBe('crash-at-least-once');
    expect(compareFrom('private-chat', 1).b).toEqual({ scenario: 'private-chat', patch: { chat: { ordering: 'none' }, client: { reorderBuffer: false, gapDetection: false } } });
    expect(sideCaption({ scenario: 'group-chat', patch: { delivery: 'at-most-once' } }, 7)).toBe('group-chat + {"delivery":"at-most-once"}, seed 7');
  });

  // Proves the comparison starts from the run as free play had it: a custom scenario's patch on
  // both sides (B differing by the ordering only), the faults, the playhead; and it survives the address.
  test('free play hands over its patch, its interventions and its playhead', () => {
    const origin = { patch: { topology: { wsServers: 5 }, chat: { maxTextBytes: 100 } }, interventions: [{ at: 2_000, op: { verb: 'crash', node: 'ws-2' } }], atMs: 3_500 };
    const state = compareFrom('group-chat', 9, origin);
    expect(state.a).toEqual({ scenario: 'group-chat', patch: origin.patch });
    expect(state.b).toEqual({ scenario: 'group-chat', patch: { topology: { wsServers: 5 }, chat: { maxTextBytes: 100, ordering: 'none' }, client: { reorderBuffer: false, gapDetection: false } } });
    expect(state.interventions).toEqual(origin.interventions);
    expect(state.atMs).toBe(3_500);
    expect(readCompareQuery(compareQuery(state)).state).toEqual(state);
  });
});
