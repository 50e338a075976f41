/**
 * Permutation importance: how much worse a fitted model gets when one feature's column is shuffled
 * across customers, breaking its link to the target while keeping its distribution. Model-agnostic:
 * it only needs a batch `predict`, so it works for the tfjs network, boosted trees or any baseline.
 */
import { deriveSeed, Rng } from '../random';
import { checkSameLength, mae, mse, normalizedGini, rmse, r2, spearman, type NumericArray } from './metrics';

export type ImportanceMetric = 'rmse' | 'mse' | 'mae' | 'r2' | 'spearman' | 'normalized_gini';

/** Score function and whether a larger score is better (importance is always "how much worse"). */
const METRICS: Record<ImportanceMetric, { score: (a: NumericArray, p: NumericArray) => number; higherIsBetter: boolean }> = {
  rmse: { score: rmse, higherIsBetter: false },
  mse: { score: mse, higherIsBetter: false },
  mae: { score: mae, higherIsBetter: false },
  r2: { score: r2, higherIsBetter: true },
  spearman: { score: spearman, higherIsBetter: true },
  normalized_gini: { score: normalizedGini, higherIsBetter: true },
};

export type BatchPredict = (X: Float32Array) => Promise<Float32Array | Float64Array>;

export interface PermutationImportanceOptions {
  seed: number;
  /** Shuffles per feature; more repeats give a steadier mean and a meaningful std. */
  repeats?: number;
  metric?: ImportanceMetric;
}

export interface FeatureImportance {
  feature: string;
  /** Column index in X. */
  index: number;
  /** Mean worsening of the metric over the repeats (positive = the model relies on the feature). */
  importance: number;
  /** Sample standard deviation of the worsening over the repeats (0 with one repeat). */
  std: number;
}

export interface PermutationImportanceResult {
  metric: ImportanceMetric;
  /** The metric on the unshuffled data. */
  baseline: number;
  repeats: number;
  seed: number;
  /** Most important first; ties by column index. */
  features: FeatureImportance[];
}

/**
 * @param X row-major n × d feature matrix (d = featureNames.length).
 * @param y the target for each of the n rows.
 */
export async function permutationImportance(
  X: Float32Array,
  y: NumericArray,
  predict: BatchPredict,
  featureNames: readonly string[],
  options: PermutationImportanceOptions,
): Promise<PermutationImportanceResult> {
  const n = y.length;
  const d = featureNames.length;
  if (X.length !== n * d) throw new RangeError(`X has ${X.length} values, expected ${n} rows × ${d} features`);
  const repeats = options.repeats ?? 5;
  if (!Number.isSafeInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a positive integer, got ${repeats}`);
  const metric = options.metric ?? 'rmse';
  const { score, higherIsBetter } = METRICS[metric];

  const evaluate = async (input: Float32Array): Promise<number> => {
    const predicted = await predict(input);
    checkSameLength(y, predicted, ['y', 'predictions']);
    return score(y, predicted);
  };
  // predict gets a fresh copy every call: it may transfer the buffer to a worker or keep it.
  const baseline = await evaluate(X.slice());

  const features: FeatureImportance[] = [];
  for (let j = 0; j < d; j++) {
    // One stream per feature: its shuffles do not change when features are added or reordered.
    const rng = new Rng(deriveSeed(options.seed, 'permutation_importance', j));
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = rng.permutation(n);
      const shuffled = X.slice();
      for (let i = 0; i < n; i++) shuffled[i * d + j] = X[order[i] * d + j];
      const permuted = await evaluate(shuffled);
      drops.push(higherIsBetter ? baseline - permuted : permuted - baseline);
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const variance = repeats > 1 ? drops.reduce((a, b) => a + (b - mean) ** 2, 0) / (repeats - 1) : 0;
    features.push({ feature: featureNames[j], index: j, importance: mean, std: Math.sqrt(variance) });
  }
  // An undefined (NaN) importance, e.g. Spearman on constant predictions, sorts last.
  const key = (f: FeatureImportance) => (Number.isNaN(f.importance) ? -Infinity : f.importance);
  features.sort((a, b) => key(b) - key(a) || a.index - b.index);
  return { metric, baseline, repeats, seed: options.seed, features };
}
