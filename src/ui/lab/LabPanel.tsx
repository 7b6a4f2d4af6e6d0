import { useActorRef, useSelector } from '@xstate/react';
import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { fromPromise } from 'xstate';
import type { Control, ControlValue, Figure, GoalResult, LabManifest, LabStep, PredictionGiven, RunRef, StepOutcome } from '../../workbench/index.ts';
import { awaitingPrediction, currentStep, labProgressMachine, needsWhiteboardCheck, progressOf, savedOf, type ResolveInput, type SavedLab } from '../machines/labProgress.ts';
import { FigureLink, Narration, type FigureAction } from './Narration.tsx';
import { browserStorage, loadProgress, saveProgress, type ProgressStorage } from './progress.ts';
import { RequestTimeline } from './RequestTimeline.tsx';

export interface LabPanelProps {
  readonly lab: LabManifest;
  /** Resolves a step in the worker (the workbench's `labStep`). */
  readonly resolve: (input: ResolveInput) => Promise<StepOutcome>;
  /** The run the workbench shows now (to tell a jump within it from opening another run). */
  readonly loaded: RunRef | null;
  /** Shows a step's run: `reveal` false keeps the playhead at the start (a prediction is pending). */
  readonly onShow: (outcome: StepOutcome, step: LabStep, reveal: boolean) => void;
  /** A figure link: jump in the loaded run, or open the run behind it at the figure's moment. */
  readonly onFigure: FigureAction;
  readonly onSeek: (ms: number) => void;
  /** Where progress is kept (default: localStorage). */
  readonly storage?: ProgressStorage | null;
  /** A new seed asked for from outside (the toolbar); `serial` tells two equal seeds apart. */
  readonly seedRequest?: { readonly seed: number; readonly serial: number } | null;
  /** Opens a run of a sweep (a slider's point) in the workbench, for a step; without it, no slider is shown. */
  readonly onOpenRun?: (run: RunRef, step: LabStep) => void;
  /** Hosts a whiteboard step's check (the page provides it: it needs the workbench's answers). */
  readonly whiteboard?: (diagram: 'sequence' | 'component', step: LabStep, answer: WhiteboardAnswer) => ReactNode;
  /**
   * Where a step's wide content goes (the slider, the whiteboard): an element in the page's
   * diagram area. Without one, the content stays in the panel.
   */
  readonly stage?: HTMLElement | null;
  /** Told what wide content the open step has (null: none), so the page can offer its tab. */
  readonly onStage?: (content: StageContent | null) => void;
  /** Brings the wide content into view (selects its tab). */
  readonly onShowStage?: () => void;
}

/** A step's wide content, for the page's tab. */
export interface StageContent {
  readonly kind: 'sweep' | 'whiteboard' | 'table';
  /** The tab's label. */
  readonly label: string;
  /** Open the tab with the step (a wide table beside a diagram the step is about does not). */
  readonly open: boolean;
}

/** A step's table is wide when it has more than three columns or rows of words: it goes to the diagram area. */
function wideTable(step: LabStep): boolean {
  return step.kind === 'experiment' && step.table !== undefined && (step.table.columns.length > 3 || (step.table.properties?.length ?? 0) > 0);
}

/** What the whiteboard host needs to keep the student's diagram and finish the step. */
export interface WhiteboardAnswer {
  /** The diagram as the student left it, if any. */
  readonly answer: string | undefined;
  readonly onAnswer: (text: string) => void;
  /** A passing check (no difference is an error) finishes the step. */
  readonly onChecked: (ok: boolean) => void;
}

/** The wide content a step has: a slider over a sweep, or a whiteboard. */
export function stageOf(step: LabStep, can: { readonly sweep: boolean; readonly whiteboard: boolean }): StageContent | null {
  if (step.kind === 'experiment' && step.sweep !== undefined && can.sweep) return { kind: 'sweep', label: 'Trade-off', open: true };
  if (step.focus.kind === 'whiteboard' && can.whiteboard) return { kind: 'whiteboard', label: 'Your diagram', open: true };
  if (wideTable(step)) return { kind: 'table', label: 'Comparison', open: step.focus.kind === 'report' };
  return null;
}

