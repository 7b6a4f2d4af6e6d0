/**
 * The trade-off slider and the sweep pool behind it, for the lab framework to host (ADR 0019):
 *
 *   const pool = createSweepPool();           // once per page
 *   <TradeoffSlider spec={…} pool={pool} figures={['latency.p99Ms']} onOpenRun={open} />
 */
export { TradeoffSlider, type OpenRunRequest, type TradeoffSliderProps } from './TradeoffSlider.tsx';
export { TradeoffChart, formatFigure, type ChartDot, type TradeoffChartProps } from './TradeoffChart.tsx';
export { createSweepPool, createMainThreadRunner, spareCores, type JobRunner, type SweepPool, type SweepPoolOptions, type SweepProgress, type SweepRun } from '../../runtime/sweepPool.ts';
