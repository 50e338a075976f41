/**
 * Seeded k-means for segmenting customers in a learned latent space (e.g. the autoencoder's
 * bottleneck). Pure TypeScript: Lloyd iterations from k-means++ starts (Arthur & Vassilvitskii
 * 2007), the best of `nInit` starts by inertia, as scikit-learn's KMeans. The number of clusters
 * can be picked by the mean silhouette on a sample (`chooseK`).
 *
 * Everything random draws from the project `Rng`, so a seed reproduces labels exactly.
 */
import { Rng, deriveSeed } from '../random';

export interface KMeansOptions {
  seed: number;
  /** Independent k-means++ starts; the one with the lowest inertia wins. */
  nInit?: number;
  maxIter?: number;
  /** Stop when no centroid moves more than this (squared Euclidean distance). */
  tol?: number;
}

export interface KMeansResult {
  k: number;
  d: number;
  /** Cluster of each row, 0 … k−1. */
  labels: Int32Array;
  /** Row-major k × d. */
  centroids: Float64Array;
  /** Sum of squared distances from each row to its centroid. */
  inertia: number;
  /** Rows per cluster. */
  sizes: Int32Array;
  /** Lloyd iterations of the winning start. */
  iterations: number;
}

type Matrix = ArrayLike<number>;

function checkShape(X: Matrix, d: number): number {
  if (!Number.isSafeInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  const n = X.length / d;
  if (!Number.isInteger(n)) throw new RangeError(`X has ${X.length} values, not a multiple of d=${d}`);
  return n;
}

function sqDist(X: Matrix, i: number, C: Float64Array, c: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = c * d;
  for (let j = 0; j < d; j++) {
    const e = X[a + j] - C[b + j];
    s += e * e;
  }
  return s;
}

/** Index of the first entry of the cumulative weights exceeding `target`. */
function pickWeighted(weights: Float64Array, total: number, rng: Rng): number {
  let target = rng.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  // Rounding left a sliver: take the last row with positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return rng.int(weights.length);
}

/**
 * k-means++ seeding with scikit-learn's greedy variant: each new centre is the best (lowest
 * resulting inertia) of 2 + ⌊ln k⌋ candidates drawn proportionally to D².
 */
function kmeansPlusPlus(X: Matrix, n: number, d: number, k: number, rng: Rng): Float64Array {
  const C = new Float64Array(k * d);
  const first = rng.int(n);
  for (let j = 0; j < d; j++) C[j] = X[first * d + j];
  const closest = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(X, i, C, 0, d);
    total += closest[i];
  }
  const trials = 2 + Math.floor(Math.log(k));
  const candidate = new Float64Array(d);
  const trialDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestRow = -1;
    let bestTotal = Infinity;
    for (let t = 0; t < trials; t++) {
      // All rows coincide with chosen centres: any row will do (duplicates yield empty clusters, fixed later).
      const row = total > 0 ? pickWeighted(closest, total, rng) : rng.int(n);
      for (let j = 0; j < d; j++) candidate[j] = X[row * d + j];
      let sum = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const e = X[i * d + j] - candidate[j];
          s += e * e;
        }
        trialDist[i] = Math.min(closest[i], s);
        sum += trialDist[i];
      }
      if (sum < bestTotal) {
        bestTotal = sum;
        bestRow = row;
        bestDist.set(trialDist);
      }
    }
    for (let j = 0; j < d; j++) C[c * d + j] = X[bestRow * d + j];
    closest.set(bestDist);
    total = bestTotal;
  }
  return C;
}

/** Assigns every row to its nearest centroid; returns the inertia. */
function assign(X: Matrix, n: number, d: number, C: Float64Array, k: number, labels: Int32Array, dist: Float64Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const s = sqDist(X, i, C, c, d);
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    labels[i] = best;
    dist[i] = bestD;
    inertia += bestD;
  }
  return inertia;
}

function lloyd(X: Matrix, n: number, d: number, k: number, C: Float64Array, maxIter: number, tol: number): KMeansResult {
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  let inertia = assign(X, n, d, C, k, labels, dist);
  let iterations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    iterations = iter + 1;
    sizes.fill(0);
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      sizes[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += X[i * d + j];
    }
    // An empty cluster takes over the row farthest from its centroid (as scikit-learn does).
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) continue;
      let far = 0;
      for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
      const old = labels[far];
      if (sizes[old] <= 1) continue;
      sizes[old]--;
      for (let j = 0; j < d; j++) sums[old * d + j] -= X[far * d + j];
      labels[far] = c;
      dist[far] = 0;
      sizes[c] = 1;
      for (let j = 0; j < d; j++) sums[c * d + j] = X[far * d + j];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) continue;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / sizes[c];
        const e = v - C[c * d + j];
        s += e * e;
        C[c * d + j] = v;
      }
      shift = Math.max(shift, s);
    }
    inertia = assign(X, n, d, C, k, labels, dist);
    if (shift <= tol) break;
  }
  sizes.fill(0);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  return { k, d, labels, centroids: C, inertia, sizes, iterations };
}

