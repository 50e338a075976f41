/**
 * What the exports say per customer and per model beyond the point prediction, from an evaluation
 * and the CLV terms (clvTerms.ts): for each probabilistic model P(alive), P(no purchase in the
 * horizon), expected purchases and the discounted CLV; for every model with intervals the 90%
 * predictive interval of the customer's horizon spend (the interval whose coverage metrics.json
 * reports); and, per probabilistic model, what a customer acquired today is expected to do.
 */
import { discountedValue } from '../models/clv';
import type { ClvTerms } from '../models/clvTerms';
import { gammaGammaExpectedSpend, type GammaGammaFit } from '../models/gammaGamma';
import { TRANSACTION_MODELS, type TransactionModelKind, type TransactionParams } from '../models/transactionModels';
import type { EvaluationData, EvaluationResult } from './evaluationTypes';
import { PROBABILISTIC_MODELS, type ModelName, type ProbabilisticModelName } from './modelNames';

/** One probabilistic model as fitted in the evaluation, reduced to what its outputs need. */
export interface FittedTransactionModel {
  name: ProbabilisticModelName;
  kind: TransactionModelKind;
  params: TransactionParams;
  /** Usable (fitted, not degenerate) Gamma-Gamma, or null. */
  gammaGamma: GammaGammaFit | null;
  /** Mean repeat spend: the spend per purchase without a usable Gamma-Gamma. */
  populationSpend: number;
  /** Expected spend per purchase of each scored customer, as the evaluation computed it. */
  spendPerPurchase: Float64Array;
}

/** The probabilistic models an evaluation fitted on the scored customers. */
export function fittedTransactionModels(result: Pick<EvaluationResult, 'btyd' | 'transactionModels'>): FittedTransactionModel[] {
  const usable = (gg: GammaGammaFit | null) => (gg && !gg.degenerate ? gg : null);
  const out: FittedTransactionModel[] = [];
  if (result.btyd) {
    const { r, alpha, a, b } = result.btyd.bgnbd;
    out.push({ name: 'bgnbd-gg', kind: 'bgnbd', params: { r, alpha, a, b }, gammaGamma: usable(result.btyd.gammaGamma), populationSpend: result.btyd.populationSpend, spendPerPurchase: result.btyd.expectedSpendPerPurchase });
  }
  for (const name of ['pnbd-gg', 'mbgnbd-gg'] as const) {
    const forecast = result.transactionModels[name];
    if (forecast) out.push({ name, kind: PROBABILISTIC_MODELS[name], params: forecast.model.params, gammaGamma: usable(forecast.gammaGamma), populationSpend: forecast.populationSpend, spendPerPurchase: forecast.expectedSpendPerPurchase });
  }
  return out;
}

export interface ProbabilisticColumns {
  pAlive: Float64Array;
  probabilityNoPurchase: Float64Array;
  expectedPurchases: Float64Array;
  /** Discounted CLV over the terms' horizon at their annual rate. */
  clv: Float64Array;
}

/** P(alive), P(no purchase in the horizon), expected purchases and discounted CLV of every customer of `data`. */
export function probabilisticColumns(model: FittedTransactionModel, data: EvaluationData['btyd'], terms: ClvTerms): ProbabilisticColumns {
  const definition = TRANSACTION_MODELS[model.kind];
  const n = data.frequency.length;
  const out = { pAlive: new Float64Array(n), probabilityNoPurchase: new Float64Array(n), expectedPurchases: new Float64Array(n), clv: new Float64Array(n) };
  const t = terms.horizonUnits;
  // Customers sharing (x, t_x, T) share every purchase figure; the discount factor per purchase too.
  const cache = new Map<string, [number, number, number, number]>();
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const tx = x === 0 ? 0 : data.recency[i];
    const T = data.T[i];
    const key = `${x},${tx},${T}`;
    let row = cache.get(key);
    if (!row) {
      row = [
        definition.probabilityAlive(model.params, x, tx, T),
        definition.probabilityNoPurchase(model.params, t, x, tx, T),
        definition.expectedPurchases(model.params, t, x, tx, T),
        discountedValue((u) => definition.expectedPurchases(model.params, u, x, tx, T), 1, terms),
      ];
      cache.set(key, row);
    }
    [out.pAlive[i], out.probabilityNoPurchase[i], out.expectedPurchases[i]] = row;
    out.clv[i] = row[3] * model.spendPerPurchase[i];
  }
  return out;
}

