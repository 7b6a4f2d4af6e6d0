import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { ReportPanel } from '../src/ui/components/ReportPanel.tsx';
import { formatVirtualTime } from '../src/ui/format.ts';
import { groupChat, reordering, run } from './fixtures.ts';

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
    // The transport's costs: the group of 8 connected and logged in once each.
    await expect(canvas.getByTestId('transport-handshakes')).toHaveTextContent('8 / 8');
    // Data calls travel on the WebSocket by default: no HTTP data request, no connection for them.
    await expect(canvas.getByTestId('transport-data-calls')).toHaveTextContent('0 / 0');
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

/**
 * After a jump back: the report covers the run up to the playhead (3 s), the list keeps every
 * violation the run has shown so far (to 40 s) and says how many lie ahead; Previous and Next step
 * the playhead from one to the next.
 */
export const StepThroughAfterAJump: Story = {
  args: {
    report: run('reordering-without-sequence', 3_000).wb.report(),
    violations: reordering().wb.report()?.violations ?? [],
    nowOf: () => 3_000,
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const all = args.violations ?? [];
    const list = canvas.getByRole('list', { name: 'Violations' });
    await expect(within(list).getAllByRole('button')).toHaveLength(Math.min(all.length, 100));
    await expect(canvas.getByTestId('violations-ahead')).toHaveTextContent(`${all.filter((v) => v.at >= 3_000).length} of them happen after the playhead`);
    // From the playhead (3 s), Next goes to the first violation at or after it.
    const firstAhead = all.findIndex((v) => v.at >= 3_000);
    await userEvent.click(canvas.getByRole('button', { name: 'Next violation' }));
    await expect(args.onJump).toHaveBeenLastCalledWith(all[firstAhead]);
    await expect(canvas.getByText(`${firstAhead + 1} of ${all.length}`)).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Next violation' }));
    await expect(args.onJump).toHaveBeenLastCalledWith(all[firstAhead + 1]);
    await userEvent.click(canvas.getByRole('button', { name: 'Previous violation' }));
    await expect(args.onJump).toHaveBeenLastCalledWith(all[firstAhead]);
    await expect(within(list).getAllByRole('button').find((b) => b.getAttribute('aria-current') === 'true')).toHaveTextContent(formatVirtualTime(all[firstAhead]?.at ?? 0));
  },
};

/** Violations that name their subject: the list is the same, and a jump hands the subject on. */
export const WithSubjects: Story = {
  args: {
    report: reordering().wb.report(),
    violations: (reordering().wb.report()?.violations ?? []).slice(0, 3).map((v) => ({ ...v, subject: { messageId: 'm6', user: 'u3', channel: 'g1' } })),
  },
  play: async ({ canvasElement, args }) => {
    const list = within(canvasElement).getByRole('list', { name: 'Violations' });
    await userEvent.click(within(list).getAllByRole('button')[0] as HTMLElement);
    await expect(args.onJump).toHaveBeenCalledWith(expect.objectContaining({ subject: expect.objectContaining({ messageId: 'm6' }) }));
  },
};
