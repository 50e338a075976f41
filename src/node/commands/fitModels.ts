import { ClvError } from '../../core/errors';
import type { ModelInputs } from '../../core/engine';
import type { EvaluationData, EvaluationResult } from '../../core/evaluate/evaluateModels';
import { DEFAULT_MODELS, MODEL_NAMES, isModelName, type ModelName } from '../../core/evaluate/modelNames';
import type { TransactionModelFit } from '../../core/models/transactionModels';
import type { CustomerSequences } from '../../core/tables/sequences';
import { UNIT_DAYS } from '../../core/tables/period';

/** `--model` shorthands: the model and the baselines it is compared with. */
export const CLI_MODELS: Record<string, readonly ModelName[]> = {
  'bgnbd-gg': ['bgnbd-gg', 'naive', 'visitante'],
  btyd: ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'naive', 'visitante'],
  fnn: ['fnn-seed', 'fnn', 'naive', 'bgnbd-gg'],
  ziln: ['ziln', 'naive', 'bgnbd-gg'],
  lstm: ['lstm', 'naive', 'bgnbd-gg'],
  cnn: ['cnn', 'naive', 'bgnbd-gg'],
  hybrid: ['hybrid', 'naive', 'bgnbd-gg'],
  default: DEFAULT_MODELS,
  all: MODEL_NAMES,
};

/** A shorthand, or a comma-separated list of model names. */
export function parseModels(value: string): readonly ModelName[] {
  if (Object.hasOwn(CLI_MODELS, value)) return CLI_MODELS[value];
  const list = value.split(',').map((s) => s.trim());
  const bad = list.filter((m) => !isModelName(m));
  if (bad.length > 0) throw new ClvError('BAD_ARGUMENT', `Unknown model "${bad[0]}". Use one of: ${Object.keys(CLI_MODELS).join(', ')}, or a comma-separated list of ${MODEL_NAMES.join(', ')}.`);
  return list as ModelName[];
}

/** The engine's model inputs as the evaluation wants them. */
export function evaluationData(inputs: ModelInputs, horizonDays: number, sequences?: CustomerSequences): EvaluationData {
  if (sequences && sequences.customerIds.join('\n') !== inputs.customerIds.join('\n')) throw new Error('sequences and features are not aligned');
  return {
    sequences,
    customerIds: inputs.customerIds,
    featureNames: inputs.featureNames,
    X: inputs.X,
    holdoutSpend: inputs.holdoutSpend!,
    holdoutOrders: inputs.holdoutOrders!,
    btyd: inputs.btyd,
    unitDays: UNIT_DAYS[inputs.unit],
    horizonDays,
    cutoff: inputs.period.cutoff,
    visitanteScore: inputs.visitanteScore,
  };
}

/** A Pareto/NBD or MBG/NBD fit as params.json records it: estimates, fit statistics, standard errors and 95% intervals. */
export function transactionModelParams(fit: TransactionModelFit): Record<string, unknown> {
  const { logLikelihood, aic, bic, converged, iterations, gradientNorm, message } = fit;
  const names = Object.keys(fit.params);
  return {
    ...fit.params,
    logLikelihood,
    aic,
    bic,
    converged,
    iterations,
    gradient_norm: gradientNorm,
    message,
    se: Object.fromEntries(names.map((n) => [n, fit.summary[n].standardError])),
    ci95: Object.fromEntries(names.map((n) => [n, [fit.summary[n].lower95, fit.summary[n].upper95]])),
  };
}

/** metrics.json: one entry per model name with the headline metrics at the top level. */
export function metricsJson(result: EvaluationResult): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const m of result.metrics) {
    const coverage = result.intervalCoverage[m.model as keyof EvaluationResult['intervalCoverage']];
    metrics[m.model] = { ...m.regression, n: m.n, top_value: m.top_value, churn: m.churn, deciles: m.deciles, importance: result.importance[m.model as ModelName] ?? null, ...(coverage !== undefined && { interval_coverage_90: coverage }) };
  }
  return metrics;
}
