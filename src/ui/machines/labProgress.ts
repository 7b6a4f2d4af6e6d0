/**
 * A lab's progress as a state machine: which step is open, the student's controls and committed
 * predictions, which steps are done, and the step's outcome as the worker resolved it. It holds
 * no simulation truth: the outcome (figures, goals, the run's answer) comes from the `resolve`
 * actor, which the app provides (the workbench's `labStep`), and the machine only decides when
 * to ask again: on opening a step, on a committed prediction, on a control change of a step whose
 * run is already shown, and on a new seed.
 *
 * States: `resolving` (asking the worker) → `ready` (the step is shown; a predict step waits for
 * the commit) ⇄ `resolving`; `failed` keeps the error and waits for a retry or another step.
 */
import { assign, fromPromise, setup } from 'xstate';
import type { ControlValue, LabManifest, LabStep, PredictionGiven, StepInput, StepOutcome } from '../../workbench/index.ts';

/** The student's part of one step: what they set, what they committed, whether it is done. */
export interface StepProgress {
  readonly controls: Readonly<Record<string, ControlValue>>;
  /** The committed prediction (null: not committed yet, or revised). */
  readonly prediction: PredictionGiven | null;
  readonly done: boolean;
  /** A whiteboard step's diagram as the student left it (Mermaid text, or the drawing as JSON). */
  readonly answer?: string | undefined;
}

/** The step a saved position opens: by id when the lab still has that step, else by place. */
export function savedIndex(lab: LabManifest, saved: SavedLab | null): number {
  const byId = saved?.stepId === undefined ? -1 : lab.steps.findIndex((st) => st.id === saved.stepId);
  return byId === -1 ? clampIndex(lab, saved?.stepIndex ?? 0) : byId;
}

/** What is kept of a lab between visits. */
export interface SavedLab {
  /** The open step's place; read only when `stepId` is missing (saved before it existed) or names no step. */
  readonly stepIndex: number;
  /** The open step, by id: a step added to a lab later does not move a saved position. */
  readonly stepId?: string | undefined;
  readonly seed: number;
  readonly steps: Readonly<Record<string, StepProgress>>;
}

export interface LabProgressContext {
  readonly lab: LabManifest;
  readonly stepIndex: number;
  readonly seed: number;
  readonly steps: Readonly<Record<string, StepProgress>>;
  /** The outcome of the open step (null while it is being resolved the first time). */
  readonly outcome: StepOutcome | null;
  readonly error: string | null;
}

export type LabProgressEvent =
  | { type: 'GOTO'; index: number }
  | { type: 'NEXT' }
  | { type: 'PREV' }
  | { type: 'SET_CONTROL'; id: string; value: ControlValue }
  | { type: 'COMMIT'; prediction: PredictionGiven }
  | { type: 'REVISE' }
  | { type: 'SEED'; seed: number }
  | { type: 'RETRY' }
  /** The student's whiteboard diagram changed (kept, no run). */
  | { type: 'ANSWER'; text: string }
  /** The whiteboard check ran on the student's diagram: a whiteboard step is done once it passes. */
  | { type: 'CHECKED'; ok: boolean };

export interface LabProgressInput {
  readonly lab: LabManifest;
  readonly saved?: SavedLab | null;
}

/** What the resolve actor is asked. */
export interface ResolveInput {
  readonly labId: string;
  readonly stepId: string;
  readonly seed: number;
  readonly input: StepInput;
}

const EMPTY: StepProgress = { controls: {}, prediction: null, done: false };

/** The open step. */
export function currentStep(ctx: LabProgressContext): LabStep {
  const step = ctx.lab.steps[ctx.stepIndex] ?? ctx.lab.steps[0];
  if (step === undefined) throw new Error(`lab "${ctx.lab.id}" has no steps`);
  return step;
}

/** The student's part of the open step. */
export function progressOf(ctx: LabProgressContext, stepId = currentStep(ctx).id): StepProgress {
  return ctx.steps[stepId] ?? EMPTY;
}

/** True when the step is finished by the student's own diagram passing the whiteboard check, not by its run. */
export function needsWhiteboardCheck(step: LabStep): boolean {
  return step.focus.kind === 'whiteboard';
}

/** True when the open step waits for the student's prediction before its run answers. */
export function awaitingPrediction(ctx: LabProgressContext): boolean {
  return currentStep(ctx).kind === 'predict' && progressOf(ctx).prediction === null;
}

const clampIndex = (lab: LabManifest, i: number): number => Math.max(0, Math.min(lab.steps.length - 1, Math.floor(i)));

const withStep = (ctx: LabProgressContext, change: Partial<StepProgress>): Readonly<Record<string, StepProgress>> => {
  const id = currentStep(ctx).id;
  return { ...ctx.steps, [id]: { ...progressOf(ctx, id), ...change } };
};

/**
 * The lab-progress machine.
 *
 * @example
 * const actor = createActor(labProgressMachine.provide({ actors: { resolve: fromPromise(({ input }) => client.labStep(input.labId, input.stepId, input.seed, input.input)) } }), { input: { lab } }).start();
 * actor.send({ type: 'COMMIT', prediction: { kind: 'choice', option: 'persist' } });
 */
