import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { createWorkbench } from '../../workbench/index.ts';
import { DifferencesPanel } from './DifferencesPanel.tsx';

// Proves the differences panel on the real reordering pair (seed 42, both run to their end by the
// workbench): A's ordering violations against B's none, B marked better, the first shown-order
// difference naming both sides, and Jump to it asking for that moment and that send.
test('the reordering pair: ordering violations on A only, and the first difference a user sees', async () => {
  const c = createWorkbench().compare({ scenario: 'reordering-without-sequence', seed: 42, patch: null }, { scenario: 'reordering-with-sequence', seed: 42, patch: null });
  const jumps: [number, string | null][] = [];
  await render(<DifferencesPanel comparison={c} error={null} onJump={(at, msg) => jumps.push([at, msg])} />);
  const row = document.querySelector('tr[data-figure="violations.ordering"]');
  expect(row?.getAttribute('data-better')).toBe('b');
  expect(row?.querySelector('td[data-side=b]')?.textContent).toBe('0');
  expect(Number(row?.querySelector('td[data-side=a]')?.textContent?.replace(/,/g, ''))).toBe(c.a.report.violations.filter((v) => v.checker === 'ordering').length);
  await expect.element(page.getByTestId('shown-a')).toHaveTextContent(`${c.shown?.a?.author}'s ${c.shown?.a?.clientMsgId}`);
  await expect.element(page.getByTestId('shown-b')).toHaveTextContent(`${c.shown?.b?.author}'s ${c.shown?.b?.clientMsgId}`);
  await userEvent.click(page.getByRole('button', { name: 'Jump to it' }));
  expect(jumps).toEqual([[c.shown?.atMs, c.shown?.clientMsgId]]);
  await expect.element(page.getByTestId('end-hash-a')).toHaveTextContent(c.a.traceHash);
});
