import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { rateLimitTimeline, type RateLimitMark } from '../src/diagrams/index.ts';
import type { TraceEvent } from '../src/sim/index.ts';
import { RateLimitChart } from '../src/ui/diagrams/RateLimitChart.tsx';
import { createWorkbench } from '../src/workbench/index.ts';
import { groupChat } from './fixtures.ts';

/**
 * A token bucket's real decisions: the sliding-window lab's bursty traffic (its BURSTY patch) under
 * rate-limit-burst's limiter with the algorithm patched, seed 42, u1 at 46 s.
 */
function tokenBucketTimeline() {
  const wb = createWorkbench();
  wb.open('rate-limit-burst', 42, {}, {
    durationMs: 240_000,
    workload: { script: [], sendRatePerUserPerSec: 0.1, burstProbability: 0.5, burstSize: 4, burstGapMs: 400 },
    rateLimit: { limiter: { algorithm: 'token-bucket' } },
  });
  wb.advance(46_000 - wb.current().summary.nowMs);
  return wb.rateLimit('user:u1').timeline;
}

/**
 * A sliding-window counter's decisions, written as the limiter records them: no preset runs this
 * algorithm, so the story states the decisions it draws (limit 5 per 60 s).
 */
function slidingCounterTimeline() {
  const marks: RateLimitMark[] = [
    { t: 10_000, allowed: true, count: 1, limit: 5, retryAfterMs: null, seq: null, detail: { previousCount: 0, currentCount: 1, previousWeight: 0.83, windowStartMs: 0 } },
    { t: 40_000, allowed: true, count: 2, limit: 5, retryAfterMs: null, seq: null, detail: { previousCount: 0, currentCount: 2, previousWeight: 0.33, windowStartMs: 0 } },
    { t: 50_000, allowed: true, count: 3, limit: 5, retryAfterMs: null, seq: null, detail: { previousCount: 0, currentCount: 3, previousWeight: 0.17, windowStartMs: 0 } },
    { t: 70_000, allowed: true, count: 3.5, limit: 5, retryAfterMs: null, seq: null, detail: { previousCount: 3, currentCount: 1, previousWeight: 0.83, windowStartMs: 60_000 } },
    { t: 75_000, allowed: true, count: 4.25, limit: 5, retryAfterMs: null, seq: null, detail: { previousCount: 3, currentCount: 2, previousWeight: 0.75, windowStartMs: 60_000 } },
    { t: 80_000, allowed: false, count: 5.0, limit: 5, retryAfterMs: 6_000, seq: null, detail: { previousCount: 3, currentCount: 2, previousWeight: 0.67, windowStartMs: 60_000 } },
  ];
  const events: TraceEvent[] = marks.map((m, i) => ({
    seq: i,
    at: m.t,
    node: 'gw',
    causeSeq: null,
    type: m.allowed ? 'limiter/allowed' : 'limiter/rejected',
    data: { key: 'user:u1', placement: 'gateway', algorithm: 'sliding-counter', count: m.count, limit: 5, windowMs: 60_000, retryAfterMs: m.retryAfterMs, detail: m.detail },
  }));
  return rateLimitTimeline(events, { atMs: 80_000 });
}

const meta = {
  title: 'Diagrams/RateLimitChart',
  component: RateLimitChart,
  args: { timeline: groupChat().wb.workedExample(60_000).timeline, originMs: 0, width: 760, domainMs: [-3_000, 72_000] },
} satisfies Meta<typeof RateLimitChart>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The lab's picture at T = 60 s: R1–R5 in the window, R6 denied. */
export const LabAt60: Story = {
  play: async ({ canvasElement }) => {
    const chart = within(canvasElement).getByTestId('rate-limit-chart');
    await expect(chart).toHaveAccessibleName(/6 requests, 1 denied; limit 5 per 60 s; window from 0 s to 60 s holds 5 allowed/);
    await expect(within(canvasElement).getByText('Window (60 s) · 5 of 5 allowed')).toBeInTheDocument();
  },
};

/** The sliding counter: the estimate drawn as the previous window's weighted share plus the current count. */
export const SlidingCounter: Story = {
  args: { timeline: slidingCounterTimeline(), domainMs: undefined },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.rl-prev-share')).not.toBeNull();
    await expect(within(canvasElement).getByText('≈ 4.0')).toBeInTheDocument();
  },
};

/** A token bucket: no window drawn, the axis and the line speak of tokens and the burst. */
export const TokenBucket: Story = {
  args: { timeline: tokenBucketTimeline(), domainMs: undefined },
  play: async ({ canvasElement }) => {
    const chart = within(canvasElement).getByTestId('rate-limit-chart');
    await expect(chart).toHaveAccessibleName(/token bucket at 5 per 60 s, burst 5; the marks show the tokens used \(incl\. this\)/);
    await expect(within(chart).getByText('burst 5')).toBeInTheDocument();
    await expect(within(chart).getByText('tokens used (incl. this)')).toBeInTheDocument();
    await expect(canvasElement.querySelector('.rl-window')).toBeNull();
  },
};
