import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { explainRateLimit } from '../src/diagrams/index.ts';
import { RateLimitPanel } from '../src/ui/diagrams/RateLimitPanel.tsx';
import { createWorkbench, type RateLimitView } from '../src/workbench/index.ts';
import { groupChat, rateLimitBurst } from './fixtures.ts';

/**
 * The sliding-window lab's bursty traffic (its BURSTY patch) under rate-limit-burst's limiter (5
 * per 60 s at the gateway) with the algorithm patched, seed 42, played to `atMs`: a real run of
 * each algorithm, as the lab's algorithm control opens it.
 */
const viewCache = new Map<string, RateLimitView>();
function algorithmRun(algorithm: string, atMs: number): RateLimitView {
  const key = `${algorithm}@${atMs}`;
  const hit = viewCache.get(key);
  if (hit !== undefined) return hit;
  const wb = createWorkbench();
  wb.open('rate-limit-burst', 42, {}, {
    durationMs: 240_000,
    workload: { script: [], sendRatePerUserPerSec: 0.1, burstProbability: 0.5, burstSize: 4, burstGapMs: 400 },
    rateLimit: { limiter: { algorithm } },
  });
  wb.advance(atMs - wb.current().summary.nowMs);
  const view = wb.rateLimit('user:u1');
  viewCache.set(key, view);
  return view;
}

/** Waits for Mermaid to draw the state diagram, and returns its text. */
async function drawnStates(canvasElement: HTMLElement): Promise<string> {
  const host = () => canvasElement.querySelector('[aria-label="Limiter state diagram"] [data-testid=mermaid] svg');
  await waitFor(() => expect(host()).not.toBeNull(), { timeout: 20_000 });
  return host()?.textContent ?? '';
}

const meta = {
  title: 'Diagrams/RateLimitPanel',
  component: RateLimitPanel,
  parameters: { layout: 'fullscreen' },
  decorators: [
    (Story) => (
      <div style={{ height: 600, width: 900, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: {
    view: null,
    example: groupChat().wb.workedExample(60_000).timeline,
    exampleAtMs: 60_000,
    onExampleAt: fn(),
    exampleTimes: groupChat().wb.workedExample(60_000).timesMs,
    source: 'run',
    onSource: fn(),
    keyName: null,
    onKey: fn(),
    fromFirst: true,
    onFromFirst: fn(),
    onLoadBurst: fn(),
    fileStem: 'story-rate-limit',
  },
} satisfies Meta<typeof RateLimitPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A run without a limiter: the lab's worked example at 60 s, where R6 is denied. */
export const WorkedExampleAt60: Story = {
  args: { view: groupChat().wb.rateLimit() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/This run has no rate limiter/)).toBeVisible();
    await expect(canvas.getByText('R6 (deny)')).toBeVisible();
    await expect(canvas.getByText(/count = 5 of limit 5/)).toBeVisible();
    await expect(canvas.getByText(/R6 at 60 s: the window/)).toHaveTextContent('denied');
    await userEvent.click(canvas.getByRole('button', { name: 'R7 · 65 s' }));
    await expect(args.onExampleAt).toHaveBeenCalledWith(65_000);
    await userEvent.click(canvas.getByRole('button', { name: /Run it as the rate-limit-burst scenario/ }));
    await expect(args.onLoadBurst).toHaveBeenCalled();
    // The state diagram follows the example: R6 met a full window.
    await expect(await drawnStates(canvasElement)).toContain('▶ R6 at 60 s – 6 in the window of 5 → denied');
    await userEvent.click(canvas.getByRole('button', { name: 'Next request ▶' }));
    await expect(args.onExampleAt).toHaveBeenLastCalledWith(65_000);
    await userEvent.click(canvas.getByRole('button', { name: '◀ Previous request' }));
    await expect(args.onExampleAt).toHaveBeenLastCalledWith(55_000);
  },
};

/** At 65 s, R1 has slid out of the window and R7 is allowed. */
export const WorkedExampleAt65: Story = {
  args: { view: groupChat().wb.rateLimit(), example: groupChat().wb.workedExample(65_000).timeline, exampleAtMs: 65_000 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/R7 at 65 s: the window/)).toHaveTextContent('allowed');
    await expect(canvas.getByText(/\[R2, R3, R4, R5, R7\]/)).toBeVisible();
  },
};

