import { describe, expect, test } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import type { LabManifest, StepOutcome } from '../../workbench/index.ts';
import { labProgressMachine, savedIndex, savedOf, type ResolveInput } from './labProgress.ts';

/** A two-step lab: an explore step and a predict step with a control (plain data, as the worker sends it). */
const LAB = {
  id: 'demo',
  title: 'Demo',
  summary: '',
  group: 'diagrams',
  seed: 42,
  pitfalls: [],
  steps: [
    { id: 'look', kind: 'explore', title: 'Look', run: { scenario: 'group-chat' }, focus: { kind: 'pubsub' }, narration: '', figures: {}, goals: [] },
    {
      id: 'guess',
      kind: 'predict',
      title: 'Guess',
      run: { scenario: 'group-chat' },
      focus: { kind: 'report' },
      narration: '',
      question: 'Which?',
      prediction: { kind: 'choice', options: [] },
      explanation: '',
      controls: [{ kind: 'number', id: 'n', label: 'n', path: 'x', min: 0, max: 9, step: 1, initial: 1 }],
      figures: {},
      goals: [],
    },
  ],
} as unknown as LabManifest;

/** The machine with a fake resolver that records what it was asked and meets goals unless told not to. */
function setup(options: { met?: boolean; fail?: boolean } = {}) {
  const asked: ResolveInput[] = [];
  const machine = labProgressMachine.provide({
    actors: {
      resolve: fromPromise(async ({ input }: { input: ResolveInput }) => {
        asked.push(input);
        if (options.fail === true) throw new Error('seed must be an integer');
        return { labId: input.labId, stepId: input.stepId, met: options.met ?? true } as unknown as StepOutcome;
      }),
    },
  });
  return { asked, machine };
}

