import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import SequencePanel from '../src/ui/diagrams/SequencePanel.tsx';
import { groupChat, run } from './fixtures.ts';

const privateChat = () => run('private-chat', 12_000);

const meta = {
  title: 'Diagrams/SequencePanel',
  component: SequencePanel,
  parameters: { layout: 'fullscreen' },
  decorators: [
    (Story) => (
      <div style={{ height: 620, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: { view: null, query: { mode: 'follow' }, onQuery: fn(), theme: 'light', channels: ['g1'], users: ['u1', 'u2'], nowMs: 10_000, fileStem: 'story-sequence' },
} satisfies Meta<typeof SequencePanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Nothing sent yet. */
export const Empty: Story = {
  args: { view: { text: 'sequenceDiagram', capped: false, participants: [], messages: [], catalog: [], catalogTotal: 0, latestSentAtMs: null, atMs: 0 } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText(/No chat message yet/)[0]).toBeVisible();
  },
};

/** The message full of HTML and Mermaid characters in private-chat: Mermaid draws it, the text stays text. */
export const PrivateMessage: Story = {
  args: { view: privateChat().wb.sequence({ mode: 'message', messageId: 'm3' }), query: { mode: 'message', messageId: 'm3' }, channels: ['dm:u1:u2'] },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelector('[data-testid=mermaid] svg')).not.toBeNull(), { timeout: 10_000 });
    const svg = canvasElement.querySelector('[data-testid=mermaid] svg') as SVGSVGElement;
    await expect(svg.textContent).toContain('Client A (u1)');
    await expect(svg.querySelector('b')).toBeNull();
    await expect(canvas.getByTestId('sequence-header')).toHaveTextContent('m3 by u1 in dm:u1:u2');
    await userEvent.click(canvas.getByRole('radio', { name: 'Window' }));
    await expect(args.onQuery).toHaveBeenCalledWith(expect.objectContaining({ mode: 'window' }));
  },
};

/** Follow the latest message of a group: fan-out to every member, real times on the arrows. */
export const FollowLatest: Story = {
  args: { view: groupChat().wb.sequence({ mode: 'follow' }) },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('[data-testid=mermaid] svg')).not.toBeNull(), { timeout: 10_000 });
    await expect(canvasElement.querySelector('[data-testid=mermaid] svg')?.textContent).toMatch(/t=\d+ ms/);
  },
};

/** A window of several messages in the users' view, in the dark theme. */
export const WindowDark: Story = {
  args: {
    view: groupChat().wb.sequence({ mode: 'window', fromMs: 5_000, toMs: 10_000, hops: 'client', maxChatMessages: 4, channel: 'g1' }),
    query: { mode: 'window', spanMs: 5_000, hops: 'client', maxChatMessages: 4, channel: 'g1' },
    theme: 'dark',
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByLabelText('Channel')).toHaveValue('g1');
    await waitFor(() => expect(canvasElement.querySelector('[data-testid=mermaid] svg')).not.toBeNull(), { timeout: 10_000 });
  },
};
