/**
 * Any of the transaction models (BG/NBD, Pareto/NBD, MBG/NBD) with Gamma-Gamma for spend: fit on
 * calibration summaries, forecast per customer, and 90% intervals by a parametric bootstrap.
 */
import { cholesky } from '../math/matrix';
import { sampleGamma } from '../math/sampling';
import { Rng } from '../random';
import { fitSpendModel, type BtydColumns } from './btydForecast';
import { discountedValue, type ClvHorizon } from './clv';
import { gammaGammaExpectedSpend, gammaGammaLogLikelihood, type GammaGammaFit, type GammaGammaParams } from './gammaGamma';
import { logCovarianceOf } from './maximumLikelihood';
import { TRANSACTION_MODELS, type TransactionModelFit, type TransactionModelKind, type TransactionParams } from './transactionModels';

export interface TransactionFit {
  kind: TransactionModelKind;
  model: TransactionModelFit;
  /** Null when Gamma-Gamma could not be fitted; check `degenerate` before use. */
  gammaGamma: GammaGammaFit | null;
  /** Mean repeat spend, the stand-in spend per purchase without a usable Gamma-Gamma fit. */
  populationSpend: number;
  warnings: string[];
}

export interface TransactionForecast extends TransactionFit {
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  /** P(no purchase in the horizon), from the model's count distribution. */
  probabilityNoPurchase: Float64Array;
  expectedSpendPerPurchase: Float64Array;
  /** Expected purchases × expected spend per purchase. */
  horizonSpend: Float64Array;
  discountedClv: Float64Array | null;
}

export interface TransactionForecastOptions {
  /** Horizon length in the model's time unit. */
  horizon: number;
  discount?: ClvHorizon;
}

const PENALTY = 1e-3;
const isExtreme = (params: TransactionParams) => Object.values(params).some((v) => v > 1e4 || v < 1e-6);

/**
 * Fits the transaction model and Gamma-Gamma on calibration summaries. A fit that does not converge
 * or runs to a boundary is refitted with a small L2 penalty (as lifetimes' penalizer); what happened
 * is said in `warnings`. `spend` reuses a Gamma-Gamma fit made on the same customers.
 */
export function fitTransactionModel(kind: TransactionModelKind, data: BtydColumns, spend?: Pick<TransactionFit, 'gammaGamma' | 'populationSpend'>): TransactionFit {
  const definition = TRANSACTION_MODELS[kind];
  const warnings: string[] = [];
  let model = definition.fit(data);
  if (!model.converged || isExtreme(model.params)) {
    const penalised = definition.fit(data, { l2Penalty: PENALTY });
    if (model.message) warnings.push(model.message);
    const shown = Object.entries(model.params)
      .map(([name, value]) => `${name}=${value.toPrecision(3)}`)
      .join(', ');
    warnings.push(`${definition.label} was refitted with an L2 penalty of ${PENALTY} (unpenalised estimate: ${shown}).`);
    model = penalised;
  }
  if (model.message) warnings.push(model.message);
  const spendModel = spend ? { ...spend, warnings: [] } : fitSpendModel(data);
  warnings.push(...spendModel.warnings);
  return { kind, model, gammaGamma: spendModel.gammaGamma, populationSpend: spendModel.populationSpend, warnings };
}

