import type { RunSlice } from '../../sim/api.ts';
import { formatCount, formatVirtualTime } from '../format.ts';
import { runtimeLabel, type RuntimeKind } from '../runtime/simClient.ts';

/** Where the run is in its life, as the UI tracks it. */
export type RunStatus = 'loading' | 'paused' | 'running' | 'finished' | 'failed';

export interface StatusPanelProps {
  /** The seed of the loaded run; always shown, since it is what makes the run reproducible. */
  seed: number;
  /** Which thread runs the simulation, or null before a client exists. */
  runtime: RuntimeKind | null;
  /** The latest summary from the simulation, or null before the first load returns. */
  slice: RunSlice | null;
  status: RunStatus;
}

const STATUS_TEXT: Record<RunStatus, string> = {
  loading: 'Loading…',
  paused: 'Paused',
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
};

/** The run's vital signs: seed, runtime, virtual time, event count and trace hash. */
export function StatusPanel({ seed, runtime, slice, status }: StatusPanelProps) {
  return (
    <section className="panel status-panel" aria-labelledby="status-heading">
      <h2 id="status-heading">
        Run <span className={`badge badge-${status}`} data-testid="run-status">{STATUS_TEXT[status]}</span>
      </h2>
      <dl className="readouts">
        <div>
          <dt>Seed</dt>
          <dd data-testid="seed">{seed}</dd>
        </div>
        <div>
          <dt>Scenario</dt>
          <dd data-testid="scenario">{slice?.scenario ?? '—'}</dd>
        </div>
        <div>
          <dt>Runtime</dt>
          <dd data-testid="runtime">{runtime === null ? '—' : runtimeLabel(runtime)}</dd>
        </div>
        <div>
          <dt>Virtual time</dt>
          <dd data-testid="sim-time" className="num">{formatVirtualTime(slice?.nowMs ?? 0)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd data-testid="event-count" data-value={slice?.eventCount ?? 0} className="num">
            {formatCount(slice?.eventCount ?? 0)}
          </dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd data-testid="pending" className="num">{formatCount(slice?.pending ?? 0)}</dd>
        </div>
        <div className="wide">
          <dt>Trace hash</dt>
          <dd data-testid="trace-hash" className="mono">{slice?.traceHash ?? '—'}</dd>
        </div>
      </dl>
      {slice?.truncated ? (
        <output className="notice">
          The trace store is full: later events were not kept. Counts and the hash still cover every event.
        </output>
      ) : null}
    </section>
  );
}
