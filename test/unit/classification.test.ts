import { describe, expect, it } from 'vitest';
import {
  binaryMetrics,
  churnClassification,
  rocAuc,
  thresholdedMetrics,
  topFractionMask,
  topValueClassification,
} from '../../src/core/eval/classification';
import { Rng } from '../../src/core/random';

/** Reference AUC: over all positive/negative pairs, 1 if the positive scores higher, ½ if tied. */
function bruteForceAuc(labels: boolean[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((li, i) => {
    if (!li) return;
    labels.forEach((lj, j) => {
      if (lj) return;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('binaryMetrics', () => {
  it('counts the confusion matrix and derives precision, recall, F1 (hand case)', () => {
    const m = binaryMetrics([1, 1, 0, 0, 1, 0], [true, false, true, false, true, false]);
    expect({ tp: m.tp, fp: m.fp, tn: m.tn, fn: m.fn }).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
  });

  it('F1 is the harmonic mean when precision and recall differ', () => {
    // tp 1, fp 3, fn 0 → precision ¼, recall 1 → F1 = 2·¼·1 / (¼ + 1) = 0.4
    const m = binaryMetrics([1, 0, 0, 0], [1, 1, 1, 1]);
    expect(m.precision).toBeCloseTo(0.25, 12);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(0.4, 12);
  });

  it('is NaN where a ratio is undefined rather than pretending 0', () => {
    const noPredictions = binaryMetrics([1, 0], [0, 0]);
    expect(noPredictions.precision).toBeNaN();
    expect(noPredictions.recall).toBe(0);
    expect(noPredictions.f1).toBe(0);
    const nothing = binaryMetrics([0, 0], [0, 0]);
    expect(nothing.recall).toBeNaN();
    expect(nothing.f1).toBeNaN();
    expect(() => binaryMetrics([1], [1, 0])).toThrow(RangeError);
  });
});

describe('rocAuc', () => {
  it('is 1 for perfect separation, 0 reversed, ½ when all scores tie', () => {
    const labels = [0, 0, 1, 1];
    expect(rocAuc(labels, [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc(labels, [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc(labels, [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('hand case with a tie across classes', () => {
    // pairs (pos, neg): (0.8 vs 0.3) win, (0.8 vs 0.8) tie, (0.4 vs 0.3) win, (0.4 vs 0.8) loss → 2.5 / 4
    expect(rocAuc([true, false, true, false], [0.8, 0.3, 0.4, 0.8])).toBeCloseTo(2.5 / 4, 12);
  });

  it('matches brute-force pair counting on random data with many ties', () => {
    const rng = new Rng(31);
    for (let trial = 0; trial < 5; trial++) {
      const labels = Array.from({ length: 400 }, () => rng.uniform() < 0.3);
      const scores = labels.map((l) => Math.round((l ? 0.6 : 0.4) * 10 + rng.normal(0, 2)) / 10); // coarse → ties
      expect(rocAuc(labels, Float64Array.from(scores))).toBeCloseTo(bruteForceAuc(labels, scores), 12);
    }
  });

  it('is NaN with only one class present', () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
    expect(rocAuc([0, 0], [0.2, 0.3])).toBeNaN();
  });
});

describe('thresholdedMetrics', () => {
  it('predicts positive at score ≥ threshold and reports AUC and positive rate', () => {
    const labels = [1, 0, 1, 0, 0];
    const scores = [0.9, 0.5, 0.4, 0.2, 0.5];
    const m = thresholdedMetrics(labels, scores, 0.5); // predicted: 1,1,0,0,1
    expect({ tp: m.tp, fp: m.fp, tn: m.tn, fn: m.fn }).toEqual({ tp: 1, fp: 2, tn: 1, fn: 1 });
    expect(m.roc_auc).toBeCloseTo(bruteForceAuc(labels.map(Boolean), scores), 12);
    expect(m.positive_rate).toBeCloseTo(2 / 5, 12);
  });
});

describe('topFractionMask', () => {
  it('marks exactly the top round(f·n) when values are distinct', () => {
    const values = [3, 9, 1, 7, 5, 2, 8, 4, 6, 0];
    expect(Array.from(topFractionMask(values, 0.2))).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(topFractionMask(values, 0))).toEqual(new Array(10).fill(0));
    expect(Array.from(topFractionMask(values, 1))).toEqual(new Array(10).fill(1));
  });

  it('leaves out customers tied with the first one outside the cut', () => {
    // top 2 of 10 would split the tie at 4 → only the 5 is marked
    expect(Array.from(topFractionMask([5, 4, 4, 3, 2, 1, 0, 0, 0, 0], 0.2))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('never marks zero-value customers in zero-heavy data', () => {
    const values = [0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0];
    expect(Array.from(topFractionMask(values, 0.2)).reduce((a, b) => a + b, 0)).toBe(2);
    expect(topFractionMask(values, 0.2)[2]).toBe(1);
    expect(topFractionMask(values, 0.2)[14]).toBe(1);
  });

  it('rejects fractions outside [0, 1]', () => {
    expect(() => topFractionMask([1, 2], 1.2)).toThrow(RangeError);
  });
});

describe('topValueClassification', () => {
  it('is perfect for a perfect ranking', () => {
    const actual = Array.from({ length: 50 }, (_, i) => (i * 37) % 50);
    const m = topValueClassification(actual, actual.map((a) => a * 2 + 1));
    expect([m.precision, m.recall, m.f1, m.roc_auc]).toEqual([1, 1, 1, 1]);
    expect(m.tp).toBe(10);
    expect(m.positive_rate).toBeCloseTo(0.2, 12);
  });

  it('hand case: top 2 of 10 by actual versus top 2 by prediction', () => {
    const actual = [100, 90, 5, 4, 3, 2, 1, 0, 0, 0]; // positives: customers 0, 1
    const predicted = [50, 1, 60, 2, 3, 4, 5, 6, 7, 8]; // predicted top 2: customers 2, 0
    const m = topValueClassification(actual, predicted);
    expect({ tp: m.tp, fp: m.fp, fn: m.fn, tn: m.tn }).toEqual({ tp: 1, fp: 1, fn: 1, tn: 7 });
    expect(m.precision).toBe(0.5);
    expect(m.recall).toBe(0.5);
    // AUC on raw predictions: customer 0 (50) beats 7 of 8 negatives, customer 1 (1) beats none → 7/16
    expect(m.roc_auc).toBeCloseTo(7 / 16, 12);
  });

  it('supports another fraction and rejects mismatched lengths', () => {
    const actual = Array.from({ length: 10 }, (_, i) => i);
    expect(topValueClassification(actual, actual, 0.5).tp).toBe(5);
    expect(() => topValueClassification([1, 2], [1])).toThrow(RangeError);
  });
});

describe('churnClassification', () => {
  it('labels zero-order customers as churned and thresholds the churn score', () => {
    const orders = [0, 3, 0, 1, 0, 2];
    const churnScore = [0.9, 0.2, 0.4, 0.6, 0.7, 0.1]; // predicted churn at 0.5: 1,0,0,1,1,0
    const m = churnClassification(orders, churnScore);
    expect({ tp: m.tp, fp: m.fp, fn: m.fn, tn: m.tn }).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
    expect(m.positive_rate).toBe(0.5);
    expect(m.roc_auc).toBeCloseTo(bruteForceAuc([true, false, true, false, true, false], churnScore), 12);
    expect(churnClassification(orders, churnScore, 0.35).tp).toBe(3);
  });
});
