/**
 * A step, resolved: its run (with the student's controls applied) played to the end, its figures
 * read from that run or the other runs they name, its goals evaluated, its narration filled, and,
 * for a prediction, the run's own answer. This is what the worker hands the page for a step; the
 * page only renders it and links each figure to its moment.
 */
import { compare, evaluateGoal, type Goal, type GoalResult } from './goals.ts';
import { resolveFigure, type Figure, type RunEvidence } from './figures.ts';
import { fillNarration, type Segment } from './narration.ts';
import { patchWith } from './controls.ts';
import type { Control, ControlValue, FigureCondition, LabManifest, LabStep, Prediction, PropertyRow, RunRef } from './types.ts';
import type { LabRunResult } from './evidence.ts';

/** What the student sent with a step: the controls' values (defaults fill the rest). */
export interface StepInput {
  readonly controls?: Readonly<Record<string, ControlValue>>;
  /** The student's committed prediction, judged against the run's answer. */
  readonly prediction?: PredictionGiven;
}

/** The run's answer to a prediction. */
export type PredictionAnswer =
  | { readonly kind: 'choice'; readonly option: string | null }
  | { readonly kind: 'number'; readonly figure: Figure }
  /** Each request the limiter judged, in the order placed: its second on the student's timeline and the verdict. */
  | { readonly kind: 'allowDeny'; readonly decisions: readonly { readonly second: number; readonly allowed: boolean; readonly at: number; readonly seq: number }[] };

/** A goal with its result. */
export interface GoalOutcome {
  readonly goal: Goal;
  readonly result: GoalResult;
}

/** A step resolved on its run. */
export interface StepOutcome {
  readonly labId: string;
  readonly stepId: string;
  /** The step's own run, as the page should open it. */
  readonly run: RunRef;
  readonly endMs: number;
  readonly figures: Readonly<Record<string, Figure>>;
  readonly goals: readonly GoalOutcome[];
  /** Every goal met (true for a step without goals). */
  readonly met: boolean;
  readonly narration: readonly Segment[];
  /** The explanation after the run answered (predict, experiment, check); null for explore. */
  readonly explanation: readonly Segment[] | null;
  readonly answer: PredictionAnswer | null;
  /** The committed prediction judged against the answer: how many parts were right, of how many. */
  readonly judged: { readonly right: number; readonly of: number } | null;
  /** Where to put the playhead: a figure's moment plus 1 ms (so its event has happened), or the end. */
  readonly seekToMs: number;
  /** The message the sequence diagram should draw, when the focus names a figure. */
  readonly focusMessageId: string | null;
  /** The experiment's side-by-side table, filled. */
  readonly table: {
    readonly caption: string;
    readonly columns: readonly string[];
    readonly rows: readonly { readonly label: string; readonly figures: readonly Figure[] }[];
    /** The manifest's property rows (text, not measured), as given. */
    readonly properties: readonly PropertyRow[];
  } | null;
}

/** Runs a lab run to its end (the workbench passes one with a cache; tests pass `runToEnd`). */
export type RunLoader = (ref: RunRef) => LabRunResult;

/** Finds a lab's step, or throws naming what is missing. */
export function stepOf(lab: LabManifest, stepId: string): LabStep {
  const step = lab.steps.find((s) => s.id === stepId);
  if (step === undefined) throw new Error(`lab "${lab.id}" has no step "${stepId}"; steps are ${lab.steps.map((s) => s.id).join(', ')}`);
  return step;
}

/** The controls of a step (predict and experiment steps have them). */
export function controlsOf(step: LabStep): readonly Control[] {
  return step.kind === 'experiment' ? step.controls : step.kind === 'predict' ? (step.controls ?? []) : [];
}

/** The step's run with the student's controls applied. */
export function stepRun(step: LabStep, seed: number, input: StepInput = {}): RunRef {
  return { scenario: step.run.scenario, seed, patch: patchWith(step.run.patch, controlsOf(step), input.controls ?? {}) };
}

function holds(c: FigureCondition, figures: Readonly<Record<string, Figure>>): boolean {
  const x = figures[c.figure]?.value ?? null;
  const y = 'figure' in c.than ? (figures[c.than.figure]?.value ?? null) : c.than.value;
  return x !== null && y !== null && compare(x, c.op, y);
}

function answerOf(prediction: Prediction, figures: Readonly<Record<string, Figure>>, own: LabRunResult, input: StepInput, step: LabStep): PredictionAnswer {
  switch (prediction.kind) {
    case 'choice':
      return { kind: 'choice', option: prediction.options.find((o) => o.when.every((c) => holds(c, figures)))?.id ?? null };
    case 'number': {
      const figure = figures[prediction.figure];
      if (figure === undefined) throw new Error(`step "${step.id}": the prediction names no figure "${prediction.figure}"`);
      return { kind: 'number', figure };
    }
    case 'allowDeny': {
      const control = controlsOf(step).find((c) => c.id === prediction.control);
      if (control?.kind !== 'requestTimes') throw new Error(`step "${step.id}": the prediction's control "${prediction.control}" is not a requestTimes control`);
      const seconds = [...((input.controls?.[control.id] as readonly number[] | undefined) ?? control.initial)].sort((a, b) => a - b);
      // The limiter's decisions on the user's key, in order: the nth decision is the nth request placed.
      const key = `user:${control.user}`;
      const decisions = own.events.filter((e) => (e.type === 'limiter/allowed' || e.type === 'limiter/rejected') && e.data.key === key);
      return {
        kind: 'allowDeny',
        decisions: decisions.slice(0, seconds.length).map((e, i) => ({ second: seconds[i] ?? 0, allowed: e.type === 'limiter/allowed', at: e.at, seq: e.seq })),
      };
    }
  }
}

