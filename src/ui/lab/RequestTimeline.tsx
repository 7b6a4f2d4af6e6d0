import { useId, useState, type MouseEvent } from 'react';

export interface RequestVerdict {
  readonly second: number;
  readonly allowed: boolean;
  readonly at: number;
}

export interface RequestTimelineProps {
  readonly label: string;
  /** Placed requests, whole seconds, sorted. */
  readonly seconds: readonly number[];
  readonly maxSeconds: number;
  readonly maxCount: number;
  /** The student's verdict per request (true = allow), in the order of `seconds`. */
  readonly predicted: readonly (boolean | null)[];
  /** The limiter's verdicts once the run answered, or null before. */
  readonly verdicts: readonly RequestVerdict[] | null;
  /** Locked once the prediction is committed. */
  readonly locked: boolean;
  readonly onSeconds: (seconds: number[]) => void;
  readonly onPredicted: (predicted: (boolean | null)[]) => void;
  /** Jumps to a verdict's moment in the run. */
  readonly onSeek: (ms: number) => void;
}

const TICKS = [0, 10, 20, 30, 40, 50, 60];

/**
 * The student's own traffic on a timeline: click the track (or type a second) to place a request,
 * mark each one allow or deny, and once the run answered, see the limiter's verdict beside each
 * prediction, linked to its moment.
 */
export function RequestTimeline(props: RequestTimelineProps) {
  const { seconds, maxSeconds, maxCount, predicted, verdicts, locked } = props;
  const inputId = useId();
  const [draft, setDraft] = useState('');
  const full = seconds.length >= maxCount;
  const add = (second: number) => {
    if (locked || full || !Number.isInteger(second) || second < 0 || second > maxSeconds) return;
    const next = [...seconds, second].sort((a, b) => a - b);
    const at = next.lastIndexOf(second);
    const p = [...predicted];
    p.splice(at, 0, null);
    props.onSeconds(next);
    props.onPredicted(p);
  };
  const remove = (i: number) => {
    if (locked) return;
    props.onSeconds(seconds.filter((_, j) => j !== i));
    props.onPredicted(predicted.filter((_, j) => j !== i));
  };
  const mark = (i: number, allowed: boolean) => {
    if (locked) return;
    const p = [...predicted];
    p[i] = allowed;
    props.onPredicted(p);
  };
  const onTrack = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    add(Math.round(((event.clientX - box.left) / box.width) * maxSeconds));
  };
  const pct = (s: number) => `${(s / maxSeconds) * 100}%`;
  const draftSecond = draft.trim() === '' ? null : Number(draft);
  const draftOk = draftSecond !== null && Number.isInteger(draftSecond) && draftSecond >= 0 && draftSecond <= maxSeconds;

  return (
    <div className="request-timeline" data-testid="request-timeline">
      <div className="rt-track-wrap">
        {/* The track is a mouse shortcut; the form below does the same from the keyboard. */}
        {/* oxlint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions */}
        <div className={`rt-track${locked ? ' is-locked' : ''}`} onClick={onTrack} aria-hidden="true">
          {TICKS.filter((t) => t <= maxSeconds).map((t) => (
            <span key={t} className="rt-tick" style={{ left: pct(t) }}>
              {t}s
            </span>
          ))}
          {seconds.map((s, i) => {
            const v = verdicts?.[i];
            return <span key={`${s}-${i}`} className={`rt-mark${v === undefined ? '' : v.allowed ? ' is-allowed' : ' is-denied'}`} style={{ left: pct(s) }} />;
          })}
        </div>
      </div>
      {locked ? null : (
        <form
          className="rt-add"
          onSubmit={(event) => {
            event.preventDefault();
            if (draftOk) add(draftSecond);
            setDraft('');
          }}
        >
          <label htmlFor={inputId}>Add a request at</label>
          <input id={inputId} type="number" min={0} max={maxSeconds} step={1} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} aria-invalid={draft !== '' && !draftOk} />
          <span>s</span>
          <button type="submit" className="small" disabled={!draftOk || full}>
            Add
          </button>
          <span className="field-hint">{full ? `At most ${maxCount} requests.` : `Whole seconds, 0 to ${maxSeconds}. Or click the track.`}</span>
        </form>
      )}
      <ol className="rt-list" aria-label={props.label}>
        {seconds.map((s, i) => {
          const v = verdicts?.[i];
          const guess = predicted[i] ?? null;
          const right = v !== undefined && guess === v.allowed;
          return (
            <li key={`${s}-${i}`} className="rt-row">
              <span className="rt-when">
                #{i + 1} at <strong>{s} s</strong>
              </span>
              <span className="segmented" role="group" aria-label={`Your prediction for request ${i + 1} at ${s} s`}>
                <button type="button" className={guess === true ? 'is-selected' : ''} aria-pressed={guess === true} disabled={locked} onClick={() => mark(i, true)}>
                  Allow
                </button>
                <button type="button" className={guess === false ? 'is-selected' : ''} aria-pressed={guess === false} disabled={locked} onClick={() => mark(i, false)}>
                  Deny
                </button>
              </span>
              {v === undefined ? (
                locked ? null : (
                  <button type="button" className="link-button" onClick={() => remove(i)} aria-label={`Remove request ${i + 1} at ${s} s`}>
                    Remove
                  </button>
                )
              ) : (
                <span className={`rt-verdict ${right ? 'is-right' : 'is-wrong'}`} data-testid="rt-verdict">
                  <button type="button" className="link-button" onClick={() => props.onSeek(Math.floor(v.at) + 1)} title={`The gateway's decision at t = ${(v.at / 1000).toFixed(3)} s: jump there`}>
                    {v.allowed ? 'allowed' : 'denied'}
                  </button>
                  <span aria-label={right ? 'your prediction was right' : 'your prediction was wrong'}>{right ? ' ✓' : ' ✗'}</span>
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
