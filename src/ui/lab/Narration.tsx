import type { Figure, RunRef, Segment } from '../../workbench/index.ts';

/** True when two runs are the same run (scenario, seed and patch). */
export function sameRun(a: RunRef | null, b: RunRef | null): boolean {
  return a !== null && b !== null && a.scenario === b.scenario && a.seed === b.seed && JSON.stringify(a.patch) === JSON.stringify(b.patch);
}

/** What a figure link does: move the playhead in the loaded run, or open the run behind it. */
export type FigureAction = (figure: Figure) => void;

/** Describes where a figure comes from, for its link's title. */
export function figureSource(figure: Figure, loaded: RunRef | null): string {
  const run = `${figure.run.scenario}${figure.run.patch === null ? '' : ' (lab variant)'}, seed ${figure.run.seed}`;
  const when = figure.at === null ? 'over the whole run' : `at t = ${(figure.at / 1000).toFixed(3)} s`;
  return `${figure.label}: measured ${when} of ${run}. ${sameRun(figure.run, loaded) ? 'Jump to the moment.' : 'Open this run.'}`;
}

/** One measured number: a button that jumps to its moment or opens its run. */
export function FigureLink({ figure, loaded, onFigure }: { figure: Figure; loaded: RunRef | null; onFigure: FigureAction }) {
  const same = sameRun(figure.run, loaded);
  return (
    <button
      type="button"
      className={`figure-link${same ? '' : ' is-other-run'}`}
      title={figureSource(figure, loaded)}
      aria-label={`${figure.text} (${figure.label}; ${same ? 'jump to the moment' : `open ${figure.run.scenario}, seed ${figure.run.seed}`})`}
      data-figure={figure.id}
      onClick={() => onFigure(figure)}
    >
      {figure.text}
    </button>
  );
}

/** Narration with its figures as links; the text itself is rendered as text, never as markup. */
export function Narration({ segments, loaded, onFigure, className = 'lab-narration' }: { segments: readonly Segment[]; loaded: RunRef | null; onFigure: FigureAction; className?: string }) {
  return (
    <p className={className}>
      {segments.map((s, i) => (s.kind === 'text' ? <span key={i}>{s.text}</span> : <FigureLink key={i} figure={s.figure} loaded={loaded} onFigure={onFigure} />))}
    </p>
  );
}
