/**
 * The report panel's files in the real app: the trace as JSONL is byte for byte the CLI's trace of
 * the same run up to the playhead, the Perfetto file is the converter's output over it, and the
 * report's CSV holds the report's figures. Downloads are caught at `URL.createObjectURL` and the
 * anchor's click, so nothing is saved.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { perfettoJson } from '../../diagrams/index.ts';
import { parseScenario, presetById, runScenario, type TraceEvent } from '../../sim/index.ts';
import { App } from '../App.tsx';
import { createMainThreadClient } from '../runtime/simClient.ts';

const seconds = (): number => Number.parseFloat(page.getByTestId('sim-time').element().textContent ?? '');

/** Catches the next downloads: each file's name and text. */
function catchDownloads(): { files: { name: string; text: Promise<string> }[] } {
  const files: { name: string; text: Promise<string> }[] = [];
  const blobs = new Map<string, Blob>();
  const create = URL.createObjectURL.bind(URL);
  vi.spyOn(URL, 'createObjectURL').mockImplementation((obj: Blob | MediaSource) => {
    const url = create(obj);
    if (obj instanceof Blob) blobs.set(url, obj);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href);
    if (blob !== undefined) files.push({ name: this.download, text: blob.text() });
  });
  return { files };
}

afterEach(() => {
  vi.restoreAllMocks();
});

// Proves the three new buttons in the report panel save real files of the run on screen.
test('the report panel saves the trace as JSONL and Perfetto, and the report as CSV', async () => {
  const { files } = catchDownloads();
  await render(<App syncUrl={false} theme="light" scenario="private-chat" initialSeed={5} createClient={createMainThreadClient} initialPanel="report" />);
  await expect.element(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  for (let s = 1; s <= 3; s++) {
    await userEvent.keyboard('{Shift>}{ArrowRight}{/Shift}');
    await expect.poll(seconds).toBeGreaterThanOrEqual(s);
  }
  const nowMs = Math.round(seconds() * 1000);
  const parsed = parseScenario(presetById('private-chat')?.scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const cli = runScenario(parsed.scenario, { seed: 5, untilMs: nowMs }).trace.toJsonLines();

  await page.getByRole('button', { name: 'Trace JSONL' }).click();
  await expect.poll(() => files.length).toBe(1);
  expect(files[0]?.name).toMatch(/^private-chat-seed5-t[\d.]+s-trace\.jsonl$/);
  const jsonl = await (files[0] as { text: Promise<string> }).text;
  expect(jsonl).toBe(cli);
  await expect.element(page.getByText('Trace saved')).toBeVisible();

  await page.getByRole('button', { name: 'Perfetto trace' }).click();
  await expect.poll(() => files.length).toBe(2);
  expect(files[1]?.name).toMatch(/-trace\.perfetto\.json$/);
  const events = jsonl
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TraceEvent);
  const perfetto = await (files[1] as { text: Promise<string> }).text;
  const otherData = (JSON.parse(perfetto) as { otherData: { seed: number; untilMs: number } }).otherData;
  expect(perfetto).toBe(perfettoJson(events, { scenario: 'private-chat', seed: otherData.seed, untilMs: otherData.untilMs }));

  await page.getByRole('button', { name: 'Download CSV' }).click();
  await expect.poll(() => files.length).toBe(3);
  expect(files[2]?.name).toMatch(/-report\.csv$/);
  const csv = await (files[2] as { text: Promise<string> }).text;
  expect(csv.startsWith('field,value\r\n')).toBe(true);
  expect(csv).toMatch(/\r\ncounts\.sent,\d+\r\n/);
  expect(csv).toContain(`\r\nscenario,private-chat\r\n`);
}, 60_000);
