/**
 * The event queue: a timing wheel of integer time slots (the simulator's are microseconds) for
 * near events, with a binary heap for events beyond the wheel's horizon. Events pop in
 * (time, seq) order, where `seq` is a global insertion counter, so two events at the same time
 * always run in the order they were scheduled.
 *
 * Why this shape (docs/adr/0001-event-queue.md has the measurements, ADR 0010 the microseconds):
 * time is an integer, so one wheel slot holds exactly one time value and a FIFO list per slot
 * gives the seq order for free; no comparison is needed for near events. Far events (timeouts,
 * heartbeats) wait in the heap and move into the wheel, in (time, seq) order, the moment the
 * wheel's window reaches them — before anything can be scheduled directly into that slot, which
 * is what keeps the FIFO order exact.
 *
 * The default wheel has 2^17 one-microsecond slots (a 131 ms window: network hops and service
 * times land in it). An occupancy bitmap with one bit per slot, a summary with one bit per bitmap
 * word and a top level with one bit per summary word find the next occupied slot in a few word
 * reads however sparse the wheel is.
 * A slot's head and tail are meaningful only while its bit is set, so the slot arrays need no
 * initialisation (a fresh queue costs zeroed memory, not a fill).
 *
 * Storage is struct-of-arrays: per event a time, a seq, a kind, two int payload words and one
 * object reference, in typed arrays indexed by a slot id with a free list. Nothing is allocated
 * per event.
 */

/** One pending event, as exported by {@link EventQueue.export}. */
export interface QueuedEvent {
  time: number;
  seq: number;
  kind: number;
  a: number;
  b: number;
  ref: unknown;
}

/** Plain-data form of a queue, for snapshots. Events are in pop order. */
export interface QueueSnapshot {
  nextSeq: number;
  baseTime: number;
  events: QueuedEvent[];
}

const NIL = -1;

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

/** The default wheel: 2^17 slots, 131 ms of one-microsecond slots. */
export const DEFAULT_WHEEL_SLOTS = 1 << 17;

/** Options for {@link EventQueue}. */
export interface EventQueueOptions {
  /** Wheel slots, a power of two; the wheel covers this many consecutive time units. Default 2^17. */
  wheelSlots?: number;
  /** Initial event capacity; grows by doubling. Default 1024. */
  initialCapacity?: number;
}

/**
 * A priority queue of simulation events ordered by (time, insertion seq).
 *
 * @example
 * const q = new EventQueue();
 * q.push(10, 1, 0, 0, null);
 * q.push(5, 2, 0, 0, null);
 * q.pop();           // slot id of the event at 5
 * q.poppedTime;      // 5
 */
export class EventQueue {
  // Per-event storage (struct of arrays).
  private time: Float64Array;
  private seqs: Float64Array;
  private nextIdx: Int32Array;
  private kinds: Uint8Array;
  private payloadA: Int32Array;
  private payloadB: Int32Array;
  private refs: unknown[];
  private capacity: number;
  private freeHead = NIL;
  private used = 0;

  // The wheel.
  private readonly slots: number;
  private readonly mask: number;
  private readonly heads: Int32Array;
  private readonly tails: Int32Array;
  private readonly bitmap: Uint32Array;
  /** Bit w set iff bitmap word w is non-zero. */
  private readonly summary: Uint32Array;
  /** Bit s set iff summary word s is non-zero. */
  private readonly top: Uint32Array;
  private wheelCount = 0;
  /** Every event in the wheel has time in [baseTime, baseTime + slots). */
  private baseTime = 0;

  // The far heap: event ids ordered by (time, seq).
  private heap: Int32Array;
  private heapSize = 0;

  private seqCounter = 0;
  private live = 0;

  /** Fields of the most recently popped event (valid until the next push or pop). */
  poppedTime = 0;
  poppedSeq = 0;
  poppedKind = 0;
  poppedA = 0;
  poppedB = 0;
  poppedRef: unknown = null;

  constructor(options: EventQueueOptions = {}) {
    const slots = options.wheelSlots ?? DEFAULT_WHEEL_SLOTS;
    if (slots < 32 || (slots & (slots - 1)) !== 0) {
      throw new RangeError(`wheelSlots must be a power of two ≥ 32, got ${slots}`);
    }
    this.slots = slots;
    this.mask = slots - 1;
    this.heads = new Int32Array(slots);
    this.tails = new Int32Array(slots);
    this.bitmap = new Uint32Array(slots >>> 5);
    this.summary = new Uint32Array(Math.max(1, slots >>> 10));
    this.top = new Uint32Array(Math.max(1, slots >>> 15));
    const cap = Math.max(16, options.initialCapacity ?? 1024);
    this.capacity = cap;
    this.time = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.nextIdx = new Int32Array(cap);
    this.kinds = new Uint8Array(cap);
    this.payloadA = new Int32Array(cap);
    this.payloadB = new Int32Array(cap);
    this.refs = new Array<unknown>(cap).fill(null);
    this.heap = new Int32Array(cap);
  }

