/**
 * The simulation's only source of randomness: xoshiro128** on 32-bit integer math.
 *
 * Why by hand (see docs/adr/0002-prng-and-distributions.md): the same seed must give the same
 * numbers in Node and in every browser, the state must serialize into a snapshot, and each
 * subsystem needs its own stream (`fork(label)`) so that adding a draw in one place never shifts
 * another. Everything here is `Math.imul`, shifts and `>>> 0`; no floating point decides anything.
 */

/** Serializable state of a {@link Prng}: four 32-bit words of xoshiro state plus the fork key. */
export interface PrngState {
  readonly s: readonly [number, number, number, number];
  /** Fixed at construction; forks derive from it, never from how many numbers were drawn. */
  readonly key: number;
}

/** FNV-1a over the UTF-16 code units of a string, mixed with a 32-bit seed. */
export function hashString32(text: string, seed = 0x811c9dc5): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fmix32(h);
}

/** Murmur3's finalizer: spreads every input bit over every output bit. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** SplitMix32 step, used to expand one 32-bit seed into four well-mixed state words. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) >>> 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 0x1_0000_0000;

/**
 * A seeded pseudo-random stream.
 *
 * @example
 * const root = new Prng(42);
 * const net = root.fork('net');      // independent of how much `root` is used
 * const coin = net.chance(1, 100);   // true one time in a hundred
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The fork key: a function of the seed and the fork path only. */
  readonly key: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
    }
    const sm = { x: seed >>> 0 };
    this.a = splitmix32(sm);
    this.b = splitmix32(sm);
    this.c = splitmix32(sm);
    this.d = splitmix32(sm);
    // An all-zero state would be stuck at zero forever; splitmix never yields four zeros, but
    // the guard costs nothing and documents the invariant.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
    this.key = fmix32(seed ^ 0x5bd1e995);
  }

  /** Rebuilds a stream from {@link Prng.state}; it continues exactly where the original was. */
  static fromState(state: PrngState): Prng {
    const p = new Prng(0);
    p.a = state.s[0] >>> 0;
    p.b = state.s[1] >>> 0;
    p.c = state.s[2] >>> 0;
    p.d = state.s[3] >>> 0;
    (p as { key: number }).key = state.key >>> 0;
    return p;
  }

  /** The serializable state (plain data, safe for structuredClone and JSON). */
  state(): PrngState {
    return { s: [this.a, this.b, this.c, this.d], key: this.key };
  }

  /**
   * A new, independent stream named `label`. Its seed depends only on this stream's key and the
   * label, so it is the same whether this stream has drawn zero numbers or a million.
   */
  fork(label: string): Prng {
    return new Prng(hashString32(label, this.key));
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    return result;
  }

  /** A uniform integer in `[0, n)`, without modulo bias (rejection sampling). `n` ≤ 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new RangeError(`nextInt bound must be an integer from 1 to 2^32, got ${n}`);
    }
    // Values at or above `limit` would make some residues more likely; draw again.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A uniform integer in `[min, max]` (both inclusive). */
  intBetween(min: number, max: number): number {
    if (max < min) throw new RangeError(`intBetween: max ${max} < min ${min}`);
    return min + this.nextInt(max - min + 1);
  }

  /** True with probability `num / den`: an integer ratio, never a float comparison. */
  chance(num: number, den: number): boolean {
    if (num <= 0) return false;
    if (num >= den) return true;
    return this.nextInt(den) < num;
  }

  /** Picks one element uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.nextInt(items.length)] as T;
  }

  /** Shuffles a copy (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
