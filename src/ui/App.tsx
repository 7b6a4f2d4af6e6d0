import { useActorRef, useSelector } from '@xstate/react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { fromPromise } from 'xstate';
import type { Op } from '../sim/index.ts';
import { ChatPanel } from './components/ChatPanel.tsx';
import { EventTable } from './components/EventTable.tsx';
import { FaultsPanel } from './components/FaultsPanel.tsx';
import { HelpDialog } from './components/HelpDialog.tsx';
import { Icon } from './components/Icon.tsx';
import { LIVENESS_CHECKERS, messageIdOf, ReportPanel, splitViolations, type ReportViolation } from './components/ReportPanel.tsx';
import { Tabs } from './components/Tabs.tsx';
import { Timeline, type TimelineMarker } from './components/Timeline.tsx';
import { Toolbar, type PlaybackStatus } from './components/Toolbar.tsx';
import { useCustomRuns } from './editor/useCustomRuns.tsx';
import { PubsubPanel } from './diagrams/PubsubPanel.tsx';
import type { RateLimitSource } from './diagrams/RateLimitPanel.tsx';
import { sequenceDisplayOf, sequenceQueryOf, type SequenceChoice } from './diagrams/sequenceChoice.ts';
import { fileStem } from './export.ts';
import { useRunViolations } from './hooks/useRunViolations.ts';
import { useShortcuts } from './hooks/useShortcuts.ts';
import { TraceFilePicker } from './trace/TraceFilePicker.tsx';
import { useTheme, type Theme } from './hooks/useTheme.ts';
import { DEFAULT_SPEED, frameLoopLogic, playbackMachine, SPEEDS } from './machines/playback.ts';
import { createMainThreadClient, createSimClient, type SimClient } from './runtime/simClient.ts';
import type { Figure, Focus, LabManifest, LabStep, RunRef, StepOutcome, TableQuery, TraceExportFormat } from '../workbench/index.ts';
import { LabPanel, stageOf, type StageContent, type WhiteboardAnswer } from './lab/LabPanel.tsx';
import { CopyLinkButton, LinkNotice, LinkWriter, startOfLink, type OpenedLink } from './link/AppLink.tsx';
import { LINK_DIAGRAMS, type LinkState } from './link/state.ts';
import type { CompareOrigin } from './compare/state.ts';
import { browserStorage } from './lab/progress.ts';
import { linkProgressStorage } from './link/labStep.ts';
import type { WorkbenchBridge } from './present/bridge.ts';

/** The whiteboard check loads with the first lab step that has one (Mermaid's parser and React Flow's canvas). */
const LabWhiteboard = lazy(() => import('./lab/LabWhiteboard.tsx'));
import { sameRun } from './lab/Narration.tsx';
import { Session, type Resume, type SessionState } from './session/session.ts';
import { shallowEqual, useStore } from './session/store.ts';
import { useRunQuery } from './session/useRunQuery.ts';
import { recordOrNull } from './record.ts';
import './app.css';

// Mermaid is big: the sequence panel (and Mermaid with it) loads only when first shown.
const SequencePanel = lazy(() => import('./diagrams/SequencePanel.tsx'));
// The rate-limit panel explains decisions with the diagrams layer's builders: loaded with its tab, not with the page.
const RateLimitPanel = lazy(() => import('./diagrams/RateLimitPanel.tsx').then((m) => ({ default: m.RateLimitPanel })));

export interface AppProps {
  /** The seed loaded at start (the URL's `?seed=` wins). */
  initialSeed?: number;
  /** The scenario loaded at start (the URL's `?scenario=` wins). */
  scenario?: string;
  /** Makes the simulation client; tests and stories choose the runtime. Must be stable. */
  createClient?: () => SimClient;
  /** Start in this theme instead of the saved or system one. */
  theme?: Theme;
  /** Read and write `?scenario=&seed=` in the address bar. Default true. */
  syncUrl?: boolean;
  /** The diagram shown first. */
  initialDiagram?: DiagramTab;
  /** The side panel shown first. */
  initialPanel?: SideTab;
  /** Opens this lab in a panel beside the diagrams (the lab drives which runs load). */
  lab?: string;
  /** Goes back to the home screen (the lab's map); without it the app has no way home. */
  onHome?: () => void;
  /** Opens the side-by-side view from the run shown (ADR 0029); without it there is no "Compare…". */
  onCompare?: (scenario: string, seed: number, origin: CompareOrigin) => void;
  /** Opens the state of a link (ADR 0027): its run, interventions, playhead, view and theme win. */
  link?: OpenedLink;
  /** Keep the address bar's `?s=` link on the state shown. Default: `syncUrl`. */
  writeLink?: boolean;
  /** Presentation mode (ADR 0028) watches and drives the workbench through this. */
  bridge?: WorkbenchBridge;
  /** Shows a "Present" button that starts presentation mode from the state on screen. */
  onPresent?: (state: LinkState) => void;
}

/** The diagram area's tabs; `lab` holds a lab step's wide content (its slider or whiteboard). */
export type DiagramTab = 'sequence' | 'pubsub' | 'ratelimit' | 'lab';
export type SideTab = 'lab' | 'chat' | 'events' | 'report' | 'faults';
const DIAGRAMS: readonly DiagramTab[] = ['sequence', 'pubsub', 'ratelimit'];

/** `?scenario=` and `?seed=` from the address bar, when valid. */
function fromUrl(): { scenario?: string; seed?: number } {
  const params = new URLSearchParams(globalThis.location?.search ?? '');
  const out: { scenario?: string; seed?: number } = {};
  const scenario = params.get('scenario');
  if (scenario !== null && /^[\w-]+$/.test(scenario)) out.scenario = scenario;
  const seed = params.get('seed');
  if (seed !== null && /^\d+$/.test(seed) && Number(seed) <= 0xffff_ffff) out.seed = Number(seed);
  return out;
}

