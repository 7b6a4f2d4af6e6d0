import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LINK_STATE, type LinkState } from '../link/state.ts';
import { channelName, clickerAction, DRIFT_MS, effectsFor, parseMessage, presenceAfter, runKeyOf, SILENCE_MS, type LocalView, type SyncState } from './protocol.ts';

const REMOTE: SyncState = {
  serial: 3,
  runKey: runKeyOf(DEFAULT_LINK_STATE),
  code: '1.abc',
  nowMs: 4_000,
  playing: false,
  speed: 1,
  diagram: 'sequence',
  message: null,
  rateLimitKey: null,
  theme: null,
  moment: null,
};
const LOCAL: LocalView = { runKey: REMOTE.runKey, ready: true, nowMs: 4_000, playing: false, speed: 1, diagram: 'sequence', message: null, rateLimitKey: null, theme: 'light' };

describe('the audience follows the presenter', () => {
  // Proves a window with no run, or another run (lab, scenario, seed, patch, interventions), opens
  // the presenter's link rather than trying to steer the wrong run.
  test('a different run is opened from the link', () => {
    expect(effectsFor(REMOTE, null)).toEqual([{ kind: 'open', code: '1.abc', runKey: REMOTE.runKey }]);
    const crashed = runKeyOf({ ...DEFAULT_LINK_STATE, interventions: [{ at: 1_000, op: { verb: 'crash', node: 'ws-2' } }] });
    expect(crashed).not.toBe(REMOTE.runKey);
    expect(effectsFor({ ...REMOTE, runKey: crashed }, LOCAL)).toEqual([{ kind: 'open', code: '1.abc', runKey: crashed }]);
    // The playhead and the view are not the run's identity.
    const moved: LinkState = { ...DEFAULT_LINK_STATE, nowMs: 9, diagram: 'pubsub', message: 'm1' };
    expect(runKeyOf(moved)).toBe(REMOTE.runKey);
  });

  // Proves the same run is steered, not reloaded: view, speed, pause and an exact playhead.
  test('within the same run the view and playback are applied', () => {
    expect(effectsFor(REMOTE, LOCAL)).toEqual([]);
    expect(effectsFor(REMOTE, { ...LOCAL, ready: false, nowMs: 0 })).toEqual([]);
    expect(effectsFor({ ...REMOTE, diagram: 'pubsub', message: 'm-7', rateLimitKey: 'alice', speed: 5, theme: 'dark' }, LOCAL)).toEqual([
      { kind: 'theme', theme: 'dark' },
      { kind: 'speed', speed: 5 },
      { kind: 'diagram', diagram: 'pubsub' },
      { kind: 'message', message: 'm-7' },
      { kind: 'rateLimitKey', key: 'alice' },
    ]);
    // Paused: pause, then the exact playhead.
    expect(effectsFor(REMOTE, { ...LOCAL, playing: true, nowMs: 4_100 })).toEqual([{ kind: 'pause' }, { kind: 'seek', toMs: 4_000 }]);
    // Playing: play; a small drift is left alone, a large one seeks first.
    expect(effectsFor({ ...REMOTE, playing: true }, { ...LOCAL, nowMs: 4_000 + DRIFT_MS })).toEqual([{ kind: 'play' }]);
    expect(effectsFor({ ...REMOTE, playing: true }, { ...LOCAL, nowMs: 4_001 + DRIFT_MS })).toEqual([{ kind: 'seek', toMs: 4_000 }, { kind: 'play' }]);
    expect(effectsFor({ ...REMOTE, playing: true }, { ...LOCAL, playing: true, nowMs: 4_300 })).toEqual([]);
  });

  // Proves that applying the effects to a model of the audience reaches the presenter's state in
  // one round, whatever the two states were (so windows that disagree converge).
  test('applying the effects converges on the presenter’s state', () => {
    const diagram = fc.constantFrom('sequence', 'pubsub', 'ratelimit' as const);
    const local = fc.record({
      runKey: fc.constantFrom(REMOTE.runKey, 'other'),
      ready: fc.constant(true),
      nowMs: fc.integer({ min: 0, max: 60_000 }),
      playing: fc.boolean(),
      speed: fc.constantFrom(0.5, 1, 5),
      diagram,
      message: fc.option(fc.constantFrom('m1', 'm2')),
      rateLimitKey: fc.option(fc.constantFrom('k1', 'k2')),
      theme: fc.constantFrom('light', 'dark' as const),
    });
    const remote = fc.record({
      nowMs: fc.integer({ min: 0, max: 60_000 }),
      playing: fc.boolean(),
      speed: fc.constantFrom(0.5, 1, 5),
      diagram,
      message: fc.option(fc.constantFrom('m1', 'm2')),
      rateLimitKey: fc.option(fc.constantFrom('k1', 'k2')),
      theme: fc.option(fc.constantFrom('light', 'dark' as const)),
    });
    fc.assert(
      fc.property(local, remote, (l, r) => {
        const want: SyncState = { ...REMOTE, ...r };
        let view: LocalView = l;
        // Round one may open the run (it starts paused at the link's moment, at speed 1); round
        // two steers it; after that nothing is left to do.
        for (let round = 0; round < 2; round++) {
          for (const e of effectsFor(want, view)) {
            if (e.kind === 'open') view = { ...view, runKey: e.runKey, nowMs: want.nowMs, diagram: want.diagram, message: want.message, rateLimitKey: want.rateLimitKey, playing: false, speed: 1, theme: want.theme ?? view.theme };
            else if (e.kind === 'seek') view = { ...view, nowMs: e.toMs };
            else if (e.kind === 'play' || e.kind === 'pause') view = { ...view, playing: e.kind === 'play' };
            else if (e.kind === 'speed') view = { ...view, speed: e.speed };
            else if (e.kind === 'diagram') view = { ...view, diagram: e.diagram };
            else if (e.kind === 'message') view = { ...view, message: e.message };
            else if (e.kind === 'rateLimitKey') view = { ...view, rateLimitKey: e.key };
            else view = { ...view, theme: e.theme };
          }
        }
        expect(effectsFor(want, view)).toEqual([]);
      }),
    );
  });

  // Proves the audience knows when the presenter has gone: a bye, or silence past SILENCE_MS.
  test('presence: here after any word, gone after a bye or a long silence', () => {
    const state = { v: 1, kind: 'state', state: REMOTE } as const;
    expect(presenceAfter('waiting', state, 0)).toBe('here');
    expect(presenceAfter('gone', { v: 1, kind: 'beat' }, 0)).toBe('here');
    expect(presenceAfter('here', { v: 1, kind: 'bye' }, 0)).toBe('gone');
    expect(presenceAfter('here', null, SILENCE_MS)).toBe('here');
    expect(presenceAfter('here', null, SILENCE_MS + 1)).toBe('gone');
    expect(presenceAfter('waiting', null, SILENCE_MS)).toBe('waiting');
    expect(presenceAfter('waiting', null, SILENCE_MS + 1)).toBe('gone');
    expect(presenceAfter('here', { v: 1, kind: 'hello' }, 0)).toBe('here');
  });
});

