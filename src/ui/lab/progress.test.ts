import { describe, expect, test } from 'vitest';
import { doneCounts, loadProgress, PROGRESS_KEY, saveProgress, type ProgressStorage } from './progress.ts';

function memory(initial: Record<string, string> = {}): ProgressStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

const saved = { stepIndex: 2, seed: 7, steps: { a: { controls: { requests: [0, 5] }, prediction: { kind: 'choice' as const, option: 'persist' }, done: true }, b: { controls: {}, prediction: null, done: true, answer: 'sequenceDiagram\n  A->>B: hi <b>&</b>' } } };

describe('lab progress in storage', () => {
  // Proves progress round-trips under the versioned key and keeps the other labs' entries.
  test('saves and loads a lab, keeping the others', () => {
    const s = memory();
    saveProgress(s, 'x', saved);
    saveProgress(s, 'y', { stepIndex: 0, seed: 1, steps: {} });
    expect(loadProgress(s, 'x')).toEqual({ saved, note: null });
    expect(Object.keys(JSON.parse(s.data[PROGRESS_KEY] ?? '{}'))).toEqual(['x', 'y']);
    expect(doneCounts(s)).toEqual({ x: 2, y: 0 });
  });

  // Proves a corrupt key or a corrupt entry is ignored with a note, never thrown.
  test('a corrupt key or entry is set aside with a note', () => {
    expect(loadProgress(memory({ [PROGRESS_KEY]: '{not json' }), 'x')).toEqual({ saved: null, note: expect.stringMatching(/not readable/) });
    const bad = memory({ [PROGRESS_KEY]: JSON.stringify({ x: { stepIndex: -1, seed: 7, steps: {} }, y: saved }) });
    expect(loadProgress(bad, 'x')).toEqual({ saved: null, note: expect.stringMatching(/stepIndex/) });
    expect(loadProgress(bad, 'y').saved).toEqual(saved);
    expect(loadProgress(null, 'x')).toEqual({ saved: null, note: null });
    const blocked: ProgressStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => undefined,
    };
    expect(loadProgress(blocked, 'x').note).toMatch(/blocked/);
  });
});
