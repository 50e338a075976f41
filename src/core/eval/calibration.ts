/**
 * Calibration and ranking views of a CLV model: the decile table (does the predicted value of each
 * tenth of customers match what they actually spent?) and cumulative gain / lift curves (how much
 * of the actual value do we reach by targeting the top x% by prediction?).
 */
import {
  captureCurve,
  capturedAt,
  checkSameLength,
  descendingOrder,
  type NumericArray,
} from './metrics';

export interface DecileRow {
  /** 1 = the customers with the highest predictions, 10 = the lowest. */
  decile: number;
  count: number;
  mean_predicted: number;
  mean_actual: number;
  sum_actual: number;
}

export interface GainPoint {
  /** Share of customers targeted, highest predictions first. */
  fraction: number;
  /** Share of total actual value those customers hold. */
  gain: number;
  /** gain / fraction: how many times better than targeting at random. */
  lift: number;
  /** The gain a perfect ranking (by actual value itself) would reach. */
  ideal_gain: number;
}

const DECILES = 10;

/**
 * Customers sorted by prediction, highest first, and cut into 10 groups whose sizes differ by at
 * most one (decile 1 gets ceil(n/10), matching topDecileShare). Customers with tied predictions
 * that straddle a cut contribute their average actual value to each side, so the table never
 * depends on row order. Empty deciles (n < 10) have count 0 and NaN means.
 */
export function decileTable(actual: NumericArray, predicted: NumericArray): DecileRow[] {
  const n = checkSameLength(actual, predicted);
  const order = descendingOrder(predicted);
  const curve = captureCurve(actual, predicted);
  const rows: DecileRow[] = [];
  let start = 0;
  for (let d = 0; d < DECILES; d++) {
    const end = Math.ceil(((d + 1) * n) / DECILES);
    const count = end - start;
    let sumPredicted = 0;
    for (let r = start; r < end; r++) sumPredicted += predicted[order[r]];
    const sumActual = capturedAt(curve, end) - capturedAt(curve, start);
    rows.push({
      decile: d + 1,
      count,
      mean_predicted: count === 0 ? NaN : sumPredicted / count,
      mean_actual: count === 0 ? NaN : sumActual / count,
      sum_actual: sumActual,
    });
    start = end;
  }
  return rows;
}

/**
 * Cumulative gain and lift at `points` evenly spaced fractions (1/points … 1). Fractional customer
 * counts interpolate linearly, which is also how tied predictions are averaged.
 */
export function gainCurve(actual: NumericArray, predicted: NumericArray, points = 100): GainPoint[] {
  if (!Number.isSafeInteger(points) || points < 1) throw new RangeError(`points must be a positive integer, got ${points}`);
  const model = captureCurve(actual, predicted);
  const ideal = captureCurve(actual, actual);
  const result: GainPoint[] = [];
  for (let i = 1; i <= points; i++) {
    const fraction = i / points;
    const gain = capturedAt(model, fraction * model.n) / model.total;
    result.push({
      fraction,
      gain,
      lift: gain / fraction,
      ideal_gain: capturedAt(ideal, fraction * ideal.n) / ideal.total,
    });
  }
  return result;
}
