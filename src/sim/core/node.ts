/**
 * The node interface. A node is a sans-IO state machine: given its state, the virtual time and one
 * input, it returns its next state and a list of effects (plain data). It never touches the event
 * queue, the network or a clock; the simulator applies the effects. That is what lets the same
 * node code later run live in its own worker or as a real process (see BLUEPRINT, "Runtimes").
 */
import type { NodeEventType, TraceEventData } from '../contract/index.ts';
import type { DistSpec } from './dist.ts';
import type { SimTimeMs } from './ids.ts';
import type { Prng } from './prng.ts';

/** What a node can be handed. */
export type NodeInput<M = unknown, P = unknown> =
  /** The node booted (at time 0, or after an operator's restart). */
  | { readonly type: 'started'; readonly restart: boolean }
  /** A message arrived over the network from `from`. */
  | { readonly type: 'message'; readonly from: string; readonly msg: M }
  /** A timer this node set has fired. */
  | { readonly type: 'timer'; readonly timerId: string; readonly payload: P };

/** What a node asks the simulator to do. */
export type Effect<M = unknown, P = unknown> =
  /**
   * Send `msg` to node `to` over the link between them; `bytes` feeds bandwidth and metrics.
   * `control` marks keep-alive traffic (heartbeats, health checks), which a run may choose not
   * to record message by message (see `TraceLogOptions.control`).
   */
  | { readonly type: 'send'; readonly to: string; readonly msg: M; readonly bytes?: number; readonly control?: true }
  /** Fire `timerId` after `afterMs`; setting an existing id replaces it. */
  | { readonly type: 'setTimer'; readonly timerId: string; readonly afterMs: number; readonly payload?: P }
  /** Cancel `timerId` if it is pending. */
  | { readonly type: 'cancelTimer'; readonly timerId: string }
  /** Record a trace event at this node, caused by the input being handled. */
  | TraceEffect;

/**
 * A trace event a node records: a type of the vocabulary with exactly that type's data. Kernel
 * events (`net/*`, `node/*`, `cpu/*`, `op/*`) are the simulator's own and not among them.
 */
export type TraceEffect = {
  [T in NodeEventType]: { readonly type: 'trace'; readonly event: T; readonly data: TraceEventData[T] };
}[NodeEventType];

/**
 * Effect constructors, so node code reads as a list of intentions. Their `never` type parameters
 * make them fit any node's `Effect<M, P>`.
 */
export const fx = {
  send: <M>(to: string, msg: M, bytes?: number): Effect<M, never> =>
    bytes === undefined ? { type: 'send', to, msg } : { type: 'send', to, msg, bytes },
  /** A keep-alive message (heartbeat, health check): see the `control` field of `send`. */
  control: <M>(to: string, msg: M, bytes: number): Effect<M, never> => ({ type: 'send', to, msg, bytes, control: true }),
  setTimer: <P>(timerId: string, afterMs: number, payload?: P): Effect<never, P> =>
    payload === undefined ? { type: 'setTimer', timerId, afterMs } : { type: 'setTimer', timerId, afterMs, payload },
  cancelTimer: (timerId: string): Effect<never, never> => ({ type: 'cancelTimer', timerId }),
  /** A trace event of the vocabulary: the data must be exactly that event type's. */
  trace: <T extends NodeEventType>(event: T, data: TraceEventData[T]): Effect<never, never> => ({ type: 'trace', event, data }) as TraceEffect,
};

/** The result of handling one input. */
export interface Step<S, M = unknown, P = unknown> {
  readonly state: S;
  readonly effects: readonly Effect<M, P>[];
}

/** Read-only facts a handler may use, plus the node's own random stream. */
export interface NodeContext {
  /** This node's id. */
  readonly id: string;
  /**
   * The node's own random stream (forked from the run's seed by node id). Drawing from it is the
   * one permitted side effect: the simulator owns it and snapshots it with the node.
   */
  readonly rng: Prng;
  /** Every node id in the topology, in declaration order. */
  readonly nodeIds: readonly string[];
}

/**
 * A kind of node. `S` must be structured-cloneable plain data (objects, arrays, typed arrays, Map,
 * Set): snapshots copy it. Handlers may mutate `state` in place and return it; large nodes keep
 * their state in typed arrays and must not copy them per input.
 *
 * @example
 * const echo: NodeBehavior<{ seen: number }, string> = {
 *   kind: 'echo',
 *   init: () => ({ seen: 0 }),
 *   handle: (state, _now, input) =>
 *     input.type === 'message'
 *       ? { state: { seen: state.seen + 1 }, effects: [fx.send(input.from, input.msg)] }
 *       : { state, effects: [] },
 * };
 */
