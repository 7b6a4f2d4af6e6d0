/**
 * The whiteboard check: a student's own diagrams against the run. `parse.ts` reads the Mermaid
 * sequence diagram a student writes; `names.ts` maps their participant names to the cluster's
 * roles; `flow.ts` builds the actual path of a message from the trace; `compareSequence.ts` and
 * `compareComponents.ts` say what differs, each finding explained and linked to the real hop.
 * Pure data in, data out: no Mermaid, React or DOM here (the editor and canvas live in `ui`).
 */
export { MAX_SOURCE_CHARS, STUDENT_ARROWS, parseSequence, type ParseError, type ParsedSequence, type StudentArrow, type StudentMessage, type StudentNote, type StudentParticipant } from './parse.ts';
export { previewSource } from './preview.ts';
export { meaningOfName, meaningOfParticipant, normaliseName, roleWords, type NameMeaning, type WbRole, type WbSide } from './names.ts';
export { actualFlow, type ActualFlow, type FlowHop, type FlowParticipant, type FlowQuery, type FlowResult, type FlowStep } from './flow.ts';
export { checkSequence, compareSequence, type ArrowMatch, type FindingKind, type ParticipantReading, type SequenceCheck, type WbFinding } from './compareSequence.ts';
export {
  COMPONENT_PALETTE,
  clusterComponentsOf,
  compareComponents,
  type ClusterComponents,
  type ClusterConnection,
  type ComponentCheck,
  type ComponentFinding,
  type ComponentKind,
  type StudentComponentGraph,
} from './compareComponents.ts';
