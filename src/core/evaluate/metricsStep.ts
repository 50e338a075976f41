/**
 * Every model scored on the same test customers (all customers under cross-fitting): metrics,
 * calibration slope, 95% bootstrap intervals and paired differences against BG/NBD + Gamma-Gamma
 * and the run rate, interval coverage; rank-only models lose their value metrics.
 */
import { compareModels, type ModelEvaluation, type ModelPredictions } from '../eval/compareModels';
import { intervalCoverage, type CustomerIntervals, type IntervalBounds } from '../models/transactionForecast';
import { pick } from '../rows';
import { deriveSeed } from '../random';
import { bootstrapIntervals, calibrationSlope } from '../eval/bootstrapIntervals';

/** Bootstrap resamples of the metrics' 95% intervals. */
export const BOOTSTRAP_RESAMPLES = 200;
import type { EvaluationRun } from './evaluationRun';
import { RANK_ONLY_MODELS, type ModelName, type ProbabilisticModelName } from './modelNames';

export function scoreModels(
  run: EvaluationRun,
  intervals: Partial<Record<ProbabilisticModelName, CustomerIntervals>>,
): { metrics: ModelEvaluation[]; coverage: Partial<Record<ModelName, number>> } {
  const { score, test } = run.protocol;
  const actual = { spend: pick(score.holdoutSpend, test), orders: pick(score.holdoutOrders, test) };
  const scored = new Map<string, ModelPredictions>();
  for (const m of run.models) {
    const p = run.predictions[m];
    if (!p) continue;
    const churn = run.churnScores[m];
    scored.set(m, { predicted: pick(p, test), churnScore: churn ? pick(churn, test) : undefined });
  }
  const metrics = compareModels(actual, scored);
  const coverage: Partial<Record<ModelName, number>> = {};
  for (const [name, bounds] of Object.entries(intervals) as [ProbabilisticModelName, CustomerIntervals][]) coverage[name] = intervalCoverage(score.holdoutSpend, bounds.actualSpend, test);
  // The ZILN-headed nets' predictive quantiles, for the models asked for (not those trained only for the stack).
  for (const [name, bounds] of Object.entries(run.spendIntervals) as [ModelName, IntervalBounds][]) if (run.models.includes(name)) coverage[name] = intervalCoverage(score.holdoutSpend, bounds, test);
  const resamples = run.options.bootstrapResamples ?? BOOTSTRAP_RESAMPLES;
  const bootstrap = resamples > 0 ? bootstrapIntervals(actual.spend, new Map([...scored].map(([m, p]) => [m, p.predicted])), { resamples, seed: deriveSeed(run.options.seed, 'metric-intervals'), references: { vs_btyd: 'bgnbd-gg', vs_naive: 'naive' } }) : null;
  for (const entry of metrics) {
    const rankOnly = (RANK_ONLY_MODELS as readonly string[]).includes(entry.model);
    if (!rankOnly) entry.calibration_slope = calibrationSlope(actual.spend, scored.get(entry.model)!.predicted);
    const intervals = bootstrap?.get(entry.model);
    if (intervals) {
      entry.ci95 = intervals.ci95;
      if (intervals.differences.vs_btyd && entry.model !== 'bgnbd-gg') entry.vs_btyd = intervals.differences.vs_btyd;
      if (intervals.differences.vs_naive && entry.model !== 'naive') entry.vs_naive = intervals.differences.vs_naive;
    }
    if (rankOnly) {
      for (const key of ['mse', 'rmse', 'mae', 'r2', 'mape'] as const) (entry.regression as unknown as Record<string, number | null>)[key] = null;
      for (const part of [entry.ci95, entry.vs_btyd, entry.vs_naive]) if (part) for (const key of ['rmse', 'mae', 'r2'] as const) delete (part as Partial<typeof part>)[key];
    }
  }
  return { metrics, coverage };
}
