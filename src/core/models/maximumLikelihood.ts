/**
 * Maximum likelihood for the transaction models, shared: the search runs on log-parameters (all
 * must be positive), first by Nelder-Mead (robust far from the optimum), then polished by BFGS so
 * that convergence is judged by the gradient, not by a simplex that may have stalled. At the
 * optimum the observed information (the numerical Hessian on the log scale) gives standard errors
 * and 95% intervals, and the log-likelihood gives AIC and BIC.
 */
import { invertPositiveDefinite } from '../math/matrix';
import { nelderMead } from '../math/nelderMead';
import { numericHessian } from '../math/numericDerivatives';
import { bfgs } from '../math/quasiNewton';
import { chiSquareSurvival } from '../math/special';

export interface MaximumLikelihoodOptions {
  /** Adds l2Penalty · Σ θ² (natural scale) to the mean negative log-likelihood, as lifetimes' penalizer. Default 0. */
  l2Penalty?: number;
  /** Iteration budget of each stage (Nelder-Mead, then BFGS). Default 5000 and 200. */
  maxIterations?: number;
  /** Converged when the gradient of the mean negative log-likelihood (log scale) is at most this. Default 1e-5. */
  gradientTolerance?: number;
}

export interface ParameterSummary {
  value: number;
  /** Delta-method standard error on the natural scale (value × SE of log value); NaN when unavailable. */
  standardError: number;
  /** 95% interval from the log scale, exp(log value ± 1.96 SE): asymmetric and always positive. */
  lower95: number;
  upper95: number;
}

export interface MaximumLikelihoodFit<K extends string> {
  params: Record<K, number>;
  summary: Record<K, ParameterSummary>;
  /** Total log-likelihood at the estimate, without any penalty. */
  logLikelihood: number;
  aic: number;
  bic: number;
  parameterCount: number;
  customers: number;
  /** Nelder-Mead plus BFGS iterations. */
  iterations: number;
  /** Norm of the gradient of the mean negative log-likelihood in the log-parameters, at the estimate. */
  gradientNorm: number;
  converged: boolean;
  /** Why the fit is doubtful, in a plain sentence; null when it converged with a usable Hessian. */
  message: string | null;
  /** Covariance of the log-parameters (inverse observed information), in `names` order; null when the Hessian is not positive definite. */
  logCovariance: number[][] | null;
  /** The estimate on the log scale, in `names` order. */
  logParams: number[];
}

/** Beyond e^±25 a parameter is the optimiser chasing a boundary, not an estimate. */
const LOG_BOUND = 25;
const Z95 = 1.959963984540054;

/**
 * Maximises `logLikelihood` (the total over `customers` customers) over positive parameters named
 * `names`, starting from `start` (natural scale). Never throws on a failed fit: the result says
 * converged = false and why, so callers can report or refuse it.
 */