/** Forecasts with a fitted model for the customers of `data` (which need not be the ones it was fitted on). */
export function forecastTransactionModel(fit: TransactionFit, data: BtydColumns, options: TransactionForecastOptions): TransactionForecast {
  const definition = TRANSACTION_MODELS[fit.kind];
  const params = fit.model.params;
  const n = data.frequency.length;
  const pAlive = new Float64Array(n);
  const expectedPurchases = new Float64Array(n);
  const probabilityNoPurchase = new Float64Array(n);
  const spendPerPurchase = new Float64Array(n);
  const discountedClv = options.discount ? new Float64Array(n) : null;
  const gammaGamma = usableSpendModel(fit);
  const cache = new Map<string, [number, number, number]>();
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const tx = x === 0 ? 0 : data.recency[i];
    const T = data.T[i];
    const key = `${x},${tx},${T}`;
    let row = cache.get(key);
    if (!row) {
      row = [definition.probabilityAlive(params, x, tx, T), definition.expectedPurchases(params, options.horizon, x, tx, T), definition.probabilityNoPurchase(params, options.horizon, x, tx, T)];
      cache.set(key, row);
    }
    [pAlive[i], expectedPurchases[i], probabilityNoPurchase[i]] = row;
    spendPerPurchase[i] = spendOf(gammaGamma, fit.populationSpend, x, data.monetary[i]);
    if (discountedClv && gammaGamma) discountedClv[i] = discountedValue((t) => definition.expectedPurchases(params, t, x, tx, T), spendPerPurchase[i], options.discount!);
  }
  return {
    ...fit,
    warnings: [...fit.warnings],
    pAlive,
    expectedPurchases,
    probabilityNoPurchase,
    expectedSpendPerPurchase: spendPerPurchase,
    horizonSpend: expectedPurchases.map((e, i) => e * spendPerPurchase[i]),
    discountedClv: gammaGamma ? discountedClv : null,
  };
}

/** Gamma-Gamma when it was fitted and is not degenerate. */
function usableSpendModel(fit: Pick<TransactionFit, 'gammaGamma'>): GammaGammaFit | null {
  return fit.gammaGamma && !fit.gammaGamma.degenerate ? fit.gammaGamma : null;
}

function spendOf(gammaGamma: GammaGammaParams | null, populationSpend: number, x: number, monetary: number): number {
  if (gammaGamma) return gammaGammaExpectedSpend(gammaGamma, x, monetary);
  return x > 0 ? monetary : populationSpend;
}

export interface IntervalBounds {
  lower: Float64Array;
  upper: Float64Array;
}

export interface CustomerIntervals {
  /** Central coverage of every interval, 0.9. */
  level: number;
  /** Parameter draws behind each interval. */
  draws: number;
  /** Parameter uncertainty only: where the expectation would be under plausible parameters. */
  expectedPurchases: IntervalBounds;
  horizonSpend: IntervalBounds;
  discountedClv: IntervalBounds | null;
  /**
   * Predictive interval of the spend the customer will actually make in the horizon: parameter
   * uncertainty plus the randomness of purchases and of their values. This is the interval whose
   * coverage of actual holdout spend can be checked.
   */
  actualSpend: IntervalBounds;
}

export interface IntervalOptions extends TransactionForecastOptions {
  seed: number;
  /** Parameter draws. Default 200, fewer for large files (at least 20) so the work stays near 2M customer-draws. */
  draws?: number;
}

const LEVEL = 0.9;
/** Above this many customers no intervals are computed: even at 20 draws the bootstrap would take minutes. */
export const MAX_INTERVAL_CUSTOMERS = 250_000;

/**
 * 90% intervals per customer by a parametric bootstrap: parameter vectors are drawn from the
 * asymptotic normal of the log-parameters (inverse observed information at the estimate), for the
 * transaction model and Gamma-Gamma independently; for each draw the customer's expectations are
 * recomputed, and one outcome is simulated (alive or not, purchases from the posterior of their
 * rates, spend from the Gamma-Gamma posterior of their spend rate). Quantiles 5% and 95% over the
 * draws bound each interval. Null, with the reason, when the model's covariance is not available.
 */
/** What the bootstrap needs from a fit; BG/NBD fitted elsewhere (btydForecast) qualifies too. */
export type IntervalSource = Pick<TransactionFit, 'kind' | 'gammaGamma' | 'populationSpend'> & {
  model: Pick<TransactionModelFit, 'params' | 'customers'> & { logCovariance?: number[][] | null };
};

