import { useEffect, useId, useState, type ReactNode } from 'react';
import type { ScenarioEntry } from '../../workbench/index.ts';
import { formatSpeed, formatVirtualTime, parseSeed } from '../format.ts';
import { SPEEDS } from '../machines/playback.ts';
import { runtimeLabel, type RuntimeKind } from '../runtime/simClient.ts';
import { Icon } from './Icon.tsx';

/** Where playback is, as the machine says. */
export type PlaybackStatus = 'loading' | 'paused' | 'playing' | 'stepping' | 'seeking' | 'failed';

const STATUS_TEXT: Record<PlaybackStatus, string> = {
  loading: 'Loading…',
  paused: 'Paused',
  playing: 'Playing',
  stepping: 'Stepping…',
  seeking: 'Seeking…',
  failed: 'Failed',
};

export interface ToolbarProps {
  readonly scenarios: readonly ScenarioEntry[];
  readonly scenario: string;
  /** The seed of the loaded run. */
  readonly seed: number;
  readonly status: PlaybackStatus;
  readonly speed: number;
  readonly nowMs: number;
  readonly runtime: RuntimeKind | null;
  readonly theme: 'light' | 'dark';
  readonly onLoad: (scenario: string, seed: number) => void;
  readonly onTogglePlay: () => void;
  readonly onStep: () => void;
  readonly onSpeed: (speed: number) => void;
  readonly onToggleTheme: () => void;
  readonly onHelp: () => void;
  /** Back to the home screen (the lab's map); no link without it. */
  readonly onHome?: (() => void) | undefined;
  /** Opens two runs side by side from this one (ADR 0029); no entry without it. */
  readonly onCompare?: (() => void) | undefined;
  /** The "Copy link" button (ADR 0027), shown before the theme button. */
  readonly linkButton?: ReactNode;
  /** The trace file browsed read-only (ADR 0025), named in the picker instead of the last scenario; picking one runs it. */
  readonly traceFile?: string | null | undefined;
  /** Free play's custom scenarios (ADR 0030): their names, listed in the picker's own group. */
  readonly customs?: readonly string[] | undefined;
  /** The custom scenario loaded, when the run is one. */
  readonly custom?: string | null | undefined;
  readonly onLoadCustom?: ((name: string, seed: number) => void) | undefined;
  /** The "Edit scenario" button (ADR 0030), shown after the run picker. */
  readonly editButton?: ReactNode;
  /** Starts presentation mode (ADR 0028) from the state on screen; no button without it. */
  readonly onPresent?: (() => void) | undefined;
}

/** The nearest offered speed's index, for the slider. */
function speedIndex(speed: number): number {
  let best = 0;
  SPEEDS.forEach((s, i) => {
    if (Math.abs(Math.log(s) - Math.log(speed)) < Math.abs(Math.log(SPEEDS[best] as number) - Math.log(speed))) best = i;
  });
  return best;
}

/** The picker's entry for a trace file being browsed (not a scenario id: ids are word characters). */
const TRACE_OPTION = ':trace-file';

/**
 * The top bar: which run (scenario and seed, always visible and editable), the transport (play,
 * pause, step, speed), where the playhead is, and the theme and help buttons.
 */