  /** Number of pending events. */
  get size(): number {
    return this.live;
  }

  /** The seq the next pushed event will get. */
  get nextSeq(): number {
    return this.seqCounter;
  }

  /** Events cannot be scheduled before this time (the time of the last pop). */
  get horizonStart(): number {
    return this.baseTime;
  }

  /** Approximate bytes held per pending-event slot (typed arrays plus one reference). */
  static readonly bytesPerSlot = 8 + 8 + 4 + 1 + 4 + 4 + 8 + 4;

  /**
   * Schedules an event and returns its seq. `time` must be an integer not earlier than the last
   * popped event's time.
   */
  push(time: number, kind: number, a: number, b: number, ref: unknown): number {
    return this.pushWithSeq(time, this.seqCounter++, kind, a, b, ref);
  }

  private pushWithSeq(time: number, seq: number, kind: number, a: number, b: number, ref: unknown): number {
    if (time < this.baseTime || time !== Math.floor(time)) {
      throw new RangeError(`cannot schedule at ${time}: times are integers ≥ ${this.baseTime}`);
    }
    let id = this.freeHead;
    if (id === NIL) {
      if (this.used === this.capacity) this.grow();
      id = this.used++;
    } else {
      this.freeHead = this.nextIdx[id] as number;
    }
    this.time[id] = time;
    this.seqs[id] = seq;
    this.kinds[id] = kind;
    this.payloadA[id] = a;
    this.payloadB[id] = b;
    this.refs[id] = ref;
    this.live++;
    if (time - this.baseTime < this.slots) this.wheelAppend(id, time);
    else this.heapPush(id);
    return seq;
  }

  /** The time of the next event, or `Infinity` when the queue is empty. Does not remove it. */
  peekTime(): number {
    if (this.wheelCount > 0) return this.baseTime + this.distanceToNextSlot();
    if (this.heapSize > 0) return this.time[this.heap[0] as number] as number;
    return Infinity;
  }

  /**
   * Removes the next event and exposes its fields through `popped*`. Returns false when empty.
   */
  pop(): boolean {
    if (this.wheelCount === 0) {
      if (this.heapSize === 0) return false;
      // The wheel is empty: jump straight to the heap's earliest time.
      this.advanceBase(this.time[this.heap[0] as number] as number);
    }
    const dist = this.distanceToNextSlot();
    if (dist > 0) this.advanceBase(this.baseTime + dist);
    const slot = this.baseTime & this.mask;
    const id = this.heads[slot] as number;
    const next = this.nextIdx[id] as number;
    this.heads[slot] = next;
    if (next === NIL) {
      const w = slot >>> 5;
      const word = (this.bitmap[w] as number) & ~(1 << (slot & 31));
      this.bitmap[w] = word;
      if (word === 0) {
        const s = w >>> 5;
        const sword = (this.summary[s] as number) & ~(1 << (w & 31));
        this.summary[s] = sword;
        if (sword === 0) this.top[s >>> 5] = (this.top[s >>> 5] as number) & ~(1 << (s & 31));
      }
    }
    this.wheelCount--;
    this.live--;
    this.poppedTime = this.time[id] as number;
    this.poppedSeq = this.seqs[id] as number;
    this.poppedKind = this.kinds[id] as number;
    this.poppedA = this.payloadA[id] as number;
    this.poppedB = this.payloadB[id] as number;
    this.poppedRef = this.refs[id];
    this.refs[id] = null;
    this.nextIdx[id] = this.freeHead;
    this.freeHead = id;
    return true;
  }

  /** All pending events in pop order, as plain data (for snapshots). Does not change the queue. */
  export(): QueueSnapshot {
    const events: QueuedEvent[] = [];
    const take = (id: number): void => {
      events.push({
        time: this.time[id] as number,
        seq: this.seqs[id] as number,
        kind: this.kinds[id] as number,
        a: this.payloadA[id] as number,
        b: this.payloadB[id] as number,
        ref: this.refs[id],
      });
    };
    for (let d = 0; d < this.slots && events.length < this.wheelCount; d++) {
      const slot = (this.baseTime + d) & this.mask;
      if (((this.bitmap[slot >>> 5] as number) & (1 << (slot & 31))) === 0) continue;
      for (let id = this.heads[slot] as number; id !== NIL; id = this.nextIdx[id] as number) take(id);
    }
    const far = Array.from(this.heap.subarray(0, this.heapSize)).sort((x, y) => this.less(x, y) ? -1 : 1);
    for (const id of far) take(id);
    return { nextSeq: this.seqCounter, baseTime: this.baseTime, events };
  }

  /** Rebuilds a queue from {@link EventQueue.export}; it pops exactly what the original would. */
  static restore(snapshot: QueueSnapshot, options: EventQueueOptions = {}): EventQueue {
    const q = new EventQueue({ ...options, initialCapacity: Math.max(snapshot.events.length, options.initialCapacity ?? 1024) });
    q.baseTime = snapshot.baseTime;
    for (const e of snapshot.events) q.pushWithSeq(e.time, e.seq, e.kind, e.a, e.b, e.ref);
    q.seqCounter = snapshot.nextSeq;
    return q;
  }

