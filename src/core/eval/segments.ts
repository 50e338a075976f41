/**
 * Turning predictions into actions: high / medium / low predicted-CLV segments with a summary
 * table, and two ranked customer lists marketing can act on (who to retain, who to upsell).
 */
import { topFractionMask } from './classification';
import { checkSameLength, type NumericArray } from './metrics';

export type Segment = 'high' | 'medium' | 'low';

export const SEGMENTS: readonly Segment[] = ['high', 'medium', 'low'];

export interface SegmentSummaryRow {
  segment: Segment;
  count: number;
  customer_share: number;
  predicted_total: number;
  predicted_share: number;
  /** Present when actual values were supplied; NaN for an empty segment. */
  mean_actual?: number;
}

export interface Segmentation {
  labels: Segment[];
  /** One row per segment in SEGMENTS order. */
  summary: SegmentSummaryRow[];
}

export interface QuantileSegmentOptions {
  /** Share of customers in the high segment (the top by prediction). */
  highFraction?: number;
  /** Share of customers in the medium segment (the next ones down). */
  mediumFraction?: number;
  /** Actual horizon value, to report each segment's mean actual. */
  actual?: NumericArray;
}

export interface ThresholdSegmentOptions {
  /** Predicted CLV at or above which a customer is high. */
  high: number;
  /** Predicted CLV at or above which a customer is medium (if not high). */
  medium: number;
  actual?: NumericArray;
}

/**
 * Segments by rank: top `highFraction` (default 20%) high, next `mediumFraction` (default 30%)
 * medium, the rest low. Customers tied across a cut all go to the lower segment (see
 * topFractionMask), so equal predictions always share a segment whatever the row order.
 */
export function segmentByQuantile(predicted: NumericArray, options: QuantileSegmentOptions = {}): Segmentation {
  const highFraction = options.highFraction ?? 0.2;
  const mediumFraction = options.mediumFraction ?? 0.3;
  if (!(highFraction + mediumFraction <= 1)) throw new RangeError('highFraction + mediumFraction must not exceed 1');
  const high = topFractionMask(predicted, highFraction);
  const highOrMedium = topFractionMask(predicted, highFraction + mediumFraction);
  const labels = Array.from(high, (isHigh, i): Segment => (isHigh ? 'high' : highOrMedium[i] ? 'medium' : 'low'));
  return { labels, summary: summarise(labels, predicted, options.actual) };
}

/** Segments by fixed predicted-value thresholds, e.g. high ≥ $500, medium ≥ $100. */
export function segmentByThreshold(predicted: NumericArray, options: ThresholdSegmentOptions): Segmentation {
  if (!(options.high >= options.medium)) throw new RangeError('the high threshold must be at least the medium one');
  const labels = Array.from(predicted, (p): Segment => (p >= options.high ? 'high' : p >= options.medium ? 'medium' : 'low'));
  return { labels, summary: summarise(labels, predicted, options.actual) };
}

function summarise(labels: readonly Segment[], predicted: NumericArray, actual?: NumericArray): SegmentSummaryRow[] {
  if (actual) checkSameLength(actual, predicted);
  const n = labels.length;
  let grandTotal = 0;
  for (let i = 0; i < n; i++) grandTotal += predicted[i];
  return SEGMENTS.map((segment) => {
    let count = 0;
    let predictedTotal = 0;
    let actualTotal = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== segment) continue;
      count++;
      predictedTotal += predicted[i];
      if (actual) actualTotal += actual[i];
    }
    const row: SegmentSummaryRow = {
      segment,
      count,
      customer_share: n === 0 ? NaN : count / n,
      predicted_total: predictedTotal,
      predicted_share: grandTotal === 0 ? NaN : predictedTotal / grandTotal,
    };
    if (actual) row.mean_actual = count === 0 ? NaN : actualTotal / count;
    return row;
  });
}

