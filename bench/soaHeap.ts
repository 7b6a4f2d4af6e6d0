/**
 * A plain struct-of-arrays binary heap ordered by (time, seq): the alternative the event queue
 * was measured against (docs/adr/0001-event-queue.md). Benchmark-only; the simulator uses
 * src/sim/core/queue.ts.
 */
export class SoaHeap {
  private time: Float64Array;
  private seq: Float64Array;
  private payload: Int32Array;
  private heap: Int32Array;
  private free: Int32Array;
  private freeTop = 0;
  private used = 0;
  private size = 0;
  private seqCounter = 0;
  poppedTime = 0;
  poppedA = 0;

  constructor(private cap = 1024) {
    this.time = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.payload = new Int32Array(cap);
    this.heap = new Int32Array(cap);
    this.free = new Int32Array(cap);
  }

  get length(): number {
    return this.size;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const f = (o: Float64Array): Float64Array => { const n = new Float64Array(cap); n.set(o); return n; };
    const i = (o: Int32Array): Int32Array => { const n = new Int32Array(cap); n.set(o); return n; };
    this.time = f(this.time);
    this.seq = f(this.seq);
    this.payload = i(this.payload);
    this.heap = i(this.heap);
    this.free = i(this.free);
    this.cap = cap;
  }

  private less(x: number, y: number): boolean {
    const tx = this.time[x] as number;
    const ty = this.time[y] as number;
    return tx < ty || (tx === ty && (this.seq[x] as number) < (this.seq[y] as number));
  }

  push(time: number, a: number): void {
    let id: number;
    if (this.freeTop > 0) id = this.free[--this.freeTop] as number;
    else {
      if (this.used === this.cap) this.grow();
      id = this.used++;
    }
    this.time[id] = time;
    this.seq[id] = this.seqCounter++;
    this.payload[id] = a;
    let i = this.size++;
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >>> 1;
      if (!this.less(id, h[p] as number)) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = id;
  }

  pop(): boolean {
    if (this.size === 0) return false;
    const h = this.heap;
    const top = h[0] as number;
    this.poppedTime = this.time[top] as number;
    this.poppedA = this.payload[top] as number;
    this.free[this.freeTop++] = top;
    const last = h[--this.size] as number;
    const n = this.size;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        let c = l;
        if (l + 1 < n && this.less(h[l + 1] as number, h[l] as number)) c = l + 1;
        if (!this.less(h[c] as number, last)) break;
        h[i] = h[c] as number;
        i = c;
      }
      h[i] = last;
    }
    return true;
  }
}