export interface NewCustomerExpectation {
  /** Horizon the expectation covers, in the model's unit (the terms' horizon). */
  horizon_units: number;
  /** E[X(t)]: purchases a customer acquired today makes over the horizon (after the acquiring one). */
  purchases: number;
  /** Expected spend per purchase of a customer without history (Gamma-Gamma's population mean). */
  spend_per_purchase: number;
  /** Undiscounted value of those purchases. */
  value: number;
  /** The same, discounted at the terms' annual rate. */
  clv: number;
  /** P(no purchase over the horizon). */
  p_no_purchase: number;
}

/** Purchases and value expected from a customer acquired today, over the terms' horizon. */
export function newCustomerExpectation(model: FittedTransactionModel, terms: ClvTerms): NewCustomerExpectation {
  const definition = TRANSACTION_MODELS[model.kind];
  const t = terms.horizonUnits;
  const spend = model.gammaGamma ? gammaGammaExpectedSpend(model.gammaGamma, 0, 0) : model.populationSpend;
  const purchases = definition.unconditionalExpected(model.params, t);
  return {
    horizon_units: t,
    purchases,
    spend_per_purchase: spend,
    value: purchases * spend,
    clv: discountedValue((u) => definition.unconditionalExpected(model.params, u), spend, terms),
    p_no_purchase: definition.unconditionalProbability(model.params, t, 0),
  };
}

/**
 * The per-customer columns predictions.csv adds after the point predictions, in order: for each
 * probabilistic model `<m>_p_alive`, `<m>_p_no_purchase`, `<m>_expected_purchases`, `<m>_clv`,
 * and for each model with intervals `<m>_low`, `<m>_high` (90% predictive interval of horizon
 * spend) and, where there is a CLV, `<m>_clv_low`, `<m>_clv_high` (that interval scaled by the
 * customer's discount factor, CLV ÷ expected spend).
 */
export function customerOutputColumns(result: EvaluationResult, data: EvaluationData, terms: ClvTerms): Map<string, Float64Array> {
  const columns = new Map<string, Float64Array>();
  const clvOf = new Map<ModelName, Float64Array>();
  for (const model of fittedTransactionModels(result)) {
    if (!result.predictions[model.name]) continue;
    const c = probabilisticColumns(model, data.btyd, terms);
    columns.set(`${model.name}_p_alive`, c.pAlive);
    columns.set(`${model.name}_p_no_purchase`, c.probabilityNoPurchase);
    columns.set(`${model.name}_expected_purchases`, c.expectedPurchases);
    columns.set(`${model.name}_clv`, c.clv);
    clvOf.set(model.name, c.clv);
  }
  for (const [name, bounds] of Object.entries(result.spendIntervals) as [ModelName, { lower: Float64Array; upper: Float64Array }][]) {
    const expected = result.predictions[name];
    if (!expected) continue;
    columns.set(`${name}_low`, bounds.lower);
    columns.set(`${name}_high`, bounds.upper);
    const clv = clvOf.get(name);
    if (clv) {
      // Discounting moves the whole distribution by the customer's discount factor (purchases over
      // the horizon valued at their expected timing): the predictive interval scales with it.
      const factor = (i: number) => (expected[i] > 0 ? clv[i] / expected[i] : 1);
      columns.set(`${name}_clv_low`, bounds.lower.map((v, i) => v * factor(i)));
      columns.set(`${name}_clv_high`, bounds.upper.map((v, i) => v * factor(i)));
    }
  }
  return columns;
}
