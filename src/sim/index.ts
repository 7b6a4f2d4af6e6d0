/**
 * The public entry of the simulation layer. Other layers import from here only (benchmarks and
 * tests may also use `kernel.ts`, the entry of the kernel's internals).
 *
 * - The contract: the trace vocabulary with its data types, the wire protocol, the operator's
 *   verbs, the report shape and the reader of message references (`contract/`).
 * - Scenarios: the schema, the presets, the catalog a session loads from, and `runScenario`.
 * - A run to drive step by step: `Simulation`, `SeekableRun`, and the watchers (checkers and
 *   metrics) that judge it.
 * - The rate limiters, for the CLI and the lab's worked examples.
 */
export * from './contract/index.ts';
export type { SimTimeMs } from './core/ids.ts';
export { TraceLog, eventLine } from './core/trace.ts';
export { Simulation, type NodeReport, type SimulationConfig } from './engine/simulation.ts';
export { SeekableRun, type SeekableRunOptions } from './engine/timeline.ts';
export { PRESETS, presetById, type Preset } from './scenario/presets.ts';
export { parseScenario, scenarioSchema, type Scenario, type ScenarioInput, type ScenarioParse } from './scenario/schema.ts';
export { jsonEqual, mergePatchBetween } from './scenario/patch.ts';
export {
  basePresets,
  checkScenario,
  closestPreset,
  customScenarioOf,
  patchFromPreset,
  problemOf,
  readJson,
  readScenarioFile,
  scenarioFileText,
  type CustomScenario,
  type JsonSyntaxError,
  type ScenarioCheck,
  type ScenarioFileRead,
  type ScenarioProblem,
} from './scenario/custom.ts';
export { allowedText, fieldLeaves, scenarioFields, type FieldNode } from './scenario/fields.ts';
export { FIELD_GROUPS, docOf, groupOf, type FieldDoc, type FieldGroup } from './scenario/fieldDocs.ts';
export { estimateWork, overBudget, MEMORY_BUDGET_BYTES, WORK_BUDGET_EVENTS, type WorkEstimate, type WorkTerm } from './scenario/budget.ts';
export { buildRun, scenarioCatalog, type BuiltRun, type ScenarioEntry } from './cluster/catalog.ts';
export {
  SWEEP_FIGURES,
  SWEEP_MAX_AXES,
  SWEEP_MAX_RUNS,
  SWEEP_MAX_SEEDS,
  SWEEP_MAX_VALUES,
  describePoint,
  figureDoc,
  figureNames,
  measureRun,
  orderResults,
  planSweep,
  runSweep,
  runSweepJob,
  scenarioHash,
  spreadByPoint,
  sweepCsv,
  sweepFigures,
  type FigureDoc,
  type FigureSpread,
  type SweepAxis,
  type SweepFigures,
  type SweepJob,
  type SweepMeasurement,
  type SweepPlan,
  type SweepPlanResult,
  type SweepPoint,
  type SweepResult,
  type SweepSpec,
} from './cluster/sweep.ts';
export { createWatchers, reportOf, runFacts, runScenario, startScenario, type RunOptions, type WatchedRun, type Watchers } from './cluster/run.ts';
export {
  LIMITER_ALGORITHMS,
  LIMITER_OPTIONS,
  decideAll,
  parseLimiterSpec,
  type LimiterAlgorithm,
  type LimiterSpec,
  type LimiterSpecInput,
  type TimedDecision,
} from './limiter/limiter.ts';
export { compareWithExactLog, type ExactLogComparison } from './limiter/compare.ts';
