import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import type { UserView } from '../src/workbench/index.ts';
import { ChatPanel } from '../src/ui/components/ChatPanel.tsx';
import { groupChat } from './fixtures.ts';

const users = () => groupChat().wb.topology().users;

/** A hand-made screen for states a short run does not reach (the text is the point). */
const screen = (shown: UserView['channels'][number]['shown'], online = true): UserView => ({
  user: 'u1',
  online,
  server: online ? 'ws-1' : null,
  channels: [{ id: 'g1', members: ['u1', 'u2', 'u3'], shown, shownTotal: shown.length }],
  failed: [],
});

const meta = {
  title: 'Workbench/ChatPanel',
  component: ChatPanel,
  parameters: { layout: 'padded' },
  decorators: [
    (Story) => (
      <div style={{ height: 520, width: 380, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: { users: [], user: 'u1', onUser: fn(), view: null, playing: false, onSend: fn() },
} satisfies Meta<typeof ChatPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A real screen: u1 in group-chat at 10 s, exactly as their simulated client shows it. */
export const Conversation: Story = {
  args: { users: users(), view: groupChat().wb.chat('u1'), playing: true },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('chat-presence')).toHaveTextContent(/online via ws-\d/);
    const list = canvas.getByTestId('chat-messages');
    await expect(within(list).getAllByRole('listitem').length).toBeGreaterThan(0);
    await userEvent.type(canvas.getByRole('textbox'), 'hello everyone{Enter}');
    await expect(args.onSend).toHaveBeenCalledWith('g1', 'hello everyone');
  },
};

/** Nothing shown yet; paused, so the hint says a message waits for Play. */
export const Empty: Story = {
  args: { users: users(), view: screen([]) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('Nothing on this screen yet.')).toBeVisible();
    await expect(canvas.getByText(/Paused: a message you send/)).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};

/** Markup and Mermaid syntax in a message are shown as typed, never interpreted. */
export const MetacharactersAsText: Story = {
  args: {
    users: users(),
    view: screen([{ id: 'm1', seq: null, author: 'u2', text: '<b>bold</b> & <img src=x onerror=alert(1)> A->>B: %% #1', at: 7_026 }]),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('<b>bold</b> & <img src=x onerror=alert(1)> A->>B: %% #1')).toBeVisible();
    await expect(canvasElement.querySelector('.messages b, .messages img')).toBeNull();
  },
};

/** A duplicate the client failed to drop is shown twice, the repeat flagged. */
export const Duplicate: Story = {
  args: {
    users: users(),
    view: screen([
      { id: 'm3', seq: 3, author: 'u2', text: 'are you there?', at: 4_000 },
      { id: 'm4', seq: 4, author: 'u1', text: 'yes', at: 4_500 },
      { id: 'm3', seq: 3, author: 'u2', text: 'are you there?', at: 5_100 },
    ]),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByText('are you there?')).toHaveLength(2);
    await expect(canvas.getByText('duplicate')).toBeVisible();
  },
};

/** A user whose server crashed: offline. */
export const Offline: Story = {
  args: { users: users(), view: screen([], false) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('chat-presence')).toHaveTextContent('offline');
  },
};

/** Switching user asks for their screen. */
export const SwitchUser: Story = {
  args: { users: users(), view: groupChat().wb.chat('u1') },
  play: async ({ canvasElement, args }) => {
    await userEvent.selectOptions(within(canvasElement).getByLabelText('Act as'), 'u3');
    await expect(args.onUser).toHaveBeenCalledWith('u3');
  },
};