/** The rate-limit-burst run: the same picture from the gateway's real decisions, t = 0 at the first request. */
export const BurstRun: Story = {
  args: { view: rateLimitBurst().wb.rateLimit() },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('radio', { name: 'This run' })).toBeChecked();
    await expect(canvas.getByText('R6 (deny)')).toBeVisible();
    const chart = canvas.getByTestId('rate-limit-chart');
    await expect(chart).toHaveAccessibleName(/7 requests, 1 denied; limit 5 per 60 s/);
    await expect(canvas.getByText(/sliding-log at gateway/)).toBeVisible();
  },
};

/**
 * A token bucket on the lab's bursty traffic (u1), the playhead at 46 s: the view speaks of tokens,
 * not windows; the state diagram shows the bucket empty, with the denial the last request met, and
 * the previous/next buttons move the playhead from request to request.
 */
export const TokenBucketRun: Story = {
  args: { view: algorithmRun('token-bucket', 46_000), onJump: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const view = args.view as RateLimitView;
    const last = explainRateLimit(view.timeline, { originMs: view.firstDecisionMs ?? 0 }).last;
    await expect(last).not.toBeNull();
    // Seed 42's u1 sends a burst at about 45.5 s with under one token left (read from the run).
    await expect(canvas.getByText(/tokens were there: less than one token: denied/)).toHaveTextContent(`${last?.name} at `);
    await expect(canvas.getByText(/Token bucket after R\d+ .*: empty \(under 1 token\)\./)).toBeVisible();
    await expect(canvas.queryByText(/Window at T/)).toBeNull();
    const chart = canvas.getByTestId('rate-limit-chart');
    await expect(chart).toHaveAccessibleName(/token bucket at 5 per 60 s, burst 5/);
    await expect(within(chart).getByText('burst 5')).toBeInTheDocument();
    await expect(within(chart).queryByText(/^Window/)).toBeNull();
    const drawn = await drawnStates(canvasElement);
    await expect(drawn).toContain('Empty (under 1 token) – now');
    await expect(drawn).toContain(`▶ ${last?.name} at `);
    await expect(canvas.getByTestId('rl-state-now')).toHaveTextContent(/→ denied; now: Empty \(under 1 token\)/);
    // The playhead (46 s) is past the last request: "previous" goes to that request's decision.
    await userEvent.click(canvas.getByRole('button', { name: '◀ Previous request' }));
    await expect(args.onJump).toHaveBeenCalledWith((view.timeline.marks[view.timeline.marks.length - 1]?.t ?? 0) + 1);
    // The playhead has not been further yet, so there is no next request to go to.
    await expect(canvas.getByRole('button', { name: 'Next request ▶' })).toBeDisabled();
  },
};

/**
 * The sliding log on the same traffic: the window wording stays (it is the log's own), and the
 * state diagram shows the window at its limit after a denial.
 */
export const SlidingLogRun: Story = {
  args: { view: algorithmRun('sliding-log', 46_000), onJump: fn() },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/Window at T = /)).toBeVisible();
    await expect(canvas.getByText(/the window (holds|held) 5 earlier allowed requests, so this one makes 6/)).toHaveTextContent('denied');
    const drawn = await drawnStates(canvasElement);
    await expect(drawn).toContain('At the limit – now');
    await expect(drawn).toMatch(/▶ R\d+ at [\d.]+ s – 6 in the window of 5 → denied/);
  },
};

/** A leaky queue: requests described by their place in line and their wait, against the queue's maximum. */
export const LeakyQueueRun: Story = {
  args: { view: algorithmRun('leaky-queue', 46_000) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('rate-limit-chart')).toHaveAccessibleName(/queue max 5/);
    await expect(canvas.getByText(/requests leave one every 12 s/)).toBeVisible();
    await expect(await drawnStates(canvasElement)).toContain('Queue full');
  },
};
