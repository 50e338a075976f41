/**
 * Regression metrics for predicted versus actual horizon value. Inputs are any numeric array
 * (number[], Float32Array, Float64Array) of equal length holding finite values. Metrics that are
 * undefined for the data (e.g. MAPE with no non-zero actuals) return NaN, which JSON writes as null.
 *
 * Ranking metrics (Spearman, normalised Gini, top-decile share) treat tied predictions as tied:
 * the result is the average over every ordering of the tied customers, so it never depends on row
 * order. Many CLV models predict exactly the same value (often 0) for large groups of customers,
 * and breaking those ties by row order would reward or punish a model for how the file was sorted.
 */

export type NumericArray = ArrayLike<number>;

export interface RegressionMetrics {
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
  mape: number;
  spearman: number;
  normalized_gini: number;
  top_decile_share: number;
}

/** Throws unless two per-customer arrays line up; returns their length. */
export function checkSameLength(
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  names: readonly [string, string] = ['actual', 'predicted'],
): number {
  if (a.length !== b.length) throw new RangeError(`${names[0]} has ${a.length} values but ${names[1]} has ${b.length}`);
  return a.length;
}

export function mse(actual: NumericArray, predicted: NumericArray): number {
  const n = checkSameLength(actual, predicted);
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = actual[i] - predicted[i];
    sum += e * e;
  }
  return sum / n;
}

export function rmse(actual: NumericArray, predicted: NumericArray): number {
  return Math.sqrt(mse(actual, predicted));
}

export function mae(actual: NumericArray, predicted: NumericArray): number {
  const n = checkSameLength(actual, predicted);
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / n;
}

/**
 * Coefficient of determination, 1 − SS_res / SS_tot. Predicting the mean of actual scores 0.
 * When actual is constant SS_tot is 0; as in scikit-learn, a perfect prediction then scores 1 and
 * anything else 0, rather than ±Infinity.
 */
export function r2(actual: NumericArray, predicted: NumericArray): number {
  const n = checkSameLength(actual, predicted);
  if (n === 0) return NaN;
  const meanActual = mean(actual);
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (actual[i] - predicted[i]) ** 2;
    ssTot += (actual[i] - meanActual) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Mean absolute percentage error as a fraction (0.25 = 25%), over customers whose actual value is
 * non-zero: a percentage error against zero is undefined, and in CLV data most zero-spend customers
 * would otherwise dominate. NaN when every actual is zero.
 */
export function mape(actual: NumericArray, predicted: NumericArray): number {
  const n = checkSameLength(actual, predicted);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (actual[i] !== 0) {
      sum += Math.abs((actual[i] - predicted[i]) / actual[i]);
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

function mean(values: NumericArray): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Indices 0 … n−1 ordered by value, ties by index (a stable, deterministic order). */
export function ascendingOrder(values: NumericArray): Int32Array {
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[a] - values[b] || a - b);
}

/** Indices ordered by value from highest to lowest, ties by index. */
export function descendingOrder(values: NumericArray): Int32Array {
  const order = new Int32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[b] - values[a] || a - b);
}

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(values: NumericArray): Float64Array {
  const order = ascendingOrder(values);
  const ranks = new Float64Array(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of the 1-based ranks start+1 … end
    for (let j = start; j < end; j++) ranks[order[j]] = rank;
    start = end;
  }
  return ranks;
}

function pearson(x: NumericArray, y: NumericArray): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman rank correlation (Pearson correlation of average ranks). NaN if either side is constant. */
export function spearman(actual: NumericArray, predicted: NumericArray): number {
  const n = checkSameLength(actual, predicted);
  if (n < 2) return NaN;
  return pearson(averageRanks(actual), averageRanks(predicted));
}

/**
 * Customers taken in descending predicted order, grouped into runs of tied predictions:
 * `ends[g]` is the number of customers in groups 0 … g and `captured[g]` their total actual value.
 * Within a group value accrues linearly, which is the average over orderings of the tie.
 */
export interface CaptureCurve {
  n: number;
  total: number;
  ends: Float64Array;
  captured: Float64Array;
}

export function captureCurve(actual: NumericArray, predicted: NumericArray): CaptureCurve {
  const n = checkSameLength(actual, predicted);
  const order = descendingOrder(predicted);
  const ends: number[] = [];
  const captured: number[] = [];
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += actual[order[i]];
    if (i === n - 1 || predicted[order[i + 1]] !== predicted[order[i]]) {
      ends.push(i + 1);
      captured.push(running);
    }
  }
  return { n, total: running, ends: Float64Array.from(ends), captured: Float64Array.from(captured) };
}

