/**
 * The operator's faults as they stand at a moment: which nodes are down or slowed, which links are
 * cut or held, read from the `op/*` events (each carries its verb in `data.op`, see
 * src/sim/contract/ops.ts) with the same semantics the simulator applies them with. Shared by the
 * pub/sub graph (status and partitioned links) and the sequence diagram (faults in force).
 */
import type { TraceEvent } from '../sim/index.ts';
import { indexTrace, type OpEvent, type TraceIndex } from './traceIndex.ts';

/** Faults in force at a time. */
export interface FaultState {
  /** Crashed, not restarted: node → the `op/crashed` event. */
  readonly down: ReadonlyMap<string, OpEvent>;
  /** Slowed by a factor other than 1: node → factor. */
  readonly slow: ReadonlyMap<string, number>;
  /** Directed links cut by a partition: `from→to` keys. */
  readonly cuts: ReadonlySet<string>;
  /** Directed links holding their messages: `from→to` keys. */
  readonly held: ReadonlySet<string>;
  /** The operator events whose effect is still in force, in trace order. */
  readonly inForce: readonly OpEvent[];
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

/** Where faults are read from: an index's operator verbs and node kinds, or plain events. */
export type FaultSource = Pick<TraceIndex, 'opEvents' | 'kinds'> | readonly TraceEvent[];

/**
 * Replays the operator events at or before `atMs` (all by default) into the faults in force.
 * `heal` without nodes heals every cut; with nodes it heals the cuts between them both ways,
 * as the simulator does. Reads only the operator's verbs, so it costs what the instructor did,
 * not the length of the run.
 *
 * @example
 * faultStateAt(index, 20_000).down.has('ws-2'); // true in crash-at-least-once
 */
export function faultStateAt(source: FaultSource, atMs = Number.POSITIVE_INFINITY): FaultState {
  const { opEvents, kinds } = Array.isArray(source) ? indexTrace(source as readonly TraceEvent[]) : (source as Pick<TraceIndex, 'opEvents' | 'kinds'>);
  const down = new Map<string, OpEvent>();
  const slow = new Map<string, [number, OpEvent]>();
  // Each cut remembers the partition event that made it, so "in force" can list that event.
  const cuts = new Map<string, OpEvent>();
  const held = new Map<string, OpEvent>();
  for (const e of opEvents) {
    if (e.at > atMs) break;
    const op = e.data.op;
    switch (op.verb) {
      case 'crash':
        if (!down.has(op.node)) down.set(op.node, e);
        break;
      case 'restart':
        down.delete(op.node);
        break;
      case 'slow':
        if (op.factor === 1) slow.delete(op.node);
        else slow.set(op.node, [op.factor, e]);
        break;
      case 'partition':
        for (const a of op.a) {
          for (const b of op.b) {
            cuts.set(linkKey(a, b), e);
            if (op.oneWay !== true) cuts.set(linkKey(b, a), e);
          }
        }
        break;
      case 'heal': {
        if (op.a === undefined && op.b === undefined) cuts.clear();
        else {
          // Nodes that had started by then: the simulator heals against every node, and a node
          // that never started has no link anyone could have cut.
          const nodes = [...kinds.keys()];
          for (const x of op.a ?? nodes) {
            for (const y of op.b ?? nodes) {
              cuts.delete(linkKey(x, y));
              cuts.delete(linkKey(y, x));
            }
          }
        }
        break;
      }
      case 'hold':
        held.set(linkKey(op.from, op.to), e);
        if (op.twoWay === true) held.set(linkKey(op.to, op.from), e);
        break;
      case 'release':
        held.delete(linkKey(op.from, op.to));
        if (op.twoWay === true) held.delete(linkKey(op.to, op.from));
        break;
      default:
        break;
    }
  }
  const inForce = new Map<number, OpEvent>();
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
