/**
 * A lab step's trade-off slider over a sweep of real runs (ADR 0019, 0021): the step's run with
 * one field varied along the step's values, each run with every seed, in the page's pool of sweep
 * workers (one pool for the page, made when the first slider opens). Loaded lazily by the panel.
 */
import type { LabStep, RunRef, SweepAxis } from '../../workbench/index.ts';
import { createSweepPool, TradeoffSlider, type OpenRunRequest, type SweepPool } from '../components/tradeoff/index.ts';

let shared: SweepPool | null = null;

/** The page's sweep pool: its workers start with the first run, and its cache serves every slider. */
function pool(): SweepPool {
  shared ??= createSweepPool();
  return shared;
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
      spec={{ scenario: step.run.scenario, patch: step.run.patch ?? {}, axes: [{ path: sweep.path, values: sweep.values }], seeds: sweep.seeds }}
      pool={pool()}
      figures={sweep.figures}
      {...(sweep.tableFigures === undefined ? {} : { tableFigures: sweep.tableFigures })}
      onOpenRun={(run: OpenRunRequest) => onOpenRun({ scenario: typeof run.scenario === 'string' ? run.scenario : step.run.scenario, seed: run.seed, patch: (run.patch ?? null) as RunRef['patch'] })}
    />
  );
}
