import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { EventList } from '../src/ui/components/EventList.tsx';
import { sampleSlice } from './fixtures.ts';

const meta = {
  title: 'App/EventList',
  component: EventList,
  args: { events: sampleSlice().events, capped: false },
} satisfies Meta<typeof EventList>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Nothing has run yet: the list says how to start. */
export const Empty: Story = {
  args: { events: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/Press Run/)).toBeVisible();
  },
};

/** The newest events, one row each, oldest first. */
export const WithEvents: Story = {
  play: async ({ canvasElement }) => {
    const rows = within(canvasElement).getAllByRole('row');
    // One header row plus the four sample events.
    await expect(rows).toHaveLength(5);
    await expect(rows[4]).toHaveTextContent('net/packetDropped');
  },
};

/** A busy frame produced more events than the slice carried. */
export const Capped: Story = {
  args: { capped: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/newest events of a busy frame/)).toBeVisible();
  },
};
