import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, fireEvent, fn, userEvent, waitFor, within } from 'storybook/test';
import { measureRun, planSweep, type SweepSpec } from '../src/sim/index.ts';
import { TradeoffSlider, createSweepPool, formatFigure, type SweepPool, type TradeoffSliderProps } from '../src/ui/components/tradeoff/index.ts';

/** A page's pool for one story: real Web Workers, stopped when the story unmounts. */
function WithPool(props: Omit<TradeoffSliderProps, 'pool'>) {
  const [pool, setPool] = useState<SweepPool | null>(null);
  // Made in an effect so that a remount (React's strict mode does one) gets a fresh pool.
  useEffect(() => {
    const p = createSweepPool();
    setPool(p);
    return () => p.dispose();
  }, []);
  return pool === null ? null : <TradeoffSlider {...props} pool={pool} />;
}

/** Three server counts × two seeds of a 5-second group chat: six real runs. */
const SERVERS: SweepSpec = {
  scenario: 'group-chat',
  patch: { durationMs: 3_000, settleMs: 2_000 },
  axes: [{ path: 'topology.wsServers', values: [1, 2, 3] }],
  seeds: [1, 2],
};

const meta = {
  title: 'Components/TradeoffSlider',
  component: WithPool,
  args: {
    spec: SERVERS,
    title: 'What do more WebSocket servers cost a group chat?',
    figures: ['messagesPerStoredMessage', 'latency.p99Ms'],
    tableFigures: ['counts.delivered', 'messagesPerStoredMessage', 'messages.broker', 'latency.p99Ms', 'cpu.ws-server.utilizationMax', 'violations.total'],
    onOpenRun: fn(),
    chartWidth: 380,
  },
} satisfies Meta<typeof WithPool>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Runs a budget, not a wait: six short runs take well under a second each on one worker. */
const SWEEP_BUDGET = { timeout: 45_000 };

/**
 * The sweep runs in the worker pool; the table at the slider shows the figures those runs
 * measured (checked against the same runs measured here), hovering a dot names its run, and
 * clicking opens it.
 */
export const GroupChatServers: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByTestId('sweep-progress')).toHaveTextContent('6 of 6 runs'), SWEEP_BUDGET);
    await expect(canvas.queryByRole('button', { name: 'Cancel' })).toBeNull();

    // Move the slider to 2 servers: the table is the runs of that point.
    const slider = canvas.getByRole('slider', { name: 'topology.wsServers' });
    // user-event does not move range inputs with arrow keys; a change event is what a drag ends in.
    fireEvent.change(slider, { target: { value: '1' } });
    await expect(canvas.getByTestId('tradeoff-value')).toHaveTextContent('2');
    await expect(canvas.getByRole('table', { name: 'Measured at topology.wsServers = 2' })).toBeVisible();

    // The median of the figure is the median of the two runs measured again on this thread.
    const planned = planSweep(SERVERS);
    if (!planned.ok) throw new Error(planned.errors.join('; '));
    const point = planned.plan.points[1];
    if (point === undefined) throw new Error('no point for 2 servers');
    const [a, b] = SERVERS.seeds.map((seed) => measureRun(point.scenario, seed).figures['messagesPerStoredMessage'] as number);
    await expect(canvas.getByTestId('median-messagesPerStoredMessage')).toHaveTextContent(formatFigure(((a as number) + (b as number)) / 2));
    await expect(canvas.getByTestId('median-latency.p99Ms')).toHaveTextContent(/^\d[\d,]*(\.\d+)?$/);
    await expect(canvas.getByTestId('median-violations.total')).toHaveTextContent('0');

    // Hover names the run; a click opens exactly that run (the point's patch and the seed).
    const dots = canvas.getByTestId('tradeoff-chart-messagesPerStoredMessage').querySelectorAll('[data-testid="tradeoff-dot"]');
    await expect(dots).toHaveLength(6);
    await userEvent.hover(dots[0] as Element);
    await expect(canvas.getByTestId('tradeoff-hover')).toHaveTextContent(/^group-chat · topology\.wsServers=1 · seed 1: \d/);
    await userEvent.click(dots[0] as Element);
    await expect(args.onOpenRun).toHaveBeenLastCalledWith({ scenario: 'group-chat', patch: { durationMs: 3_000, settleMs: 2_000, topology: { wsServers: 1 } }, seed: 1 });
    await userEvent.click(canvas.getByRole('button', { name: 'Open group-chat · topology.wsServers=2 · seed 2' }));
    await expect(args.onOpenRun).toHaveBeenLastCalledWith({ scenario: 'group-chat', patch: { durationMs: 3_000, settleMs: 2_000, topology: { wsServers: 2 } }, seed: 2 });
  },
};

