/**
 * Seeded splits of the customer table. Customers (rows 0 … n−1 of the feature matrix) are
 * shuffled with the project PRNG and cut into parts; each part's indices are returned in
 * ascending order so that gathering rows walks memory forwards.
 *
 * Every split also returns a plain-JSON descriptor (kind, n, seed, fractions, sizes). Saved with a
 * run's results, `replaySplit(descriptor)` rebuilds exactly the same indices later.
 */
import { Rng, deriveSeed } from '../random';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export interface SplitSizes {
  train: number;
  validation: number;
  test: number;
}

export interface SplitDescriptor {
  kind: 'temporal_holdout' | 'random';
  n: number;
  seed: number;
  /** The fractions as requested by the caller. */
  fractions: SplitFractions;
  /** The realised part sizes (fractions rounded to whole customers). */
  sizes: SplitSizes;
}

export interface Split {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  descriptor: SplitDescriptor;
}

export interface KFoldDescriptor {
  kind: 'k_fold';
  n: number;
  k: number;
  seed: number;
  foldSizes: number[];
}

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

export interface KFoldSplit {
  folds: Fold[];
  descriptor: KFoldDescriptor;
}

export interface TemporalHoldoutOptions {
  seed: number;
  /** Share of all customers held out for the final test. */
  testFraction?: number;
  /** Share of the remaining (non-test) customers used for early stopping / tuning. */
  validationFraction?: number;
}

function checkCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
}

function checkFraction(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must lie in [0, 1], got ${value}`);
}

/** Shuffles 0 … n−1 and cuts consecutive runs of the given sizes, each sorted ascending. */
function cutPermutation(n: number, seed: number, sizes: readonly number[]): Int32Array[] {
  // A dedicated child stream: the split depends only on (seed, n), not on other seeded work.
  const order = new Rng(deriveSeed(seed, 'split')).permutation(n);
  const parts: Int32Array[] = [];
  let start = 0;
  for (const size of sizes) {
    parts.push(order.slice(start, start + size).sort());
    start += size;
  }
  return parts;
}

/**
 * Splits n whole customers by fractions summing to 1 using largest remainders, so the sizes
 * always add up to n and each differs from its exact share by less than one customer.
 */
function apportion(n: number, fractions: readonly number[]): number[] {
  const exact = fractions.map((f) => f * n);
  const sizes = exact.map((x) => Math.floor(x));
  let missing = n - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (let r = 0; missing > 0; r = (r + 1) % byRemainder.length, missing--) sizes[byRemainder[r].i]++;
  return sizes;
}

/**
 * The standard CLV evaluation split: features come from before the cutoff and targets from the
 * horizon after it for every customer, so "holdout" here means a held-out set of customers.
 * `testFraction` of all customers form the test set; `validationFraction` of the rest form the
 * validation set; the remainder trains.
 */
export function temporalHoldoutSplit(n: number, options: TemporalHoldoutOptions): Split {
  checkCount(n);
  const testFraction = options.testFraction ?? 0.3;
  const validationFraction = options.validationFraction ?? 0.1;
  checkFraction('testFraction', testFraction);
  checkFraction('validationFraction', validationFraction);
  const testSize = Math.round(n * testFraction);
  const validationSize = Math.round((n - testSize) * validationFraction);
  const sizes: SplitSizes = { train: n - testSize - validationSize, validation: validationSize, test: testSize };
  const fractions: SplitFractions = {
    train: (1 - testFraction) * (1 - validationFraction),
    validation: (1 - testFraction) * validationFraction,
    test: testFraction,
  };
  return build({ kind: 'temporal_holdout', n, seed: options.seed, fractions, sizes });
}

/** Random train / validation / test split, e.g. [0.72, 0.08, 0.20] or [0.70, 0.15, 0.15]. */
export function randomSplit(n: number, fractions: readonly [number, number, number], seed: number): Split {
  checkCount(n);
  fractions.forEach((f, i) => checkFraction(`fractions[${i}]`, f));
  const total = fractions[0] + fractions[1] + fractions[2];
  if (Math.abs(total - 1) > 1e-9) throw new RangeError(`split fractions must sum to 1, got ${total}`);
  const [train, validation, test] = apportion(n, fractions);
  return build({
    kind: 'random',
    n,
    seed,
    fractions: { train: fractions[0], validation: fractions[1], test: fractions[2] },
    sizes: { train, validation, test },
  });
}

function build(descriptor: SplitDescriptor): Split {
  const { sizes } = descriptor;
  const [train, validation, test] = cutPermutation(descriptor.n, descriptor.seed, [
    sizes.train,
    sizes.validation,
    sizes.test,
  ]);
  return { train, validation, test, descriptor };
}

/** Rebuilds the exact split a saved descriptor describes. */
export function replaySplit(descriptor: SplitDescriptor): Split {
  checkCount(descriptor.n);
  const { train, validation, test } = descriptor.sizes;
  if (train + validation + test !== descriptor.n) throw new RangeError('split sizes do not add up to n');
  return build(descriptor);
}

/**
 * k-fold cross-validation: one shuffle cut into k folds whose sizes differ by at most one; fold i
 * tests on its own customers and trains on all the others.
 */
export function kFold(n: number, k: number, seed: number): KFoldSplit {
  checkCount(n);
  if (!Number.isSafeInteger(k) || k < 2 || k > n) throw new RangeError(`k must be an integer in [2, n], got ${k}`);
  const foldSizes = Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
  const parts = cutPermutation(n, seed, foldSizes);
  const folds = parts.map((test, i) => {
    const train = new Int32Array(n - test.length);
    let w = 0;
    for (let j = 0; j < k; j++) {
      if (j !== i) {
        train.set(parts[j], w);
        w += parts[j].length;
      }
    }
    return { train: train.sort(), test };
  });
  return { folds, descriptor: { kind: 'k_fold', n, k, seed, foldSizes } };
}
