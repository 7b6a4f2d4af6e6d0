/**
 * The public entry of the simulation layer. Other layers import from here only.
 */
export type { Brand, NodeId, SimTimeMs } from './core/ids.ts';
export { nodeId, simTimeMs } from './core/ids.ts';
export { Prng, fmix32, hashString32, type PrngState } from './core/prng.ts';
export {
  NEVER,
  Zipf,
  dist,
  distProblem,
  expUnitQ16,
  meanMs,
  normalish,
  poissonGapMs,
  ratio,
  ratioFromFraction,
  sampleExponentialMs,
  sampleMs,
  unit,
  type DistSpec,
  type Ratio,
} from './core/dist.ts';
export { EventQueue, type EventQueueOptions, type QueueSnapshot, type QueuedEvent } from './core/queue.ts';
export { TraceLog, eventLine, hashText, type TraceCursor, type TraceData, type TraceEvent, type TraceListener, type TraceLogOptions } from './core/trace.ts';
export {
  INSTANT_CPU,
  fx,
  type CpuModel,
  type DropPolicy,
  type Effect,
  type NodeBehavior,
  type NodeContext,
  type NodeInput,
  type Step,
} from './core/node.ts';
export { OP_EVENT, opsFromTrace, type Op, type ScheduledOp } from './core/ops.ts';
export {
  Simulation,
  type NodeReport,
  type NodeSnapshot,
  type NodeSpec,
  type NodeStats,
  type SimSnapshot,
  type SimulationConfig,
} from './core/simulation.ts';
export { SeekableRun, type SeekableRunOptions } from './core/timeline.ts';
export { DEFAULT_LINK, Network, type DropReason, type LinkConfig, type LinkSpec, type LinkState } from './net/network.ts';
export { BaseChecker, NetCausalityChecker, runCheckers, type Checker, type Violation } from './checkers/checker.ts';
export { kernelDemo, type KernelDemoOptions } from './demo/kernelDemo.ts';
export {
  createSimApi,
  type LoadOptions,
  type RunSlice,
  type ScenarioInfo,
  type ShownMessage,
  type SimApi,
  type TopologyInfo,
  type UserView,
} from './api.ts';
export type { RunReport, RunCounts, LatencyPercentiles, NodeFigures } from './cluster/report.ts';
