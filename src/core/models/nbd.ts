/**
 * The NBD model of repeat purchasing (Ehrenberg 1959): Poisson purchases at a rate λ ~ Gamma(r, α)
 * and no dropout at all. BG/NBD, MBG/NBD and Pareto/NBD all reduce to it as their dropout goes to
 * zero, so it is the restricted model of their likelihood-ratio tests.
 *
 * Likelihood of x repeat purchases in (0, T] with the timing of purchases: Γ(r+x) α^r / (Γ(r) (α+T)^(r+x)).
 */
import { lgamma } from '../math/special';
import type { RfmColumns } from './bgnbd';
import { fitMaximumLikelihood, type MaximumLikelihoodFit, type MaximumLikelihoodOptions } from './maximumLikelihood';
import { rfmRows } from './rfmRows';

export interface NbdParams {
  r: number;
  alpha: number;
}

export const NBD_PARAMETERS = ['r', 'alpha'] as const;

export function fitNbd(data: RfmColumns, options: MaximumLikelihoodOptions = {}): MaximumLikelihoodFit<(typeof NBD_PARAMETERS)[number]> {
  const rows = rfmRows(data);
  return fitMaximumLikelihood('NBD', NBD_PARAMETERS, nbdLikelihood(data), rows.customers, [1, rows.meanT > 0 ? rows.meanT : 1], options);
}

/** The total log-likelihood as a function of the parameters, with the data indexed once. */
export function nbdLikelihood(data: RfmColumns): (params: NbdParams) => number {
  const rows = rfmRows(data);
  return ({ r, alpha }) => {
    let total = 0;
    for (let i = 0; i < rows.weight.length; i++) {
      const x = rows.x[i];
      total += rows.weight[i] * (lgamma(r + x) - lgamma(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + rows.T[i]));
    }
    return total;
  };
}
