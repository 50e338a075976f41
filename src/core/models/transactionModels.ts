/**
 * The three buy-till-you-die transaction models behind one interface, so that fitting, forecasting,
 * intervals and the evaluation treat BG/NBD, Pareto/NBD and MBG/NBD alike.
 */
import { sampleBeta, sampleGamma, sampleGeometric, samplePoisson } from '../math/sampling';
import type { Rng } from '../random';
import {
  BG_NBD_PARAMETERS,
  bgnbdExpectedPurchases,
  bgnbdLikelihood,
  bgnbdProbabilityAlive,
  bgnbdProbabilityNoPurchase,
  bgnbdUnconditionalExpected,
  bgnbdUnconditionalProbability,
  fitBgNbdWithSummary,
  type RfmColumns,
} from './bgnbd';
import type { MaximumLikelihoodFit, MaximumLikelihoodOptions } from './maximumLikelihood';
import {
  MBG_NBD_PARAMETERS,
  fitMbgNbd,
  mbgNbdExpectedPurchases,
  mbgNbdLikelihood,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityNoPurchase,
  mbgNbdUnconditionalExpected,
  mbgNbdUnconditionalProbability,
} from './mbgNbd';
import {
  PARETO_NBD_PARAMETERS,
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityNoPurchase,
  paretoNbdUnconditionalExpected,
  paretoNbdUnconditionalProbability,
} from './paretoNbd';

export type TransactionModelKind = 'bgnbd' | 'pnbd' | 'mbgnbd';

/** Parameters by name (r, alpha and a, b or s, beta). */
export type TransactionParams = Record<string, number>;

export type TransactionModelFit = MaximumLikelihoodFit<string>;

export interface TransactionModel {
  kind: TransactionModelKind;
  label: string;
  parameterNames: readonly string[];
  fit(data: RfmColumns, options?: MaximumLikelihoodOptions): TransactionModelFit;
  likelihood(data: RfmColumns): (params: TransactionParams) => number;
  probabilityAlive(params: TransactionParams, x: number, tx: number, T: number): number;
  expectedPurchases(params: TransactionParams, t: number, x: number, tx: number, T: number): number;
  probabilityNoPurchase(params: TransactionParams, t: number, x: number, tx: number, T: number): number;
  /** E[X(t)] for a customer just acquired. */
  unconditionalExpected(params: TransactionParams, t: number): number;
  /** P(X(t) = n) for a customer just acquired. */
  unconditionalProbability(params: TransactionParams, t: number, n: number): number;
  /**
   * One draw of the purchases in (T, T+t] of a customer known to be alive at T, from the posterior
   * of their rates: what the customer may actually do, not its expectation.
   */
  simulateIfAlive(params: TransactionParams, rng: Rng, t: number, x: number, T: number): number;
}

type Bg = { r: number; alpha: number; a: number; b: number };
type Pareto = { r: number; alpha: number; s: number; beta: number };
const bg = (p: TransactionParams) => p as Bg;
const pareto = (p: TransactionParams) => p as Pareto;

/** Purchases before dropping out: Poisson arrivals, a coin with p after each, the last one counted. */
function simulateBetaGeometric(rng: Rng, lambda: number, p: number, t: number): number {
  return Math.min(samplePoisson(rng, lambda * t), sampleGeometric(rng, p));
}

export const TRANSACTION_MODELS: Record<TransactionModelKind, TransactionModel> = {
  bgnbd: {
    kind: 'bgnbd',
    label: 'BG/NBD',
    parameterNames: BG_NBD_PARAMETERS,
    fit: (data, options) => fitBgNbdWithSummary(data, options),
    likelihood: (data) => {
      const ll = bgnbdLikelihood(data);
      return (p) => ll(bg(p));
    },
    probabilityAlive: (p, x, tx, T) => bgnbdProbabilityAlive(bg(p), x, tx, T),
    expectedPurchases: (p, t, x, tx, T) => bgnbdExpectedPurchases(bg(p), t, x, tx, T),
    probabilityNoPurchase: (p, t, x, tx, T) => bgnbdProbabilityNoPurchase(bg(p), t, x, tx, T),
    unconditionalExpected: (p, t) => bgnbdUnconditionalExpected(bg(p), t),
    unconditionalProbability: (p, t, n) => bgnbdUnconditionalProbability(bg(p), t, n),
    // Given alive at T: λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x).
    simulateIfAlive: (p, rng, t, x, T) =>
      simulateBetaGeometric(rng, sampleGamma(rng, p.r + x, p.alpha + T), sampleBeta(rng, p.a, p.b + x), t),
  },
  pnbd: {
    kind: 'pnbd',
    label: 'Pareto/NBD',
    parameterNames: PARETO_NBD_PARAMETERS,
    fit: (data, options) => fitParetoNbd(data, options),
    likelihood: (data) => {
      const ll = paretoNbdLikelihood(data);
      return (p) => ll(pareto(p));
    },
    probabilityAlive: (p, x, tx, T) => paretoNbdProbabilityAlive(pareto(p), x, tx, T),
    expectedPurchases: (p, t, x, tx, T) => paretoNbdExpectedPurchases(pareto(p), t, x, tx, T),
    probabilityNoPurchase: (p, t, x, tx, T) => paretoNbdProbabilityNoPurchase(pareto(p), t, x, tx, T),
    unconditionalExpected: (p, t) => paretoNbdUnconditionalExpected(pareto(p), t),
    unconditionalProbability: (p, t, n) => paretoNbdUnconditionalProbability(pareto(p), t, n),
    // Given alive at T: λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T), remaining lifetime ~ Exp(μ).
    simulateIfAlive: (p, rng, t, x, T) => {
      const lambda = sampleGamma(rng, p.r + x, p.alpha + T);
      const mu = sampleGamma(rng, p.s, p.beta + T);
      const lifetime = -Math.log(1 - rng.uniform()) / mu;
      return samplePoisson(rng, lambda * Math.min(lifetime, t));
    },
  },
  mbgnbd: {
    kind: 'mbgnbd',
    label: 'MBG/NBD',
    parameterNames: MBG_NBD_PARAMETERS,
    fit: (data, options) => fitMbgNbd(data, options),
    likelihood: (data) => {
      const ll = mbgNbdLikelihood(data);
      return (p) => ll(bg(p));
    },
    probabilityAlive: (p, x, tx, T) => mbgNbdProbabilityAlive(bg(p), x, tx, T),
    expectedPurchases: (p, t, x, tx, T) => mbgNbdExpectedPurchases(bg(p), t, x, tx, T),
    probabilityNoPurchase: (p, t, x, tx, T) => mbgNbdProbabilityNoPurchase(bg(p), t, x, tx, T),
    unconditionalExpected: (p, t) => mbgNbdUnconditionalExpected(bg(p), t),
    unconditionalProbability: (p, t, n) => mbgNbdUnconditionalProbability(bg(p), t, n),
    // Given alive at T: λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x+1).
    simulateIfAlive: (p, rng, t, x, T) =>
      simulateBetaGeometric(rng, sampleGamma(rng, p.r + x, p.alpha + T), sampleBeta(rng, p.a, p.b + x + 1), t),
  },
};
