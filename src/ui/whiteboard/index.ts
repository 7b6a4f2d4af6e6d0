/**
 * The whiteboard check's panels: a student's own sequence diagram (Mermaid editor, live preview,
 * check against the run's actual path) and component diagram (React Flow canvas with a palette,
 * check against the cluster's components). The lab framework hosts them; the data comes from the
 * workbench's `actualFlow` and `actualComponents`, the comparison from `diagrams/whiteboard`.
 */
export { SequenceWhiteboard, mermaidSyntax, type MermaidSyntaxCheck, type MermaidSyntaxProblem, type SequenceWhiteboardProps } from './SequenceWhiteboard.tsx';
export { ComponentWhiteboard, type ComponentWhiteboardProps } from './ComponentWhiteboard.tsx';
