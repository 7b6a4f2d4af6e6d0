/**
 * The public entry of the diagrams layer: pure functions from a trace (plus one options object)
 * to diagram data. Other layers import from here only.
 *
 * - {@link TraceIndex}: the incremental index every builder reads (the workbench keeps one live,
 *   so a diagram costs what it draws); {@link MessageCatalog}: the chat messages of a run.
 * - {@link sequenceDiagram}, {@link sequenceDiagramForWindow}, {@link sequenceDiagramForUser}:
 *   a message's real path as a Mermaid sequence diagram (typed AST + printed text).
 * - {@link pubsubGraph}, {@link flowsBetween} ({@link PubsubState} live): the pub/sub component
 *   view as React Flow data (a Kafka-like log as topics → partitions → servers, with each
 *   consumer's committed offset and lag).
 * - {@link rateLimitTimeline}, {@link rateLimitTimelineFromDecisions} ({@link RateLimitDecisions}
 *   live): d3-ready rate-limit series; {@link explainRateLimit} and {@link rateLimitStateDiagram}:
 *   each request in its algorithm's own terms, and the algorithm's state flow as Mermaid
 *   `stateDiagram-v2` source that follows the run.
 * - {@link printSequenceDiagram}, {@link escapeMermaidText}: the one Mermaid printer and its escaping.
 * - The whiteboard check (`whiteboard/`): {@link parseSequence}, {@link actualFlow},
 *   {@link checkSequence}, {@link clusterComponentsOf}, {@link compareComponents}: a student's
 *   own diagrams against the run.
 */
export type {
  ArrowKind,
  SeqActivation,
  SeqComment,
  SeqLoop,
  SeqMessage,
  SeqNote,
  SeqParticipant,
  SeqRect,
  SeqStatement,
  SequenceDiagramAst,
} from './mermaid/ast.ts';
export { message, noteOver } from './mermaid/ast.ts';
export { escapeMermaidText, printSequenceDiagram, safeMermaidId, truncateText, uniqueMermaidIds, wrapMermaidLabels, type PrintOptions } from './mermaid/print.ts';
export { MessageCatalog, chatMessagesOf, type ChatMessageRef } from './catalog.ts';
export { TraceIndex, type OrderMark } from './traceIndex.ts';
export { readTraceJsonl, type TraceFileRead } from './traceFile.ts';
export { perfettoJson, toPerfetto, type PerfettoEvent, type PerfettoOptions, type PerfettoTrace } from './perfetto.ts';
export {
  sequenceDiagram,
  sequenceDiagramForUser,
  sequenceDiagramForWindow,
  type SequenceCommonOptions,
  type SequenceDiagramOptions,
  type SequenceDiagramResult,
  type SequenceHop,
  type SequenceParticipantInfo,
  type SequenceWindowOptions,
  type TraceSource,
} from './sequence.ts';
export {
  PubsubState,
  flowsBetween,
  pubsubGraph,
  type EdgeFlow,
  type PubsubEdge,
  type PubsubEdgeData,
  type PubsubEdgeKind,
  type PubsubGraph,
  type PubsubGraphOptions,
  type PubsubNode,
  type PubsubNodeData,
  type PubsubNodeKind,
  type PartitionConsumer,
  type PartitionLog,
} from './pubsub.ts';
export {
  RateLimitDecisions,
  rateLimitTimeline,
  rateLimitTimelineFromDecisions,
  type ExampleLimiterSpec,
  type ExampleMark,
  type ExampleTimeline,
  type RateLimitKey,
  type RateLimitMark,
  type RateLimitTimeline,
  type RateLimitTimelineOptions,
  type RateLimitWindow,
  type SlidingCounterView,
} from './rateLimit.ts';
export {
  EXPLAINED_ALGORITHMS,
  explainRateLimit,
  figure,
  rateLimitStateDiagram,
  rateLimitTerms,
  secondsFrom,
  type RateLimitExplainOptions,
  type RateLimitExplanation,
  type RateLimitState,
  type RateLimitStateDiagram,
  type RateLimitStep,
  type RateLimitTerms,
  type RateLimitTransition,
} from './rateLimitStates.ts';
export { faultStateAt, type FaultSource, type FaultState } from './faults.ts';
export { compareIds, nodeLabel, roleOf, type NodeRole } from './roles.ts';
export { describeWire, type DescribeOptions } from './wire.ts';
export * from './whiteboard/index.ts';
export {
  describeEvent,
  diffReports,
  firstRawDivergence,
  firstShownDivergence,
  reportFigures,
  shownSequences,
  type DivergentEvent,
  type FigureDiff,
  type RawDivergence,
  type ShownDivergence,
  type ShownEntry,
} from './compare.ts';
