import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import SequencePanel from '../src/ui/diagrams/SequencePanel.tsx';
import { groupChat, run } from './fixtures.ts';

const privateChat = () => run('private-chat', 12_000);

/** The newest group message of group-chat at 10 s: fan-out to all eight members, 15 lifelines. */
const groupMessage = () => {
  const { wb } = groupChat();
  const id = wb.sequence({ mode: 'follow' }).catalog.filter((m) => m.channel === 'g1' && m.id !== null).at(-1)?.id ?? 'm1';
  return wb.sequence({ mode: 'message', messageId: id });
};

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

/**
 * The users' window after the workload ended (the reordering runs at 40 s): nothing was sent in
 * the last 5 s, yet the run holds many messages. The panel says where they are and offers to
 * widen the window, instead of claiming there is no chat message yet.
 */
export const EmptyWindowAfterTheWorkload: Story = {
  args: {
    view: { text: 'sequenceDiagram', capped: false, participants: [], messages: [], catalog: [], catalogTotal: 148, latestSentAtMs: 29_812, atMs: 40_000 },
    query: { mode: 'window', spanMs: 5_000, hops: 'client', maxChatMessages: 6 },
    nowMs: 40_000,
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByText(/No message was sent in the 5\.000 s before 40\.000 s; the latest message was sent at 29\.812 s\./)[0]).toBeVisible();
    await expect(canvas.queryByText(/No chat message yet/)).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Show the whole run' }));
    await expect(args.onQuery).toHaveBeenCalledWith({ mode: 'window', spanMs: null, hops: 'client', maxChatMessages: 6 });
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
    await expect(canvasElement.querySelector('[data-testid=mermaid] svg')?.textContent).toMatch(/t=\d+(\.\d+)? ms/);
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

/**
 * A group message (15 lifelines) in a pane the size the workbench has at 1280 × 720: "Fit width"
 * puts the whole diagram within the pane, and the participants' names stay in view while it
 * scrolls, fitted or not.
 */
export const GroupFitAndStickyHeader: Story = {
  args: { view: groupMessage() },
  decorators: [
    (Story) => (
      <div style={{ width: 868, height: 500, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  play: async ({ canvasElement }) => {
    // Proves issue item 2: measures the drawn diagram against the pane with fit on and off, then
    // scrolls and checks the names' header is still at the top of the pane.
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelector('[data-testid=mermaid] svg')).not.toBeNull(), { timeout: 20_000 });
    const pane = canvasElement.querySelector('.sequence-scroll') as HTMLElement;
    const body = () => canvasElement.querySelector('[data-testid=mermaid] svg') as SVGSVGElement;
    const inner = pane.clientWidth - Number.parseFloat(getComputedStyle(pane).paddingLeft) - Number.parseFloat(getComputedStyle(pane).paddingRight);
    await expect(body().getBoundingClientRect().width).toBeLessThanOrEqual(inner + 0.5);
    await expect(body().getBoundingClientRect().width).toBeGreaterThan(inner * 0.9);
    await expect(pane.scrollWidth).toBeLessThanOrEqual(pane.clientWidth);

    const head = canvasElement.querySelector('[data-testid=mermaid-head]') as HTMLElement;
    await expect(head.querySelectorAll('[data-et="participant"]').length).toBe(15);
    await expect(head).toHaveTextContent(/Client A\s*\(u\d\)/);

    const stuck = async () => {
      pane.scrollTop = pane.scrollHeight;
      await waitFor(() => expect(pane.scrollTop).toBeGreaterThan(100));
      await waitFor(() => expect(Math.abs(head.getBoundingClientRect().top - pane.getBoundingClientRect().top)).toBeLessThan(1));
    };
    await stuck();

    await userEvent.click(canvas.getByRole('checkbox', { name: 'Fit width' }));
    await waitFor(() => expect(body().getBoundingClientRect().width).toBeGreaterThan(inner));
    await stuck();
  },
};
