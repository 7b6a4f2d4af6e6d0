import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import type { ActualFlow } from '../src/diagrams/index.ts';
import { SequenceWhiteboard } from '../src/ui/whiteboard/index.ts';
import { run } from './fixtures.ts';

/** private-chat (seed 42) at 10 s: m1 from u1 (ws-1) to u2 (ws-2) has been delivered. */
function privateFlow(): ActualFlow {
  const r = run('private-chat', 10_000).wb.actualFlow({ kind: 'private' });
  if (!r.ok) throw new Error(r.reason);
  return r.flow;
}

/** A student's diagram without pub/sub (the shape of the fixture wrong-no-pubsub.mmd). */
const wrongNoPubsub = `%% Wrong: the chat service pushes straight to B's server; there is no pub/sub at all.
%% scenario: private-chat seed: 42 follow: private
sequenceDiagram
    participant A as User A Client
    participant GW as API Gateway
    participant WSA as WS Server A
    participant Chat as Chat Service
    participant DB as Database
    participant WSB as WS Server B
    participant B as User B Client
    A->>GW: send "hi"
    GW->>WSA: forward
    WSA->>Chat: submit
    Chat->>DB: store
    DB-->>Chat: stored
    Chat->>WSB: new message
    WSA-->>GW: ack
    GW-->>A: ack
    WSB->>GW: deliver
    GW->>B: deliver
`;

/** The lab's naming style, drawn right (the shape of the fixture right-private-lab-style.mmd). */
const rightLabStyle = `%% A right diagram in the lab's naming style (aliases with quoted labels).
%% scenario: private-chat seed: 42 follow: private
sequenceDiagram
    participant ClientA as "Client A (Sender)"
    participant APIGW as "API Gateway / Load Balancer"
    participant WSServerA as "WebSocket Server (Conn A)"
    participant ChatService as "Chat Service Logic"
    participant DB as "Database"
    participant PubSub as "Pub/Sub System (Redis)"
    participant WSServerB as "WebSocket Server (Conn B)"
    participant ClientB as "Client B (Receiver)"

    ClientA->>APIGW: SendChatMessage(channelId, "Hello")
    APIGW->>WSServerA: forward frame
    WSServerA->>+ChatService: Submit(UserA, channelId, "Hello")
    ChatService->>+DB: StoreMessage(...)
    DB-->>-ChatService: Stored
    ChatService-->>WSServerA: Accepted
    ChatService-)PubSub: Publish(channelId, msg)
    deactivate ChatService
    PubSub-)WSServerB: Notify(channelId, msg)
    WSServerA-->>APIGW: MessageSentAck
    APIGW-->>ClientA: MessageSentAck
    WSServerB-)APIGW: DeliverChatMessage
    APIGW-)ClientB: DeliverChatMessage
`;

const meta = {
  title: 'Whiteboard/SequenceWhiteboard',
  component: SequenceWhiteboard,
  parameters: { layout: 'padded' },
  args: { flow: null, theme: 'light', onJumpTo: fn() },
} satisfies Meta<typeof SequenceWhiteboard>;

export default meta;
type Story = StoryObj<typeof meta>;

const findingCodes = (root: HTMLElement): string[] => [...root.querySelectorAll('[aria-label="Differences"] li')].map((li) => li.getAttribute('data-code') ?? '');

/** A diagram without pub/sub: the check names the missing broker and the hop the run never made, and links to the real hop. */
export const WrongNoPubsub: Story = {
  args: { flow: privateFlow(), initialText: wrongNoPubsub },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the run' }));
    await expect(canvas.getByTestId('check-summary')).toHaveTextContent('2 differences to fix.');
    await expect(findingCodes(canvasElement)).toEqual(['participant-missing:broker', 'hop-extra:L16']);
    const differences = within(canvas.getByRole('list', { name: 'Differences' }));
    // Both explanations name the pitfall, in words.
    await expect(differences.getAllByText(/the "no pub\/sub" pitfall/)).toHaveLength(2);
    const flow = privateFlow();
    const publish = flow.hops.find((h) => h.step === 'publish');
    await userEvent.click(differences.getByRole('button', { name: `Show the real hop (seq ${publish?.seq}, t=${publish?.atMs} ms)` }));
    await expect(args.onJumpTo).toHaveBeenCalledWith(publish?.seq, publish?.atMs);
    // Clicking the student's line selects it in the editor.
    await userEvent.click(differences.getByRole('button', { name: 'Your line 16' }));
    const editor = canvas.getByLabelText('Your sequence diagram (Mermaid)') as HTMLTextAreaElement;
    await expect(editor.value.slice(editor.selectionStart, editor.selectionEnd)).toContain('Chat->>WSB');
    // Both drawings are there, side by side.
    await waitFor(() => expect(canvasElement.querySelectorAll('.whiteboard-side-by-side [data-testid=mermaid] svg')).toHaveLength(2), { timeout: 20_000 });
  },
};

