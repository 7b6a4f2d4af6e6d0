/**
 * Presentation mode (ADR 0028), loaded only when a presentation opens: the presenter's window (the
 * workbench beside the presenter panel: the lesson, notes, what comes next, clicker keys) and an
 * audience's window (the diagrams alone, large, high-contrast, with a caption naming the run),
 * kept in step over a BroadcastChannel named after the presentation.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App } from '../App.tsx';
import type { OpenedLink } from '../link/AppLink.tsx';
import { decodeLink } from '../link/decode.ts';
import { DEFAULT_LINK_STATE, encodeLink } from '../link/state.ts';
import { presentAddress, type PresentRoute } from '../route.ts';
import type { SimClient } from '../runtime/simClient.ts';
import { createBridge, type WorkbenchControls } from './bridge.ts';
import { loadSavedLesson, lessonStorage, saveLesson, type Lesson } from './lesson.ts';
import { PresenterPanel, type PanelView } from './PresenterPanel.tsx';
import {
  BEAT_MS,
  channelName,
  clickerAction,
  effectsFor,
  parseMessage,
  presenceAfter,
  runKeyOf,
  type Effect,
  type KeyOwner,
  type LocalView,
  type Presence,
  type PresentMessage,
  type SyncState,
} from './protocol.ts';
import './present.css';

export interface PresentationProps {
  readonly route: PresentRoute;
  /** Where the presenter starts (a link's code), or null for the default run. */
  readonly code: string | null;
  readonly createClient: () => SimClient;
  /** Leaves presentation mode (back to the workbench on the state shown). */
  readonly onLeave: (code: string | null) => void;
}

/** A link opened in this window: numbered so each opening mounts a fresh workbench. */
interface Opened {
  readonly serial: number;
  readonly link: OpenedLink;
  /** The run this opening stands for (the presenter's key for an audience). */
  readonly runKey: string;
}

/** Opens links one at a time: a newer request wins over one still being read. */
function useOpener() {
  const [opened, setOpened] = useState<Opened | null>(null);
  const serial = useRef(0);
  const open = useCallback((code: string | null, runKey?: string) => {
    const mine = ++serial.current;
    const read = code === null ? Promise.resolve({ state: DEFAULT_LINK_STATE, messages: [] }) : decodeLink(code);
    void read
      .catch((error: unknown) => ({ state: DEFAULT_LINK_STATE, messages: [`The link could not be read (${error instanceof Error ? error.message : String(error)}).`] }))
      .then((link) => {
        if (mine === serial.current) setOpened({ serial: mine, link, runKey: runKey ?? runKeyOf(link.state) });
      });
  }, []);
  return { opened, open };
}

/** The workbench on an opened link (a lab's, or free play). */
function Stage({ opened, createClient, bridge, writeLink }: { opened: Opened; createClient: () => SimClient; bridge: ReturnType<typeof createBridge>; writeLink: boolean }) {
  const lab = opened.link.state.lab?.id;
  return lab === undefined ? (
    <App key={`free:${opened.serial}`} createClient={createClient} link={opened.link} bridge={bridge} syncUrl={false} writeLink={writeLink} />
  ) : (
    <App key={`lab:${opened.serial}`} createClient={createClient} lab={lab} link={opened.link} bridge={bridge} syncUrl={false} writeLink={writeLink} />
  );
}

/** Who else wants a key pressed on `target`: a text field, a widget that uses arrows, or nobody. */
export function keyOwnerOf(target: EventTarget | null): KeyOwner {
  if (!(target instanceof HTMLElement)) return null;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return 'text';
  if (target.tagName === 'INPUT') return ['range', 'checkbox', 'radio', 'button', 'submit', 'file'].includes((target as HTMLInputElement).type) ? 'widget' : 'text';
  if (target.closest('[role="tab"], [role="slider"], [role="grid"], [role="row"], [role="listbox"], [role="option"], [role="menu"], [role="tree"], .react-flow') !== null) return 'widget';
  return null;
}

