/**
 * A lab step's trade-off slider over a sweep of real runs (ADR 0019, 0021): the step's run with
 * one field varied along the step's values (and, when the step names a second axis, one line per
 * value of that field), each run with every seed, in the page's pool of sweep workers (one pool
 * for the page, made when the first slider opens or when a lab with a slider is prewarmed).
 * Loaded lazily by the panel.
 */
import { planSweep, type SweepSpec } from '../../sim/index.ts';
import type { LabManifest, LabStep, RunRef, SweepAxis } from '../../workbench/index.ts';
import { createSweepPool, pointPosition, TradeoffSlider, type OpenRunRequest, type SweepPool } from '../components/tradeoff/index.ts';

let shared: SweepPool | null = null;

/** The page's sweep pool: its workers start with the first run or a prewarm, and its cache serves every slider. */
function pool(): SweepPool {
  shared ??= createSweepPool();
  return shared;
}

/**
 * The sweep a step's slider runs: the step's run, the slider's axis, the second axis if any, the
 * seeds. Lab tests build the same spec with it, so they check the sweep the student gets.
 *
 * @example
 * sweepSpecOf(step, step.sweep); // { scenario: 'no-broker', patch: {…}, axes: [{ path: 'topology.wsServers', values: [2, 4, 8, 16] }, { path: 'broker.kind', values: ['none', 'redis'] }], seeds: [1, 2, 3] }
 */
export function sweepSpecOf(step: LabStep, sweep: SweepAxis): SweepSpec {
  const axes = [{ path: sweep.path, values: sweep.values }, ...(sweep.series === undefined ? [] : [{ path: sweep.series.path, values: sweep.series.values }])];
  return { scenario: step.run.scenario, patch: step.run.patch ?? {}, axes, seeds: sweep.seeds };
}

/**
 * Prewarms the sweep pool for a lab: when the lab has a step with a slider, the page's sweep
 * workers start now (loading their code while the student reads the first steps), and each runs
 * one run of that slider's first position, into the cache, so the slider opens on computed
 * figures and on workers past their coldest runs (docs/BENCHMARKS.md). Without a slider it does
 * nothing. Call it when a lab opens; it never rejects, and calling it again costs nothing.
 *
 *   // in the lab panel, when `lab` opens (src/ui/lab/LabPanel.tsx):
 *   useEffect(() => { void import('./LabSweep.tsx').then((m) => m.prewarmSweeps(lab)); }, [lab]);
 */
export async function prewarmSweeps(lab: LabManifest): Promise<void> {
  const step = lab.steps.find((s) => s.kind === 'experiment' && s.sweep !== undefined);
  if (step?.kind !== 'experiment' || step.sweep === undefined) return;
  const planned = planSweep(sweepSpecOf(step, step.sweep));
  if (!planned.ok) return;
  const { plan } = planned;
  await pool().warm(plan.jobs.filter((j) => pointPosition(plan, j.point).x === 0));
}

export interface LabSweepProps {
  readonly step: LabStep;
  readonly sweep: SweepAxis;
  /** Opens a point's run (scenario, patch, seed) in the workbench. */
  readonly onOpenRun: (run: RunRef) => void;
}

export default function LabSweep({ step, sweep, onOpenRun }: LabSweepProps) {
  return (
    <TradeoffSlider
      title={sweep.title}
      spec={sweepSpecOf(step, sweep)}
      pool={pool()}
      figures={sweep.figures}
      {...(sweep.label === undefined ? {} : { axisLabel: sweep.label })}
      {...(sweep.valueLabels === undefined ? {} : { axisValueLabels: sweep.valueLabels })}
      {...(sweep.figureLabels === undefined ? {} : { figureLabels: sweep.figureLabels })}
      {...(sweep.tableFigures === undefined ? {} : { tableFigures: sweep.tableFigures })}
      {...(sweep.series?.labels === undefined ? {} : { seriesLabels: sweep.series.labels })}
      onOpenRun={(run: OpenRunRequest) => onOpenRun({ scenario: typeof run.scenario === 'string' ? run.scenario : step.run.scenario, seed: run.seed, patch: (run.patch ?? null) as RunRef['patch'] })}
    />
  );
}
