import { describe, expect, test } from 'vitest';
import { sequenceDiagram } from '../../diagrams/index.ts';
import { resolveStep, runToEnd } from '../framework/index.ts';
import { describeLab, LAB_BUDGET, sharedRuns } from '../framework/labTesting.test-helper.ts';
import { manifest } from './manifest.ts';

describeLab(manifest);

describe('message-flow specifics', LAB_BUDGET, () => {
  // Proves the prediction is answered by the run (persist before publish) on several seeds, and
  // that the private message reaches B through a different server than A's on the lab's seed.
  test('persist comes before publish on seeds 1..4 and 42', () => {
    for (const seed of [1, 2, 3, 4, 42]) {
      const o = resolveStep(manifest, 'persist-or-publish', seed, { prediction: { kind: 'choice', option: 'persist' } }, sharedRuns);
      expect(o.answer, `seed ${seed}`).toEqual({ kind: 'choice', option: 'persist' });
      expect(o.judged).toEqual({ right: 1, of: 1 });
      expect(o.explanation?.some((s) => s.kind === 'figure' && s.figure.id === 'persistToPublish' && (s.figure.value ?? 0) > 0)).toBe(true);
    }
  });

  // Proves the diagram in focus is the private message, and its figures link to its run and moment.
  test('the private step focuses its message and links figures to the moment', () => {
    const o = resolveStep(manifest, 'private-path', 42, {}, sharedRuns);
    expect(o.focusMessageId).toMatch(/^m\d+$/);
    const shown = o.figures['dmShownEvent'];
    expect(shown?.run).toEqual({ scenario: 'private-chat', seed: 42, patch: manifest.steps[0]?.run.patch });
    expect(shown?.at).toBeGreaterThan(10_000);
    expect(o.seekToMs).toBe(Math.floor(shown?.at ?? 0) + 1);
  });

  // Proves the presence step draws what its narration says, on the diagram it focuses: the
  // private message with the connects before it, where both users' servers tell the presence
  // service and the service's fan-out reaches clients, all before the message is sent. (The
  // step once focused a 1.5 s window with no chat message in it, and the diagram was empty.)
  test('the presence step draws presence where it happens, before the message', () => {
    for (const seed of [1, 2, 42]) {
      const o = resolveStep(manifest, 'presence', seed, {}, sharedRuns);
      const step = manifest.steps.find((s) => s.id === 'presence');
      expect(step?.focus).toMatchObject({ kind: 'sequence', connect: true });
      expect(o.focusMessageId, `seed ${seed}`).toMatch(/^m\d+$/);
      const run = runToEnd(o.run);
      const d = sequenceDiagram(run.events, { messageId: o.focusMessageId ?? '', showConnect: true, atMs: o.seekToMs });
      const lines = d.text.split('\n');
      const toPresence = lines.findIndex((l) => /-\)presence: .*presence\/connected\(u2\)/.test(l));
      const fanOut = lines.findIndex((l) => /presence-\).*presence\/deliver/.test(l));
      const send = lines.findIndex((l) => /send\(dm:u1:u2/.test(l));
      expect(toPresence, `seed ${seed}: B's server tells presence`).toBeGreaterThan(0);
      // Which user connects first differs by seed; some fan-out precedes the message on each.
      expect(fanOut, `seed ${seed}: presence fans out`).toBeGreaterThan(0);
      expect(send, `seed ${seed}: the message comes after`).toBeGreaterThan(Math.max(fanOut, toPresence));
    }
  });
});
