import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../App.tsx';
import { createMainThreadClient } from '../runtime/simClient.ts';
import { messageIdOf } from './ReportPanel.tsx';

const simTime = (): string => page.getByTestId('sim-time').element().textContent ?? '';
const seconds = (): number => Number.parseFloat(simTime());
const pill = (): string => page.getByRole('heading', { name: /^Violations/ }).element().textContent ?? '';
const listed = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('[aria-label="Violations"] button')];
const current = (): string | null => document.querySelector('[aria-label="Violations"] [aria-current="true"] .violation-when')?.textContent ?? null;

// Proves issue item 4 as a student meets it: in reordering-without-sequence, after the run reaches
// 3 s the report lists its violations (24, from 2.54 s on); jumping back to one keeps every violation listed (the
// count does not drop to what the playhead has reached), and Next / Previous move the playhead
// from violation to violation.
test('jumping to a violation keeps the run’s violations listed; next and previous step through them', async () => {
  await render(<App syncUrl={false} theme="light" scenario="reordering-without-sequence" createClient={createMainThreadClient} initialPanel="report" />);
  await expect.element(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  for (let s = 1; s <= 3; s++) {
    await userEvent.keyboard('{Shift>}{ArrowRight}{/Shift}');
    await expect.poll(seconds).toBeGreaterThanOrEqual(s);
  }
  await expect.poll(() => listed().length, { timeout: 10_000 }).toBeGreaterThan(10);
  const found = listed().length;
  const count = pill();

  // The third violation is early in the run (about 2.5 s), before most of the others.
  const third = listed()[2]?.querySelector('.violation-when')?.textContent ?? '';
  const fourth = listed()[3]?.querySelector('.violation-when')?.textContent ?? '';
  await userEvent.click(listed()[2] as HTMLElement);
  await expect.poll(current).toBe(third);
  await expect.poll(seconds).toBeLessThan(3);
  expect(pill()).toBe(count);
  expect(listed()).toHaveLength(found);
  await expect.element(page.getByTestId('violations-ahead')).toBeVisible();

  await page.getByRole('button', { name: 'Next violation' }).click();
  await expect.poll(current).toBe(fourth);
  await expect.poll(simTime).toBe(addMs(fourth, 1));
  await page.getByRole('button', { name: 'Previous violation' }).click();
  await expect.poll(current).toBe(third);
  await expect.poll(simTime).toBe(addMs(third, 1));
  expect(listed()).toHaveLength(found);
  // The simulation runs on this page's main thread here, so a slow machine takes a while; the
  // test waits on state throughout, and this limit only stops a hang.
}, 60_000);

/** `2.540 s` plus `ms` milliseconds, in the same format. */
function addMs(label: string, ms: number): string {
  return `${(Number.parseFloat(label) + ms / 1000).toFixed(3)} s`;
}

// Proves a violation's message id is its structured subject's, never read out of the sentence.
test('a violation’s message id comes from its subject', () => {
  const base = { checker: 'ordering', seq: 9, at: 5, message: 'u3 saw m5 after m6' };
  expect(messageIdOf({ ...base, subject: { messageId: 'm6' } })).toBe('m6');
  expect(messageIdOf({ ...base, subject: { clientMsgId: 'u3-1' } })).toBeUndefined();
  expect(messageIdOf({ ...base, subject: {} })).toBeUndefined();
});
