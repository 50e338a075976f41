/** The baselines: the naive run rate (every customer keeps spending at their past rate) and visitante's score. */
import { naiveRunRate } from '../models/naiveRunRate';
import { column } from '../rows';
import type { EvaluationRun } from './evaluationRun';
import type { EvaluationData } from './evaluationTypes';

/** The run rate of `data`'s customers (or of the rows of X, with `data`'s horizon). */
export type RunRate = (data: EvaluationData, X?: Float32Array) => Float64Array;

export function runBaselines(run: EvaluationRun): RunRate {
  const { fit, score } = run.protocol;
  const { d, models } = run;
  const total = score.featureNames.indexOf('total_spend');
  const tenure = score.featureNames.indexOf('tenure_days');
  const runRate: RunRate = (data, X = data.X) => naiveRunRate(column(X, d, total), column(X, d, tenure), data.horizonDays);
  if (models.includes('naive') || models.includes('ensemble')) {
    if (total < 0 || tenure < 0) throw new Error('naive run-rate needs total_spend and tenure_days features');
    run.predictions.naive = runRate(score);
    run.fitPredictions.naive = run.sameData ? run.predictions.naive : runRate(fit);
  }
  if (models.includes('visitante') && score.visitanteScore) run.predictions.visitante = Float64Array.from(score.visitanteScore);
  return runRate;
}
