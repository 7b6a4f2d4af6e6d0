import { describe, expect, test } from 'vitest';
import { resolveStep, runToEnd } from '../framework/index.ts';
import { describeLab } from '../framework/labTesting.test-helper.ts';
import { manifest } from './manifest.ts';

describeLab(manifest);

describe('message-flow specifics', () => {
  // Proves the prediction is answered by the run (persist before publish) on several seeds, and
  // that the private message reaches B through a different server than A's on the lab's seed.
  test('persist comes before publish on seeds 1..4 and 42', () => {
    for (const seed of [1, 2, 3, 4, 42]) {
      const o = resolveStep(manifest, 'persist-or-publish', seed, { prediction: { kind: 'choice', option: 'persist' } }, runToEnd);
      expect(o.answer, `seed ${seed}`).toEqual({ kind: 'choice', option: 'persist' });
      expect(o.judged).toEqual({ right: 1, of: 1 });
      expect(o.explanation?.some((s) => s.kind === 'figure' && s.figure.id === 'persistToPublish' && (s.figure.value ?? 0) > 0)).toBe(true);
    }
  });

  // Proves the diagram in focus is the private message, and its figures link to its run and moment.
  test('the private step focuses its message and links figures to the moment', () => {
    const o = resolveStep(manifest, 'private-path', 42, {}, runToEnd);
    expect(o.focusMessageId).toMatch(/^m\d+$/);
    const shown = o.figures['dmShownEvent'];
    expect(shown?.run).toEqual({ scenario: 'private-chat', seed: 42, patch: manifest.steps[0]?.run.patch });
    expect(shown?.at).toBeGreaterThan(10_000);
    expect(o.seekToMs).toBe(Math.floor(shown?.at ?? 0) + 1);
  });
});