export function forecastIntervals(fit: IntervalSource, fitData: BtydColumns, data: BtydColumns, options: IntervalOptions): { intervals: CustomerIntervals | null; warning: string | null } {
  const definition = TRANSACTION_MODELS[fit.kind];
  const n = data.frequency.length;
  if (n > MAX_INTERVAL_CUSTOMERS) {
    return { intervals: null, warning: `${definition.label}: no per-customer intervals above ${MAX_INTERVAL_CUSTOMERS.toLocaleString('en-US')} customers, where the bootstrap would take minutes.` };
  }
  const names = definition.parameterNames;
  const covariance = fit.model.logCovariance ?? logCovarianceOf(names, definition.likelihood(fitData), fit.model.params, fit.model.customers);
  const factor = covariance ? cholesky(covariance) : null;
  if (!factor) return { intervals: null, warning: `${definition.label}: no intervals, because the likelihood's curvature at the estimate gives no usable covariance.` };
  const gammaGamma = usableSpendModel(fit);
  const ggNames = ['p', 'q', 'v'] as const;
  const ggCovariance = gammaGamma ? logCovarianceOf(ggNames, (p) => gammaGammaLogLikelihood(p, fitData), gammaGamma, Math.max(1, gammaGamma.customersUsed)) : null;
  const ggFactor = ggCovariance ? cholesky(ggCovariance) : null;

  const draws = options.draws ?? Math.max(20, Math.min(200, Math.floor(2_000_000 / Math.max(1, n))));
  const rng = new Rng(options.seed);
  const drawLog = (center: readonly number[], L: Float64Array[]) => {
    const z = center.map(() => rng.normal());
    return center.map((c, i) => Math.exp(c + L[i].reduce((s, l, k) => (k <= i ? s + l * z[k] : s), 0)));
  };
  const center = names.map((name) => Math.log(fit.model.params[name]));
  const modelDraws: TransactionParams[] = [];
  for (let b = 0; b < draws; b++) {
    const values = drawLog(center, factor);
    modelDraws.push(Object.fromEntries(names.map((name, i) => [name, values[i]])));
  }
  const spendDraws: (GammaGammaParams | null)[] = [];
  for (let b = 0; b < draws; b++) {
    if (!gammaGamma || !ggFactor) {
      spendDraws.push(gammaGamma);
      continue;
    }
    // The population mean p·v/(q−1) needs q > 1: redraw the rare draws that cross it.
    let drawn: GammaGammaParams = gammaGamma;
    for (let attempt = 0; attempt < 100; attempt++) {
      const [p, q, v] = drawLog([gammaGamma.p, gammaGamma.q, gammaGamma.v].map(Math.log), ggFactor);
      if (q > 1) {
        drawn = { p, q, v };
        break;
      }
    }
    spendDraws.push(drawn);
  }

  const out = {
    purchasesLow: new Float64Array(n),
    purchasesHigh: new Float64Array(n),
    spendLow: new Float64Array(n),
    spendHigh: new Float64Array(n),
    actualLow: new Float64Array(n),
    actualHigh: new Float64Array(n),
    clvLow: options.discount ? new Float64Array(n) : null,
    clvHigh: options.discount ? new Float64Array(n) : null,
  };
  // Customers sharing (x, t_x, T) share the model's part of the work.
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const key = `${x},${x === 0 ? 0 : data.recency[i]},${data.T[i]}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  const alive = new Float64Array(draws);
  const expected = new Float64Array(draws);
  const cumulative: Float64Array[] = options.discount ? Array.from({ length: options.discount.periods }, () => new Float64Array(draws)) : [];
  const spend = new Float64Array(draws);
  const clv = new Float64Array(draws);
  const actual = new Float64Array(draws);
  const t = options.horizon;
  for (const group of groups.values()) {
    const first = group[0];
    const x = data.frequency[first];
    const tx = x === 0 ? 0 : data.recency[first];
    const T = data.T[first];
    for (let b = 0; b < draws; b++) {
      alive[b] = definition.probabilityAlive(modelDraws[b], x, tx, T);
      expected[b] = definition.expectedPurchases(modelDraws[b], t, x, tx, T);
      if (options.discount) {
        for (let k = 0; k < cumulative.length; k++) cumulative[k][b] = definition.expectedPurchases(modelDraws[b], (k + 1) * options.discount.unitsPerPeriod, x, tx, T);
      }
    }
    setQuantiles(expected, group, out.purchasesLow, out.purchasesHigh);
    for (const i of group) {
      const monetary = data.monetary[i];
      for (let b = 0; b < draws; b++) {
        const gg = spendDraws[b];
        const perPurchase = spendOf(gg, fit.populationSpend, x, monetary);
        spend[b] = expected[b] * perPurchase;
        // discountedValue asks for E(k·u), k = 1…H, exactly the horizons tabulated above.
        if (options.discount) clv[b] = discountedValue((u) => cumulative[Math.round(u / options.discount!.unitsPerPeriod) - 1][b], perPurchase, options.discount);
        const purchases = rng.uniform() < alive[b] ? definition.simulateIfAlive(modelDraws[b], rng, t, x, T) : 0;
        actual[b] = purchases === 0 ? 0 : gg ? simulateSpend(rng, gg, purchases, x, monetary) : purchases * perPurchase;
      }
      setQuantiles(spend, [i], out.spendLow, out.spendHigh);
      setQuantiles(actual, [i], out.actualLow, out.actualHigh);
      if (out.clvLow && out.clvHigh) setQuantiles(clv, [i], out.clvLow, out.clvHigh);
    }
  }
  return {
    intervals: {
      level: LEVEL,
      draws,
      expectedPurchases: { lower: out.purchasesLow, upper: out.purchasesHigh },
      horizonSpend: { lower: out.spendLow, upper: out.spendHigh },
      discountedClv: out.clvLow && out.clvHigh && gammaGamma ? { lower: out.clvLow, upper: out.clvHigh } : null,
      actualSpend: { lower: out.actualLow, upper: out.actualHigh },
    },
    warning: gammaGamma && !ggFactor ? `${definition.label}: Gamma-Gamma's covariance is not available, so spend intervals hold its parameters fixed.` : null,
  };
}