export const labProgressMachine = setup({
  types: {
    context: {} as LabProgressContext,
    events: {} as LabProgressEvent,
    input: {} as LabProgressInput,
  },
  actors: {
    resolve: fromPromise<StepOutcome, ResolveInput>(async () => {
      throw new Error('labProgress: provide a resolve actor');
    }),
  },
  guards: {
    // A control of a predict step not yet committed is part of the prediction: no run until the commit.
    controlWaitsForCommit: ({ context }) => awaitingPrediction(context),
    canCommit: ({ context }) => currentStep(context).kind === 'predict',
  },
  actions: {
    goTo: assign(({ context, event }) => {
      const index = event.type === 'GOTO' ? event.index : event.type === 'NEXT' ? context.stepIndex + 1 : event.type === 'PREV' ? context.stepIndex - 1 : context.stepIndex;
      return { stepIndex: clampIndex(context.lab, index), outcome: null, error: null };
    }),
    setControl: assign(({ context, event }) => (event.type === 'SET_CONTROL' ? { steps: withStep(context, { controls: { ...progressOf(context).controls, [event.id]: event.value } }) } : {})),
    commit: assign(({ context, event }) => (event.type === 'COMMIT' ? { steps: withStep(context, { prediction: event.prediction }) } : {})),
    revise: assign(({ context }) => ({ steps: withStep(context, { prediction: null }) })),
    setSeed: assign(({ event }) => (event.type === 'SEED' && Number.isInteger(event.seed) && event.seed >= 0 && event.seed <= 0xffff_ffff ? { seed: event.seed } : {})),
    keepOutcome: assign(({ context, event }) => {
      const outcome = (event as unknown as { output: StepOutcome }).output;
      // A step is done when its goals are met on its run and, for a prediction, once committed; a
      // whiteboard step only once the student's diagram passes the check (`CHECKED`).
      const done = outcome.met && !awaitingPrediction(context) && !needsWhiteboardCheck(currentStep(context));
      return { outcome, error: null, steps: done ? withStep(context, { done: true }) : context.steps };
    }),
    keepAnswer: assign(({ context, event }) => (event.type === 'ANSWER' && event.text !== progressOf(context).answer ? { steps: withStep(context, { answer: event.text }) } : {})),
    keepCheck: assign(({ context, event }) => (event.type === 'CHECKED' && event.ok && needsWhiteboardCheck(currentStep(context)) && !progressOf(context).done ? { steps: withStep(context, { done: true }) } : {})),
    keepError: assign(({ event }) => {
      const error = (event as unknown as { error: unknown }).error;
      return { error: error instanceof Error ? error.message : String(error) };
    }),
  },
}).createMachine({
  id: 'labProgress',
  context: ({ input }) => ({
    lab: input.lab,
    stepIndex: savedIndex(input.lab, input.saved ?? null),
    seed: input.saved?.seed ?? input.lab.seed,
    steps: input.saved?.steps ?? {},
    outcome: null,
    error: null,
  }),
  initial: 'resolving',
  on: {
    GOTO: { target: '.resolving', reenter: true, actions: 'goTo' },
    NEXT: { target: '.resolving', reenter: true, actions: 'goTo' },
    PREV: { target: '.resolving', reenter: true, actions: 'goTo' },
    SEED: { target: '.resolving', reenter: true, actions: 'setSeed' },
    ANSWER: { actions: 'keepAnswer' },
    CHECKED: { actions: 'keepCheck' },
  },
  states: {
    resolving: {
      on: {
        // A control changed while a run is on its way: keep it and ask again for the newest setting.
        SET_CONTROL: [
          { guard: 'controlWaitsForCommit', actions: 'setControl' },
          { target: 'resolving', reenter: true, actions: 'setControl' },
        ],
      },
      invoke: {
        src: 'resolve',
        input: ({ context }) => {
          const p = progressOf(context);
          return {
            labId: context.lab.id,
            stepId: currentStep(context).id,
            seed: context.seed,
            input: { controls: p.controls, ...(p.prediction === null ? {} : { prediction: p.prediction }) },
          };
        },
        onDone: { target: 'ready', actions: 'keepOutcome' },
        onError: { target: 'failed', actions: 'keepError' },
      },
    },
    ready: {
      on: {
        SET_CONTROL: [
          { guard: 'controlWaitsForCommit', actions: 'setControl' },
          { target: 'resolving', actions: 'setControl' },
        ],
        COMMIT: { guard: 'canCommit', target: 'resolving', actions: 'commit' },
        REVISE: { actions: 'revise' },
      },
    },
    failed: {
      on: {
        RETRY: 'resolving',
        // A bad control value is fixed by setting another.
        SET_CONTROL: { target: 'resolving', actions: 'setControl' },
        REVISE: { target: 'ready', actions: 'revise' },
      },
    },
  },
});

/** What of the context is saved between visits. */
export function savedOf(ctx: LabProgressContext): SavedLab {
  return { stepIndex: ctx.stepIndex, stepId: currentStep(ctx).id, seed: ctx.seed, steps: ctx.steps };
}
