/**
 * Spend per purchase day as a lognormal with a normal prior on each customer's log mean
 * (an empirical-Bayes, one-way random-effects model): the log spend of customer i's purchase days
 * is ℓ_ij ~ N(μ_i, σ²) and μ_i ~ N(μ₀, τ²) across customers. μ₀, τ² and σ² are fitted by maximum
 * likelihood on the calibration purchase days of every customer (the first one included, which
 * Gamma-Gamma leaves out), through each customer's count n_i, mean m_i and sum of squared
 * deviations S_i of log spend:
 *   ℓ_i = −(n_i − 1)/2 · log σ² − S_i / (2σ²) − ½ log(τ² + σ²/n_i) − (m_i − μ₀)² / (2(τ² + σ²/n_i)),
 * with μ₀ profiled out (its weighted mean for given variances). A customer's expected spend per
 * purchase day is then the posterior mean E[exp(μ_i + ε)] = exp(μ̂_i + v_i/2 + σ²/2), with
 * v_i = 1/(1/τ² + n_i/σ²) and μ̂_i = v_i (μ₀/τ² + n_i m_i/σ²) (μ₀ and τ² for a customer without
 * a positive day).
 *
 * Why: Gamma-Gamma has a finite population mean only when q > 1; on heavy-tailed spend
 * (lognormal σ ≈ 2, a few wholesale customers) its fit comes out with q ≤ 1 and is degenerate,
 * and BG/NBD + Gamma-Gamma falls back to each customer's raw mean, with no shrinkage at all. This
 * model shrinks a customer's mean by how much their own days say, on the log scale where such
 * spend is close to normal. It is the spend side used when Gamma-Gamma is degenerate
 * (evaluate/probabilisticStep.ts), not a replacement where Gamma-Gamma fits.
 */
import { nelderMead } from '../math/nelderMead';

/** Per-customer statistics of log spend over calibration purchase days with a positive spend. */
export interface LogSpendColumns {
  /** Purchase days with a positive spend (n_i). */
  days: ArrayLike<number>;
  /** Mean of their log spend (m_i; 0 when days is 0). */
  mean: ArrayLike<number>;
  /** Sum of squared deviations of their log spend from that mean (S_i). */
  squares: ArrayLike<number>;
}

export interface LognormalSpendFit {
  /** Population mean of the customers' log means. */
  mu0: number;
  /** Variance of the customers' log means around mu0. */
  tau2: number;
  /** Variance of a purchase day's log spend around its customer's log mean. */
  sigma2: number;
  /** Customers with at least one positive purchase day that the fit used. */
  customers: number;
}

/** Fewest customers with two or more positive purchase days (they alone tell σ² apart from τ²). */
export const MIN_REPEAT_CUSTOMERS = 20;
const FLOOR = 1e-8;

/**
 * Fits μ₀, τ², σ² by maximum likelihood; null when fewer than MIN_REPEAT_CUSTOMERS customers have
 * two or more positive purchase days, or the statistics are not finite.
 */
export function fitLognormalSpend(stats: LogSpendColumns): LognormalSpendFit | null {
  const used: number[] = [];
  let repeaters = 0;
  let within = 0;
  let withinDf = 0;
  for (let i = 0; i < stats.days.length; i++) {
    const n = stats.days[i];
    if (!(n >= 1) || !Number.isFinite(stats.mean[i]) || !Number.isFinite(stats.squares[i])) continue;
    used.push(i);
    if (n >= 2) {
      repeaters++;
      within += stats.squares[i];
      withinDf += n - 1;
    }
  }
  if (repeaters < MIN_REPEAT_CUSTOMERS || !(within > 0)) return null;
  const n = Float64Array.from(used, (i) => stats.days[i]);
  const m = Float64Array.from(used, (i) => stats.mean[i]);
  const S = Float64Array.from(used, (i) => stats.squares[i]);
  const k = used.length;
  const profile = (tau2: number, sigma2: number) => {
    let sw = 0;
    let swm = 0;
    for (let j = 0; j < k; j++) {
      const w = 1 / (tau2 + sigma2 / n[j]);
      sw += w;
      swm += w * m[j];
    }
    return swm / sw;
  };
  const negLogLikelihood = (x: Float64Array) => {
    const tau2 = Math.exp(x[0]) + FLOOR;
    const sigma2 = Math.exp(x[1]) + FLOOR;
    const mu0 = profile(tau2, sigma2);
    let ll = -(withinDf / 2) * Math.log(sigma2) - within / (2 * sigma2);
    for (let j = 0; j < k; j++) {
      const v = tau2 + sigma2 / n[j];
      ll -= 0.5 * Math.log(v) + ((m[j] - mu0) * (m[j] - mu0)) / (2 * v);
    }
    return -ll / k;
  };
  // Start from the moment estimates: the pooled within-customer variance, and what is left of the spread of the means.
  const sigma2Start = within / withinDf;
  let mean = 0;
  for (let j = 0; j < k; j++) mean += m[j] / k;
  let spread = 0;
  for (let j = 0; j < k; j++) spread += (m[j] - mean) ** 2 / Math.max(1, k - 1);
  const tau2Start = Math.max(spread - sigma2Start / 2, 0.05 * spread, 1e-4);
  const best = nelderMead(negLogLikelihood, [Math.log(tau2Start), Math.log(sigma2Start)], { step: 0.5, maxIterations: 2000 });
  const tau2 = Math.exp(best.x[0]) + FLOOR;
  const sigma2 = Math.exp(best.x[1]) + FLOOR;
  const fit = { mu0: profile(tau2, sigma2), tau2, sigma2, customers: k };
  return [fit.mu0, fit.tau2, fit.sigma2].every(Number.isFinite) ? fit : null;
}

/** Each customer's expected spend per purchase day under the fit (the posterior mean; see the file's comment). */
export function lognormalExpectedSpend(fit: Pick<LognormalSpendFit, 'mu0' | 'tau2' | 'sigma2'>, stats: LogSpendColumns): Float64Array {
  const out = new Float64Array(stats.days.length);
  for (let i = 0; i < out.length; i++) {
    const n = stats.days[i] >= 1 && Number.isFinite(stats.mean[i]) ? stats.days[i] : 0;
    const precision = 1 / fit.tau2 + n / fit.sigma2;
    const v = 1 / precision;
    const mu = v * (fit.mu0 / fit.tau2 + (n > 0 ? (n * stats.mean[i]) / fit.sigma2 : 0));
    out[i] = Math.exp(mu + v / 2 + fit.sigma2 / 2);
  }
  return out;
}
