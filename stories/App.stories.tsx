import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { App } from '../src/ui/App.tsx';
import { createMainThreadClient, createWorkerClient } from '../src/ui/runtime/simClient.ts';

const meta = {
  title: 'App/Workbench',
  component: App,
  parameters: { layout: 'fullscreen' },
  args: { initialSeed: 42, scenario: 'kernel-demo' },
} satisfies Meta<typeof App>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Presses Run once the run has loaded and waits for the first events to arrive. */
async function runUntilEvents(canvasElement: HTMLElement): Promise<void> {
  const canvas = within(canvasElement);
  const run = await canvas.findByRole('button', { name: 'Run' });
  await waitFor(() => expect(run).toBeEnabled(), { timeout: 10_000 });
  await userEvent.click(run);
  await waitFor(
    () => expect(Number(canvas.getByTestId('event-count').dataset['value'])).toBeGreaterThan(0),
    { timeout: 10_000 },
  );
}

/** The real simulation in a Web Worker, as the app runs it. */
export const InWorker: Story = {
  args: { createClient: createWorkerClient },
  play: async ({ canvasElement }) => {
    await runUntilEvents(canvasElement);
    await expect(within(canvasElement).getByTestId('runtime')).toHaveTextContent('Worker');
  },
};

/** The same simulation on the main thread (the `?worker=0` fallback). */
export const OnMainThread: Story = {
  args: { createClient: createMainThreadClient },
  play: async ({ canvasElement }) => {
    await runUntilEvents(canvasElement);
    await expect(within(canvasElement).getByTestId('runtime')).toHaveTextContent('Main thread');
  },
};

/** Another seed, to show that the seed is always on screen. */
export const OtherSeed: Story = {
  args: { initialSeed: 7, createClient: createMainThreadClient },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByLabelText('Seed')).toHaveValue(7);
    await expect(canvas.getByTestId('seed')).toHaveTextContent('7');
  },
};
