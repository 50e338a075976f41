/**
 * Churn, one definition everywhere (metrics, retention lists, exports, the app): the probability
 * that a customer makes no purchase in the horizon (or the forecast's period). 1 − P(alive) is not
 * used for churn: BG/NBD gives every one-time buyer P(alive) = 1, so it would call the customers
 * likeliest to stay away safe. P(alive) stays available beside it, as its own column.
 */
import { bgnbdProbabilityNoPurchase, type BgNbdParams } from '../models/bgnbd';
import type { BtydColumns } from '../models/btydForecast';

/** The definition in words, as the page and the exports' documentation state it. */
export const CHURN_DEFINITION = 'churn = P(no purchase in the period)';

/** BG/NBD's P(no purchase within `horizon` units) per customer: the churn score of BG/NBD and of the models that take their purchases from it. */
export function bgnbdChurn(params: BgNbdParams, data: BtydColumns, horizon: number): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  const cache = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const tx = x === 0 ? 0 : data.recency[i];
    const key = `${x},${tx},${data.T[i]}`;
    let p = cache.get(key);
    if (p === undefined) {
      p = bgnbdProbabilityNoPurchase(params, horizon, x, tx, data.T[i]);
      cache.set(key, p);
    }
    out[i] = p;
  }
  return out;
}
