/**
 * Two runs side by side (ADR 0029): A and B, the same seed, each in its own Session on its own
 * simulation client (two workers), under one timeline that seeks and plays both, so both
 * playheads are always equal. Each pane draws the same send's sequence diagram (picked once, by
 * its client message id) and its pub/sub graph with the existing panels; the differences panel
 * reads the workbench's `compare` (run on a third client, so the panes stay responsive).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Op } from '../../sim/index.ts';
import type { Comparison, ScenarioEntry } from '../../workbench/index.ts';
import { Timeline, type TimelineMarker } from '../components/Timeline.tsx';
import { PubsubPanel } from '../diagrams/PubsubPanel.tsx';
import { sequenceDisplayOf, sequenceQueryOf, type SequenceChoice } from '../diagrams/sequenceChoice.ts';
import { fileStem } from '../export.ts';
import { formatVirtualTime } from '../format.ts';
import { useTheme, type Theme } from '../hooks/useTheme.ts';
import { createSimClient, type SimClient } from '../runtime/simClient.ts';
import { Session, type SessionState } from '../session/session.ts';
import { createStore, shallowEqual, useStore, type Store } from '../session/store.ts';
import { useRunQuery } from '../session/useRunQuery.ts';
import { ComparePicker } from './ComparePicker.tsx';
import { DifferencesPanel } from './DifferencesPanel.tsx';
import { compareQuery, readCompareQuery, sideCaption, type CompareSideState, type CompareState } from './state.ts';

const SequencePanel = lazy(() => import('../diagrams/SequencePanel.tsx'));

export interface CompareViewProps {
  /** The state's query (after `#/compare?`). */
  readonly query: string;
  readonly createClient?: () => SimClient;
  readonly onHome?: () => void;
  readonly theme?: Theme;
}

/** Virtual ms played per wall second at each offered speed. */
const SPEEDS = [1, 5, 20] as const;
/** Wall ms between two steps of play. */
const PLAY_TICK_MS = 100;

type Status = 'loading' | 'ready' | 'seeking' | 'playing' | 'error';

/** Both sides' sessions, each on a client of its own, made in an effect so a double mount disposes them. */
function useSides(createClient: () => SimClient): { a: Session; b: Session; cmp: SimClient } | null {
  const [sides, setSides] = useState<{ a: Session; b: Session; cmp: SimClient } | null>(null);
  useEffect(() => {
    const clients = [createClient(), createClient(), createClient()] as const;
    // oxlint-disable-next-line react/set-state-in-effect -- the workers must be created in an effect.
    setSides({ a: new Session(clients[0]), b: new Session(clients[1]), cmp: clients[2] });
    return () => {
      for (const c of clients) c.dispose();
    };
  }, [createClient]);
  return sides;
}

/** A store that never changes, for the moments before the sessions exist. */
const EMPTY_STORE: Store<Pick<SessionState, 'summary'>> = createStore<Pick<SessionState, 'summary'>>({ summary: null });

