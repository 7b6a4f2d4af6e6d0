import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { FaultsPanel } from '../src/ui/components/FaultsPanel.tsx';
import { groupChat, groupChatWithFaults } from './fixtures.ts';

const statusFrom = (fixture: ReturnType<typeof groupChat>) => (node: string) => fixture.frame.graph?.nodes.find((n) => n.id === node)?.data.status ?? 'up';

const meta = {
  title: 'Workbench/FaultsPanel',
  component: FaultsPanel,
  parameters: { layout: 'padded' },
  decorators: [
    (Story) => (
      <div style={{ height: 560, width: 380, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: {
    nodes: groupChat().wb.topology().nodes,
    statusOf: statusFrom(groupChat()),
    cutsOf: (_node: string): readonly string[] => [],
    interventions: [],
    onOp: fn(),
    onForget: fn(),
    onSeek: fn(),
  },
} satisfies Meta<typeof FaultsPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A healthy cluster: crash the chosen server with one click. */
export const Healthy: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.selectOptions(canvas.getByLabelText('Node'), 'ws-2');
    await userEvent.click(canvas.getByRole('button', { name: 'Crash ws-2' }));
    await expect(args.onOp).toHaveBeenCalledWith({ verb: 'crash', node: 'ws-2' });
    await userEvent.click(canvas.getByRole('button', { name: 'Cut' }));
    await expect(args.onOp).toHaveBeenLastCalledWith({ verb: 'partition', a: ['ws-2'], b: ['broker'] });
  },
};

/** Scaling: add a spare server, or drain the chosen one (ADR 0014). */
export const Scaling: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Add a server' }));
    await expect(args.onOp).toHaveBeenLastCalledWith({ verb: 'addServer' });
    await userEvent.selectOptions(canvas.getByLabelText('Node'), 'ws-2');
    await userEvent.click(canvas.getByRole('button', { name: 'Drain ws-2' }));
    await expect(args.onOp).toHaveBeenLastCalledWith({ verb: 'removeServer', node: 'ws-2' });
  },
};

/** After a crash and a partition: restart is offered, the interventions are listed and removable. */
export const AfterFaults: Story = {
  args: {
    statusOf: statusFrom(groupChatWithFaults()),
    cutsOf: (node) => (node === 'ws-1' ? ['broker'] : []),
    interventions: groupChatWithFaults().frame.interventions,
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.selectOptions(canvas.getByLabelText('Node'), 'ws-2');
    await userEvent.click(canvas.getByRole('button', { name: 'Restart ws-2' }));
    await expect(args.onOp).toHaveBeenCalledWith({ verb: 'restart', node: 'ws-2' });
    await expect(canvas.getByText('crash ws-2')).toBeVisible();
    await expect(canvas.getByText('partition ws-1 ↔ broker')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Remove “crash ws-2”' }));
    await expect(args.onForget).toHaveBeenCalledOnce();
    await userEvent.click(canvas.getByRole('button', { name: '5.000 s' }));
    await expect(args.onSeek).toHaveBeenCalledWith(5_000);
  },
};

/** Link faults: delay, drop or duplicate both ways on one link. */
export const LinkFault: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.selectOptions(canvas.getByLabelText('Link fault'), 'drop-half');
    await userEvent.click(canvas.getByRole('button', { name: 'Apply' }));
    await expect(args.onOp).toHaveBeenCalledWith({ verb: 'drop', from: 'ws-1', to: 'gw', twoWay: true, ratio: { num: 1, den: 2 } });
  },
};

/** Before a run exists. */
export const NoRun: Story = {
  args: { nodes: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Load a run to inject faults.')).toBeVisible();
  },
};