/**
 * Cancel stops the sweep where it is; "Run the rest" computes only the missing runs, the finished
 * ones coming from the cache. Twelve runs of 35 simulated seconds each take seconds on one
 * worker, and the Cancel click comes as soon as the button shows, long before the last run.
 */
export const CancelAndResume: Story = {
  args: {
    spec: { scenario: 'group-chat', patch: { durationMs: 30_000, settleMs: 5_000 }, axes: [{ path: 'topology.wsServers', values: [1, 2, 3, 4] }], seeds: [1, 2, 3] },
    figures: ['latency.p99Ms'],
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Cancel' }));
    await expect(canvas.getByTestId('sweep-progress')).toHaveTextContent(/^Cancelled at \d+ of 12 runs$/);
    const doneAtCancel = Number(/at (\d+) of/.exec(canvas.getByTestId('sweep-progress').textContent ?? '')?.[1]);
    await expect(doneAtCancel).toBeLessThan(12);
    await userEvent.click(canvas.getByRole('button', { name: 'Run the rest' }));
    await waitFor(() => expect(canvas.getByTestId('sweep-progress')).toHaveTextContent(/^12 of 12 runs/), SWEEP_BUDGET);
    if (doneAtCancel > 0) await expect(canvas.getByTestId('sweep-progress')).toHaveTextContent(`(${doneAtCancel} from the cache)`);
  },
};

/** Two server counts × broker or none, two seeds, 4-second runs of the no-broker preset: eight real runs. */
const SERVERS_BY_BROKER: SweepSpec = {
  scenario: 'no-broker',
  patch: { durationMs: 3_000, settleMs: 1_000 },
  axes: [
    { path: 'topology.wsServers', values: [2, 3] },
    { path: 'broker.kind', values: ['none', 'redis'] },
  ],
  seeds: [1, 2],
};

/**
 * A second axis: one line per broker kind in every chart, told apart by a legend, a dash and a
 * marker; the table holds a block per line at the slider's value. Hover names both axis values
 * and the seed; a click opens exactly that run; each block's median is the median of the same
 * runs measured again here.
 */
