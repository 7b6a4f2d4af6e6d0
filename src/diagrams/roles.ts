/**
 * What each node of the cluster is, read from the trace: its role (client, gateway, server, …),
 * a human label, and a stable order. Shared by the sequence diagram (lifeline order) and the
 * pub/sub graph (layout columns), so both name and place a node the same way.
 */
import { readWire, type TraceEvent } from '../sim/index.ts';

/** The roles a node can play, in the lab's vocabulary. */
export type NodeRole =
  | 'client'
  /** Many simulated users played by one node (scenarios at scale). */
  | 'fleet'
  | 'gateway'
  /** The auth service that issues tokens (ADR 0013). */
  | 'auth'
  | 'ws-server'
  | 'broker'
  | 'chat'
  | 'sequencer'
  | 'db'
  | 'directory'
  | 'presence'
  | 'notifier'
  | 'limiter'
  | 'session-store'
  | 'other';

/** Node kinds as `node/started` records them, mapped to roles. */
const KIND_ROLE: Readonly<Record<string, NodeRole>> = {
  client: 'client',
  'client-fleet': 'fleet',
  gateway: 'gateway',
  auth: 'auth',
  'ws-server': 'ws-server',
  broker: 'broker',
  chat: 'chat',
  sequencer: 'sequencer',
  db: 'db',
  database: 'db',
  directory: 'directory',
  presence: 'presence',
  notifier: 'notifier',
  notification: 'notifier',
  limiter: 'limiter',
  'session-store': 'session-store',
};

/** Node ids the cluster builder uses (ADR 0006), for traces without `node/started` events. */
const ID_ROLE: Readonly<Record<string, NodeRole>> = {
  gw: 'gateway',
  auth: 'auth',
  broker: 'broker',
  chat: 'chat',
  sequencer: 'sequencer',
  db: 'db',
  directory: 'directory',
  presence: 'presence',
  notifier: 'notifier',
  limiter: 'limiter',
  sessions: 'session-store',
};

/** Pseudo-nodes of the trace that are not cluster components. */
export const PSEUDO_NODES: ReadonlySet<string> = new Set(['operator', 'net']);

/**
 * The node kinds recorded by `node/started` events (node id → kind).
 *
 * @example
 * nodeKindsOf(events).get('ws-1'); // 'ws-server'
 */
export function nodeKindsOf(events: readonly TraceEvent[]): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'node/started' && !kinds.has(e.node)) kinds.set(e.node, e.data.kind);
  }
  return kinds;
}

/**
 * The role of a node: from its recorded kind when known, else from the builder's id scheme.
 *
 * @example
 * roleOf('c-u3'); // 'client'
 * roleOf('ws-2'); // 'ws-server'
 */
export function roleOf(nodeId: string, kinds?: ReadonlyMap<string, string>): NodeRole {
  const kind = kinds?.get(nodeId);
  if (kind !== undefined && KIND_ROLE[kind] !== undefined) return KIND_ROLE[kind];
  if (ID_ROLE[nodeId] !== undefined) return ID_ROLE[nodeId];
  if (nodeId.startsWith('c-')) return 'client';
  if (nodeId.startsWith('ws-')) return 'ws-server';
  if (nodeId.startsWith('fleet-')) return 'fleet';
  return 'other';
}

/**
 * The user a client node plays (`c-u1` → `u1`), or null for other nodes.
 *
 * @example
 * userOfClient('c-u12'); // 'u12'
 */
export function userOfClient(nodeId: string): string | null {
  return nodeId.startsWith('c-') ? nodeId.slice(2) : null;
}

/**
 * Compares ids so that embedded numbers sort by value (`ws-2` before `ws-10`), for orders that
 * read naturally and never depend on insertion order.
 *
 * @example
 * ['ws-10', 'ws-2'].sort(compareIds); // ['ws-2', 'ws-10']
 */
export function compareIds(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (i % 2 === 1) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Which broker the trace shows: Kafka-like leaves `broker/appended` and `records`; else Redis-like. */
export type BrokerFlavor = 'redis' | 'kafka';

/**
 * The broker flavour an event shows, or null when it says nothing about it: Kafka-like brokers
 * append to a log and serve `records`; Redis-like ones push `msg`. The first event that says
 * decides; a trace that never says is drawn as Redis-like.
 *
 * @example
 * let flavor: BrokerFlavor | null = null;
 * for (const e of events) flavor ??= brokerFlavorShownBy(e);
 */
export function brokerFlavorShownBy(e: TraceEvent): BrokerFlavor | null {
  if (e.type === 'broker/appended' || e.type === 'broker/consumerLagged') return 'kafka';
  if (e.type === 'net/messageSent') {
    const t = readWire(e.data.msg)?.type;
    if (t === 'records' || t === 'fetchFrom') return 'kafka';
    if (t === 'msg') return 'redis';
  }
  return null;
}

/**
 * A label for a node in the lab's words. Clients are labelled by user; callers that letter them
 * (`Client A (u1)`) pass `clientLetter`.
 *
 * @example
 * nodeLabel('gw', 'gateway');                  // 'API Gateway'
 * nodeLabel('ws-2', 'ws-server');              // 'WS Server ws-2'
 * nodeLabel('c-u1', 'client', { clientLetter: 'A' }); // 'Client A (u1)'
 */
export function nodeLabel(
  nodeId: string,
  role: NodeRole,
  options: { readonly clientLetter?: string; readonly broker?: BrokerFlavor } = {},
): string {
  switch (role) {
    case 'client': {
      const user = userOfClient(nodeId) ?? nodeId;
      return options.clientLetter !== undefined ? `Client ${options.clientLetter} (${user})` : `Client ${user}`;
    }
    case 'fleet':
      return `Client fleet ${nodeId}`;
    case 'gateway':
      return 'API Gateway';
    case 'auth':
      return 'Auth Service';
    case 'ws-server':
      return `WS Server ${nodeId}`;
    case 'broker':
      return options.broker === 'kafka' ? 'Pub/Sub (Kafka-like log)' : 'Pub/Sub (Redis-like)';
    case 'chat':
      return 'Chat Service';
    case 'sequencer':
      return 'Sequencer';
    case 'db':
      return 'Database';
    case 'directory':
      return 'Directory (user → server)';
    case 'presence':
      return 'Presence Service';
    case 'notifier':
      return 'Notification Service';
    case 'limiter':
      return 'Rate Limiter';
    case 'session-store':
      return 'Session Store';
    case 'other':
      return nodeId;
  }
}