/** Calls `onKey` with the clicker's next/previous while mounted (before the workbench's own keys see them). */
function useClickerKeys(onKey: (dir: 'next' | 'prev') => void) {
  const ref = useRef(onKey);
  ref.current = onKey;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('dialog[open]') !== null) return;
      const dir = clickerAction(event, keyOwnerOf(event.target));
      if (dir === null) return;
      // The workbench's shortcuts skip a handled key (→ steps there; here it is the next moment).
      event.preventDefault();
      ref.current(dir);
    };
    // Capture: seen before the workbench's window listener.
    addEventListener('keydown', listener, true);
    return () => removeEventListener('keydown', listener, true);
  }, []);
}

/** A BroadcastChannel for the presentation (null where the browser has none), closed on unmount. */
function useChannel(id: string, onMessage: (message: PresentMessage) => void): { post: (message: PresentMessage) => void; available: boolean } {
  const ref = useRef(onMessage);
  ref.current = onMessage;
  const channel = useRef<BroadcastChannel | null>(null);
  const available = typeof BroadcastChannel === 'function';
  useEffect(() => {
    if (!available) return;
    const ch = new BroadcastChannel(channelName(id));
    channel.current = ch;
    ch.onmessage = (event: MessageEvent<unknown>) => {
      const message = parseMessage(event.data);
      if (message !== null) ref.current(message);
    };
    return () => {
      channel.current = null;
      ch.close();
    };
  }, [id, available]);
  const post = useCallback((message: PresentMessage) => {
    try {
      channel.current?.postMessage(message);
    } catch {
      // A closed channel (the page is going away): nothing to tell.
    }
  }, []);
  return { post, available };
}

/** What the panel and the caption read of a workbench's snapshot (changes rarely: a string compares it). */
function viewOf(controls: WorkbenchControls | null): PanelView | null {
  const snap = controls?.snapshot();
  if (snap === undefined || snap.link === null) return null;
  return {
    scenario: snap.link.scenario,
    seed: snap.link.seed,
    // The caption shows milliseconds; while playing it moves in tenths.
    nowMs: snap.status === 'playing' ? Math.floor(snap.link.nowMs / 100) * 100 : snap.link.nowMs,
    status: snap.status,
    diagram: snap.link.diagram,
    traceHash: snap.traceHash,
    labStep: snap.labStep,
    lab: snap.link.lab?.id ?? null,
  };
}

function useView() {
  const [view, setView] = useState<PanelView | null>(null);
  const last = useRef('');
  const update = useCallback((controls: WorkbenchControls | null) => {
    const next = viewOf(controls);
    const sig = JSON.stringify(next);
    if (sig === last.current) return;
    last.current = sig;
    setView(next);
  }, []);
  return [view, update] as const;
}

// ---- the presenter ----------------------------------------------------------------------------------