/**
 * Resolves a step: runs its run (and any other run a figure names) to the end, reads the figures,
 * evaluates the goals and fills the narration.
 *
 * @example
 * const outcome = resolveStep(orderingDelivery, 'see-it-break', 42, {}, runToEnd);
 * outcome.met; // true: the ordering checker fired
 * outcome.narration; // [{ kind: 'text', … }, { kind: 'figure', figure: { value: 181, … } }, …]
 */
export function resolveStep(lab: LabManifest, stepId: string, seed: number, input: StepInput, load: RunLoader): StepOutcome {
  const step = stepOf(lab, stepId);
  const ref = stepRun(step, seed, input);
  const own = load(ref);
  const evidenceFor = (run: { scenario: string; patch?: RunRef['patch'] } | undefined): RunEvidence => (run === undefined ? own : load({ scenario: run.scenario, seed, patch: run.patch ?? null }));
  const figures: Record<string, Figure> = {};
  for (const [id, spec] of Object.entries(step.figures)) figures[id] = resolveFigure(id, spec, evidenceFor(spec.run));
  const goals = step.goals.map((goal) => ({ goal, result: evaluateGoal(goal, own.report, own.counts, own) }));
  const where = `lab ${lab.id}, step ${step.id}`;
  const explanationText = step.kind === 'explore' ? null : step.explanation;
  const seekFigure = step.seekTo !== undefined && step.seekTo !== 'end' ? figures[step.seekTo.figure] : undefined;
  if (step.seekTo !== undefined && step.seekTo !== 'end' && seekFigure === undefined) throw new Error(`${where}: seekTo names no figure "${step.seekTo.figure}"`);
  const focusFigure = step.focus.kind === 'sequence' && step.focus.messageFigure !== undefined ? figures[step.focus.messageFigure] : undefined;
  const table =
    step.kind === 'experiment' && step.table !== undefined
      ? {
          caption: step.table.caption,
          columns: step.table.columns,
          properties: (step.table.properties ?? []).map((p) => {
            if (p.cells.length !== step.table?.columns.length) throw new Error(`${where}: the table's property row "${p.label}" has ${p.cells.length} cells for ${step.table?.columns.length} columns`);
            return p;
          }),
          rows: step.table.rows.map((r) => ({
            label: r.label,
            figures: r.figures.map((id) => {
              const f = figures[id];
              if (f === undefined) throw new Error(`${where}: the table names no figure "${id}"`);
              return f;
            }),
          })),
        }
      : null;
  const answer = step.kind === 'predict' ? answerOf(step.prediction, figures, own, input, step) : null;
  return {
    labId: lab.id,
    stepId: step.id,
    run: ref,
    endMs: own.endMs,
    figures,
    goals,
    met: goals.every((g) => g.result.met),
    narration: fillNarration(step.narration, figures, `${where}, narration`),
    explanation: explanationText === null ? null : fillNarration(explanationText, figures, `${where}, explanation`),
    answer,
    judged: answer === null || input.prediction === undefined || step.kind !== 'predict' ? null : judgePrediction(step.prediction, input.prediction, answer),
    seekToMs: seekFigure?.moment ?? own.endMs,
    focusMessageId: focusFigure?.messageId ?? null,
    table,
  };
}

/** What the student predicted. */
export type PredictionGiven = { readonly kind: 'choice'; readonly option: string } | { readonly kind: 'number'; readonly value: number } | { readonly kind: 'allowDeny'; readonly allowed: readonly boolean[] };

/**
 * Judges a prediction against the run's answer: how many parts were right, out of how many.
 *
 * @example
 * judgePrediction(step.prediction, { kind: 'choice', option: 'persist' }, outcome.answer); // { right: 1, of: 1 }
 */
export function judgePrediction(prediction: Prediction, given: PredictionGiven, answer: PredictionAnswer): { readonly right: number; readonly of: number } {
  if (given.kind === 'choice' && answer.kind === 'choice') return { right: answer.option === given.option ? 1 : 0, of: 1 };
  if (given.kind === 'number' && answer.kind === 'number' && prediction.kind === 'number') {
    const v = answer.figure.value;
    return { right: v !== null && Math.abs(v - given.value) <= prediction.tolerance ? 1 : 0, of: 1 };
  }
  if (given.kind === 'allowDeny' && answer.kind === 'allowDeny') {
    const right = answer.decisions.filter((d, i) => given.allowed[i] === d.allowed).length;
    return { right, of: answer.decisions.length };
  }
  throw new Error(`a ${given.kind} prediction cannot be judged against a ${answer.kind} answer`);
}
