/**
 * The transaction models side by side on the same customers: log-likelihood, AIC and BIC each, and
 * for each a likelihood-ratio test against the NBD (no dropout), which every one of them nests. AIC
 * and BIC compare the non-nested models with each other.
 */
import type { RfmColumns } from './bgnbd';
import { likelihoodRatioTest, type LikelihoodRatioTest } from './maximumLikelihood';
import { fitNbd } from './nbd';

export interface ComparedFit {
  model: string;
  logLikelihood: number;
  parameterCount: number;
  customers: number;
  converged: boolean;
}

export interface ModelComparisonRow extends ComparedFit {
  aic: number;
  bic: number;
  /** AIC minus the smallest AIC in the table (0 for the preferred model). */
  deltaAic: number;
  /** Test of the NBD (no dropout) against this model; null for the NBD itself. */
  versusNbd: LikelihoodRatioTest | null;
}

/** One row per fit plus the NBD, fitted here on the same customers; sorted by AIC. */
export function compareTransactionModels(data: RfmColumns, fits: readonly ComparedFit[]): ModelComparisonRow[] {
  const nbd = fitNbd(data);
  const base: ComparedFit = { model: 'NBD', logLikelihood: nbd.logLikelihood, parameterCount: nbd.parameterCount, customers: nbd.customers, converged: nbd.converged };
  const all = [base, ...fits];
  const rows = all.map((f) => {
    if (f.customers !== nbd.customers) throw new RangeError(`${f.model} was fitted on ${f.customers} customers, not the ${nbd.customers} of these data`);
    return {
      ...f,
      aic: 2 * f.parameterCount - 2 * f.logLikelihood,
      bic: f.parameterCount * Math.log(f.customers) - 2 * f.logLikelihood,
      deltaAic: 0,
      versusNbd: f === base ? null : likelihoodRatioTest(base, f),
    };
  });
  const best = Math.min(...rows.map((r) => r.aic));
  for (const r of rows) r.deltaAic = r.aic - best;
  return rows.sort((a, b) => a.aic - b.aic);
}
