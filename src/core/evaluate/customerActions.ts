import { retentionList, segmentByQuantile, upsellList, type Segmentation } from '../eval/segments';
import type { EvaluationResult } from './evaluateModels';
import { canBeBest } from './bestModel';
import { RANK_ONLY_MODELS, type ModelName } from './modelNames';

export interface CustomerActions {
  /** Model whose predictions drive the segments: the best normalized Gini on the test customers. */
  model: ModelName;
  segmentation: Segmentation;
  retention: ReturnType<typeof retentionList>;
  upsell: ReturnType<typeof upsellList>;
}

/** The best value model on the test slice (rank-only scores and degenerate comparisons excluded). */
export function bestValueModel(result: EvaluationResult): ModelName | null {
  let best: { model: ModelName; gini: number } | null = null;
  for (const m of result.metrics) {
    const model = m.model as ModelName;
    if (RANK_ONLY_MODELS.includes(model) || !result.predictions[model] || !canBeBest(m)) continue;
    const gini = m.regression.normalized_gini;
    if (Number.isFinite(gini) && (best === null || gini > best.gini)) best = { model, gini };
  }
  return best?.model ?? null;
}

/**
 * High / medium / low predicted-CLV segments for every customer, and who to retain (high value,
 * likely to churn) and who to upsell (medium value, clearly active). P(alive) comes from BG/NBD,
 * or from the ZILN return probability when BG/NBD did not run.
 */
export function customerActions(result: EvaluationResult, limit = 100): CustomerActions | null {
  const model = bestValueModel(result);
  if (!model) return null;
  const predicted = result.predictions[model]!;
  const churn = result.btyd ? result.btyd.pAlive.map((p) => 1 - p) : (result.churnScores.ziln ?? null);
  const pAlive = churn ? Float64Array.from(churn, (c) => 1 - c) : new Float64Array(predicted.length).fill(1);
  const segmentation = segmentByQuantile(predicted);
  return {
    model,
    segmentation,
    retention: retentionList(predicted, pAlive, segmentation.labels, { limit }),
    upsell: upsellList(predicted, pAlive, segmentation.labels, { limit }),
  };
}
