/**
 * What a Kafka-like broker's log holds at a moment, read from the trace: each partition's log
 * start and end offsets and the channels appended to it, and each consumer's (server's) committed
 * offset on the partitions it reads. The pub/sub view draws it (ADR 0024).
 *
 * Everything comes from the broker's own events:
 * - `broker/appended` (partition, offset, logStartOffset): the log end offset is the last offset
 *   appended + 1; retention's trimming shows in `logStartOffset`.
 * - `broker/subscribed` / `broker/unsubscribed` with topic `partition-N`: a consumer joins (at the
 *   log end, where the broker starts a new consumer) or leaves partition N.
 * - `broker/consumerLagged` (server, partition, lag): recorded after each commit, with the lag the
 *   broker computed from its log end and the committed offset, so the committed offset is the
 *   log end at that event minus the lag — exactly, since every append before it was traced before it.
 *
 * The lag shown at a moment is log end − committed offset at that moment (Kafka's definition), so it
 * grows while a consumer is down and records keep arriving, and shrinks as it reads and commits.
 */
import type { TraceEvent } from '../sim/index.ts';
import { compareIds } from './roles.ts';

/** Kafka-like: one consumer's position on a partition. */
export interface PartitionConsumer {
  readonly server: string;
  readonly partition: number;
  /** The next offset it will read: where its last commit left it, or the log end when it joined. */
  readonly committedOffset: number;
  /** The partition's log end offset at the same moment. */
  readonly logEndOffset: number;
  /** Log end offset − committed offset: records appended that it has not committed (≥ 0). */
  readonly lag: number;
}

/** Kafka-like: one partition of the log. */
export interface PartitionLog {
  readonly partition: number;
  /** The offset the next record will get (0 for an empty partition). */
  readonly logEndOffset: number;
  /** The oldest offset still held (retention trims the log from the start). */
  readonly logStartOffset: number;
  /** Records the partition holds: logEndOffset − logStartOffset. */
  readonly records: number;
  /** The channels appended to it, in the order of their first record. */
  readonly topics: readonly string[];
  /** Its consumers, by server id. */
  readonly consumers: readonly PartitionConsumer[];
}

const PARTITION_TOPIC = /^partition-(\d+)$/;

/**
 * The partition a Kafka-like subscription names (`partition-3` → 3), or null for any other topic.
 *
 * @example
 * partitionOfSubscription('partition-3'); // 3
 * partitionOfSubscription('g1');          // null
 */
export function partitionOfSubscription(topic: string): number | null {
  const m = PARTITION_TOPIC.exec(topic);
  return m === null ? null : Number(m[1]);
}

/**
 * The log and its consumers, kept event by event (constant time per event).
 *
 * @example
 * const logs = new PartitionLogs();
 * for (const e of events) logs.observe(e);
 * logs.log(5).logEndOffset;          // 100
 * logs.consumersOf('ws-2')[0]?.lag;  // 0
 */
export class PartitionLogs {
  private readonly logs = new Map<number, { end: number; start: number; topics: string[] }>();
  /** server → partition → committed offset. */
  private readonly committed = new Map<string, Map<number, number>>();

  /** Takes the next event (any type; only the broker's log events change anything). */
  observe(e: TraceEvent): void {
    switch (e.type) {
      case 'broker/appended': {
        const log = this.logs.get(e.data.partition) ?? { end: 0, start: 0, topics: [] };
        log.end = Math.max(log.end, e.data.offset + 1);
        log.start = Math.max(log.start, e.data.logStartOffset ?? 0);
        if (!log.topics.includes(e.data.topic)) log.topics.push(e.data.topic);
        this.logs.set(e.data.partition, log);
        return;
      }
      case 'broker/subscribed': {
        const p = partitionOfSubscription(e.data.topic);
        if (p === null) return;
        const parts = this.committed.get(e.data.server) ?? new Map<number, number>();
        // The broker starts a new consumer at the end of the log: it wants what comes from now on.
        parts.set(p, this.endOf(p));
        this.committed.set(e.data.server, parts);
        return;
      }
      case 'broker/unsubscribed': {
        const p = partitionOfSubscription(e.data.topic);
        if (p !== null) this.committed.get(e.data.server)?.delete(p);
        return;
      }
      case 'broker/consumerLagged': {
        const parts = this.committed.get(e.data.server) ?? new Map<number, number>();
        parts.set(e.data.partition, this.endOf(e.data.partition) - e.data.lag);
        this.committed.set(e.data.server, parts);
        return;
      }
      default:
        return;
    }
  }

  private endOf(p: number): number {
    return this.logs.get(p)?.end ?? 0;
  }

  /** Every partition that has records or consumers, in order. */
  partitions(): number[] {
    const ps = new Set(this.logs.keys());
    for (const parts of this.committed.values()) for (const p of parts.keys()) ps.add(p);
    return [...ps].sort((a, b) => a - b);
  }

  /** One partition (empty when nothing was appended to it). */
  log(p: number): PartitionLog {
    const log = this.logs.get(p);
    const end = log?.end ?? 0;
    const start = Math.min(end, log?.start ?? 0);
    const consumers: PartitionConsumer[] = [];
    for (const [server, parts] of this.committed) {
      const c = parts.get(p);
      if (c !== undefined) consumers.push(consumer(server, p, c, end));
    }
    consumers.sort((a, b) => compareIds(a.server, b.server));
    return { partition: p, logEndOffset: end, logStartOffset: start, records: end - start, topics: [...(log?.topics ?? [])], consumers };
  }

  /** The partitions a server reads, in order, with its position on each. */
  consumersOf(server: string): PartitionConsumer[] {
    const parts = this.committed.get(server);
    if (parts === undefined) return [];
    return [...parts.entries()].sort(([a], [b]) => a - b).map(([p, c]) => consumer(server, p, c, this.endOf(p)));
  }

  /** The partition a channel's records were appended to, or null if none was yet. */
  partitionOfTopic(topic: string): number | null {
    for (const [p, log] of this.logs) if (log.topics.includes(topic)) return p;
    return null;
  }
}

function consumer(server: string, partition: number, committedOffset: number, logEndOffset: number): PartitionConsumer {
  return { server, partition, committedOffset, logEndOffset, lag: logEndOffset - committedOffset };
}
