import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { LabPanel } from '../src/ui/lab/LabPanel.tsx';
import { PROGRESS_KEY, type ProgressStorage } from '../src/ui/lab/progress.ts';
import { labOf, labWorkbench, memoryStorage } from './fixtures.ts';

/** Storage in memory, starting on the given step of the pub/sub lab. */
const onStep = (stepIndex: number): ProgressStorage => memoryStorage({ [PROGRESS_KEY]: JSON.stringify({ 'pubsub-fanout': { stepIndex, seed: 42, steps: {} } }) });

// The real lab, resolved by the same workbench the app runs (here on the main thread).
const wb = labWorkbench;

function Panel({ storage }: { storage: ProgressStorage }) {
  const [lab] = useState(() => labOf('pubsub-fanout'));
  return (
    <div style={{ width: 460, height: 640, display: 'flex', border: '1px solid var(--border)' }}>
      <LabPanel lab={lab} resolve={(i) => Promise.resolve(wb.labStep(i.labId, i.stepId, i.seed, i.input))} loaded={null} onShow={fn()} onFigure={fn()} onSeek={fn()} storage={storage} />
    </div>
  );
}

const meta = {
  title: 'Labs/Pub-sub fan-out',
  component: Panel,
  args: { storage: onStep(0) },
} satisfies Meta<typeof Panel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The growth table (both designs on 2 and 16 servers) is filled from runs, and many servers meet the step's goal. */
export const GrowthTable: Story = {
  args: { storage: onStep(2) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const table = await canvas.findByTestId('lab-table', {}, { timeout: 60_000 });
    // A header and seven measured rows.
    await expect(within(table).getAllByRole('row')).toHaveLength(8);
    await expect(canvas.getByTestId('lab-goals')).toHaveAttribute('data-met', 'false');
  },
};

/** One server fails: the table of the two designs, and switching to the broker meets the goal. */
export const OneServerFails: Story = {
  args: { storage: onStep(4) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const table = await canvas.findByTestId('lab-table', {}, { timeout: 60_000 });
    await expect(within(table).getAllByRole('row')).toHaveLength(6);
    await expect(canvas.getByTestId('lab-goals')).toHaveAttribute('data-met', 'false');
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'Fan-out' }), 'redis');
    await waitFor(() => expect(canvas.getByTestId('lab-goals')).toHaveAttribute('data-met', 'true'), { timeout: 60_000 });
  },
};
