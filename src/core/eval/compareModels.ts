/**
 * Side-by-side evaluation of several CLV models on the same customers: one record per model with
 * the regression metrics, the decile table and the classification views. Records come back sorted
 * by model name and every record has the same fixed key order, so the JSON written for a run is
 * identical however the models were scheduled or finished.
 */
import type { BootstrapMetric, PairedDifference } from './bootstrapIntervals';
import { decileTable, type DecileRow } from './calibration';
import { churnClassification, topValueClassification, type ScoredBinaryMetrics } from './classification';
import { checkSameLength, regressionMetrics, type NumericArray, type RegressionMetrics } from './metrics';

export interface ActualOutcomes {
  /** Actual spend in the horizon. */
  spend: NumericArray;
  /** Actual orders in the horizon; needed to score churn (churned = 0 orders). */
  orders?: NumericArray;
}

export interface ModelPredictions {
  /** Predicted spend in the horizon. */
  predicted: NumericArray;
  /** Optional churn score, higher = likelier to churn (e.g. 1 − P(alive)). */
  churnScore?: NumericArray;
}

export interface CompareOptions {
  /** The "top value" view's share of customers (default 20%). */
  topFraction?: number;
  /** Churn score at or above which a customer is predicted to churn (default 0.5). */
  churnThreshold?: number;
}

export interface ModelEvaluation {
  model: string;
  n: number;
  regression: RegressionMetrics;
  deciles: DecileRow[];
  top_value: ScoredBinaryMetrics;
  /** null when the model gives no churn score. */
  churn: ScoredBinaryMetrics | null;
  /** Why this comparison cannot pick a winner (see comparisonDefect); null when it can. */
  degenerate: ComparisonDefect | null;
  /** Least-squares slope of actual on predicted spend: 1 when the spread is right, < 1 over-spread. */
  calibration_slope?: number;
  /** 95% bootstrap intervals (over customers) of the metrics (eval/bootstrapIntervals.ts). */
  ci95?: Record<BootstrapMetric, [number, number]>;
  /** This model minus BG/NBD + Gamma-Gamma, per metric, with the paired bootstrap interval. */
  vs_btyd?: Record<BootstrapMetric, PairedDifference>;
  /** This model minus the naive run rate, likewise. */
  vs_naive?: Record<BootstrapMetric, PairedDifference>;
}

/**
 * A comparison that says nothing about the model: every customer spent the same in the horizon
 * (usually nothing), the model predicts the same value for everyone, or a metric is undefined.
 * Such a model may score RMSE 0 or R² 1, and must never be picked as the best.
 */
export type ComparisonDefect = 'constant-actuals' | 'constant-predictions' | 'undefined-metrics';

/** Metrics a comparison ranks models by: all must be defined for a meaningful comparison. */
const RANKED_METRICS = ['rmse', 'mae', 'r2', 'spearman', 'normalized_gini'] as const;

function isConstant(values: NumericArray): boolean {
  if (values.length === 0) return true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  // Float32 predictions of one value can differ in the last bits after arithmetic.
  return max - min <= 1e-9 * Math.max(1, Math.abs(max), Math.abs(min));
}

export function comparisonDefect(actual: NumericArray, predicted: NumericArray, regression: RegressionMetrics): ComparisonDefect | null {
  if (isConstant(actual)) return 'constant-actuals';
  if (isConstant(predicted)) return 'constant-predictions';
  if (RANKED_METRICS.some((key) => !Number.isFinite(regression[key]))) return 'undefined-metrics';
  return null;
}

export function compareModels(
  actual: ActualOutcomes,
  models: ReadonlyMap<string, ModelPredictions> | Readonly<Record<string, ModelPredictions>>,
  options: CompareOptions = {},
): ModelEvaluation[] {
  const n = actual.spend.length;
  if (actual.orders) checkSameLength(actual.spend, actual.orders, ['actual spend', 'actual orders']);
  const entries = models instanceof Map ? [...models.entries()] : Object.entries(models);
  // Code-unit order, not localeCompare: the result must not depend on the machine's locale.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([model, { predicted, churnScore }]) => {
    checkSameLength(actual.spend, predicted, ['actual spend', `${model} predictions`]);
    let churn: ScoredBinaryMetrics | null = null;
    if (churnScore) {
      if (!actual.orders) throw new Error(`model ${model} has churn scores but no actual orders were given`);
      churn = churnClassification(actual.orders, churnScore, options.churnThreshold);
    }
    const regression = regressionMetrics(actual.spend, predicted);
    return {
      model,
      n,
      regression,
      deciles: decileTable(actual.spend, predicted),
      top_value: topValueClassification(actual.spend, predicted, options.topFraction),
      churn,
      degenerate: comparisonDefect(actual.spend, predicted, regression),
    };
  });
}
