/**
 * The trade-off slider and the sweep pool behind it, for the lab framework to host (ADR 0019):
 *
 *   const pool = createSweepPool();           // once per page
 *   void pool.warm();                         // optional: start the workers before the first sweep
 *   <TradeoffSlider spec={…} pool={pool} figures={['latency.p99Ms']} onOpenRun={open} />
 *
 * A spec with two axes draws one line per value of the second (a legend; `seriesLabels` names them).
 */
export { TradeoffSlider, pointAt, pointPosition, type OpenRunRequest, type TradeoffSliderProps } from './TradeoffSlider.tsx';
export { SERIES_STYLES, TradeoffChart, TradeoffLegend, formatFigure, type ChartDot, type ChartSeries, type ChartSpread, type TradeoffChartProps } from './TradeoffChart.tsx';
export { createSweepPool, createMainThreadRunner, createWorkerRunner, spareCores, type JobRunner, type SweepPool, type SweepPoolOptions, type SweepProgress, type SweepRun } from '../../runtime/sweepPool.ts';
