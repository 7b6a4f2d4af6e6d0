import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from './App.tsx';
import { createMainThreadClient } from './runtime/simClient.ts';

const eventCount = (): number => Number(page.getByTestId('event-count').element().getAttribute('data-value'));
const simTime = (): string => page.getByTestId('sim-time').element().textContent ?? '';

/** Renders the workbench on group-chat, seed 42, and waits until the run is loaded. */
async function renderApp(props: Parameters<typeof App>[0] = {}) {
  const screen = await render(<App syncUrl={false} theme="light" {...props} />);
  await expect.element(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  return screen;
}

// Proves the whole path a person uses: the page loads the seeded run in a real Web Worker, Play
// starts the frame loop, events computed in the worker reach the screen, and Pause stops it.
test('Play runs the simulation in a Worker; Pause stops it', async () => {
  await renderApp();
  await expect.element(page.getByLabelText('Seed')).toHaveValue('42');
  await expect.element(page.getByTestId('runtime')).toHaveTextContent('Worker');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(eventCount, { timeout: 10_000 }).toBeGreaterThan(100);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.element(page.getByTestId('run-status')).toHaveTextContent('Paused');
  const paused = eventCount();
  await new Promise((resolve) => setTimeout(resolve, 300));
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
  await expect.poll(eventCount, { timeout: 10_000 }).toBeGreaterThan(1500);
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
