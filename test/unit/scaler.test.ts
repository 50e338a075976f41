import { describe, expect, it } from 'vitest';
import {
  applyTargetTransform,
  fitScaler,
  invertTargetTransform,
  transformFeatures,
  untransformFeatures,
} from '../../src/core/nets/scaler';

describe('standard scaler', () => {
  // 4 rows × 3 columns; the last column is constant.
  const X = Float32Array.from([1, 10, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5]);

  it('uses column means and population standard deviations', () => {
    const stats = fitScaler(X, 3);
    expect(stats.mean).toEqual([2.5, 25, 5]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(stats.std[1]).toBeCloseTo(Math.sqrt(125), 10);
  });

  it('maps constant columns to 0 instead of dividing by zero', () => {
    const stats = fitScaler(X, 3);
    expect(stats.std[2]).toBe(1);
    const Z = transformFeatures(X, stats);
    for (let i = 2; i < Z.length; i += 3) expect(Z[i]).toBe(0);
  });

  it('standardises every column to mean 0 and variance 1', () => {
    const Z = transformFeatures(X, fitScaler(X, 3));
    for (const j of [0, 1]) {
      const col = [0, 1, 2, 3].map((r) => Z[r * 3 + j]);
      expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
      expect(col.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 6);
    }
  });

  it('fits on selected rows only (the training rows)', () => {
    const stats = fitScaler(X, 3, [0, 1]);
    expect(stats.mean).toEqual([1.5, 15, 5]);
    expect(stats.std[0]).toBeCloseTo(0.5, 12);
  });

  it('inverts back to the raw features', () => {
    const stats = fitScaler(X, 3);
    const back = untransformFeatures(transformFeatures(X, stats), stats);
    back.forEach((v, i) => expect(v).toBeCloseTo(X[i], 4));
  });

  it('survives a JSON round trip unchanged', () => {
    const stats = fitScaler(X, 3);
    const copy = JSON.parse(JSON.stringify(stats));
    expect(transformFeatures(X, copy)).toEqual(transformFeatures(X, stats));
  });

  it('stays accurate for large spend values', () => {
    const big = Float32Array.from({ length: 1000 }, (_, i) => 1e6 + (i % 2));
    const stats = fitScaler(big, 1);
    expect(stats.mean[0]).toBeCloseTo(1e6 + 0.5, 6);
    expect(stats.std[0]).toBeCloseTo(0.5, 6);
  });

  it('optionally log-compresses heavy tails (and negative values) before standardising', () => {
    const spend = Float32Array.from([0, 9, 99, 999, -9]);
    const stats = fitScaler(spend, 1, undefined, true);
    const logs = [0, Math.log(10), Math.log(100), Math.log(1000), -Math.log(10)];
    const mean = logs.reduce((a, b) => a + b, 0) / 5;
    expect(stats.logCompress).toBe(true);
    expect(stats.mean[0]).toBeCloseTo(mean, 6);
    const z = transformFeatures(spend, JSON.parse(JSON.stringify(stats)));
    logs.forEach((l, i) => expect(z[i]).toBeCloseTo((l - mean) / stats.std[0], 5));
    expect(Array.from(untransformFeatures(z, stats)).map((v, i) => v - spend[i]).every((e) => Math.abs(e) < 1e-3)).toBe(true);
    // Without compression the largest customer sits far further out.
    expect(Math.max(...transformFeatures(spend, fitScaler(spend, 1)))).toBeGreaterThan(Math.max(...z));
  });

  it('rejects a matrix whose length does not match d', () => {
    expect(() => fitScaler(Float32Array.from([1, 2, 3]), 2)).toThrow(RangeError);
    expect(() => transformFeatures(Float32Array.from([1, 2, 3]), { mean: [0, 0], std: [1, 1], logCompress: false })).toThrow(RangeError);
  });
});

describe('target transforms', () => {
  const y = Float32Array.from([0, 1, 9, 1e5]);

  it('leaves the target alone with none', () => {
    expect(applyTargetTransform(y, 'none')).toEqual(y);
    expect(invertTargetTransform(y, 'none')).toEqual(y);
  });

  it('round-trips log1p', () => {
    const z = applyTargetTransform(y, 'log1p');
    expect(z[2]).toBeCloseTo(Math.log(10), 6);
    const back = invertTargetTransform(z, 'log1p');
    y.forEach((v, i) => expect(back[i]).toBeCloseTo(v, v > 1000 ? 0 : 4));
  });

  it('never inverts log1p to a negative spend', () => {
    expect(Array.from(invertTargetTransform(Float32Array.from([-0.5, -3]), 'log1p'))).toEqual([0, 0]);
  });
});
