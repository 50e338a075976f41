/**
 * Permutation importance of each model's inputs on a seeded sample of the scored test customers:
 * how much the comparison's ranking metric (normalized Gini, the best-model rule's) drops when one
 * feature is shuffled, as the mean and standard deviation over IMPORTANCE_REPEATS shuffles, with the
 * nets' predictions clipped as in the metrics table. A negative value: the model ranked customers
 * better without that feature's information (it hurts, or the difference is noise within its sd).
 */
import { permutationImportance, type FeatureImportance } from '../eval/permutationImportance';
import { forecastFromFit, type BtydForecast } from '../models/btydForecast';
import { column, gather, pick, sampleRows } from '../rows';
import type { RunRate } from './baselineStep';
import type { EvaluationRun } from './evaluationRun';
import { HYBRID_EXTRA_FEATURES } from './hybridInputs';
import type { ModelName } from './modelNames';

/** The metric importance is measured on: the one the comparison ranks models by. */
export const IMPORTANCE_METRIC = 'normalized_gini' as const;
/** Shuffles per feature: enough for a stable order and a meaningful standard deviation. */
export const IMPORTANCE_REPEATS = 10;

/** A net's predictions as the metrics table sees them: clipped to [0, its spend ceiling]. */
const clipped = (net: { predict(X: Float32Array): Float32Array; predictor: { spendCeiling: number | null } }) => async (X: Float32Array) =>
  Float64Array.from(net.predict(X), (v) => Math.min(Math.max(v, 0), net.predictor.spendCeiling ?? Number.POSITIVE_INFINITY));

export interface ImportanceRows {
  /** Rows of the scored customers the importance is measured on. */
  rows: Int32Array;
  /** Their features. */
  X: Float32Array;
  of(X: Float32Array, names: readonly string[], predict: (X: Float32Array) => Promise<Float64Array | Float32Array>): Promise<FeatureImportance[]>;
}

export function importanceRows(run: EvaluationRun): ImportanceRows {
  const { score, test, folds } = run.protocol;
  // Cross-fitting keeps the first fold's nets: they are explained on that fold's customers, which they never saw.
  const rows = sampleRows(folds.length > 1 ? folds[0].test : test, run.options.importanceRows ?? 2000);
  const yRows = pick(score.holdoutSpend, rows);
  return {
    rows,
    X: gather(score.X, run.d, rows),
    of: async (X, names, predict) => (await permutationImportance(X, yRows, predict, names, { seed: run.options.seed, repeats: IMPORTANCE_REPEATS, metric: IMPORTANCE_METRIC })).features,
  };
}

export async function explainModels(
  run: EvaluationRun,
  sample: ImportanceRows,
  importance: Partial<Record<ModelName, FeatureImportance[]>>,
  context: { btyd: BtydForecast | null; hybridScoreX: Float32Array | null; runRate: RunRate },
): Promise<void> {
  const { score } = run.protocol;
  const { models, nets, d } = run;
  for (const m of ['fnn-seed', 'fnn', 'ziln'] as const) {
    const net = nets[m];
    if (net && models.includes(m)) importance[m] = await sample.of(sample.X, score.featureNames, clipped(net));
  }
  if (nets.hybrid && context.hybridScoreX && models.includes('hybrid')) {
    const net = nets.hybrid;
    importance.hybrid = await sample.of(gather(context.hybridScoreX, d + HYBRID_EXTRA_FEATURES.length, sample.rows), [...score.featureNames, ...HYBRID_EXTRA_FEATURES], clipped(net));
  }
  if (models.includes('naive')) importance.naive = await sample.of(sample.X, score.featureNames, async (X) => context.runRate(score, X));
  if (context.btyd && models.includes('bgnbd-gg')) {
    const fitted = context.btyd;
    const B = new Float32Array(sample.rows.length * 4);
    sample.rows.forEach((i, r) => B.set([score.btyd.frequency[i], score.btyd.recency[i], score.btyd.T[i], score.btyd.monetary[i]], r * 4));
    importance['bgnbd-gg'] = await sample.of(B, ['frequency', 'recency', 'T', 'monetary_value'], async (X) =>
      forecastFromFit(fitted, { frequency: column(X, 4, 0), recency: column(X, 4, 1), T: column(X, 4, 2), monetary: column(X, 4, 3) }, { horizon: score.horizonDays / score.unitDays }).horizonSpend,
    );
  }
}
