import { ClvError } from '../../core/errors';
import type { ModelInputs } from '../../core/engine';
import type { EvaluationData, EvaluationResult } from '../../core/evaluate/evaluateModels';
import type { ModelEvaluation } from '../../core/eval/compareModels';
import { flagValue, hasFlag, wholeNumberFlag, type CliArgs } from '../cliArgs';
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

/**
 * A shorthand, or a comma-separated list of model names in which the shorthands that name no single
 * model (default, btyd, all) stand for their models: `default,hybrid` is the default run plus the hybrid.
 */
export function parseModels(value: string): readonly ModelName[] {
  if (Object.hasOwn(CLI_MODELS, value)) return CLI_MODELS[value];
  const list = value.split(',').map((s) => s.trim());
  const bad = list.filter((m) => !isModelName(m) && !Object.hasOwn(CLI_MODELS, m));
  if (bad.length > 0) throw new ClvError('BAD_ARGUMENT', `Unknown model "${bad[0]}". Use one of: ${Object.keys(CLI_MODELS).join(', ')}, or a comma-separated list of ${MODEL_NAMES.join(', ')} (default, btyd and all may be in it).`);
  return [...new Set(list.flatMap((m) => (isModelName(m) ? [m] : CLI_MODELS[m])))];
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
    metrics[m.model] = {
      ...m.regression,
      n: m.n,
      ...(m.calibration_slope !== undefined && { calibration_slope: m.calibration_slope }),
      ...(m.ci95 && { ci95: m.ci95 }),
      ...(m.vs_btyd && { vs_btyd: m.vs_btyd }),
      ...(m.vs_naive && { vs_naive: m.vs_naive }),
      top_value: m.top_value,
      churn: m.churn,
      deciles: m.deciles,
      importance: result.importance[m.model as ModelName] ?? null,
      ...(coverage !== undefined && { interval_coverage_90: coverage }),
    };
  }
  return metrics;
}

/** `--seeds 1,2,3` (whole numbers, each once), else `--seed N` (default 42) alone. */
export function parseSeeds(args: CliArgs): number[] {
  const value = flagValue(args, 'seeds');
  if (value === undefined) return [wholeNumberFlag(args, 'seed', 42)];
  if (hasFlag(args, 'seed')) throw new ClvError('BAD_ARGUMENT', 'Give either --seed N or --seeds N,N,..., not both.');
  const seeds = value.split(',').map((s) => s.trim());
  if (seeds.length === 0 || seeds.some((s) => !/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)))) throw new ClvError('BAD_ARGUMENT', `--seeds takes whole numbers separated by commas, e.g. --seeds 1,2,3; got "${value}".`);
  const list = seeds.map(Number);
  if (new Set(list).size !== list.length) throw new ClvError('BAD_ARGUMENT', `--seeds lists a seed twice ("${value}"); give each seed once.`);
  return list;
}

const SEED_SUMMARY_METRICS = ['rmse', 'mae', 'r2', 'spearman', 'normalized_gini', 'top_decile_share', 'calibration_slope'] as const;

/** metrics.json with, per model, each metric's value for every seed and their mean and sample standard deviation. */
export function withSeedSummary(metrics: Record<string, unknown>, seeds: readonly number[], perSeed: readonly ModelEvaluation[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [model, entry] of Object.entries(metrics)) {
    const values: Record<string, (number | null)[]> = {};
    const mean: Record<string, number | null> = {};
    const sd: Record<string, number | null> = {};
    for (const key of SEED_SUMMARY_METRICS) {
      const list = perSeed.map((run) => {
        const m = run.find((x) => x.model === model);
        const v = key === 'calibration_slope' ? m?.calibration_slope : (m?.regression as unknown as Record<string, number | null> | undefined)?.[key];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      });
      values[key] = list;
      const finite = list.filter((v): v is number => v !== null);
      if (finite.length !== list.length || finite.length === 0) {
        mean[key] = null;
        sd[key] = null;
        continue;
      }
      const mu = finite.reduce((a, b) => a + b, 0) / finite.length;
      mean[key] = mu;
      sd[key] = finite.length > 1 ? Math.sqrt(finite.reduce((a, b) => a + (b - mu) ** 2, 0) / (finite.length - 1)) : null;
    }
    out[model] = { ...(entry as Record<string, unknown>), seeds: { seeds: [...seeds], values, mean, sd } };
  }
  return out;
}
