/**
 * Classification views of a CLV model:
 *  - top value: does the model find the customers who will be in the top 20% by actual value?
 *  - churn: does a churn score (e.g. 1 − P(alive)) single out customers with no orders in the horizon?
 * Built on generic functions over boolean labels and real-valued scores. Undefined ratios (e.g.
 * precision with no predicted positives) are NaN, which JSON writes as null.
 */
import { averageRanks, checkSameLength, descendingOrder, type NumericArray } from './metrics';

/** Boolean labels as a plain array or a 0/1 typed array. */
export type Labels = ArrayLike<boolean | number>;

export interface BinaryMetrics {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ScoredBinaryMetrics extends BinaryMetrics {
  roc_auc: number;
  /** Share of customers that are actually positive. */
  positive_rate: number;
}

export function binaryMetrics(labels: Labels, predictedPositive: Labels): BinaryMetrics {
  checkSameLength(labels, predictedPositive, ['labels', 'predictedPositive']);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const actual = Boolean(labels[i]);
    const predicted = Boolean(predictedPositive[i]);
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
    else tn++;
  }
  const f1Denominator = 2 * tp + fp + fn;
  return {
    tp,
    fp,
    tn,
    fn,
    precision: tp + fp === 0 ? NaN : tp / (tp + fp),
    recall: tp + fn === 0 ? NaN : tp / (tp + fn),
    f1: f1Denominator === 0 ? NaN : (2 * tp) / f1Denominator,
  };
}

/**
 * ROC-AUC via the Mann-Whitney U statistic: the probability that a random positive scores above a
 * random negative, ties counting one half (average ranks). NaN unless both classes are present.
 */
export function rocAuc(labels: Labels, scores: NumericArray): number {
  checkSameLength(labels, scores, ['labels', 'scores']);
  const ranks = averageRanks(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]) {
      positives++;
      positiveRankSum += ranks[i];
    }
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Binary metrics at `score >= threshold`, plus the threshold-free ROC-AUC. */
export function thresholdedMetrics(labels: Labels, scores: NumericArray, threshold: number): ScoredBinaryMetrics {
  const predictedPositive = Uint8Array.from(scores, (s) => (s >= threshold ? 1 : 0));
  return withScoreMetrics(binaryMetrics(labels, predictedPositive), labels, scores);
}

function withScoreMetrics(metrics: BinaryMetrics, labels: Labels, scores: NumericArray): ScoredBinaryMetrics {
  const positives = metrics.tp + metrics.fn;
  return { ...metrics, roc_auc: rocAuc(labels, scores), positive_rate: labels.length === 0 ? NaN : positives / labels.length };
}

/**
 * Marks the top `fraction` of customers by value (round(fraction·n) of them). Customers tied with
 * the best customer left outside are all excluded, so a label never depends on row order and a
 * customer is never "top" while tied with one who is not; in zero-heavy CLV data this also means
 * zero-value customers are never top. Hence at most, not exactly, round(fraction·n) are marked.
 */
export function topFractionMask(values: NumericArray, fraction: number): Uint8Array {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must lie in [0, 1], got ${fraction}`);
  const n = values.length;
  const mask = new Uint8Array(n);
  const k = Math.round(fraction * n);
  if (k === 0) return mask;
  const order = descendingOrder(values);
  const firstOutside = k < n ? values[order[k]] : -Infinity;
  for (let r = 0; r < k && values[order[r]] > firstOutside; r++) mask[order[r]] = 1;
  return mask;
}

/**
 * "Top value" view: positive = actual value in the top `fraction` (default 20%) of actual values;
 * predicted positive = prediction in the top `fraction` of predictions; AUC scores the raw predictions.
 */
export function topValueClassification(
  actual: NumericArray,
  predicted: NumericArray,
  fraction = 0.2,
): ScoredBinaryMetrics {
  checkSameLength(actual, predicted);
  const labels = topFractionMask(actual, fraction);
  return withScoreMetrics(binaryMetrics(labels, topFractionMask(predicted, fraction)), labels, predicted);
}

/**
 * Churn view: positive = no orders in the horizon; `churnScore` is higher for likelier churners
 * (e.g. 1 − P(alive)); predicted churn = score ≥ threshold.
 */
export function churnClassification(
  actualOrders: NumericArray,
  churnScore: NumericArray,
  threshold = 0.5,
): ScoredBinaryMetrics {
  checkSameLength(actualOrders, churnScore, ['actualOrders', 'churnScore']);
  const churned = Uint8Array.from(actualOrders, (orders) => (orders === 0 ? 1 : 0));
  return thresholdedMetrics(churned, churnScore, threshold);
}