/** A side's playhead, frontier and end (zeros before it has loaded). */
function useClock(session: Session | undefined): { nowMs: number; frontierMs: number; endMs: number } {
  const store: Store<Pick<SessionState, 'summary'>> = session?.store ?? EMPTY_STORE;
  return useStore(store, (s) => ({ nowMs: s.summary?.nowMs ?? 0, frontierMs: s.summary?.frontierMs ?? 0, endMs: s.summary?.endMs ?? 0 }), shallowEqual);
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The two-pane view; its state lives in the address (`#/compare?…`). */
export default function CompareView({ query, createClient = createSimClient, onHome, theme: themeProp }: CompareViewProps) {
  const [theme, toggleTheme] = useTheme(themeProp);
  const read = useMemo(() => readCompareQuery(query), [query]);
  const [state, setState] = useState<CompareState>(read.state);
  const sides = useSides(createClient);
  const [status, setStatus] = useState<Status>('loading');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [compareError, setCompareError] = useState<string | null>(null);
  const [scenarios, setScenarios] = useState<readonly ScenarioEntry[]>([]);
  const [nowMs, setNowMs] = useState(0);
  const [speed, setSpeed] = useState<number>(5);
  const [choice, setChoice] = useState<SequenceChoice>(state.msg === null ? { mode: 'follow' } : { mode: 'message', messageId: '' });
  const [msg, setMsg] = useState<string | null>(state.msg);
  const playing = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  // The address follows the state (replaced, not pushed: the playhead would flood the history).
  useEffect(() => {
    const next = `${location.pathname}${location.search}#/compare?${compareQuery({ ...state, atMs: nowMs > 1 ? nowMs : null, msg })}`;
    if (`${location.pathname}${location.search}${location.hash}` !== next) history.replaceState(null, '', next);
  }, [state, nowMs, msg]);

  const sideKey = JSON.stringify([state.a, state.b, state.seed, state.interventions]);
  // Loads both runs (and their comparison) whenever A, B or the seed change.
  useEffect(() => {
    if (sides === null) return;
    let live = true;
    playing.current = false;
    const { a, b, seed, atMs, interventions } = stateRef.current;
    const ops = interventions.map((iv) => ({ at: iv.at, op: iv.op as unknown as Op }));
    // With faults, each side replays them at their times on the way to the playhead (the
    // session's resume path), exactly as the comparison applies them.
    const resume = ops.length === 0 ? undefined : { interventions: ops, nowMs: Math.max(1, atMs ?? 1) };
    setStatus('loading');
    setLoadError(null);
    setComparison(null);
    setCompareError(null);
    const open = async (name: 'A' | 'B', s: Session, side: CompareSideState): Promise<void> => {
      try {
        await s.open(side.scenario, seed, resume, side.patch ?? undefined);
      } catch (error) {
        throw new Error(`${name} (${side.scenario}) could not be opened: ${errorText(error)}`, { cause: error });
      }
    };
    void Promise.all([open('A', sides.a, a), open('B', sides.b, b)])
      .then(async () => {
        if (atMs !== null) await Promise.all([sides.a.seekTo(atMs), sides.b.seekTo(atMs)]);
        if (!live) return;
        setScenarios(sides.a.store.get().scenarios);
        setNowMs(sides.a.store.get().summary?.nowMs ?? 0);
        setStatus('ready');
      })
      .catch((error: unknown) => {
        if (!live) return;
        setLoadError(errorText(error));
        setScenarios(sides.a.store.get().scenarios);
        setStatus('error');
      });
    sides.cmp
      .compare({ scenario: a.scenario, seed, patch: a.patch }, { scenario: b.scenario, seed, patch: b.patch }, ops)
      .then((c) => live && setComparison(c))
      .catch((error: unknown) => live && setCompareError(errorText(error)));
    return () => {
      live = false;
    };
    // `sideKey` stands for A, B, the seed and the faults.
    // oxlint-disable-next-line react/exhaustive-deps
  }, [sides, sideKey]);

  /** Both playheads to `ms`, together: the view shows them only once both are there. */
  const seekBoth = useCallback(
    async (ms: number): Promise<void> => {
      if (sides === null) return;
      await Promise.all([sides.a.seekTo(ms), sides.b.seekTo(ms)]);
      setNowMs(sides.a.store.get().summary?.nowMs ?? ms);
    },
    [sides],
  );

  const seek = useCallback(
    (ms: number) => {
      playing.current = false;
      setStatus('seeking');
      void seekBoth(ms).then(() => setStatus('ready'), (error: unknown) => (setLoadError(errorText(error)), setStatus('error')));
    },
    [seekBoth],
  );

  const clockA = useClock(sides?.a);
  const clockB = useClock(sides?.b);
  const endMs = Math.max(clockA.endMs, clockB.endMs);

  const play = useCallback(() => {
    if (sides === null) return;
    playing.current = true;
    setStatus('playing');
    const tick = async (): Promise<void> => {
      while (playing.current) {
        const from = sides.a.store.get().summary?.nowMs ?? 0;
        if (endMs > 0 && from >= endMs) break;
        const to = Math.min(endMs > 0 ? endMs : Infinity, from + (speed * PLAY_TICK_MS));
        await seekBoth(to);
        await new Promise((resolve) => setTimeout(resolve, PLAY_TICK_MS));
      }
      playing.current = false;
      setStatus('ready');
    };
    void tick().catch((error: unknown) => (setLoadError(errorText(error)), setStatus('error')));
  }, [sides, seekBoth, speed, endMs]);

  const jump = useCallback(
    (atMs: number, clientMsgId: string | null) => {
      // Just after the moment, so the event at it has happened in both panes.
      seek(Math.floor(atMs) + 1);
      if (clientMsgId !== null) {
        setChoice({ mode: 'message', messageId: '' });
        setMsg(clientMsgId);
      }
    },
    [seek],
  );

  const apply = useCallback((next: CompareState) => {
    setState(next);
    setNowMs(0);
  }, []);

  /** A fault from either pane's graph, applied to both runs now: both reload with it kept. */
  const operate = useCallback(
    (op: Op) => {
      playing.current = false;
      const at = Math.max(1, nowMs);
      setState((s) => ({ ...s, atMs: at, interventions: [...s.interventions, { at, op: op as unknown as CompareState['interventions'][number]['op'] }].sort((x, y) => x.at - y.at) }));
    },
    [nowMs],
  );
  const clearFaults = useCallback(() => setState((s) => ({ ...s, atMs: Math.max(1, nowMs), interventions: [] })), [nowMs]);

  const busy = status === 'loading' || status === 'seeking';
  // The timeline marks the faults applied to both runs and where the runs part ways.
  const markers = useMemo((): TimelineMarker[] => {
    const out: TimelineMarker[] = state.interventions.map((iv) => ({ at: iv.at, kind: 'fault', label: `${iv.op.verb}${typeof iv.op['node'] === 'string' ? ` ${iv.op['node']}` : ''} (both runs)` }));
    if (comparison?.raw) out.push({ at: comparison.raw.atMs, kind: 'violation', label: 'First event that differs' });
    if (comparison?.shown) out.push({ at: comparison.shown.atMs, kind: 'violation', label: 'First difference a user sees' });
    return out;
  }, [state.interventions, comparison]);
  const pa = clockA.nowMs;
  const pb = clockB.nowMs;
  const frontier = Math.max(clockA.frontierMs, clockB.frontierMs);

  return (
    <div className="app compare-app" data-testid="compare" data-status={status} data-playhead-a={pa} data-playhead-b={pb}>
      <header className="toolbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⇄
          </span>
          <h1>Switchboard</h1>
          {onHome === undefined ? null : (
            <a
              className="home-link"
              href="#/"
              onClick={(event) => {
                event.preventDefault();
                onHome();
              }}
            >
              All labs
            </a>
          )}
          <span className="compare-title">Two runs side by side</span>
        </div>
        <div className="transport" role="group" aria-label="Playback of both runs">
          <button type="button" className="primary play-button" disabled={status !== 'ready' && status !== 'playing'} onClick={() => (playing.current ? (playing.current = false) : play())}>
            {status === 'playing' ? 'Pause' : 'Play'}
          </button>
          <label className="field">
            <span>Speed</span>
            <select value={speed} onChange={(event) => setSpeed(Number(event.currentTarget.value))}>
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="clock">
          <span className="clock-time" data-testid="compare-time">
            {formatVirtualTime(nowMs)}
          </span>
        </div>
        <div className="toolbar-end">
          <button type="button" className="icon-button" onClick={toggleTheme} title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? 'Light' : 'Dark'}
          </button>
        </div>
      </header>
      {read.messages.length === 0 ? null : (
        <p className="notice notice-info" role="status" data-testid="compare-notice">
          Part of this comparison’s address could not be read: {read.messages.join(' ')}
        </p>
      )}
      {loadError === null ? null : (
        <p className="notice notice-error" role="alert" data-testid="compare-error">
          {loadError}
        </p>
      )}
      <ComparePicker state={state} scenarios={scenarios} disabled={status === 'loading'} onApply={apply} />
      {state.interventions.length === 0 ? null : (
        <p className="compare-faults" data-testid="compare-faults">
          Applied to both runs: {state.interventions.map((iv) => `${iv.op.verb}${typeof iv.op['node'] === 'string' ? ` ${iv.op['node']}` : ''} at ${formatVirtualTime(iv.at)}`).join(', ')}{' '}
          <button type="button" onClick={clearFaults} disabled={status === 'loading'}>
            Clear faults
          </button>
        </p>
      )}
      <div className="subbar">
        <Timeline nowMs={nowMs} frontierMs={frontier} endMs={endMs > 0 ? endMs : null} markers={markers} busy={status === 'seeking'} disabled={status === 'loading' || status === 'error'} onSeek={seek} />
      </div>
      {sides === null ? null : (
        <div className="compare-panes">
          <Pane name="A" session={sides.a} side={state.a} seed={state.seed} theme={theme} choice={choice} msg={msg} onChoice={setChoice} onMsg={setMsg} nowMs={nowMs} speed={speed} busy={busy} onOp={operate} />
          <Pane name="B" session={sides.b} side={state.b} seed={state.seed} theme={theme} choice={choice} msg={msg} onChoice={setChoice} onMsg={setMsg} nowMs={nowMs} speed={speed} busy={busy} onOp={operate} />
        </div>
      )}
      <DifferencesPanel comparison={comparison} error={compareError} onJump={jump} disabled={status === 'loading' || status === 'error'} />
    </div>
  );
}

