import { area, line, scaleLinear, scalePoint } from 'd3';
import { useMemo } from 'react';
import type { FigureSpread, SweepResult } from '../../../sim/index.ts';

/** One measured dot: a run (its point and seed) and its value. */
export interface ChartDot {
  readonly result: SweepResult;
  readonly value: number;
  /** `group-chat · topology.wsServers=3 · seed 2`: what the dot is, for hover and screen readers. */
  readonly label: string;
}

export interface TradeoffChartProps {
  /** The figure's name and unit, for the title and the accessible name. */
  readonly figure: string;
  readonly unit: string;
  /** Every axis value, in order (the x positions, computed or not). */
  readonly axisValues: readonly unknown[];
  /** The spread at each computed point. */
  readonly spread: readonly FigureSpread[];
  /** Every run's value. */
  readonly dots: readonly ChartDot[];
  /** The slider's point. */
  readonly selected: number;
  readonly width: number;
  readonly height?: number;
  readonly onHover: (dot: ChartDot | null) => void;
  readonly onOpen: (dot: ChartDot) => void;
}

const M = { top: 22, right: 16, bottom: 30, left: 52 };

/** Axis values as the chart writes them. */
export function valueLabel(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
}

/** A figure's value as the chart and the table write it: at most three decimals, grouped thousands. */
export function formatFigure(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  return x.toLocaleString('en-US', { maximumFractionDigits: Math.abs(x) < 1 && x !== 0 ? 4 : Math.abs(x) < 100 ? 2 : 1 });
}

/**
 * One figure against the slider's axis: the min–max band across seeds, the median as a line, each
 * seed's run as a dot that names itself on hover and opens its run on click. (From the keyboard,
 * the table's seed buttons open the same runs.) Drawn with d3 scales and shapes; React owns the
 * SVG. Numeric axes are spaced by value, others evenly.
 */
export function TradeoffChart({ figure, unit, axisValues, spread, dots, selected, width, height = 180, onHover, onOpen }: TradeoffChartProps) {
  const innerW = Math.max(80, width - M.left - M.right);
  const innerH = Math.max(60, height - M.top - M.bottom);
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
  // Zero is always on the axis, so a band's height reads as a share of the value.
  const lo = Math.min(0, ...dots.map((d) => d.value));
  const hi = Math.max(0, ...dots.map((d) => d.value));
  const y = useMemo(() => scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).nice().range([innerH, 0]), [lo, hi, innerH]);
  const measured = spread.filter((s) => s.min !== null && s.max !== null && s.median !== null);
  const band = area<FigureSpread>()
    .x((s) => x(s.point))
    .y0((s) => y(s.min as number))
    .y1((s) => y(s.max as number))(measured);
  const median = line<FigureSpread>()
    .x((s) => x(s.point))
    .y((s) => y(s.median as number))(measured);
  const at = spread.find((s) => s.point === selected);
  const name = `${figure} (${unit}) against ${axisValues.length} values: ${measured.length} computed${at?.median === null || at === undefined ? '' : `; at the slider, median ${formatFigure(at.median)}`}`;

  return (
    <svg className="tradeoff-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="group" aria-label={name} data-testid={`tradeoff-chart-${figure}`}>
      <text className="tradeoff-chart-title" x={M.left} y={14}>{`${figure} (${unit})`}</text>
      <g transform={`translate(${M.left},${M.top})`}>
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
        {band === null ? null : <path className="tradeoff-band" d={band} />}
        {median === null ? null : <path className="tradeoff-median" d={median} />}
        {dots.map((d) => (
          <circle
            key={`${d.result.point}/${d.result.seed}`}
            className="tradeoff-dot"
            cx={x(d.result.point)}
            cy={y(d.value)}
            r={4}
            data-testid="tradeoff-dot"
            onMouseEnter={() => onHover(d)}
            onMouseLeave={() => onHover(null)}
            onClick={() => onOpen(d)}
          >
            <title>{`${d.label}: ${formatFigure(d.value)} ${unit}`}</title>
          </circle>
        ))}
      </g>
    </svg>
  );
}
