/**
 * Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value"). Each transaction value is Gamma(p, ν) with a customer-specific rate
 * ν ~ Gamma(q, v), so a customer's mean spend is p/ν and the population mean is p·v/(q−1).
 *
 * It is fitted on customers with at least one repeat purchase, using x (repeat purchases) and
 * m̄ (their mean value). It assumes spend is independent of purchase frequency; the fit reports
 * the observed correlation so callers can tell when that assumption is doubtful.
 */
import { nelderMead } from '../math/nelderMead';
import { lgamma } from '../math/special';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  /** Total log-likelihood at the estimate, over the customers used. */
  logLikelihood: number;
  converged: boolean;
  /** True when the estimate is not usable for forecasts; see degenerateReason. */
  degenerate: boolean;
  degenerateReason?: string;
  /** Customers with x > 0 and m̄ > 0, the only ones the model is fitted on. */
  customersUsed: number;
  /** Pearson correlation of x and m̄ over the customers used (NaN if undefined). */
  frequencyMonetaryCorrelation: number;
  /** Doubts that do not make the fit unusable, in plain sentences. */
  warnings: string[];
}

export interface SpendColumns {
  /** Repeat purchases x per customer. */
  frequency: ArrayLike<number>;
  /** Mean value m̄ of the repeat purchases per customer (ignored where x = 0). */
  monetary: ArrayLike<number>;
}

export interface GammaGammaFitOptions {
  /** Adds l2Penalty · (p² + q² + v²) to the mean negative log-likelihood. Default 0. */
  l2Penalty?: number;
  /** Nelder-Mead iteration budget. Default 5000. */
  maxIterations?: number;
}

/** Parameters beyond this are the optimiser chasing a boundary, not an estimate. */
const DEGENERATE_PARAMETER = 1e4;
/** The log-scale search stops here (e^±25 ≈ 7e10 / 1.4e-11): far past any usable estimate. */
const LOG_BOUND = 25;
/** |corr(x, m̄)| above this casts doubt on the independence assumption. */
const CORRELATION_WARNING = 0.3;

export function fitGammaGamma(data: SpendColumns, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const penalty = options.l2Penalty ?? 0;
  if (!(penalty >= 0)) throw new RangeError(`l2Penalty must be ≥ 0, got ${penalty}`);
  const customers = repeatCustomers(data);
  if (customers.x.length === 0) {
    throw new RangeError(
      'fitGammaGamma needs at least one customer with a repeat purchase and positive spend',
    );
  }
  const n = customers.x.length;
  const likelihood = prepare(customers);

  const objective = (theta: Float64Array): number => {
    // Past the bound the likelihood may keep rising forever (e.g. constant spends); walling it
    // off lets the search stop there so the result can be reported as degenerate.
    if (theta.some((t) => Math.abs(t) > LOG_BOUND)) return Infinity;
    const params = fromLog(theta);
    const size = params.p ** 2 + params.q ** 2 + params.v ** 2;
    return -likelihood.logLikelihood(params) / n + penalty * size;
  };
  // v is a spend scale: starting it at the mean spend suits cents as well as dollars.
  const meanSpend = customers.monetary.reduce((s, m) => s + m, 0) / n;
  const result = nelderMead(objective, [0, 0, Math.log(meanSpend)], {
    maxIterations: options.maxIterations,
  });
  const params = fromLog(result.x);
  const converged = result.converged && Number.isFinite(result.value);
  const correlation = pearson(customers.x, customers.monetary);

  const warnings: string[] = [];
  if (Math.abs(correlation) > CORRELATION_WARNING) {
    warnings.push(
      `Purchase frequency and average spend are correlated (r = ${correlation.toFixed(2)}); ` +
        'the Gamma-Gamma model assumes they are independent, so spend forecasts may be biased.',
    );
  }
  const degenerateReason = diagnose(params, converged);
  return {
    ...params,
    logLikelihood: likelihood.logLikelihood(params),
    converged,
    degenerate: degenerateReason !== undefined,
    ...(degenerateReason !== undefined && { degenerateReason }),
    customersUsed: n,
    frequencyMonetaryCorrelation: correlation,
    warnings,
  };
}

