import { expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { createWorkbench, type SequenceView } from '../../workbench/index.ts';
import { SequencePanel, type SequencePanelProps } from './SequencePanel.tsx';

/**
 * Scripts the page fetched so far that are Mermaid's own package (pre-bundled by Vite as
 * `…/deps/mermaid.js`, or its files under `node_modules/mermaid/`), not this app's modules.
 */
const mermaidRequests = (): string[] =>
  performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((path) => path.includes('/node_modules/') && /\/mermaid(?:\.js$|\/)/.test(path));

const EMPTY: SequenceView = { text: 'sequenceDiagram', capped: false, participants: [], messages: [], catalog: [], catalogTotal: 0, latestSentAtMs: null, atMs: 1 };

const props = (view: SequenceView): SequencePanelProps => ({
  view,
  query: { mode: 'follow' },
  onQuery: () => undefined,
  theme: 'light',
  channels: ['g1'],
  users: ['u1'],
  nowMs: view.atMs,
  fileStem: 'test',
});

// Proves issue item 7 at its cause: the sequence panel on its first view (a run with no message
// yet) fetches no Mermaid code; Mermaid is fetched once there is a message to draw, and draws it.
// This test must stay first in its file: it reads which modules this page has fetched.
test('Mermaid is fetched only when there is a diagram to draw', async () => {
  const screen = await render(<SequencePanel {...props(EMPTY)} />);
  await expect.element(screen.getByText(/No chat message yet/).first()).toBeVisible();
  expect(mermaidRequests()).toEqual([]);

  const wb = createWorkbench();
  wb.open('group-chat', 42);
  wb.advance(5_000);
  await screen.rerender(<SequencePanel {...props(wb.sequence({ mode: 'follow' }))} />);
  await expect.poll(() => screen.container.querySelector('[data-testid=mermaid] svg'), { timeout: 20_000 }).not.toBeNull();
  expect(mermaidRequests().length).toBeGreaterThan(0);
});