export const TwoAxes: Story = {
  args: {
    spec: SERVERS_BY_BROKER,
    title: 'Servers against fan-out design',
    figures: ['messagesPerStoredMessage', 'latency.p99Ms'],
    tableFigures: ['messagesPerStoredMessage', 'messages.directory', 'latency.p99Ms'],
    seriesLabels: ['no broker', 'broker'],
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByTestId('sweep-progress')).toHaveTextContent('8 of 8 runs'), SWEEP_BUDGET);

    // The legend names both lines with their raw values; every chart draws two lines of four markers.
    const legend = canvas.getByRole('list', { name: 'Lines: one per value of broker.kind' });
    await expect(within(legend).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['no broker (broker.kind = none)', 'broker (broker.kind = redis)']);
    const chart = canvas.getByTestId('tradeoff-chart-messagesPerStoredMessage');
    const lines = chart.querySelectorAll('[data-testid="tradeoff-series"]');
    await expect(lines).toHaveLength(2);
    for (const l of lines) await expect(l.querySelectorAll('[data-testid="tradeoff-dot"]')).toHaveLength(4);
    // The lines differ by more than colour: the second is dashed, and its markers are another shape.
    const medians = chart.querySelectorAll('.tradeoff-median');
    await expect(medians[0]?.getAttribute('stroke-dasharray')).toBeNull();
    await expect(medians[1]?.getAttribute('stroke-dasharray')).toBeTruthy();
    const shapes = [...lines].map((l) => l.querySelector('[data-testid="tradeoff-dot"]')?.getAttribute('d'));
    await expect(shapes[0]).not.toBe(shapes[1]);

    // At 3 servers the table has a block per line; each median is that point's two runs measured here.
    fireEvent.change(canvas.getByRole('slider', { name: 'topology.wsServers' }), { target: { value: '1' } });
    await expect(canvas.getByRole('table', { name: 'Measured at topology.wsServers = 3' })).toBeVisible();
    const planned = planSweep(SERVERS_BY_BROKER);
    if (!planned.ok) throw new Error(planned.errors.join('; '));
    for (const [line, name] of [[0, 'no broker (broker.kind = none)'], [1, 'broker (broker.kind = redis)']] as const) {
      const point = planned.plan.points[2 + line];
      if (point === undefined) throw new Error('no point');
      const [a, b] = SERVERS_BY_BROKER.seeds.map((seed) => measureRun(point.scenario, seed).figures['messagesPerStoredMessage'] as number);
      await expect(canvas.getByTestId(`median-messagesPerStoredMessage@${name}`)).toHaveTextContent(formatFigure(((a as number) + (b as number)) / 2));
    }

    // Hover names the scenario, both axis values and the seed; a click opens exactly that run.
    const dot = lines[1]?.querySelectorAll('[data-testid="tradeoff-dot"]')[3];
    if (dot === undefined) throw new Error('no marker');
    await userEvent.hover(dot);
    await expect(canvas.getByTestId('tradeoff-hover')).toHaveTextContent(/^no-broker · topology\.wsServers=3 · broker\.kind=redis · seed 2: \d/);
    await userEvent.click(dot);
    await expect(args.onOpenRun).toHaveBeenLastCalledWith({ scenario: 'no-broker', patch: { durationMs: 3_000, settleMs: 1_000, topology: { wsServers: 3 }, broker: { kind: 'redis' } }, seed: 2 });
    await userEvent.click(canvas.getByRole('button', { name: 'Open no-broker · topology.wsServers=3 · broker.kind=none · seed 1' }));
    await expect(args.onOpenRun).toHaveBeenLastCalledWith({ scenario: 'no-broker', patch: { durationMs: 3_000, settleMs: 1_000, topology: { wsServers: 3 }, broker: { kind: 'none' } }, seed: 1 });
  },
};

/** A spec with a misspelt field and a refused value: the errors, one line each, and no run. */
export const BadSpec: Story = {
  args: { spec: { scenario: 'group-chat', axes: [{ path: 'topology.wsServer', values: [1, 2] }], seeds: [1] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('alert')).toHaveTextContent(/axis topology\.wsServer: unknown path: topology has no field 'wsServer'/);
    await expect(canvas.queryByTestId('sweep-progress')).toBeNull();
  },
};

/**
 * Figure names as long as the labs' own: each title wraps inside its chart instead of running
 * over the chart beside it.
 */
export const LongFigureNames: Story = {
  args: {
    chartWidth: 220,
    figureLabels: {
      messagesPerStoredMessage: 'messages sent per stored chat message, every component counted',
      'latency.p99Ms': 'p99 delivery from the sender to every member of the group',
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByTestId('sweep-progress')).toHaveTextContent('6 of 6 runs'), SWEEP_BUDGET);
    const titles = canvas.getAllByTestId('tradeoff-chart-title');
    await expect(titles).toHaveLength(2);
    for (const title of titles) {
      const chart = title.closest('svg') as SVGSVGElement;
      const box = title.getBoundingClientRect();
      const frame = chart.getBoundingClientRect();
      // Wrapped: more than one line, every line inside its own chart.
      await expect(title.querySelectorAll('tspan').length).toBeGreaterThan(1);
      await expect(box.left).toBeGreaterThanOrEqual(frame.left - 0.5);
      await expect(box.right).toBeLessThanOrEqual(frame.right + 0.5);
      // The plot starts below the title's last line.
      const plot = chart.querySelector('g') as SVGGElement;
      await expect(plot.getBoundingClientRect().top).toBeGreaterThanOrEqual(box.bottom - 4);
    }
  },
};
