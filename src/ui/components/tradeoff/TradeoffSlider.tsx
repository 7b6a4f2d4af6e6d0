import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { figureDoc, planSweep, spreadByPoint, type FigureSpread, type SweepSpec } from '../../../sim/index.ts';
import type { SweepPool, SweepProgress, SweepRun } from '../../runtime/sweepPool.ts';
import { TradeoffChart, formatFigure, valueLabel, type ChartDot } from './TradeoffChart.tsx';
import './tradeoff.css';

/** The run a click asks the workbench to open: the sweep's scenario, the point's patch, the seed. */
export interface OpenRunRequest {
  readonly scenario: SweepSpec['scenario'];
  readonly patch: unknown;
  readonly seed: number;
}

export interface TradeoffSliderProps {
  /** The sweep: one axis (the slider's), its values, and the seeds that give each point its spread. */
  readonly spec: SweepSpec;
  readonly pool: SweepPool;
  /** Figures drawn as charts against the axis (names from SWEEP_FIGURES: `latency.p99Ms`). */
  readonly figures: readonly string[];
  /** Figures in the table at the slider's value (default: the charted ones). */
  readonly tableFigures?: readonly string[];
  /** A heading, e.g. the trade-off's question. */
  readonly title?: string;
  /** Opens a run in the workbench (the lab layer decides how). */
  readonly onOpenRun: (run: OpenRunRequest) => void;
  /** The slider's first position (an index into the axis's values). */
  readonly initialIndex?: number;
  readonly chartWidth?: number;
}

const IDLE: SweepProgress = { done: 0, total: 0, cached: 0, status: 'running', error: null };

/** Subscribes to a sweep run's progress (and through it, its results). */
function useSweep(run: SweepRun | null): SweepProgress {
  return useSyncExternalStore(
    (listener) => (run === null ? () => undefined : run.subscribe(listener)),
    () => (run === null ? IDLE : progressOf(run)),
  );
}

// useSyncExternalStore needs the same object until something changes: keep one per run and
// replace it when the run's counts or status move.
const progressCache = new WeakMap<SweepRun, SweepProgress>();
function progressOf(run: SweepRun): SweepProgress {
  const p = run.progress();
  const kept = progressCache.get(run);
  if (kept !== undefined && kept.done === p.done && kept.status === p.status && kept.cached === p.cached) return kept;
  progressCache.set(run, p);
  return p;
}

/**
 * A trade-off slider: moving it along one axis of a real sweep updates the charts (each figure's
 * min–max band across seeds and its median) and a table of the figures measured at its value.
 * Every point is a set of real runs from the pool (cached by scenario and seed, so going back is
 * instant); a dot names its scenario and seed on hover and opens its run on click.
 *
 * @example
 * <TradeoffSlider spec={{ scenario: 'group-chat', axes: [{ path: 'topology.wsServers', values: [1, 2, 4] }], seeds: [1, 2, 3] }}
 *   pool={pool} figures={['latency.p99Ms']} onOpenRun={open} />
 */
export function TradeoffSlider({ spec, pool, figures, tableFigures = figures, title, onOpenRun, initialIndex = 0, chartWidth = 420 }: TradeoffSliderProps) {
  const specKey = JSON.stringify(spec);
  // The spec's content, not its identity, decides the plan (a parent may rebuild the object each render).
  const planned = useMemo(() => planSweep(JSON.parse(specKey) as SweepSpec), [specKey]);
  const plan = planned.ok ? planned.plan : null;
  const axis = spec.axes[0];
  const [index, setIndex] = useState(initialIndex);
  const [run, setRun] = useState<SweepRun | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [hover, setHover] = useState<ChartDot | null>(null);

  useEffect(() => {
    if (plan === null || spec.axes.length !== 1) return undefined;
    const r = pool.run(plan);
    setRun(r);
    // Leaving (or changing the sweep) stops its runs; what finished stays in the pool's cache.
    return () => r.cancel();
  }, [plan, pool, attempt, spec.axes.length]);

  // Until the effect has started the new spec's sweep, the old one's results are not this plan's.
  const current = run !== null && run.plan === plan ? run : null;
  const progress = useSweep(current);
  if (!planned.ok) return <SweepErrors title={title} errors={planned.errors} />;
  if (spec.axes.length !== 1 || axis === undefined || plan === null) return <SweepErrors title={title} errors={['a trade-off slider moves along one axis: give the sweep exactly one']} />;

  const results = current?.results() ?? [];
  const selected = Math.min(Math.max(0, index), axis.values.length - 1);
  const scenarioName = typeof spec.scenario === 'string' ? spec.scenario : 'this scenario';
  const labelOf = (point: number, seed: number): string => `${scenarioName} · ${axis.path}=${valueLabel(axis.values[point])} · seed ${seed}`;
  const open = (point: number, seed: number): void => onOpenRun({ scenario: spec.scenario, patch: plan.points[point]?.patch, seed });
  const move = (i: number): void => {
    setIndex(i);
    current?.prioritize(i);
  };

  return (
    <section className="tradeoff" aria-label={title ?? `Trade-off along ${axis.path}`}>
      {title === undefined ? null : <h3 className="tradeoff-title">{title}</h3>}
      <SweepProgressBar progress={progress} onCancel={() => current?.cancel()} onResume={() => setAttempt((a) => a + 1)} />
      <label className="tradeoff-slider">
        <span>{axis.path}</span>
        <input
          type="range"
          min={0}
          max={axis.values.length - 1}
          step={1}
          value={selected}
          aria-label={axis.path}
          aria-valuetext={valueLabel(axis.values[selected])}
          onChange={(e) => move(Number(e.currentTarget.value))}
        />
        <output data-testid="tradeoff-value">{valueLabel(axis.values[selected])}</output>
      </label>
      <div className="tradeoff-charts">
        {figures.map((figure) => {
          const dots = results.flatMap((r): ChartDot[] => {
            const v = r.figures[figure];
            return typeof v === 'number' ? [{ result: r, value: v, label: labelOf(r.point, r.seed) }] : [];
          });
          return (
            <TradeoffChart
              key={figure}
              figure={figure}
              unit={figureDoc(figure)?.unit ?? ''}
              axisValues={axis.values}
              spread={spreadByPoint(plan, results, figure)}
              dots={dots}
              selected={selected}
              width={chartWidth}
              onHover={setHover}
              onOpen={(d) => open(d.result.point, d.result.seed)}
            />
          );
        })}
      </div>
      <p className="tradeoff-hover" role="status" data-testid="tradeoff-hover">
        {hover === null ? 'Point at a dot to see which run it is; click it to open that run.' : `${hover.label}: ${formatFigure(hover.value)}`}
      </p>
      <FigureTable
        figures={tableFigures}
        seeds={spec.seeds}
        results={results.filter((r) => r.point === selected)}
        spreadOf={(f) => spreadByPoint(plan, results, f).find((s) => s.point === selected)}
        caption={`Measured at ${axis.path} = ${valueLabel(axis.values[selected])}`}
        onOpen={(seed) => open(selected, seed)}
        labelOf={(seed) => labelOf(selected, seed)}
      />
    </section>
  );
}

