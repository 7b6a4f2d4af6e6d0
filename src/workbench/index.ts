/**
 * The public entry of the workbench layer: the worker-side session the page talks to (one owner
 * of the run and its interventions, views answered from an incremental index of the trace, lab
 * goals evaluated next to it). Other layers import from here only. No React, no DOM, no Comlink:
 * `ui/runtime` exposes {@link createWorkbench} in a Web Worker, or calls it on the main thread.
 */
export {
  MAX_TEXT_LENGTH,
  createWorkbench,
  type Acted,
  type Frame,
  type FrameWant,
  type Opened,
  type OpenedTrace,
  type RateLimitView,
  type RunSummary,
  type ScriptedFault,
  type TopologyInfo,
  type TraceExportFormat,
  type Workbench,
  type WorkedExampleView,
} from './workbench.ts';
export type { Applied, Intervention } from './session.ts';
export type { InterventionKind } from './opText.ts';
export { GOAL_METRICS, evaluateGoal, type Goal, type GoalComparison, type GoalMetric, type GoalResult } from '../labs/index.ts';
export type { LabManifest, LabStep, MapGroup, StepInput, StepOutcome, Figure, Segment, Control, ControlValue, PredictionGiven, PredictionAnswer, Focus, RunRef, SweepAxis } from '../labs/index.ts';
export { CATALOG_MAX, type SequenceDisplay, type SequenceQuery, type SequenceView } from './views/sequence.ts';
export { TABLE_MAX, type TablePage, type TableQuery, type TableRow } from './views/table.ts';
export { FAILED_MAX, SHOWN_MAX, type FailedSend, type ShownMessage, type UserView } from './views/chat.ts';
export { GRAPH_LAYOUT, LOG_CAP } from './observers.ts';
export type { ScenarioEntry } from '../sim/index.ts';
export { compareRuns, type CompareIntervention, type ComparedSide, type Comparison } from './compare.ts';
export { SWITCHES, switchById, switchPatch, type DesignSwitch, type SwitchPatch, type SwitchValue } from './switches.ts';
export type { FigureDiff, RawDivergence, ShownDivergence, ShownEntry, DivergentEvent } from '../diagrams/index.ts';
