/**
 * The simulator: owns the virtual clock, the event queue, the network and every node's runtime
 * (state, CPU, timers), and is the only thing that touches the queue. Nodes are sans-IO handlers;
 * this file turns their effects into scheduled events and trace records.
 *
 * Ordering rules (all deterministic):
 * - Events run in (time, insertion seq) order.
 * - Operator verbs scheduled for time t apply before any event at time t, in the order they were
 *   scheduled. A verb issued live after events at the current time already ran applies 1 µs later.
 * - `runUntil(t)` runs everything before t and leaves the clock at t.
 *
 * Time (ADR 0010): the clock, the queue and every service and network time are integer
 * microseconds; what crosses the API — `runUntil` targets, verbs' `at`, a node's `now`, timer
 * delays, trace `at`, reports — is milliseconds, exact multiples of 1 µs (core/time.ts).
 */
import { distProblem, sampleUs } from '../core/dist.ts';
import type { SimTimeMs } from '../core/ids.ts';
import { INSTANT_CPU, type CpuModel, type Effect, type NodeBehavior, type NodeContext, type NodeInput } from '../core/node.ts';
import { createPool, poolFigures, poolProblem, queueOf, recordWait, type PoolItem, type PoolState, type WorkerFigures } from './workers.ts';
import { DRAIN_GRACE_MS_DEFAULT, OP_EVENT, type Op, type ScheduledOp, type TraceEventData } from '../contract/index.ts';
import { Prng, type PrngState } from '../core/prng.ts';
import { EventQueue, type EventQueueOptions, type QueueSnapshot } from '../core/queue.ts';
import { msToUs, usToMs } from '../core/time.ts';
import { TraceLog, type TraceCursor, type TraceLogOptions } from '../core/trace.ts';
import { DEFAULT_LINK, Network, type LinkConfig, type LinkSpec, type NetworkSnapshot } from '../net/network.ts';

/** One node of a topology. */
export interface NodeSpec<C = unknown> {
  readonly id: string;
  // The behaviour's state and message types are the node's own business.
  // oxlint-disable-next-line no-explicit-any
  readonly behavior: NodeBehavior<any, any, any, C>;
  readonly config?: C;
  readonly cpu?: Partial<CpuModel>;
}

/** Everything that defines a run (with the seed). */
export interface SimulationConfig {
  /** The run's seed, an unsigned 32-bit integer. Required: there is no random default. */
  readonly seed: number;
  readonly nodes: readonly NodeSpec[];
  readonly network?: { readonly defaultLink?: Partial<LinkConfig>; readonly links?: readonly LinkSpec[] };
  readonly trace?: TraceLogOptions;
  /** Operator verbs to apply at given times (a scenario's fault script). */
  readonly faults?: readonly ScheduledOp[];
  readonly queue?: EventQueueOptions;
  /**
   * Checks what an `inject` verb carries before it is scheduled: a sentence naming the problem
   * refuses the verb (the cluster passes its wire check, so a malformed frame never reaches a
   * node); null accepts it. Without one, any plain data nested at most {@link INJECT_DEPTH_MAX}
   * deep is accepted.
   */
  readonly checkInject?: (msg: unknown, from: string | undefined, node: string) => string | null;
  /** Nodes an operator may add and remove while the run goes (`addServer`, `removeServer`; ADR 0014). */
  readonly scaling?: ScalingConfig;
}

/**
 * A pool of nodes that can be taken into and out of service mid-run. Every pool node exists from
 * the start (so the node list, the links and snapshots never change shape); a spare is simply not
 * provisioned: down, with no state and no `node/started` until `addServer` boots it.
 */
export interface ScalingConfig {
  /** Every node `addServer` may boot or `removeServer` may drain, in the order spares are taken. */
  readonly pool: readonly string[];
  /** The pool's nodes that are not provisioned when the run starts. */
  readonly spares: readonly string[];
  /**
   * The orchestrator's notices when a pool node was added, starts draining or stopped: messages
   * handed to nodes (from `operator`) at that instant, as service discovery and SIGTERM would be.
   */
  readonly notices: (event: 'added' | 'draining' | 'stopped', node: string) => readonly { readonly to: string; readonly msg: unknown }[];
}

/** Where a node stands in the scaling pool: a spare (not provisioned), serving, or draining. */
export type NodeService = 'spare' | 'serving' | 'draining';

/**
 * How deeply an injected payload may nest. The trace hashes, snapshots and prints it by walking
 * it, so a payload nested 10,000 deep would overflow the stack there; no message needs more.
 */
export const INJECT_DEPTH_MAX = 64;