/**
 * Total log-likelihood over customers with x > 0 and m̄ > 0 (Fader & Hardie 2013):
 *   log Γ(px+q) − log Γ(px) − log Γ(q) + q log v
 *   + (px−1) log m̄ + px log x − (px+q) log(v + x m̄).
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendColumns): number {
  return prepare(repeatCustomers(data)).logLikelihood(params);
}

/**
 * E[mean transaction value | x, m̄] = p(v + x m̄)/(px + q − 1): a weighted average of the
 * population mean p·v/(q−1) and the customer's own m̄, leaning on m̄ as x grows. For x = 0 it is
 * the population mean.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, mbar: number): number {
  const { p, q, v } = params;
  // Explicit so that a missing m̄ (NaN, common for one-time buyers) cannot leak into the result.
  if (x === 0) return (p * v) / (q - 1);
  return (p * (v + x * mbar)) / (p * x + q - 1);
}

/** gammaGammaExpectedSpend for every customer, in one pass. */
export function gammaGammaExpectedSpendMany(params: GammaGammaParams, data: SpendColumns): Float64Array {
  const n = data.frequency.length;
  if (data.monetary.length !== n) {
    throw new RangeError(
      `frequency and monetary must have equal lengths, got ${n} and ${data.monetary.length}`,
    );
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = gammaGammaExpectedSpend(params, data.frequency[i], data.monetary[i]);
  return out;
}

function diagnose({ p, q, v }: GammaGammaParams, converged: boolean): string | undefined {
  const huge = Object.entries({ p, q, v }).filter(([, value]) => !(value <= DEGENERATE_PARAMETER));
  if (huge.length > 0) {
    return (
      `${huge.map(([name]) => name).join(', ')} ran past ${DEGENERATE_PARAMETER}: spends vary too little ` +
      'between or within customers for the model to estimate (e.g. near-constant order values).'
    );
  }
  if (q <= 1) {
    return (
      `q = ${q.toPrecision(3)} ≤ 1, so the population mean spend p·v/(q−1) does not exist ` +
      '(very heavy-tailed spend).'
    );
  }
  if (!converged) return 'the optimiser did not converge within its iteration budget.';
  return undefined;
}

/** Keeps customers with x > 0 and m̄ > 0; a zero or negative mean spend has no Gamma density. */
function repeatCustomers(data: SpendColumns): { x: number[]; monetary: number[] } {
  const n = data.frequency.length;
  if (data.monetary.length !== n) {
    throw new RangeError(
      `frequency and monetary must have equal lengths, got ${n} and ${data.monetary.length}`,
    );
  }
  const x: number[] = [];
  const monetary: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = data.frequency[i];
    const mi = data.monetary[i];
    if (!(xi >= 0) || (xi > 0 && Number.isNaN(mi))) {
      throw new RangeError(`need frequency ≥ 0 and a numeric monetary value, got ${xi}, ${mi} at row ${i}`);
    }
    if (xi > 0 && mi > 0) {
      x.push(xi);
      monetary.push(mi);
    }
  }
  return { x, monetary };
}

/**
 * Precomputes log m̄ and x·m̄, and indexes customers by distinct x, so that the lgamma terms (which
 * depend on x only) are evaluated once per distinct x rather than once per customer.
 */
function prepare(customers: { x: number[]; monetary: number[] }): {
  logLikelihood(params: GammaGammaParams): number;
} {
  const n = customers.x.length;
  const distinctX: number[] = [];
  const xSlot = new Map<number, number>();
  const xIndex = new Int32Array(n);
  const logM = new Float64Array(n);
  const xm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = customers.x[i];
    let slot = xSlot.get(x);
    if (slot === undefined) {
      slot = distinctX.length;
      xSlot.set(x, slot);
      distinctX.push(x);
    }
    xIndex[i] = slot;
    logM[i] = Math.log(customers.monetary[i]);
    xm[i] = x * customers.monetary[i];
  }
  const perX = new Float64Array(distinctX.length);
  return {
    logLikelihood({ p, q, v }: GammaGammaParams): number {
      const shared = -lgamma(q) + q * Math.log(v);
      for (let k = 0; k < distinctX.length; k++) {
        const px = p * distinctX[k];
        perX[k] = shared + lgamma(px + q) - lgamma(px) + px * Math.log(distinctX[k]);
      }
      let total = 0;
      for (let i = 0; i < n; i++) {
        const px = p * customers.x[i];
        total += perX[xIndex[i]] + (px - 1) * logM[i] - (px + q) * Math.log(v + xm[i]);
      }
      return total;
    },
  };
}

function fromLog(theta: ArrayLike<number>): GammaGammaParams {
  return { p: Math.exp(theta[0]), q: Math.exp(theta[1]), v: Math.exp(theta[2]) };
}

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] / n;
    my += ys[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
