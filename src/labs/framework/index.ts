/**
 * The lab framework, for the labs' own folders (they import it from here) and for the layer's
 * entry (`labs/index.ts` re-exports what other layers use).
 */
export type { TraceEventType } from '../../sim/index.ts';
export * from './types.ts';
export { evaluateGoal, GOAL_METRICS, metricOf, type Goal, type GoalComparison, type GoalMetric, type GoalResult } from './goals.ts';
export { formatFigure, limitedRequests, resolveFigure, type EventCounts, type EventMatch, type Figure, type FigureSpec, type ReplayMeasure, type RunEvidence } from './figures.ts';
export { fillNarration, placeholdersOf, type Segment } from './narration.ts';
export { controlProblem, initialValue, patchWith } from './controls.ts';
export { algorithmControl, LIMITER_ALGORITHM_NAMES } from './limiters.ts';
export { EVIDENCE_EVENTS_MAX, runToEnd, type LabRunResult } from './evidence.ts';
export {
  controlsOf,
  judgePrediction,
  resolveStep,
  stepOf,
  stepRun,
  type GoalOutcome,
  type PredictionAnswer,
  type PredictionGiven,
  type RunLoader,
  type StepInput,
  type StepOutcome,
} from './step.ts';
