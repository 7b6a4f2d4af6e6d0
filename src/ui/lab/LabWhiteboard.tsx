/**
 * A lab step's whiteboard check (ADR 0020, 0021): the student's own diagram checked against the
 * run on screen, the sequence diagram against the actual path of a private or group message, the
 * component diagram against the cluster's components and connections. The references come from
 * the workbench at the playhead and follow the run. Loaded lazily by the page (Mermaid's parser
 * and React Flow's canvas stay out of the first load).
 */
import { useState } from 'react';
import type { ClusterComponents, FlowResult } from '../../diagrams/index.ts';
import { useRunQuery } from '../session/useRunQuery.ts';
import type { Session } from '../session/session.ts';
import { ComponentWhiteboard, parseDrawing, SequenceWhiteboard } from '../whiteboard/index.ts';

export interface LabWhiteboardProps {
  readonly session: Session;
  /** The run shown now (a new one asks again). */
  readonly runId: number;
  readonly diagram: 'sequence' | 'component';
  /** For the sequence diagram: follow a private or a group message. */
  readonly flow: 'private' | 'group';
  readonly theme: 'light' | 'dark';
  /** Moves the workbench to a real hop. */
  readonly onJumpTo: (seq: number, atMs: number | null) => void;
  /** The student's diagram as they left it (Mermaid text, or a drawing as JSON), if any. */
  readonly answer?: string | undefined;
  /** Keeps the diagram as it changes. */
  readonly onAnswer?: (text: string) => void;
  /** Each check's verdict (a passing check finishes the step). */
  readonly onChecked?: (ok: boolean) => void;
}

export default function LabWhiteboard({ session, runId, diagram, flow, theme, onJumpTo, answer, onAnswer, onChecked }: LabWhiteboardProps) {
  // What the student left is read once, when the whiteboard opens; a damaged drawing starts empty.
  const [kept] = useState(() => (answer === undefined || diagram === 'sequence' ? null : parseDrawing(answer)));
  const checks = { ...(onAnswer === undefined ? {} : diagram === 'sequence' ? { onTextChange: onAnswer } : { onChange: onAnswer }), ...(onChecked === undefined ? {} : { onChecked }) };
  const actual = useRunQuery<FlowResult>(session, (c) => c.actualFlow({ kind: flow }), [flow, runId], { throttleMs: 500, enabled: diagram === 'sequence' });
  const components = useRunQuery<ClusterComponents>(session, (c) => c.actualComponents(), [runId], { throttleMs: 500, enabled: diagram === 'component' });
  return (
    <section className="lab-whiteboard" aria-label={diagram === 'sequence' ? 'Your sequence diagram' : 'Your component diagram'} data-testid="lab-whiteboard">
      {diagram === 'sequence' ? (
        <SequenceWhiteboard
          flow={actual.data?.ok === true ? actual.data.flow : null}
          flowReason={actual.data === null ? 'Reading the run…' : actual.data.ok ? null : actual.data.reason}
          theme={theme}
          onJumpTo={onJumpTo}
          {...(answer === undefined ? {} : { initialText: answer })}
          {...checks}
        />
      ) : (
        <ComponentWhiteboard cluster={components.data} theme={theme} {...(kept === null ? {} : { initial: kept })} {...checks} />
      )}
    </section>
  );
}
