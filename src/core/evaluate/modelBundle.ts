import type { ModelInputs } from '../engine';
import { ClvError } from '../errors';
import { BundleError, loadBundle, serializeBundle, validateBundle, type BundleInfo } from '../nets/bundle';
import { bestModel, canBeBest, type BestModelMetric } from './bestModel';
import type { EvaluationResult } from './evaluateModels';
import type { ModelName } from './modelNames';

/** Nets that score from the feature table alone, so a bundle can carry them to new data. */
const BUNDLEABLE: readonly ModelName[] = ['ziln', 'fnn', 'fnn-seed'];

/** The best bundleable net by the one rule (bestModel: normalized Gini unless `metric` says otherwise), or null if none ran (or none compared meaningfully). */
export function bestBundleableModel(result: EvaluationResult, metric?: BestModelMetric): ModelName | null {
  const bundleable = result.metrics.filter((m) => BUNDLEABLE.includes(m.model as ModelName) && result.nets[m.model as ModelName]);
  if (!bundleable.some((m) => canBeBest(m))) return null;
  return bestModel(bundleable, () => true, metric) as ModelName | null;
}

/** The finite regression metrics of `model` on the test customers, as a bundle records them. */
export function bundleMetrics(result: EvaluationResult, model: ModelName): Record<string, number> {
  const entry = result.metrics.find((m) => m.model === model);
  if (!entry) return {};
  return Object.fromEntries(Object.entries(entry.regression).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<string, number>;
}

/** What a training run knew about its data, beyond the evaluation result itself. */
export interface BundleContext {
  /** Feature names in the column order the nets were trained on. */
  featureNames: readonly string[];
  /** Calibration cutoff (ISO date); null when the caller did not say it. */
  cutoff: string | null;
  /** Time unit of the calibration summaries. */
  unit: string;
  horizonDays: number;
  seed: number;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Everything saved with the best net besides its weights, scaler and target transform (which come
 * from the predictor itself): features, cutoff, unit, horizon, seed and test metrics. The CLI and
 * the model worker both build their bundles from this, so the two carry the same fields.
 */
export function bundleInfo(result: EvaluationResult, model: ModelName, context: BundleContext): BundleInfo {
  if (context.cutoff !== null && !ISO_DAY.test(context.cutoff)) throw new RangeError(`cutoff must be an ISO date (YYYY-MM-DD), got "${context.cutoff}"`);
  if (!(context.horizonDays > 0)) throw new RangeError(`horizonDays must be positive, got ${context.horizonDays}`);
  return {
    features: [...context.featureNames],
    // The feature table's time-based columns (recency_days, tenure_days, …) are in days.
    timeUnit: 'day',
    cutoff: context.cutoff ?? '',
    unit: context.unit,
    horizonDays: context.horizonDays,
    seed: context.seed,
    metrics: { ...bundleMetrics(result, model), seed: context.seed },
  };
}

/** The best bundleable net of `result` as bundle bytes, or null when no such net was trained. */
export function bundleFromEvaluation(result: EvaluationResult, context: BundleContext): Promise<Uint8Array> | null {
  const model = bestBundleableModel(result);
  if (!model) return null;
  return serializeBundle(result.nets[model]!.predictor, bundleInfo(result, model, context));
}

/** The bundle context of a CLI run on engine inputs. */
export function bundleContextOf(inputs: Pick<ModelInputs, 'featureNames' | 'period' | 'unit'>, horizonDays: number, seed: number): BundleContext {
  return { featureNames: inputs.featureNames, cutoff: inputs.period.cutoff, unit: inputs.unit, horizonDays, seed };
}

/** A bundle that cannot be used, as the error the CLI and the app report (same code, same sentence). */
function asClvError(error: unknown): unknown {
  return error instanceof BundleError ? new ClvError(error.code, error.message) : error;
}

/**
 * Checks a bundle completely (every part, and one run of its model) against the feature columns it
 * will score, without keeping anything: throws the ClvError that scoring would, before scoring.
 */
export async function checkBundle(bytes: Uint8Array, featureNames: readonly string[]): Promise<{ model: string }> {
  try {
    return { model: (await validateBundle(bytes, { features: featureNames })).modelKind };
  } catch (error) {
    throw asClvError(error);
  }
}

/** Loads a bundle and predicts horizon spend for the customers of `inputs`. */
export async function predictFromBundle(bytes: Uint8Array, inputs: Pick<ModelInputs, 'featureNames' | 'X'>): Promise<{ model: string; values: Float32Array }> {
  try {
    const loaded = await loadBundle(bytes, { features: inputs.featureNames });
    try {
      return { model: loaded.metadata.modelKind, values: loaded.predictor.predict(loaded.selectFeatures(inputs.X)) };
    } finally {
      loaded.predictor.dispose();
    }
  } catch (error) {
    throw asClvError(error);
  }
}

/**
 * Per-feature attributions (integrated gradients) of one customer's prediction by a saved
 * bundle: the same explanation as from the trained net, available after a reload. `row` holds
 * the customer's raw feature values in `featureNames` order; the result is sorted by magnitude.
 */
export async function explainFromBundle(bytes: Uint8Array, featureNames: readonly string[], row: Float32Array): Promise<{ feature: string; attribution: number }[]> {
  if (row.length !== featureNames.length) throw new ClvError('BAD_ARGUMENT', `Expected ${featureNames.length} feature values, got ${row.length}.`);
  try {
    const loaded = await loadBundle(bytes, { features: featureNames });
    try {
      const attributions = loaded.predictor.attributions(loaded.selectFeatures(row));
      return loaded.metadata.features
        .map((feature, j) => ({ feature, attribution: attributions[j] }))
        .sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
    } finally {
      loaded.predictor.dispose();
    }
  } catch (error) {
    throw asClvError(error);
  }
}