function Presenter({ route, code, createClient, onLeave }: PresentationProps) {
  const { opened, open } = useOpener();
  // Where the presentation started; later states are the workbench's own (and the lesson's).
  const [start] = useState(code);
  useEffect(() => open(start), [open, start]);
  const [{ lesson, note }, setSaved] = useState(() => loadSavedLesson(lessonStorage()));
  const [storageNote, setStorageNote] = useState<string | null>(note);
  const setLesson = useCallback((next: Lesson) => {
    setSaved({ lesson: next, note: null });
    setStorageNote(saveLesson(lessonStorage(), next) ? null : 'This browser would not keep the lesson (storage full or blocked): export it to keep it.');
  }, []);
  /** The lesson's moment on screen, or null when the presenter is off the lesson. */
  const [index, setIndex] = useState<number | null>(null);
  const [view, updateView] = useView();

  // The state said last, and the link code of its run (encoded again only when the run changes).
  const said = useRef({ serial: 0, sig: '', runKey: '', code: '', encoding: 0 });
  const momentRef = useRef<SyncState['moment']>(null);
  momentRef.current = index === null || lesson.moments[index] === undefined ? null : { index, count: lesson.moments.length, title: lesson.moments[index].title };
  const bridgeRef = useRef<ReturnType<typeof createBridge> | null>(null);
  const postRef = useRef<(m: PresentMessage) => void>(() => undefined);
  const lastSent = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** Says the presenter's state on the channel (`force`: even when nothing changed, for a hello). */
  const say = useCallback((force = false) => {
    const controls = bridgeRef.current?.controls() ?? null;
    const snap = controls?.snapshot();
    if (snap === undefined || snap.link === null || snap.status === 'loading' || snap.status === 'failed') return;
    const link = snap.link;
    // A seek or a step in progress is said once it lands (its end is a change too).
    if (snap.status === 'seeking' || snap.status === 'stepping') return;
    const playing = snap.status === 'playing';
    const body = { runKey: runKeyOf(link), nowMs: link.nowMs, playing, speed: snap.speed, diagram: link.diagram, message: link.message, rateLimitKey: link.rateLimitKey, theme: snap.theme, moment: momentRef.current };
    const sig = JSON.stringify(body);
    if (!force && sig === said.current.sig) return;
    said.current.sig = sig;
    const send = (code: string) => {
      said.current.serial++;
      postRef.current({ v: 1, kind: 'state', state: { ...body, serial: said.current.serial, code } });
      document.body.dataset['presentSaid'] = String(said.current.serial);
    };
    if (body.runKey === said.current.runKey && said.current.code !== '') {
      said.current.encoding++;
      return send(said.current.code);
    }
    const runKey = body.runKey;
    const mine = ++said.current.encoding;
    void encodeLink(link).then((c) => {
      // A newer state was said meanwhile: it is the one sent (an older run must not arrive last).
      if (mine !== said.current.encoding) return;
      said.current.runKey = runKey;
      said.current.code = c;
      send(c);
    });
  }, []);

  /** Called on every change of the workbench (per frame while playing): throttled to a few a second while playing. */
  const onChange = useCallback(() => {
    const controls = bridgeRef.current?.controls() ?? null;
    updateView(controls);
    const playing = controls?.snapshot().status === 'playing';
    if (!playing) {
      if (pending.current !== null) clearTimeout(pending.current);
      pending.current = null;
      say();
      return;
    }
    if (pending.current !== null) return;
    const wait = Math.max(0, 500 - (performance.now() - lastSent.current));
    pending.current = setTimeout(() => {
      pending.current = null;
      lastSent.current = performance.now();
      say();
    }, wait);
  }, [say, updateView]);
  const bridge = useMemo(() => createBridge(() => onChange()), [onChange]);
  bridgeRef.current = bridge;
  useEffect(() => () => {
    if (pending.current !== null) clearTimeout(pending.current);
  }, []);

  const go = useCallback(
    (to: number, from: Lesson = lesson) => {
      const moment = from.moments[to];
      if (moment === undefined) return;
      setIndex(to);
      open(moment.link);
    },
    [lesson, open],
  );
  const step = useCallback((dir: 'next' | 'prev') => go(index === null ? (dir === 'next' ? 0 : lesson.moments.length - 1) : index + (dir === 'next' ? 1 : -1)), [go, index, lesson.moments.length]);
  useClickerKeys(step);

  const { post, available } = useChannel(route.id, (message) => {
    if (message.kind === 'hello') say(true);
    else if (message.kind === 'key') step(message.dir);
  });
  postRef.current = post;
  // The moment's title travels with the state: say it again when it changes.
  useEffect(() => say(), [say, index, lesson]);
  useEffect(() => {
    const beat = setInterval(() => post({ v: 1, kind: 'beat' }), BEAT_MS);
    const bye = () => post({ v: 1, kind: 'bye' });
    addEventListener('pagehide', bye);
    return () => {
      clearInterval(beat);
      removeEventListener('pagehide', bye);
      bye();
    };
  }, [post]);

  const audienceUrl = presentAddress({ role: 'audience', id: route.id }, null, location.search, location.pathname);
  const leave = useCallback(() => {
    const link = bridgeRef.current?.controls()?.snapshot().link ?? null;
    if (link === null) return onLeave(null);
    void encodeLink(link).then(onLeave);
  }, [onLeave]);
  const current = useCallback(async () => {
    const link = bridgeRef.current?.controls()?.snapshot().link ?? null;
    return link === null ? null : { state: link, code: await encodeLink(link) };
  }, []);

  return (
    <div className="presentation presenter" data-role="presenter" data-presentation={route.id} data-moment={index ?? ''}>
      <div className="present-stage">{opened === null ? <p className="empty">Opening the presentation…</p> : <Stage opened={opened} createClient={createClient} bridge={bridge} writeLink />}</div>
      <PresenterPanel
        lesson={lesson}
        onLesson={setLesson}
        index={index}
        onGo={go}
        view={view}
        current={current}
        audienceUrl={audienceUrl}
        channelMissing={!available}
        storageNote={storageNote}
        controls={() => bridgeRef.current?.controls() ?? null}
        onLeave={leave}
      />
    </div>
  );
}

