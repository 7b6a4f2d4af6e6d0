import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { EXPLAINED_ALGORITHMS, explainRateLimit, rateLimitStateDiagram, type ExampleTimeline, type RateLimitMark, type RateLimitTimeline } from '../../diagrams/index.ts';
import type { RateLimitView } from '../../workbench/index.ts';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { downloadBlob, downloadText, svgElementToString, svgToPng, themeBackground } from '../export.ts';
import { MermaidView, type MermaidLoader } from './MermaidView.tsx';
import { RateLimitChart, relSeconds, requestName } from './RateLimitChart.tsx';

export type RateLimitSource = 'run' | 'example';

const NO_MARKS: readonly RateLimitMark[] = [];

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
  /** The state diagram's theme. Default: the page's (`data-theme` on the root), else light. */
  readonly theme?: 'light' | 'dark';
  /** Loads Mermaid for the state diagram (stories pass their own); default: on first use. */
  readonly loadMermaid?: MermaidLoader;
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

/** A sliding log's sentences under the chart: what the window holds now and why the last request went as it did. */
function WindowExplanation({ timeline, originMs }: { timeline: RateLimitTimeline; originMs: number }) {
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

/** The sliding counter's estimate at the playhead, in its two parts. */
function CounterLine({ timeline }: { timeline: RateLimitTimeline }) {
  const c = timeline.slidingCounter;
  if (c === null) return null;
  return (
    <p className="rl-counter">
      Sliding counter: previous window {c.previousCount} × weight {c.previousWeight.toFixed(2)} = {c.previousShare.toFixed(2)}, plus current window {c.currentCount}: estimate <strong>{c.estimate.toFixed(2)}</strong> against limit {timeline.limit}.
    </p>
  );
}

/**
 * The sentences under the chart, in the terms of the algorithm that decided: a sliding log (and
 * the worked example) by its window, every other algorithm by its own figures (tokens, level,
 * TAT, place in the queue, window bounds, weighted estimate), read from the limiter's records.
 */
function Explanation({ timeline, originMs }: { timeline: RateLimitTimeline; originMs: number }) {
  const own = timeline.algorithm !== null && timeline.algorithm !== 'sliding-log' && EXPLAINED_ALGORITHMS.includes(timeline.algorithm);
  const ex = useMemo(() => (own ? explainRateLimit(timeline, { originMs }) : null), [own, timeline, originMs]);
  if (ex === null) return <WindowExplanation timeline={timeline} originMs={originMs} />;
  const last = ex.last;
  if (last === null) return <p className="hint">No decisions for this key yet.</p>;
  return (
    <div className="rl-explain" aria-live="polite">
      <p>
        <strong>{ex.summary}</strong>
      </p>
      <p className={last.allowed ? 'rl-verdict allowed' : 'rl-verdict denied'}>{last.sentence}</p>
      {timeline.algorithm === 'sliding-counter' ? <CounterLine timeline={timeline} /> : null}
    </div>
  );
}

/** The page's theme as the root element states it. */
function pageTheme(): 'light' | 'dark' {
  return typeof document !== 'undefined' && document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light';
}

/**
 * The marks of a key seen so far in this run, the farthest the playhead has been: the run is
 * deterministic, so once the playhead has passed a request its time is known, and "next request"
 * can move there after a seek back. Forgotten when the marks now on screen are not a prefix of
 * the ones kept (another key, another run, an intervention that changed the past).
 */
function useSeenMarks(scope: string, marks: readonly RateLimitMark[]): readonly RateLimitMark[] {
  const kept = useRef<{ scope: string; marks: readonly RateLimitMark[] }>({ scope, marks });
  const k = kept.current;
  const samePrefix = k.scope === scope && marks.length <= k.marks.length && marks.every((m, i) => m.t === k.marks[i]?.t && m.allowed === k.marks[i]?.allowed && m.count === k.marks[i]?.count);
  if (!samePrefix) kept.current = { scope, marks };
  return kept.current.marks;
}

interface StateFlowProps {
  readonly timeline: RateLimitTimeline;
  readonly originMs: number;
  readonly theme: 'light' | 'dark';
  readonly load?: MermaidLoader | undefined;
  /** The previous and next request's moments, or null where there is none. */
  readonly onPrev: (() => void) | null;
  readonly onNext: (() => void) | null;
  /** Why "next" is off, when it is. */
  readonly nextHint: string | null;
}

/**
 * The chosen algorithm's state flow as a state diagram that follows the run: the state after the
 * last request highlighted, the transition it took labelled with its figures, and buttons that
 * move the playhead from request to request.
 */
function StateFlow({ timeline, originMs, theme, load, onPrev, onNext, nextHint }: StateFlowProps) {
  const diagram = useMemo(() => rateLimitStateDiagram(timeline, { originMs }), [timeline, originMs]);
  if (diagram === null) return null;
  const last = diagram.last;
  return (
    <section className="rl-states" aria-label="Limiter state diagram">
      <div className="diagram-toolbar">
        <strong>State flow</strong>
        <div className="chip-row" role="group" aria-label="Step through the requests">
          <button type="button" className="chip" disabled={onPrev === null} onClick={onPrev ?? undefined}>
            ◀ Previous request
          </button>
          <button type="button" className="chip" disabled={onNext === null} onClick={onNext ?? undefined} title={nextHint ?? undefined}>
            Next request ▶
          </button>
        </div>
        <span className="hint" data-testid="rl-state-now">
          {last === null ? 'No request yet: the limiter is in its starting state.' : `${last.label}; now: ${diagram.states.find((st) => st.id === diagram.current)?.label ?? diagram.current}`}
        </span>
      </div>
      <MermaidView text={diagram.text} theme={theme} fit label={`State diagram of the ${timeline.algorithm ?? ''} limiter${last === null ? '' : `, after ${last.name}`}`} {...(load === undefined ? {} : { load })} />
    </section>
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
  const marks = timeline?.marks ?? NO_MARKS;
  const seen = useSeenMarks(`${showing}|${timeline?.key ?? ''}|${props.fileStem.replace(/-t[\d.]+s-/, '-')}`, marks);
  const lastMark = marks[marks.length - 1];
  // Previous: the last request itself when the playhead has moved on past it, else the one before.
  const prevMark = lastMark !== undefined && timeline !== null && timeline.atMs > lastMark.t ? lastMark : marks[marks.length - 2];
  const nextMark = seen[marks.length];
  let onPrev: (() => void) | null = null;
  let onNext: (() => void) | null = null;
  if (showing === 'example') {
    const times = props.exampleTimes;
    const before = [...times].reverse().find((t) => t < props.exampleAtMs);
    const after = times.find((t) => t > props.exampleAtMs);
    if (before !== undefined) onPrev = () => props.onExampleAt(before);
    if (after !== undefined) onNext = () => props.onExampleAt(after);
  } else if (props.onJump !== undefined) {
    const jump = props.onJump;
    if (prevMark !== undefined) onPrev = () => jump(prevMark.t + 1);
    if (nextMark !== undefined) onNext = () => jump(nextMark.t + 1);
  }
  const nextHint = onNext === null && showing === 'run' ? 'The run has not reached another request of this key yet: play on to see the next one.' : null;
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
            <StateFlow timeline={timeline} originMs={originMs} theme={props.theme ?? pageTheme()} load={props.loadMermaid} onPrev={onPrev} onNext={onNext} nextHint={nextHint} />
          </>
        )}
      </div>
    </section>
  );
});

export default RateLimitPanel;
