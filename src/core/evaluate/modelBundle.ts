import type { ModelInputs } from '../engine';
import { ClvError } from '../errors';
import { BundleError, loadBundle, serializeBundle } from '../nets/bundle';
import type { EvaluationResult } from './evaluateModels';
import type { ModelName } from './modelNames';

/** Nets that score from the feature table alone, so a bundle can carry them to new data. */
const BUNDLEABLE: readonly ModelName[] = ['ziln', 'fnn', 'fnn-seed'];

/** The bundleable net with the best normalized Gini on the test customers, or null if none ran. */
export function bestBundleableModel(result: EvaluationResult): ModelName | null {
  let best: { model: ModelName; gini: number } | null = null;
  for (const m of result.metrics) {
    const model = m.model as ModelName;
    if (!BUNDLEABLE.includes(model) || !result.nets[model]) continue;
    const gini = m.regression.normalized_gini;
    if (best === null || gini > best.gini) best = { model, gini };
  }
  return best?.model ?? null;
}

export function bundleFromEvaluation(result: EvaluationResult, inputs: ModelInputs, extra: { seed: number }): Promise<Uint8Array> | null {
  const model = bestBundleableModel(result);
  if (!model) return null;
  const metrics = result.metrics.find((m) => m.model === model)!.regression;
  const numeric = Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<string, number>;
  return serializeBundle(result.nets[model]!.predictor, {
    features: inputs.featureNames,
    timeUnit: 'day',
    cutoff: inputs.period.cutoff,
    metrics: { ...numeric, seed: extra.seed },
  });
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
    if (error instanceof BundleError) throw new ClvError('BAD_ARGUMENT', `${error.code}: ${error.message}`);
    throw error;
  }
}
