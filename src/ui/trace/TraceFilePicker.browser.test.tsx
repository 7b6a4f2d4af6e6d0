/**
 * Opening a trace file in free play: a CLI trace dropped on the picker is browsed read-only (the
 * run facts are the file's, the views read it, changes are refused), and a damaged file is
 * refused with its line named while the run on screen stays.
 */
import { expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { parseScenario, presetById, runScenario } from '../../sim/index.ts';
import { App } from '../App.tsx';
import { createMainThreadClient } from '../runtime/simClient.ts';

function cliTrace(id: string, seed: number, untilMs: number): { jsonl: string; hash: string; events: number } {
  const parsed = parseScenario(presetById(id)?.scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const { report, trace } = runScenario(parsed.scenario, { seed, untilMs });
  return { jsonl: trace.toJsonLines(), hash: report.traceHash, events: report.events };
}

/** Drops a file on the picker, as a person dragging it from their desktop. */
function drop(name: string, text: string): void {
  const data = new DataTransfer();
  data.items.add(new File([text], name, { type: 'application/x-ndjson' }));
  const target = page.getByTestId('trace-picker').element();
  target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
  target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
}

const eventCount = (): number => Number(page.getByTestId('event-count').element().getAttribute('data-value'));

// Proves a dropped CLI trace is browsed read-only, to its end, with the CLI's hash; and that a
// damaged one is refused by line, leaving what was on screen.
test('a dropped trace file is browsed read-only; a damaged one is refused with its line', async () => {
  const { jsonl, hash, events } = cliTrace('private-chat', 3, 4_000);
  await render(<App syncUrl={false} theme="light" scenario="group-chat" createClient={createMainThreadClient} initialPanel="events" />);
  await expect.element(page.getByRole('button', { name: 'Play' })).toBeEnabled();

  drop('private-chat.jsonl', jsonl);
  await expect.element(page.getByText(/Browsing private-chat\.jsonl: [\d,]+ events read from a file/)).toBeVisible();
  await expect.poll(eventCount).toBeGreaterThan(0);
  expect(eventCount()).toBeLessThan(events);
  // The events panel reads the file: its rows are the file's nodes.
  await expect.element(page.getByTestId('event-list')).toBeVisible();

  // Play to the end of the file: every event kept, and the hash is the CLI's.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(eventCount, { timeout: 20_000 }).toBe(events);
  await expect.element(page.getByTestId('trace-hash')).toHaveTextContent(hash);

  // A damaged file: refused, naming the line; what was on screen stays.
  const lines = jsonl.split('\n');
  lines[2] = '{"seq":2,"at":1,"node":"gw","causeSeq":null,"type":"gw/teleported","data":{}}';
  drop('damaged.jsonl', lines.join('\n'));
  await expect.element(page.getByRole('alert')).toHaveTextContent(/damaged\.jsonl: line 3: unknown event type "gw\/teleported"/);
  expect(eventCount()).toBe(events);

  // The picker names the file, not the last scenario; picking that scenario runs it again.
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  await expect.element(picker).toHaveValue(':trace-file');
  await expect.element(picker).toHaveAttribute('title', expect.stringMatching(/private-chat\.jsonl: a trace file, browsed read-only/));
  await picker.selectOptions('group-chat');
  await expect.element(page.getByText(/Browsing private-chat\.jsonl/)).not.toBeInTheDocument();
  await expect.element(picker).toHaveValue('group-chat');
  await expect.poll(eventCount).toBeGreaterThan(0);
  expect(eventCount()).not.toBe(events);
}, 60_000);
