/**
 * The whiteboard check's panels: a student's own sequence diagram (Mermaid editor, live preview,
 * check against the run's actual path) and component diagram (React Flow canvas with a palette,
 * check against the cluster's components). The lab framework hosts them; the data comes from the
 * workbench's `actualFlow` and `actualComponents`, the comparison from `diagrams/whiteboard`.
 *
 * @example
 * // In a lab step, once the run has delivered a message (the client is the page's SimClient):
 * const r = await client.actualFlow({ kind: 'group' });
 * <SequenceWhiteboard
 *   flow={r.ok ? r.flow : null}
 *   flowReason={r.ok ? null : r.reason}
 *   theme={theme}
 *   // A seek to t runs what happened before t: 1 µs later shows the hop (then select `seq` in the table).
 *   onJumpTo={(seq, atMs) => void client.seekTo((atMs ?? 0) + 0.001)}
 * />
 * <ComponentWhiteboard cluster={await client.actualComponents()} theme={theme} />
 */
export { SequenceWhiteboard, mermaidSyntax, type MermaidSyntaxCheck, type MermaidSyntaxProblem, type SequenceWhiteboardProps } from './SequenceWhiteboard.tsx';
export { ComponentWhiteboard, type ComponentWhiteboardProps } from './ComponentWhiteboard.tsx';
export { drawingText, parseDrawing, type SavedDrawing } from './drawing.ts';
