import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { MermaidView, type MermaidLoader } from '../src/ui/diagrams/MermaidView.tsx';

const SOURCE = 'sequenceDiagram\n    participant A as Client A (u1)\n    participant B as API Gateway\n    A->>B: t=12 ms (+12) send(g1,<br>#quot;hi#59; 50#37;#quot;)\n';

/** A loader that never finishes: the state a person sees while Mermaid's code is on its way. */
const pending: MermaidLoader = () => new Promise(() => undefined);

const meta = {
  title: 'Diagrams/MermaidView',
  component: MermaidView,
  parameters: { layout: 'padded' },
  args: { text: SOURCE, theme: 'light', fit: true, label: 'Sequence diagram' },
} satisfies Meta<typeof MermaidView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** While Mermaid loads, the diagram's source is shown as text, and a status line says why. */
export const LoadingShowsSource: Story = {
  args: { load: pending },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('status')).toHaveTextContent(/Loading the diagram renderer/);
    await expect(canvas.getByText(/participant A as Client A \(u1\)/)).toBeVisible();
    await expect(canvasElement.querySelector('[data-testid=mermaid] svg')).toBeNull();
  },
};

/** Once Mermaid is there, the diagram replaces its source; the entity codes read as the text. */
export const Drawn: Story = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('[data-testid=mermaid] svg')).not.toBeNull(), { timeout: 20_000 });
    await expect(within(canvasElement).queryByRole('status')).toBeNull();
    const labels = [...canvasElement.querySelectorAll('[data-testid=mermaid] text.messageText')].map((t) => t.textContent);
    await expect(labels).toEqual(['t=12 ms (+12) send(g1,', '"hi; 50%")']);
  },
};
