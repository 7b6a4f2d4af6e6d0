import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { Timeline } from '../src/ui/components/Timeline.tsx';

const meta = {
  title: 'Workbench/Timeline',
  component: Timeline,
  parameters: { layout: 'padded' },
  args: { nowMs: 20_000, frontierMs: 30_000, endMs: 75_000, markers: [], onSeek: fn() },
} satisfies Meta<typeof Timeline>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A fresh run: nothing marked yet; the slider is the playhead. */
export const Empty: Story = {
  args: { nowMs: 0, frontierMs: 0 },
  play: async ({ canvasElement }) => {
    const slider = within(canvasElement).getByRole('slider', { name: 'Playhead (virtual time)' });
    await expect(slider).toHaveAttribute('aria-valuetext', '0.000 s');
  },
};

/** Faults, sends and violations are marks; clicking one seeks to its moment. */
export const WithMarkers: Story = {
  args: {
    markers: [
      { at: 15_000, kind: 'fault', label: 'crash ws-2' },
      { at: 25_000, kind: 'repair', label: 'restart ws-2' },
      { at: 18_200, kind: 'send', label: 'u1 sends “hi” in g1' },
      { at: 21_480, kind: 'violation', label: 'ordering: m12 shown before m11' },
    ],
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /Fault at 15\.000 s: crash ws-2/ }));
    await expect(args.onSeek).toHaveBeenCalledWith(15_000);
    await userEvent.click(canvas.getByRole('button', { name: /Violation at 21\.480 s/ }));
    await expect(args.onSeek).toHaveBeenLastCalledWith(21_480);
  },
};

/** Thousands of violations: the marks are capped and the cap is said. */
export const Capped: Story = {
  args: { markers: Array.from({ length: 200 }, (_, i) => ({ at: i * 300, kind: 'violation' as const, label: `violation ${i}` })) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('60 of 200 marks')).toBeVisible();
    // Sampled across the run, not the first 60: the last violation's neighbourhood is marked too.
    await expect(within(canvasElement).getAllByRole('button', { name: /Violation at 5\d\.\d{3} s/ })[0]).toBeInTheDocument();
  },
};
