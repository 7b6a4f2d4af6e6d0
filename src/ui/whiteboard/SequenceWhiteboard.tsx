import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { checkSequence, parseSequence, previewSource, type ActualFlow, type SequenceCheck } from '../../diagrams/index.ts';
import { loadMermaid, MermaidView, type MermaidLoader } from '../diagrams/MermaidView.tsx';
import { useSettled } from '../hooks/useSettled.ts';
import { Findings } from './Findings.tsx';
import './whiteboard.css';

/** A syntax problem Mermaid itself reported, where it is (1-based), when it said. */
export interface MermaidSyntaxProblem {
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

/** Mermaid's own check of a text: null when it accepts it. */
export type MermaidSyntaxCheck = (text: string) => Promise<MermaidSyntaxProblem | null>;

/** The parser's error shape: jison's `hash.loc` (1-based lines, 0-based columns). */
interface JisonHash {
  readonly loc?: { readonly first_line?: number; readonly first_column?: number };
  readonly token?: unknown;
  readonly expected?: readonly string[];
}

/** Mermaid's `parse`, with the location its parser gives when it fails. */
export const mermaidSyntax: MermaidSyntaxCheck = async (text) => {
  const api = (await loadMermaid()) as unknown as { parse(text: string): Promise<unknown> };
  try {
    await api.parse(text);
    return null;
  } catch (cause: unknown) {
    const hash = (cause as { hash?: JisonHash } | null)?.hash;
    const line = typeof hash?.loc?.first_line === 'number' ? hash.loc.first_line : null;
    const column = typeof hash?.loc?.first_column === 'number' ? hash.loc.first_column + 1 : null;
    const first = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? 'Mermaid cannot read this diagram';
    const expected = hash?.expected !== undefined && hash.expected.length <= 6 ? ` (expected ${hash.expected.join(', ')})` : '';
    const got = hash?.token !== undefined ? `; got ${String(hash.token)}` : '';
    return { line, column, message: `${first}${got}${expected}` };
  }
};

export interface SequenceWhiteboardProps {
  /** The run's actual path of the followed message (from the workbench's `actualFlow`), or null while there is none. */
  readonly flow: ActualFlow | null;
  /** Why there is no flow yet, shown in its place. */
  readonly flowReason?: string | null;
  readonly theme: 'light' | 'dark';
  /** Moves the workbench to a real hop: its trace seq, and the time it happened (ms) when known. */
  readonly onJumpTo: (seq: number, atMs: number | null) => void;
  /** The editor's starting text. */
  readonly initialText?: string;
  /** Loads Mermaid for the drawings (stories hold it). */
  readonly load?: MermaidLoader;
  /** Mermaid's own syntax check with its error location (default: `mermaid.parse`). */
  readonly syntax?: MermaidSyntaxCheck;
  /** The text as the student leaves it (called once typing pauses), to keep it between visits. */
  readonly onTextChange?: (text: string) => void;
  /** Each check's verdict: true when no difference is an error. */
  readonly onChecked?: (ok: boolean) => void;
}

const STARTER = `sequenceDiagram
    participant A as Client A
    participant GW as API Gateway
    %% draw the path of one message from A to B here
    A->>GW: send`;

/**
 * The sequence whiteboard: the student writes the message flow in Mermaid (live preview, syntax
 * errors at their line and column), then checks it against the run's actual path. The result puts
 * their diagram beside the real one and lists each difference, explained, with a link to the real
 * hop (`onJumpTo(seq)`) and to their own line.
 */
export function SequenceWhiteboard({ flow, flowReason = null, theme, onJumpTo, initialText = STARTER, load, syntax = mermaidSyntax, onTextChange, onChecked }: SequenceWhiteboardProps) {
  const [text, setText] = useState(initialText);
  useSettled(text, initialText, onTextChange);
  const [checked, setChecked] = useState<{ text: string; check: SequenceCheck; flow: ActualFlow } | null>(null);
  const [mermaidProblem, setMermaidProblem] = useState<MermaidSyntaxProblem | null>(null);
  const editor = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const deferred = useDeferredValue(text);
  const ours = useMemo(() => parseSequence(deferred), [deferred]);
  const preview = useMemo(() => previewSource(deferred), [deferred]);

  useEffect(() => {
    let current = true;
    syntax(preview)
      .then((p) => {
        if (current) setMermaidProblem(p);
      })
      .catch(() => {
        if (current) setMermaidProblem(null);
      });
    return () => {
      current = false;
    };
  }, [preview, syntax]);

  const lineCount = text.split(/\r\n|\r|\n/).length;
  const errorLines = new Set(ours.errors.map((e) => e.line));
  if (mermaidProblem?.line != null) errorLines.add(mermaidProblem.line);

  /** Puts the caret at a line and column of the editor and brings it into view. */
  const goTo = (line: number, column = 1): void => {
    const el = editor.current;
    if (el === null) return;
    const lines = el.value.split('\n');
    let at = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += (lines[i]?.length ?? 0) + 1;
    const lineLen = lines[line - 1]?.length ?? 0;
    el.focus();
    el.setSelectionRange(at + Math.min(column - 1, lineLen), at + lineLen);
    const lineHeight = el.scrollHeight / Math.max(1, lines.length);
    el.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  const check = (): void => {
    if (flow === null) return;
    const result = checkSequence(text, flow);
    setChecked({ text, check: result, flow });
    onChecked?.(result.ok);
  };

  const problems = [
    ...ours.errors.map((e) => ({ key: `ours-${e.line}-${e.column}`, line: e.line, column: e.column, message: e.message, who: 'Check' })),
    ...(mermaidProblem === null ? [] : [{ key: 'mermaid', line: mermaidProblem.line, column: mermaidProblem.column, message: mermaidProblem.message, who: 'Mermaid' }]),
  ];

  return (
    <section className="whiteboard" aria-label="Sequence whiteboard">
      <div className="whiteboard-panes">
        <div className="whiteboard-editor">
          <label className="whiteboard-label" htmlFor="wb-sequence-source">
            Your sequence diagram (Mermaid)
          </label>
          <div className="whiteboard-code">
            <div className="whiteboard-gutter" ref={gutter} aria-hidden="true">
              {Array.from({ length: lineCount }, (_, i) => (
                <div key={i} className={errorLines.has(i + 1) ? 'is-error' : undefined} data-testid={errorLines.has(i + 1) ? 'error-line' : undefined}>
                  {i + 1}
                </div>
              ))}
            </div>
            <textarea
              id="wb-sequence-source"
              ref={editor}
              className="mono"
              value={text}
              spellCheck={false}
              wrap="off"
              aria-invalid={problems.length > 0}
              aria-describedby="wb-sequence-problems"
              onChange={(e) => setText(e.target.value)}
              onScroll={(e) => {
                if (gutter.current !== null) gutter.current.scrollTop = e.currentTarget.scrollTop;
              }}
            />
          </div>
          <div id="wb-sequence-problems" aria-live="polite">
            {problems.length === 0 ? (
              <p className="hint">No syntax errors.</p>
            ) : (
              <ul className="whiteboard-problems" aria-label="Syntax errors">
                {problems.map((p) => (
                  <li key={p.key}>
                    <button type="button" className="link-button" disabled={p.line === null} onClick={() => p.line !== null && goTo(p.line, p.column ?? 1)}>
                      {p.line === null ? p.who : `Line ${p.line}${p.column === null ? '' : `, column ${p.column}`}`}
                    </button>{' '}
                    <span>
                      {p.who === 'Mermaid' ? 'Mermaid says: ' : ''}
                      {p.message}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="whiteboard-actions">
            <button type="button" className="primary" onClick={check} disabled={flow === null}>
              Check against the run
            </button>
            {flow === null ? (
              <span className="hint">{flowReason ?? 'Run the scenario until a message has been delivered.'}</span>
            ) : (
              <span className="hint">
                Following {flow.message.id} from {flow.sender} to {flow.receiver} in {flow.message.channel} ({flow.kind} message, sent at t={flow.message.sentAt} ms)
              </span>
            )}
          </div>
        </div>
        <div className="whiteboard-preview">
          <h3 className="whiteboard-label">Preview</h3>
          <MermaidView text={preview} theme={theme} fit label="Your sequence diagram, drawn" {...(load === undefined ? {} : { load })} />
        </div>
      </div>
      {checked !== null && checked.text !== text ? <p className="hint">You have edited the diagram since this check; check again to compare the new version.</p> : null}
      {checked === null ? null : <Result checked={checked} theme={theme} onJumpTo={onJumpTo} goTo={goTo} {...(load === undefined ? {} : { load })} />}
    </section>
  );
}

function Result({
  checked,
  theme,
  onJumpTo,
  goTo,
  load,
}: {
  readonly checked: { text: string; check: SequenceCheck; flow: ActualFlow };
  readonly theme: 'light' | 'dark';
  readonly onJumpTo: (seq: number, atMs: number | null) => void;
  readonly goTo: (line: number) => void;
  readonly load?: MermaidLoader;
}) {
  const { check, flow } = checked;
  const loader = load === undefined ? {} : { load };
  return (
    <section className="whiteboard-result" aria-label="Check result">
      <Findings
        findings={check.findings}
        allClear="No differences: your diagram follows the run’s path."
        linksOf={(f) => (
          <>
            {f.line === null ? null : (
              <button type="button" className="link-button" onClick={() => goTo(f.line as number)}>
                Your line {f.line}
              </button>
            )}
            {f.seq === null ? null : (
              <button type="button" className="link-button" onClick={() => onJumpTo(f.seq as number, f.atMs)}>
                Show the real hop (seq {f.seq}
                {f.atMs === null ? '' : `, t=${f.atMs} ms`})
              </button>
            )}
          </>
        )}
      />
      <div className="whiteboard-side-by-side">
        <figure>
          <figcaption>Your diagram</figcaption>
          <MermaidView text={previewSource(checked.text)} theme={theme} fit={false} label="Your diagram as checked" {...loader} />
        </figure>
        <figure>
          <figcaption>
            The run’s actual path ({flow.message.id}: {flow.sender} → {flow.receiver}); each arrow is labelled with its trace seq
          </figcaption>
          <MermaidView text={flow.text} theme={theme} fit={false} label="The actual path in the run" {...loader} />
        </figure>
      </div>
    </section>
  );
}
