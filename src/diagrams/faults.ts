/**
 * The operator's faults as they stand at a moment: which nodes are down or slowed, which links are
 * cut or held, read from the `op/*` events (each carries its verb in `data.op`, see
 * src/sim/core/ops.ts) with the same semantics the simulator applies them with. Shared by the
 * pub/sub graph (status and partitioned links) and the sequence diagram (faults in force).
 */
import type { TraceEvent } from '../sim/index.ts';
import { rec } from './wire.ts';

/** Faults in force at a time. */
export interface FaultState {
  /** Crashed, not restarted: node → the `op/crashed` event. */
  readonly down: ReadonlyMap<string, TraceEvent>;
  /** Slowed by a factor other than 1: node → factor. */
  readonly slow: ReadonlyMap<string, number>;
  /** Directed links cut by a partition: `from→to` keys. */
  readonly cuts: ReadonlySet<string>;
  /** Directed links holding their messages: `from→to` keys. */
  readonly held: ReadonlySet<string>;
  /** The operator events whose effect is still in force, in trace order. */
  readonly inForce: readonly TraceEvent[];
}

/**
 * The key of a directed link.
 *
 * @example
 * linkKey('ws-2', 'broker'); // 'ws-2→broker'
 */
export function linkKey(from: string, to: string): string {
  return `${from}→${to}`;
}

function names(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Replays the operator events at or before `atMs` (all by default) into the faults in force.
 * `heal` without nodes heals every cut; with nodes it heals the cuts between them both ways,
 * as the simulator does.
 *
 * @example
 * faultStateAt(events, 20_000).down.has('ws-2'); // true in crash-at-least-once
 */
export function faultStateAt(events: readonly TraceEvent[], atMs = Number.POSITIVE_INFINITY): FaultState {
  const down = new Map<string, TraceEvent>();
  const slow = new Map<string, [number, TraceEvent]>();
  // Each cut remembers the partition event that made it, so "in force" can list that event.
  const cuts = new Map<string, TraceEvent>();
  const held = new Map<string, TraceEvent>();
  const nodes = new Set<string>();
  for (const e of events) {
    if (e.at > atMs) break;
    if (e.type === 'node/started') nodes.add(e.node);
    if (!e.type.startsWith('op/')) continue;
    const op = rec(e.data['op']);
    if (op === null) continue;
    const node = typeof op['node'] === 'string' ? op['node'] : null;
    const from = typeof op['from'] === 'string' ? op['from'] : null;
    const to = typeof op['to'] === 'string' ? op['to'] : null;
    const both = op['twoWay'] === true;
    switch (op['verb']) {
      case 'crash':
        if (node !== null && !down.has(node)) down.set(node, e);
        break;
      case 'restart':
        if (node !== null) down.delete(node);
        break;
      case 'slow':
        if (node !== null) {
          if (op['factor'] === 1) slow.delete(node);
          else if (typeof op['factor'] === 'number') slow.set(node, [op['factor'], e]);
        }
        break;
      case 'partition':
        for (const a of names(op['a'])) {
          for (const b of names(op['b'])) {
            cuts.set(linkKey(a, b), e);
            if (op['oneWay'] !== true) cuts.set(linkKey(b, a), e);
          }
        }
        break;
      case 'heal': {
        const a = names(op['a']);
        const b = names(op['b']);
        if (op['a'] === undefined && op['b'] === undefined) cuts.clear();
        else {
          const as = op['a'] === undefined ? [...nodes] : a;
          const bs = op['b'] === undefined ? [...nodes] : b;
          for (const x of as) {
            for (const y of bs) {
              cuts.delete(linkKey(x, y));
              cuts.delete(linkKey(y, x));
            }
          }
        }
        break;
      }
      case 'hold':
        if (from !== null && to !== null) {
          held.set(linkKey(from, to), e);
          if (both) held.set(linkKey(to, from), e);
        }
        break;
      case 'release':
        if (from !== null && to !== null) {
          held.delete(linkKey(from, to));
          if (both) held.delete(linkKey(to, from));
        }
        break;
    }
  }
  const inForce = new Map<number, TraceEvent>();
  for (const e of down.values()) inForce.set(e.seq, e);
  for (const [, e] of slow.values()) inForce.set(e.seq, e);
  for (const e of cuts.values()) inForce.set(e.seq, e);
  for (const e of held.values()) inForce.set(e.seq, e);
  return {
    down,
    slow: new Map([...slow].map(([n, [f]]) => [n, f])),
    cuts: new Set(cuts.keys()),
    held: new Set(held.keys()),
    inForce: [...inForce.values()].sort((x, y) => x.seq - y.seq),
  };
}
