import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { ReportPanel } from '../src/ui/components/ReportPanel.tsx';
import { groupChat, reordering } from './fixtures.ts';

const meta = {
  title: 'Workbench/ReportPanel',
  component: ReportPanel,
  parameters: { layout: 'padded' },
  decorators: [
    (Story) => (
      <div style={{ height: 620, width: 380, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: { report: null, onJump: fn() },
} satisfies Meta<typeof ReportPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No cluster (the kernel demo), or still loading. */
export const NoReport: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/No report/)).toBeVisible();
  },
};

/** Mid-run: counts, latency, cost; deliveries still on their way are not called lost yet. */
export const Provisional: Story = {
  args: { report: groupChat().wb.report(), provisional: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(Number(canvas.getByTestId('count-sent').textContent)).toBeGreaterThan(0);
    await expect(canvas.getByText('p99')).toBeVisible();
    await expect(canvas.getByText('No checker has found a problem so far.')).toBeVisible();
  },
};

/** Reordering without sequence numbers: violations listed; clicking one jumps to its moment. */
export const Violations: Story = {
  args: { report: reordering().wb.report() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('count-outOfOrderShown')).not.toHaveTextContent(/^0$/);
    const list = canvas.getByRole('list', { name: 'Violations' });
    const first = within(list).getAllByRole('button')[0] as HTMLElement;
    await userEvent.click(first);
    await expect(args.onJump).toHaveBeenCalledWith(expect.objectContaining({ checker: 'ordering' }));
  },
};
