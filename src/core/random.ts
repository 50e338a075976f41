/**
 * Seeded pseudo-random numbers. Everything random in CLV Studio (splits, shuffles, weight
 * initialisation, permutation importance) draws from an `Rng` so that a fixed seed reproduces a
 * run exactly, in a browser worker, the Node CLI or a test. Math.random cannot be seeded, so it is
 * never used for anything that affects results.
 *
 * Generator: xoshiro128** (Blackman & Vigna): 128-bit state, period 2^128 − 1, only 32-bit integer
 * operations (fast and exact in JavaScript). The state is filled by splitmix32 so that nearby seeds
 * (1, 2, 3, …) still give unrelated streams.
 */

/** Anything indexable and writable: plain arrays and every typed array. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 9007199254740992;

/** murmur3's 32-bit finaliser: every input bit flips about half of the output bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds one 32-bit word into a running hash (murmur3 block step). */
function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Folds a safe integer into the hash using both 32-bit halves, so seeds above 2^32 still differ. */
function mixInteger(h: number, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`seed parts must be safe integers, got ${value}`);
  }
  const lo = value >>> 0;
  const hi = Math.floor(value / TWO_POW_32) >>> 0;
  return mixWord(mixWord(h, lo), hi);
}

function mixLabel(h: number, label: string | number): number {
  if (typeof label === 'number') return mixInteger(mixWord(h, 0x6e), label);
  // A type tag and the length keep "1" distinct from 1 and ("ab","c") distinct from ("a","bc").
  h = mixWord(mixWord(h, 0x73), label.length);
  for (let i = 0; i < label.length; i++) h = mixWord(h, label.charCodeAt(i));
  return h;
}

/**
 * A new 32-bit seed derived from `seed` and one or more labels, e.g. deriveSeed(seed, 'split') or
 * deriveSeed(seed, 'fold', 3). Sub-tasks get their own streams that depend only on the run seed
 * and their label, never on how many numbers some other component happened to draw first.
 */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = mixInteger(0x2545f491, seed);
  for (const label of labels) h = mixLabel(h, label);
  return fmix32(h);
}

export class Rng {
  /** The seed this generator was built from; children are derived from it. */
  readonly seed: number;
  private readonly state = new Uint32Array(4);
  /** Box-Muller yields normals in pairs; the second is kept for the next call. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.seed = seed;
    // splitmix32 expands the hashed seed into the 128-bit state.
    let x = deriveSeed(seed);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      this.state[i] = fmix32(x);
    }
    // xoshiro's only bad state is all zeros; practically unreachable, but cheap to rule out.
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) this.state[0] = 1;
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s = this.state;
    const s1 = s[1];
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }

  /** Uniform double in [min, max), with the full 53 bits of mantissa randomness. */
  uniform(min = 0, max = 1): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    const u = (hi * 67108864 + lo) / TWO_POW_53;
    return min + (max - min) * u;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Normal deviate via Box-Muller. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    // 1 − u lies in (0, 1], so the logarithm is always finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return mean + sd * radius * Math.cos(angle);
  }

  /** Shuffles in place (Fisher-Yates: every permutation equally likely) and returns the array. */
  shuffle<A extends MutableArrayLike<unknown>>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A uniformly random ordering of 0 … n−1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /**
   * An independent generator for a named sub-task. It depends on this generator's seed and the
   * labels only, not on how far this generator has advanced.
   */
  child(...labels: (string | number)[]): Rng {
    return new Rng(deriveSeed(this.seed, ...labels));
  }
}
