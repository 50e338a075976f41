/**
 * Per-customer intervals of ZILN (zero-inflated lognormal) spend: the predictive distribution's own
 * quantiles. Spend is 0 with probability 1 − p and lognormal(μ, σ) otherwise, so its q-quantile is 0
 * when q ≤ 1 − p and exp(μ + σ·Φ⁻¹((q − (1 − p)) / p)) above. The 90% interval runs from the 5% to
 * the 95% quantile; a customer likely to buy nothing has lower bound 0, and one with P(buy) < 5% has
 * [0, 0].
 *
 * The bounds come from the net's raw distribution, not from the recalibrated mean (netStep.ts): the
 * recalibration fits the level of the mean, and says nothing about the spread around it.
 */
import { normalQuantile } from '../math/normalQuantile';
import { transformFeatures } from './scaler';
import type { NetPredictor } from './trainFnn';
import { zilnParameters, type ZilnParameters } from './ziln';

/** exp(30) ≈ 1e13, as the mean's cap in ziln.ts: no customer spends more in any currency. */
const LOG_SPEND_MAX = 30;

/** The q-quantile of one customer's spend. */
export function zilnQuantile(pReturn: number, mu: number, sigma: number, q: number): number {
  const zeroShare = 1 - pReturn;
  if (q <= zeroShare) return 0;
  return Math.exp(Math.min(mu + sigma * normalQuantile((q - zeroShare) / pReturn), LOG_SPEND_MAX));
}

export interface SpendInterval {
  lower: Float64Array;
  upper: Float64Array;
}

/** Central `level` intervals (default 90%: 5% and 95% quantiles) of every customer's spend. */
export function zilnIntervals({ pReturn, mu, sigma }: ZilnParameters, level = 0.9): SpendInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = pReturn.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lower[i] = zilnQuantile(pReturn[i], mu[i], sigma[i], (1 - level) / 2);
    upper[i] = zilnQuantile(pReturn[i], mu[i], sigma[i], (1 + level) / 2);
  }
  return { lower, upper };
}

/** The predictive distribution of a ZILN net (the ZILN model or the hybrid) for raw features X (n × d). */
export function zilnDistribution(predictor: NetPredictor, X: Float32Array): ZilnParameters {
  if (predictor.kind !== 'ziln') throw new Error('only a ZILN head has a predictive distribution');
  return zilnParameters(predictor.net.predictRaw(transformFeatures(X, predictor.scaler)));
}