describe('the channel', () => {
  // Proves two presentations on one machine use two channels.
  test('channels are scoped per presentation', () => {
    expect(channelName('a')).not.toBe(channelName('b'));
  });

  // Proves only this protocol's messages are taken, and nothing received makes the reader throw.
  test('messages are checked; anything else is ignored', () => {
    expect(parseMessage({ v: 1, kind: 'state', state: REMOTE })).toEqual({ v: 1, kind: 'state', state: REMOTE });
    expect(parseMessage({ v: 1, kind: 'key', dir: 'next' })).toEqual({ v: 1, kind: 'key', dir: 'next' });
    expect(parseMessage({ v: 2, kind: 'hello' })).toBeNull();
    expect(parseMessage({ v: 1, kind: 'key', dir: 'up' })).toBeNull();
    expect(parseMessage({ v: 1, kind: 'state', state: { ...REMOTE, diagram: '<svg>' } })).toBeNull();
    expect(parseMessage({ v: 1, kind: 'state', state: { ...REMOTE, nowMs: -1 } })).toBeNull();
    expect(parseMessage({ v: 1, kind: 'state', state: { ...REMOTE, speed: 0 } })).toBeNull();
    fc.assert(fc.property(fc.anything(), (x) => void parseMessage(x)));
    fc.assert(fc.property(fc.record({ v: fc.constant(1), kind: fc.constant('state'), state: fc.dictionary(fc.string(), fc.anything()) }), (x) => {
        expect(parseMessage(x)).toBeNull();
      }),
    );
  });
});

describe('clicker keys', () => {
  const key = (k: string, mods: Partial<{ shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => ({ key: k, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...mods });
  // Proves PageDown/PageUp (a clicker) and plain arrows move through moments, while Shift+arrows
  // (the workbench's seek), text fields, and arrows in widgets (tabs, sliders) keep their meaning.
  test('PageDown/PageUp and arrows, except where something else owns them', () => {
    expect(clickerAction(key('PageDown'), null)).toBe('next');
    expect(clickerAction(key('PageUp'), null)).toBe('prev');
    expect(clickerAction(key('ArrowRight'), null)).toBe('next');
    expect(clickerAction(key('ArrowLeft'), null)).toBe('prev');
    expect(clickerAction(key('ArrowRight', { shiftKey: true }), null)).toBeNull();
    expect(clickerAction(key('ArrowLeft', { altKey: true }), null)).toBeNull();
    expect(clickerAction(key('PageDown'), 'text')).toBeNull();
    expect(clickerAction(key('ArrowRight'), 'text')).toBeNull();
    expect(clickerAction(key('ArrowRight'), 'widget')).toBeNull();
    expect(clickerAction(key('PageDown'), 'widget')).toBe('next');
    expect(clickerAction(key(' '), null)).toBeNull();
  });
});
