import { describe, expect, it } from 'vitest';
import { MIN_TENURE_DAYS, naiveRunRate } from '../../src/core/models/naiveRunRate';

describe('naiveRunRate', () => {
  it('projects the daily spend rate over the horizon', () => {
    // 300 over 100 days = 3/day → 270 over 90 days; 1000 over 365 days → 1000·180/365 over 180 days
    expect(Array.from(naiveRunRate([300], [100], 90))).toEqual([270]);
    expect(naiveRunRate([1000], [365], 180)[0]).toBeCloseTo((1000 / 365) * 180, 10);
  });

  it('floors tenure at 30 days so brand-new customers do not explode', () => {
    expect(MIN_TENURE_DAYS).toBe(30);
    // a one-day-old customer with a 100 order: 100 / 30 × 90 = 300, not 100 / 1 × 90 = 9000
    const predicted = naiveRunRate([100, 100, 100, 100], [0, 1, 29, 30], 90);
    expect(Array.from(predicted)).toEqual([300, 300, 300, 300]);
    expect(naiveRunRate([100], [31], 90)[0]).toBeCloseTo((100 / 31) * 90, 10);
  });

  it('predicts nothing for customers who spent nothing and accepts typed arrays', () => {
    const predicted = naiveRunRate(Float32Array.from([0, 60]), Float32Array.from([200, 60]), 30);
    expect(predicted).toBeInstanceOf(Float64Array);
    expect(Array.from(predicted)).toEqual([0, 30]);
  });

  it('rejects mismatched inputs and non-positive horizons', () => {
    expect(() => naiveRunRate([1, 2], [30], 90)).toThrow(RangeError);
    expect(() => naiveRunRate([1], [30], 0)).toThrow(RangeError);
    expect(() => naiveRunRate([1], [30], Number.NaN)).toThrow(RangeError);
  });
});
