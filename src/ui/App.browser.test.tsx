import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from './App.tsx';
import { createMainThreadClient, createWorkerClient } from './runtime/simClient.ts';

const eventCount = (): number => Number(page.getByTestId('event-count').element().getAttribute('data-value'));
const simTime = (): string => page.getByTestId('sim-time').element().textContent ?? '';

/** Resolves after `n` animation frames: the frame loop advances once per frame, so each is a chance to move. */
const animationFrames = (n: number): Promise<void> =>
  new Promise((resolve) => {
    const tick = (left: number): void => {
      if (left === 0) resolve();
      else requestAnimationFrame(() => tick(left - 1));
    };
    tick(n);
  });

/**
 * The event count once it has held still for `frames` animation frames. After Pause, the one
 * advance already sent to the worker may still land; this waits for it by state, not by a timer.
 */
async function settledEventCount(frames: number): Promise<number> {
  for (;;) {
    const before = eventCount();
    await animationFrames(frames);
    if (eventCount() === before) return before;
  }
}

/** Renders the workbench on group-chat, seed 42, and waits until the run is loaded. */
async function renderApp(props: Parameters<typeof App>[0] = {}) {
  const screen = await render(<App syncUrl={false} theme="light" {...props} />);
  await expect.element(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  return screen;
}

// Proves the whole path a person uses: the page loads the seeded run in a real Web Worker, Play
// starts the frame loop, events computed in the worker reach the screen, and Pause stops it (the
// count holds for 60 animation frames, each of which would have advanced a running loop). Every
// wait is on state (the count, the status), so a slow machine makes it slower, never red.
test('Play runs the simulation in a Worker; Pause stops it', async () => {
  await renderApp();
  await expect.element(page.getByLabelText('Seed')).toHaveValue('42');
  await expect.element(page.getByTestId('runtime')).toHaveTextContent('Worker');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(eventCount).toBeGreaterThan(100);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.element(page.getByTestId('run-status')).toHaveTextContent('Paused');
  const paused = await settledEventCount(10);
  await animationFrames(60);
  expect(eventCount()).toBe(paused);
  await expect.element(page.getByTestId('trace-hash')).toHaveTextContent(/^[0-9a-f]{16}/);
});

// Proves the keyboard drives playback: → processes exactly one event, Space plays and pauses,
// Shift+→ seeks a second forward.
test('keyboard: step, play/pause, seek', async () => {
  await renderApp({ createClient: createMainThreadClient });
  const before = eventCount();
  await userEvent.keyboard('{ArrowRight}');
  await expect.poll(eventCount).toBeGreaterThan(before);
  await userEvent.keyboard('{Shift>}{ArrowRight}{/Shift}');
  await expect.poll(simTime).toMatch(/^1\.\d{3} s$/);
  await userEvent.keyboard(' ');
  await expect.element(page.getByTestId('run-status')).toHaveTextContent('Playing');
  await userEvent.keyboard(' ');
  await expect.element(page.getByTestId('run-status')).toHaveTextContent('Paused');
});

// Proves the chat panel acts as a user: u1 types a message full of markup, playback carries it
// through the cluster, and u2's screen shows it as text.
test('a message sent as u1 arrives on u2’s screen, as text', async () => {
  await renderApp({ createClient: createMainThreadClient });
  const text = '<i>hi</i> from the test A->>B';
  // Ten times real time, so the message crosses the cluster quickly.
  for (let i = 0; i < 3; i++) await userEvent.keyboard(']');
  await expect.element(page.getByText('10×')).toBeVisible();
  await page.getByRole('textbox', { name: /Message as u1 in g1/ }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  // The group-chat run ends at 75 s, far past the ~7 s of virtual time 1,500 events take, so the
  // click on Pause cannot race the run's own end.
  await expect.poll(eventCount).toBeGreaterThan(1500);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByLabelText('Act as').selectOptions('u2');
  await expect.element(page.getByTestId('chat-messages').getByText(text)).toBeVisible();
  expect(document.querySelector('[data-testid=chat-messages] i')).toBeNull();
});

// Proves a fault button reaches the cluster: crashing ws-2 from the Faults panel shows it crashed
// in the pub/sub diagram and lists the intervention.
test('crashing a server shows in the diagram', async () => {
  await renderApp({ createClient: createMainThreadClient, initialDiagram: 'pubsub', initialPanel: 'faults' });
  await page.getByLabelText('Node').selectOptions('ws-2');
  await page.getByRole('button', { name: 'Crash ws-2' }).click();
  await expect.element(page.getByText('crashed: ws-2')).toBeVisible();
  await expect.element(page.getByRole('listitem').getByText('crash ws-2', { exact: true })).toBeVisible();
  const crashed = document.querySelector('[data-testid=node-ws-server][data-status=down]');
  expect(crashed?.textContent).toContain('ws-2');
});

// Proves a worker that fails mid-run is said out loud, not left hanging, and that going on on the
// main thread restores the same run: the crash the person applied stays on the timeline at its
// time, and the trace hash at the playhead is the one the worker had computed.
test('a failed worker offers to go on on the main thread with the same run', async () => {
  const worker = new Worker(new URL('./runtime/sim.worker.ts', import.meta.url), { type: 'module', name: 'sim' });
  const createClient = () => createWorkerClient(worker);
  await renderApp({ createClient, initialDiagram: 'pubsub', initialPanel: 'faults' });
  await page.getByRole('button', { name: 'Step' }).click();
  await page.getByLabelText('Node').selectOptions('ws-2');
  await page.getByRole('button', { name: 'Crash ws-2' }).click();
  await expect.element(page.getByText('crashed: ws-2')).toBeVisible();
  const hash = page.getByTestId('trace-hash').element().textContent ?? '';
  expect(hash).toMatch(/^[0-9a-f]{16}$/);
  // What the browser does when a worker's script dies (out of memory, an error escaping it).
  worker.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught RangeError: Out of memory' }));
  await expect.element(page.getByRole('alert')).toHaveTextContent(/The simulation worker failed: Uncaught RangeError: Out of memory/);
  await page.getByRole('button', { name: 'Continue on the main thread' }).click();
  await expect.element(page.getByTestId('runtime')).toHaveTextContent('Main thread');
  await expect.element(page.getByTestId('trace-hash')).toHaveTextContent(hash);
  await expect.element(page.getByRole('listitem').getByText('crash ws-2', { exact: true })).toBeVisible();
  await expect.element(page.getByRole('alert')).not.toBeInTheDocument();
});
