/**
 * The BTYD literature's own fit checks, as numbers (the charts draw them): repeat transactions over
 * time, actual vs model; the calibration-period purchase-count histogram; holdout purchases by
 * calibration frequency; and P(alive) or expected purchases over a (frequency, recency) grid.
 */
import { TRANSACTION_MODELS, type TransactionModelKind, type TransactionParams } from './transactionModels';

export interface TrackingInput {
  /** Each customer's first purchase, in model time units since the start of the data. */
  firstPurchase: ArrayLike<number>;
  /** Actual repeat transactions in each period; period k covers (k·periodLength, (k+1)·periodLength]. */
  actualRepeat: ArrayLike<number>;
  /** Period length in model time units (1 for weekly tracking of a model in weeks). */
  periodLength: number;
  /** End of calibration, in model time units since the start of the data. */
  cutoff: number;
}

export interface TrackingSeries {
  /** End of each period, in model time units since the start. */
  periodEnd: Float64Array;
  actual: Float64Array;
  expected: Float64Array;
  cumulativeActual: Float64Array;
  cumulativeExpected: Float64Array;
  cutoff: number;
}

/**
 * Expected repeat transactions of the cohort in each period: Σᵢ E[X(u − sᵢ)] evaluated at the
 * period's ends, differenced, with sᵢ the customer's first purchase (new-customer expectation,
 * each customer starting at their own acquisition), as in Fader, Hardie & Lee's tracking plots.
 */
export function trackingSeries(kind: TransactionModelKind, params: TransactionParams, input: TrackingInput): TrackingSeries {
  const model = TRANSACTION_MODELS[kind];
  const periods = input.actualRepeat.length;
  if (!(input.periodLength > 0)) throw new RangeError(`periodLength must be positive, got ${input.periodLength}`);
  // Customers acquired at the same time share one expectation curve.
  const starts = new Map<number, number>();
  for (let i = 0; i < input.firstPurchase.length; i++) starts.set(input.firstPurchase[i], (starts.get(input.firstPurchase[i]) ?? 0) + 1);
  const periodEnd = Float64Array.from({ length: periods }, (_, k) => (k + 1) * input.periodLength);
  const cumulativeExpected = new Float64Array(periods);
  for (const [start, count] of starts) {
    for (let k = 0; k < periods; k++) {
      const age = periodEnd[k] - start;
      if (age > 0) cumulativeExpected[k] += count * model.unconditionalExpected(params, age);
    }
  }
  const expected = cumulativeExpected.map((v, k) => v - (k > 0 ? cumulativeExpected[k - 1] : 0));
  const actual = Float64Array.from(input.actualRepeat);
  const cumulativeActual = new Float64Array(periods);
  let running = 0;
  for (let k = 0; k < periods; k++) cumulativeActual[k] = running += actual[k];
  return { periodEnd, actual, expected, cumulativeActual, cumulativeExpected, cutoff: input.cutoff };
}

export interface CountBuckets {
  /** Bucket labels: "0", "1", …, "7+". */
  labels: string[];
  actual: Float64Array;
  expected: Float64Array;
}

const bucketLabels = (top: number) => Array.from({ length: top + 1 }, (_, k) => (k === top ? `${k}+` : String(k)));

/**
 * Customers by number of repeat purchases in calibration, actual vs model: the model's count for
 * bucket n is Σᵢ P(X(Tᵢ) = n) over customers (each observed for their own Tᵢ), the last bucket
 * takes the rest.
 */
export function periodTransactions(kind: TransactionModelKind, params: TransactionParams, frequency: ArrayLike<number>, T: ArrayLike<number>, top = 7): CountBuckets {
  const model = TRANSACTION_MODELS[kind];
  const actual = new Float64Array(top + 1);
  const expected = new Float64Array(top + 1);
  const ages = new Map<number, number>();
  for (let i = 0; i < frequency.length; i++) {
    actual[Math.min(frequency[i], top)]++;
    ages.set(T[i], (ages.get(T[i]) ?? 0) + 1);
  }
  for (const [age, count] of ages) {
    let below = 0;
    for (let n = 0; n < top; n++) {
      const p = model.unconditionalProbability(params, age, n);
      expected[n] += count * p;
      below += p;
    }
    expected[top] += count * Math.max(0, 1 - below);
  }
  return { labels: bucketLabels(top), actual, expected };
}

export interface HoldoutByFrequency extends CountBuckets {
  /** Customers in each bucket. */
  customers: Float64Array;
}

/** Mean holdout purchases by calibration frequency (0…top−1, top+), actual vs the model's conditional expectation. */
export function holdoutByFrequency(frequency: ArrayLike<number>, expectedHoldout: ArrayLike<number>, actualHoldout: ArrayLike<number>, top = 7): HoldoutByFrequency {
  const customers = new Float64Array(top + 1);
  const actual = new Float64Array(top + 1);
  const expected = new Float64Array(top + 1);
  for (let i = 0; i < frequency.length; i++) {
    const k = Math.min(frequency[i], top);
    customers[k]++;
    actual[k] += actualHoldout[i];
    expected[k] += expectedHoldout[i];
  }
  for (let k = 0; k <= top; k++) {
    actual[k] = customers[k] > 0 ? actual[k] / customers[k] : NaN;
    expected[k] = customers[k] > 0 ? expected[k] / customers[k] : NaN;
  }
  return { labels: bucketLabels(top), customers, actual, expected };
}

export interface CustomerMatrix {
  /** Frequencies of the rows (at most `maxSide`, evenly spread integers). */
  frequency: number[];
  /** Recencies of the columns (at most `maxSide`, evenly spread over [0, T]). */
  recency: number[];
  /** Row-major values, frequency × recency. */
  values: Float64Array;
  T: number;
}

/** Largest number of rows or columns of a matrix: a large file must not make a grid of millions of cells. */
export const MAX_MATRIX_SIDE = 60;

/**
 * P(alive) (`what` = 'alive') or expected purchases in the next `horizon` ('purchases') of a
 * customer of age T, over frequency 0…maxFrequency and recency 0…T. The grid is capped at
 * maxSide × maxSide cells whatever the data's range.
 */
export function customerMatrix(
  kind: TransactionModelKind,
  params: TransactionParams,
  what: 'alive' | 'purchases',
  T: number,
  maxFrequency: number,
  options: { horizon?: number; maxSide?: number } = {},
): CustomerMatrix {
  const model = TRANSACTION_MODELS[kind];
  const side = Math.max(2, Math.min(options.maxSide ?? MAX_MATRIX_SIDE, MAX_MATRIX_SIDE));
  if (!(T > 0)) throw new RangeError(`T must be positive, got ${T}`);
  if (what === 'purchases' && !(options.horizon! > 0)) throw new RangeError('the expected-purchases matrix needs a positive horizon');
  const top = Math.max(1, Math.floor(maxFrequency));
  const rows = Math.min(side, top + 1);
  const frequency = [...new Set(Array.from({ length: rows }, (_, k) => Math.round((k * top) / (rows - 1))))];
  const recency = Array.from({ length: side }, (_, k) => (k * T) / (side - 1));
  const values = new Float64Array(frequency.length * recency.length);
  frequency.forEach((x, r) =>
    recency.forEach((tx, c) => {
      // A customer without repeat purchases has no recency of their own: t_x = 0 whatever the column.
      const recent = x === 0 ? 0 : tx;
      values[r * recency.length + c] = what === 'alive' ? model.probabilityAlive(params, x, recent, T) : model.expectedPurchases(params, options.horizon!, x, recent, T);
    }),
  );
  return { frequency, recency, values, T };
}
