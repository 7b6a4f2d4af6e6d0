import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { StatusPanel } from '../src/ui/components/StatusPanel.tsx';
import { sampleSlice } from './fixtures.ts';

const meta = {
  title: 'App/StatusPanel',
  component: StatusPanel,
  args: { seed: 42, runtime: 'worker', slice: sampleSlice(), status: 'running' },
} satisfies Meta<typeof StatusPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Before the first load returns: placeholders, but the seed is already shown. */
export const Loading: Story = {
  args: { slice: null, runtime: null, status: 'loading' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('seed')).toHaveTextContent('42');
    await expect(canvas.getByTestId('event-count')).toHaveTextContent('0');
    await expect(canvas.getByTestId('trace-hash')).toHaveTextContent('—');
  },
};

/** Mid-run: time, counts and the trace hash. */
export const Running: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('sim-time')).toHaveTextContent('12.300 s');
    // The count is grouped with a thin space, which text matching normalizes to a plain space.
    await expect(canvas.getByTestId('event-count')).toHaveTextContent('1 234');
    await expect(canvas.getByTestId('event-count')).toHaveAttribute('data-value', '1234');
    await expect(canvas.getByTestId('runtime')).toHaveTextContent('Worker');
  },
};

/** A run whose bounded trace store dropped events says so. */
export const Truncated: Story = {
  args: { slice: sampleSlice({ truncated: true, eventCount: 250_000 }), status: 'paused' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('trace store is full');
  },
};

/** A finished run on the main-thread fallback. */
export const FinishedOnMainThread: Story = {
  args: { slice: sampleSlice({ pending: 0 }), status: 'finished', runtime: 'main-thread' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('run-status')).toHaveTextContent('Finished');
    await expect(canvas.getByTestId('runtime')).toHaveTextContent('Main thread');
  },
};