/** Seeded k-means on a row-major n × d matrix. */
export function kmeans(X: Matrix, d: number, k: number, options: KMeansOptions): KMeansResult {
  const n = checkShape(X, d);
  if (!Number.isSafeInteger(k) || k < 1 || k > n) throw new RangeError(`k must be an integer in [1, n=${n}], got ${k}`);
  const nInit = options.nInit ?? 4;
  const maxIter = options.maxIter ?? 300;
  // scikit-learn's default: a tolerance relative to the data's mean per-feature variance.
  const tol = (options.tol ?? 1e-4) * meanVariance(X, n, d);
  let best: KMeansResult | null = null;
  for (let run = 0; run < nInit; run++) {
    const rng = new Rng(deriveSeed(options.seed, 'kmeans', k, run));
    const result = lloyd(X, n, d, k, kmeansPlusPlus(X, n, d, k, rng), maxIter, tol);
    if (best === null || result.inertia < best.inertia) best = result;
  }
  return best as KMeansResult;
}

function meanVariance(X: Matrix, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += X[i * d + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + j] - mean) ** 2;
    total += v / n;
  }
  return total / d;
}

/**
 * Mean silhouette (Rousseeuw 1987) of the rows `rows` with their labels, using Euclidean distances
 * among those rows only. A row alone in its cluster (within `rows`) scores 0, as in scikit-learn.
 */
export function silhouette(X: Matrix, d: number, labels: ArrayLike<number>, k: number, rows?: ArrayLike<number>): number {
  const n = checkShape(X, d);
  const idx = rows ?? Array.from({ length: n }, (_, i) => i);
  const m = idx.length;
  if (m < 2) return 0;
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let a = 0; a < m; a++) counts[labels[idx[a]]]++;
  let total = 0;
  for (let a = 0; a < m; a++) {
    const ia = idx[a];
    const own = labels[ia];
    sums.fill(0);
    for (let b = 0; b < m; b++) {
      if (b === a) continue;
      const ib = idx[b];
      let s = 0;
      for (let j = 0; j < d; j++) {
        const e = X[ia * d + j] - X[ib * d + j];
        s += e * e;
      }
      sums[labels[ib]] += Math.sqrt(s);
    }
    if (counts[own] <= 1) continue;
    const within = sums[own] / (counts[own] - 1);
    let nearest = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c] > 0) nearest = Math.min(nearest, sums[c] / counts[c]);
    if (!Number.isFinite(nearest)) continue;
    const denom = Math.max(within, nearest);
    total += denom > 0 ? (nearest - within) / denom : 0;
  }
  return total / m;
}

export interface ChooseKOptions extends KMeansOptions {
  kMin?: number;
  kMax?: number;
  /** Rows the silhouette is computed on (its cost grows with the square of this). */
  sampleSize?: number;
}

export interface ChooseKResult {
  k: number;
  /** Mean silhouette of each k tried, in increasing k. */
  scores: { k: number; silhouette: number; inertia: number }[];
  /** The clustering for the chosen k. */
  result: KMeansResult;
}

/**
 * Fits k-means for k = kMin … kMax (default 2 … 8, capped at n − 1) on all rows and picks the k
 * with the highest mean silhouette on one seeded sample of rows (the same sample for every k).
 */
export function chooseK(X: Matrix, d: number, options: ChooseKOptions): ChooseKResult {
  const n = checkShape(X, d);
  const kMin = options.kMin ?? 2;
  const kMax = Math.min(options.kMax ?? 8, n - 1);
  if (!Number.isSafeInteger(kMin) || kMin < 2) throw new RangeError(`kMin must be an integer ≥ 2, got ${kMin}`);
  if (kMax < kMin) throw new RangeError(`need more rows (${n}) than clusters to choose k in [${kMin}, ${options.kMax ?? 8}]`);
  const sampleSize = Math.min(options.sampleSize ?? 1000, n);
  const sample = new Rng(deriveSeed(options.seed, 'kmeans', 'silhouette-sample')).permutation(n).slice(0, sampleSize).sort();
  const scores: ChooseKResult['scores'] = [];
  let best: { k: number; score: number; result: KMeansResult } | null = null;
  for (let k = kMin; k <= kMax; k++) {
    const result = kmeans(X, d, k, options);
    const score = silhouette(X, d, result.labels, k, sample);
    scores.push({ k, silhouette: score, inertia: result.inertia });
    if (best === null || score > best.score) best = { k, score, result };
  }
  const chosen = best as { k: number; score: number; result: KMeansResult };
  return { k: chosen.k, scores, result: chosen.result };
}
