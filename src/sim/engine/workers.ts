/**
 * The state and figures of a CPU with several workers (ADR 0016), as plain data the simulator
 * snapshots with the node. The simulator (simulation.ts) moves inputs through it; this file holds
 * what needs no access to the queue or the handlers: the shape, the checks, the wait histogram.
 */
import type { WorkerFigures } from '../contract/index.ts';
import type { NodeInput, WorkerPool } from '../core/node.ts';

export type { WorkerFigures };

/** An input at a CPU with workers: its work key and, once started, the service it still needs. */
export interface PoolItem {
  input: NodeInput;
  /** µs. */
  arrivedAt: number;
  causeSeq: number | null;
  key: string;
  /** µs of service left; −1 until its first slice starts (the service time is drawn then). */
  remainingUs: number;
  /** µs: when its key last became ready (at the head of its FIFO, on a queue, with no worker). */
  readyAt: number;
}

/** One worker (a core, for `process-per-client`). */
export interface WorkerSlot {
  /** The input being served, or null when idle. */
  item: PoolItem | null;
  /** µs of service in the current slice (besides the switch and contention costs). */
  sliceUs: number;
  /** The key served last (null before the first): serving another costs a switch. */
  lastKey: string | null;
  /** The queue of keys this worker takes from. */
  group: number;
}

/** Buckets of the wait histogram: exact below 16 µs, then 8 per power of two up to 2^32 µs. */
const WAIT_BUCKETS = 16 + 28 * 8;

export interface PoolState {
  readonly spec: WorkerPool;
  /** Each key's inputs not on a worker, oldest first (a key is absent when it has none and is not served). */
  fifos: Map<string, PoolItem[]>;
  /** Keys on a worker now. */
  running: Set<string>;
  /** Per queue: the keys with inputs waiting and no worker, in the order they will be taken. */
  ready: string[][];
  /** Per queue: its idle workers. */
  idle: number[];
  workers: WorkerSlot[];
  /** Inputs waiting (not on a worker), against the CPU's queue capacity. */
  waiting: number;
  /** µs spent switching between keys, and how many switches. */
  switchUsSum: number;
  switches: number;
  /** µs spent contending for shared queues. */
  contentionUsSum: number;
  /** Time slices that ended with their input unfinished (`process-per-client`). */
  preemptions: number;
  /**
   * Waits of a ready client for a worker (from the moment its key, with work, was on a queue and
   * on no worker, to a worker taking it), µs: a histogram ({@link WAIT_BUCKETS}) and the largest.
   * Unlike the queue wait, it leaves out an input's wait behind its own client's earlier ones.
   */
  waitHist: number[];
  waitMaxUs: number;
}

export const WORKERS_MAX = 1024;
export const QUEUES_MAX = 1024;
/** The largest switch, contention or quantum figure, µs (1 s). */
export const WORKER_COST_US_MAX = 1_000_000;

/** A sentence naming what is wrong with a worker pool, or null. */
export function poolProblem(p: WorkerPool): string | null {
  const whole = (v: number, min: number, max: number): boolean => Number.isSafeInteger(v) && v >= min && v <= max;
  if (!whole(p.workers, 1, WORKERS_MAX)) return `workers must be an integer in [1, ${WORKERS_MAX}], got ${p.workers}`;
  if (!whole(p.queues, 1, Math.min(QUEUES_MAX, p.workers))) return `queues must be an integer in [1, workers = ${p.workers}], got ${p.queues}`;
  if (p.model !== 'queue-per-group' && p.queues !== 1) return `queues must be 1 for model ${p.model}, got ${p.queues}`;
  for (const f of ['switchUs', 'contentionUs', 'quantumUs'] as const) {
    if (!whole(p[f], 0, WORKER_COST_US_MAX)) return `${f} must be an integer in [0, ${WORKER_COST_US_MAX}] µs, got ${p[f]}`;
  }
  return null;
}

/** A fresh pool (at boot, or after a crash, keeping the figures of `before`). */
export function createPool(spec: WorkerPool, before?: PoolState): PoolState {
  const queues = spec.model === 'queue-per-group' ? spec.queues : 1;
  const workers: WorkerSlot[] = [];
  const idle: number[] = Array.from({ length: queues }, () => 0);
  for (let w = 0; w < spec.workers; w++) {
    const group = w % queues;
    workers.push({ item: null, sliceUs: 0, lastKey: null, group });
    idle[group] = (idle[group] as number) + 1;
  }
  return {
    spec,
    fifos: new Map(),
    running: new Set(),
    ready: Array.from({ length: queues }, () => []),
    idle,
    workers,
    waiting: 0,
    switchUsSum: before?.switchUsSum ?? 0,
    switches: before?.switches ?? 0,
    contentionUsSum: before?.contentionUsSum ?? 0,
    preemptions: before?.preemptions ?? 0,
    waitHist: before?.waitHist ?? Array.from({ length: WAIT_BUCKETS }, () => 0),
    waitMaxUs: before?.waitMaxUs ?? 0,
  };
}

/** The queue of keys `key` belongs to: FNV-1a of the key modulo the queues (one queue: 0). */
export function queueOf(pool: PoolState, key: string): number {
  const n = pool.ready.length;
  if (n === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

function bucketOf(us: number): number {
  if (us < 16) return us;
  const v = us >= 2 ** 32 ? 2 ** 32 - 1 : us;
  const e = 31 - Math.clz32(v);
  return 16 + (e - 4) * 8 + ((v >>> (e - 3)) & 7);
}

/** The largest µs a bucket holds. */
function bucketTop(b: number): number {
  if (b < 16) return b;
  const e = 4 + Math.floor((b - 16) / 8);
  const sub = (b - 16) % 8;
  return 2 ** e + (sub + 1) * 2 ** (e - 3) - 1;
}

/** Counts one wait of a ready client for a worker. */
export function recordWait(pool: PoolState, us: number): void {
  const b = bucketOf(us);
  pool.waitHist[b] = (pool.waitHist[b] as number) + 1;
  if (us > pool.waitMaxUs) pool.waitMaxUs = us;
}

/** The report's figures of a pool. */
export function poolFigures(pool: PoolState): WorkerFigures {
  let n = 0;
  for (const c of pool.waitHist) n += c;
  let p99Us = 0;
  const rank = Math.ceil(n * 0.99);
  for (let b = 0, seen = 0; b < pool.waitHist.length && n > 0; b++) {
    seen += pool.waitHist[b] as number;
    if (seen >= rank) {
      p99Us = Math.min(bucketTop(b), pool.waitMaxUs);
      break;
    }
  }
  return {
    model: pool.spec.model,
    workers: pool.spec.workers,
    switchMs: pool.switchUsSum / 1000,
    switches: pool.switches,
    contentionMs: pool.contentionUsSum / 1000,
    preemptions: pool.preemptions,
    workerWaitMsP99: p99Us / 1000,
    workerWaitMsMax: pool.waitMaxUs / 1000,
  };
}
