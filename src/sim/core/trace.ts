/**
 * The trace: every observable happening in a run, as plain serializable events named
 * `domain/eventName` in the past tense. Diagrams, metrics, checkers and lab goals are all computed
 * from it, so it is the product. It is bounded: past `maxEvents` the store stops keeping events and
 * says so (`truncated`), but the hash and the count still cover every event.
 */

import type { TraceEvent, TraceEventData, TraceEventType } from '../contract/index.ts';

/** Serializable counters of a {@link TraceLog}, part of a simulation snapshot. */
export interface TraceCursor {
  nextSeq: number;
  hashA: number;
  hashB: number;
}

/** Receives every event as it is recorded (checkers online, the UI slice buffer). */
export type TraceListener = (event: TraceEvent) => void;

/**
 * Incremental 64-bit hash of text: two independent 32-bit FNV-1a style lanes with different
 * primes and seeds, finished with murmur's mixer. Stable across engines (integer math only).
 */
export function hashText(text: string, a: number, b: number): [number, number] {
  lanes.a = a;
  lanes.b = b;
  mixString(text);
  return [lanes.a >>> 0, lanes.b >>> 0];
}

/** The two hash lanes, module state so that hashing a value allocates nothing. */
const lanes = { a: 0, b: 0 };

function mixWord(w: number): void {
  lanes.a = Math.imul(lanes.a ^ w, 0x01000193);
  let b = Math.imul(lanes.b ^ w, 0x5bd1e995);
  b ^= b >>> 15;
  lanes.b = b;
}

function mixString(text: string): void {
  const n = text.length;
  mixWord(n | 0x40000000);
  // Two UTF-16 code units per 32-bit word: half the mixing steps, the same information (the
  // length is mixed first, so an odd tail cannot collide with a longer string).
  let i = 0;
  for (; i + 1 < n; i += 2) mixWord(text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  if (i < n) mixWord(text.charCodeAt(i));
}

/**
 * Feeds a plain value into the lanes, walking it structurally (type tags, lengths, object keys in
 * their insertion order) instead of serializing it first: the same information as its JSON text
 * at a fraction of the cost. Numbers that are not 31-bit integers are hashed by their ECMAScript
 * string form, which the language specifies exactly.
 */
function mixValue(v: unknown): void {
  switch (typeof v) {
    case 'number':
      if ((v | 0) === v && v >= -0x40000000 && v < 0x40000000) {
        mixWord(1);
        mixWord(v);
      } else {
        mixWord(2);
        mixString(String(v));
      }
      return;
    case 'string':
      mixWord(3);
      mixString(v);
      return;
    case 'boolean':
      mixWord(v ? 4 : 5);
      return;
    case 'undefined':
      mixWord(6);
      return;
    case 'object': {
      if (v === null) {
        mixWord(7);
        return;
      }
      if (Array.isArray(v)) {
        mixWord(8);
        mixWord(v.length);
        for (let i = 0; i < v.length; i++) mixValue(v[i]);
        return;
      }
      mixWord(9);
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
        mixString(k);
        mixValue(o[k]);
      }
      mixWord(10);
      return;
    }
    default:
      // Functions, symbols and bigints are not trace data.
      throw new TypeError(`trace data must be plain data, got a ${typeof v}`);
  }
}

/** Hashes one event into the lanes `a`, `b` and returns the new lanes. */
export function hashEvent(e: TraceEvent, a: number, b: number): [number, number] {
  mixEvent(e, a, b);
  return [lanes.a >>> 0, lanes.b >>> 0];
}

function mixEvent(e: TraceEvent, a: number, b: number): void {
  lanes.a = a;
  lanes.b = b;
  mixWord(e.seq);
  mixAt(e.at);
  mixString(e.node);
  mixWord(e.causeSeq === null ? -1 : e.causeSeq);
  mixString(e.type);
  mixValue(e.data);
}

/**
 * Mixes an event's time, a whole number of µs in ms (ADR 0010): the whole ms as one word, as
 * integer-ms traces always were (so their hashes did not move), then, only when there is one,
 * the µs remainder tagged with 0x20000000 (no node-id length word, which comes next and carries
 * 0x40000000, can look like it). Integer arithmetic on the exact µs, so Node and Chromium agree.
 */
function mixAt(at: number): void {
  const us = Math.round(at * 1000);
  const rem = us % 1000;
  mixWord((us - rem) / 1000);
  if (rem !== 0) mixWord(0x20000000 | rem);
}