export function Toolbar(props: ToolbarProps) {
  const { scenarios, scenario, seed, status, speed, nowMs, runtime, theme } = props;
  const ids = { scenario: useId(), seed: useId(), speed: useId(), hint: useId() };
  const [seedText, setSeedText] = useState(String(seed));
  // A load from elsewhere (the URL, a story) shows its seed.
  useEffect(() => setSeedText(String(seed)), [seed]);
  const parsed = parseSeed(seedText);
  const busy = status === 'loading';
  const playing = status === 'playing';
  const canPlay = status === 'paused' || status === 'playing' || status === 'seeking';
  const custom = props.custom ?? null;
  const traceFile = props.traceFile ?? null;
  const submitSeed = () => {
    if (parsed === null) return;
    if (custom !== null && props.onLoadCustom !== undefined) props.onLoadCustom(custom, parsed);
    else props.onLoad(scenario, parsed);
  };
  const customs = props.customs ?? [];
  const presetOptions = scenarios.map((s) => (
    <option key={s.id} value={s.id}>
      {s.id}
    </option>
  ));
  const current = scenarios.find((s) => s.id === scenario);

  return (
    <header className="toolbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ⇄
        </span>
        <h1>Switchboard</h1>
        {props.onHome === undefined ? null : (
          <a
            className="home-link"
            href="#/"
            onClick={(event) => {
              event.preventDefault();
              props.onHome?.();
            }}
          >
            All labs
          </a>
        )}
        {props.onCompare === undefined ? null : (
          <a
            className="home-link"
            href="#/compare"
            title="This run beside another: one decision changed, same seed"
            onClick={(event) => {
              event.preventDefault();
              props.onCompare?.();
            }}
          >
            Compare…
          </a>
        )}
      </div>

      <form
        className="run-picker"
        aria-label="Run"
        onSubmit={(event) => {
          event.preventDefault();
          submitSeed();
        }}
      >
        <div className="field">
          <label htmlFor={ids.scenario}>Scenario</label>
          <select
            id={ids.scenario}
            value={traceFile !== null ? TRACE_OPTION : custom === null ? scenario : `custom:${custom}`}
            disabled={scenarios.length === 0}
            title={traceFile !== null ? `${traceFile}: a trace file, browsed read-only; pick a scenario to run one` : custom === null ? current?.summary : `Your scenario, based on ${scenario}`}
            onChange={(event) => {
              const v = event.currentTarget.value;
              if (v === TRACE_OPTION) return;
              if (v.startsWith('custom:')) props.onLoadCustom?.(v.slice('custom:'.length), parsed ?? seed);
              else props.onLoad(v, parsed ?? seed);
            }}
          >
            {scenarios.length === 0 ? <option value={scenario}>{scenario}</option> : null}
            {traceFile === null ? null : (
              <option value={TRACE_OPTION} disabled>
                {`Trace file: ${traceFile}`}
              </option>
            )}
            {customs.length === 0 ? (
              presetOptions
            ) : (
              <>
                <optgroup label="Presets">{presetOptions}</optgroup>
                <optgroup label="Your scenarios">
                  {customs.map((name) => (
                    <option key={name} value={`custom:${name}`}>
                      {name}
                    </option>
                  ))}
                </optgroup>
              </>
            )}
          </select>
        </div>
        <div className="field seed-field">
          <label htmlFor={ids.seed}>Seed</label>
          <input
            id={ids.seed}
            className="seed-input"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            value={seedText}
            aria-invalid={parsed === null}
            aria-describedby={ids.hint}
            onChange={(event) => setSeedText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setSeedText(String(seed));
            }}
          />
          <button type="submit" className="icon-button" disabled={parsed === null || busy} title="Load this scenario with this seed (Enter)">
            <Icon name="reload" />
            <span className="visually-hidden">Load run</span>
          </button>
          <span id={ids.hint} className={parsed === null ? 'field-hint error' : 'visually-hidden'}>
            {parsed === null ? 'A whole number, 0 to 4294967295' : 'Same scenario and seed, same run. Press Enter to load.'}
          </span>
        </div>
        {props.editButton}
      </form>

      <div className="transport" role="group" aria-label="Playback">
        <button type="button" className="primary play-button" disabled={!canPlay} onClick={props.onTogglePlay} aria-keyshortcuts="Space" title="Play or pause (Space)">
          <Icon name={playing ? 'pause' : 'play'} />
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" disabled={!canPlay} onClick={props.onStep} aria-keyshortcuts="ArrowRight" title="Process the next event (→)">
          <Icon name="step" />
          Step
        </button>
        <div className="field speed-field">
          <label htmlFor={ids.speed}>Speed</label>
          <input
            id={ids.speed}
            type="range"
            min={0}
            max={SPEEDS.length - 1}
            step={1}
            value={speedIndex(speed)}
            aria-valuetext={`${formatSpeed(speed)} real time`}
            aria-keyshortcuts="[ ]"
            title="Slower [  ·  faster ]"
            onChange={(event) => props.onSpeed(SPEEDS[Number(event.currentTarget.value)] ?? 1)}
          />
          <output htmlFor={ids.speed} className="speed-value">
            {formatSpeed(speed)}
          </output>
        </div>
      </div>

      <div className="clock" aria-live="off">
        <span className="clock-time" data-testid="sim-time">
          {formatVirtualTime(nowMs)}
        </span>
        <span className={`badge badge-${status}`} data-testid="run-status" role="status">
          {STATUS_TEXT[status]}
        </span>
      </div>

      <div className="toolbar-end">
        {runtime === null ? null : (
          <span className="runtime" data-testid="runtime" title={runtime === 'worker' ? 'The simulation runs in a Web Worker' : 'The simulation runs on the main thread (?worker=0)'}>
            {runtimeLabel(runtime)}
          </span>
        )}
        {props.linkButton}
        {props.onPresent === undefined ? null : (
          <button type="button" className="small" data-testid="present" onClick={props.onPresent} title="Present this run: a presenter window with a lesson and notes, and an audience window for the projector">
            Present
          </button>
        )}
        <button type="button" className="icon-button" onClick={props.onToggleTheme} title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme (T)`}>
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
          <span className="visually-hidden">{theme === 'dark' ? 'Light theme' : 'Dark theme'}</span>
        </button>
        <button type="button" className="icon-button" onClick={props.onHelp} aria-keyshortcuts="?" title="Keyboard shortcuts (?)">
          <Icon name="help" />
          <span className="visually-hidden">Keyboard shortcuts</span>
        </button>
      </div>
    </header>
  );
}
