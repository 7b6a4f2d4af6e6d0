import { expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from './App.tsx';

const eventCount = (): number => Number(page.getByTestId('event-count').element().getAttribute('data-value'));

// Proves the whole path a person uses: the page loads the seeded run in a real Web Worker, Run
// starts the frame loop, and events computed in the worker reach the screen.
test('Run starts the simulation in a Worker and events arrive', async () => {
  await render(<App />);
  await expect.element(page.getByLabelText('Seed')).toHaveValue(42);
  const run = page.getByRole('button', { name: 'Run' });
  await expect.element(run).toBeEnabled();
  await run.click();
  await expect.poll(eventCount, { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.element(page.getByTestId('runtime')).toHaveTextContent('Worker');
  await expect.element(page.getByTestId('trace-hash')).toHaveTextContent(/^[0-9a-f]+$/);
});

// Proves Pause stops the frame loop: the count does not move while paused.
test('Pause stops the run', async () => {
  await render(<App />);
  const run = page.getByRole('button', { name: 'Run' });
  await expect.element(run).toBeEnabled();
  await run.click();
  await expect.poll(eventCount, { timeout: 10_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.element(page.getByTestId('run-status')).toHaveTextContent('Paused');
  const paused = eventCount();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(eventCount()).toBe(paused);
});