// ---- an audience ------------------------------------------------------------------------------------

function Audience({ route, createClient, onLeave }: PresentationProps) {
  const { opened, open } = useOpener();
  const openedRef = useRef<Opened | null>(null);
  openedRef.current = opened;
  /** The run asked for last (what is being opened, or is open). */
  const wantedRun = useRef<string | null>(null);
  const latest = useRef<SyncState | null>(null);
  const [presence, setPresence] = useState<Presence>('waiting');
  const [moment, setMoment] = useState<SyncState['moment']>(null);
  const heard = useRef(performance.now());
  const [view, updateView] = useView();
  const bridgeRef = useRef<ReturnType<typeof createBridge> | null>(null);
  /** The last seek asked for each presenter state, so a playhead the run cannot reach is not asked for again and again. */
  const lastSeek = useRef<{ serial: number; toMs: number } | null>(null);

  const localView = useCallback((): LocalView | null => {
    const controls = bridgeRef.current?.controls() ?? null;
    const current = openedRef.current;
    if (current === null || wantedRun.current === null || current.runKey !== wantedRun.current) return wantedRun.current === null ? null : { ...PLACEHOLDER, runKey: wantedRun.current };
    const snap = controls?.snapshot();
    if (snap === undefined || snap.link === null) return { ...PLACEHOLDER, runKey: current.runKey };
    return {
      runKey: current.runKey,
      ready: snap.status === 'paused' || snap.status === 'playing',
      nowMs: snap.link.nowMs,
      playing: snap.status === 'playing',
      speed: snap.speed,
      diagram: snap.link.diagram,
      message: snap.link.message,
      rateLimitKey: snap.link.rateLimitKey,
      theme: snap.theme,
    };
  }, []);

  /** Brings this window to the presenter's latest state. */
  const follow = useCallback(() => {
    const remote = latest.current;
    if (remote === null) return;
    const controls = bridgeRef.current?.controls() ?? null;
    for (const effect of effectsFor(remote, localView())) apply(effect, remote.serial, controls);
    document.body.dataset['audienceFollowed'] = String(remote.serial);
    function apply(e: Effect, serial: number, c: WorkbenchControls | null) {
      switch (e.kind) {
        case 'open':
          wantedRun.current = e.runKey;
          lastSeek.current = null;
          return open(e.code, e.runKey);
        case 'seek':
          if (lastSeek.current?.serial === serial && lastSeek.current.toMs === e.toMs) return;
          lastSeek.current = { serial, toMs: e.toMs };
          return c?.seek(e.toMs);
        case 'play':
          return c?.play();
        case 'pause':
          return c?.pause();
        case 'speed':
          return c?.setSpeed(e.speed);
        case 'diagram':
          return c?.setDiagram(e.diagram);
        case 'message':
          return c?.setMessage(e.message);
        case 'rateLimitKey':
          return c?.setRateLimitKey(e.key);
        case 'theme':
          return c?.toggleTheme();
      }
    }
  }, [localView, open]);

  const onChange = useCallback(() => {
    updateView(bridgeRef.current?.controls() ?? null);
    follow();
  }, [follow, updateView]);
  const bridge = useMemo(() => createBridge(() => onChange()), [onChange]);
  bridgeRef.current = bridge;

  const { post, available } = useChannel(route.id, (message) => {
    // Only the presenter's words say it is there (another audience's hello does not).
    if (message.kind === 'state' || message.kind === 'beat' || message.kind === 'bye') {
      heard.current = performance.now();
      setPresence((p) => presenceAfter(p, message, 0));
    }
    // A beat re-applies the latest state: whatever changed here meanwhile (a key, a seek) is undone,
    // and a playhead the run could not reach is asked for once more.
    if (message.kind === 'beat') {
      lastSeek.current = null;
      return follow();
    }
    if (message.kind !== 'state') return;
    latest.current = message.state;
    setMoment(message.state.moment);
    follow();
  });
  useEffect(() => {
    post({ v: 1, kind: 'hello' });
    const tick = setInterval(() => setPresence((p) => presenceAfter(p, null, performance.now() - heard.current)), 1000);
    return () => clearInterval(tick);
  }, [post]);
  useClickerKeys((dir) => post({ v: 1, kind: 'key', dir }));

  return (
    <div className="presentation audience" data-role="audience" data-presentation={route.id} data-presence={presence}>
      {presence === 'gone' ? (
        <div className="present-gone" role="alert" data-testid="presenter-gone">
          {opened === null
            ? `No presenter’s window answers for presentation “${route.id}”: open this window from the presenter’s “Open audience window”. It follows as soon as the presenter answers.`
            : 'The presenter’s window has closed or stopped answering. This window shows the last moment it sent; it follows again when the presenter comes back.'}
          <button type="button" className="small" onClick={() => onLeave(null)}>
            Leave
          </button>
        </div>
      ) : null}
      {!available ? (
        <p className="present-gone" role="alert">
          This browser has no BroadcastChannel: an audience window cannot follow the presenter here.
        </p>
      ) : null}
      <div className="present-stage">
        {opened === null ? (
          <p className="empty present-waiting" role="status">
            Waiting for the presenter’s window (presentation “{route.id}”)…
          </p>
        ) : (
          <Stage opened={opened} createClient={createClient} bridge={bridge} writeLink={false} />
        )}
      </div>
      <Caption view={view} moment={moment} />
    </div>
  );
}

