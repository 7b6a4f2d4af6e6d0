/**
 * The registry: every lab this build has, by hand, in the order the map shows them, and the labs
 * the map lists as coming. A lab folder that is not listed here is not reachable (the labs' test
 * checks that every folder is registered, and the architecture test that every folder is whole).
 */
import type { ComingLab, LabGroup, LabManifest } from './framework/index.ts';
import { LAB_GROUPS } from './framework/index.ts';
import { manifest as messageFlow } from './message-flow/manifest.ts';
import { manifest as orderingDelivery } from './ordering-delivery/manifest.ts';
import { manifest as protocolChoice } from './protocol-choice/manifest.ts';
import { manifest as pubsubFanout } from './pubsub-fanout/manifest.ts';
import { manifest as rateLimitPlacement } from './rate-limit-placement/manifest.ts';
import { manifest as slidingWindow } from './sliding-window/manifest.ts';

/** The labs that run. */
export const LABS: readonly LabManifest[] = [messageFlow, slidingWindow, orderingDelivery, protocolChoice, rateLimitPlacement, pubsubFanout];

/** Labs the map lists but this build does not have yet. */
export const COMING_LABS: readonly ComingLab[] = [
  { id: 'realtime-protocols', group: 'concepts', title: 'WebSockets, SSE and long polling', summary: 'The three transports carrying the same chat, frame by frame.' },
  { id: 'pubsub-basics', group: 'concepts', title: 'Publish and subscribe', summary: 'Topics, subscriptions and the event-driven path of a message.' },
  { id: 'latency-consistency-cost', group: 'tradeoffs', title: 'Latency, consistency and cost', summary: 'Global, per-channel and best-effort order on a slider over real runs.' },
  { id: 'stateful-stateless', group: 'tradeoffs', title: 'Stateful or stateless servers', summary: 'Connection state on the server or in a store, under a server failure.' },
  { id: 'pitfall-no-pubsub', group: 'pitfalls', title: 'Fan-out without pub/sub', summary: 'Servers calling each other for every message.' },
  { id: 'pitfall-connection-limits', group: 'pitfalls', title: 'Ignoring connection limits', summary: 'A server past its connection limit.' },
  { id: 'pitfall-presence-noise', group: 'pitfalls', title: 'Noisy presence', summary: 'Broadcast presence against subscriber-only and lazy fan-out.' },
  { id: 'pitfall-blocking-handler', group: 'pitfalls', title: 'A blocking handler', summary: 'One slow handler freezing every connection on its server.' },
  { id: 'discuss-scaling', group: 'discussion', title: 'Scaling the WebSocket tier', summary: 'Adding and draining servers behind the load balancer.' },
  { id: 'discuss-reconnects', group: 'discussion', title: 'Disconnects and reconnects', summary: 'Backoff, catch-up and what the user sees.' },
  { id: 'discuss-security', group: 'discussion', title: 'Security of WebSockets', summary: 'Authentication at connect, authorization per channel.' },
];

/** One group of the home screen's map. */
export interface MapGroup {
  readonly id: LabGroup;
  readonly title: string;
  readonly blurb: string;
  readonly labs: readonly ({ readonly status: 'ready'; readonly lab: LabManifest } | { readonly status: 'coming'; readonly lab: ComingLab })[];
}

/**
 * The home screen's map: every group with its labs, the ready ones first.
 *
 * @example
 * labMap().find((g) => g.id === 'diagrams')?.labs.map((l) => l.lab.id); // ['message-flow', 'sliding-window', 'pubsub-fanout']
 */
export function labMap(): MapGroup[] {
  return LAB_GROUPS.map((g) => ({
    ...g,
    labs: [...LABS.filter((l) => l.group === g.id).map((lab) => ({ status: 'ready' as const, lab })), ...COMING_LABS.filter((l) => l.group === g.id).map((lab) => ({ status: 'coming' as const, lab }))],
  }));
}

/** A lab by id, or throws naming the labs there are. */
export function labById(id: string): LabManifest {
  const lab = LABS.find((l) => l.id === id);
  if (lab === undefined) throw new Error(`unknown lab "${id}"; labs are ${LABS.map((l) => l.id).join(', ')}`);
  return lab;
}