/** The lab's naming style, drawn right: no differences. */
export const Right: Story = {
  args: { flow: privateFlow(), initialText: rightLabStyle },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('No syntax errors.')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the run' }));
    await expect(canvas.getByTestId('check-summary')).toHaveTextContent('No differences: your diagram follows the run’s path.');
    await expect(findingCodes(canvasElement)).toEqual([]);
  },
};

/** A typo: the line is marked in the gutter, listed with its line and column by our reader and by Mermaid, and the check reports it instead of comparing. */
export const SyntaxError: Story = {
  args: { flow: privateFlow(), initialText: 'sequenceDiagram\n    A->>GW: send\n    GW=>WS: forward\n' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const problems = within(canvas.getByRole('list', { name: 'Syntax errors' }));
    await expect(canvas.getAllByTestId('error-line').map((e) => e.textContent)).toEqual(['3']);
    // Ours first, then Mermaid's own, once Mermaid has loaded and parsed.
    await waitFor(() => expect(problems.getAllByRole('listitem').length).toBe(2), { timeout: 20_000 });
    const [ours, theirs] = problems.getAllByRole('listitem');
    await expect(ours).toHaveTextContent(/^Line 3, column 5 cannot read this line/);
    await expect(theirs).toHaveTextContent(/^Line 3, column \d+ Mermaid says: Parse error on line 3/);
    await expect(canvas.getAllByTestId('error-line').map((e) => e.textContent)).toEqual(['3']);
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the run' }));
    await expect(findingCodes(canvasElement)).toEqual(['syntax:L3:C5']);
    // Fixing the line clears the marks.
    const editor = canvas.getByLabelText('Your sequence diagram (Mermaid)');
    await userEvent.clear(editor);
    await userEvent.type(editor, 'sequenceDiagram{enter}A->>GW: send');
    await waitFor(() => expect(canvas.getByText('No syntax errors.')).toBeVisible(), { timeout: 20_000 });
  },
};

/** Labels full of HTML and Mermaid metacharacters are text everywhere: in the preview, the editor and the findings. */
export const Metacharacters: Story = {
  args: {
    flow: privateFlow(),
    initialText:
      'sequenceDiagram\n    participant X as <img src=x onerror="window.__wbHacked=1"> & "Client A"\n    participant Y as <b>#quot;%%{init}%%</b>\n    X->>Y: <script>window.__wbHacked=1</script> #59; {{x}} ;;',
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelector('.whiteboard-preview [data-testid=mermaid] svg')).not.toBeNull(), { timeout: 20_000 });
    await expect(canvasElement.querySelector('.whiteboard-preview img')).toBeNull();
    await expect(canvasElement.querySelector('.whiteboard-preview script')).toBeNull();
    await expect(canvasElement.querySelector('.whiteboard-preview [data-testid=mermaid] svg')?.textContent).toContain('<script>');
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the run' }));
    await expect(canvas.getByText('"<b>#quot;%%{init}%%</b>" is not a part we recognise')).toBeVisible();
    await expect((window as unknown as { __wbHacked?: number }).__wbHacked).toBeUndefined();
  },
};

/** Before any message has been delivered there is nothing to compare with: the button waits and says why. */
export const NoFlowYet: Story = {
  args: { flow: null, flowReason: 'no private message has reached a receiver live by t=1 ms; run further' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: 'Check against the run' })).toBeDisabled();
    await expect(canvas.getByText(/run further/)).toBeVisible();
  },
};
