import { area, line, scaleLinear, scalePoint, symbol, symbolCircle, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye } from 'd3';
import { useMemo } from 'react';
import type { SweepResult } from '../../../sim/index.ts';
import { measureTitle, titleLines } from './chartTitle.ts';

/** One measured dot: a run (its point and seed) and its value. */
export interface ChartDot {
  readonly result: SweepResult;
  /** Its position along the slider's axis (an index into the axis's values). */
  readonly x: number;
  readonly value: number;
  /** `group-chat · topology.wsServers=3 · seed 2`: what the dot is, for hover and screen readers. */
  readonly label: string;
}

/** The spread across seeds at one position of the slider's axis. */
export interface ChartSpread {
  readonly x: number;
  readonly min: number | null;
  readonly median: number | null;
  readonly max: number | null;
}

/**
 * One line of the chart: the runs of one value of the sweep's second axis (or the only line of a
 * one-axis sweep). Its look (colour, dash, marker) comes from `style`, so two lines differ in more
 * than colour.
 */
export interface ChartSeries {
  /** The legend's text (`broker.kind = none`); null for a one-axis sweep's only line. */
  readonly name: string | null;
  /** Which of the {@link SERIES_STYLES} it wears. */
  readonly style: number;
  readonly spread: readonly ChartSpread[];
  readonly dots: readonly ChartDot[];
}

export interface TradeoffChartProps {
  /** The figure's name and unit, for the title and the accessible name. */
  readonly figure: string;
  readonly unit: string;
  /** Every value of the slider's axis, in order (the x positions, computed or not). */
  readonly axisValues: readonly unknown[];
  /** One per value of the second axis, or one for a one-axis sweep. */
  readonly series: readonly ChartSeries[];
  /** The slider's position (an index into `axisValues`). */
  readonly selected: number;
  readonly width: number;
  readonly height?: number;
  readonly onHover: (dot: ChartDot | null) => void;
  readonly onOpen: (dot: ChartDot) => void;
}

/**
 * How the lines of a two-axis chart differ. The colours (CSS variables in tradeoff.css, with a
 * lighter set for the dark theme) follow Okabe and Ito's palette for colour-blind readers; each
 * line also has its own dash pattern and marker shape, so nothing depends on colour alone (a
 * greyscale print or a reader who cannot tell orange from green still tells the lines apart).
 */
export const SERIES_STYLES: readonly { readonly dash: string; readonly marker: string }[] = [
  { dash: '', marker: 'circle' },
  { dash: '7 4', marker: 'square' },
  { dash: '2 3', marker: 'triangle' },
  { dash: '9 3 2 3', marker: 'diamond' },
  { dash: '4 2', marker: 'star' },
  { dash: '1 4', marker: 'wye' },
];

const SYMBOLS = { circle: symbolCircle, square: symbolSquare, triangle: symbolTriangle, diamond: symbolDiamond, star: symbolStar, wye: symbolWye } as const;

/** The marker's path for a series style, centred on (0, 0). */
export function markerPath(style: number, size = 46): string {
  const s = SERIES_STYLES[style % SERIES_STYLES.length] ?? SERIES_STYLES[0];
  return symbol(SYMBOLS[(s?.marker ?? 'circle') as keyof typeof SYMBOLS], size)() ?? '';
}

/** The dash pattern of a series style ('' for a solid line). */
export function dashOf(style: number): string {
  return SERIES_STYLES[style % SERIES_STYLES.length]?.dash ?? '';
}

const M = { top: 22, right: 16, bottom: 30, left: 52 };
/** The step between the lines of a wrapped title, in px. */
const TITLE_LINE_PX = 14;

/** Axis values as the chart writes them. */
export function valueLabel(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
}

/** A figure's value as the chart and the table write it: at most three decimals, grouped thousands. */
export function formatFigure(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  return x.toLocaleString('en-US', { maximumFractionDigits: Math.abs(x) < 1 && x !== 0 ? 4 : Math.abs(x) < 100 ? 2 : 1 });
}

type Measured = ChartSpread & { readonly min: number; readonly median: number; readonly max: number };
const isMeasured = (s: ChartSpread): s is Measured => s.min !== null && s.max !== null && s.median !== null;

/**
 * One figure against the slider's axis: per series, the min–max band across seeds and the median
 * as a line, each seed's run as a marker that names itself on hover and opens its run on click.
 * (From the keyboard, the table's seed buttons open the same runs.) Drawn with d3 scales and
 * shapes; React owns the SVG. Numeric axes are spaced by value, others evenly.
 */
