import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { DEFAULT_LINK_STATE } from '../src/ui/link/state.ts';
import '../src/ui/present/present.css';
import { PresenterPanel } from '../src/ui/present/PresenterPanel.tsx';

// Link codes in the uncompressed form (`1u.` + base64url of the wire JSON): what a lesson file holds.
const code = (wire: object) => `1u.${btoa(JSON.stringify(wire)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;

const meta = {
  title: 'Presentation/PresenterPanel',
  component: PresenterPanel,
  parameters: { layout: 'fullscreen' },
  decorators: [
    (Story) => (
      <div style={{ width: 310, height: 720, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: {
    lesson: {
      version: 1,
      title: 'Ordering after a crash',
      moments: [
        { title: 'Group chat at 3 s', notes: 'Every member sees the message; note the fan-out.', link: code({ t: 3000 }) },
        { title: 'Reordering after a crash', notes: 'ws-2 crashed at 2 s.\nNo sequence numbers: who sees what order?', link: code({ sc: 'reordering-without-sequence', iv: [[2000, { verb: 'crash', node: 'ws-2' }]], t: 5000, d: 'pubsub' }) },
        { title: 'With sequence numbers', notes: '', link: code({ sc: 'reordering-with-sequence', t: 5000 }) },
      ],
    },
    index: 1,
    view: { scenario: 'reordering-without-sequence', seed: 42, nowMs: 5000, status: 'paused', diagram: 'pubsub', traceHash: '7310794a7b6289ba', labStep: null, lab: null },
    current: () => Promise.resolve({ state: { ...DEFAULT_LINK_STATE, nowMs: 5000 }, code: code({ t: 5000 }) }),
    audienceUrl: '?audience=story',
    channelMissing: false,
    storageNote: null,
    controls: () => null,
    onLesson: fn(),
    onGo: fn(),
    onLeave: fn(),
  },
} satisfies Meta<typeof PresenterPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** On moment 2 of 3: its notes, what comes next, the moments with the current one marked; Next opens moment 3. */
export const OnAMoment: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { level: 2 })).toHaveTextContent('2/3: Reordering after a crash');
    await expect(canvas.getByText(/No sequence numbers: who sees what order\?/)).toBeVisible();
    await expect(canvas.getByTestId('presenter-next')).toHaveTextContent('Next: With sequence numbers');
    await expect(canvas.getByTestId('presenter-now')).toHaveAttribute('data-trace-hash', '7310794a7b6289ba');
    await userEvent.click(canvas.getByRole('button', { name: 'Next ▶' }));
    await expect(args.onGo).toHaveBeenCalledWith(2);
    await userEvent.click(canvas.getByRole('button', { name: 'Move moment 3 up' }));
    await expect(args.onLesson).toHaveBeenCalledWith(expect.objectContaining({ moments: [args.lesson.moments[0], args.lesson.moments[2], args.lesson.moments[1]] }));
  },
};

/** A lesson with no moments yet, in a lab step: the step's title and the way to start. */
export const EmptyInALab: Story = {
  args: {
    lesson: { version: 1, title: 'Untitled lesson', moments: [] },
    index: null,
    view: { scenario: 'private-chat', seed: 42, nowMs: 10_065, status: 'paused', diagram: 'sequence', traceHash: '17ddc14a54b6c6a8', labStep: 'A private message, hop by hop', lab: 'message-flow' },
    storageNote: 'This browser would not keep the lesson (storage full or blocked): export it to keep it.',
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { level: 2 })).toHaveTextContent('Off the lesson');
    await expect(canvas.getByText('Lab step: A private message, hop by hop')).toBeVisible();
    await expect(canvas.getByTestId('presenter-next')).toHaveTextContent('No moments yet');
    await expect(canvas.getByTestId('export-lesson')).toBeDisabled();
  },
};
