/**
 * Calibration summaries (x, t_x, T) merged into distinct rows with a weight each: likelihoods of
 * the transaction models depend on nothing else, and real data repeat the same triples a lot.
 */
import type { RfmColumns } from './bgnbd';

export interface RfmRows {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Customers, i.e. the sum of the weights. */
  customers: number;
  meanT: number;
}

/** Validates the columns (0 ≤ t_x ≤ T, integer x ≥ 0) and merges equal rows. */
export function rfmRows(data: RfmColumns): RfmRows {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n) {
    throw new RangeError(`frequency, recency and T must have equal lengths, got ${n}, ${data.recency.length}, ${data.T.length}`);
  }
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  let sumT = 0;
  for (let i = 0; i < n; i++) {
    const xi = data.frequency[i];
    const Ti = data.T[i];
    // t_x carries no information when x = 0.
    const txi = xi === 0 ? 0 : data.recency[i];
    if (!(Number.isInteger(xi) && xi >= 0)) throw new RangeError(`frequency must be a non-negative integer, got ${xi} at row ${i}`);
    if (!(txi >= 0 && Ti >= txi && Number.isFinite(Ti))) {
      throw new RangeError(`need 0 ≤ recency ≤ T (finite), got recency ${data.recency[i]}, T ${Ti} at row ${i}`);
    }
    sumT += Ti;
    const key = `${xi},${txi},${Ti}`;
    const row = index.get(key);
    if (row !== undefined) {
      weight[row]++;
      continue;
    }
    index.set(key, weight.length);
    x.push(xi);
    tx.push(txi);
    T.push(Ti);
    weight.push(1);
  }
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    weight: Float64Array.from(weight),
    customers: n,
    meanT: n > 0 ? sumT / n : 0,
  };
}
