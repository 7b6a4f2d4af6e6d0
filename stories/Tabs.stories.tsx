import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, within } from 'storybook/test';
import { ExportButtons } from '../src/ui/components/ExportButtons.tsx';
import { Tabs } from '../src/ui/components/Tabs.tsx';

type Key = 'sequence' | 'pubsub' | 'ratelimit';

function Demo({ onSelect }: { onSelect: (key: Key) => void }) {
  const [selected, setSelected] = useState<Key>('sequence');
  return (
    <div style={{ height: 200, display: 'flex', border: '1px solid var(--border)' }}>
      <Tabs
        label="Diagrams"
        tabs={[
          { key: 'sequence', label: 'Sequence', shortcut: '1' },
          { key: 'pubsub', label: 'Pub/Sub', shortcut: '2', badge: 3 },
          { key: 'ratelimit', label: 'Rate limit', shortcut: '3' },
        ]}
        selected={selected}
        onSelect={(key) => {
          setSelected(key);
          onSelect(key);
        }}
      >
        <p style={{ padding: 12 }}>Panel: {selected}</p>
      </Tabs>
    </div>
  );
}

const meta = {
  title: 'Workbench/Tabs',
  component: Demo,
  args: { onSelect: fn() },
} satisfies Meta<typeof Demo>;

export default meta;
type Story = StoryObj<typeof meta>;

/** One tab stop; arrows move and select, Home and End jump; the panel is labelled by its tab. */
export const Keyboard: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const first = canvas.getByRole('tab', { name: 'Sequence' });
    await expect(first).toHaveAttribute('aria-selected', 'true');
    first.focus();
    await userEvent.keyboard('{ArrowRight}');
    await expect(canvas.getByRole('tab', { name: /Pub\/Sub/ })).toHaveFocus();
    await expect(args.onSelect).toHaveBeenLastCalledWith('pubsub');
    await userEvent.keyboard('{End}');
    await expect(canvas.getByRole('tabpanel', { name: 'Rate limit' })).toHaveTextContent('Panel: ratelimit');
    await userEvent.keyboard('{ArrowRight}');
    await expect(args.onSelect).toHaveBeenLastCalledWith('sequence');
  },
};

/** Export buttons say what they did, politely, and what failed. */
export const Exports: StoryObj<typeof ExportButtons> = {
  render: () => (
    <ExportButtons
      label="Export"
      actions={[
        { label: 'SVG', done: 'SVG saved', run: () => undefined },
        { label: 'PNG', done: 'PNG saved', run: () => Promise.reject(new Error('no canvas')) },
      ]}
    />
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'SVG' }));
    await expect(canvas.getByRole('status')).toHaveTextContent('SVG saved');
    await userEvent.click(canvas.getByRole('button', { name: 'PNG' }));
    await expect(canvas.getByRole('status')).toHaveTextContent('PNG failed: no canvas');
  },
};
