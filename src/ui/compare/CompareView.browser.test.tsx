import { afterEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { Root } from '../Root.tsx';
import { createMainThreadClient } from '../runtime/simClient.ts';
import CompareView from './CompareView.tsx';

const view = (): HTMLElement => document.querySelector('[data-testid=compare]') as HTMLElement;
const attr = (name: string): string | null => view()?.getAttribute(name) ?? null;
const start = location.href;
afterEach(() => history.replaceState(null, '', start));

// Proves the time lock while playing: both panes advance together, a pause leaves both playheads
// on the same moment, and the two designs' traces differ there (main-thread clients, one per pane).
test('one timeline plays both runs; after a pause both playheads are equal', async () => {
  await render(<CompareView query="a=reordering-without-sequence&b=reordering-with-sequence&seed=42" createClient={createMainThreadClient} theme="light" />);
  await expect.poll(() => attr('data-status'), { timeout: 30_000 }).toBe('ready');
  await userEvent.click(page.getByRole('button', { name: 'Play' }));
  await expect.poll(() => Number(attr('data-playhead-a')), { timeout: 30_000 }).toBeGreaterThan(1_500);
  await userEvent.click(page.getByRole('button', { name: 'Pause' }));
  await expect.poll(() => attr('data-status'), { timeout: 30_000 }).toBe('ready');
  expect(attr('data-playhead-a')).toBe(attr('data-playhead-b'));
  const hashA = page.getByTestId('pane-a').element().getAttribute('data-hash');
  const hashB = page.getByTestId('pane-b').element().getAttribute('data-hash');
  expect(hashA).not.toBe(hashB);
  // The address follows the playhead, so a reload lands on the same moment.
  expect(location.hash).toContain(`&t=${attr('data-playhead-a')}`);
});

// Proves the entry from free play: "Compare…" opens the side-by-side view with the run shown as A
// and its preset's partner as B (group-chat against no-broker), at the same seed.
test('free play’s Compare… opens the run beside its partner', async () => {
  history.replaceState(null, '', `${location.pathname}${location.search}#/free`);
  await render(<Root createClient={createMainThreadClient} />);
  await expect.element(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await userEvent.click(page.getByRole('link', { name: 'Compare…' }));
  await expect.poll(() => attr('data-status'), { timeout: 30_000 }).toBe('ready');
  expect(location.hash).toMatch(/^#\/compare\?a=group-chat&b=no-broker&seed=42/);
  await expect.element(page.getByTestId('pane-a').getByRole('heading', { level: 2 })).toHaveTextContent('A group-chat, seed 42');
  await expect.element(page.getByTestId('pane-b').getByRole('heading', { level: 2 })).toHaveTextContent('B no-broker, seed 42');
});

