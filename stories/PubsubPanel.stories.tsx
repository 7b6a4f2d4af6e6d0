import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactElement } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { PubsubPanel } from '../src/ui/diagrams/PubsubPanel.tsx';
import { createWorkbench, type Frame } from '../src/workbench/index.ts';
import { groupChat, groupChatWithFaults } from './fixtures.ts';

/**
 * The pub/sub lab's restart run on a Kafka-like log (src/labs/pubsub-fanout `restart('kafka')`):
 * group-chat, seed 42, a log of 2 partitions, ws-2 down from 15 s to 17 s while every user sends
 * one message to g1. At 17.1 s ws-2 is back and behind by what was appended meanwhile. A real run,
 * computed once per page.
 */
const kafkaFrames = new Map<number, Frame>();
function kafkaRestart(atMs: number): Frame {
  const hit = kafkaFrames.get(atMs);
  if (hit !== undefined) return hit;
  const script = Array.from({ length: 8 }, (_, i) => ({ atMs: 15_200 + i * 100, user: `u${i + 1}`, channel: 'g1', text: `while ws-2 is down ${i + 1}` }));
  const wb = createWorkbench();
  wb.open('group-chat', 42, {}, {
    broker: { kind: 'kafka', partitions: 2 },
    delivery: 'at-most-once',
    gateway: { strategy: 'sticky' },
    client: { gapDetection: false },
    durationMs: 30_000,
    workload: { sendRatePerUserPerSec: 0, burstProbability: 0, script },
    faults: [
      { at: 15_000, op: { verb: 'crash', node: 'ws-2' } },
      { at: 17_000, op: { verb: 'restart', node: 'ws-2' } },
    ],
  });
  const frame = wb.advance(atMs - 1, { graph: true });
  kafkaFrames.set(atMs, frame);
  return frame;
}

const flows = () => {
  const f = groupChat().frame;
  const wb = groupChat().wb;
  // The traffic of the last 500 ms before the fixture's moment, as one animation batch.
  return { serial: 1, flows: wb.current({ flows: true }).flows ?? f.flows ?? [], windowMs: [9_500, 10_000] as const };
};

const meta = {
  title: 'Diagrams/PubsubPanel',
  component: PubsubPanel,
  parameters: { layout: 'fullscreen' },
  decorators: [
    (Story) => (
      <div style={{ height: 600, display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
  args: {
    graph: null,
    flows: null,
    speed: 1,
    theme: 'light',
    peers: groupChat().wb.topology().nodes.map((n) => n.id),
    onOp: fn(),
    fileStem: 'story-pubsub',
    title: 'Pub/sub component diagram',
  },
} satisfies Meta<typeof PubsubPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Before the first graph arrives. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Loading the cluster…')).toBeVisible();
  },
};

/** group-chat at 10 s: clients, gateway, three servers, the broker with its topics, service, database. */
export const Running: Story = {
  args: { graph: groupChat().frame.graph, flows: flows() },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelectorAll('.react-flow__node-cluster').length).toBe(groupChat().frame.graph?.nodes.length));
    await expect(canvas.getAllByTestId('node-ws-server')).toHaveLength(3);
    await expect(canvas.getAllByTestId('node-topic').length).toBeGreaterThan(0);
    await expect(canvasElement.querySelectorAll('.react-flow__edge').length).toBeGreaterThan(10);
  },
};

/** ws-2 crashed and ws-1 cut off from the broker: both visible at a glance; click for details and faults. */
export const Fault: Story = {
  args: { graph: groupChatWithFaults().frame.graph },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByTestId('node-ws-server')).toHaveLength(3));
    const crashed = canvas.getAllByTestId('node-ws-server').find((n) => n.dataset['status'] === 'down');
    await expect(crashed).toBeDefined();
    await expect(canvas.getByText('crashed: ws-2')).toBeVisible();
    await expect(canvasElement.querySelector('.wire.is-cut')).not.toBeNull();
    await userEvent.click(crashed as HTMLElement);
    const details = await canvas.findByRole('complementary', { name: /Details of WS Server ws-2/ });
    await userEvent.click(within(details).getByRole('button', { name: 'Restart ws-2' }));
    await expect(args.onOp).toHaveBeenCalledWith({ verb: 'restart', node: 'ws-2' });
    await userEvent.click(canvas.getByRole('button', { name: /Heal all/ }));
    await expect(args.onOp).toHaveBeenLastCalledWith({ verb: 'heal' });
  },
};

/** The dark theme. */
export const Dark: Story = {
  args: { graph: groupChat().frame.graph, theme: 'dark' },
  decorators: [
    (Story) => {
      document.documentElement.dataset['theme'] = 'dark';
      return <Story />;
    },
  ],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.react-flow.dark')).not.toBeNull());
    document.documentElement.dataset['theme'] = 'light';
  },
};

/**
 * What a student sees at 1280 × 720: the panel is 868 × 544 px (the graph's pane 868 × 500 under
 * its toolbar), measured in the built app. Every text in the graph is
 * at least 11 px on screen at the default fit, and every wire has an arrowhead at each end that
 * traffic arrives at, in the wire's colour.
 */