export interface NodeBehavior<S = unknown, M = unknown, P = unknown, C = unknown> {
  /** Stable name of the kind (`ws-server`, `broker`); shown in stats and diagrams. */
  readonly kind: string;
  /**
   * Fresh state at boot. `durable` is what {@link NodeBehavior.durable} kept across a crash (a
   * database's disk), or undefined on first boot and for nodes that keep nothing.
   */
  init(config: C, ctx: NodeContext, durable: unknown): S;
  /** Handles one input. */
  handle(state: S, now: SimTimeMs, input: NodeInput<M, P>, ctx: NodeContext): Step<S, M, P>;
  /** What survives a crash (defaults to nothing: a crash loses all in-memory state). */
  durable?(state: S): unknown;
  /**
   * Service time for this input, overriding the node's CPU distribution (a blocking handler, a
   * cheap heartbeat). Return undefined to use the node's distribution.
   */
  serviceTimeMs?(state: S, input: NodeInput<M, P>, ctx: NodeContext): number | undefined;
  /**
   * The key of the work an input belongs to (the client connection it concerns), for a CPU with
   * several workers ({@link WorkerPool}, ADR 0016): inputs of one key are served one at a time and
   * in order, by one worker or process. Undefined: the node's own work (timers, back-end traffic),
   * one key of its own. Called when the input arrives; a single CPU never asks.
   */
  workKey?(state: S, input: NodeInput<M, P>): string | undefined;
}

/** What happens when an input arrives at a full input queue. */
export type DropPolicy = 'drop-newest' | 'drop-oldest';

/**
 * How a CPU's inputs are spread over workers (ADR 0016). Every model but `single` keeps a FIFO per
 * work key (a client) and queues the keys that have work, as design 002's client queue does: a
 * worker takes a key off its queue, serves that key's oldest input, and puts the key back at the
 * end if it has more.
 * - `single`: one event loop, one FIFO of inputs (the default; no key is asked).
 * - `process-per-client`: each key is its own process; `workers` cores run the ready processes in
 *   turn, preempting one after `quantumUs` of service when others are ready.
 * - `shared-queue`: `workers` worker processes share one queue of keys; each take costs
 *   `contentionUs` per other worker waiting on that queue.
 * - `queue-per-group`: `queues` queues, a key hashed to one, worker w serving queue w mod queues.
 * A worker that serves a different key than it served last pays `switchUs` first.
 */
export interface WorkerPool {
  readonly model: 'single' | 'process-per-client' | 'shared-queue' | 'queue-per-group';
  /** Workers (cores for `process-per-client`), ≥ 1. */
  readonly workers: number;
  /** Queues of keys (`queue-per-group`; 1 otherwise), 1 ≤ queues ≤ workers. */
  readonly queues: number;
  /** µs a worker spends switching to another key's process or context. */
  readonly switchUs: number;
  /** µs a take from a shared queue costs per other worker waiting on that queue (not `process-per-client`). */
  readonly contentionUs: number;
  /** `process-per-client`: a process is preempted after this much service if others wait (0: never). */
  readonly quantumUs: number;
}

/** The default: one event loop. */
export const SINGLE_WORKER: WorkerPool = { model: 'single', workers: 1, queues: 1, switchUs: 0, contentionUs: 0, quantumUs: 0 };

/** A node's CPU: a service time per input, a bounded queue, and by default one event loop. */
export interface CpuModel {
  /** Time to handle one input. */
  readonly serviceTime: DistSpec;
  /** Inputs waiting while the CPU is busy, at most. */
  readonly queueCapacity: number;
  /** Which input to lose when the queue is full. */
  readonly dropPolicy: DropPolicy;
  /** How inputs are spread over workers; absent or `single`: one event loop (ADR 0016). */
  readonly workers?: WorkerPool;
}

/** The default CPU: instant handling, a generous queue. */
export const INSTANT_CPU: CpuModel = {
  serviceTime: { kind: 'constant', valueMs: 0 },
  queueCapacity: 100_000,
  dropPolicy: 'drop-newest',
};