/** Actual value held by the top `count` customers by prediction (count may be fractional). */
export function capturedAt(curve: CaptureCurve, count: number): number {
  if (count <= 0) return 0;
  if (count >= curve.n) return curve.total;
  // Binary search for the first group ending at or after `count`.
  let lo = 0;
  let hi = curve.ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (curve.ends[mid] >= count) hi = mid;
    else lo = mid + 1;
  }
  const startCount = lo === 0 ? 0 : curve.ends[lo - 1];
  const startValue = lo === 0 ? 0 : curve.captured[lo - 1];
  const share = (count - startCount) / (curve.ends[lo] - startCount);
  return startValue + share * (curve.captured[lo] - startValue);
}

/**
 * Kaggle's Gini: customers sorted by prediction (highest first), then
 * (Σ_k cumsum_k / total − (n + 1) / 2) / n, where cumsum_k is the actual value of the top k:
 * the area between the cumulative-gain curve and the diagonal. Inside a tied group the cumulative
 * sums rise linearly (the average over orderings of the tie), so the group of `size` customers
 * holding `groupSum` adds Σ_{j=1..size} (before + j·groupSum/size).
 */
function gini(curve: CaptureCurve): number {
  let sumOfCumsums = 0;
  let before = 0;
  let previousEnd = 0;
  for (let g = 0; g < curve.ends.length; g++) {
    const size = curve.ends[g] - previousEnd;
    const groupSum = curve.captured[g] - before;
    sumOfCumsums += size * before + (groupSum * (size + 1)) / 2;
    before = curve.captured[g];
    previousEnd = curve.ends[g];
  }
  return (sumOfCumsums / curve.total - (curve.n + 1) / 2) / curve.n;
}

/**
 * Normalised Gini (Kaggle): Gini of actual ordered by predicted divided by Gini of actual ordered
 * by itself. 1 for a perfect ranking, about 0 for a random one, negative for a reversed one.
 * Only the order of predictions matters. NaN when actual sums to zero or is constant.
 */
export function normalizedGini(actual: NumericArray, predicted: NumericArray): number {
  const model = captureCurve(actual, predicted);
  if (model.n === 0 || model.total === 0) return NaN;
  const best = gini(captureCurve(actual, actual));
  if (best === 0) return NaN;
  return gini(model) / best;
}

/**
 * Share of total actual value held by the top 10% of customers by prediction (ceil(n/10)
 * customers, the same count as the first row of the decile table). NaN when actual sums to zero.
 */
export function topDecileShare(actual: NumericArray, predicted: NumericArray): number {
  const curve = captureCurve(actual, predicted);
  if (curve.n === 0 || curve.total === 0) return NaN;
  return capturedAt(curve, Math.ceil(curve.n / 10)) / curve.total;
}

export function regressionMetrics(actual: NumericArray, predicted: NumericArray): RegressionMetrics {
  const meanSquared = mse(actual, predicted);
  return {
    mse: meanSquared,
    rmse: Math.sqrt(meanSquared),
    mae: mae(actual, predicted),
    r2: r2(actual, predicted),
    mape: mape(actual, predicted),
    spearman: spearman(actual, predicted),
    normalized_gini: normalizedGini(actual, predicted),
    top_decile_share: topDecileShare(actual, predicted),
  };
}