/**
 * Total value of `purchases` future purchases: each is Gamma(p, ν), and the customer's rate ν has
 * the Gamma-Gamma posterior Gamma(q + p·x, v + x·m̄) (the prior Gamma(q, v) without repeat spend).
 */
function simulateSpend(rng: Rng, { p, q, v }: GammaGammaParams, purchases: number, x: number, monetary: number): number {
  const seen = x > 0 && monetary > 0 ? x : 0;
  const nu = sampleGamma(rng, q + p * seen, v + seen * (seen > 0 ? monetary : 0));
  return sampleGamma(rng, p * purchases, nu);
}

function setQuantiles(values: Float64Array, rows: readonly number[], low: Float64Array, high: Float64Array): void {
  const sorted = Float64Array.from(values).sort();
  const lo = quantile(sorted, (1 - LEVEL) / 2);
  const hi = quantile(sorted, (1 + LEVEL) / 2);
  for (const i of rows) {
    low[i] = lo;
    high[i] = hi;
  }
}

/** Linear interpolation between order statistics (type 7, as R and NumPy by default). */
function quantile(sorted: Float64Array, probability: number): number {
  const position = probability * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** Share of `rows` whose actual value lies inside [lower, upper] (bounds included). */
export function intervalCoverage(actual: ArrayLike<number>, bounds: IntervalBounds, rows: ArrayLike<number>): number {
  if (rows.length === 0) return NaN;
  let inside = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (actual[i] >= bounds.lower[i] && actual[i] <= bounds.upper[i]) inside++;
  }
  return inside / rows.length;
}
