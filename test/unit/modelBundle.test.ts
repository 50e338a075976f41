import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { bestBundleableModel, bundleFromEvaluation, bundleInfo, bundleMetrics, explainFromBundle, predictFromBundle, type BundleContext } from '../../src/core/evaluate/modelBundle';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { BUNDLE_FORMAT_VERSION, loadBundle } from '../../src/core/nets/bundle';
import { trainFnnModel, trainZilnModel, type TrainedNet } from '../../src/core/nets/trainFnn';
import { Rng } from '../../src/core/random';

const FEATURES = ['recency_days', 'n_orders', 'total_spend', 'tenure_days'];
const d = FEATURES.length;
const n = 400;
const rng = new Rng(5);
const X = Float32Array.from({ length: n * d }, (_, i) => (i % d === 2 ? 80 * Math.exp(rng.normal()) : rng.uniform(0, 365)));
const y = Float32Array.from({ length: n }, (_, i) => (rng.uniform() < 0.5 ? 0 : X[i * d + 2] * rng.uniform(0.5, 1.5)));

let fnn: TrainedNet;
let ziln: TrainedNet;

/** An evaluation result as evaluateModels returns it, reduced to what bundles read. */
function evaluation(gini: { fnn: number; ziln: number }): EvaluationResult {
  const regression = (g: number) => ({ mse: 4, rmse: 2, mae: 1.5, r2: 0.3, mape: Number.NaN, spearman: 0.5, normalized_gini: g, top_decile_share: 0.4 });
  return {
    metrics: [
      { model: 'bgnbd-gg', n: 10, regression: regression(0.99), deciles: [], top_value: {}, churn: null },
      { model: 'fnn', n: 10, regression: regression(gini.fnn), deciles: [], top_value: {}, churn: null },
      { model: 'visitante', n: 10, regression: { ...regression(0.2), rmse: null }, deciles: [], top_value: {}, churn: null },
      { model: 'ziln', n: 10, regression: regression(gini.ziln), deciles: [], top_value: {}, churn: null },
    ],
    nets: { fnn, ziln },
  } as unknown as EvaluationResult;
}

const context: BundleContext = { featureNames: FEATURES, cutoff: '2024-03-01', unit: 'week', horizonDays: 183, seed: 42 };

beforeAll(async () => {
  await activateBackend('wasm');
  fnn = await trainFnnModel(X, y, { config: 'default', seed: 1, maxEpochs: 2 });
  ziln = await trainZilnModel(X, y, { config: 'default', seed: 1, maxEpochs: 2 });
});

afterAll(() => {
  fnn.predictor.dispose();
  ziln.predictor.dispose();
});

describe('bundles from an evaluation', () => {
  it('picks the net with the best normalized Gini, ignoring models that cannot be bundled', () => {
    expect(bestBundleableModel(evaluation({ fnn: 0.6, ziln: 0.7 }))).toBe('ziln');
    expect(bestBundleableModel(evaluation({ fnn: 0.8, ziln: 0.7 }))).toBe('fnn');
  });

  it('records only finite metrics, plus the seed', () => {
    const result = evaluation({ fnn: 0.6, ziln: 0.7 });
    expect(bundleMetrics(result, 'ziln')).toEqual({ mse: 4, rmse: 2, mae: 1.5, r2: 0.3, spearman: 0.5, normalized_gini: 0.7, top_decile_share: 0.4 });
    expect(bundleMetrics(result, 'visitante')).not.toHaveProperty('rmse');
    expect(bundleInfo(result, 'ziln', context).metrics).toMatchObject({ normalized_gini: 0.7, seed: 42 });
  });

  it('carries everything needed to predict the same way: features, scaler, target transform, cutoff, unit, horizon, metrics, versions', async () => {
    const result = evaluation({ fnn: 0.6, ziln: 0.7 });
    const bytes = await bundleFromEvaluation(result, context, 'ziln')!;
    const loaded = await loadBundle(bytes, { features: FEATURES });
    try {
      expect(loaded.metadata).toMatchObject({
        formatVersion: BUNDLE_FORMAT_VERSION,
        modelKind: 'ziln',
        features: FEATURES,
        scaler: ziln.predictor.scaler,
        targetTransform: ziln.predictor.targetTransform,
        timeUnit: 'day',
        cutoff: '2024-03-01',
        unit: 'week',
        horizonDays: 183,
        seed: 42,
        metrics: { rmse: 2, normalized_gini: 0.7, seed: 42 },
        tfjsVersion: tf.version.tfjs,
      });
      expect(loaded.metadata.scaler.mean).toHaveLength(d);
      expect(loaded.metadata.scaler.logCompress).toBe(true);
    } finally {
      loaded.predictor.dispose();
    }
    // Same predictions from the bundle as from the trained net, with the columns in another order.
    const order = [3, 1, 0, 2];
    const shuffled = Float32Array.from({ length: n * d }, (_, k) => X[Math.floor(k / d) * d + order[k % d]]);
    const scored = await predictFromBundle(bytes, { featureNames: order.map((j) => FEATURES[j]), X: shuffled });
    expect(scored.model).toBe('ziln');
    expect(Array.from(scored.values)).toEqual(Array.from(ziln.predict(X)));
  });

  it('never writes a malformed cutoff; an unknown one is recorded as empty', async () => {
    const result = evaluation({ fnn: 0.9, ziln: 0.7 });
    expect(() => bundleInfo(result, 'fnn', { ...context, cutoff: '' })).toThrow(/ISO date/);
    expect(() => bundleInfo(result, 'fnn', { ...context, cutoff: '03/01/2024' })).toThrow(/ISO date/);
    expect(() => bundleInfo(result, 'fnn', { ...context, horizonDays: 0 })).toThrow(/horizonDays/);
    expect(bundleInfo(result, 'fnn', { ...context, cutoff: null }).cutoff).toBe('');
  });

  it('explains one customer from a saved bundle exactly as the trained net does, whatever the column order', async () => {
    const bytes = (await bundleFromEvaluation(evaluation({ fnn: 0.5, ziln: 0.6 }), context, 'ziln'))!;
    const row = X.slice(3 * d, 4 * d);
    const direct = ziln.predictor.attributions(row);
    // Columns in another order, plus one the model does not use.
    const names = [...FEATURES].reverse().concat('extra');
    const shuffled = Float32Array.from([...Array.from(row).reverse(), 123]);
    const got = await explainFromBundle(bytes, names, shuffled);
    expect(got.map((a) => a.feature).sort()).toEqual([...FEATURES].sort());
    for (const { feature, attribution } of got) expect(attribution).toBeCloseTo(direct[FEATURES.indexOf(feature)], 4);
    const magnitudes = got.map((a) => Math.abs(a.attribution));
    expect([...magnitudes].sort((a, b) => b - a)).toEqual(magnitudes);
    await expect(explainFromBundle(bytes, names.slice(1), shuffled.slice(1))).rejects.toMatchObject({ code: 'BUNDLE_FEATURES_MISSING' });
  });

  it('gives no bundle when the chosen net was not trained', () => {
    const result = { ...evaluation({ fnn: 0.6, ziln: 0.7 }), nets: {} } as EvaluationResult;
    expect(bundleFromEvaluation(result, context, 'ziln')).toBeNull();
  });
});