export interface RetentionCandidate {
  index: number;
  predicted_clv: number;
  p_alive: number;
  churn_risk: number;
  /** predicted_clv × churn_risk: the value we expect to lose if we do nothing. */
  value_at_risk: number;
}

export interface UpsellCandidate {
  index: number;
  predicted_clv: number;
  p_alive: number;
  /** Churn risk (options.churn, else 1 − P(alive)). */
  churn_risk: number;
  /** (1 − churn_risk) × predicted_clv: engaged customers with room to grow rank first. */
  score: number;
}

export interface RetentionOptions {
  limit: number;
  /** Minimum churn risk to be worth a retention effort. */
  minChurnRisk?: number;
  /** Churn risk per customer (evaluate/churn.ts: P(no purchase in the period)); without it, 1 − P(alive). */
  churn?: NumericArray;
}

export interface UpsellOptions {
  limit: number;
  /** Minimum chance of staying active (1 − churn risk): upsell only customers who are clearly still active. */
  minPAlive?: number;
  /** Churn risk per customer, as for RetentionOptions; without it, 1 − P(alive). */
  churn?: NumericArray;
}

function checkInputs(predictedClv: NumericArray, pAlive: NumericArray, segments: readonly Segment[], limit: number): void {
  checkSameLength(predictedClv, pAlive, ['predictedClv', 'pAlive']);
  checkSameLength(predictedClv, segments, ['predictedClv', 'segments']);
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
}

/** Highest first, ties by customer index so lists are reproducible. */
function topBy<T extends { index: number }>(items: T[], key: (item: T) => number, limit: number): T[] {
  return items.sort((a, b) => key(b) - key(a) || a.index - b.index).slice(0, limit);
}

/**
 * High-segment customers at real risk of churning, most value at risk first: losing them costs
 * the most, so they are where a retention offer pays.
 */
export function retentionList(
  predictedClv: NumericArray,
  pAlive: NumericArray,
  segments: readonly Segment[],
  options: RetentionOptions,
): RetentionCandidate[] {
  checkInputs(predictedClv, pAlive, segments, options.limit);
  const minChurnRisk = options.minChurnRisk ?? 0.5;
  if (options.churn) checkSameLength(predictedClv, options.churn, ['predictedClv', 'churn']);
  const candidates: RetentionCandidate[] = [];
  for (let i = 0; i < segments.length; i++) {
    const churnRisk = options.churn ? options.churn[i] : 1 - pAlive[i];
    if (segments[i] === 'high' && churnRisk >= minChurnRisk) {
      candidates.push({
        index: i,
        predicted_clv: predictedClv[i],
        p_alive: pAlive[i],
        churn_risk: churnRisk,
        value_at_risk: predictedClv[i] * churnRisk,
      });
    }
  }
  return topBy(candidates, (c) => c.value_at_risk, options.limit);
}

/**
 * Medium-segment customers who are very likely still active, ranked by P(alive) × predicted CLV:
 * engaged but not yet high value, the natural upsell audience.
 */
export function upsellList(
  predictedClv: NumericArray,
  pAlive: NumericArray,
  segments: readonly Segment[],
  options: UpsellOptions,
): UpsellCandidate[] {
  checkInputs(predictedClv, pAlive, segments, options.limit);
  const minPAlive = options.minPAlive ?? 0.7;
  if (options.churn) checkSameLength(predictedClv, options.churn, ['predictedClv', 'churn']);
  const candidates: UpsellCandidate[] = [];
  for (let i = 0; i < segments.length; i++) {
    const active = options.churn ? 1 - options.churn[i] : pAlive[i];
    if (segments[i] === 'medium' && active >= minPAlive) {
      candidates.push({ index: i, predicted_clv: predictedClv[i], p_alive: pAlive[i], churn_risk: options.churn ? options.churn[i] : 1 - pAlive[i], score: active * predictedClv[i] });
    }
  }
  return topBy(candidates, (c) => c.score, options.limit);
}
