import { describe, expect, it } from 'vitest';
import {
  retentionList,
  segmentByQuantile,
  segmentByThreshold,
  upsellList,
  type Segment,
} from '../../src/core/eval/segments';

describe('segmentByQuantile', () => {
  // predicted values 1..10 in scrambled row order; total 55
  const predicted = [4, 10, 1, 7, 9, 2, 6, 3, 8, 5];

  it('puts the top 20% in high, the next 30% in medium and the rest in low', () => {
    const { labels } = segmentByQuantile(predicted);
    const byValue = (segment: Segment) => predicted.filter((_, i) => labels[i] === segment).sort((a, b) => a - b);
    expect(byValue('high')).toEqual([9, 10]);
    expect(byValue('medium')).toEqual([6, 7, 8]);
    expect(byValue('low')).toEqual([1, 2, 3, 4, 5]);
  });

  it('summarises count, customer share and predicted value per segment', () => {
    const actual = predicted.map((p) => p * 2);
    const { summary } = segmentByQuantile(predicted, { actual });
    expect(summary).toEqual([
      { segment: 'high', count: 2, customer_share: 0.2, predicted_total: 19, predicted_share: 19 / 55, mean_actual: 19 },
      { segment: 'medium', count: 3, customer_share: 0.3, predicted_total: 21, predicted_share: 21 / 55, mean_actual: 14 },
      { segment: 'low', count: 5, customer_share: 0.5, predicted_total: 15, predicted_share: 15 / 55, mean_actual: 6 },
    ]);
  });

  it('omits mean_actual when no actual values are given', () => {
    const { summary } = segmentByQuantile(predicted);
    expect(summary.every((row) => !('mean_actual' in row))).toBe(true);
  });

  it('honours custom fractions', () => {
    const { summary } = segmentByQuantile(predicted, { highFraction: 0.1, mediumFraction: 0.5 });
    expect(summary.map((r) => r.count)).toEqual([1, 5, 4]);
    expect(() => segmentByQuantile(predicted, { highFraction: 0.6, mediumFraction: 0.6 })).toThrow(RangeError);
  });

  it('keeps tied predictions together, in the lower segment, whatever the row order', () => {
    const tied = [10, 8, 8, 5, 4, 3, 2, 1, 0, 0]; // the 8s straddle the top-2 cut
    const { labels } = segmentByQuantile(tied);
    expect(labels.slice(0, 3)).toEqual(['high', 'medium', 'medium']);
    const reversed = segmentByQuantile([...tied].reverse()).labels.reverse();
    expect(reversed).toEqual(labels);
  });
});

describe('segmentByThreshold', () => {
  it('uses value cut-offs, inclusive at each threshold', () => {
    const predicted = [600, 500, 499, 100, 99, 0];
    const { labels, summary } = segmentByThreshold(predicted, { high: 500, medium: 100, actual: [1, 2, 3, 4, 5, 6] });
    expect(labels).toEqual(['high', 'high', 'medium', 'medium', 'low', 'low']);
    expect(summary.map((r) => r.predicted_total)).toEqual([1100, 599, 99]);
    expect(summary.map((r) => r.mean_actual)).toEqual([1.5, 3.5, 5.5]);
    expect(() => segmentByThreshold(predicted, { high: 50, medium: 100 })).toThrow(RangeError);
  });

  it('reports an empty segment with NaN mean actual', () => {
    const { summary } = segmentByThreshold([1, 2], { high: 10, medium: 5, actual: [1, 2] });
    expect(summary[0].count).toBe(0);
    expect(summary[0].mean_actual).toBeNaN();
    expect(summary[2].count).toBe(2);
  });
});

describe('retentionList', () => {
  const clv = [1000, 800, 900, 50, 700, 1000];
  const pAlive = [0.2, 0.1, 0.9, 0.1, 0.5, 0.2];
  const segments: Segment[] = ['high', 'high', 'high', 'low', 'high', 'high'];

  it('keeps high-value customers at risk, sorted by value at risk, ties by index', () => {
    // at risk (churn ≥ 0.5): 0 → 800, 1 → 720, 4 → 350, 5 → 800; 2 is safe, 3 is not high
    const list = retentionList(clv, pAlive, segments, { limit: 10 });
    expect(list.map((c) => c.index)).toEqual([0, 5, 1, 4]);
    expect(list[0]).toEqual({ index: 0, predicted_clv: 1000, p_alive: 0.2, churn_risk: 0.8, value_at_risk: 800 });
    expect(list[2].value_at_risk).toBeCloseTo(720, 10);
  });

  it('applies the limit and the churn-risk floor', () => {
    expect(retentionList(clv, pAlive, segments, { limit: 2 }).map((c) => c.index)).toEqual([0, 5]);
    expect(retentionList(clv, pAlive, segments, { limit: 10, minChurnRisk: 0.85 }).map((c) => c.index)).toEqual([1]);
    expect(retentionList(clv, pAlive, segments, { limit: 0 })).toEqual([]);
  });

  it('rejects misaligned arrays and a bad limit', () => {
    expect(() => retentionList(clv, pAlive.slice(1), segments, { limit: 1 })).toThrow(RangeError);
    expect(() => retentionList(clv, pAlive, segments.slice(1), { limit: 1 })).toThrow(RangeError);
    expect(() => retentionList(clv, pAlive, segments, { limit: -1 })).toThrow(RangeError);
  });
});

describe('upsellList', () => {
  it('keeps active medium customers, sorted by P(alive) × predicted CLV', () => {
    const clv = [200, 300, 250, 400, 150];
    const pAlive = [0.9, 0.8, 0.95, 0.99, 0.6];
    const segments: Segment[] = ['medium', 'medium', 'medium', 'high', 'medium'];
    // scores: 0 → 180, 1 → 240, 2 → 237.5; 3 is high, 4 is below the 0.7 floor
    const list = upsellList(clv, pAlive, segments, { limit: 5 });
    expect(list.map((c) => c.index)).toEqual([1, 2, 0]);
    expect(list[0]).toMatchObject({ index: 1, predicted_clv: 300, p_alive: 0.8, score: 240 });
    expect(list[0].churn_risk).toBeCloseTo(0.2, 12);
    expect(upsellList(clv, pAlive, segments, { limit: 1 }).map((c) => c.index)).toEqual([1]);
    expect(upsellList(clv, pAlive, segments, { limit: 5, minPAlive: 0.5 }).map((c) => c.index)).toEqual([1, 2, 0, 4]);
  });
});