export function TradeoffChart({ figure, unit, axisValues, series, selected, width, height: plotHeight = 180, onHover, onOpen }: TradeoffChartProps) {
  // A long title takes more lines instead of running over the chart beside it; the plot keeps its height.
  const title = useMemo(() => titleLines(`${figure} (${unit})`, width - 4, 3, measureTitle), [figure, unit, width]);
  const top = M.top + (title.length - 1) * TITLE_LINE_PX;
  const height = plotHeight + top - M.top;
  const innerW = Math.max(80, width - M.left - M.right);
  const innerH = Math.max(60, plotHeight - M.top - M.bottom);
  const numeric = axisValues.every((v) => typeof v === 'number');
  const x = useMemo(() => {
    if (numeric) {
      const xs = axisValues as readonly number[];
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      const s = scaleLinear().domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi]).range([0, innerW]);
      return (i: number) => s(xs[i] as number);
    }
    const s = scalePoint<number>().domain(axisValues.map((_, i) => i)).range([0, innerW]).padding(0.5);
    return (i: number) => s(i) ?? 0;
  }, [axisValues, numeric, innerW]);
  const values = series.flatMap((s) => s.dots.map((d) => d.value));
  // Zero is always on the axis, so a band's height reads as a share of the value.
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const y = useMemo(() => scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).nice().range([innerH, 0]), [lo, hi, innerH]);
  const band = area<Measured>()
    .x((s) => x(s.x))
    .y0((s) => y(s.min))
    .y1((s) => y(s.max));
  const median = line<Measured>()
    .x((s) => x(s.x))
    .y((s) => y(s.median));
  const atSlider = series
    .map((s) => ({ name: s.name, at: s.spread.find((p) => p.x === selected) }))
    .filter((s) => s.at?.median !== null && s.at !== undefined)
    .map((s) => `${s.name === null ? '' : `${s.name}: `}median ${formatFigure(s.at?.median)}`);
  const computed = series.reduce((n, s) => n + s.spread.filter(isMeasured).length, 0);
  const name = `${figure} (${unit}) against ${axisValues.length} values${series.length > 1 ? `, ${series.length} lines` : ''}: ${computed} computed${atSlider.length === 0 ? '' : `; at the slider, ${atSlider.join('; ')}`}`;

  return (
    <svg className="tradeoff-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="group" aria-label={name} data-testid={`tradeoff-chart-${figure}`}>
      <text className="tradeoff-chart-title" x={2} y={14} data-testid="tradeoff-chart-title">
        {title.map((l, i) => (
          <tspan key={i} x={2} dy={i === 0 ? 0 : TITLE_LINE_PX}>
            {l}
          </tspan>
        ))}
      </text>
      <g transform={`translate(${M.left},${top})`}>
        <line className="tradeoff-marker" x1={x(selected)} x2={x(selected)} y1={0} y2={innerH} />
        {y.ticks(4).map((t) => (
          <g key={t} transform={`translate(0,${y(t)})`}>
            <line className="tradeoff-grid" x1={0} x2={innerW} />
            <text className="tradeoff-tick" x={-6} dy="0.32em" textAnchor="end">
              {formatFigure(t)}
            </text>
          </g>
        ))}
        {axisValues.map((v, i) => (
          <text key={i} className="tradeoff-tick" x={x(i)} y={innerH + 18} textAnchor="middle">
            {valueLabel(v)}
          </text>
        ))}
        {series.map((s, k) => {
          const measured = s.spread.filter(isMeasured);
          const b = band(measured);
          const m = median(measured);
          const cls = `tradeoff-series tradeoff-s${s.style % SERIES_STYLES.length}`;
          return (
            <g key={k} className={cls} data-testid="tradeoff-series" data-series={s.name ?? ''}>
              {b === null ? null : <path className="tradeoff-band" d={b} />}
              {m === null ? null : <path className="tradeoff-median" d={m} strokeDasharray={dashOf(s.style) || undefined} />}
              {s.dots.map((d) => (
                <path
                  key={`${d.result.point}/${d.result.seed}`}
                  className="tradeoff-dot"
                  d={markerPath(s.style)}
                  transform={`translate(${x(d.x)},${y(d.value)})`}
                  data-testid="tradeoff-dot"
                  onMouseEnter={() => onHover(d)}
                  onMouseLeave={() => onHover(null)}
                  onClick={() => onOpen(d)}
                >
                  <title>{`${d.label}: ${formatFigure(d.value)} ${unit}`}</title>
                </path>
              ))}
            </g>
          );
        })}
      </g>
    </svg>
  );
}

/** The legend of a two-axis chart: each line's marker and dash next to its name. */
export function TradeoffLegend({ axis, names }: { readonly axis: string; readonly names: readonly string[] }) {
  return (
    <ul className="tradeoff-legend" aria-label={`Lines: one per value of ${axis}`} data-testid="tradeoff-legend">
      {names.map((n, i) => (
        <li key={i} className={`tradeoff-s${i % SERIES_STYLES.length}`}>
          <svg width={34} height={14} aria-hidden="true" className="tradeoff-legend-key">
            <line className="tradeoff-median" x1={2} x2={32} y1={7} y2={7} strokeDasharray={dashOf(i) || undefined} />
            <path className="tradeoff-dot" d={markerPath(i, 40)} transform="translate(17,7)" />
          </svg>
          <span>{n}</span>
        </li>
      ))}
    </ul>
  );
}
