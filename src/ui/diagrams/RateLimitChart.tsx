import { scaleLinear } from 'd3';
import { forwardRef, useMemo } from 'react';
import { rateLimitTerms, type RateLimitMark, type RateLimitTimeline } from '../../diagrams/index.ts';

export interface RateLimitChartProps {
  /** The timeline at the playhead (marks up to it, the window ending at it). */
  readonly timeline: RateLimitTimeline;
  /** Shown as t = 0 on the axis (the key's first request, as the lab counts), in ms. */
  readonly originMs: number;
  readonly width: number;
  readonly height?: number;
  /** Requests still to come (a worked example), drawn faded. */
  readonly ghosts?: readonly number[];
  /** Fixed x extent in ms, so a worked example does not rescale as its playhead moves. */
  readonly domainMs?: readonly [number, number] | undefined;
}

/** `15000` (from origin 0) → `15 s`; sub-second values keep their milliseconds. */
export function relSeconds(ms: number, originMs: number): string {
  const s = (ms - originMs) / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(Math.abs(s) < 10 ? 2 : 1)} s`;
}

/** R1, R2, … in time order, as the lab names requests. */
export function requestName(index: number): string {
  return `R${index + 1}`;
}

const M = { top: 56, right: 56, bottom: 40, left: 44 };

/**
 * One key's requests: every request a mark at its time with the figure the limiter compared with
 * its bound (allowed ● / denied ✕), the bound as a line, and, for the window algorithms, the
 * window `[t − W, t]` as a bracket with Start and End that slides with the playhead. The axis and
 * the bound are named in the algorithm's terms (`rateLimitTerms`): a count in the window against
 * the limit, tokens used against a token bucket's burst, a place in the queue against its
 * maximum. Drawn with d3 scales; React owns the SVG.
 */
export const RateLimitChart = forwardRef<SVGSVGElement, RateLimitChartProps>(function RateLimitChart({ timeline, originMs, width, height = 290, ghosts = [], domainMs }, ref) {
  const marks = timeline.marks;
  const terms = rateLimitTerms(timeline);
  // Only a window algorithm has a window to draw; a fixed window's is the one it counts in, not
  // the sliding one (the sliding counter estimates the sliding one, so it keeps that).
  const fixed = timeline.algorithm === 'fixed-window' ? timeline.fixedWindow : null;
  const bracket: { startMs: number; endMs: number; count: number; markIndexes: readonly number[] } | null = !terms.windowed
    ? null
    : fixed !== null
      ? (() => {
          const markIndexes = marks.flatMap((m, i) => (m.t >= fixed.startMs && m.t < fixed.endMs ? [i] : []));
          return { ...fixed, markIndexes, count: markIndexes.filter((i) => marks[i]?.allowed === true).length };
        })()
      : timeline.bracket;
  const limit = timeline.limit ?? 0;
  const bound = terms.bound;
  const innerW = Math.max(120, width - M.left - M.right);
  const innerH = Math.max(80, height - M.top - M.bottom);

  // The scale runs in time since the origin, so its ticks fall on round seconds of the lab's clock.
  const rel = useMemo(() => {
    if (domainMs !== undefined) return scaleLinear().domain([domainMs[0] - originMs, domainMs[1] - originMs]).range([0, innerW]);
    const times = [...marks.map((m) => m.t), ...ghosts, timeline.atMs, ...(bracket === null ? [] : [bracket.startMs]), ...(fixed === null ? [] : [fixed.endMs])];
    const lo = Math.min(...times) - originMs;
    const hi = Math.max(...times) - originMs;
    const pad = Math.max(1000, (hi - lo) * 0.06);
    return scaleLinear()
      .domain([lo - pad, hi + pad])
      .range([0, innerW]);
  }, [marks, ghosts, timeline.atMs, bracket, fixed, innerW, domainMs, originMs]);
  const x = (t: number): number => rel(t - originMs);
  const yMax = Math.max(bound + 1, timeline.maxCount + 1, 2);
  const y = useMemo(() => scaleLinear().domain([0, yMax]).range([innerH, 0]), [yMax, innerH]);
  const ticks = rel.ticks(Math.max(3, Math.floor(innerW / 90))).map((v) => v + originMs);
  const yTicks = y.ticks(Math.min(yMax, 6)).filter((v) => Number.isInteger(v));
  const inWindow = new Set(bracket?.markIndexes ?? []);
  // Names that fit: from the newest back, a name is drawn unless it would overlap one already
  // drawn at about the same height (dense bursts would otherwise print over each other).
  const labelled = new Set<number>();
  const drawn: { x0: number; x1: number; y: number }[] = [];
  for (let i = marks.length - 1; i >= 0; i--) {
    const m = marks[i] as RateLimitMark;
    const half = ((requestName(i).length + (m.allowed ? 0 : 7)) * 6.6) / 2 + 2;
    const cx = x(m.t);
    const cy = y(m.count);
    if (drawn.some((d) => Math.abs(d.y - cy) < 13 && cx - half < d.x1 && cx + half > d.x0)) continue;
    labelled.add(i);
    drawn.push({ x0: cx - half, x1: cx + half, y: cy });
  }
  const clampX = (t: number): number => Math.max(0, Math.min(innerW, x(t)));
  const bx0 = bracket === null ? 0 : clampX(bracket.startMs);
  const bx1 = bracket === null ? 0 : clampX(bracket.endMs);
  const windowS = timeline.windowMs === null ? '' : `${timeline.windowMs / 1000} s`;

  const head = `Rate-limit timeline for ${timeline.key ?? 'no key'}: ${marks.length} requests, ${marks.filter((m) => !m.allowed).length} denied; `;
  const label = terms.windowed
    ? `${head}limit ${limit} per ${windowS}; ${fixed !== null ? 'fixed ' : ''}window from ${relSeconds(bracket?.startMs ?? 0, originMs)} to ${relSeconds(fixed?.endMs ?? timeline.atMs, originMs)} holds ${bracket?.count ?? 0} allowed.`
    : `${head}${terms.name.toLowerCase()} at ${limit} per ${windowS}, ${terms.boundName} ${bound}; the marks show the ${terms.yTitle}.`;

  return (
    <svg ref={ref} className="rl-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="rate-limit-chart">
      <g transform={`translate(${M.left},${M.top})`}>
        {/* The window as a shaded band and a bracket above the plot. */}
        {bracket === null ? null : (
          <g className="rl-window">
            <rect className="rl-band" x={bx0} y={0} width={Math.max(0, bx1 - bx0)} height={innerH} />
            <path className="rl-bracket" d={`M${bx0},-22 V-34 H${bx1} V-22`} />
            <text className="rl-bracket-label" x={(bx0 + bx1) / 2} y={-42} textAnchor="middle">
              {fixed !== null ? `Fixed window (${windowS}) · ${bracket.count} of ${limit} counted` : `Window (${windowS}) · ${bracket.count} of ${limit} allowed`}
            </text>
            <text className="rl-cap" x={bx0 - 5} y={-24} textAnchor="end">
              Start
            </text>
            <text className="rl-cap" x={bx1 + 5} y={-24} textAnchor="start">
              End
            </text>
          </g>
        )}
        {timeline.fixedWindow === null ? null : (
          <rect className="rl-fixed" x={clampX(timeline.fixedWindow.startMs)} y={innerH - 4} width={Math.max(0, clampX(timeline.fixedWindow.endMs) - clampX(timeline.fixedWindow.startMs))} height={4} />
        )}

        {/* Axes. */}
        {yTicks.map((v) => (
          <g key={`y${v}`} className="rl-ytick" transform={`translate(0,${y(v)})`}>
            <line x1={0} x2={innerW} />
            <text x={-8} dy="0.32em" textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        <text className="rl-axis-title" transform={`translate(${-32},${innerH / 2}) rotate(-90)`} textAnchor="middle">
          {terms.yTitle}
        </text>
        <line className="rl-axis" x1={0} x2={innerW} y1={innerH} y2={innerH} />
        {ticks.map((t) => (
          <g key={`x${t}`} className="rl-xtick" transform={`translate(${x(t)},${innerH})`}>
            <line y2={5} />
            <text y={18} textAnchor="middle">
              {relSeconds(t, originMs)}
            </text>
          </g>
        ))}

        {/* The limit. */}
        {bound > 0 ? (
          <g className="rl-limit">
            <line x1={0} x2={innerW} y1={y(bound)} y2={y(bound)} />
            <text x={4} y={y(bound) - 6} textAnchor="start">{`${terms.boundName} ${bound}`}</text>
          </g>
        ) : null}

        {/* Requests still to come. */}
        {ghosts
          .filter((t) => t > timeline.atMs)
          .map((t) => (
            <g key={`g${t}`} className="rl-ghost" transform={`translate(${x(t)},${innerH})`}>
              <line y2={-innerH * 0.25} />
              <circle cy={-innerH * 0.25} r={5} />
            </g>
          ))}

        {/* The requests. A name that would overlap a later one's is left off (it stays in the tooltip). */}
        {marks.map((m: RateLimitMark, i) => {
          const cx = x(m.t);
          const cy = y(m.count);
          const named = labelled.has(i);
          const cls = `rl-mark ${m.allowed ? 'allowed' : 'denied'}${inWindow.has(i) ? ' in-window' : ''}`;
          return (
            <g key={`${m.t}-${i}`} className={cls}>
              <line className="rl-stem" x1={cx} x2={cx} y1={innerH} y2={cy} />
              {m.allowed ? <circle cx={cx} cy={cy} r={6} /> : <path d={`M${cx - 6},${cy - 6} L${cx + 6},${cy + 6} M${cx + 6},${cy - 6} L${cx - 6},${cy + 6}`} />}
              <title>{`${requestName(i)} at ${((m.t - originMs) / 1000).toFixed(1)} s: ${m.allowed ? 'allowed' : 'denied'}`}</title>
              {named ? (
                <text className="rl-name" x={cx} y={cy - 12} textAnchor="middle">
                  {requestName(i)}
                  {m.allowed ? '' : ' (deny)'}
                </text>
              ) : null}
            </g>
          );
        })}

        {/* Sliding counter: the estimate as the previous window's weighted share plus the current count. */}
        {timeline.algorithm !== 'sliding-counter' || timeline.slidingCounter === null || bracket === null ? null : (
          <g className="rl-counter-bar" transform={`translate(${Math.min(innerW + 12, bx1 + 12)},0)`} aria-hidden="true">
            <rect className="rl-prev-share" x={0} width={12} y={y(timeline.slidingCounter.previousShare)} height={innerH - y(timeline.slidingCounter.previousShare)} />
            <rect
              className="rl-current"
              x={0}
              width={12}
              y={y(timeline.slidingCounter.estimate)}
              height={Math.max(0, y(timeline.slidingCounter.previousShare) - y(timeline.slidingCounter.estimate))}
            />
            <text x={16} y={y(timeline.slidingCounter.estimate)} dy="0.32em" className="rl-counter-label">
              {`≈ ${timeline.slidingCounter.estimate.toFixed(1)}`}
            </text>
          </g>
        )}

        {/* The playhead. */}
        <g className="rl-now" transform={`translate(${clampX(timeline.atMs)},0)`}>
          <line y1={-4} y2={innerH} />
        </g>
      </g>
    </svg>
  );
});
