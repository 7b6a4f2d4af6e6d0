import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { HelpDialog, SHORTCUTS } from '../src/ui/components/HelpDialog.tsx';

const meta = {
  title: 'Workbench/HelpDialog',
  component: HelpDialog,
  args: { open: true, onClose: fn() },
} satisfies Meta<typeof HelpDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Every shortcut is listed; the close button closes. */
export const Open: Story = {
  play: async ({ canvasElement, args }) => {
    const dialog = within(canvasElement.ownerDocument.body).getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(within(dialog).getAllByRole('row')).toHaveLength(SHORTCUTS.length);
    await expect(within(dialog).getByText('Play or pause')).toBeVisible();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await expect(args.onClose).toHaveBeenCalled();
  },
};