interface PaneProps {
  readonly name: 'A' | 'B';
  readonly session: Session;
  readonly side: CompareSideState;
  readonly seed: number;
  readonly theme: Theme;
  readonly choice: SequenceChoice;
  readonly msg: string | null;
  readonly onChoice: (c: SequenceChoice) => void;
  readonly onMsg: (clientMsgId: string | null) => void;
  readonly nowMs: number;
  readonly speed: number;
  readonly busy: boolean;
  /** A fault from this pane's graph, applied to both runs. */
  readonly onOp: (op: Op) => void;
}

/** One side: its caption (scenario, patch, seed), its trace hash, its sequence diagram and its pub/sub graph. */
function Pane({ name, session, side, seed, theme, choice, msg, onChoice, onMsg, nowMs, speed, busy, onOp }: PaneProps) {
  const { summary, graph, flows, topology, runId } = useStore(session.store, (s) => ({ summary: s.summary, graph: s.graph, flows: s.flows, topology: s.topology, runId: s.runId }), shallowEqual);
  const byMessage = choice.mode === 'message';
  const ask = byMessage ? (msg === null ? { mode: 'follow' as const } : { mode: 'message' as const, clientMsgId: msg }) : sequenceQueryOf(choice, nowMs);
  const view = useRunQuery(session, (c) => c.sequence(ask, sequenceDisplayOf(choice)), [ask, runId, byMessage ? 0 : nowMs]);
  const shownId = byMessage ? (view.data?.messages.find((m) => m.clientMsgId === msg)?.id ?? view.data?.messages[0]?.id ?? '') : '';
  const panelQuery: SequenceChoice = byMessage ? { mode: 'message', messageId: shownId ?? '' } : choice;
  const caption = sideCaption(side, seed);
  const at = summary?.nowMs ?? 0;
  return (
    <section className="compare-pane" aria-label={`Run ${name}`} data-testid={`pane-${name.toLowerCase()}`} data-hash={summary?.traceHash ?? ''} data-now={at}>
      <h2 className="compare-caption" title={caption}>
        <span className="compare-side">{name}</span> {caption}
      </h2>
      <p className="compare-facts">
        t = {formatVirtualTime(at)} · hash <span className="mono" data-testid={`hash-${name.toLowerCase()}`}>{summary?.traceHash ?? '—'}</span>
        {msg === null ? null : (
          <>
            {' '}
            · drawing <span className="mono">{msg}</span>
          </>
        )}
      </p>
      <div className="compare-diagram">
        <Suspense fallback={<p className="empty">Loading the sequence diagram…</p>}>
          <SequencePanel
            view={view.data}
            query={panelQuery}
            onQuery={(q) => {
              if (q.mode === 'message') onMsg(view.data?.catalog.find((m) => m.id === q.messageId)?.clientMsgId ?? view.data?.messages[0]?.clientMsgId ?? null);
              onChoice(q);
            }}
            theme={theme}
            channels={topology?.channels.map((c) => c.id) ?? []}
            users={topology?.users.map((u) => u.user) ?? []}
            nowMs={at}
            fileStem={fileStem(side.scenario, seed, at, `sequence-${name}`)}
            stale={busy}
          />
        </Suspense>
      </div>
      <div className="compare-diagram">
        <PubsubPanel
          graph={graph}
          flows={flows}
          speed={speed}
          theme={theme}
          peers={topology?.nodes.map((n) => n.id) ?? []}
          onOp={onOp}
          fileStem={fileStem(side.scenario, seed, graph?.atMs ?? 0, `pubsub-${name}`)}
          title={`Pub/sub — ${name}: ${side.scenario}, seed ${seed}, t = ${((graph?.atMs ?? 0) / 1000).toFixed(3)} s`}
          disabled={busy}
        />
      </div>
    </section>
  );
}