const PLACEHOLDER: LocalView = { runKey: '', ready: false, nowMs: 0, playing: false, speed: 1, diagram: 'sequence', message: null, rateLimitKey: null, theme: 'light' };

/** The audience's thin caption: the run (scenario, seed: always visible), the playhead, the lesson's moment. */
function Caption({ view, moment }: { view: PanelView | null; moment: SyncState['moment'] }) {
  if (view === null) return null;
  return (
    <footer
      className="present-caption"
      data-testid="audience-caption"
      data-scenario={view.scenario}
      data-seed={view.seed}
      data-now-ms={view.nowMs}
      data-status={view.status}
      data-diagram={view.diagram}
      data-trace-hash={view.traceHash ?? ''}
    >
      <span>
        <strong>{view.scenario}</strong> · seed <strong>{view.seed}</strong> · t = <span className="mono">{(view.nowMs / 1000).toFixed(3)}</span> s
      </span>
      {view.labStep === null ? null : <span>{view.labStep}</span>}
      {moment === null ? null : (
        <span>
          {moment.index + 1}/{moment.count}: {moment.title}
        </span>
      )}
      <span className="mono present-hash" title="Same scenario + same seed ⇒ the same hash">
        {view.traceHash ?? '—'}
      </span>
    </footer>
  );
}

/** Presentation mode's page: the presenter's window or an audience's. */
export default function Presentation(props: PresentationProps) {
  return props.route.role === 'presenter' ? <Presenter key={props.route.id} {...props} /> : <Audience key={props.route.id} {...props} />;
}