/**
 * The workbench: a seeded chat cluster running in a Web Worker, played back at a chosen speed,
 * with the lab's three diagrams drawn from the run, a chat panel to act as any user, the trace,
 * the checkers' report and fault injection. The UI holds no simulation truth: it asks and draws.
 */
export function App({ initialSeed = 42, scenario = 'group-chat', createClient = createSimClient, theme, syncUrl = true, initialDiagram, initialPanel, lab, onHome, onCompare, link, writeLink = syncUrl, bridge, onPresent }: AppProps) {
  const [client, setClient] = useState<SimClient | null>(null);
  /** Set when the person chose to go on without the worker: the run to restore there. */
  const [fallback, setFallback] = useState<{ readonly start: Start } | null>(null);
  // One client per mount, made in an effect so React's development double-mount disposes the
  // first worker instead of leaking it.
  useEffect(() => {
    const created = fallback === null ? createClient() : createMainThreadClient();
    // oxlint-disable-next-line react/set-state-in-effect -- the worker must be created in an effect.
    setClient(created);
    return () => created.dispose();
  }, [createClient, fallback]);
  const start = useMemo((): Start => {
    if (fallback !== null) return fallback.start;
    if (link !== undefined) return startOfLink(link.state);
    const url = syncUrl ? fromUrl() : {};
    return { scenario: url.scenario ?? scenario, seed: url.seed ?? initialSeed };
    // The first run only (or the run to go on with): later loads come from the toolbar.
    // oxlint-disable-next-line react/exhaustive-deps
  }, [fallback]);
  const goOnWithoutWorker = useCallback((resume: Start) => setFallback({ start: resume }), []);
  if (client === null) {
    return (
      <div className="app app-loading">
        <p className="empty">Starting the simulation…</p>
      </div>
    );
  }
  return (
    <Workbench
      key={client.runtime}
      client={client}
      start={start}
      onGoOnWithoutWorker={goOnWithoutWorker}
      theme={theme ?? link?.state.theme ?? undefined}
      syncUrl={syncUrl}
      writeLink={writeLink}
      onCompare={onCompare}
      link={link}
      initialDiagram={initialDiagram ?? link?.state.diagram ?? 'sequence'}
      initialPanel={initialPanel ?? (lab === undefined ? 'chat' : 'lab')}
      lab={lab}
      onHome={onHome}
      bridge={bridge}
      onPresent={onPresent}
    />
  );
}

/** The run a workbench opens first: a scenario and seed, and, going on after a failed worker, where the run stood. */
interface Start {
  readonly scenario: string;
  readonly seed: number;
  /** A lab's variant of the preset (a JSON merge patch). */
  readonly patch?: unknown;
  readonly resume?: Resume;
}

interface WorkbenchProps {
  client: SimClient;
  start: Start;
  /** The worker failed and the person chose to go on on the main thread with this run. */
  onGoOnWithoutWorker: (start: Start) => void;
  theme: Theme | undefined;
  syncUrl: boolean;
  initialDiagram: DiagramTab;
  initialPanel: SideTab;
  lab: string | undefined;
  onHome: (() => void) | undefined;
  onCompare: ((scenario: string, seed: number, origin: CompareOrigin) => void) | undefined;
  writeLink: boolean;
  link: OpenedLink | undefined;
  bridge: WorkbenchBridge | undefined;
  onPresent: ((state: LinkState) => void) | undefined;
}

/** The run's facts that change rarely (not on every frame). */
function useRunShape(session: Session) {
  return useStore(
    session.store,
    (st) => ({
      scenarios: st.scenarios,
      scenario: st.scenario,
      topology: st.topology,
      interventions: st.interventions,
      scripted: st.scripted,
      runId: st.runId,
      notice: st.notice,
      traceFile: st.traceFile,
      loaded: st.summary !== null,
      runScenario: st.summary?.scenario ?? null,
      runSeed: st.summary?.seed ?? null,
      // Before the scenario's end, "never shown" means "not yet shown": those findings are provisional.
      provisional: st.summary !== null && st.summary.endMs !== null && st.summary.nowMs < st.summary.endMs,
    }),
    shallowEqual,
  );
}

/** The playhead, rounded to `stepMs` so a view re-renders only as often as it needs. */
const useNow = (session: Session, stepMs = 1) => useStore(session.store, (st) => Math.floor((st.summary?.nowMs ?? 0) / stepMs) * stepMs);

