/**
 * MBG/NBD model of repeat purchasing (Batislam, Denizel & Filiztekin 2007). As BG/NBD, but a
 * customer may also drop out right after the first purchase (at time 0), with the same probability
 * p ~ Beta(a, b) as after every repeat purchase. So a one-time buyer's P(alive) falls with time,
 * where BG/NBD keeps it at 1.
 *
 * Likelihood, with B the beta function:
 *   L = Γ(r+x) α^r / Γ(r) · [ B(a, b+x+1)/B(a, b) · (α+T)^−(r+x) + B(a+1, b+x)/B(a, b) · (α+t_x)^−(r+x) ].
 * x, t_x, T and α share one time unit.
 */
import { lgamma, logAddExp, logBeta } from '../math/special';
import { expectedWhileAlive, probabilityWhileAlive, type RfmColumns } from './bgnbd';
import { fitMaximumLikelihood, type MaximumLikelihoodFit, type MaximumLikelihoodOptions } from './maximumLikelihood';
import { rfmRows } from './rfmRows';

export interface MbgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export const MBG_NBD_PARAMETERS = ['r', 'alpha', 'a', 'b'] as const;

export type MbgNbdFit = MaximumLikelihoodFit<(typeof MBG_NBD_PARAMETERS)[number]>;

/** Maximum likelihood fit on log-parameters; α starts at the mean customer age. */
export function fitMbgNbd(data: RfmColumns, options: MaximumLikelihoodOptions = {}): MbgNbdFit {
  const rows = rfmRows(data);
  return fitMaximumLikelihood('MBG/NBD', MBG_NBD_PARAMETERS, mbgNbdLikelihood(data), rows.customers, [1, rows.meanT > 0 ? rows.meanT : 1, 1, 1], options);
}

/** The total log-likelihood as a function of the parameters, with the data indexed once. */
export function mbgNbdLikelihood(data: RfmColumns): (params: MbgNbdParams) => number {
  const rows = rfmRows(data);
  return (params) => {
    let total = 0;
    for (let i = 0; i < rows.weight.length; i++) total += rows.weight[i] * rowLogLikelihood(params, rows.x[i], rows.tx[i], rows.T[i]);
    return total;
  };
}

/** Total log-likelihood of the data under `params`. */
export function mbgNbdLogLikelihood(params: MbgNbdParams, data: RfmColumns): number {
  return mbgNbdLikelihood(data)(params);
}

function rowLogLikelihood({ r, alpha, a, b }: MbgNbdParams, x: number, tx: number, T: number): number {
  const head = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) - logBeta(a, b);
  const alive = logBeta(a, b + x + 1) - (r + x) * Math.log(alpha + T);
  const gone = logBeta(a + 1, b + x) - (r + x) * Math.log(alpha + tx);
  return head + logAddExp(alive, gone);
}

/** P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)); below 1 also for x = 0. */
export function mbgNbdProbabilityAlive(params: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) · (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))]:
 * given alive, p ~ Beta(a, b+x+1) and the future is BG/NBD-like, so BG/NBD's evaluation with b+1 serves.
 */
export function mbgNbdExpectedPurchases(params: MbgNbdParams, t: number, x: number, tx: number, T: number): number {
  return mbgNbdProbabilityAlive(params, x, tx, T) * expectedWhileAlive({ ...params, b: params.b + 1 }, t, x, params.alpha + T);
}

/**
 * E[X(t)] for a customer just acquired = b/(a−1) · [1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]:
 * they survive the first purchase with probability b/(a+b), then follow BG/NBD with b+1.
 */
export function mbgNbdUnconditionalExpected(params: MbgNbdParams, t: number): number {
  const { a, b } = params;
  return (b / (a + b)) * expectedWhileAlive({ ...params, b: b + 1 }, t, 0, params.alpha);
}

/** P(X(t) = n) for a customer just acquired. */
export function mbgNbdUnconditionalProbability(params: MbgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = params;
  const survives = b / (a + b);
  return (n === 0 ? 1 - survives : 0) + survives * probabilityWhileAlive(r, alpha, a, b + 1, t, n);
}

/** P(Y(t) = n | x, t_x, T): given alive, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x+1). */
export function mbgNbdProbabilityPurchases(params: MbgNbdParams, t: number, n: number, x: number, tx: number, T: number): number {
  const alive = mbgNbdProbabilityAlive(params, x, tx, T);
  const ifAlive = probabilityWhileAlive(params.r + x, params.alpha + T, params.a, params.b + x + 1, t, n);
  return (n === 0 ? 1 - alive : 0) + alive * ifAlive;
}

/** P(no purchase in (T, T+t] | x, t_x, T). */
export function mbgNbdProbabilityNoPurchase(params: MbgNbdParams, t: number, x: number, tx: number, T: number): number {
  return mbgNbdProbabilityPurchases(params, t, 0, x, tx, T);
}
