import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { DifferencesPanel } from '../src/ui/compare/DifferencesPanel.tsx';
import { labWorkbench } from './fixtures.ts';

/** The reordering pair at seed 42, compared by the same workbench the app uses (computed once). */
let pair: ReturnType<typeof labWorkbench.compare> | null = null;
const reorderingPair = () =>
  (pair ??= labWorkbench.compare({ scenario: 'reordering-without-sequence', seed: 42, patch: null }, { scenario: 'reordering-with-sequence', seed: 42, patch: null }));

const meta = {
  title: 'Compare/DifferencesPanel',
  component: DifferencesPanel,
  parameters: { layout: 'padded' },
  args: { comparison: null, error: null, onJump: fn() },
} satisfies Meta<typeof DifferencesPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** While both runs play to their end in the worker. */
export const Computing: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('Running both to their end');
  },
};

/**
 * Without vs with sequence numbers: the ordering violations are A's only (B marked better), the
 * first shown-order difference names both sides, and "Jump to it" asks for its moment and message.
 */
export const ReorderingPair: Story = {
  args: { comparison: reorderingPair() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const c = reorderingPair();
    const ordering = canvasElement.querySelector('tr[data-figure="violations.ordering"]');
    await expect(ordering?.getAttribute('data-better')).toBe('b');
    await expect(ordering?.querySelector('td[data-side=b]')).toHaveTextContent(/^0$/);
    await expect(Number(ordering?.querySelector('td[data-side=a]')?.textContent?.replace(/,/g, ''))).toBe(c.a.report.counts.outOfOrderShown);
    // Violations come first in the table, the lesson's figure at the top.
    await expect(canvasElement.querySelector('tbody tr')?.getAttribute('data-figure')).toMatch(/^violations\./);
    await expect(canvas.getByTestId('shown-a')).not.toHaveTextContent(canvas.getByTestId('shown-b').textContent ?? '');
    await userEvent.click(canvas.getByRole('button', { name: 'Jump to it' }));
    await expect(args.onJump).toHaveBeenCalledWith(c.shown?.atMs, c.shown?.clientMsgId);
    await userEvent.click(canvas.getByRole('button', { name: 'Jump to the first differing event' }));
    await expect(args.onJump).toHaveBeenLastCalledWith(c.raw?.atMs, null);
  },
};

/** A run against itself: nothing differs, and the panel says so in words. */
export const Identical: Story = {
  args: { comparison: { ...reorderingPair(), b: reorderingPair().a, reportDiff: [], raw: null, shown: null } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/Every user saw the same messages/)).toBeVisible();
    await expect(canvas.getByText(/identical, event for event/)).toBeVisible();
    await expect(canvas.queryByRole('button', { name: 'Jump to it' })).toBeNull();
  },
};

/** A side that cannot run: the error says which and why, with Mermaid and HTML characters as text. */
export const Refused: Story = {
  args: { error: 'B: unknown scenario "<b>x</b> A->>B"; known: group-chat' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('B: unknown scenario "<b>x</b> A->>B"');
    await expect(canvasElement.querySelector('b')).toBeNull();
  },
};
