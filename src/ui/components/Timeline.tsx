import { useId, useState } from 'react';
import { formatShortTime, formatVirtualTime } from '../format.ts';

/** Something worth jumping to on the timeline. */
export interface TimelineMarker {
  readonly at: number;
  /** `scripted…`: the scenario's own fault script; the others are the person's actions and the checkers' findings. */
  readonly kind: 'fault' | 'repair' | 'send' | 'violation' | 'scripted' | 'scripted-repair';
  readonly label: string;
}

export interface TimelineProps {
  readonly nowMs: number;
  /** The furthest time this run has reached; beyond it the run is computed on demand. */
  readonly frontierMs: number;
  /** The scenario's end, or null. */
  readonly endMs: number | null;
  readonly markers: readonly TimelineMarker[];
  /** True while a seek runs. */
  readonly busy?: boolean;
  readonly disabled?: boolean;
  readonly onSeek: (ms: number) => void;
}

/** Markers drawn at most, so a run with thousands of violations stays readable. */
export const MAX_MARKERS = 60;

/** At most `max` markers: every fault, repair and send, then violations evenly spread. */
export function sampleMarkers(markers: readonly TimelineMarker[], max: number): TimelineMarker[] {
  const kept = markers.filter((m) => m.kind !== 'violation').slice(0, max);
  const violations = markers.filter((m) => m.kind === 'violation');
  const room = max - kept.length;
  if (room <= 0 || violations.length === 0) return kept;
  const step = violations.length / room;
  for (let i = 0; i < room && Math.floor(i * step) < violations.length; i++) kept.push(violations[Math.floor(i * step)] as TimelineMarker);
  return kept;
}

const KIND_TEXT: Record<TimelineMarker['kind'], string> = {
  fault: 'Fault',
  repair: 'Repair',
  send: 'Sent by you',
  violation: 'Violation',
  scripted: 'Scripted fault',
  'scripted-repair': 'Scripted repair',
};

/**
 * The scrubber: drag or use the arrow keys to move the playhead back and forth (the run is
 * restored from a snapshot and replayed). Faults you injected, messages you sent and checker
 * violations are marks you can click to jump to.
 */
export function Timeline({ nowMs, frontierMs, endMs, markers, busy = false, disabled = false, onSeek }: TimelineProps) {
  const id = useId();
  const [dragMs, setDragMs] = useState<number | null>(null);
  const extent = Math.max(1000, frontierMs, endMs ?? 0, nowMs);
  const shown = dragMs ?? nowMs;
  const pct = (ms: number): string => `${Math.min(100, Math.max(0, (100 * ms) / extent))}%`;
  const capped = markers.length > MAX_MARKERS;
  // Past the cap, faults and sends all stay and violations are sampled evenly across the run.
  const visible = capped ? sampleMarkers(markers, MAX_MARKERS) : markers;
  const seek = (ms: number) => {
    setDragMs(ms);
    onSeek(ms);
  };
  return (
    <div className={`timeline${busy ? ' is-busy' : ''}`} data-testid="timeline">
      <label htmlFor={id} className="visually-hidden">
        Playhead (virtual time)
      </label>
      <span className="timeline-edge" aria-hidden="true">
        0
      </span>
      <div className="timeline-track">
        <div className="timeline-rail" aria-hidden="true">
          <div className="timeline-computed" style={{ width: pct(frontierMs) }} />
          <div className="timeline-played" style={{ width: pct(shown) }} />
          {endMs === null ? null : <div className="timeline-end" style={{ left: pct(endMs) }} title={`Scenario ends at ${formatShortTime(endMs)}`} />}
          <div className="timeline-thumb" style={{ left: pct(shown) }} />
        </div>
        <input
          id={id}
          className="timeline-input"
          type="range"
          min={0}
          max={extent}
          step={10}
          value={Math.min(extent, shown)}
          disabled={disabled}
          aria-valuetext={formatVirtualTime(shown)}
          aria-keyshortcuts="Shift+ArrowLeft Shift+ArrowRight"
          onChange={(event) => seek(Number(event.currentTarget.value))}
          onPointerUp={() => setDragMs(null)}
          onKeyUp={() => setDragMs(null)}
          onBlur={() => setDragMs(null)}
        />
        <div className="timeline-markers">
          {visible.map((m, i) => (
            <button
              key={`${m.kind}-${m.at}-${i}`}
              type="button"
              className={`timeline-marker marker-${m.kind}`}
              style={{ left: pct(m.at) }}
              title={`${KIND_TEXT[m.kind]} at ${formatVirtualTime(m.at)}: ${m.label}`}
              aria-label={`${KIND_TEXT[m.kind]} at ${formatVirtualTime(m.at)}: ${m.label}`}
              disabled={disabled}
              onClick={() => {
                setDragMs(null);
                onSeek(m.at);
              }}
            />
          ))}
        </div>
      </div>
      <span className="timeline-edge" aria-hidden="true">
        {formatShortTime(extent)}
      </span>
      {capped ? <span className="timeline-cap">{`${visible.length} of ${markers.length} marks`}</span> : null}
    </div>
  );
}