const HASH_SEED_A = 0x811c9dc5;
const HASH_SEED_B = 0x9747b28c;

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/** Canonical text of an event for hashing and JSON-lines export (key order is fixed). */
export function eventLine(e: TraceEvent): string {
  return JSON.stringify({ seq: e.seq, at: e.at, node: e.node, causeSeq: e.causeSeq, type: e.type, data: e.data });
}

/** Options for {@link TraceLog}. */
export interface TraceLogOptions {
  /** Events kept in memory; later events are hashed and counted but not stored. Default 200,000. */
  maxEvents?: number;
  /**
   * Whether keep-alive messages (sends marked `control`) are recorded as `net/*` events like any
   * other ('traced', the default) or only counted ('counted'): a run with a million users
   * heartbeating would otherwise spend most of its time recording pings.
   */
  control?: 'traced' | 'counted';
}

/**
 * The bounded, hashed event log of one run.
 *
 * @example
 * const log = new TraceLog({ maxEvents: 10 });
 * log.record(0, 'ws-1', null, 'ws/connectionOpened', { user: 'u1', connections: 1 });
 * log.hash();  // 16 hex digits, the same in Node and in the browser
 */
export class TraceLog {
  readonly maxEvents: number;
  private readonly stored: TraceEvent[] = [];
  private nextSeqValue = 0;
  private hashA = HASH_SEED_A;
  private hashB = HASH_SEED_B;
  private readonly listeners: TraceListener[] = [];
  private firstStoredSeq = 0;

  constructor(options: TraceLogOptions = {}) {
    const max = options.maxEvents ?? 200_000;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`maxEvents must be a non-negative integer, got ${max}`);
    this.maxEvents = max;
  }

  /** Records an event of the vocabulary and returns its seq. */
  record<T extends TraceEventType>(at: number, node: string, causeSeq: number | null, type: T, data: TraceEventData[T]): number {
    const seq = this.nextSeqValue++;
    // The compiler cannot see that a (type, data) pair of the same T is one member of the union.
    const event = { seq, at, node, causeSeq, type, data } as TraceEvent;
    mixEvent(event, this.hashA, this.hashB);
    this.hashA = lanes.a >>> 0;
    this.hashB = lanes.b >>> 0;
    if (this.stored.length < this.maxEvents) this.stored.push(event);
    for (let i = 0; i < this.listeners.length; i++) (this.listeners[i] as TraceListener)(event);
    return seq;
  }

  /** Subscribes to every future event; returns an unsubscribe function. */
  subscribe(listener: TraceListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The stored events, oldest first (read-only view; do not mutate). */
  get events(): readonly TraceEvent[] {
    return this.stored;
  }

  /** Events recorded since the run began, stored or not. */
  get count(): number {
    return this.nextSeqValue;
  }

  /** True when some recorded events were not stored. */
  get truncated(): boolean {
    return this.firstStoredSeq + this.stored.length < this.nextSeqValue;
  }

  /** The seq of the first stored event (after a restore, storage starts at the restore point). */
  get firstSeq(): number {
    return this.firstStoredSeq;
  }

  /** Stable hex hash of every event recorded so far. */
  hash(): string {
    return hex8(this.hashA) + hex8(this.hashB);
  }

  /** Counters for a snapshot. */
  cursor(): TraceCursor {
    return { nextSeq: this.nextSeqValue, hashA: this.hashA, hashB: this.hashB };
  }

  /** Continues numbering and hashing from a snapshot's cursor; stored events start empty. */
  resume(cursor: TraceCursor): void {
    this.stored.length = 0;
    this.nextSeqValue = cursor.nextSeq;
    this.firstStoredSeq = cursor.nextSeq;
    this.hashA = cursor.hashA;
    this.hashB = cursor.hashB;
  }

  /** The stored events with seq ≥ `fromSeq`. */
  since(fromSeq: number): readonly TraceEvent[] {
    const start = Math.max(0, fromSeq - this.firstStoredSeq);
    return start === 0 ? this.stored.slice() : this.stored.slice(start);
  }

  /** The trace as JSON lines (one event per line), the CLI's `--trace` format. */
  toJsonLines(): string {
    let out = '';
    for (const e of this.stored) out += eventLine(e) + '\n';
    return out;
  }
}
