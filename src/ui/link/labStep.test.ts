import { describe, expect, it } from 'vitest';
import { loadProgress, PROGRESS_KEY, saveProgress, type ProgressStorage } from '../lab/progress.ts';
import { linkProgressStorage } from './labStep.ts';

const memory = (initial: Record<string, string> = {}): ProgressStorage & { data: Record<string, string> } => {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
};

describe('a link into a lab', () => {
  // Proves the lab panel's first read names the link's step and seed, keeps the student's other
  // progress, and that later reads and saves go to the real storage untouched.
  it('opens the link’s step once, keeping the rest of the saved progress', () => {
    const saved = { stepIndex: 0, stepId: 'a', seed: 7, steps: { a: { controls: {}, prediction: null, done: true } } };
    const real = memory({ [PROGRESS_KEY]: JSON.stringify({ 'message-flow': saved, other: { stepIndex: 1, seed: 1, steps: {} } }) });
    const storage = linkProgressStorage(real, 'message-flow', 3, 99);
    // The saved step's id is dropped: it would win over the link's step.
    expect(loadProgress(storage, 'message-flow')).toEqual({ saved: { steps: saved.steps, stepIndex: 3, seed: 99 }, note: null });
    expect(loadProgress(storage, 'message-flow').saved?.stepIndex).toBe(0);
    expect(saveProgress(storage, 'message-flow', { ...saved, stepIndex: 3, seed: 99 })).toBe(true);
    expect(JSON.parse(real.data[PROGRESS_KEY] ?? '{}')).toMatchObject({ 'message-flow': { stepIndex: 3, seed: 99 }, other: { stepIndex: 1 } });
  });

  it('opens the step on a first visit and over unreadable progress', () => {
    expect(loadProgress(linkProgressStorage(memory(), 'l', 2, 5), 'l').saved).toEqual({ steps: {}, stepIndex: 2, seed: 5 });
    expect(loadProgress(linkProgressStorage(memory({ [PROGRESS_KEY]: '{oops' }), 'l', 1, 5), 'l').saved).toEqual({ steps: {}, stepIndex: 1, seed: 5 });
    expect(loadProgress(linkProgressStorage(null, 'l', 1, 5), 'l').saved).toEqual({ steps: {}, stepIndex: 1, seed: 5 });
  });
});
