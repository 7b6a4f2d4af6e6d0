import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { EventTable } from '../src/ui/components/EventTable.tsx';
import { groupChat, groupChatWithFaults } from './fixtures.ts';

const meta = {
  title: 'Workbench/EventTable',
  component: EventTable,
  parameters: { layout: 'padded' },
  decorators: [
    (Story) => (
      <div style={{ height: 560, width: 380, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: { page: null, query: { hideTimers: true, limit: 200 }, onQuery: fn(), onSeek: fn(), onShowMessage: fn() },
} satisfies Meta<typeof EventTable>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Before the first answer. */
export const Loading: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Loading events…')).toBeVisible();
  },
};

/** The newest 200 events of a real run, newest last; the cap is said. */
export const Running: Story = {
  args: { page: groupChat().wb.table({ hideTimers: true, limit: 200 }) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/Newest 200 of/)).toBeVisible();
    // One header row plus the 200 events.
    await expect(canvas.getAllByRole('row')).toHaveLength(201);
  },
};

/** Rows are one tab stop: arrows move, Enter opens details, which jump to the event's moment. */
export const KeyboardAndDetails: Story = {
  args: { page: groupChat().wb.table({ hideNet: true, hideTimers: true, limit: 50 }), loadEvent: async (seq) => groupChat().wb.eventAt(seq) },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const rows = canvas.getAllByRole('row').slice(1);
    const last = rows.at(-1) as HTMLElement;
    await expect(last).toHaveAttribute('tabindex', '0');
    last.focus();
    await userEvent.keyboard('{ArrowUp}');
    const previous = rows.at(-2) as HTMLElement;
    await expect(previous).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    const details = await canvas.findByRole('region', { name: /Details of event/ });
    await waitFor(() => expect(within(details).getByText(/"user"|"id"|"server"|"channel"/)).toBeVisible());
    await userEvent.click(within(details).getByRole('button', { name: /Jump to/ }));
    await expect(args.onSeek).toHaveBeenCalledOnce();
  },
};

/** A fault run filtered to operator verbs: the crash and the partition. */
export const Faults: Story = {
  args: { page: groupChatWithFaults().wb.table({ domains: ['op'] }), query: { domains: ['op'] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('op/crashed')).toBeVisible();
    await expect(canvas.getByText('op/partitioned')).toBeVisible();
  },
};

/** Typing in the filter asks for a new page; nothing matching says so. */
export const NoMatch: Story = {
  args: { page: groupChat().wb.table({ text: 'no-such-thing' }), query: { text: 'no-such-thin' } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/No events match/)).toBeVisible();
    await userEvent.type(canvas.getByLabelText('Filter events'), 'g');
    await expect(args.onQuery).toHaveBeenCalledWith(expect.objectContaining({ text: 'no-such-thing' }));
  },
};