describe('the lab-progress machine', () => {
  // Proves a step is resolved on opening and marked done when its goals are met.
  test('opening a step resolves it and marks it done when met', async () => {
    const { asked, machine } = setup();
    const actor = createActor(machine, { input: { lab: LAB } }).start();
    await waitFor(actor, (s) => s.matches('ready'));
    expect(asked).toEqual([{ labId: 'demo', stepId: 'look', seed: 42, input: { controls: {} } }]);
    expect(actor.getSnapshot().context.steps['look']?.done).toBe(true);
  });

  // Proves a predict step is not done before the commit, its control waits for the commit (no
  // run that would give the answer away), and the commit resolves with the prediction and controls.
  test('a prediction is committed before the run answers it', async () => {
    const { asked, machine } = setup();
    const actor = createActor(machine, { input: { lab: LAB } }).start();
    await waitFor(actor, (s) => s.matches('ready'));
    actor.send({ type: 'NEXT' });
    await waitFor(actor, (s) => s.matches('ready') && s.context.outcome?.stepId === 'guess');
    expect(actor.getSnapshot().context.steps['guess']?.done).not.toBe(true);
    actor.send({ type: 'SET_CONTROL', id: 'n', value: 3 });
    expect(actor.getSnapshot().matches('ready')).toBe(true);
    expect(asked).toHaveLength(2);
    actor.send({ type: 'COMMIT', prediction: { kind: 'choice', option: 'a' } });
    await waitFor(actor, (s) => s.matches('ready') && s.context.steps['guess']?.done === true);
    expect(asked.at(-1)).toEqual({ labId: 'demo', stepId: 'guess', seed: 42, input: { controls: { n: 3 }, prediction: { kind: 'choice', option: 'a' } } });
    // Saved progress holds what the student did, and restores to the same place.
    const saved = savedOf(actor.getSnapshot().context);
    expect(saved).toEqual({ stepIndex: 1, stepId: 'guess', seed: 42, steps: { look: { controls: {}, prediction: null, done: true }, guess: { controls: { n: 3 }, prediction: { kind: 'choice', option: 'a' }, done: true } } });
    const again = createActor(machine, { input: { lab: LAB, saved } }).start();
    await waitFor(again, (s) => s.matches('ready'));
    expect(asked.at(-1)?.input.prediction).toEqual({ kind: 'choice', option: 'a' });
  });

  // Proves a failure is kept as text and a retry resolves again; a step whose goals are not met is not done.
  test('a failed resolve can be retried; unmet goals leave the step open', async () => {
    const failing = setup({ fail: true });
    const actor = createActor(failing.machine, { input: { lab: LAB } }).start();
    await waitFor(actor, (s) => s.matches('failed'));
    expect(actor.getSnapshot().context.error).toMatch(/seed must be an integer/);
    actor.send({ type: 'RETRY' });
    await waitFor(actor, (s) => s.matches('failed') && failing.asked.length === 2);
    const unmet = setup({ met: false });
    const open = createActor(unmet.machine, { input: { lab: LAB, saved: { stepIndex: 9, seed: 7, steps: {} } } }).start();
    await waitFor(open, (s) => s.matches('ready'));
    // An out-of-range saved step is clamped to the last one, and the seed is the saved one.
    expect(unmet.asked[0]).toMatchObject({ stepId: 'guess', seed: 7 });
    open.send({ type: 'SEED', seed: 8 });
    await waitFor(open, (s) => s.matches('ready') && unmet.asked.length === 2);
    expect(unmet.asked[1]?.seed).toBe(8);
    expect(open.getSnapshot().context.steps['guess']?.done).not.toBe(true);
  });

  // Proves a saved position follows its step's id when a lab gains a step before it, and falls back to the place.
  test('a saved step is found by id first, by place when the id is gone or missing', () => {
    const grown = { ...LAB, steps: [{ ...LAB.steps[0]!, id: 'intro' }, ...LAB.steps] } as LabManifest;
    expect(savedIndex(grown, { stepIndex: 1, stepId: 'guess', seed: 42, steps: {} })).toBe(2);
    expect(savedIndex(grown, { stepIndex: 1, stepId: 'gone', seed: 42, steps: {} })).toBe(1);
    expect(savedIndex(grown, { stepIndex: 1, seed: 42, steps: {} })).toBe(1);
    expect(savedIndex(grown, { stepIndex: 99, seed: 42, steps: {} })).toBe(2);
    expect(savedIndex(grown, null)).toBe(0);
  });

  // Proves a control changed while a run is on its way is kept, and the newest setting is asked for.
  test('a control changed mid-run is kept and resolved again', async () => {
    const LAB2 = { ...LAB, steps: [{ ...LAB.steps[1], kind: 'experiment', id: 'exp' }] } as unknown as LabManifest;
    const { asked, machine } = setup();
    const actor = createActor(machine, { input: { lab: LAB2 } }).start();
    actor.send({ type: 'SET_CONTROL', id: 'n', value: 5 });
    await waitFor(actor, (s) => s.matches('ready'));
    expect(asked.at(-1)?.input.controls).toEqual({ n: 5 });
  });

  // Proves a whiteboard step is not finished by its run: only a passing check finishes it; a
  // failing check leaves it open, the student's diagram is kept and saved, and a later failing
  // check does not take the step back.
  test('a whiteboard step is done only once the student’s diagram passes the check', async () => {
    const LAB3 = { ...LAB, steps: [{ ...LAB.steps[0], id: 'draw', focus: { kind: 'whiteboard', diagram: 'sequence', flow: 'group' } }, LAB.steps[0]] } as unknown as LabManifest;
    const { machine } = setup();
    const actor = createActor(machine, { input: { lab: LAB3 } }).start();
    await waitFor(actor, (s) => s.matches('ready'));
    expect(actor.getSnapshot().context.steps['draw']?.done ?? false).toBe(false);
    actor.send({ type: 'ANSWER', text: 'sequenceDiagram\n  A->>B: hi' });
    actor.send({ type: 'CHECKED', ok: false });
    expect(actor.getSnapshot().context.steps['draw']).toMatchObject({ done: false, answer: 'sequenceDiagram\n  A->>B: hi' });
    actor.send({ type: 'CHECKED', ok: true });
    expect(actor.getSnapshot().context.steps['draw']?.done).toBe(true);
    actor.send({ type: 'CHECKED', ok: false });
    expect(actor.getSnapshot().context.steps['draw']?.done).toBe(true);
    expect(savedOf(actor.getSnapshot().context).steps['draw']?.answer).toBe('sequenceDiagram\n  A->>B: hi');
    // A check on a step that is not a whiteboard step changes nothing.
    actor.send({ type: 'NEXT' });
    await waitFor(actor, (s) => s.matches('ready'));
    const before = actor.getSnapshot().context.steps;
    actor.send({ type: 'CHECKED', ok: true });
    expect(actor.getSnapshot().context.steps).toBe(before);
  });
});
