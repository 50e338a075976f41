import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { backtestModels, evaluateModels, type EvaluationData } from '../../src/core/evaluate/evaluateModels';
import { fitBgNbd } from '../../src/core/models/bgnbd';

// Counts BG/NBD fits (the real fit runs): one fit per window, reused, is part of the contract.
vi.mock('../../src/core/models/bgnbd', async (original) => {
  const actual = await original<typeof import('../../src/core/models/bgnbd')>();
  return { ...actual, fitBgNbd: vi.fn(actual.fitBgNbd) };
});
import { FEATURE_NAMES } from '../../src/core/featureNames';
import { Rng } from '../../src/core/random';

/** Customers whose horizon spend follows their past spend rate, plus noise and many zeros. */
function syntheticCustomers(n: number, seed: number): EvaluationData {
  const rng = new Rng(seed);
  const d = FEATURE_NAMES.length;
  const X = new Float32Array(n * d);
  const spend = new Float64Array(n);
  const orders = new Float64Array(n);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tenure = 30 + Math.floor(rng.uniform(0, 300));
    const rate = Math.exp(rng.normal(-3.5, 0.8));
    const f = Math.floor(rate * tenure * rng.uniform(0.5, 1.5));
    const last = f === 0 ? tenure : Math.floor(rng.uniform(0, tenure / 2));
    const aov = Math.exp(rng.normal(3.3, 0.5));
    const alive = rng.uniform(0, 1) < Math.exp(-last / 120);
    const future = alive ? Math.round(rate * 180 * rng.uniform(0.3, 1.7)) : 0;
    const row = [last, tenure, f, f + 1, aov * (f + 1), aov, aov * 0.2, aov * 1.3, f ? tenure / f : 0, 3, last < 30 ? 1 : 0, last < 90 ? 1 : 0, last < 90 ? aov : 0, 0, Math.min(f + 1, 10), Math.exp(-last / 60)];
    X.set(row, i * d);
    orders[i] = future;
    spend[i] = future * aov * rng.uniform(0.8, 1.2);
    frequency[i] = f;
    recency[i] = (tenure - last) / 7;
    T[i] = tenure / 7;
    monetary[i] = f > 0 ? aov : 0;
  }
  return {
    customerIds: Array.from({ length: n }, (_, i) => `c${i}`),
    featureNames: [...FEATURE_NAMES],
    X,
    holdoutSpend: spend,
    holdoutOrders: orders,
    btyd: { frequency, recency, T, monetary },
    unitDays: 7,
    horizonDays: 180,
    visitanteScore: Float64Array.from({ length: n }, (_, i) => 100 * Math.exp(-X[i * d] / 60)),
  };
}

describe('evaluateModels', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('scores every model on the same seeded test slice, and a re-run gives identical numbers', async () => {
    const data = syntheticCustomers(600, 3);
    const options = { models: ['bgnbd-gg', 'naive', 'visitante', 'fnn', 'ziln', 'ensemble'] as const, seed: 11, maxEpochs: 3, importanceRows: 100 };
    const first = await evaluateModels(data, { ...options, models: [...options.models] });
    const second = await evaluateModels(data, { ...options, models: [...options.models] });
    expect(first.split.sizes).toEqual({ train: 378, validation: 42, test: 180 });
    expect(first.metrics.map((m) => m.model)).toEqual(['bgnbd-gg', 'ensemble', 'fnn', 'naive', 'visitante', 'ziln']);
    for (const m of first.metrics) expect(m.n).toBe(180);
    expect(first.metrics.map((m) => m.regression)).toEqual(second.metrics.map((m) => m.regression));
    expect(first.metrics.find((m) => m.model === 'visitante')!.regression.rmse).toBeNull();
    expect(first.ensemble!.weights.every((w) => w >= 0)).toBe(true);
    expect(first.importance.fnn).toHaveLength(FEATURE_NAMES.length);
    expect(first.importance['bgnbd-gg']!.map((f) => f.feature).sort()).toEqual(['T', 'frequency', 'monetary_value', 'recency']);
    for (const r of [first, second]) for (const net of Object.values(r.nets)) net!.predictor.dispose();
  }, 240_000);

  it('uses a different split for a different seed', async () => {
    const data = syntheticCustomers(200, 3);
    const a = await evaluateModels(data, { models: ['naive'], seed: 1 });
    const b = await evaluateModels(data, { models: ['naive'], seed: 2 });
    expect(Array.from(a.testIndices)).not.toEqual(Array.from(b.testIndices));
  });

  it('stops when the signal is aborted', async () => {
    const data = syntheticCustomers(300, 5);
    const controller = new AbortController();
    const run = evaluateModels(data, {
      models: ['fnn'],
      seed: 1,
      maxEpochs: 50,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.epoch >= 1) controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    expect(controller.signal.aborted).toBe(true);
  }, 120_000);

  it('backtests: learns on the past window and scores every customer of the present one', async () => {
    const past = syntheticCustomers(300, 8);
    const present = syntheticCustomers(250, 9);
    const result = await backtestModels(past, present, { models: ['naive', 'bgnbd-gg', 'fnn'], seed: 4, maxEpochs: 2, importanceRows: 50 });
    expect(result.split.sizes).toEqual({ train: 270, validation: 30, test: 0 });
    expect(result.testIndices).toHaveLength(250);
    for (const m of result.metrics) expect(m.n).toBe(250);
    expect(result.predictions.fnn).toHaveLength(250);
    for (const net of Object.values(result.nets)) net!.predictor.dispose();
  }, 120_000);

  it('backtest reuses a BG/NBD + Gamma-Gamma fit of the present window: same numbers, one fit per window', async () => {
    const past = syntheticCustomers(300, 8);
    const present = syntheticCustomers(250, 9);
    // The hybrid trains on the past window's BG/NBD forecasts, so its numbers check that fit too.
    const options = { models: ['naive', 'bgnbd-gg', 'hybrid'] as ('naive' | 'bgnbd-gg' | 'hybrid')[], seed: 4, maxEpochs: 1, importanceRows: 50 };
    const fits = vi.mocked(fitBgNbd);
    fits.mockClear();
    const evaluated = await evaluateModels(present, { models: ['bgnbd-gg'], seed: 4, importanceRows: 50 });
    const fitsOfOneWindow = fits.mock.calls.length;
    expect(fitsOfOneWindow).toBeGreaterThan(0);
    const fresh = await backtestModels(past, present, options);
    // Without a fit handed in: the present window and the past window are fitted.
    expect(fits.mock.calls.length - fitsOfOneWindow).toBeGreaterThan(fitsOfOneWindow);
    fits.mockClear();
    const reused = await backtestModels(past, present, { ...options, btydFit: evaluated.btyd! });
    // Handed in: only the past window is fitted, on the past window's summaries.
    expect(fits.mock.calls.every(([data]) => data === past.btyd)).toBe(true);
    expect(fits.mock.calls.length).toBeGreaterThan(0);
    expect(reused.btyd!.bgnbd).toBe(evaluated.btyd!.bgnbd);
    expect(reused.metrics.map((m) => [m.model, m.regression])).toEqual(fresh.metrics.map((m) => [m.model, m.regression]));
    expect(Array.from(reused.predictions['bgnbd-gg']!)).toEqual(Array.from(evaluated.predictions['bgnbd-gg']!));
    expect(reused.importance['bgnbd-gg']).toEqual(fresh.importance['bgnbd-gg']);
    for (const r of [fresh, reused, evaluated]) for (const net of Object.values(r.nets)) net!.predictor.dispose();
  }, 180_000);
});
