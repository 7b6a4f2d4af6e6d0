import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { figureDoc, planSweep, spreadByPoint, type FigureSpread, type SweepPlan, type SweepResult, type SweepSpec } from '../../../sim/index.ts';
import type { SweepPool, SweepProgress, SweepRun } from '../../runtime/sweepPool.ts';
import { SERIES_STYLES, TradeoffChart, TradeoffLegend, formatFigure, markerPath, valueLabel, type ChartDot, type ChartSeries, type ChartSpread } from './TradeoffChart.tsx';
import './tradeoff.css';

/** The run a click asks the workbench to open: the sweep's scenario, the point's patch, the seed. */
export interface OpenRunRequest {
  readonly scenario: SweepSpec['scenario'];
  readonly patch: unknown;
  readonly seed: number;
}

export interface TradeoffSliderProps {
  /**
   * The sweep: its first axis is the slider's; an optional second axis draws one line per value
   * in every chart (with a legend) and one block per value in the table. Seeds give each point its
   * spread.
   */
  readonly spec: SweepSpec;
  readonly pool: SweepPool;
  /** Figures drawn as charts against the axis (names from SWEEP_FIGURES: `latency.p99Ms`). */
  readonly figures: readonly string[];
  /** Figures in the table at the slider's value (default: the charted ones). */
  readonly tableFigures?: readonly string[];
  /** A heading, e.g. the trade-off's question. */
  readonly title?: string;
  /** Names for the second axis's values in the legend and the table (`no broker`), in its order; the raw value is shown beside them. */
  readonly seriesLabels?: readonly string[];
  /** Opens a run in the workbench (the lab layer decides how). */
  readonly onOpenRun: (run: OpenRunRequest) => void;
  /** The slider's name in the reader's words (`WebSocket servers`); default: the field's path. */
  readonly axisLabel?: string;
  /** Names for the slider's values, in order (needed when a value is a list or an object: `a group of 8`); default: the values. */
  readonly axisValueLabels?: readonly string[];
  /** Figures named in the reader's words (`sender's server CPU`), by sweep figure name; the name itself stays in the tooltip. */
  readonly figureLabels?: Readonly<Record<string, string>>;
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
 * Where a plan's point sits: its position on the slider's axis and its line (the second axis's
 * value; 0 for a one-axis sweep). `planSweep` lays points out with the first axis outermost.
 */
export function pointPosition(plan: SweepPlan, point: number): { readonly x: number; readonly line: number } {
  const lines = plan.spec.axes[1]?.values.length ?? 1;
  return { x: Math.floor(point / lines), line: point % lines };
}

/** The plan's point at a slider position and a line. */
export function pointAt(plan: SweepPlan, x: number, line: number): number {
  return x * (plan.spec.axes[1]?.values.length ?? 1) + line;
}

/** One line's spread along the slider's axis (positions without results are left out). */
function lineSpread(plan: SweepPlan, results: readonly SweepResult[], figure: string, line: number): ChartSpread[] {
  return spreadByPoint(plan, results, figure)
    .filter((s) => pointPosition(plan, s.point).line === line)
    .map((s) => ({ x: pointPosition(plan, s.point).x, min: s.min, median: s.median, max: s.max }));
}

/**
 * A trade-off slider: moving it along one axis of a real sweep updates the charts (each figure's
 * min–max band across seeds and its median) and a table of the figures measured at its value.
 * A second axis, when the sweep has one, is drawn as one line per value (told apart by colour,
 * dash and marker, with a legend). Every point is a set of real runs from the pool (cached by
 * scenario and seed, so going back is instant); a marker names its scenario, both axis values and
 * its seed on hover and opens its run on click.
 *
 * @example
 * <TradeoffSlider spec={{ scenario: 'no-broker', axes: [{ path: 'topology.wsServers', values: [2, 4, 8] }, { path: 'broker.kind', values: ['none', 'redis'] }], seeds: [1, 2, 3] }}
 *   pool={pool} figures={['latency.p99Ms']} seriesLabels={['no broker', 'broker']} onOpenRun={open} />
 */
export function TradeoffSlider({ spec, pool, figures, tableFigures = figures, title, seriesLabels, axisLabel, axisValueLabels, figureLabels, onOpenRun, initialIndex = 0, chartWidth = 420 }: TradeoffSliderProps) {
  const specKey = JSON.stringify(spec);
  // The spec's content, not its identity, decides the plan (a parent may rebuild the object each render).
  const planned = useMemo(() => planSweep(JSON.parse(specKey) as SweepSpec), [specKey]);
  const plan = planned.ok ? planned.plan : null;
  const axis = spec.axes[0];
  const second = spec.axes[1];
  const axisName = axisLabel ?? axis?.path ?? '';
  const [index, setIndex] = useState(initialIndex);
  const [run, setRun] = useState<SweepRun | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [hover, setHover] = useState<ChartDot | null>(null);

  useEffect(() => {
    if (plan === null) return undefined;
    const r = pool.run(plan);
    setRun(r);
    // Leaving (or changing the sweep) stops its runs; what finished stays in the pool's cache.
    return () => r.cancel();
  }, [plan, pool, attempt]);

  // Until the effect has started the new spec's sweep, the old one's results are not this plan's.
  const current = run !== null && run.plan === plan ? run : null;
  const progress = useSweep(current);
  if (!planned.ok) return <SweepErrors title={title} errors={planned.errors} />;
  if (axis === undefined || plan === null) return <SweepErrors title={title} errors={['a trade-off slider needs an axis to move along']} />;

  const results = current?.results() ?? [];
  const selected = Math.min(Math.max(0, index), axis.values.length - 1);
  /** The slider's values as the reader sees them (the labels when given). */
  const shownValues: readonly unknown[] = axisValueLabels !== undefined && axisValueLabels.length === axis.values.length ? axisValueLabels : axis.values;
  const shownAt = (i: number): string => valueLabel(shownValues[i]);
  const scenarioName = typeof spec.scenario === 'string' ? spec.scenario : 'this scenario';
  const lines = second === undefined ? [null] : second.values.map((v, i) => seriesName(second.path, v, seriesLabels?.[i]));
  const labelOf = (point: number, seed: number): string => {
    const values = plan.points[point]?.values ?? [];
    const at = pointPosition(plan, point);
    return [scenarioName, ...spec.axes.map((a, i) => (i === 0 && shownValues !== axis.values ? `${axisName}: ${shownAt(at.x)}` : `${a.path}=${valueLabel(values[i])}`)), `seed ${seed}`].join(' · ');
  };
  const open = (point: number, seed: number): void => onOpenRun({ scenario: spec.scenario, patch: plan.points[point]?.patch, seed });
  const move = (i: number): void => {
    setIndex(i);
    // The slider's position on every line first, the first line's runs leading.
    for (let l = lines.length - 1; l >= 0; l--) current?.prioritize(pointAt(plan, i, l));
  };

  return (
    <section className="tradeoff" aria-label={title ?? `Trade-off along ${axis.path}`}>
      {title === undefined ? null : <h3 className="tradeoff-title">{title}</h3>}
      <SweepProgressBar progress={progress} onCancel={() => current?.cancel()} onResume={() => setAttempt((a) => a + 1)} />
      <label className="tradeoff-slider">
        <span title={axis.path}>{axisName}</span>
        <input
          type="range"
          min={0}
          max={axis.values.length - 1}
          step={1}
          value={selected}
          aria-label={axisName}
          aria-valuetext={shownAt(selected)}
          onChange={(e) => move(Number(e.currentTarget.value))}
        />
        <output data-testid="tradeoff-value">{shownAt(selected)}</output>
      </label>
      {second === undefined ? null : <TradeoffLegend axis={second.path} names={lines as string[]} />}
      <div className="tradeoff-charts">
        {figures.map((figure) => {
          const series: ChartSeries[] = lines.map((name, l) => ({
            name,
            style: l,
            spread: lineSpread(plan, results, figure, l),
            dots: results.flatMap((r): ChartDot[] => {
              const v = r.figures[figure];
              const at = pointPosition(plan, r.point);
              return typeof v === 'number' && at.line === l ? [{ result: r, x: at.x, value: v, label: labelOf(r.point, r.seed) }] : [];
            }),
          }));
          return (
            <TradeoffChart
              key={figure}
              figure={figureLabels?.[figure] ?? figure}
              unit={figureDoc(figure)?.unit ?? ''}
              axisValues={shownValues}
              series={series}
              selected={selected}
              width={chartWidth}
              onHover={setHover}
              onOpen={(d) => open(d.result.point, d.result.seed)}
            />
          );
        })}
      </div>
      <p className="tradeoff-hover" role="status" data-testid="tradeoff-hover">
        {hover === null ? 'Point at a marker to see which run it is; click it to open that run.' : `${hover.label}: ${formatFigure(hover.value)}`}
      </p>
      <FigureTable
        figures={tableFigures}
        seeds={spec.seeds}
        blocks={lines.map((name, l) => {
          const point = pointAt(plan, selected, l);
          return {
            name,
            style: l,
            point,
            results: results.filter((r) => r.point === point),
            spreadOf: (f: string) => spreadByPoint(plan, results, f).find((s) => s.point === point),
          };
        })}
        caption={`Measured at ${axisName} = ${shownAt(selected)}`}
        {...(figureLabels === undefined ? {} : { figureLabels })}
        onOpen={open}
        labelOf={labelOf}
      />
    </section>
  );
}

/** A line's name: `no broker (broker.kind = none)` with a label, `broker.kind = none` without. */
function seriesName(path: string, value: unknown, label: string | undefined): string {
  const raw = `${path} = ${valueLabel(value)}`;
  return label === undefined || label === '' ? raw : `${label} (${raw})`;
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

/** The table's rows for one line (the whole table for a one-axis sweep). */
interface TableBlock {
  /** The line's name; null for a one-axis sweep. */
  readonly name: string | null;
  readonly style: number;
  /** The plan's point at the slider on this line. */
  readonly point: number;
  readonly results: readonly { readonly seed: number; readonly figures: Readonly<Record<string, number | null>> }[];
  readonly spreadOf: (figure: string) => FigureSpread | undefined;
}

interface FigureTableProps {
  readonly figures: readonly string[];
  readonly seeds: readonly number[];
  readonly blocks: readonly TableBlock[];
  readonly caption: string;
  readonly onOpen: (point: number, seed: number) => void;
  readonly labelOf: (point: number, seed: number) => string;
  readonly figureLabels?: Readonly<Record<string, string>>;
}

/**
 * The figures at the slider's value: one column per seed, then the median and the spread; a block
 * of rows per line of a two-axis sweep, headed by the line's name and a button per seed that opens
 * that run (for a one-axis sweep, the seed headers are the buttons).
 */
function FigureTable({ figures, seeds, blocks, caption, onOpen, labelOf, figureLabels }: FigureTableProps) {
  const single = blocks.length === 1 && blocks[0]?.name === null ? blocks[0] : null;
  const openButton = (block: TableBlock, seed: number, has: boolean) =>
    has ? (
      <button type="button" className="tradeoff-open" title={`Open ${labelOf(block.point, seed)}`} aria-label={`Open ${labelOf(block.point, seed)}`} onClick={() => onOpen(block.point, seed)}>
        {`seed ${seed}`}
      </button>
    ) : (
      `seed ${seed}`
    );
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
                {single === null ? `seed ${s}` : openButton(single, s, single.results.some((r) => r.seed === s))}
              </th>
            ))}
            <th scope="col">Median</th>
            <th scope="col">Min – max</th>
          </tr>
        </thead>
        {blocks.map((block) => {
          const bySeed = new Map(block.results.map((r) => [r.seed, r]));
          const suffix = block.name === null ? '' : `@${block.name}`;
          return (
            <tbody key={block.point} data-testid={block.name === null ? undefined : 'tradeoff-block'}>
              {block.name === null ? null : (
                <tr>
                  <th scope="rowgroup" colSpan={2}>
                    <span className="tradeoff-series-name">
                      <svg width={14} height={14} aria-hidden="true" className={`tradeoff-legend-key tradeoff-s${block.style % SERIES_STYLES.length}`}>
                        <path className="tradeoff-dot" d={markerPath(block.style, 40)} transform="translate(7,7)" />
                      </svg>
                      {block.name}
                    </span>
                  </th>
                  {seeds.map((s) => (
                    <td key={s}>{openButton(block, s, bySeed.has(s))}</td>
                  ))}
                  <td />
                  <td />
                </tr>
              )}
              {figures.map((f) => {
                const spread = block.spreadOf(f);
                return (
                  <tr key={f}>
                    <th scope="row" title={f}>
                      {figureLabels?.[f] ?? f}
                    </th>
                    <td>{figureDoc(f)?.unit ?? ''}</td>
                    {seeds.map((s) => (
                      <td key={s}>{bySeed.has(s) ? formatFigure(bySeed.get(s)?.figures[f]) : 'computing…'}</td>
                    ))}
                    <td data-testid={`median-${f}${suffix}`}>{formatFigure(spread?.median)}</td>
                    <td>{spread === undefined || spread.min === null ? '–' : `${formatFigure(spread.min)} – ${formatFigure(spread.max)}`}</td>
                  </tr>
                );
              })}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
