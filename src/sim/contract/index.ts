/**
 * The contract of the simulation: the trace vocabulary (every event type with its data), the wire
 * protocol, the operator's verbs, the report shape and the one reader of message references in
 * payloads. A leaf: it imports nothing else from `src/sim`, and every other part of the
 * simulation, and every layer above it, reads and writes the trace through these types.
 */
export {
  EVENT_FIELDS,
  eventShapeProblem,
  eventsOfType,
  isEvent,
  isKnownEventType,
  type ClusterEventData,
  type ClusterEventType,
  type DemoEventData,
  type DropReason,
  type EventOf,
  type FieldPresence,
  type KernelEventData,
  type KernelEventType,
  type LimiterDecisionData,
  type LimiterDetail,
  type NodeEventType,
  type OpEventData,
  type TraceData,
  type TraceEvent,
  type TraceEventData,
  type TraceEventType,
} from './events.ts';
export { channelMembers, type ClusterInfo } from './cluster.ts';
export { DRAIN_GRACE_MS_DEFAULT, OP_EVENT, isOpEvent, isUserAction, opsFromTrace, userMembershipOf, userSendOf, type Op, type OpEventType, type OpEventTypes, type OpOf, type OpVerb, type Ratio, type ScheduledOp } from './ops.ts';
export {
  CLIENT_FRAME_TYPES,
  SERVER_FRAME_TYPES,
  WIRE_TYPES,
  isDataCall,
  readWire,
  type AuthRefusal,
  type DataCalls,
  type ChatMessage,
  type ReplyRef,
  type MembershipAction,
  type ClientFrame,
  type DisconnectReason,
  type SendErrorCode,
  type ServerFrame,
  type Transport,
  type WireMsg,
} from './protocol.ts';
export { eventMessageRefs, messageRefs, namesAMessage, type MessageRefs } from './refs.ts';
export type { LatencyPercentiles, NodeFigures, RunCounts, RunReport, TrafficFigures, TransportCosts, Violation, ViolationSubject, WorkerFigures } from './report.ts';
