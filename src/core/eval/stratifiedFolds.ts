/**
 * K folds of customers stratified by their outcome, for cross-fitting: customers who buy nothing in
 * the horizon form one stratum, buyers are cut into spend deciles, and each stratum is shuffled
 * (seeded) and dealt to the folds in turn, so every fold holds about the same share of buyers and
 * of the heavy tail. Fold sizes differ by at most one.
 */
import { Rng, deriveSeed } from '../random';

export interface StratifiedFolds {
  /** The customers of each fold, ascending. */
  folds: Int32Array[];
  /** Fold of each customer. */
  foldOf: Int32Array;
  descriptor: { kind: 'stratified_k_fold'; n: number; k: number; seed: number; strata: string; foldSizes: number[] };
}

/** Stratum of each customer: 0 for no purchase, 1 … 10 for the buyers' spend deciles. */
export function outcomeStrata(spend: ArrayLike<number>, orders: ArrayLike<number>): Int32Array {
  const n = spend.length;
  const buyers: number[] = [];
  for (let i = 0; i < n; i++) if (orders[i] > 0) buyers.push(i);
  buyers.sort((a, b) => spend[a] - spend[b] || a - b);
  const strata = new Int32Array(n);
  buyers.forEach((i, r) => (strata[i] = 1 + Math.floor((10 * r) / buyers.length)));
  return strata;
}

export function stratifiedFolds(strata: ArrayLike<number>, k: number, seed: number): StratifiedFolds {
  const n = strata.length;
  if (!Number.isSafeInteger(k) || k < 2 || k > n) throw new RangeError(`k must be an integer in [2, n], got ${k}`);
  const byStratum = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byStratum.get(strata[i]) ?? [];
    list.push(i);
    byStratum.set(strata[i], list);
  }
  const rng = new Rng(deriveSeed(seed, 'stratified-folds'));
  const foldOf = new Int32Array(n);
  // One running counter across strata keeps the fold sizes within one of each other.
  let next = 0;
  for (const stratum of [...byStratum.keys()].sort((a, b) => a - b)) {
    const members = byStratum.get(stratum)!;
    const order = rng.permutation(members.length);
    for (let r = 0; r < order.length; r++) foldOf[members[order[r]]] = next++ % k;
  }
  const lists: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) lists[foldOf[i]].push(i);
  const folds = lists.map((l) => Int32Array.from(l));
  return { folds, foldOf, descriptor: { kind: 'stratified_k_fold', n, k, seed, strata: 'no purchase in the horizon; buyers by horizon-spend decile', foldSizes: folds.map((f) => f.length) } };
}