export function fitMaximumLikelihood<K extends string>(
  label: string,
  names: readonly K[],
  logLikelihood: (params: Record<K, number>) => number,
  customers: number,
  start: readonly number[],
  options: MaximumLikelihoodOptions = {},
): MaximumLikelihoodFit<K> {
  const penalty = options.l2Penalty ?? 0;
  if (!(penalty >= 0)) throw new RangeError(`l2Penalty must be ≥ 0, got ${penalty}`);
  if (!(customers > 0)) throw new RangeError(`${label} needs at least one customer`);
  const toParams = (theta: ArrayLike<number>) => Object.fromEntries(names.map((name, i) => [name, Math.exp(theta[i])])) as Record<K, number>;
  const safeLogLikelihood = (theta: ArrayLike<number>): number => {
    for (let i = 0; i < theta.length; i++) if (!(Math.abs(theta[i]) <= LOG_BOUND)) return -Infinity;
    try {
      const value = logLikelihood(toParams(theta));
      return Number.isNaN(value) ? -Infinity : value;
    } catch {
      // A special function that cannot converge at an extreme trial point: treat it as infeasible.
      return -Infinity;
    }
  };
  const objective = (theta: Float64Array): number => {
    let size = 0;
    if (penalty > 0) for (let i = 0; i < theta.length; i++) size += Math.exp(2 * theta[i]);
    return -safeLogLikelihood(theta) / customers + penalty * size;
  };
  const simplex = nelderMead(objective, start.map(Math.log), { maxIterations: options.maxIterations });
  const polished = bfgs(objective, simplex.x, { gradientTolerance: options.gradientTolerance ?? 1e-5, maxIterations: Math.min(200, options.maxIterations ?? 200) });
  const better = polished.value <= simplex.value;
  const logParams = Array.from(better ? polished.x : simplex.x);
  const params = toParams(logParams);
  const ll = safeLogLikelihood(logParams);
  const k = names.length;

  const covariance = Number.isFinite(ll) ? logCovariance(objective, logParams, customers) : null;
  const summary = Object.fromEntries(
    names.map((name, i) => {
      const value = params[name];
      const se = covariance && covariance[i][i] > 0 ? Math.sqrt(covariance[i][i]) : NaN;
      return [name, { value, standardError: value * se, lower95: Math.exp(logParams[i] - Z95 * se), upper95: Math.exp(logParams[i] + Z95 * se) }];
    }),
  ) as Record<K, ParameterSummary>;

  const converged = polished.converged && Number.isFinite(ll);
  let message: string | null = null;
  if (!Number.isFinite(ll)) {
    message = `${label} could not be fitted: the likelihood is not finite anywhere the search went. Check that frequency, recency and T are in one time unit.`;
  } else if (!converged) {
    message =
      `${label} did not converge: the gradient norm is still ${polished.gradientNorm.toExponential(2)} after ${simplex.iterations + polished.iterations} iterations, ` +
      'so its estimates and forecasts may be off. More customers, or a coarser time unit (weeks), usually help.';
  } else if (!covariance) {
    message = `${label} converged, but the likelihood is flat in some direction at the estimate: the parameters are not all identified by these data and no standard errors can be given.`;
  }
  return {
    params,
    summary,
    logLikelihood: ll,
    aic: 2 * k - 2 * ll,
    bic: k * Math.log(customers) - 2 * ll,
    parameterCount: k,
    customers,
    iterations: simplex.iterations + polished.iterations,
    gradientNorm: polished.gradientNorm,
    converged,
    message,
    logCovariance: covariance ? covariance.map((row) => Array.from(row)) : null,
    logParams,
  };
}

/**
 * Covariance of the log-parameters at an estimate: the inverse of the observed information, which
 * is customers × the Hessian of the mean negative log-likelihood `objective` on the log scale. Null
 * when that Hessian is not positive definite (not a strict maximum, or a flat direction).
 */
export function logCovariance(objective: (theta: Float64Array) => number, logParams: readonly number[], customers: number): Float64Array[] | null {
  const hessian = numericHessian(objective, logParams).map((row) => row.map((v) => v * customers));
  return invertPositiveDefinite(hessian);
}

/** logCovariance for a total log-likelihood over natural-scale parameters (e.g. of a model fitted elsewhere). */
export function logCovarianceOf<K extends string>(names: readonly K[], logLikelihood: (params: Record<K, number>) => number, params: Record<K, number>, customers: number): number[][] | null {
  const objective = (theta: Float64Array) => {
    try {
      return -logLikelihood(Object.fromEntries(names.map((name, i) => [name, Math.exp(theta[i])])) as Record<K, number>) / customers;
    } catch {
      return NaN;
    }
  };
  const covariance = logCovariance(objective, names.map((name) => Math.log(params[name])), customers);
  return covariance && covariance.every((row) => row.every(Number.isFinite)) ? covariance.map((row) => Array.from(row)) : null;
}

export interface LikelihoodRatioTest {
  /** 2 (LL_full − LL_restricted), floored at 0. */
  statistic: number;
  df: number;
  /** P(χ²_df ≥ statistic). Conservative when the restriction sits on the parameter space's boundary. */
  pValue: number;
}

/**
 * Likelihood-ratio test of a restricted model against a full model that nests it, both fitted to
 * the same customers. When the restricted model is a boundary case of the full one (the NBD inside
 * Pareto/NBD as the dropout rate goes to 0, or inside BG/NBD as p goes to 0) the statistic's null
 * distribution is a mixture of chi-squares stochastically below χ²_df, so the p-value given here is
 * an upper bound: a small p-value still rejects the restriction.
 */
export function likelihoodRatioTest(
  restricted: { logLikelihood: number; parameterCount: number; customers: number },
  full: { logLikelihood: number; parameterCount: number; customers: number },
): LikelihoodRatioTest {
  if (restricted.customers !== full.customers) throw new RangeError('a likelihood-ratio test needs both models fitted to the same customers');
  const df = full.parameterCount - restricted.parameterCount;
  if (!(df > 0)) throw new RangeError('the full model must have more parameters than the restricted one');
  const statistic = Math.max(0, 2 * (full.logLikelihood - restricted.logLikelihood));
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}
