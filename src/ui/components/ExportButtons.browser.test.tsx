import { afterEach, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { ExportButtons } from './ExportButtons.tsx';

const status = (): string => document.querySelector('.export-status')?.textContent ?? '';
/** Two painted frames (requestAnimationFrame is not faked): React has rendered what the timers set. */
const rendered = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
};

afterEach(() => {
  vi.useRealTimers();
});

// The status line says what the last click did for 2.5 s. Saving the same file twice must show
// it for 2.5 s after the second click: when the text alone was the state, the first click's timer
// cleared the line 0.5 s after the second.
test('a second identical export keeps its status line for the full 2.5 s', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let saved = 0;
  await render(<ExportButtons label="Export" actions={[{ label: 'SVG', done: 'SVG saved', run: () => void saved++ }]} />);
  const button = page.getByRole('button', { name: 'SVG' });

  await userEvent.click(button);
  await expect.poll(status).toBe('SVG saved');
  vi.advanceTimersByTime(2_000);
  await userEvent.click(button);
  await expect.poll(() => saved).toBe(2);
  vi.advanceTimersByTime(1_000); // 3 s after the first click, 1 s after the second
  await rendered();
  expect(status()).toBe('SVG saved');
  vi.advanceTimersByTime(1_600);
  await expect.poll(status).toBe('');
});

test('a failed export says why, and a thrown error is caught rather than lost', async () => {
  await render(
    <ExportButtons
      label="Export"
      actions={[
        { label: 'PNG', done: 'PNG saved', run: () => Promise.reject(new Error('the SVG could not be drawn as an image')) },
        { label: 'Copy', done: 'Copied', run: () => false },
      ]}
    />,
  );
  await userEvent.click(page.getByRole('button', { name: 'PNG' }));
  await expect.poll(status).toBe('PNG failed: the SVG could not be drawn as an image');
  await userEvent.click(page.getByRole('button', { name: 'Copy' }));
  await expect.poll(status).toBe('Copy failed');
});