  // ---------------------------------------------------------------------------------------------

  private wheelAppend(id: number, time: number): void {
    const slot = time & this.mask;
    this.nextIdx[id] = NIL;
    const w = slot >>> 5;
    const word = this.bitmap[w] as number;
    const bit = 1 << (slot & 31);
    if ((word & bit) === 0) {
      this.heads[slot] = id;
      this.bitmap[w] = word | bit;
      if (word === 0) {
        const s = w >>> 5;
        const sword = this.summary[s] as number;
        this.summary[s] = sword | (1 << (w & 31));
        if (sword === 0) this.top[s >>> 5] = (this.top[s >>> 5] as number) | (1 << (s & 31));
      }
    } else {
      this.nextIdx[this.tails[slot] as number] = id;
    }
    this.tails[slot] = id;
    this.wheelCount++;
  }

  /** Distance in time units from baseTime to the first occupied slot. Requires wheelCount > 0. */
  private distanceToNextSlot(): number {
    const start = this.baseTime & this.mask;
    let w = start >>> 5;
    // First word: ignore bits below the start position.
    let bits = ((this.bitmap[w] as number) >>> (start & 31)) << (start & 31);
    if (bits === 0) {
      w = this.nextOccupiedWord(w);
      // Wrapped around to the start word itself: now its low bits count too (they are times
      // almost one window ahead).
      bits = this.bitmap[w] as number;
    }
    const slot = (w << 5) + (31 - Math.clz32(bits & -bits));
    return (slot - start + this.slots) & this.mask;
  }

  /** The first non-zero bitmap word after word `w`, wrapping around (possibly back to `w`). */
  private nextOccupiedWord(w: number): number {
    const summary = this.summary;
    const from = w + 1;
    if (from < this.bitmap.length) {
      const s = from >>> 5;
      const bits = ((summary[s] as number) >>> (from & 31)) << (from & 31);
      if (bits !== 0) return (s << 5) + lowestBit(bits);
      const t = this.nextSummaryWord(s + 1);
      if (t >= 0) return (t << 5) + lowestBit(summary[t] as number);
    }
    const t = this.nextSummaryWord(0);
    if (t < 0) throw new Error('event queue corrupted: wheelCount > 0 but no slot set');
    return (t << 5) + lowestBit(summary[t] as number);
  }

  /** The first non-zero summary word at or after `from`, or -1 (no wrapping). */
  private nextSummaryWord(from: number): number {
    if (from >= this.summary.length) return -1;
    const top = this.top;
    let i = from >>> 5;
    let bits = ((top[i] as number) >>> (from & 31)) << (from & 31);
    while (bits === 0) {
      if (++i >= top.length) return -1;
      bits = top[i] as number;
    }
    return (i << 5) + lowestBit(bits);
  }

  /** Moves the window start to `time` and pulls every heap event now inside the window. */
  private advanceBase(time: number): void {
    this.baseTime = time;
    const horizon = time + this.slots;
    while (this.heapSize > 0) {
      const top = this.heap[0] as number;
      if ((this.time[top] as number) >= horizon) break;
      this.heapPopTop();
      this.wheelAppend(top, this.time[top] as number);
    }
  }

  private less(x: number, y: number): boolean {
    const tx = this.time[x] as number;
    const ty = this.time[y] as number;
    return tx < ty || (tx === ty && (this.seqs[x] as number) < (this.seqs[y] as number));
  }

  private heapPush(id: number): void {
    if (this.heapSize === this.heap.length) {
      const bigger = new Int32Array(this.heap.length * 2);
      bigger.set(this.heap);
      this.heap = bigger;
    }
    const heap = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      const p = heap[parent] as number;
      if (!this.less(id, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = id;
  }

  private heapPopTop(): void {
    const heap = this.heap;
    const last = heap[--this.heapSize] as number;
    if (this.heapSize === 0) return;
    let i = 0;
    const n = this.heapSize;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(heap[r] as number, heap[l] as number)) c = r;
      if (!this.less(heap[c] as number, last)) break;
      heap[i] = heap[c] as number;
      i = c;
    }
    heap[i] = last;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const f64 = (old: Float64Array): Float64Array => {
      const n = new Float64Array(cap);
      n.set(old);
      return n;
    };
    const i32 = (old: Int32Array): Int32Array => {
      const n = new Int32Array(cap);
      n.set(old);
      return n;
    };
    this.time = f64(this.time);
    this.seqs = f64(this.seqs);
    this.nextIdx = i32(this.nextIdx);
    this.payloadA = i32(this.payloadA);
    this.payloadB = i32(this.payloadB);
    const k = new Uint8Array(cap);
    k.set(this.kinds);
    this.kinds = k;
    this.refs.length = cap;
    this.refs.fill(null, this.capacity);
    this.capacity = cap;
  }
}
