import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import type { UserView } from '../src/workbench/index.ts';
import { ChatPanel, type ChatView } from '../src/ui/components/ChatPanel.tsx';
import { groupChat } from './fixtures.ts';

const users = () => groupChat().wb.topology().users;

/** A hand-made screen for states a short run does not reach (the text is the point). */
const screen = (shown: UserView['channels'][number]['shown'], online = true): UserView => ({
  user: 'u1',
  online,
  server: online ? 'ws-1' : null,
  channels: [{ id: 'g1', members: ['u1', 'u2', 'u3'], shown, shownTotal: shown.length, member: true }],
  joinable: [],
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

/** A text over the limit is never cut: a counter and a clear note say so, and Send waits. */
export const TooLongSaysSo: Story = {
  args: { users: users(), view: screen([]) },
  play: async ({ canvasElement, args }) => {
    // Proves issue item 3's first half: a 520-character paste stays whole, the counter and an
    // alert say it is over 500, Send is disabled, and Enter does not send it.
    const canvas = within(canvasElement);
    const box = canvas.getByRole('textbox', { name: /Message as u1 in g1/ });
    await userEvent.click(box);
    await userEvent.paste('x'.repeat(520));
    await expect(box).toHaveValue('x'.repeat(520));
    await expect(canvas.getByTestId('char-count')).toHaveTextContent('520 / 500');
    await expect(canvas.getByRole('alert')).toHaveTextContent('Too long to send: 520 characters, the limit is 500. Remove 20 to send');
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
    await userEvent.keyboard('{Enter}');
    await expect(args.onSend).not.toHaveBeenCalled();
    await userEvent.keyboard('{Backspace>20/}');
    await expect(canvas.getByTestId('char-count')).toHaveTextContent('500 / 500');
    await expect(canvas.queryByRole('alert')).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeEnabled();
  },
};

/** Shift+Enter adds a line; Enter sends the lines as one message. */
export const ShiftEnterNewLine: Story = {
  args: { users: users(), view: screen([]) },
  play: async ({ canvasElement, args }) => {
    // Proves issue item 3's second half: Shift+Enter inserts a newline and does not send.
    const box = within(canvasElement).getByRole('textbox', { name: /Message as u1 in g1/ });
    await userEvent.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    await expect(args.onSend).not.toHaveBeenCalled();
    await expect(box).toHaveValue('line one\nline two');
    await userEvent.keyboard('{Enter}');
    await expect(args.onSend).toHaveBeenCalledWith('g1', 'line one\nline two');
    await expect(box).toHaveValue('');
  },
};

/**
 * A send the cluster refused shows in the sender's chat, with the code and the server's reason.
 * The simulation's user view does not carry refusals yet (the worker will add `failed`); this is
 * how the panel draws them once it does.
 */
export const RefusedSend: Story = {
  args: {
    users: users(),
    view: {
      ...screen([
        { id: 'm1', seq: 1, author: 'u2', text: 'hi all', at: 1_200 },
        { id: 'm2', seq: 2, author: 'u1', text: 'hello', at: 2_000 },
      ]),
      failed: [
        { clientMsgId: 'u1-3', channel: 'g1', text: 'one more, quickly', code: 'RATE_LIMITED', message: 'user:u1 sent 5 messages in the last 60 s; the limit is 5', at: 2_400 },
        { clientMsgId: 'u1-4', channel: 'dm:u1:u2', text: 'elsewhere', code: 'FORBIDDEN', message: 'another channel', at: 2_500 },
      ],
    } satisfies ChatView,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const list = canvas.getByTestId('chat-messages');
    const items = within(list).getAllByRole('listitem');
    // Only this channel's refusal, after the message shown before it.
    await expect(items).toHaveLength(3);
    await expect(items[2]).toHaveAccessibleName('Not sent: RATE_LIMITED');
    await expect(within(items[2] as HTMLElement).getByText('one more, quickly')).toBeVisible();
    await expect(within(items[2] as HTMLElement).getByText(/the limit is 5/)).toBeVisible();
    await expect(within(list).queryByText('elsewhere')).toBeNull();
  },
};

/** Joining and leaving from the app: a hand-made screen of u3 after leaving g1 (its history stays, read-only). */
export const LeftAChannel: Story = {
  args: {
    users: users(),
    user: 'u3',
    view: {
      user: 'u3',
      online: true,
      server: 'ws-2',
      channels: [
        { id: 'g1', members: ['u1', 'u2', 'u4', 'u5', 'u6', 'u7'], shown: [{ id: 'm3', seq: 3, author: 'u1', text: 'before I left', at: 12_000 }], shownTotal: 1, member: false },
        { id: 'dm:u3:u7', members: ['u3', 'u7'], shown: [], shownTotal: 0, member: true },
      ],
      joinable: ['g1', 'g2'],
      failed: [],
    },
    onMembership: fn(),
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const bar = within(canvas.getByTestId('chat-membership'));
    await expect(bar.getByText(/u3 left #g1/)).toBeVisible();
    await expect(canvas.getByRole('textbox')).toBeDisabled();
    await userEvent.click(bar.getByRole('button', { name: 'Join #g1 again' }));
    await expect(args.onMembership).toHaveBeenCalledWith('g1', 'join');
    await userEvent.selectOptions(bar.getByRole('combobox', { name: 'Channel to join' }), 'g2');
    await userEvent.click(bar.getByRole('button', { name: 'Join' }));
    await expect(args.onMembership).toHaveBeenCalledWith('g2', 'join');
  },
};
