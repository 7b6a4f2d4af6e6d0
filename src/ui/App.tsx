import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { RunSlice } from '../sim/api.ts';
import { EventList, type TraceEventView } from './components/EventList.tsx';
import { StatusPanel, type RunStatus } from './components/StatusPanel.tsx';
import { parseSeed } from './format.ts';
import { createSimClient, type SimClient } from './runtime/simClient.ts';
import './app.css';

/** How much virtual time one animation frame asks the simulation for. */
const SLICE_MS = 100;
/** How many of the newest trace events the list keeps. */
const RECENT_EVENTS = 10;

export interface AppProps {
  /** The seed loaded at start. */
  initialSeed?: number;
  /** The scenario to load. */
  scenario?: string;
  /** Makes the simulation client; tests and stories can choose the runtime. Must be stable. */
  createClient?: () => SimClient;
}

/**
 * The workbench shell: pick a seed, run the simulation frame by frame and watch its summary and
 * latest events. All numbers come from the simulation; the UI only displays them.
 */
export function App({ initialSeed = 42, scenario = 'kernel-demo', createClient = createSimClient }: AppProps) {
  const seedInputId = useId();
  const [client, setClient] = useState<SimClient | null>(null);
  const [seedText, setSeedText] = useState(String(initialSeed));
  const [seed, setSeed] = useState(initialSeed);
  const [status, setStatus] = useState<RunStatus>('loading');
  const [slice, setSlice] = useState<RunSlice | null>(null);
  const [recent, setRecent] = useState<TraceEventView[]>([]);
  const [capped, setCapped] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Counts loads. A slice is applied only if it belongs to the run loaded now, not to one that was
  // replaced while the call was in flight.
  const loadedRun = useRef(0);

  const fail = useCallback((cause: unknown) => {
    setError(cause instanceof Error ? cause.message : String(cause));
    setStatus('failed');
  }, []);

  const applySlice = useCallback((next: RunSlice, fresh: boolean) => {
    setSlice(next);
    setCapped(next.eventsCapped);
    setRecent((previous) => (fresh ? next.events : [...previous, ...next.events]).slice(-RECENT_EVENTS));
  }, []);

  /** Loads a fresh run; the caller has already shown the loading state. */
  const loadRun = useCallback(
    (target: SimClient, runSeed: number) => {
      const run = ++loadedRun.current;
      target
        .load({ scenario, seed: runSeed })
        .then((loaded) => {
          if (run !== loadedRun.current) return;
          applySlice(loaded, true);
          setStatus(loaded.pending === 0 ? 'finished' : 'paused');
        })
        .catch(fail);
    },
    [scenario, applySlice, fail],
  );

  // One client per mount, made in an effect rather than during render so that React's development
  // double-mount disposes the first worker instead of leaking it. Storing the client is the point of
  // this effect: it is the external system the component synchronizes with.
  useEffect(() => {
    const created = createClient();
    // oxlint-disable-next-line react/set-state-in-effect -- the worker must be created in an effect.
    setClient(created);
    return () => created.dispose();
  }, [createClient]);

  // Loads the run when the client is ready and whenever the seed or scenario changes. The handlers
  // that change them show the loading state themselves.
  useEffect(() => {
    if (client !== null) loadRun(client, seed);
  }, [client, seed, loadRun]);

  // The frame loop: one awaited runFor per animation frame. The next frame is requested only after
  // the previous call returned, so calls never overlap however slow the simulation is.
  useEffect(() => {
    if (client === null || status !== 'running') return;
    const run = loadedRun.current;
    let stopped = false;
    let frame = 0;
    const tick = async () => {
      try {
        const next = await client.runFor(SLICE_MS);
        if (stopped || run !== loadedRun.current) return;
        applySlice(next, false);
        if (next.pending === 0) setStatus('finished');
        else frame = requestAnimationFrame(tick);
      } catch (cause) {
        if (!stopped) fail(cause);
      }
    };
    frame = requestAnimationFrame(tick);
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
    };
  }, [client, status, applySlice, fail]);

  const showLoading = () => {
    setStatus('loading');
    setError(null);
  };

  const onSeedChange = (text: string) => {
    setSeedText(text);
    const parsed = parseSeed(text);
    if (parsed !== null && parsed !== seed) {
      showLoading();
      setSeed(parsed);
    }
  };

  const onReset = () => {
    if (client === null) return;
    showLoading();
    loadRun(client, seed);
  };

  const seedValid = parseSeed(seedText) !== null;
  const canRun = status === 'paused' || status === 'running';

  return (
    <div className="app">
      <header className="app-header">
        <h1>Switchboard</h1>
        <p className="tagline">A deterministic, simulated chat cluster you can run, pause and replay.</p>
      </header>

      <main className="app-main">
        <section className="panel controls" aria-label="Run controls">
          <div className="field">
            <label htmlFor={seedInputId}>Seed</label>
            <input
              id={seedInputId}
              type="number"
              inputMode="numeric"
              min={0}
              max={4294967295}
              step={1}
              value={seedText}
              aria-invalid={!seedValid}
              aria-describedby={`${seedInputId}-hint`}
              onChange={(event) => onSeedChange(event.currentTarget.value)}
            />
            <small id={`${seedInputId}-hint`} className={seedValid ? 'hint' : 'hint error'}>
              {seedValid ? 'Same seed, same run.' : 'A whole number from 0 to 4294967295.'}
            </small>
          </div>
          <div className="buttons">
            <button
              type="button"
              className="primary"
              disabled={!canRun}
              onClick={() => setStatus(status === 'running' ? 'paused' : 'running')}
            >
              {status === 'running' ? 'Pause' : 'Run'}
            </button>
            <button type="button" disabled={client === null} onClick={onReset}>
              Reset
            </button>
          </div>
        </section>

        {error !== null ? (
          <p className="panel error-banner" role="alert">
            The simulation failed: {error}
          </p>
        ) : null}

        <StatusPanel seed={seed} runtime={client?.runtime ?? null} slice={slice} status={status} />
        <EventList events={recent} capped={capped} />
      </main>
    </div>
  );
}

export default App;