function SweepErrors({ title, errors }: { title: string | undefined; errors: readonly string[] }) {
  return (
    <section className="tradeoff" aria-label={title ?? 'Trade-off'}>
      <div role="alert" className="tradeoff-errors">
        <p>This sweep cannot run:</p>
        <ul>
          {errors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function SweepProgressBar({ progress, onCancel, onResume }: { progress: SweepProgress; onCancel: () => void; onResume: () => void }) {
  const { done, total, cached, status } = progress;
  const text =
    status === 'cancelled'
      ? `Cancelled at ${done} of ${total} runs`
      : status === 'failed'
        ? `Failed after ${done} of ${total} runs: ${progress.error ?? ''}`
        : `${done} of ${total} runs${cached > 0 ? ` (${cached} from the cache)` : ''}`;
  return (
    <div className="tradeoff-progress">
      <progress aria-label="Sweep progress" value={done} max={Math.max(1, total)} />
      <span data-testid="sweep-progress">{text}</span>
      {status === 'running' ? (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : status === 'done' ? null : (
        <button type="button" onClick={onResume}>
          Run the rest
        </button>
      )}
    </div>
  );
}

interface FigureTableProps {
  readonly figures: readonly string[];
  readonly seeds: readonly number[];
  readonly results: readonly { readonly seed: number; readonly figures: Readonly<Record<string, number | null>> }[];
  readonly spreadOf: (figure: string) => FigureSpread | undefined;
  readonly caption: string;
  readonly onOpen: (seed: number) => void;
  readonly labelOf: (seed: number) => string;
}

/** The figures at the slider's value: one column per seed (its header opens that run), then the spread. */
function FigureTable({ figures, seeds, results, spreadOf, caption, onOpen, labelOf }: FigureTableProps) {
  const bySeed = new Map(results.map((r) => [r.seed, r]));
  return (
    // A narrow host (the lab panel) scrolls the table sideways rather than cutting its columns off.
    <div className="tradeoff-table-wrap" role="region" aria-label={`${caption} (scrolls sideways)`} tabIndex={0}>
      <table className="tradeoff-table" aria-label={caption}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Unit</th>
            {seeds.map((s) => (
              <th scope="col" key={s}>
                {bySeed.has(s) ? (
                  <button type="button" className="tradeoff-open" title={`Open ${labelOf(s)}`} aria-label={`Open ${labelOf(s)}`} onClick={() => onOpen(s)}>
                    {`seed ${s}`}
                  </button>
                ) : (
                  `seed ${s}`
                )}
              </th>
            ))}
            <th scope="col">Median</th>
            <th scope="col">Min – max</th>
          </tr>
        </thead>
        <tbody>
          {figures.map((f) => {
            const xs = seeds.map((s) => bySeed.get(s)?.figures[f]);
            const spread = spreadOf(f);
            return (
              <tr key={f}>
                <th scope="row">{f}</th>
                <td>{figureDoc(f)?.unit ?? ''}</td>
                {xs.map((x, i) => (
                  <td key={seeds[i]}>{bySeed.has(seeds[i] as number) ? formatFigure(x) : 'computing…'}</td>
                ))}
                <td data-testid={`median-${f}`}>{formatFigure(spread?.median)}</td>
                <td>{spread === undefined || spread.min === null ? '–' : `${formatFigure(spread.min)} – ${formatFigure(spread.max)}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
