import { describe, expect, it } from 'vitest';
import { kFold, randomSplit, replaySplit, temporalHoldoutSplit, type Split } from '../../src/core/eval/split';

function expectPartition(parts: Int32Array[], n: number): void {
  const all = parts.flatMap((p) => Array.from(p));
  expect(all.length).toBe(n);
  expect(new Set(all).size).toBe(n); // disjoint
  expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i)); // covers all
}

function expectAscending(part: Int32Array): void {
  for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
}

const parts = (s: Split) => [s.train, s.validation, s.test];

describe('temporalHoldoutSplit', () => {
  it('holds out 30% for test and 10% of the rest for validation by default', () => {
    const split = temporalHoldoutSplit(1000, { seed: 1 });
    // 1000 × 0.3 = 300 test; 700 × 0.1 = 70 validation; 630 train.
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([630, 70, 300]);
    expect(split.descriptor.sizes).toEqual({ train: 630, validation: 70, test: 300 });
    expect(split.descriptor.fractions.test).toBe(0.3);
    expect(split.descriptor.fractions.validation).toBeCloseTo(0.07, 12);
    expect(split.descriptor.fractions.train).toBeCloseTo(0.63, 12);
    expectPartition(parts(split), 1000);
    parts(split).forEach(expectAscending);
    parts(split).forEach((p) => expect(p).toBeInstanceOf(Int32Array));
  });

  it('honours custom fractions and rounds to whole customers', () => {
    const split = temporalHoldoutSplit(101, { seed: 3, testFraction: 0.2, validationFraction: 0.25 });
    // round(20.2) = 20 test; round(81 × 0.25 = 20.25) = 20 validation; 61 train.
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([61, 20, 20]);
    expectPartition(parts(split), 101);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = temporalHoldoutSplit(500, { seed: 42 });
    const b = temporalHoldoutSplit(500, { seed: 42 });
    const c = temporalHoldoutSplit(500, { seed: 43 });
    expect(parts(a).map((p) => Array.from(p))).toEqual(parts(b).map((p) => Array.from(p)));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('samples the test set across the whole customer range, not a block', () => {
    const split = temporalHoldoutSplit(10_000, { seed: 8 });
    const firstHalf = Array.from(split.test).filter((i) => i < 5000).length;
    expect(Math.abs(firstHalf / split.test.length - 0.5)).toBeLessThan(0.05);
  });

  it('round-trips its descriptor through JSON and replays the same indices', () => {
    const split = temporalHoldoutSplit(777, { seed: 2024 });
    const saved = JSON.parse(JSON.stringify(split.descriptor));
    expect(saved).toEqual(split.descriptor);
    const replayed = replaySplit(saved);
    expect(parts(replayed).map((p) => Array.from(p))).toEqual(parts(split).map((p) => Array.from(p)));
  });

  it('handles an empty table and rejects bad input', () => {
    const empty = temporalHoldoutSplit(0, { seed: 1 });
    expect(parts(empty).map((p) => p.length)).toEqual([0, 0, 0]);
    expect(() => temporalHoldoutSplit(-1, { seed: 1 })).toThrow(RangeError);
    expect(() => temporalHoldoutSplit(10, { seed: 1, testFraction: 1.5 })).toThrow(RangeError);
    expect(() => temporalHoldoutSplit(10, { seed: 0.5 })).toThrow(RangeError);
  });
});

describe('randomSplit', () => {
  it('splits 72/8/20 exactly when the fractions give whole customers', () => {
    const split = randomSplit(1000, [0.72, 0.08, 0.2], 5);
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([720, 80, 200]);
    expect(split.descriptor).toMatchObject({ kind: 'random', n: 1000, seed: 5, fractions: { train: 0.72, validation: 0.08, test: 0.2 } });
    expectPartition(parts(split), 1000);
    parts(split).forEach(expectAscending);
  });

  it('gives left-over customers to the largest remainders so sizes sum to n', () => {
    // 101 × [0.70, 0.15, 0.15] = 70.7, 15.15, 15.15 → floors 70, 15, 15 → the spare goes to train.
    const split = randomSplit(101, [0.7, 0.15, 0.15], 5);
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([71, 15, 15]);
    expectPartition(parts(split), 101);
  });

  it('is reproducible, seed-sensitive and replayable', () => {
    const a = randomSplit(300, [0.7, 0.15, 0.15], 1);
    const b = randomSplit(300, [0.7, 0.15, 0.15], 1);
    const c = randomSplit(300, [0.7, 0.15, 0.15], 2);
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation));
    expect(Array.from(a.validation)).not.toEqual(Array.from(c.validation));
    expect(Array.from(replaySplit(JSON.parse(JSON.stringify(c.descriptor))).test)).toEqual(Array.from(c.test));
  });

  it('rejects fractions that do not sum to 1 or are negative, and inconsistent descriptors', () => {
    expect(() => randomSplit(10, [0.5, 0.2, 0.2], 1)).toThrow(RangeError);
    expect(() => randomSplit(10, [1.2, -0.1, -0.1], 1)).toThrow(RangeError);
    const { descriptor } = randomSplit(10, [0.6, 0.2, 0.2], 1);
    expect(() => replaySplit({ ...descriptor, sizes: { train: 6, validation: 2, test: 3 } })).toThrow(RangeError);
  });
});

describe('kFold', () => {
  it('makes k disjoint test folds covering everyone, sizes within one', () => {
    const { folds, descriptor } = kFold(103, 5, 9);
    expect(descriptor).toEqual({ kind: 'k_fold', n: 103, k: 5, seed: 9, foldSizes: [21, 21, 21, 20, 20] });
    expect(folds.map((f) => f.test.length)).toEqual([21, 21, 21, 20, 20]);
    expectPartition(
      folds.map((f) => f.test),
      103,
    );
    for (const fold of folds) {
      // train is exactly the complement of test
      expectPartition([fold.train, fold.test], 103);
      expectAscending(fold.train);
      expectAscending(fold.test);
    }
  });

  it('is reproducible and seed-sensitive', () => {
    const a = kFold(50, 3, 1).folds.map((f) => Array.from(f.test));
    const b = kFold(50, 3, 1).folds.map((f) => Array.from(f.test));
    const c = kFold(50, 3, 2).folds.map((f) => Array.from(f.test));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rejects k outside [2, n]', () => {
    expect(() => kFold(5, 1, 1)).toThrow(RangeError);
    expect(() => kFold(5, 6, 1)).toThrow(RangeError);
    expect(kFold(5, 5, 1).folds.every((f) => f.test.length === 1)).toBe(true);
  });
});
