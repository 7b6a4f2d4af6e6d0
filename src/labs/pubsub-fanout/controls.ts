/**
 * The pub/sub lab's controls: the fan-out design (bound to `broker.kind`: a Redis-like broker or
 * none, i.e. direct calls between servers) and the number of WebSocket servers.
 */
import type { Control } from '../framework/index.ts';
import { GROWTH_SERVERS } from './patches.ts';

export const DESIGN: Control = {
  kind: 'choice',
  id: 'design',
  label: 'Fan-out',
  path: 'broker.kind',
  options: [
    { value: 'none', label: 'No broker: the sender\u2019s server calls every other server' },
    { value: 'redis', label: 'Redis-like pub/sub broker' },
  ],
  initial: 'none',
};

export const SERVERS: Control = {
  kind: 'number',
  id: 'servers',
  label: 'WebSocket servers',
  path: 'topology.wsServers',
  min: GROWTH_SERVERS[0],
  max: GROWTH_SERVERS[GROWTH_SERVERS.length - 1] ?? 16,
  step: 1,
  initial: GROWTH_SERVERS[0],
  unit: 'servers',
};

export const CONTROLS: readonly Control[] = [SERVERS, DESIGN];
