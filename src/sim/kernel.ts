/**
 * The entry of the simulation's internals, for benchmarks, the fuzzing script and tests in other
 * layers: the kernel's parts (queue, PRNG, distributions, node interface, test nodes, the kernel
 * demo), the limiter's own classes, and helpers that run patched presets. Application code (the
 * diagrams, labs, workbench, UI and CLI) imports `index.ts` only; the architecture test keeps it
 * so.
 */
export { EventQueue, type EventQueueOptions } from './core/queue.ts';
export { Prng, type PrngState } from './core/prng.ts';
export { dist, ratio, type DistSpec } from './core/dist.ts';
export { fx, type Effect, type NodeBehavior } from './core/node.ts';
export { TraceLog } from './core/trace.ts';
export { kernelDemo } from './demo/kernelDemo.ts';
export { echo, holdModel, poissonSource, scripted, sink } from './testing/nodes.ts';
export { KeyTable, Limiter, limiterSpecSchema } from './limiter/limiter.ts';
export { bystanderLatencies, deepMerge, presetScenario, quantile, runPreset, sessionTracker, violationsByChecker } from './cluster/testing.ts';
export { GOLDEN_RUNS, describeDivergence, firstDivergence, rerun, type GoldenRun } from './golden.ts';
export { FUZZ_PRESETS, formatFault, fuzzFaults, fuzzOnce, fuzzWith, replayLine, type FuzzFault, type FuzzResult } from './cluster/fuzz.ts';
export {
  FAULT_KINDS,
  SWARM_BASE,
  claims,
  describeDesign,
  faultsOf,
  shrink,
  swarmCase,
  swarmOnce,
  swarmReplayLine,
  swarmWith,
  type FaultKind,
  type SwarmCase,
  type SwarmDesign,
  type SwarmResult,
} from './cluster/swarm.ts';