function Workbench({ client, start, onGoOnWithoutWorker, theme: themeProp, syncUrl, initialDiagram, initialPanel, lab, onHome, onCompare, writeLink, link, bridge, onPresent }: WorkbenchProps) {
  const [session] = useState(() => new Session(client));
  // The first load of a workbench that goes on after a failed worker restores the run; later
  // loads (the toolbar) start fresh.
  const [resumeOnce] = useState(() => ({ value: start.resume }));
  const [logic] = useState(() =>
    playbackMachine.provide({
      actors: {
        load: fromPromise(({ input }: { input: { scenario: string; seed: number; patch: unknown } }) => {
          const resume = resumeOnce.value;
          resumeOnce.value = undefined;
          return session.open(input.scenario, input.seed, resume, input.patch);
        }),
        step: fromPromise(() => session.stepEvent()),
        seek: fromPromise(({ input }: { input: { toMs: number } }) => session.seekTo(input.toMs)),
        frameLoop: frameLoopLogic((ms) => session.advance(ms)),
      },
    }),
  );
  const playback = useActorRef(logic, { input: { scenario: start.scenario, seed: start.seed, speed: DEFAULT_SPEED, ...(start.patch === undefined ? {} : { patch: start.patch }) } });
  const status = useSelector(playback, (st) => st.value as PlaybackStatus);
  const speed = useSelector(playback, (st) => st.context.speed);
  const error = useSelector(playback, (st) => st.context.error);
  const wanted = useSelector(playback, (st) => ({ scenario: st.context.scenario, seed: st.context.seed, patch: st.context.patch }), shallowEqual);

  const [theme, toggleTheme] = useTheme(themeProp);
  const [diagram, setDiagram] = useState<DiagramTab>(initialDiagram);
  // A lab step's wide content (slider, whiteboard) is drawn by the lab panel into an element of
  // the diagram area (`stageHost`), under a tab of its own (`stage`) that opens with the step.
  const [stageHost, setStageHost] = useState<HTMLElement | null>(null);
  const [stage, setStage] = useState<StageContent | null>(null);
  /** The tab drawn: the lab's tab falls back to the sequence diagram when the step has no wide content. */
  const shownDiagram: DiagramTab = diagram === 'lab' && stage === null ? 'sequence' : diagram;
  const [panel, setPanel] = useState<SideTab>(initialPanel);
  const [helpOpen, setHelpOpen] = useState(false);

  const shape = useRunShape(session);
  const playing = status === 'playing';
  const ready = shape.loaded && status !== 'loading' && status !== 'failed';

  useEffect(() => {
    void session.init().catch(() => undefined);
  }, [session]);

  // The graph is built only while something shows it.
  useEffect(() => {
    session.setGraphVisible(shownDiagram === 'pubsub' || panel === 'faults');
  }, [session, shownDiagram, panel]);

  // The address bar names the run, so a link reproduces it.
  useEffect(() => {
    if (!syncUrl || writeLink || shape.runScenario === null || shape.runSeed === null) return;
    const params = new URLSearchParams(location.search);
    params.set('scenario', shape.runScenario);
    params.set('seed', String(shape.runSeed));
    const next = `${location.pathname}?${params.toString()}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
  }, [syncUrl, writeLink, shape.runScenario, shape.runSeed]);

  const nowOf = useCallback(() => session.store.get().summary?.nowMs ?? 0, [session]);
  const seek = useCallback((toMs: number) => playback.send({ type: 'SEEK', toMs: Math.max(0, Math.round(toMs)) }), [playback]);
  const load = useCallback(
    (scenarioId: string, seed: number) => {
      // In a lab, a new seed for the run on screen reruns the step with that seed (its patch kept),
      // so the lab's figures and the run shown stay the same run.
      const c = playback.getSnapshot().context;
      if (lab !== undefined && scenarioId === c.scenario) setLabSeed((prev) => ({ seed, serial: (prev?.serial ?? 0) + 1 }));
      else playback.send({ type: 'LOAD', scenario: scenarioId, seed });
    },
    [playback, lab],
  );
  // Free play's custom scenarios (ADR 0030): a preset plus a patch, loaded through the same LOAD.
  const loadPatched = useCallback((scenarioId: string, seed: number, patch: Record<string, unknown> | undefined) => playback.send({ type: 'LOAD', scenario: scenarioId, seed, ...(patch === undefined ? {} : { patch }) }), [playback]);
  const customRuns = useCustomRuns({ enabled: lab === undefined, wanted, load: loadPatched });
  const onOp = useCallback((op: Op) => void session.operate(op), [session]);
  const setSpeedStep = (dir: 1 | -1) => {
    const index = SPEEDS.findIndex((v) => v >= speed);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (index === -1 ? SPEEDS.length - 1 : index) + dir))];
    if (next !== undefined) playback.send({ type: 'SPEED', speed: next });
  };

  useShortcuts({
    togglePlay: () => playback.send({ type: 'TOGGLE' }),
    step: () => playback.send({ type: 'STEP' }),
    seekBy: (delta) => seek(nowOf() + delta),
    seekHome: () => seek(0),
    seekEnd: () => seek(session.store.get().summary?.frontierMs ?? nowOf()),
    slower: () => setSpeedStep(-1),
    faster: () => setSpeedStep(1),
    tab: (i) => setDiagram(DIAGRAMS[i] ?? 'sequence'),
    toggleTheme,
    help: () => setHelpOpen(true),
  });

  // ---- views ------------------------------------------------------------------------------------
  const report = useRunQuery(session, (c) => c.report(), [shape.runId], { throttleMs: playing ? 1000 : 200 });
  // The report covers the trace up to the playhead; the run's violations stay known across seeks.
  const frontierOf = useCallback(() => session.store.get().summary?.frontierMs ?? 0, [session]);
  // A "never shown" judged at a playhead before the end only means "not yet shown": not kept.
  const reportEndMs = session.store.get().summary?.endMs ?? null;
  const reportAt = report.data?.simTimeMs ?? null;
  const runViolations = useRunViolations<ReportViolation>(report.data?.violations, shape.runId, frontierOf, (v) => LIVENESS_CHECKERS.has(v.checker) && reportEndMs !== null && reportAt !== null && reportAt < reportEndMs);
  const violations = useMemo(() => splitViolations(runViolations, shape.provisional).standing, [runViolations, shape.provisional]);

  const markers = useMemo((): TimelineMarker[] => {
    const script = shape.scripted.map((f): TimelineMarker => ({ at: f.at, kind: f.kind === 'repair' ? 'scripted-repair' : 'scripted', label: f.label }));
    const ivs = shape.interventions.map((iv): TimelineMarker => ({ at: iv.at, kind: iv.kind === 'user' ? 'send' : iv.kind, label: iv.label }));
    const vs = violations.map((v): TimelineMarker => ({ at: v.at, kind: 'violation', label: `${v.checker}: ${v.message}` }));
    return [...script, ...ivs, ...vs];
  }, [shape.scripted, shape.interventions, violations]);

  const users = useMemo(() => shape.topology?.users ?? [], [shape.topology]);
  const userIds = useMemo(() => users.map((u) => u.user), [users]);
  const channels = useMemo(() => shape.topology?.channels.map((c) => c.id) ?? [], [shape.topology]);
  const peers = useMemo(() => shape.topology?.nodes.map((n) => n.id) ?? [], [shape.topology]);
  const stemScenario = shape.runScenario ?? wanted.scenario;
  const stemSeed = shape.runSeed ?? wanted.seed;

  // Sequence diagram.
  const [choice, setChoice] = useState<SequenceChoice>({ mode: 'follow' });
  const sequence = useRunQuery(session, (c) => c.sequence(sequenceQueryOf(choice, nowOf()), sequenceDisplayOf(choice)), [choice, shape.runId], {
    // Mermaid renders on the main thread (about 100–250 ms for a group message): while playing,
    // redraw at most every two seconds; when paused, at once.
    throttleMs: playing ? 2000 : 120,
    enabled: shownDiagram === 'sequence',
  });

  // Rate limit.
  const [rlKey, setRlKey] = useState<string | null>(null);
  const [rlSource, setRlSource] = useState<RateLimitSource>('run');
  const [fromFirst, setFromFirst] = useState(true);
  const [exampleAt, setExampleAt] = useState(60_000);
  const rate = useRunQuery(session, (c) => c.rateLimit(rlKey ?? undefined), [rlKey, shape.runId], { throttleMs: 200, enabled: shownDiagram === 'ratelimit' });
  const example = useRunQuery(session, (c) => c.workedExample(exampleAt), [exampleAt], { throttleMs: 0, enabled: shownDiagram === 'ratelimit' });

  // Chat.
  const [chatUser, setChatUser] = useState<string | null>(null);
  const user = chatUser !== null && users.some((u) => u.user === chatUser) ? chatUser : (users[0]?.user ?? null);
  const chat = useRunQuery(session, (c) => (user === null ? Promise.resolve(null) : c.chat(user)), [user, shape.runId], { throttleMs: 200, enabled: panel === 'chat' });

  // Events.
  const [tableQuery, setTableQuery] = useState<TableQuery>({ hideTimers: true, limit: 200 });
  const table = useRunQuery(session, (c) => c.table(tableQuery), [tableQuery, shape.runId], { throttleMs: 350, enabled: panel === 'events' });
  const loadEvent = useCallback((seq: number) => client.eventAt(seq), [client]);
  // The report panel's trace files (JSONL, Perfetto), read from the workbench when clicked.
  const traceAt = report.data?.simTimeMs ?? 0;
  const traceExport = useMemo(() => ({ stem: fileStem(stemScenario, stemSeed, traceAt, 'trace'), load: (format: TraceExportFormat) => client.exportTrace(format) }), [client, stemScenario, stemSeed, traceAt]);

  // A new run starts every view from its defaults (ids and keys of the old run mean nothing here),
  // or from the view a lab step asked for when it opened this run.
  const pendingFocus = useRef<FocusView | null>(null);
  /** The view an opened link asked for, applied when its run has loaded. */
  const linkView = useRef<LinkState | null>(link?.state ?? null);
  useEffect(() => {
    const focus = pendingFocus.current;
    pendingFocus.current = null;
    const fromLink = shape.runId > 0 ? linkView.current : null;
    if (shape.runId > 0) linkView.current = null;
    setChoice(fromLink?.message != null ? { mode: 'message', messageId: fromLink.message } : (focus?.choice ?? { mode: 'follow' }));
    setRlKey(fromLink?.rateLimitKey ?? null);
    setRlSource(focus?.rlSource ?? 'run');
  }, [shape.runId]);

  // ---- the lab: its panel asks the worker for a step and the workbench shows the step's run ----
  const labView = useLabManifest(client, lab);
  const [labSeed, setLabSeed] = useState<{ seed: number; serial: number } | null>(null);
  /** The run asked for last (the playback machine's), so a jump knows whether it stays in this run. */
  const requestedRun = useCallback((): RunRef => {
    const c = playback.getSnapshot().context;
    return { scenario: c.scenario, seed: c.seed, patch: (c.patch ?? null) as RunRef['patch'] };
  }, [playback]);
  const loadRun = useCallback(
    (run: RunRef, seekToMs: number, focus: FocusView | null) => {
      if (sameRun(run, requestedRun())) {
        if (focus !== null) applyFocus(focus, setDiagram, setChoice, setRlSource);
        seek(seekToMs);
        return;
      }
      pendingFocus.current = focus;
      if (focus?.diagram !== undefined) setDiagram(focus.diagram);
      playback.send({ type: 'LOAD', scenario: run.scenario, seed: run.seed, ...(run.patch === null ? {} : { patch: run.patch }), seekToMs });
    },
    [playback, requestedRun, seek],
  );
  /** A link into a lab opened its run already: the step's first showing keeps it when it is the same run. */
  const linkLabPending = useRef(link?.state.lab != null);
  const [labStepId, setLabStepId] = useState<string | null>(link?.state.lab?.step ?? null);
  const onLabShow = useCallback(
    (outcome: StepOutcome, step: LabStep, reveal: boolean) => {
      setLabStepId(step.id);
      if (linkLabPending.current) {
        linkLabPending.current = false;
        if (sameRun(outcome.run, requestedRun())) return;
      }
      const focus = focusView(step.focus, outcome.focusMessageId);
      // A step with wide content keeps it in view; its run loads behind the other tabs.
      loadRun(outcome.run, reveal ? outcome.seekToMs : 1, stageOf(step, { sweep: true, whiteboard: true })?.open === true ? { ...focus, diagram: 'lab' } : focus);
    },
    [loadRun, requestedRun],
  );
  const onFigure = useCallback((figure: Figure) => loadRun(figure.run, figure.moment, figure.messageId === null ? null : { choice: { mode: 'message', messageId: figure.messageId } }), [loadRun]);
  // A slider's point opens its run on the step's own diagram (the slider stays under its tab).
  const onOpenRun = useCallback((run: RunRef, step: LabStep) => loadRun(run, 1, { diagram: focusView(step.focus, null).diagram ?? 'sequence' }), [loadRun]);
  const onWhiteboardJump = useCallback((_seq: number, atMs: number | null) => seek(Math.floor(atMs ?? 0) + 1), [seek]);
  const whiteboard = useCallback(
    (diagram: 'sequence' | 'component', step: LabStep, answer: WhiteboardAnswer) => (
      <Suspense fallback={<p className="empty">Loading the whiteboard…</p>}>
        <LabWhiteboard
          session={session}
          runId={shape.runId}
          diagram={diagram}
          flow={step.focus.kind === 'whiteboard' ? (step.focus.flow ?? 'group') : 'group'}
          theme={theme}
          onJumpTo={onWhiteboardJump}
          answer={answer.answer}
          onAnswer={answer.onAnswer}
          onChecked={answer.onChecked}
        />
      </Suspense>
    ),
    [session, shape.runId, theme, onWhiteboardJump],
  );
  const onStage = useCallback((content: StageContent | null) => {
    setStage(content);
    if (content?.open === true) setDiagram('lab');
  }, []);
  const onShowStage = useCallback(() => setDiagram('lab'), []);
  const labResolve = useCallback((input: { labId: string; stepId: string; seed: number; input: Parameters<SimClient['labStep']>[3] }) => client.labStep(input.labId, input.stepId, input.seed, input.input), [client]);
  const loadedRun = useMemo((): RunRef | null => (shape.runScenario === null || shape.runSeed === null ? null : { scenario: shape.runScenario, seed: shape.runSeed, patch: (wanted.patch ?? null) as RunRef['patch'] }), [shape.runScenario, shape.runSeed, wanted.patch]);

  const onSend = useCallback((channel: string, text: string) => void (user === null ? undefined : session.sendAs(user, channel, text)), [session, user]);
  const onMembership = useCallback((channel: string, action: 'join' | 'leave') => void (user === null ? undefined : session.membershipAs(user, channel, action)), [session, user]);
  const onShowMessage = useCallback((id: string) => {
    setChoice({ mode: 'message', messageId: id });
    setDiagram('sequence');
  }, []);
  // A violation jumps to just after its moment (the playhead runs events strictly before it, so
  // at +1 ms the violating event has happened and every view shows it) and, when it is about a
  // message, draws that message's path.
  const onJump = useCallback(
    (v: ReportViolation) => {
      seek(v.at + 1);
      const id = messageIdOf(v);
      if (id !== undefined) setChoice({ mode: 'message', messageId: id });
    },
    [seek],
  );
  const onForget = useCallback((id: number) => void session.forget(id), [session]);
  const onLoadBurst = useMemo(() => (shape.runScenario === 'rate-limit-burst' ? undefined : () => load('rate-limit-burst', stemSeed)), [shape.runScenario, stemSeed, load]);

  // ---- the link (ADR 0027): the address bar names the state on screen; a link into a lab opens its step ----
  /** The link's fields for a run: the view's part comes from the screen, the run's from the caller. */
  const linkFields = useCallback(
    (scenario: string, seed: number, interventions: SessionState['interventions']): Omit<LinkState, 'nowMs'> => {
      const patch = wanted.patch;
      return {
        lab: lab === undefined ? null : { id: lab, step: labStepId },
        scenario,
        seed,
        patch: recordOrNull(patch),
        interventions: interventions.map((iv) => ({ at: iv.at, op: iv.op })),
        diagram: (LINK_DIAGRAMS as readonly string[]).includes(shownDiagram) ? (shownDiagram as LinkState['diagram']) : 'sequence',
        message: choice.mode === 'message' ? choice.messageId : null,
        rateLimitKey: rlKey,
        theme,
      };
    },
    [wanted.patch, lab, labStepId, shownDiagram, choice, rlKey, theme],
  );
  const linkBase = useMemo((): Omit<LinkState, 'nowMs'> | null => {
    if (!writeLink || !ready || shape.runScenario === null || shape.runSeed === null) return null;
    // A trace file browsed read-only is not a run a link can reproduce (its name is not a scenario).
    if (!shape.scenarios.some((x) => x.id === shape.runScenario)) return null;
    return linkFields(shape.runScenario, shape.runSeed, shape.interventions);
  }, [writeLink, ready, shape.runScenario, shape.runSeed, shape.scenarios, shape.interventions, linkFields]);
  const currentLink = useCallback((): LinkState | null => {
    const st = session.store.get();
    if (st.summary === null) return null;
    return { ...(linkBase ?? linkFields(st.summary.scenario, st.summary.seed, st.interventions)), nowMs: st.summary.nowMs };
  }, [linkBase, linkFields, session]);
  const linkStep = useMemo(() => {
    const want = link?.state.lab;
    if (want == null || want.step === null || want.id !== lab || labView.manifest === null) return { storage: undefined, message: null };
    const index = labView.manifest.steps.findIndex((st) => st.id === want.step);
    if (index === -1) return { storage: undefined, message: `Ignored the link's step "${want.step}": the lab "${labView.manifest.title}" has no such step; opened its saved step instead.` };
    return { storage: linkProgressStorage(browserStorage(), want.id, index, link?.state.seed ?? 42), message: null };
  }, [link, lab, labView.manifest]);
  const linkMessages = useMemo(() => [...(link?.messages ?? []), ...(linkStep.message === null ? [] : [linkStep.message])], [link, linkStep.message]);

  // ---- presentation mode (ADR 0028): it reads the screen and drives playback and the view ----
  const labStepTitle = labView.manifest?.steps.find((st) => st.id === labStepId)?.title ?? null;
  const present = useRef({ currentLink, status, speed, theme, toggleTheme, labStepTitle });
  present.current = { currentLink, status, speed, theme, toggleTheme, labStepTitle };
  useEffect(
    () =>
      bridge?.attach({
        snapshot: () => ({ link: present.current.currentLink(), status: present.current.status, speed: present.current.speed, theme: present.current.theme, traceHash: session.store.get().summary?.traceHash ?? null, labStep: present.current.labStepTitle }),
        subscribe: (listener) => session.store.subscribe(listener),
        play: () => playback.send({ type: 'PLAY' }),
        pause: () => playback.send({ type: 'PAUSE' }),
        seek,
        setSpeed: (v) => playback.send({ type: 'SPEED', speed: v }),
        setDiagram,
        setMessage: (id) => setChoice(id === null ? { mode: 'follow' } : { mode: 'message', messageId: id }),
        setRateLimitKey: setRlKey,
        toggleTheme: () => present.current.toggleTheme(),
      }),
    [bridge, session, playback, seek],
  );
  useEffect(() => bridge?.changed(), [bridge, status, speed, theme, linkBase, choice, rlKey, shownDiagram, labStepTitle]);

  const scenarioEntry = shape.scenarios.find((x) => x.id === (shape.runScenario ?? wanted.scenario)) ?? shape.scenario;
  // A failed worker stops the run: say so, and offer to go on with the same run on the main thread.
  const [workerFailure, setWorkerFailure] = useState<string | null>(client.failure?.message ?? null);
  useEffect(() => client.onFailure((e) => setWorkerFailure(e.message)), [client]);
  const goOn = useCallback(() => {
    const st = session.store.get();
    const run = { scenario: st.summary?.scenario ?? wanted.scenario, seed: st.summary?.seed ?? wanted.seed };
    onGoOnWithoutWorker({ ...run, resume: { interventions: st.interventions.map((iv) => ({ at: iv.at, op: iv.op })), nowMs: st.summary?.nowMs ?? 1 } });
  }, [session, wanted.scenario, wanted.seed, onGoOnWithoutWorker]);
  const notice =
    workerFailure !== null
      ? { kind: 'error' as const, text: `${workerFailure}. The run has stopped; going on runs it on the main thread instead, where a long run can make the page slower.` }
      : error !== null && status === 'failed'
        ? { kind: 'error' as const, text: `The simulation failed: ${error}` }
        : shape.notice;

  return (
    <div className="app" data-status={status}>
      <ToolbarArea
        session={session}
        scenarios={shape.scenarios}
        scenario={wanted.scenario}
        seed={wanted.seed}
        status={status}
        speed={speed}
        runtime={client.runtime}
        theme={theme}
        onLoad={load}
        onTogglePlay={() => playback.send({ type: 'TOGGLE' })}
        onStep={() => playback.send({ type: 'STEP' })}
        onSpeed={(v) => playback.send({ type: 'SPEED', speed: v })}
        onToggleTheme={toggleTheme}
        onHelp={() => setHelpOpen(true)}
        onHome={onHome}
        onCompare={
          onCompare === undefined
            ? undefined
            : () => {
                // The comparison starts from this run as it stands: its variant, its faults, its moment.
                const st = session.store.get();
                onCompare(wanted.scenario, wanted.seed, {
                  patch: recordOrNull(wanted.patch),
                  interventions: st.interventions.map((iv) => ({ at: iv.at, op: iv.op })),
                  atMs: st.summary?.nowMs ?? null,
                });
              }
        }
        linkButton={writeLink ? <CopyLinkButton current={currentLink} /> : undefined}
        {...customRuns.toolbar}
        traceFile={shape.traceFile}
        onPresent={onPresent === undefined ? undefined : () => {
          const state = currentLink();
          if (state !== null) onPresent(state);
        }}
      />
      {customRuns.dialog}
      {writeLink ? <LinkWriter session={session} base={linkBase} playing={playing} /> : null}
      <LinkNotice key={linkMessages.length} messages={linkMessages} />
      <Subbar session={session} markers={markers} busy={status === 'seeking'} disabled={!ready && status !== 'seeking'} onSeek={seek} />
      {lab === undefined ? <TraceFilePicker onOpen={(text, name) => session.openTrace(text, name)} disabled={status === 'loading'} /> : null}
      {notice === null ? null : (
        <div className={`notice-bar notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          {workerFailure !== null ? (
            <button type="button" className="small" onClick={goOn}>
              Continue on the main thread
            </button>
          ) : status === 'failed' ? (
            /unknown scenario/.test(error ?? '') ? (
              <button type="button" className="small" onClick={() => load('group-chat', wanted.seed)}>
                Load group-chat instead
              </button>
            ) : (
              <button type="button" className="small" onClick={() => load(wanted.scenario, wanted.seed)}>
                Reload the run
              </button>
            )
          ) : (
            <button type="button" className="icon-button small" onClick={() => session.dismissNotice()}>
              <Icon name="close" size={14} />
              <span className="visually-hidden">Dismiss</span>
            </button>
          )}
        </div>
      )}

      <main className={`workspace${lab === undefined ? '' : ' has-lab'}`}>
        <section className="stage" aria-label="Diagrams">
          <Tabs
            label="Diagrams"
            tabs={[
              { key: 'sequence', label: 'Sequence', shortcut: '1' },
              { key: 'pubsub', label: 'Pub/Sub', shortcut: '2' },
              { key: 'ratelimit', label: 'Rate limit', shortcut: '3' },
              ...(stage === null ? [] : [{ key: 'lab' as const, label: stage.label }]),
            ]}
            selected={shownDiagram}
            onSelect={setDiagram}
            actions={
              scenarioEntry === null || scenarioEntry === undefined ? null : (
                <p className="scenario-summary" title={scenarioEntry.description === '' ? scenarioEntry.summary : scenarioEntry.description}>
                  <strong>{scenarioEntry.id}</strong> {scenarioEntry.summary}
                </p>
              )
            }
          >
            {shownDiagram === 'sequence' ? (
              <SequenceArea
                session={session}
                view={sequence.data}
                stale={playing}
                choice={choice}
                onChoice={setChoice}
                theme={theme}
                channels={channels}
                users={userIds}
                stem={(now) => fileStem(stemScenario, stemSeed, now, 'sequence')}
              />
            ) : shownDiagram === 'pubsub' ? (
              <PubsubArea session={session} speed={speed} theme={theme} peers={peers} onOp={onOp} scenario={stemScenario} seed={stemSeed} disabled={!ready} />
            ) : shownDiagram === 'ratelimit' ? (
              <Suspense fallback={<p className="empty">Loading the rate-limit diagram…</p>}>
              <RateLimitPanel
                theme={theme}
                view={rate.data}
                example={example.data?.timeline ?? null}
                exampleAtMs={exampleAt}
                onExampleAt={setExampleAt}
                exampleTimes={example.data?.timesMs ?? NO_TIMES}
                source={rlSource}
                onSource={setRlSource}
                keyName={rlKey}
                onKey={setRlKey}
                fromFirst={fromFirst}
                onFromFirst={setFromFirst}
                onLoadBurst={onLoadBurst}
                onJump={seek}
                fileStem={fileStem(stemScenario, stemSeed, rate.data?.timeline.atMs ?? 0, 'rate-limit')}
              />
              </Suspense>
            ) : null}
            {lab === undefined ? null : <div ref={setStageHost} className="lab-stage" data-testid="lab-stage" hidden={shownDiagram !== 'lab'} />}
          </Tabs>
        </section>

        <aside className="sidebar" aria-label="Panels">
          <Tabs
            label="Panels"
            tabs={[
              ...(lab === undefined ? [] : [{ key: 'lab' as const, label: 'Lab' }]),
              { key: 'chat', label: 'Chat' },
              { key: 'events', label: 'Events' },
              { key: 'report', label: 'Report', badge: violations.length > 0 ? violations.length : undefined },
              { key: 'faults', label: 'Faults', badge: shape.interventions.length > 0 ? shape.interventions.length : undefined },
            ]}
            selected={panel}
            onSelect={setPanel}
          >
            {/* The lab panel stays mounted behind the other panels: its step, its runs and the wide content it draws in the diagram area live on. */}
            {lab === undefined ? null : (
              <div className="lab-panel-host" hidden={panel !== 'lab'}>
                {labView.manifest === null ? (
                  <p className={labView.error === null ? 'empty' : 'notice notice-error'} role={labView.error === null ? 'status' : 'alert'}>
                    {labView.error ?? 'Loading the lab…'}
                  </p>
                ) : (
                  <LabPanel
                    key={labView.manifest.id}
                    lab={labView.manifest}
                    resolve={labResolve}
                    loaded={loadedRun}
                    onShow={onLabShow}
                    onFigure={onFigure}
                    onSeek={seek}
                    seedRequest={labSeed}
                    onOpenRun={onOpenRun}
                    whiteboard={whiteboard}
                    stage={stageHost}
                    onStage={onStage}
                    onShowStage={onShowStage}
                    {...(linkStep.storage === undefined ? {} : { storage: linkStep.storage })}
                  />
                )}
              </div>
            )}
            {panel === 'lab' ? null : panel === 'chat' ? (
              <ChatPanel users={users} user={user} onUser={setChatUser} view={user === null ? null : chat.data} playing={playing} onSend={onSend} onMembership={onMembership} />
            ) : panel === 'events' ? (
              <EventTable page={table.data} query={tableQuery} onQuery={setTableQuery} onSeek={seek} loadEvent={loadEvent} onShowMessage={onShowMessage} />
            ) : panel === 'report' ? (
              <ReportPanel
                report={report.data}
                violations={runViolations}
                nowOf={nowOf}
                onJump={onJump}
                provisional={shape.provisional}
                fileStem={fileStem(stemScenario, stemSeed, report.data?.simTimeMs ?? 0, 'report')}
                traceExport={traceExport}
              />
            ) : (
              <FaultsArea session={session} nodes={shape.topology?.nodes ?? NO_NODES} interventions={shape.interventions} onOp={onOp} onForget={onForget} onSeek={seek} disabled={!ready} />
            )}
          </Tabs>
        </aside>
      </main>
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

/** What a lab step asks the diagrams to show. */
interface FocusView {
  readonly diagram?: DiagramTab;
  readonly choice?: SequenceChoice;
  readonly rlSource?: RateLimitSource;
}

/** The diagrams' view for a step's focus (the message its figure names, a window, a source). */
function focusView(focus: Focus, messageId: string | null): FocusView {
  switch (focus.kind) {
    case 'sequence':
      if (focus.messageFigure !== undefined && messageId !== null) return { diagram: 'sequence', choice: { mode: 'message', messageId, ...(focus.connect === true ? { connect: true } : {}) } };
      if (focus.span !== undefined) {
        const { channel, spanMs = 5_000, hops = 'client' } = focus.span;
        return { diagram: 'sequence', choice: { mode: 'window', spanMs, hops, maxChatMessages: 6, ...(channel === undefined ? {} : { channel }) } };
      }
      return { diagram: 'sequence', choice: { mode: 'follow' } };
    case 'pubsub':
      return { diagram: 'pubsub' };
    case 'ratelimit':
      return { diagram: 'ratelimit', rlSource: focus.source ?? 'run' };
    case 'report':
    case 'whiteboard':
      // The checks are in the lab panel itself; the whiteboard check arrives with its own part.
      return {};
  }
}

function applyFocus(focus: FocusView, setDiagram: (d: DiagramTab) => void, setChoice: (c: SequenceChoice) => void, setRlSource: (s: RateLimitSource) => void): void {
  if (focus.diagram !== undefined) setDiagram(focus.diagram);
  if (focus.choice !== undefined) setChoice(focus.choice);
  if (focus.rlSource !== undefined) setRlSource(focus.rlSource);
}

/** The lab's manifest, asked of the worker (the labs' code stays out of the page's bundle). */
function useLabManifest(client: SimClient, lab: string | undefined): { manifest: LabManifest | null; error: string | null } {
  const [state, setState] = useState<{ manifest: LabManifest | null; error: string | null }>({ manifest: null, error: null });
  useEffect(() => {
    if (lab === undefined) return;
    let live = true;
    client
      .labMap()
      .then((map) => {
        const found = map.flatMap((g) => g.labs).find((l) => l.lab.id === lab);
        if (!live) return;
        if (found?.status === 'ready') setState({ manifest: found.lab, error: null });
        else setState({ manifest: null, error: found === undefined ? `There is no lab "${lab}". Go back to the labs to pick one.` : `The lab "${found.lab.title}" is coming in a later version.` });
      })
      .catch((error: unknown) => {
        if (live) setState({ manifest: null, error: `The lab could not be loaded: ${error instanceof Error ? error.message : String(error)}` });
      });
    return () => {
      live = false;
    };
  }, [client, lab]);
  return state;
}

const NO_NODES: readonly { readonly id: string; readonly kind: string }[] = [];
const NO_TIMES: readonly number[] = [];

// ---- connected areas: each subscribes to the slice it draws, so a frame re-renders only them ----

function ToolbarArea({ session, ...props }: Omit<Parameters<typeof Toolbar>[0], 'nowMs'> & { session: Session }) {
  const nowMs = useNow(session);
  return <Toolbar {...props} nowMs={nowMs} />;
}

function Subbar({ session, markers, busy, disabled, onSeek }: { session: Session; markers: readonly TimelineMarker[]; busy: boolean; disabled: boolean; onSeek: (ms: number) => void }) {
  const summary = useStore(session.store, (st) => st.summary);
  return (
    <div className="subbar">
      <Timeline nowMs={summary?.nowMs ?? 0} frontierMs={summary?.frontierMs ?? 0} endMs={summary?.endMs ?? null} markers={markers} busy={busy} disabled={disabled} onSeek={onSeek} />
      <dl className="run-facts" aria-label="Run facts">
        <div>
          <dt>Events</dt>
          <dd data-testid="event-count" data-value={summary?.eventCount ?? 0}>
            {(summary?.eventCount ?? 0).toLocaleString('en-US')}
          </dd>
        </div>
        <div title={summary?.truncated === true ? 'The trace store is full: later events were not kept; counts and the hash cover every event.' : 'Same scenario + same seed ⇒ the same hash'}>
          <dt>Trace hash</dt>
          <dd className="mono" data-testid="trace-hash">
            {summary?.traceHash ?? '—'}
            {summary?.truncated === true ? ' (truncated)' : ''}
          </dd>
        </div>
      </dl>
    </div>
  );
}

function SequenceArea({
  session,
  view,
  stale,
  choice,
  onChoice,
  theme,
  channels,
  users,
  stem,
}: {
  session: Session;
  view: Parameters<typeof SequencePanel>[0]['view'];
  stale: boolean;
  choice: SequenceChoice;
  onChoice: (c: SequenceChoice) => void;
  theme: Theme;
  channels: readonly string[];
  users: readonly string[];
  stem: (nowMs: number) => string;
}) {
  // The window's caption names the playhead; a quarter-second step is precise enough for it.
  const nowMs = useNow(session, 250);
  return (
    <Suspense fallback={<p className="empty">Loading the sequence diagram…</p>}>
      <SequencePanel view={view} query={choice} onQuery={onChoice} theme={theme} channels={channels} users={users} nowMs={nowMs} fileStem={stem(view?.atMs ?? nowMs)} stale={stale} />
    </Suspense>
  );
}

function PubsubArea({ session, speed, theme, peers, onOp, scenario, seed, disabled }: { session: Session; speed: number; theme: Theme; peers: readonly string[]; onOp: (op: Op) => void; scenario: string; seed: number; disabled: boolean }) {
  const { graph, flows } = useStore(session.store, (st) => ({ graph: st.graph, flows: st.flows }), shallowEqual);
  const at = graph?.atMs ?? 0;
  return (
    <PubsubPanel
      graph={graph}
      flows={flows}
      speed={speed}
      theme={theme}
      peers={peers}
      onOp={onOp}
      fileStem={fileStem(scenario, seed, at, 'pubsub')}
      title={`Pub/sub component diagram — ${scenario}, seed ${seed}, t = ${(at / 1000).toFixed(3)} s`}
      disabled={disabled}
    />
  );
}

function FaultsArea({
  session,
  nodes,
  interventions,
  onOp,
  onForget,
  onSeek,
  disabled,
}: {
  session: Session;
  nodes: readonly { readonly id: string; readonly kind: string }[];
  interventions: SessionState['interventions'];
  onOp: (op: Op) => void;
  onForget: (id: number) => void;
  onSeek: (ms: number) => void;
  disabled: boolean;
}) {
  const graph = useStore(session.store, (st) => st.graph);
  const statusOf = useCallback((node: string) => graph?.nodes.find((n) => n.id === node)?.data.status ?? 'up', [graph]);
  const cutsOf = useCallback(
    (node: string) => {
      const cut = new Set<string>();
      for (const e of graph?.edges ?? []) {
        if (!e.data.partitioned) continue;
        if (e.source === node) cut.add(e.target);
        if (e.target === node) cut.add(e.source);
      }
      return [...cut].filter((n) => !n.startsWith('topic:'));
    },
    [graph],
  );
  return <FaultsPanel nodes={nodes} statusOf={statusOf} cutsOf={cutsOf} interventions={interventions} onOp={onOp} onForget={onForget} onSeek={onSeek} disabled={disabled} />;
}

export default App;