/** The slider and its pool of sweep workers load only when a step has one (d3 and the workers stay out of the first load). */
const LabSweep = lazy(() => import('./LabSweep.tsx'));

const KIND_LABEL: Record<LabStep['kind'], string> = { explore: 'Explore', predict: 'Predict', experiment: 'Experiment', check: 'Check' };

/**
 * The lab panel: the lab's steps (each marked done once its goals are met on its run), the open
 * step's narration with every number linked to the run and moment it came from, the student's
 * prediction or controls, and, once the run answered, the explanation and the goals. An XState
 * machine (`labProgress`) drives it; progress survives a reload.
 */
export function LabPanel({ lab, resolve, loaded, onShow, onFigure, onSeek, storage = browserStorage(), seedRequest = null, onOpenRun, whiteboard, stage = null, onStage, onShowStage }: LabPanelProps) {
  const [initial] = useState(() => loadProgress(storage, lab.id));
  const [logic] = useState(() => labProgressMachine.provide({ actors: { resolve: fromPromise(({ input }: { input: ResolveInput }) => resolve(input)) } }));
  const actor = useActorRef(logic, { input: { lab, saved: initial.saved } });
  const ctx = useSelector(actor, (s) => s.context);
  const status = useSelector(actor, (s) => s.value as 'resolving' | 'ready' | 'failed');
  const [note, setNote] = useState<string | null>(initial.note);
  useEffect(() => {
    if (seedRequest !== null) actor.send({ type: 'SEED', seed: seedRequest.seed });
  }, [actor, seedRequest]);

  // Progress is saved on every change of what the student did (not on every outcome).
  const saved: SavedLab = useMemo(() => savedOf(ctx), [ctx.stepIndex, ctx.seed, ctx.steps]); // oxlint-disable-line react/exhaustive-deps
  useEffect(() => {
    if (!saveProgress(storage, lab.id, saved) && storage !== null) setNote('Progress could not be saved in this browser (storage is full or blocked).');
  }, [storage, lab.id, saved]);

  const step = currentStep(ctx);
  const progress = progressOf(ctx);
  const waiting = awaitingPrediction(ctx);
  const outcome = ctx.outcome?.stepId === step.id ? ctx.outcome : null;

  // Each new outcome shows its run in the workbench, at its moment once nothing is left to predict.
  useEffect(() => {
    if (outcome !== null) onShow(outcome, step, !waiting);
    // oxlint-disable-next-line react/exhaustive-deps -- only a new outcome (or a commit) moves the workbench.
  }, [outcome, waiting]);

  // Once a prediction is committed and answered, bring the explanation into view.
  const explanationRef = useRef<HTMLDivElement>(null);
  const [answeredFor, setAnsweredFor] = useState<string | null>(null);
  useEffect(() => {
    if (step.kind !== 'predict' || waiting || outcome === null || answeredFor === outcome.stepId) return;
    setAnsweredFor(outcome.stepId);
    explanationRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [step.kind, waiting, outcome, answeredFor]);

  // A lab with a slider starts its sweep workers (and their first runs) once the open step is
  // shown, so the slider's first points are not paid for cold when the student reaches it.
  const warmed = useRef(false);
  useEffect(() => {
    if (warmed.current || status !== 'ready' || onOpenRun === undefined) return;
    warmed.current = true;
    void import('./LabSweep.tsx').then((m) => m.prewarmSweeps(lab));
  }, [status, lab, onOpenRun]);

  const doneCount = lab.steps.filter((s) => ctx.steps[s.id]?.done === true).length;
  const headingId = useId();

  // The step's wide content (the slider, the whiteboard) goes to the page's diagram area when it has one.
  const content = stageOf(step, { sweep: onOpenRun !== undefined, whiteboard: whiteboard !== undefined });
  const contentKind = content?.kind ?? null;
  const told = useRef(onStage);
  told.current = onStage;
  useEffect(() => {
    told.current?.(content);
    // oxlint-disable-next-line react/exhaustive-deps -- a new step (or kind) is what is told; `content` is rebuilt each render.
  }, [step.id, contentKind]);
  useEffect(() => () => told.current?.(null), []);
  const checkRequired = needsWhiteboardCheck(step);
  // A wide table goes with the wide content when there is a place for it; otherwise it stays here.
  const table = outcome?.table == null ? null : <FigureTable table={outcome.table} loaded={loaded} onFigure={onFigure} />;
  const tableOnStage = stage !== null && wideTable(step);
  const wide =
    content === null || (content.kind === 'table' && !tableOnStage) ? null : content.kind === 'table' ? (
      <div key={step.id} className="lab-stage-table">
        {table ?? <p className="empty">Running the step’s scenarios to their ends…</p>}
      </div>
    ) : content.kind === 'sweep' && step.kind === 'experiment' && step.sweep !== undefined && onOpenRun !== undefined ? (
      <div key={step.id} className="lab-stage-sweep">
        {tableOnStage ? table : null}
        <Suspense fallback={<p className="empty">Loading the trade-off slider…</p>}>
          <LabSweep step={step} sweep={step.sweep} onOpenRun={(run) => onOpenRun(run, step)} />
        </Suspense>
      </div>
    ) : step.focus.kind === 'whiteboard' && whiteboard !== undefined ? (
      <div key={step.id} className="lab-stage-whiteboard">
        {whiteboard(step.focus.diagram, step, {
          answer: progress.answer,
          onAnswer: (text) => actor.send({ type: 'ANSWER', text }),
          onChecked: (ok) => actor.send({ type: 'CHECKED', ok }),
        })}
      </div>
    ) : null;

  return (
    <section className="lab-panel" aria-labelledby={headingId} data-testid="lab-panel" data-status={status}>
      <header className="lab-head">
        <h2 id={headingId}>{lab.title}</h2>
        <p className="lab-summary">{lab.summary}</p>
        <p className="lab-count" data-testid="lab-done-count">
          {doneCount} of {lab.steps.length} steps done · seed {ctx.seed}
        </p>
        <ol className="lab-steps" aria-label="Steps">
          {lab.steps.map((s, i) => {
            const done = ctx.steps[s.id]?.done === true;
            return (
              <li key={s.id}>
                <button type="button" className={`lab-step-button${i === ctx.stepIndex ? ' is-current' : ''}${done ? ' is-done' : ''}`} aria-current={i === ctx.stepIndex ? 'step' : undefined} onClick={() => actor.send({ type: 'GOTO', index: i })}>
                  <span className="lab-step-mark" aria-hidden="true">
                    {done ? '✓' : i + 1}
                  </span>
                  <span className="lab-step-title">{s.title}</span>
                  <span className="visually-hidden">{done ? ' (done)' : ''}</span>
                </button>
              </li>
            );
          })}
        </ol>
      </header>
      {note === null ? null : (
        <p className="notice notice-info lab-note" role="status">
          {note}{' '}
          <button type="button" className="link-button" onClick={() => setNote(null)}>
            Dismiss
          </button>
        </p>
      )}

      <article className="lab-step" aria-label={`Step ${ctx.stepIndex + 1}: ${step.title}`}>
        <h3>
          <span className={`lab-kind kind-${step.kind}`}>{KIND_LABEL[step.kind]}</span> {step.title}
        </h3>
        {outcome === null ? (
          status === 'failed' ? null : (
            <p className="empty" role="status">
              Running the step’s scenario to its end…
            </p>
          )
        ) : (
          <Narration segments={outcome.narration} loaded={loaded} onFigure={onFigure} />
        )}
        {step.watch === undefined || step.watch.length === 0 ? null : (
          <ul className="lab-watch" aria-label="What to watch">
            {step.watch.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}

        {step.kind === 'predict' ? <PredictForm step={step} ctx={{ progress, waiting }} outcome={outcome} busy={status === 'resolving'} onSeek={onSeek} send={actor.send} /> : null}
        {step.kind === 'experiment' && step.controls.length > 0 ? <Controls controls={step.controls} values={progress.controls} busy={status === 'resolving'} onChange={(id, value) => actor.send({ type: 'SET_CONTROL', id, value })} /> : null}

        {status === 'failed' ? (
          <div className="notice notice-error" role="alert">
            <p>{ctx.error}</p>
            <button type="button" className="small" onClick={() => actor.send({ type: 'RETRY' })}>
              Try again
            </button>
          </div>
        ) : null}

        {outcome !== null && !waiting && outcome.explanation !== null ? (
          <div className="lab-explanation" data-testid="lab-explanation" ref={explanationRef}>
            <h4>What the run says</h4>
            {outcome.answer !== null && outcome.judged !== null ? <Verdict outcome={outcome} step={step} loaded={loaded} onFigure={onFigure} /> : null}
            <Narration segments={outcome.explanation} loaded={loaded} onFigure={onFigure} />
          </div>
        ) : null}
        {tableOnStage ? null : table}
        {wide === null || content === null ? null : stage === null ? (
          wide
        ) : (
          <>
            {createPortal(wide, stage)}
            <p className="lab-stage-note" data-testid="lab-stage-note">
              {content.kind === 'sweep'
                ? 'The slider and its runs are in the main area, under “Trade-off”.'
                : content.kind === 'table'
                  ? 'The table of measured figures is in the main area, under “Comparison”.'
                  : 'Your diagram is drawn and checked in the main area, under “Your diagram”.'}{' '}
              {onShowStage === undefined ? null : (
                <button type="button" className="link-button" onClick={onShowStage}>
                  Show it
                </button>
              )}
            </p>
          </>
        )}
        {outcome === null || waiting ? null : <Goals goals={outcome.goals.map((g) => g.result)} met={outcome.met && (!checkRequired || progress.done)} whiteboard={checkRequired ? progress.done : null} runEnd={outcome.endMs} onSeek={onSeek} />}

        <nav className="lab-nav" aria-label="Step navigation">
          <button type="button" onClick={() => actor.send({ type: 'PREV' })} disabled={ctx.stepIndex === 0}>
            Previous
          </button>
          <button type="button" className={progress.done ? 'primary' : ''} onClick={() => actor.send({ type: 'NEXT' })} disabled={ctx.stepIndex === lab.steps.length - 1}>
            Next step
          </button>
        </nav>
      </article>
    </section>
  );
}

type Send = (e: Parameters<ReturnType<typeof useActorRef<typeof labProgressMachine>>['send']>[0]) => void;

function PredictForm({ step, ctx, outcome, busy, onSeek, send }: { step: Extract<LabStep, { kind: 'predict' }>; ctx: { progress: ReturnType<typeof progressOf>; waiting: boolean }; outcome: StepOutcome | null; busy: boolean; onSeek: (ms: number) => void; send: Send }) {
  const { progress, waiting } = ctx;
  const committed = progress.prediction;
  const legendId = useId();
  const [choice, setChoice] = useState<string | null>(committed?.kind === 'choice' ? committed.option : null);
  const [number, setNumber] = useState<string>(committed?.kind === 'number' ? String(committed.value) : '');
  const requestsControl = step.prediction.kind === 'allowDeny' ? (step.controls ?? []).find((c) => c.id === (step.prediction as { control: string }).control) : undefined;
  const seconds = requestsControl?.kind === 'requestTimes' ? ([...((progress.controls[requestsControl.id] as readonly number[] | undefined) ?? requestsControl.initial)].sort((a, b) => a - b) as number[]) : [];
  const [predicted, setPredicted] = useState<(boolean | null)[]>(() => (committed?.kind === 'allowDeny' ? [...committed.allowed] : seconds.map(() => null)));

  const given: PredictionGiven | null =
    step.prediction.kind === 'choice'
      ? choice === null
        ? null
        : { kind: 'choice', option: choice }
      : step.prediction.kind === 'number'
        ? number.trim() === '' || !Number.isFinite(Number(number))
          ? null
          : { kind: 'number', value: Number(number) }
        : seconds.length > 0 && predicted.length === seconds.length && predicted.every((p) => p !== null)
          ? { kind: 'allowDeny', allowed: predicted as boolean[] }
          : null;
  const locked = !waiting;
  const verdicts = !waiting && outcome?.answer?.kind === 'allowDeny' ? outcome.answer.decisions : null;

  return (
    <form
      className="lab-predict"
      aria-labelledby={legendId}
      onSubmit={(event) => {
        event.preventDefault();
        if (given !== null && waiting) send({ type: 'COMMIT', prediction: given });
      }}
    >
      <p id={legendId} className="lab-question">
        {step.question}
      </p>
      {step.prediction.kind === 'choice' ? (
        <div className="lab-options" role="radiogroup" aria-labelledby={legendId}>
          {step.prediction.options.map((o) => (
            <label key={o.id} className={`lab-option${choice === o.id ? ' is-selected' : ''}`}>
              <input type="radio" name={`${step.id}-choice`} value={o.id} checked={choice === o.id} disabled={locked} onChange={() => setChoice(o.id)} />
              {o.label}
            </label>
          ))}
        </div>
      ) : step.prediction.kind === 'number' ? (
        <label className="field lab-number">
          <span>Your estimate ({step.prediction.unit})</span>
          <input type="number" min={step.prediction.min} max={step.prediction.max} step={1} value={number} disabled={locked} onChange={(e) => setNumber(e.currentTarget.value)} />
        </label>
      ) : requestsControl?.kind === 'requestTimes' ? (
        <RequestTimeline
          label={requestsControl.label}
          seconds={seconds}
          maxSeconds={requestsControl.maxSeconds}
          maxCount={requestsControl.maxCount}
          predicted={predicted}
          verdicts={verdicts}
          locked={locked}
          onSeconds={(s) => send({ type: 'SET_CONTROL', id: requestsControl.id, value: s })}
          onPredicted={setPredicted}
          onSeek={onSeek}
        />
      ) : null}
      <div className="lab-actions">
        {waiting ? (
          <button type="submit" className="primary" disabled={given === null || busy}>
            Commit and run
          </button>
        ) : (
          <button
            type="button"
            onClick={() => {
              send({ type: 'REVISE' });
            }}
          >
            Predict again
          </button>
        )}
        {waiting && given === null ? <span className="field-hint">{step.prediction.kind === 'allowDeny' ? 'Mark every request allow or deny.' : 'Choose an answer first.'}</span> : null}
      </div>
    </form>
  );
}

function Verdict({ outcome, step, loaded, onFigure }: { outcome: StepOutcome; step: LabStep; loaded: RunRef | null; onFigure: FigureAction }) {
  const judged = outcome.judged;
  const answer = outcome.answer;
  if (judged === null || answer === null || step.kind !== 'predict') return null;
  const all = judged.right === judged.of;
  let said: ReactNode = null;
  if (answer.kind === 'choice' && step.prediction.kind === 'choice') said = `The run’s answer: ${step.prediction.options.find((o) => o.id === answer.option)?.label ?? 'none of the options'}.`;
  // The number that answers is a measured figure like any other: it links to its run.
  if (answer.kind === 'number')
    said = (
      <>
        The run’s answer: <FigureLink figure={answer.figure} loaded={loaded} onFigure={onFigure} />.
      </>
    );
  if (answer.kind === 'allowDeny') said = `You called ${judged.right} of ${judged.of} verdicts right.`;
  return (
    <p className={`lab-verdict ${all ? 'is-right' : 'is-wrong'}`} data-testid="lab-verdict">
      <strong>{all ? 'Your prediction was right.' : judged.right === 0 ? 'Your prediction was wrong.' : 'Partly right.'}</strong> {said}
    </p>
  );
}

function Controls({ controls, values, busy, onChange }: { controls: readonly Control[]; values: Readonly<Record<string, ControlValue>>; busy: boolean; onChange: (id: string, value: ControlValue) => void }) {
  return (
    <div className="lab-controls" aria-busy={busy}>
      {controls.map((c) => {
        const value = values[c.id] ?? c.initial;
        if (c.kind === 'choice') {
          return (
            <label key={c.id} className="field">
              <span>{c.label}</span>
              <select
                value={String(value)}
                onChange={(e) => {
                  const picked = c.options.find((o) => String(o.value) === e.currentTarget.value);
                  if (picked !== undefined) onChange(c.id, picked.value);
                }}
              >
                {c.options.map((o) => (
                  <option key={String(o.value)} value={String(o.value)}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        if (c.kind === 'number') {
          return (
            <label key={c.id} className="field">
              <span>
                {c.label}: {String(value)} {c.unit ?? ''}
              </span>
              <input type="range" min={c.min} max={c.max} step={c.step} value={Number(value)} onChange={(e) => onChange(c.id, Number(e.currentTarget.value))} />
            </label>
          );
        }
        return null;
      })}
      {busy ? (
        <p className="field-hint" role="status">
          Running this setting to its end…
        </p>
      ) : (
        <p className="field-hint">Every change is a new run of the same scenario and seed.</p>
      )}
    </div>
  );
}

function FigureTable({ table, loaded, onFigure }: { table: NonNullable<StepOutcome['table']>; loaded: RunRef | null; onFigure: FigureAction }) {
  return (
    <table className="lab-table" data-testid="lab-table">
      <caption>
        {table.caption}
        {table.properties.length === 0 ? null : <span className="lab-table-note"> The first rows say what each one is; the rows below are measured on the runs (each number opens its run).</span>}
      </caption>
      <thead>
        <tr>
          <th scope="col" />
          {table.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      {table.properties.length === 0 ? null : (
        <tbody className="lab-table-properties" aria-label="What each one is (the protocol, not a measurement)">
          {table.properties.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              {p.cells.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      )}
      <tbody>
        {table.rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            {r.figures.map((f: Figure) => (
              <td key={f.id} className="num">
                <Narration segments={[{ kind: 'figure', figure: f }]} loaded={loaded} onFigure={onFigure} className="lab-cell" />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Goals({ goals, met, whiteboard, runEnd, onSeek }: { goals: readonly GoalResult[]; met: boolean; whiteboard: boolean | null; runEnd: number; onSeek: (ms: number) => void }) {
  return (
    <div className={`lab-goals${met ? ' is-met' : ''}`} data-testid="lab-goals" data-met={met}>
      <h4>{met ? 'Goal met' : 'Goal not met yet'}</h4>
      <ul>
        {goals.map((g, i) => (
          <li key={i} className={g.met ? 'is-met' : ''}>
            <span aria-hidden="true">{g.met ? '✓' : '○'}</span> {g.explanation}{' '}
            {g.evidence === null ? null : (
              <button type="button" className="link-button" onClick={() => onSeek(Math.min(runEnd, Math.floor(g.evidence?.at ?? 0) + 1))}>
                Show the moment
              </button>
            )}
          </li>
        ))}
        {whiteboard === null ? null : (
          <li className={whiteboard ? 'is-met' : ''} data-testid="lab-goal-whiteboard">
            <span aria-hidden="true">{whiteboard ? '✓' : '○'}</span> {whiteboard ? 'Your diagram passed the check against the run.' : 'Your diagram passes the check against the run (no difference marked as an error).'}
          </li>
        )}
      </ul>
    </div>
  );
}