async function expectReadableWithArrowheads(canvasElement: HTMLElement): Promise<void> {
  // Proves issue item 5: reads the fitted zoom from React Flow's viewport, checks each text's
  // on-screen size (font size × zoom), and resolves each wire's markers to drawn <marker>s.
  await waitFor(() => expect(canvasElement.querySelectorAll('.react-flow__node-cluster').length).toBe(groupChat().frame.graph?.nodes.length));
  const viewport = canvasElement.querySelector('.react-flow__viewport') as HTMLElement;
  const pane = (canvasElement.querySelector('.react-flow') as HTMLElement).getBoundingClientRect();
  // The default fit is done once every node lies within the pane.
  await waitFor(() => {
    for (const node of canvasElement.querySelectorAll('.react-flow__node-cluster')) {
      const box = node.getBoundingClientRect();
      expect(box.left >= pane.left && box.right <= pane.right && box.top >= pane.top && box.bottom <= pane.bottom).toBe(true);
    }
  });
  const zoom = Number(/scale\(([\d.]+)\)/.exec(viewport.style.transform)?.[1]);
  const texts = [...canvasElement.querySelectorAll<HTMLElement>('.react-flow__node *, .wire-label')].filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== ''));
  await expect(texts.length).toBeGreaterThan(40);
  const small = texts.map((el) => ({ text: el.textContent, px: Number.parseFloat(getComputedStyle(el).fontSize) * zoom })).filter((t) => t.px < 11);
  await expect(small).toEqual([]);

  const paths = [...canvasElement.querySelectorAll<SVGPathElement>('.react-flow__edge path.wire')];
  await expect(paths.length).toBeGreaterThan(10);
  for (const path of paths) {
    const ends = [path.getAttribute('marker-end'), path.getAttribute('marker-start')].filter((m): m is string => m !== null && m !== '');
    await expect(ends.length).toBeGreaterThan(0);
    for (const url of ends) {
      const id = /url\(['"]?#(.+?)['"]?\)$/.exec(url)?.[1] ?? '';
      const marker = canvasElement.ownerDocument.getElementById(id);
      await expect(marker?.tagName.toLowerCase()).toBe('marker');
      // The head is painted in the wire's colour, resolved from the theme.
      const head = marker?.querySelector('polyline') as SVGElement;
      await expect(getComputedStyle(head).fill).toBe(getComputedStyle(path).stroke);
    }
  }
}

const projector = (Story: () => ReactElement) => (
  <div style={{ width: 868, height: 544, display: 'flex' }}>
    <Story />
  </div>
);

export const ReadableAtProjectorSize: Story = {
  args: { graph: groupChat().frame.graph },
  decorators: [projector],
  play: async ({ canvasElement }) => expectReadableWithArrowheads(canvasElement),
};

export const ReadableAtProjectorSizeDark: Story = {
  args: { graph: groupChat().frame.graph, theme: 'dark' },
  decorators: [
    projector,
    (Story) => {
      document.documentElement.dataset['theme'] = 'dark';
      return <Story />;
    },
  ],
  play: async ({ canvasElement }) => {
    await expectReadableWithArrowheads(canvasElement);
    document.documentElement.dataset['theme'] = 'light';
  },
};

/**
 * A Kafka-like log just after ws-2 restarted: topics → partitions → servers, each partition with
 * its log end offset, each reader's wire with its committed offset and lag. ws-2 is behind by what
 * was appended while it was down, so its partition, its wire and the server itself are marked.
 */
export const KafkaLogAfterRestart: Story = {
  args: { graph: kafkaRestart(17_100).graph },
  play: async ({ canvasElement }) => {
    // Proves the panel draws the builder's log figures: the partition node with its end offset
    // and a lag badge, and ws-2's wire labelled with the offset and lag the run recorded.
    const canvas = within(canvasElement);
    const graph = kafkaRestart(17_100).graph;
    const log = graph?.partitions.find((p) => p.consumers.some((c) => c.server === 'ws-2' && c.lag > 0));
    const ws2 = log?.consumers.find((c) => c.server === 'ws-2');
    await expect(log).toBeDefined();
    await waitFor(() => expect(canvas.getAllByTestId('node-partition')).toHaveLength(graph?.partitions.length ?? -1));
    const partition = canvas.getAllByTestId('node-partition').find((n) => n.textContent?.includes(`partition ${log?.partition}`)) as HTMLElement;
    await expect(partition).toHaveTextContent(`end ${log?.logEndOffset}`);
    await expect(within(partition).getByTestId('lag-badge')).toHaveTextContent(`lag ${ws2?.lag}`);
    const label = await canvas.findByText(`offset ${ws2?.committedOffset} · lag ${ws2?.lag}`);
    await expect(label).toHaveClass('has-lag');
    await expect(canvas.getByText(/behind on the log: ws-2/)).toBeVisible();
    // Up-to-date readers are labelled too, without the mark.
    await expect(canvas.getAllByTestId('consumer-label').filter((l) => !l.classList.contains('has-lag')).length).toBeGreaterThan(0);
    await userEvent.click(partition);
    const details = await canvas.findByRole('complementary', { name: new RegExp(`Details of partition ${log?.partition}`) });
    await expect(within(details).getByText(`ws-2: committed up to offset ${ws2?.committedOffset}, lag ${ws2?.lag}`)).toBeVisible();
  },
};

/** The same run at 20 s: ws-2 has read the log again and nobody is behind. */
export const KafkaLogReplayed: Story = {
  args: { graph: kafkaRestart(20_000).graph },
  play: async ({ canvasElement }) => {
    // Proves the marks go once the replay is committed: no lag badge, no lagging label.
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByTestId('consumer-label').length).toBeGreaterThan(0));
    await expect(canvas.queryAllByTestId('lag-badge')).toHaveLength(0);
    await expect(canvasElement.querySelector('.wire-label.has-lag')).toBeNull();
    await expect(canvas.getAllByText(/ · lag 0$/).length).toBe(canvas.getAllByTestId('consumer-label').length);
  },
};
