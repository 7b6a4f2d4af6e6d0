import { memo, useEffect, useId, useRef, useState } from 'react';
import type { ExampleTimeline, RateLimitTimeline } from '../../diagrams/index.ts';
import type { RateLimitView } from '../../workbench/index.ts';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { downloadBlob, downloadText, svgElementToString, svgToPng, themeBackground } from '../export.ts';
import { RateLimitChart, relSeconds, requestName } from './RateLimitChart.tsx';

export type RateLimitSource = 'run' | 'example';

export interface RateLimitPanelProps {
  /** The run's timeline at the playhead; null while loading. */
  readonly view: RateLimitView | null;
  /** The lab's worked example at `exampleAtMs`. */
  readonly example: ExampleTimeline | null;
  readonly exampleAtMs: number;
  readonly onExampleAt: (ms: number) => void;
  /** Times of the worked example's requests (ms). */
  readonly exampleTimes: readonly number[];
  readonly source: RateLimitSource;
  readonly onSource: (source: RateLimitSource) => void;
  readonly keyName: string | null;
  readonly onKey: (key: string) => void;
  /** Count time from the key's first request (the lab's t = 0) instead of the run's start. */
  readonly fromFirst: boolean;
  readonly onFromFirst: (on: boolean) => void;
  /** Moves the playhead to just after a request's decision (run mode). */
  readonly onJump?: (atMs: number) => void;
  /** Offers to load the scenario that reproduces the lab's example. */
  readonly onLoadBurst?: (() => void) | undefined;
  readonly fileStem: string;
}

