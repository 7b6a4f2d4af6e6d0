/**
 * The presenter's panel (ADR 0028): the lesson's moments in order (go to one, move it, delete it),
 * the current moment's notes and the next one's title, the lab step shown, play/pause and the
 * clicker's previous/next, "Add this moment", the audience window, and the lesson as a file.
 */
import { useId, useRef, useState } from 'react';
import type { LinkState } from '../link/state.ts';
import type { WorkbenchControls, WorkbenchSnapshot } from './bridge.ts';
import { lessonFileName, lessonJson, moveMoment, readLesson, removeMoment, type Lesson } from './lesson.ts';

/** What the panel (and the audience's caption) shows of the workbench. */
export interface PanelView {
  readonly scenario: string;
  readonly seed: number;
  readonly nowMs: number;
  readonly status: WorkbenchSnapshot['status'];
  readonly diagram: LinkState['diagram'];
  readonly traceHash: string | null;
  readonly labStep: string | null;
  readonly lab: string | null;
}

export interface PresenterPanelProps {
  readonly lesson: Lesson;
  readonly onLesson: (lesson: Lesson) => void;
  /** The moment on screen, or null when the presenter is off the lesson. */
  readonly index: number | null;
  /** Opens moment `index` of the lesson (of `lesson`, when it was just replaced). */
  readonly onGo: (index: number, lesson?: Lesson) => void;
  readonly view: PanelView | null;
  /** The state on screen and its link code (null before the run loads). */
  readonly current: () => Promise<{ state: LinkState; code: string } | null>;
  readonly audienceUrl: string;
  readonly channelMissing: boolean;
  /** Why the lesson is not kept in this browser, when it is not. */
  readonly storageNote: string | null;
  readonly controls: () => WorkbenchControls | null;
  readonly onLeave: () => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

export function PresenterPanel({ lesson, onLesson, index, onGo, view, current, audienceUrl, channelMissing, storageNote, controls, onLeave }: PresenterPanelProps) {
  const ids = { title: useId(), momentTitle: useId(), notes: useId(), file: useId() };
  const [draft, setDraft] = useState({ title: '', notes: '' });
  const [errors, setErrors] = useState<readonly string[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [audienceBlocked, setAudienceBlocked] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const moment = index === null ? undefined : lesson.moments[index];
  const nextIndex = index === null ? 0 : index + 1;
  const next = lesson.moments[nextIndex];
  const playing = view?.status === 'playing';

  const add = async () => {
    const now = await current();
    if (now === null) return;
    const title = draft.title.trim() === '' ? `${now.state.scenario}, seed ${now.state.seed}, t = ${seconds(now.state.nowMs)}` : draft.title.trim();
    const at = index === null ? lesson.moments.length : index + 1;
    const moments = [...lesson.moments];
    moments.splice(at, 0, { title, notes: draft.notes, link: now.code });
    onLesson({ ...lesson, moments });
    setDraft({ title: '', notes: '' });
    setStatus(`Added “${title}” as moment ${at + 1}.`);
  };

  const exportLesson = () => {
    const blob = new Blob([lessonJson(lesson)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = lessonFileName(lesson);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const openFile = async (file: File) => {
    setErrors(null);
    setStatus(`Reading ${file.name}…`);
    let text: string;
    try {
      text = await file.text();
    } catch {
      setStatus(null);
      return setErrors([`${file.name} could not be read.`]);
    }
    const read = await readLesson(text);
    if (!read.ok) {
      setStatus(null);
      return setErrors(read.errors.map((e) => `${file.name}: ${e}`));
    }
    onLesson(read.lesson);
    setStatus(`Opened “${read.lesson.title}” (${read.lesson.moments.length} moments).`);
    if (read.lesson.moments.length > 0) onGo(0, read.lesson);
  };

  const openAudience = () => {
    const w = window.open(audienceUrl, '_blank', 'popup,width=1280,height=720');
    setAudienceBlocked(w === null);
  };

  return (
    <aside className="presenter-panel" aria-label="Presenter" data-testid="presenter-panel">
      <header className="presenter-head">
        <label htmlFor={ids.title} className="visually-hidden">
          Lesson title
        </label>
        <input id={ids.title} className="presenter-title" value={lesson.title} maxLength={200} onChange={(e) => onLesson({ ...lesson, title: e.target.value })} />
        <button type="button" className="small" onClick={onLeave}>
          Leave
        </button>
      </header>

      <div className="presenter-row">
        <button type="button" onClick={openAudience} data-testid="open-audience">
          Open audience window
        </button>
        <a className="presenter-url" href={audienceUrl} target="_blank" rel="noreferrer">
          audience link
        </a>
      </div>
      {audienceBlocked ? <p className="notice notice-error">The browser blocked the new window: open the audience link by hand (drag it to the projector’s screen).</p> : null}
      {channelMissing ? <p className="notice notice-error">This browser has no BroadcastChannel: an audience window cannot follow here.</p> : null}

      <section
        className="presenter-now"
        aria-label="Now"
        data-testid="presenter-now"
        data-scenario={view?.scenario}
        data-seed={view?.seed}
        data-now-ms={view?.nowMs}
        data-status={view?.status}
        data-diagram={view?.diagram}
        data-trace-hash={view?.traceHash ?? ''}
      >
        <h2>{moment === undefined ? 'Off the lesson' : `${(index ?? 0) + 1}/${lesson.moments.length}: ${moment.title}`}</h2>
        {view?.labStep == null ? null : <p className="presenter-step">Lab step: {view.labStep}</p>}
        {view === null ? null : (
          <p className="presenter-run">
            {view.scenario} · seed {view.seed} · t = {seconds(view.nowMs)}
          </p>
        )}
        {moment === undefined ? null : moment.notes === '' ? <p className="empty">No notes for this moment.</p> : <p className="presenter-notes">{moment.notes}</p>}
        <p className="presenter-next" data-testid="presenter-next">
          {next === undefined ? (lesson.moments.length === 0 ? 'No moments yet: add this one below.' : 'Next: the end of the lesson.') : `Next: ${next.title}`}
        </p>
        <div className="presenter-row">
          <button type="button" onClick={() => onGo((index ?? 0) - 1)} disabled={index === null || index <= 0} aria-keyshortcuts="PageUp">
            ◀ Previous
          </button>
          <button type="button" onClick={() => (playing ? controls()?.pause() : controls()?.play())} disabled={view === null}>
            {playing ? 'Pause' : 'Play'}
          </button>
          <button type="button" onClick={() => onGo(nextIndex)} disabled={next === undefined} aria-keyshortcuts="PageDown">
            Next ▶
          </button>
        </div>
        <p className="presenter-hint">PageDown/PageUp (a clicker) or → / ← go through the moments; Shift+→/← seek.</p>
      </section>

      <section className="presenter-add" aria-label="Add this moment">
        <label htmlFor={ids.momentTitle}>Moment title</label>
        <input id={ids.momentTitle} value={draft.title} maxLength={200} placeholder="The scenario, seed and time" onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
        <label htmlFor={ids.notes}>Notes</label>
        <textarea id={ids.notes} value={draft.notes} rows={3} maxLength={10_000} onChange={(e) => setDraft({ ...draft, notes: e.target.value })} />
        <button type="button" onClick={() => void add()} disabled={view === null} data-testid="add-moment">
          Add this moment
        </button>
      </section>

      <section aria-label="Moments">
        <h3>Moments</h3>
        {lesson.moments.length === 0 ? (
          <p className="empty">The lesson has no moments yet.</p>
        ) : (
          <ol className="presenter-moments" data-testid="moments">
            {lesson.moments.map((m, i) => (
              <li key={`${i}:${m.link}`} aria-current={i === index ? 'step' : undefined}>
                <button type="button" className="presenter-moment" onClick={() => onGo(i)}>
                  {i + 1}. {m.title}
                </button>
                <button type="button" className="icon-button small" onClick={() => onLesson(moveMoment(lesson, i, i - 1))} disabled={i === 0} aria-label={`Move moment ${i + 1} up`}>
                  ↑
                </button>
                <button type="button" className="icon-button small" onClick={() => onLesson(moveMoment(lesson, i, i + 1))} disabled={i === lesson.moments.length - 1} aria-label={`Move moment ${i + 1} down`}>
                  ↓
                </button>
                <button type="button" className="icon-button small" onClick={() => onLesson(removeMoment(lesson, i))} aria-label={`Delete moment ${i + 1}`}>
                  ✕
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="presenter-row" aria-label="Lesson file">
        <button type="button" onClick={exportLesson} disabled={lesson.moments.length === 0} data-testid="export-lesson">
          Export lesson
        </button>
        <label htmlFor={ids.file} className="button-like">
          Open lesson…
        </label>
        <input
          ref={fileInput}
          id={ids.file}
          className="visually-hidden"
          type="file"
          accept=".json,application/json"
          data-testid="open-lesson"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file !== undefined) void openFile(file);
          }}
        />
      </section>
      {status === null ? null : (
        <p className="presenter-status" role="status">
          {status}
        </p>
      )}
      {storageNote === null ? null : <p className="notice notice-warn">{storageNote}</p>}
      {errors === null ? null : (
        <div className="notice notice-error" role="alert" data-testid="lesson-error">
          <strong>The lesson was not opened.</strong>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  );
}
