import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { RateLimitPanel } from '../src/ui/diagrams/RateLimitPanel.tsx';
import { groupChat, rateLimitBurst } from './fixtures.ts';

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
    await expect(canvas.getByText(/R6 at 60 s/)).toHaveTextContent('denied');
    await userEvent.click(canvas.getByRole('button', { name: 'R7 · 65 s' }));
    await expect(args.onExampleAt).toHaveBeenCalledWith(65_000);
    await userEvent.click(canvas.getByRole('button', { name: /Run it as the rate-limit-burst scenario/ }));
    await expect(args.onLoadBurst).toHaveBeenCalled();
  },
};

/** At 65 s, R1 has slid out of the window and R7 is allowed. */
export const WorkedExampleAt65: Story = {
  args: { view: groupChat().wb.rateLimit(), example: groupChat().wb.workedExample(65_000).timeline, exampleAtMs: 65_000 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/R7 at 65 s/)).toHaveTextContent('allowed');
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
