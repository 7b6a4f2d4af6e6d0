import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { Home } from '../src/ui/lab/Home.tsx';
import { LabPanel } from '../src/ui/lab/LabPanel.tsx';
import { PROGRESS_KEY, type ProgressStorage } from '../src/ui/lab/progress.ts';
import { RequestTimeline } from '../src/ui/lab/RequestTimeline.tsx';
import { createMainThreadClient } from '../src/ui/runtime/simClient.ts';
import { labOf, labWorkbench, memoryStorage } from './fixtures.ts';

// The real labs, resolved by the same workbench the app runs (here on the main thread).
const wb = labWorkbench;

function Panel({ labId, storage, onShow }: { labId: string; storage: ProgressStorage; onShow: () => void }) {
  const [lab] = useState(() => labOf(labId));
  return (
    <div style={{ width: 460, height: 640, display: 'flex', border: '1px solid var(--border)' }}>
      <LabPanel
        lab={lab}
        resolve={(i) => Promise.resolve(wb.labStep(i.labId, i.stepId, i.seed, i.input))}
        loaded={null}
        onShow={onShow}
        onFigure={fn()}
        onSeek={fn()}
        storage={storage}
      />
    </div>
  );
}

const meta = {
  title: 'Labs/Lab panel',
  component: Panel,
  args: { labId: 'message-flow', storage: memoryStorage(), onShow: fn() },
} satisfies Meta<typeof Panel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Predict, commit, and read the run's answer: the explanation quotes measured numbers only after the commit. */
export const PredictThenRun: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('30.8 ms', {}, { timeout: 20_000 });
    await expect(args.onShow).toHaveBeenCalled();
    await userEvent.click(canvas.getByRole('button', { name: 'Next step' }));
    const persist = await canvas.findByRole('radio', { name: 'The database stores it first' }, { timeout: 20_000 });
    await expect(canvas.queryByTestId('lab-explanation')).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Commit and run' })).toBeDisabled();
    await userEvent.click(persist);
    await userEvent.click(canvas.getByRole('button', { name: 'Commit and run' }));
    const explanation = await canvas.findByTestId('lab-explanation', {}, { timeout: 20_000 });
    await expect(within(explanation).getByTestId('lab-verdict')).toHaveTextContent('Your prediction was right.');
    await expect(within(explanation).getAllByRole('button').length).toBeGreaterThanOrEqual(3);
    await waitFor(() => expect(canvas.getByTestId('lab-done-count')).toHaveTextContent('2 of 6 steps done'));
  },
};

/** A corrupt saved entry is set aside with a note; the lab starts fresh instead of failing. */
export const CorruptProgress: Story = {
  args: { storage: memoryStorage({ [PROGRESS_KEY]: '{"message-flow": {"stepIndex": "two"}}' }) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(/saved progress of this lab was not readable/)).toBeInTheDocument();
    // It starts fresh: on the first step, whatever the corrupt entry said.
    await expect(canvas.getByRole('button', { current: 'step' })).toHaveTextContent('A private message, hop by hop');
    await userEvent.click(canvas.getByRole('button', { name: 'Dismiss' }));
    await expect(canvas.queryByText(/not readable/)).toBeNull();
  },
};

/** The sliding-window experiment: the side-by-side table of every algorithm on the same traffic. */
export const ExperimentTable: Story = {
  args: { labId: 'sliding-window', storage: memoryStorage({ [PROGRESS_KEY]: JSON.stringify({ 'sliding-window': { stepIndex: 2, seed: 42, steps: {} } }) }) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const table = await canvas.findByTestId('lab-table', {}, { timeout: 30_000 });
    await expect(within(table).getAllByRole('row')).toHaveLength(8);
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'The gateway’s algorithm' }), 'fixed-window');
    await waitFor(() => expect(canvas.getByTestId('lab-goals')).toHaveAttribute('data-met', 'true'), { timeout: 30_000 });
  },
};

/** The map: groups in the lab's order, ready labs as links, the rest marked coming, and free play. */
export const HomeScreen: StoryObj<typeof Home> = {
  render: (args) => <Home {...args} />,
  args: { onOpenLab: fn(), onFreePlay: fn(), createClient: createMainThreadClient, storage: memoryStorage() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const card = await canvas.findByRole('link', { name: /The sliding window/ }, { timeout: 20_000 });
    for (const group of ['Concepts', 'Required diagrams', 'Critical decisions', 'Trade-offs', 'Pitfalls', 'Discussion']) {
      await expect(canvas.getByRole('heading', { name: group })).toBeInTheDocument();
    }
    await expect(canvas.getAllByText('Coming').length).toBeGreaterThanOrEqual(5);
    await userEvent.click(card);
    await expect(args.onOpenLab).toHaveBeenCalledWith('sliding-window');
    await userEvent.click(canvas.getByRole('button', { name: /Free play/ }));
    await expect(args.onFreePlay).toHaveBeenCalled();
  },
};

function Timeline() {
  const [seconds, setSeconds] = useState<number[]>([0, 20]);
  const [predicted, setPredicted] = useState<(boolean | null)[]>([true, null]);
  return (
    <div style={{ width: 430 }}>
      <RequestTimeline label="Your requests" seconds={seconds} maxSeconds={66} maxCount={4} predicted={predicted} verdicts={null} locked={false} onSeconds={setSeconds} onPredicted={setPredicted} onSeek={() => undefined} />
    </div>
  );
}

/** Requests placed from the keyboard, kept in time order, each marked allow or deny; at most maxCount. */
export const RequestsFromTheKeyboard: StoryObj<typeof Timeline> = {
  render: () => <Timeline />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByLabelText('Add a request at'), '10{Enter}');
    const list = canvas.getByRole('list', { name: 'Your requests' });
    await expect(within(list).getAllByRole('listitem').map((li) => li.textContent?.match(/at (\d+) s/)?.[1])).toEqual(['0', '10', '20']);
    const third = within(list).getByRole('group', { name: /request 3 at 20 s/ });
    await userEvent.click(within(third).getByRole('button', { name: 'Deny' }));
    await expect(within(third).getByRole('button', { name: 'Deny' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.type(canvas.getByLabelText('Add a request at'), '30{Enter}');
    await expect(canvas.getByRole('button', { name: 'Add' })).toBeDisabled();
    await expect(canvas.getByText('At most 4 requests.')).toBeInTheDocument();
  },
};