/** The nesting depth of plain data (a scalar is 0), stopping as soon as it passes `limit`. */
function depthOver(v: unknown, limit: number): boolean {
  // An explicit stack, so that measuring a deep value cannot overflow the call stack itself.
  const stack: [unknown, number][] = [[v, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, depth] = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Per-node CPU statistics; times are integer µs, so the sums are exact. */
export interface NodeStats {
  /** Inputs handled. */
  processed: number;
  /** Inputs lost to a full queue. */
  dropped: number;
  /** Sum of time inputs waited before service, µs. */
  queueWaitUsSum: number;
  /** Sum of time from arrival to the end of service, µs. */
  sojournUsSum: number;
  /** Time the CPU was busy, µs. */
  busyUs: number;
  /** Largest number of inputs waiting at once. */
  queueDepthMax: number;
}

/** Derived per-node figures, as reported by the CLI and shown in the UI. */
export interface NodeReport {
  kind: string;
  up: boolean;
  processed: number;
  dropped: number;
  queueWaitMsMean: number;
  sojournMsMean: number;
  utilization: number;
  queueDepthMax: number;
  queueDepth: number;
  /** A CPU with several workers (ADR 0016): what its model costs; absent for a single event loop. */
  workers?: WorkerFigures;
}

export interface InboxItem {
  input: NodeInput;
  /** µs. */
  arrivedAt: number;
  causeSeq: number | null;
}

interface TimerRef {
  timerId: string;
  payload: unknown;
  token: number;
  incarnation: number;
  causeSeq: number | null;
}

interface Envelope {
  from: number;
  to: number;
  msg: unknown;
  bytes: number;
  /** The `net/messageSent` event, or for an unrecorded control message its cause (-1: none). */
  sentSeq: number;
  /** A control message sent while control traffic is only counted: its hops are not recorded. */
  quiet: boolean;
}

interface NodeRuntime {
  readonly id: string;
  readonly index: number;
  // oxlint-disable-next-line no-explicit-any
  readonly behavior: NodeBehavior<any, any, any, any>;
  readonly config: unknown;
  readonly cpu: CpuModel;
  readonly ctx: { id: string; rng: Prng; nodeIds: readonly string[] };
  cpuRng: Prng;
  state: unknown;
  durable: unknown;
  up: boolean;
  incarnation: number;
  busy: boolean;
  inbox: InboxItem[];
  timers: Map<string, number>;
  timerToken: number;
  slowFactor: number;
  stats: NodeStats;
  service: NodeService;
  /** The workers of a CPU with several (ADR 0016); null for a single event loop. */
  pool: PoolState | null;
}

/** Plain-data form of one node's runtime. */
export interface NodeSnapshot {
  state: unknown;
  durable: unknown;
  up: boolean;
  incarnation: number;
  busy: boolean;
  inbox: InboxItem[];
  timers: [string, number][];
  timerToken: number;
  slowFactor: number;
  stats: NodeStats;
  service: NodeService;
  rng: PrngState;
  cpuRng: PrngState;
  pool: PoolState | null;
}

/** The whole simulation state as plain, structured-cloneable data. */
export interface SimSnapshot {
  /** 2 since the clock and the queue count µs (ADR 0010). */
  readonly version: 2;
  readonly seed: number;
  /** The clock, in the kernel's integer µs. */
  readonly nowUs: number;
  /** The clock in ms (`nowUs / 1000`). */
  readonly nowMs: number;
  readonly ranAtNow: boolean;
  readonly queue: QueueSnapshot;
  readonly nodes: NodeSnapshot[];
  readonly network: NetworkSnapshot;
  readonly ops: ScheduledOp[];
  readonly opCounter: number;
  readonly trace: TraceCursor;
  /** Counted control traffic by link (`from · nodes + to`): [messages, bytes]. */
  readonly controlTraffic: Map<number, [number, number]>;
}

// Event kinds in the queue.
const K_START = 1;
const K_DELIVER = 2;
const K_TIMER = 3;
const K_SERVICE_DONE = 4;
/** A draining node's grace period ends: it stops (ADR 0014). */
const K_STOP = 5;
/** A worker of a CPU with several ends a service or a time slice (ADR 0016); ref: the worker. */
const K_WORKER_DONE = 6;

interface PendingOp extends ScheduledOp {
  /** `at` in µs. */
  readonly atUs: number;
  readonly order: number;
}

/**
 * A deterministic discrete-event simulation of a set of nodes on a network.
 *
 * @example
 * const sim = new Simulation({ seed: 42, nodes: [{ id: 'a', behavior: echo }, { id: 'b', behavior: echo }] });
 * sim.runUntil(1000);
 * sim.trace.hash();   // identical for the same config and seed, in Node and in any browser
 */
export class Simulation {
  readonly seed: number;
  readonly trace: TraceLog;
  readonly nodeIds: readonly string[];
  private queue: EventQueue;
  private readonly network: Network;
  private readonly nodes: NodeRuntime[];
  private readonly index: Map<string, number>;
  private readonly rng: Prng;
  /** The clock in µs (`nowValue`), and the same in ms for everything that leaves the kernel. */
  private nowValue = 0;
  private nowMsValue = 0;
  /** True once an event at the current time has run (so a live verb must wait for now + 1). */
  private ranAtNow = false;
  private ops: PendingOp[] = [];
  private opCounter = 0;
  private readonly queueOptions: EventQueueOptions;
  private readonly countControlOnly: boolean;
  /**
   * Control messages sent while control traffic is only counted, by link (`from · nodes + to`):
   * [messages, bytes]. Only links that carry keep-alives get an entry (a few per server).
   */
  private controlTraffic = new Map<number, [number, number]>();

  constructor(readonly config: SimulationConfig) {
    this.seed = config.seed;
    this.rng = new Prng(config.seed);
    this.trace = new TraceLog(config.trace);
    this.countControlOnly = config.trace?.control === 'counted';
    this.queueOptions = config.queue ?? {};
    this.queue = new EventQueue(this.queueOptions);
    this.nodeIds = config.nodes.map((n) => n.id);
    this.index = new Map();
    config.nodes.forEach((n, i) => {
      if (this.index.has(n.id)) throw new Error(`duplicate node id "${n.id}"`);
      if (n.id === 'operator' || n.id === 'net') throw new Error(`node id "${n.id}" is reserved`);
      this.index.set(n.id, i);
    });
    const defaultLink = { ...DEFAULT_LINK, ...config.network?.defaultLink };
    this.network = new Network(this.nodeIds, defaultLink, config.network?.links ?? [], this.rng.fork('net'));
    this.nodes = config.nodes.map((spec, i) => this.createRuntime(spec, i));
    for (const id of config.scaling?.pool ?? []) if (!this.index.has(id)) throw new Error(`scaling pool names unknown node "${id}"`);
    const spares = new Set(config.scaling?.spares ?? []);
    for (const node of this.nodes) {
      if (spares.has(node.id)) {
        if (!(config.scaling?.pool ?? []).includes(node.id)) throw new Error(`spare "${node.id}" is not in the scaling pool`);
        // Not provisioned: no state, no start; `addServer` boots it.
        node.service = 'spare';
        node.up = false;
        continue;
      }
      node.state = node.behavior.init(node.config, node.ctx, undefined);
      this.queue.push(0, K_START, node.index, node.incarnation, false);
    }
    for (const f of config.faults ?? []) this.schedule(f.at, f.op);
  }

  private createRuntime(spec: NodeSpec, index: number): NodeRuntime {
    const cpu: CpuModel = { ...INSTANT_CPU, ...spec.cpu };
    const problem = distProblem(cpu.serviceTime);
    if (problem !== null) throw new Error(`node "${spec.id}": cpu.serviceTime: ${problem}`);
    if (!Number.isSafeInteger(cpu.queueCapacity) || cpu.queueCapacity < 0) {
      throw new Error(`node "${spec.id}": cpu.queueCapacity must be a non-negative integer, got ${cpu.queueCapacity}`);
    }
    const pooled = cpu.workers !== undefined && cpu.workers.model !== 'single';
    if (pooled) {
      const poolError = poolProblem(cpu.workers);
      if (poolError !== null) throw new Error(`node "${spec.id}": cpu.workers: ${poolError}`);
    }
    return {
      id: spec.id,
      index,
      behavior: spec.behavior,
      config: spec.config,
      cpu,
      ctx: { id: spec.id, rng: this.rng.fork(`node:${spec.id}`), nodeIds: this.nodeIds },
      cpuRng: this.rng.fork(`cpu:${spec.id}`),
      state: undefined,
      durable: undefined,
      up: true,
      incarnation: 0,
      busy: false,
      inbox: [],
      timers: new Map(),
      timerToken: 0,
      slowFactor: 1,
      stats: { processed: 0, dropped: 0, queueWaitUsSum: 0, sojournUsSum: 0, busyUs: 0, queueDepthMax: 0 },
      service: 'serving',
      pool: pooled && cpu.workers !== undefined ? createPool(cpu.workers) : null,
    };
  }

  /** Current virtual time in ms (a whole number of µs). */
  get nowMs(): number {
    return this.nowMsValue;
  }

  /** Current virtual time in the kernel's integer µs. */
  get nowUs(): number {
    return this.nowValue;
  }

  /** Events waiting in the queue (not counting scheduled operator verbs). */
  get pending(): number {
    return this.queue.size;
  }

  /** Operator verbs scheduled but not yet applied. */
  get pendingOps(): readonly ScheduledOp[] {
    return this.ops;
  }

  /** A node's current state (read-only by convention), for tests and inspectors. */
  nodeState(id: string): unknown {
    return this.runtime(id).state;
  }

  /** Whether a node is up. */
  isUp(id: string): boolean {
    return this.runtime(id).up;
  }

  /** Where a node stands in the scaling pool (`serving` for every node outside it). */
  serviceOf(id: string): NodeService {
    return this.runtime(id).service;
  }

  private runtime(id: string): NodeRuntime {
    const i = this.index.get(id);
    if (i === undefined) throw new Error(`unknown node "${id}"; nodes are: ${this.nodeIds.join(', ')}`);
    return this.nodes[i] as NodeRuntime;
  }

  // ----------------------------------------------------------------------------------------------
  // Running

  /**
   * Runs every event and operator verb before `timeMs`, then sets the clock to `timeMs`. With a
   * step budget, stops early once `maxSteps` items ran and returns false.
   */
  runUntil(timeMs: number, maxSteps = Infinity): boolean {
    return this.runUntilUs(msToUs(timeMs, 'runUntil target'), maxSteps);
  }

  /** {@link runUntil} with the target in the kernel's integer µs. */
  runUntilUs(timeUs: number, maxSteps = Infinity): boolean {
    if (timeUs < this.nowValue) throw new RangeError(`cannot run back in time from ${this.nowMsValue} ms to ${usToMs(timeUs)} ms`);
    let steps = 0;
    const q = this.queue;
    for (;;) {
      if (steps >= maxSteps) return false;
      const nextOpAt = this.ops.length > 0 ? (this.ops[0] as PendingOp).atUs : Infinity;
      const limit = nextOpAt < timeUs ? nextOpAt : timeUs;
      // Fast path: events strictly before the next verb (and the limit).
      while (steps < maxSteps && q.peekTime() < limit) {
        q.pop();
        this.dispatch();
        steps++;
      }
      if (steps >= maxSteps) return false;
      if (nextOpAt < timeUs && q.peekTime() >= nextOpAt) {
        this.applyNextOp();
        steps++;
        continue;
      }
      break;
    }
    if (timeUs > this.nowValue) {
      this.nowValue = timeUs;
      this.nowMsValue = usToMs(timeUs);
      this.ranAtNow = false;
    }
    return true;
  }

  /** Runs for `ms` more virtual milliseconds. */
  runFor(ms: number, maxSteps = Infinity): boolean {
    return this.runUntilUs(this.nowValue + msToUs(ms, 'runFor duration'), maxSteps);
  }

  /** Runs exactly one event or operator verb; returns false when nothing is left. */
  step(): boolean {
    const nextOpAt = this.ops.length > 0 ? (this.ops[0] as PendingOp).atUs : Infinity;
    const nextEv = this.queue.peekTime();
    if (nextOpAt === Infinity && nextEv === Infinity) return false;
    if (nextOpAt <= nextEv) this.applyNextOp();
    else {
      this.queue.pop();
      this.dispatch();
    }
    return true;
  }

  /** Time (ms) of the next event or verb, or Infinity. */
  peekTime(): number {
    const nextOpAt = this.ops.length > 0 ? (this.ops[0] as PendingOp).atUs : Infinity;
    return usToMs(Math.min(nextOpAt, this.queue.peekTime()));
  }

  private setNow(tUs: number): void {
    if (tUs !== this.nowValue) {
      this.nowValue = tUs;
      this.nowMsValue = usToMs(tUs);
    }
    this.ranAtNow = true;
  }

  private dispatch(): void {
    const q = this.queue;
    this.setNow(q.poppedTime);
    const node = this.nodes[q.poppedA] as NodeRuntime;
    switch (q.poppedKind) {
      case K_DELIVER:
        this.deliver(q.poppedRef as Envelope);
        return;
      case K_TIMER: {
        const ref = q.poppedRef as TimerRef;
        // A stale timer: cancelled, replaced, or set before a crash.
        if (ref.incarnation !== node.incarnation || node.timers.get(ref.timerId) !== ref.token) return;
        node.timers.delete(ref.timerId);
        const seq = this.trace.record(this.nowMsValue, node.id, ref.causeSeq, 'node/timerFired', { timerId: ref.timerId });
        this.arrive(node, { type: 'timer', timerId: ref.timerId, payload: ref.payload }, seq);
        return;
      }
      case K_SERVICE_DONE: {
        if (q.poppedB !== node.incarnation) return;
        const item = q.poppedRef as InboxItem;
        this.execute(node, item);
        node.busy = false;
        this.startNext(node);
        return;
      }
      case K_START: {
        if (q.poppedB !== node.incarnation) return;
        const restart = q.poppedRef === true;
        const seq = this.trace.record(this.nowMsValue, node.id, null, 'node/started', { kind: node.behavior.kind, restart });
        this.arrive(node, { type: 'started', restart }, seq);
        return;
      }
      case K_STOP:
        this.stop(node);
        return;
      case K_WORKER_DONE:
        if (q.poppedB !== node.incarnation) return;
        this.workerDone(node, q.poppedRef as number);
        return;
      default:
        throw new Error(`unknown event kind ${q.poppedKind}`);
    }
  }

  private deliver(env: Envelope): void {
    const node = this.nodes[env.to] as NodeRuntime;
    const from = this.nodeIds[env.from] as string;
    if (this.network.isBlocked(env.from, env.to)) {
      this.trace.record(this.nowMsValue, 'net', env.sentSeq, 'net/messageDropped', { from, to: node.id, reason: 'partition' });
      return;
    }
    if (!node.up) {
      this.trace.record(this.nowMsValue, 'net', env.sentSeq, 'net/messageDropped', { from, to: node.id, reason: 'nodeDown' });
      return;
    }
    if (env.quiet) {
      this.arrive(node, { type: 'message', from, msg: env.msg }, env.sentSeq < 0 ? null : env.sentSeq);
      return;
    }
    const seq = this.trace.record(this.nowMsValue, node.id, env.sentSeq, 'net/messageDelivered', { from, to: node.id });
    this.arrive(node, { type: 'message', from, msg: env.msg }, seq);
  }

  /** An input reaches a node's CPU: served now if idle, queued if busy, dropped if the queue is full. */
  private arrive(node: NodeRuntime, input: NodeInput, causeSeq: number | null): void {
    if (node.pool !== null) {
      this.arrivePooled(node, node.pool, input, causeSeq);
      return;
    }
    const item: InboxItem = { input, arrivedAt: this.nowValue, causeSeq };
    if (!node.busy) {
      this.serve(node, item);
      this.startNext(node);
      return;
    }
    if (node.inbox.length >= node.cpu.queueCapacity) {
      node.stats.dropped++;
      let lost = item;
      if (node.cpu.dropPolicy === 'drop-oldest' && node.inbox.length > 0) {
        lost = node.inbox.shift() as InboxItem;
        node.inbox.push(item);
      }
      this.trace.record(this.nowMsValue, node.id, lost.causeSeq, 'cpu/inputDropped', {
        reason: 'queueFull',
        input: lost.input.type,
        queueCapacity: node.cpu.queueCapacity,
      });
      return;
    }
    node.inbox.push(item);
    if (node.inbox.length > node.stats.queueDepthMax) node.stats.queueDepthMax = node.inbox.length;
  }

  /** Starts serving queued inputs while the CPU is free. */
  private startNext(node: NodeRuntime): void {
    while (!node.busy && node.up && node.inbox.length > 0) {
      this.serve(node, node.inbox.shift() as InboxItem);
    }
  }

  /** Begins service of one input: instantly when its service time is 0, else at completion. */
  private serve(node: NodeRuntime, item: InboxItem): void {
    const override = node.behavior.serviceTimeMs?.(node.state, item.input, node.ctx);
    let serviceUs = override === undefined ? sampleUs(node.cpuRng, node.cpu.serviceTime) : msToUs(override, `node "${node.id}": serviceTimeMs`);
    // The operator's `slow ×N` scales the drawn µs: a 50 µs input under ×3 takes 150 µs.
    if (node.slowFactor !== 1) serviceUs = Math.round(serviceUs * node.slowFactor);
    node.stats.queueWaitUsSum += this.nowValue - item.arrivedAt;
    if (serviceUs === 0) {
      this.execute(node, item);
      return;
    }
    node.busy = true;
    node.stats.busyUs += serviceUs;
    this.queue.push(this.nowValue + serviceUs, K_SERVICE_DONE, node.index, node.incarnation, item);
  }

  // ----------------------------------------------------------------------------------------------
  // A CPU with several workers (ADR 0016). Each work key (a client) has a FIFO of inputs and is in
  // at most one place: on its queue of keys (it has inputs and no worker) or on a worker.

  /** An input reaches a CPU with workers: onto its key's FIFO, the key onto its queue if idle. */
  private arrivePooled(node: NodeRuntime, pool: PoolState, input: NodeInput, causeSeq: number | null): void {
    const key = node.behavior.workKey?.(node.state, input) ?? '';
    const item: PoolItem = { input, arrivedAt: this.nowValue, causeSeq, key, remainingUs: -1, readyAt: this.nowValue };
    let fifo = pool.fifos.get(key);
    if (pool.waiting >= node.cpu.queueCapacity) {
      node.stats.dropped++;
      let lost: PoolItem = item;
      // Drop-oldest loses this key's oldest waiting input (the client's own backlog), if it has one.
      if (node.cpu.dropPolicy === 'drop-oldest' && fifo !== undefined && fifo.length > 0) {
        lost = fifo.shift() as PoolItem;
        // The new head has been ready as long as the lost one had.
        ((fifo[0] as PoolItem | undefined) ?? item).readyAt = lost.readyAt;
        fifo.push(item);
      }
      this.trace.record(this.nowMsValue, node.id, lost.causeSeq, 'cpu/inputDropped', { reason: 'queueFull', input: lost.input.type, queueCapacity: node.cpu.queueCapacity });
      return;
    }
    if (fifo === undefined) {
      fifo = [];
      pool.fifos.set(key, fifo);
    }
    fifo.push(item);
    pool.waiting++;
    if (pool.waiting > node.stats.queueDepthMax) node.stats.queueDepthMax = pool.waiting;
    if (fifo.length === 1 && !pool.running.has(key)) (pool.ready[queueOf(pool, key)] as string[]).push(key);
    this.dispatchPooled(node, pool);
  }

  /** Idle workers, lowest index first, take the key at the head of their queue. */
  private dispatchPooled(node: NodeRuntime, pool: PoolState): void {
    const workers = pool.workers;
    for (let w = 0; w < workers.length; ) {
      const slot = workers[w] as PoolState['workers'][number];
      const ready = pool.ready[slot.group] as string[];
      if (slot.item !== null || ready.length === 0 || !node.up) {
        w++;
        continue;
      }
      const key = ready.shift() as string;
      const fifo = pool.fifos.get(key) as PoolItem[];
      const item = fifo.shift() as PoolItem;
      pool.waiting--;
      // How long this client, with work to do, waited for a worker: starvation when all are busy.
      recordWait(pool, this.nowValue - item.readyAt);
      pool.running.add(key);
      // A service that takes no time at all ends at once, and this worker is free again.
      if (!this.startPooled(node, pool, w, item)) this.endPooled(node, pool, item);
    }
  }

  /**
   * Worker `w` starts (a slice of) `item`: the switch cost if it last served another key, the
   * contention of a take from a shared queue, then the service. Returns false when all of that is
   * zero (the caller ends the service at once).
   */
  private startPooled(node: NodeRuntime, pool: PoolState, w: number, item: PoolItem): boolean {
    const spec = pool.spec;
    const slot = pool.workers[w] as PoolState['workers'][number];
    let overheadUs = 0;
    if (slot.lastKey !== null && slot.lastKey !== item.key && spec.switchUs > 0) {
      overheadUs += spec.switchUs;
      pool.switchUsSum += spec.switchUs;
      pool.switches++;
    }
    slot.lastKey = item.key;
    if (spec.model !== 'process-per-client' && spec.contentionUs > 0) {
      // The other workers waiting on this queue all take its lock as it changes.
      const contenders = (pool.idle[slot.group] as number) - 1;
      overheadUs += contenders * spec.contentionUs;
      pool.contentionUsSum += contenders * spec.contentionUs;
    }
    if (item.remainingUs < 0) {
      const override = node.behavior.serviceTimeMs?.(node.state, item.input, node.ctx);
      let serviceUs = override === undefined ? sampleUs(node.cpuRng, node.cpu.serviceTime) : msToUs(override, `node "${node.id}": serviceTimeMs`);
      if (node.slowFactor !== 1) serviceUs = Math.round(serviceUs * node.slowFactor);
      item.remainingUs = serviceUs;
      node.stats.queueWaitUsSum += this.nowValue - item.arrivedAt;
    }
    const preemptive = spec.model === 'process-per-client' && spec.quantumUs > 0;
    const sliceUs = preemptive && item.remainingUs > spec.quantumUs ? spec.quantumUs : item.remainingUs;
    const totalUs = overheadUs + sliceUs;
    if (totalUs === 0) return false;
    node.stats.busyUs += totalUs;
    slot.item = item;
    slot.sliceUs = sliceUs;
    pool.idle[slot.group] = (pool.idle[slot.group] as number) - 1;
    this.queue.push(this.nowValue + totalUs, K_WORKER_DONE, node.index, node.incarnation, w);
    return true;
  }

  /** Worker `w` ends a slice: its input is handled, or (preempted) goes back to its key's FIFO. */
  private workerDone(node: NodeRuntime, w: number): void {
    const pool = node.pool as PoolState;
    const slot = pool.workers[w] as PoolState['workers'][number];
    const item = slot.item as PoolItem;
    slot.item = null;
    pool.idle[slot.group] = (pool.idle[slot.group] as number) + 1;
    item.remainingUs -= slot.sliceUs;
    if (item.remainingUs > 0) {
      // Preempted at the end of its quantum: back to the head of its own FIFO, the key to the end.
      let fifo = pool.fifos.get(item.key);
      if (fifo === undefined) {
        fifo = [];
        pool.fifos.set(item.key, fifo);
      }
      fifo.unshift(item);
      item.readyAt = this.nowValue;
      pool.waiting++;
      pool.running.delete(item.key);
      (pool.ready[queueOf(pool, item.key)] as string[]).push(item.key);
      pool.preemptions++;
    } else this.endPooled(node, pool, item);
    this.dispatchPooled(node, pool);
  }

  /** The end of an input's service: the handler runs; its key goes to the end of its queue if it has more. */
  private endPooled(node: NodeRuntime, pool: PoolState, item: PoolItem): void {
    pool.running.delete(item.key);
    const fifo = pool.fifos.get(item.key);
    if (fifo !== undefined && fifo.length > 0) {
      (fifo[0] as PoolItem).readyAt = this.nowValue;
      (pool.ready[queueOf(pool, item.key)] as string[]).push(item.key);
    } else pool.fifos.delete(item.key);
    this.execute(node, item);
  }

  /** Runs the handler and applies its effects. */
  private execute(node: NodeRuntime, item: InboxItem): void {
    const step = node.behavior.handle(node.state, this.nowMsValue as SimTimeMs, item.input, node.ctx as NodeContext);
    node.state = step.state;
    node.stats.processed++;
    node.stats.sojournUsSum += this.nowValue - item.arrivedAt;
    const effects = step.effects;
    for (let i = 0; i < effects.length; i++) this.applyEffect(node, effects[i] as Effect, item.causeSeq);
  }

  private applyEffect(node: NodeRuntime, effect: Effect, causeSeq: number | null): void {
    switch (effect.type) {
      case 'send':
        if (effect.control === true && this.countControlOnly) {
          this.sendQuiet(node.index, this.nodeIndex(effect.to, node.id), effect.msg, effect.bytes ?? 0, causeSeq);
          return;
        }
        this.send(node.index, this.nodeIndex(effect.to, node.id), effect.msg, effect.bytes ?? 0, causeSeq);
        return;
      case 'setTimer': {
        // Rounded to the nearest µs, which also absorbs float noise in a node's `at - now`.
        const afterUs = Math.round(effect.afterMs * 1000);
        if (!Number.isSafeInteger(afterUs) || afterUs < 0) {
          throw new Error(`node "${node.id}" set timer "${effect.timerId}" with afterMs ${effect.afterMs}; it must be a non-negative finite number of ms`);
        }
        const token = ++node.timerToken;
        node.timers.set(effect.timerId, token);
        const ref: TimerRef = { timerId: effect.timerId, payload: effect.payload, token, incarnation: node.incarnation, causeSeq };
        this.queue.push(this.nowValue + afterUs, K_TIMER, node.index, 0, ref);
        return;
      }
      case 'cancelTimer':
        node.timers.delete(effect.timerId);
        return;
      case 'trace':
        // `fx.trace` pairs the type with its data; the union loses that pairing here.
        this.trace.record(this.nowMsValue, node.id, causeSeq, effect.event, effect.data as never);
        return;
    }
  }

  private nodeIndex(id: string, by: string): number {
    const i = this.index.get(id);
    if (i === undefined) throw new Error(`node "${by}" sent to unknown node "${id}"`);
    return i;
  }

  private send(from: number, to: number, msg: unknown, bytes: number, causeSeq: number | null): void {
    const fromId = this.nodeIds[from] as string;
    const toId = this.nodeIds[to] as string;
    const data: TraceEventData['net/messageSent'] = bytes > 0 ? { from: fromId, to: toId, msg, bytes } : { from: fromId, to: toId, msg };
    const sentSeq = this.trace.record(this.nowMsValue, fromId, causeSeq, 'net/messageSent', data);
    const d = this.network.route(from, to, this.nowValue, bytes);
    if (d.dropped !== null) {
      this.trace.record(this.nowMsValue, 'net', sentSeq, 'net/messageDropped', { from: fromId, to: toId, reason: d.dropped });
      return;
    }
    const env: Envelope = { from, to, msg, bytes, sentSeq, quiet: false };
    if (d.held) {
      this.network.link(from, to).heldMessages.push(env);
      this.trace.record(this.nowMsValue, 'net', sentSeq, 'net/messageHeld', { from: fromId, to: toId });
      return;
    }
    const dupAt = d.duplicateAt;
    this.queue.push(d.deliverAt, K_DELIVER, to, 0, env);
    if (dupAt >= 0) {
      this.trace.record(this.nowMsValue, 'net', sentSeq, 'net/messageDuplicated', { from: fromId, to: toId });
      this.queue.push(dupAt, K_DELIVER, to, 0, env);
    }
  }

  /**
   * A control message while control traffic is only counted: it crosses the same network and
   * CPU models, but only its losses are recorded. Counted per link in `controlTraffic`.
   */
  private sendQuiet(from: number, to: number, msg: unknown, bytes: number, causeSeq: number | null): void {
    const link = from * this.nodes.length + to;
    const tally = this.controlTraffic.get(link);
    if (tally === undefined) this.controlTraffic.set(link, [1, bytes]);
    else {
      tally[0]++;
      tally[1] += bytes;
    }
    const d = this.network.route(from, to, this.nowValue, bytes);
    if (d.dropped !== null) {
      this.trace.record(this.nowMsValue, 'net', causeSeq, 'net/messageDropped', { from: this.nodeIds[from] as string, to: this.nodeIds[to] as string, reason: d.dropped });
      return;
    }
    const env: Envelope = { from, to, msg, bytes, sentSeq: causeSeq ?? -1, quiet: true };
    if (d.held) {
      this.network.link(from, to).heldMessages.push(env);
      return;
    }
    this.queue.push(d.deliverAt, K_DELIVER, to, 0, env);
    if (d.duplicateAt >= 0) this.queue.push(d.duplicateAt, K_DELIVER, to, 0, env);
  }

  /** Control messages sent by each node while control traffic is only counted (by node id). */
  controlMessageCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.controlTrafficByLink()) out[t.from] = (out[t.from] ?? 0) + t.messages;
    return out;
  }

  /**
   * Control messages and their bytes sent while control traffic is only counted, by link, in
   * (from, to) order of the nodes' indices; empty when control traffic is traced. The run's
   * report adds them to its keep-alive figures, since no `net/messageSent` records them.
   */
  controlTrafficByLink(): { readonly from: string; readonly to: string; readonly messages: number; readonly bytes: number }[] {
    const n = this.nodes.length;
    return [...this.controlTraffic.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([link, [messages, bytes]]) => ({ from: this.nodeIds[Math.floor(link / n)] as string, to: this.nodeIds[link % n] as string, messages, bytes }));
  }

  // ----------------------------------------------------------------------------------------------
  // Operator verbs

  /**
   * Schedules an operator verb at `atMs` (not before now). Verbs at the same time apply in the
   * order they were scheduled, before any event at that time.
   */
  schedule(atMs: number, op: Op): void {
    const atUs = Math.round(atMs * 1000);
    if (!Number.isSafeInteger(atUs) || atUs < this.nowValue) {
      throw new RangeError(`an operator verb must be scheduled at a time ≥ now (${this.nowMsValue} ms), got ${atMs}`);
    }
    this.validateOp(op);
    const pending: PendingOp = { at: usToMs(atUs), atUs, op, order: this.opCounter++ };
    // Keep the list sorted by (at, order); it is short, so insertion is cheap.
    let i = this.ops.length;
    while (i > 0 && (this.ops[i - 1] as PendingOp).atUs > atUs) i--;
    this.ops.splice(i, 0, pending);
  }

  /**
   * Applies a verb as soon as possible: at the current time if nothing at the current time has
   * run yet, else 1 µs later. Returns the time (ms) it will apply at.
   */
  operate(op: Op): number {
    const at = this.earliestOpTime();
    this.schedule(at, op);
    return at;
  }

  /** The earliest time (ms) a verb issued now can apply: now, unless something at now already ran. */
  private earliestOpTime(): number {
    return this.ranAtNow ? usToMs(this.nowValue + 1) : this.nowMsValue;
  }

  /**
   * Applies a verb now rather than when the run next moves: it is scheduled at `atMs` (or, if
   * that is not possible any more, as soon as possible, as {@link operate} does), the run goes to
   * that time (events strictly before it), and the verbs due then are applied in order up to and
   * including this one. The trace is the same as if the verb had been scheduled and the run had
   * moved on: verbs at a time apply before its events. Returns when it applied and the seq of its
   * `op/*` event.
   *
   * @example
   * sim.runUntil(5_000);
   * sim.applyOp({ verb: 'crash', node: 'ws-2' }); // { at: 5000, seq: 4412 }
   */
  applyOp(op: Op, atMs = this.nowMsValue): { readonly at: number; readonly seq: number } {
    const requested = usToMs(msToUs(atMs, `${op.verb}: at`));
    const at = Math.max(requested, this.earliestOpTime());
    this.schedule(at, op);
    const mine = this.opCounter - 1;
    this.runUntil(at);
    for (;;) {
      const next = this.ops[0];
      if (next === undefined) throw new Error('a scheduled verb vanished before it applied');
      const seq = this.applyNextOp();
      if (next.order === mine) return { at, seq };
    }
  }

  private validateOp(op: Op): void {
    const check = (id: string | undefined, field: string): void => {
      if (id !== undefined && !this.index.has(id)) {
        throw new Error(`${op.verb}: ${field} names unknown node "${id}"; nodes are: ${this.nodeIds.join(', ')}`);
      }
    };
    switch (op.verb) {
      case 'partition':
      case 'heal':
        for (const id of op.a ?? []) check(id, 'a');
        for (const id of op.b ?? []) check(id, 'b');
        return;
      case 'crash':
      case 'restart':
      case 'inject': {
        check(op.node, 'node');
        if (op.verb !== 'inject') return;
        check(op.from, 'from');
        if (depthOver(op.msg, INJECT_DEPTH_MAX)) throw new Error(`inject: msg is nested more than ${INJECT_DEPTH_MAX} levels deep`);
        const problem = this.config.checkInject?.(op.msg, op.from, op.node) ?? null;
        if (problem !== null) throw new Error(`inject: ${problem}`);
        return;
      }
      case 'addServer':
      case 'removeServer': {
        const pool = this.config.scaling?.pool ?? [];
        if (pool.length === 0) throw new Error(`${op.verb}: this topology has no pool of servers to scale`);
        if (op.node !== undefined && !pool.includes(op.node)) throw new Error(`${op.verb}: node "${op.node}" is not in the server pool; the pool is: ${pool.join(', ')}`);
        if (op.verb === 'removeServer' && op.graceMs !== undefined && !(Number.isSafeInteger(Math.round(op.graceMs * 1000)) && op.graceMs >= 0)) {
          throw new Error(`removeServer: graceMs must be a non-negative finite number, got ${op.graceMs}`);
        }
        return;
      }
      case 'slow':
        check(op.node, 'node');
        if (!(op.factor > 0 && Number.isFinite(op.factor))) throw new Error(`slow: factor must be a positive number, got ${op.factor}`);
        return;
      default:
        check(op.from, 'from');
        check(op.to, 'to');
        if (op.verb === 'delay' && !(Number.isSafeInteger(Math.round(op.extraMs * 1000)) && op.extraMs >= 0)) {
          throw new Error(`delay: extraMs must be a non-negative finite number, got ${op.extraMs}`);
        }
        if (op.verb === 'clog' && !(Number.isSafeInteger(Math.round(op.durationMs * 1000)) && op.durationMs >= 0)) {
          throw new Error(`clog: durationMs must be a non-negative finite number, got ${op.durationMs}`);
        }
    }
  }

  /** Applies the next scheduled verb and returns the seq of its `op/*` event. */
  private applyNextOp(): number {
    const { at, atUs, op } = this.ops.shift() as PendingOp;
    this.setNow(atUs);
    // OP_EVENT pairs each verb with its event type; the union of verbs loses that pairing here.
    const seq = this.trace.record(at, 'operator', null, OP_EVENT[op.verb], { op } as never);
    const idx = (id: string): number => this.index.get(id) as number;
    const links = (o: { readonly from: string; readonly to: string; readonly twoWay?: boolean | undefined }): [number, number][] =>
      o.twoWay === true ? [[idx(o.from), idx(o.to)], [idx(o.to), idx(o.from)]] : [[idx(o.from), idx(o.to)]];
    switch (op.verb) {
      case 'partition':
        for (const a of op.a) {
          for (const b of op.b) {
            this.network.block(idx(a), idx(b));
            if (op.oneWay !== true) this.network.block(idx(b), idx(a));
          }
        }
        return seq;
      case 'heal':
        if (op.a === undefined && op.b === undefined) this.network.unblockAll();
        else {
          for (const a of op.a ?? this.nodeIds) {
            for (const b of op.b ?? this.nodeIds) {
              this.network.unblock(idx(a), idx(b));
              this.network.unblock(idx(b), idx(a));
            }
          }
        }
        return seq;
      case 'crash':
        this.crash(this.runtime(op.node));
        return seq;
      case 'restart':
        this.restart(this.runtime(op.node), seq);
        return seq;
      case 'slow':
        this.runtime(op.node).slowFactor = op.factor;
        return seq;
      case 'delay':
        for (const [f, t] of links(op)) this.network.link(f, t).extraDelayUs = Math.round(op.extraMs * 1000);
        return seq;
      case 'drop':
        for (const [f, t] of links(op)) this.network.link(f, t).lossOverride = op.ratio;
        return seq;
      case 'duplicate':
        for (const [f, t] of links(op)) this.network.link(f, t).duplicateOverride = op.ratio;
        return seq;
      case 'hold':
        for (const [f, t] of links(op)) this.network.link(f, t).held = true;
        return seq;
      case 'release':
        for (const [f, t] of links(op)) {
          const link = this.network.link(f, t);
          link.held = false;
          const held = link.heldMessages as Envelope[];
          link.heldMessages = [];
          for (const env of held) this.queue.push(this.network.deliveryTime(link, atUs, env.bytes), K_DELIVER, env.to, 0, env);
        }
        return seq;
      case 'clog':
        for (const [f, t] of links(op)) this.network.link(f, t).clogUntilUs = atUs + Math.round(op.durationMs * 1000);
        return seq;
      case 'inject': {
        const node = this.runtime(op.node);
        if (!node.up) {
          this.trace.record(at, 'net', seq, 'net/messageDropped', { from: op.from ?? 'operator', to: node.id, reason: 'nodeDown' });
          return seq;
        }
        this.arrive(node, { type: 'message', from: op.from ?? 'operator', msg: op.msg }, seq);
        return seq;
      }
      case 'addServer':
        this.addServer(op.node, seq);
        return seq;
      case 'removeServer':
        this.removeServer(op.node, op.graceMs ?? DRAIN_GRACE_MS_DEFAULT, seq);
        return seq;
    }
  }

  /** Boots a spare of the pool (the named one, or the first spare) and tells whoever must know. */
  private addServer(named: string | undefined, causeSeq: number): void {
    const pool = this.config.scaling?.pool ?? [];
    const id = named ?? pool.find((p) => this.runtime(p).service === 'spare');
    if (id === undefined || this.runtime(id).service !== 'spare') {
      const reason = id === undefined ? 'noSpareServer' : 'notSpare';
      this.trace.record(this.nowMsValue, 'operator', causeSeq, 'node/scaleRefused', { verb: 'addServer', node: id ?? null, reason });
      return;
    }
    const node = this.runtime(id);
    node.service = 'serving';
    node.up = true;
    // A fresh boot; a server that served before keeps what it keeps durably (as after a restart).
    node.state = node.behavior.init(node.config, node.ctx, node.durable);
    const seq = this.trace.record(this.nowMsValue, node.id, causeSeq, 'node/started', { kind: node.behavior.kind, restart: false });
    this.arrive(node, { type: 'started', restart: false }, seq);
    this.notify('added', id, causeSeq);
  }

  /** Starts draining a serving pool node; it stops `graceMs` later. */
  private removeServer(id: string, graceMs: number, causeSeq: number): void {
    const node = this.runtime(id);
    if (node.service !== 'serving') {
      this.trace.record(this.nowMsValue, 'operator', causeSeq, 'node/scaleRefused', { verb: 'removeServer', node: id, reason: 'notServing' });
      return;
    }
    node.service = 'draining';
    this.notify('draining', id, causeSeq);
    this.queue.push(this.nowValue + Math.round(graceMs * 1000), K_STOP, node.index, 0, null);
  }

  /** The end of a drained node's grace period: it stops, whatever it still held, and is a spare again. */
  private stop(node: NodeRuntime): void {
    if (node.service !== 'draining') return;
    this.crash(node);
    node.service = 'spare';
    const seq = this.trace.record(this.nowMsValue, node.id, null, 'node/stopped', { kind: node.behavior.kind, reason: 'drained' });
    this.notify('stopped', node.id, seq);
  }

  /** Hands the orchestrator's notices about `id` to their nodes (a node that is down misses its notice). */
  private notify(event: 'added' | 'draining' | 'stopped', id: string, causeSeq: number): void {
    for (const n of this.config.scaling?.notices(event, id) ?? []) {
      const target = this.runtime(n.to);
      if (!target.up) {
        this.trace.record(this.nowMsValue, 'net', causeSeq, 'net/messageDropped', { from: 'operator', to: target.id, reason: 'nodeDown' });
        continue;
      }
      this.arrive(target, { type: 'message', from: 'operator', msg: n.msg }, causeSeq);
    }
  }

  private crash(node: NodeRuntime): void {
    if (!node.up) return;
    node.durable = node.behavior.durable?.(node.state);
    node.up = false;
    node.incarnation++;
    node.state = undefined;
    node.busy = false;
    node.inbox = [];
    node.timers.clear();
    // In-flight and queued work is lost; the figures so far are kept.
    if (node.pool !== null) node.pool = createPool(node.pool.spec, node.pool);
  }

  private restart(node: NodeRuntime, causeSeq: number): void {
    // A spare is not provisioned: there is nothing to restart until `addServer` boots it.
    if (node.up || node.service === 'spare') return;
    node.up = true;
    node.state = node.behavior.init(node.config, node.ctx, node.durable);
    const seq = this.trace.record(this.nowMsValue, node.id, causeSeq, 'node/started', { kind: node.behavior.kind, restart: true });
    this.arrive(node, { type: 'started', restart: true }, seq);
  }

  // ----------------------------------------------------------------------------------------------
  // Reports and snapshots

  /** Per-node figures derived from the CPU statistics. */
  report(): Record<string, NodeReport> {
    const out: Record<string, NodeReport> = {};
    const elapsed = this.nowValue;
    for (const n of this.nodes) {
      const s = n.stats;
      out[n.id] = {
        kind: n.behavior.kind,
        up: n.up,
        processed: s.processed,
        dropped: s.dropped,
        queueWaitMsMean: s.processed > 0 ? s.queueWaitUsSum / s.processed / 1000 : 0,
        sojournMsMean: s.processed > 0 ? s.sojournUsSum / s.processed / 1000 : 0,
        utilization: elapsed > 0 ? Math.min(1, s.busyUs / elapsed) : 0,
        queueDepthMax: s.queueDepthMax,
        queueDepth: n.inbox.length,
      };
      if (n.pool !== null) {
        const r = out[n.id] as NodeReport;
        r.utilization = elapsed > 0 ? Math.min(1, s.busyUs / (elapsed * n.pool.spec.workers)) : 0;
        r.queueDepth = n.pool.waiting;
        r.workers = poolFigures(n.pool);
      }
    }
    return out;
  }

  /** A deep, structured-cloneable copy of the whole state (not the stored trace events). */
  snapshot(): SimSnapshot {
    const snap: SimSnapshot = {
      version: 2,
      seed: this.seed,
      nowUs: this.nowValue,
      nowMs: this.nowMsValue,
      ranAtNow: this.ranAtNow,
      queue: this.queue.export(),
      nodes: this.nodes.map((n) => ({
        state: n.state,
        durable: n.durable,
        up: n.up,
        incarnation: n.incarnation,
        busy: n.busy,
        inbox: n.inbox,
        timers: [...n.timers],
        timerToken: n.timerToken,
        slowFactor: n.slowFactor,
        stats: n.stats,
        service: n.service,
        rng: n.ctx.rng.state(),
        cpuRng: n.cpuRng.state(),
        pool: n.pool,
      })),
      network: this.network.export(),
      ops: this.ops.map(({ at, op }) => ({ at, op })),
      opCounter: this.opCounter,
      trace: this.trace.cursor(),
      controlTraffic: this.controlTraffic,
    };
    // One structuredClone call keeps shared references shared (an input in both the queue and an
    // inbox stays one object) while cutting every tie to the live run.
    return structuredClone(snap);
  }

  /**
   * Replaces this simulation's state with a snapshot taken from a simulation built from the same
   * config. The trace continues numbering and hashing from the snapshot; stored events restart
   * empty at that point.
   */
  restore(snapshot: SimSnapshot): void {
    if (snapshot.version !== 2) throw new Error(`unsupported snapshot version ${String(snapshot.version)}`);
    if (snapshot.seed !== this.seed) throw new Error(`snapshot seed ${snapshot.seed} does not match this run's seed ${this.seed}`);
    if (snapshot.nodes.length !== this.nodes.length) throw new Error('snapshot is from a different topology');
    const snap = structuredClone(snapshot);
    this.nowValue = snap.nowUs;
    this.nowMsValue = usToMs(snap.nowUs);
    this.ranAtNow = snap.ranAtNow;
    this.queue = EventQueue.restore(snap.queue, this.queueOptions);
    snap.nodes.forEach((s, i) => {
      const n = this.nodes[i] as NodeRuntime;
      n.state = s.state;
      n.durable = s.durable;
      n.up = s.up;
      n.incarnation = s.incarnation;
      n.busy = s.busy;
      n.inbox = s.inbox;
      n.timers = new Map(s.timers);
      n.timerToken = s.timerToken;
      n.slowFactor = s.slowFactor;
      n.stats = s.stats;
      n.service = s.service;
      n.ctx.rng = Prng.fromState(s.rng);
      n.cpuRng = Prng.fromState(s.cpuRng);
      n.pool = s.pool;
    });
    this.network.import(snap.network);
    this.ops = [];
    this.opCounter = 0;
    for (const o of snap.ops) this.ops.push({ at: o.at, atUs: Math.round(o.at * 1000), op: o.op, order: this.opCounter++ });
    this.opCounter = snap.opCounter;
    this.trace.resume(snap.trace);
    this.controlTraffic = snap.controlTraffic;
  }
}