/** Width of an element, kept current. */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(720);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry !== undefined) setWidth(Math.max(320, Math.floor(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** The sentences under the chart: what the window holds now and why the last request went as it did. */
function Explanation({ timeline, originMs }: { timeline: RateLimitTimeline; originMs: number }) {
  const { bracket, marks, limit } = timeline;
  if (bracket === null || limit === null) return <p className="hint">No decisions for this key yet.</p>;
  const names = (indexes: readonly number[], allowedOnly: boolean): string =>
    indexes
      .filter((i) => !allowedOnly || marks[i]?.allowed === true)
      .map((i) => requestName(i))
      .join(', ');
  const lastIndex = marks.length - 1;
  const last = marks[lastIndex];
  const atLast = last !== undefined && last.t === timeline.atMs;
  const log = last?.detail.log;
  const nameOf = (t: number): string => {
    const i = marks.findIndex((m) => m.t === t);
    return i === -1 ? '?' : requestName(i);
  };
  return (
    <div className="rl-explain" aria-live="polite">
      <p>
        <strong>Window at T = {relSeconds(timeline.atMs, originMs)}:</strong> [{names(bracket.markIndexes, true)}] — count = {bracket.count} of limit {limit}
        {bracket.denied > 0 ? ` (${bracket.denied} denied request${bracket.denied === 1 ? '' : 's'} in the window, not counted)` : ''}.
      </p>
      {last === undefined ? null : (
        <p className={last.allowed ? 'rl-verdict allowed' : 'rl-verdict denied'}>
          {requestName(lastIndex)} at {relSeconds(last.t, originMs)}: the window {atLast ? 'holds' : 'held'} {last.count - 1} earlier allowed request{last.count - 1 === 1 ? '' : 's'}, so this one makes {last.count}{' '}
          {last.allowed ? `≤ ${limit}: allowed.` : `> ${limit}: denied${last.retryAfterMs === null ? '' : `, retry after ${last.retryAfterMs} ms`}.`}
        </p>
      )}
      {log === undefined ? null : (
        <p className="mono rl-log">
          Log: {log.length === 0 ? 'empty' : log.map((t) => `(ts:${relSeconds(t, originMs).replace(' s', '')}, ${nameOf(t)})`).join(', ')}
        </p>
      )}
      {timeline.slidingCounter === null ? null : (
        <p className="rl-counter">
          Sliding counter: previous window {timeline.slidingCounter.previousCount} × weight {timeline.slidingCounter.previousWeight.toFixed(2)} = {timeline.slidingCounter.previousShare.toFixed(2)}, plus current window {timeline.slidingCounter.currentCount}: estimate{' '}
          <strong>{timeline.slidingCounter.estimate.toFixed(2)}</strong> against limit {limit}.
        </p>
      )}
    </div>
  );
}

/**
 * The lab's third diagram: a sliding-window rate limiter at work on one user's requests, from the
 * run's own limiter decisions, or the lab's worked example (5 per 60 s; requests at 0, 15, 20,
 * 35, 55, 60 and 65 s) decided by the simulator's limiter when the run has none.
 */
export const RateLimitPanel = memo(function RateLimitPanel(props: RateLimitPanelProps) {
  const { view, example, source, keyName, fromFirst } = props;
  const ids = { key: useId(), at: useId() };
  const [wrapRef, width] = useWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const hasRun = view?.hasDecisions === true;
  const showing: RateLimitSource = hasRun ? source : 'example';
  const timeline: RateLimitTimeline | null = showing === 'example' ? example : (view?.timeline ?? null);
  const originMs = showing === 'example' ? 0 : fromFirst ? (view?.firstDecisionMs ?? 0) : 0;
  const exportSvg = () => (svgRef.current === null ? '' : svgElementToString(svgRef.current, { background: themeBackground(), title: `Rate-limit timeline: ${timeline?.key ?? ''}` }));

  return (
    <section className="diagram rate-limit" aria-label="Rate-limit timeline">
      <div className="diagram-toolbar">
        {hasRun ? (
          <div className="segmented" role="radiogroup" aria-label="Timeline source">
            {(['run', 'example'] as const).map((s) => (
              <button key={s} type="button" role="radio" aria-checked={showing === s} className={showing === s ? 'is-selected' : ''} onClick={() => props.onSource(s)}>
                {s === 'run' ? 'This run' : 'Lab example'}
              </button>
            ))}
          </div>
        ) : null}
        {showing === 'run' && view !== null ? (
          <>
            <div className="field inline">
              <label htmlFor={ids.key}>Key</label>
              <select id={ids.key} value={keyName ?? view.timeline.key ?? ''} onChange={(event) => props.onKey(event.currentTarget.value)}>
                {view.timeline.keys.map((k) => (
                  <option key={k.key} value={k.key}>
                    {k.key} ({k.decisions}, {k.rejected} denied)
                  </option>
                ))}
              </select>
            </div>
            <label className="check">
              <input type="checkbox" checked={fromFirst} onChange={(event) => props.onFromFirst(event.currentTarget.checked)} />
              Time from the first request
            </label>
          </>
        ) : (
          <div className="field inline grow">
            <label htmlFor={ids.at}>Example time</label>
            <input id={ids.at} type="range" min={0} max={70_000} step={500} value={props.exampleAtMs} aria-valuetext={relSeconds(props.exampleAtMs, 0)} onChange={(event) => props.onExampleAt(Number(event.currentTarget.value))} />
            <output htmlFor={ids.at} className="mono">
              {relSeconds(props.exampleAtMs, 0)}
            </output>
          </div>
        )}
        <ExportButtons
          label="Export the rate-limit timeline"
          disabled={timeline === null}
          actions={[
            { label: 'SVG', done: 'SVG saved', run: () => downloadText(`${props.fileStem}.svg`, exportSvg(), 'image/svg+xml') },
            { label: 'PNG', done: 'PNG saved', run: async () => downloadBlob(`${props.fileStem}.png`, await svgToPng(exportSvg())) },
          ]}
        />
      </div>

      {showing === 'example' ? (
        <div className="rl-intro">
          <p>
            {hasRun ? 'The lab’s worked example' : 'This run has no rate limiter, so here is the lab’s worked example'}: a sliding-window log allowing <strong>5 requests per 60 s</strong>, with requests at 0, 15, 20, 35, 55, 60 and 65 s, decided by the simulator’s own limiter.
            {props.onLoadBurst === undefined ? null : (
              <>
                {' '}
                <button type="button" className="link-button" onClick={props.onLoadBurst}>
                  Run it as the rate-limit-burst scenario
                </button>
              </>
            )}
          </p>
          <div className="chip-row" role="group" aria-label="Jump to a request">
            {props.exampleTimes.map((t, i) => (
              <button key={t} type="button" className={`chip${props.exampleAtMs === t ? ' is-selected' : ''}`} onClick={() => props.onExampleAt(t)}>
                {requestName(i)} · {relSeconds(t, 0)}
              </button>
            ))}
          </div>
        </div>
      ) : null}

      {showing === 'run' && props.onJump !== undefined && timeline !== null && timeline.marks.length > 0 && timeline.marks.length <= 24 ? (
        <div className="rl-intro">
          <div className="chip-row" role="group" aria-label="Move the playhead to a request">
            {timeline.marks.map((m, i) => (
              <button key={`${m.t}-${i}`} type="button" className={`chip${m.allowed ? '' : ' is-denied'}`} onClick={() => props.onJump?.(m.t + 1)} title="Move the playhead to just after this decision">
                {requestName(i)} · {relSeconds(m.t, originMs)}
              </button>
            ))}
          </div>
        </div>
      ) : null}

      <div className="rl-body" ref={wrapRef}>
        {timeline === null ? (
          <p className="empty">Loading…</p>
        ) : (
          <>
            <RateLimitChart
              ref={svgRef}
              timeline={timeline}
              originMs={originMs}
              width={width}
              ghosts={showing === 'example' ? props.exampleTimes : []}
              {...(showing === 'example' ? { domainMs: [-3_000, 72_000] as const } : {})}
            />
            <p className="rl-meta">
              {timeline.algorithm ?? '?'} at {timeline.placement ?? '?'} · key {timeline.key ?? '—'} · {timeline.marks.length} request{timeline.marks.length === 1 ? '' : 's'} so far
              {originMs > 0 ? ` · t = 0 is the first request (run time ${relSeconds(originMs, 0)})` : ''}
            </p>
            <Explanation timeline={timeline} originMs={originMs} />
          </>
        )}
      </div>
    </section>
  );
});

export default RateLimitPanel;
