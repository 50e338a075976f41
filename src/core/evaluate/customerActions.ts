import { retentionList, segmentByQuantile, upsellList, type Segmentation } from '../eval/segments';
import type { EvaluationResult } from './evaluateModels';
import { bestModel, type BestModelMetric } from './bestModel';
import type { ModelName } from './modelNames';

export interface CustomerActions {
  /** Model whose predictions drive the segments: the best model by the one rule (bestModel). */
  model: ModelName;
  segmentation: Segmentation;
  retention: ReturnType<typeof retentionList>;
  upsell: ReturnType<typeof upsellList>;
}

/** The best value model on the test slice by the one rule (bestModel: normalized Gini unless `metric` says otherwise). */
export function bestValueModel(result: EvaluationResult, metric?: BestModelMetric): ModelName | null {
  return bestModel(result.metrics, (model) => result.predictions[model as ModelName] !== undefined, metric) as ModelName | null;
}

/**
 * High / medium / low predicted-CLV segments for every customer, and who to retain (high value,
 * likely to churn) and who to upsell (medium value, clearly active). Churn is the one definition
 * (churn.ts: P(no purchase in the horizon)), from BG/NBD, or from ZILN's return probability when
 * BG/NBD did not run; P(alive) from BG/NBD rides along as its own column.
 */
export function customerActions(result: EvaluationResult, limit = 100, metric?: BestModelMetric): CustomerActions | null {
  const model = bestValueModel(result, metric);
  if (!model) return null;
  const predicted = result.predictions[model]!;
  const churn = result.churnScores['bgnbd-gg'] ?? result.churnScores.ziln ?? new Float64Array(predicted.length);
  const pAlive = result.btyd ? result.btyd.pAlive : Float64Array.from(churn, (c) => 1 - c);
  const segmentation = segmentByQuantile(predicted);
  return {
    model,
    segmentation,
    retention: retentionList(predicted, pAlive, segmentation.labels, { limit, churn }),
    upsell: upsellList(predicted, pAlive, segmentation.labels, { limit, churn }),
  };
}
