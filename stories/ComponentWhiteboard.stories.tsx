import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import type { ClusterComponents, StudentComponentGraph } from '../src/diagrams/index.ts';
import { ComponentWhiteboard } from '../src/ui/whiteboard/index.ts';
import { run } from './fixtures.ts';

/** group-chat (seed 42) at 20 s: the fixtures' run and moment. */
const cluster = (): ClusterComponents => run('group-chat', 20_000).wb.actualComponents();

/** The lab's picture drawn right: two servers subscribing and receiving the fan-out (as the fixture components-right-lab-style.json). */
const rightLabStyle: StudentComponentGraph = {
  nodes: [
    { id: 'u1', kind: 'client', label: 'Web app' },
    { id: 'u2', kind: 'client', label: 'Mobile app' },
    { id: 'lb', kind: 'gateway', label: 'Load balancer' },
    { id: 'ws1', kind: 'ws-server', label: 'WS 1' },
    { id: 'ws2', kind: 'ws-server', label: 'WS 2' },
    { id: 'ps', kind: 'broker', label: 'Redis Pub/Sub' },
    { id: 'chat', kind: 'chat', label: 'Chat service' },
    { id: 'db', kind: 'db', label: 'Message DB' },
  ],
  edges: ([['u1', 'lb'], ['u2', 'lb'], ['lb', 'ws1'], ['lb', 'ws2'], ['ws1', 'chat'], ['ws2', 'chat'], ['chat', 'db'], ['chat', 'ps'], ['ws1', 'ps'], ['ws2', 'ps'], ['ps', 'ws1'], ['ps', 'ws2']] as const).map(([source, target]) => ({ source, target })),
};

/** No broker: the chat service pushes to the servers itself (as the fixture components-wrong-no-broker.json). */
const wrongNoBroker: StudentComponentGraph = {
  nodes: [
    { id: 'u1', kind: 'client', label: 'Web app' },
    { id: 'u2', kind: 'client', label: 'Mobile app' },
    { id: 'lb', kind: 'gateway', label: 'Load balancer' },
    { id: 'ws1', kind: 'ws-server', label: 'WS 1' },
    { id: 'ws2', kind: 'ws-server', label: 'WS 2' },
    { id: 'chat', kind: 'chat', label: 'Chat service' },
    { id: 'db', kind: 'db', label: 'Message DB' },
  ],
  edges: ([['u1', 'lb'], ['u2', 'lb'], ['lb', 'ws1'], ['lb', 'ws2'], ['ws1', 'chat'], ['ws2', 'chat'], ['chat', 'db'], ['chat', 'ws1'], ['chat', 'ws2']] as const).map(([source, target]) => ({ source, target })),
};

const meta = {
  title: 'Whiteboard/ComponentWhiteboard',
  component: ComponentWhiteboard,
  parameters: { layout: 'padded' },
  args: { cluster: null, theme: 'light', onShowEdge: fn() },
} satisfies Meta<typeof ComponentWhiteboard>;

export default meta;
type Story = StoryObj<typeof meta>;

const findingCodes = (root: HTMLElement): string[] => [...root.querySelectorAll('[aria-label="Differences"] li')].map((li) => li.getAttribute('data-code') ?? '');

/** No broker: the chat service pushes to the servers itself. The check names the missing broker and the pitfall connection. */
export const WrongNoBroker: Story = {
  args: { cluster: cluster(), initial: wrongNoBroker },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelectorAll('.react-flow__node')).toHaveLength(wrongNoBroker.nodes.length));
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the cluster' }));
    await expect(findingCodes(canvasElement)).toEqual(['component-missing:broker', 'connection-extra:chat>ws-server']);
    await expect(canvas.getByTestId('check-summary')).toHaveTextContent('2 differences to fix.');
  },
};

/** The lab's picture drawn right: two servers subscribing and receiving the fan-out. */
export const Right: Story = {
  args: { cluster: cluster(), initial: rightLabStyle },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelectorAll('.react-flow__edge')).toHaveLength(rightLabStyle.edges.length));
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the cluster' }));
    await expect(canvas.getByTestId('check-summary')).toHaveTextContent('No differences');
    await expect(findingCodes(canvasElement)).toEqual([]);
  },
};

/** From an empty canvas: add from the palette, delete the selected one, check what is missing; a finding links to the real connection. */
export const PaletteAddDeleteCheck: Story = {
  args: { cluster: cluster() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Add Client app' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Add Chat service' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Add Presence service' }));
    await waitFor(() => expect(canvasElement.querySelectorAll('.react-flow__node')).toHaveLength(3));
    await userEvent.click(canvas.getByTestId('wb-node-presence'));
    await userEvent.click(canvas.getByRole('button', { name: 'Delete selected' }));
    await waitFor(() => expect(canvasElement.querySelectorAll('.react-flow__node')).toHaveLength(2));
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the cluster' }));
    await expect(findingCodes(canvasElement)).toEqual(['component-missing:gateway', 'component-missing:ws-server', 'component-missing:db', 'component-missing:broker']);
    const differences = within(canvas.getByRole('list', { name: 'Differences' }));
    await userEvent.click(differences.getAllByRole('button', { name: 'Show it in the pub/sub view' })[0] as HTMLElement);
    await expect(args.onShowEdge).toHaveBeenCalledWith(expect.stringMatching(/->/));
  },
};

/** Labels full of HTML and Mermaid metacharacters are shown as typed, and never become markup. */
export const Metacharacters: Story = {
  args: {
    cluster: cluster(),
    initial: { nodes: [{ id: 'x', kind: 'client', label: '<img src=x onerror="window.__wbHacked=1"> %%{init}%% "A" & B' }], edges: [] },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('<img src=x onerror="window.__wbHacked=1"> %%{init}%% "A" & B')).toBeVisible();
    await expect(canvasElement.querySelector('.react-flow img')).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the cluster' }));
    await expect(findingCodes(canvasElement)).toContain('component-missing:gateway');
    await expect((window as unknown as { __wbHacked?: number }).__wbHacked).toBeUndefined();
  },
};

/**
 * A drawing kept from an earlier visit (with its boxes' places) opens where the student left it;
 * each check reports its verdict (the lab finishes the step on a passing one), and adding a box
 * reports the changed drawing so it can be kept.
 */
export const KeptDrawingAndVerdict: Story = {
  args: {
    cluster: cluster(),
    initial: { ...rightLabStyle, nodes: rightLabStyle.nodes.map((n, i) => ({ ...n, x: 30 + i * 40, y: 400 - i * 30 })) },
    onChecked: fn(),
    onChange: fn(),
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelectorAll('.react-flow__node')).toHaveLength(rightLabStyle.nodes.length));
    await userEvent.click(canvas.getByRole('button', { name: 'Check against the cluster' }));
    await expect(args.onChecked).toHaveBeenLastCalledWith(true);
    await userEvent.click(canvas.getByRole('button', { name: 'Add Database' }));
    await waitFor(() => expect(args.onChange).toHaveBeenCalled());
    const kept = JSON.parse(String((args.onChange as ReturnType<typeof fn>).mock.lastCall?.[0])) as { nodes: { kind: string; x: number }[] };
    await expect(kept.nodes).toHaveLength(rightLabStyle.nodes.length + 1);
    await expect(kept.nodes.filter((n) => n.kind === 'db')).toHaveLength(2);
    await expect(kept.nodes[0]?.x).toBe(30);
  },
};
