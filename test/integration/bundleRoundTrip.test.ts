/**
 * A bundle holds the model it was asked for (the ★ model), and loading it and scoring the same
 * file gives the evaluation's own predictions, for every model kind a bundle can hold: BG/NBD,
 * Pareto/NBD and MBG/NBD with Gamma-Gamma (their fitted parameters), the run rate, the nets FNN (seed
 * recipe), FNN and ZILN (weights, recalibration and spend ceiling), the hybrid (its net and BG/NBD)
 * and the stacked ensemble (the stack and every base); LSTM and CNN in sequenceBundle.test.ts. Under the single split every customer is
 * scored by the models the bundle holds, so the predictions are the evaluation's own. Under
 * cross-fitting each customer was scored by their fold's models; the bundle holds the models kept
 * for new data (the stack refitted on everyone, each net's first-fold model with the recalibration
 * fitted on every out-of-fold prediction), so the test compares the nets' bundles with those kept
 * models and recomputes the stack by hand over them.
 * Real data: CDNOW_sample in weeks through the real engine (DuckDB-WASM) and real tfjs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type ModelInputs } from '../../src/core/engine';
import { pickPrimaryModel } from '../../src/core/evaluate/bestModel';
import { evaluateModels, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { disposeNets } from '../../src/core/evaluate/evaluationTypes';
import { hybridInputs } from '../../src/core/evaluate/hybridInputs';
import { predictSpendPerPurchase } from '../../src/core/models/spendPerPurchase';
import { bundleContextOf, bundleFileName, bundleFromEvaluation, canBundle, checkBundle, predictFromBundle, unbundleableReason } from '../../src/core/evaluate/modelBundle';
import type { ModelName } from '../../src/core/evaluate/modelNames';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { daysBetween } from '../../src/core/tables/period';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { evaluationData } from '../../src/node/commands/fitModels';
import { cdnowFile } from '../support/cdnowData';

const KINDS: ModelName[] = ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'naive', 'fnn-seed', 'fnn', 'ziln', 'hybrid', 'ensemble'];
let inputs: ModelInputs;
let result: EvaluationResult;
let crossFitted: EvaluationResult;
let close: () => Promise<void>;

beforeAll(async () => {
  await activateBackend('wasm');
  const db = await openWasmDb();
  close = async () => db.close();
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(cdnowFile('CDNOW_sample.txt')));
  await engine.load({ ...inspection.mapping, customer: 'column1' });
  await engine.build({ period: { cutoff: '1997-09-30', horizonEnd: '1998-06-30' }, unit: 'week' });
  inputs = await engine.modelInputs();
  const data = evaluationData(inputs, daysBetween('1997-09-30', '1998-06-30'));
  result = await evaluateModels(data, { models: KINDS, seed: 7, protocol: 'split', maxEpochs: 4, bootstrapResamples: 0 });
  crossFitted = await evaluateModels(data, { models: ['bgnbd-gg', 'naive', 'ziln', 'hybrid', 'ensemble'], seed: 3, folds: 3, maxEpochs: 2, bootstrapResamples: 0 });
}, 900_000);

afterAll(async () => {
  for (const r of [result, crossFitted]) if (r) disposeNets(r);
  await close?.();
});

const relativeGap = (a: ArrayLike<number>, b: ArrayLike<number>, i: number) => Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));

/** By hand: the k-th lowest blend gets the k-th lowest of `values` (the stack's `values` base). */
function valuesInBlendOrder(blend: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const byBlend = Array.from(blend, (_, i) => i).sort((a, b) => blend[a] - blend[b]);
  const sorted = Array.from(values).sort((a, b) => a - b);
  const out = new Float64Array(blend.length);
  byBlend.forEach((i, k) => (out[i] = sorted[k]));
  return out;
}

describe('model bundles round-trip', () => {
  it.each(KINDS)('%s: loading the bundle and scoring the same file reproduces the predictions', async (model) => {
    const bytes = await bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7), model);
    expect(bytes).not.toBeNull();
    expect((await checkBundle(bytes!, inputs.featureNames)).model).toBe(model);
    const scored = await predictFromBundle(bytes!, inputs);
    expect(scored.model).toBe(model);
    const expected = result.predictions[model]!;
    expect(scored.values.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(scored.values[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
    expect(worst).toBeLessThan(1e-5);
  });

  it('holds the starred model by default and says which in its file name; refuses what it cannot hold', async () => {
    const star = pickPrimaryModel(result) as ModelName;
    if (canBundle(star)) {
      const bytes = await bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7));
      expect((await checkBundle(bytes!, inputs.featureNames)).model).toBe(star);
    } else {
      expect(bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7))).toBeNull();
    }
    expect(bundleFileName('cdnow', 'ensemble')).toBe('cdnow-ensemble.clvb');
    expect(unbundleableReason('ensemble')).toBeNull();
    // LSTM and CNN bundle too (sequenceBundle.test.ts), but only when the run trained them.
    expect(unbundleableReason('lstm')).toBeNull();
    expect(bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7), 'lstm')).toBeNull();
    expect(unbundleableReason('visitante')).toMatch(/cannot be saved as a model bundle yet/);
  });

  it('ensemble (single split): every base the stack can weigh is carried: a stack weighing them all, recomputed by hand', async () => {
    const stack = result.ensemble!;
    const kept = result.stackBases!;
    expect(Object.keys(kept.nets).sort()).toEqual(['hybrid', 'ziln']);
    expect(kept.nets.ziln.length).toBeGreaterThan(1);
    const d = inputs.featureNames.length;
    const hybridX = hybridInputs(inputs.X, d, result.btyd!);
    const foldMean = (nets: typeof kept.nets.ziln, X: Float32Array) => {
      const out = new Float64Array(inputs.customerIds.length);
      for (const net of nets) net.predict(X).forEach((v, i) => (out[i] += Math.min(Math.max(v, 0), kept.ceiling) / nets.length));
      return out;
    };
    const base = (m: string): ArrayLike<number> => {
      if (m === 'ziln') return foldMean(kept.nets.ziln, inputs.X);
      if (m === 'hybrid') return foldMean(kept.nets.hybrid, hybridX);
      if (m === 'btyd-order-value') {
        const value = predictSpendPerPurchase(kept.orderValue!, hybridX);
        return Float64Array.from(value, (v, i) => result.btyd!.expectedPurchases[i] * v);
      }
      return result.predictions[m as ModelName]!;
    };
    const weights = stack.models.map((_, j) => (j + 1) / stack.models.length);
    const everyBase = { ...result, ensemble: { ...stack, scale: 'linear' as const, weights, intercept: 0, calibration: null } };
    const columns = stack.models.map(base);
    const blend = Float64Array.from({ length: inputs.customerIds.length }, (_, i) => columns.reduce((s, col, j) => s + weights[j] * col[i], 0));
    // The blend orders the customers; BG/NBD + Gamma-Gamma's predictions are handed out in that order.
    expect(stack.values).toBe('bgnbd-gg');
    const expected = valuesInBlendOrder(blend, base('bgnbd-gg'));
    const scored = await predictFromBundle((await bundleFromEvaluation(everyBase, bundleContextOf(inputs, 273, 7), 'ensemble'))!, inputs);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, relativeGap(scored.values, expected, i));
    expect(worst).toBeLessThan(1e-5);
  });

  it('a cut or edited ensemble bundle is refused as corrupt, never scored', async () => {
    const bytes = (await bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7), 'ensemble'))!;
    await expect(predictFromBundle(bytes.subarray(0, bytes.length - 10), inputs)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT' });
    const edited = bytes.slice();
    edited[9] ^= 0xff;
    await expect(checkBundle(edited, inputs.featureNames)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT' });
  });
});

describe('bundles of a cross-fitted run hold the models kept for new data', () => {
  const context = () => bundleContextOf(inputs, 273, 3);
  const d = () => inputs.featureNames.length;
  const clipped = (net: NonNullable<EvaluationResult['nets']['ziln']>, X: Float32Array) =>
    Float64Array.from(net.predict(X), (v) => Math.min(Math.max(v, 0), net.predictor.spendCeiling ?? Number.POSITIVE_INFINITY));

  it.each(['ziln', 'hybrid'] as const)('%s: the bundle is the kept model (first fold, recalibrated for new data), prediction for prediction', async (model) => {
    const net = crossFitted.nets[model]!;
    const X = model === 'hybrid' ? hybridInputs(inputs.X, d(), crossFitted.btyd!) : inputs.X;
    const expected = clipped(net, X);
    const scored = await predictFromBundle((await bundleFromEvaluation(crossFitted, context(), model))!, inputs);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, relativeGap(scored.values, expected, i));
    expect(worst).toBeLessThan(1e-5);
    // It is one model for everyone, not the evaluation's per-fold predictions.
    const oof = crossFitted.predictions[model]!;
    let same = 0;
    for (let i = 0; i < oof.length; i++) if (relativeGap(scored.values, oof, i) < 1e-9) same++;
    expect(same).toBeLessThan(oof.length);
  });

  it('ensemble: the stack, recomputed by hand over the kept bases, is what the bundle scores', async () => {
    const stack = crossFitted.ensemble!;
    expect(stack).not.toBeNull();
    const X = inputs.X;
    const base = (m: string): ArrayLike<number> => {
      if (m === 'bgnbd-gg' || m === 'naive') return crossFitted.predictions[m]!;
      if (m === 'ziln') return clipped(crossFitted.nets.ziln!, X);
      if (m === 'hybrid') return clipped(crossFitted.nets.hybrid!, hybridInputs(X, d(), crossFitted.btyd!));
      throw new Error(`unexpected base ${m}`);
    };
    const n = inputs.customerIds.length;
    const blend = new Float64Array(n);
    const columns = stack.models.map((m, j) => (stack.weights[j] === 0 ? null : base(m)));
    // linear: Σ w·ŷ; log: c·exp(b·(intercept + Σ w·log1p ŷ)); geometric: c·(exp(intercept + Σ w·log1p ŷ) − 1).
    const onLogs = stack.scale !== 'linear';
    for (let i = 0; i < n; i++) {
      let s = onLogs ? stack.intercept : 0;
      columns.forEach((col, j) => {
        if (col) s += stack.weights[j] * (onLogs ? Math.log1p(Math.max(0, col[i])) : col[i]);
      });
      const c = stack.calibration?.scale ?? 1;
      blend[i] = stack.scale === 'log' ? c * Math.exp((stack.calibration?.power ?? 1) * s) : stack.scale === 'geometric' ? c * Math.expm1(s) : s;
    }
    // The blend orders the customers; BG/NBD + Gamma-Gamma's predictions are handed out in that order.
    expect(stack.values).toBe('bgnbd-gg');
    const expected = valuesInBlendOrder(blend, base('bgnbd-gg'));
    const bytes = (await bundleFromEvaluation(crossFitted, context(), 'ensemble'))!;
    expect((await checkBundle(bytes, inputs.featureNames)).model).toBe('ensemble');
    const scored = await predictFromBundle(bytes, inputs);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, relativeGap(scored.values, expected, i));
    expect(worst).toBeLessThan(1e-5);
  });

  it('refuses to score a probabilistic bundle on tables built in another unit', async () => {
    const bytes = await bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7), 'bgnbd-gg');
    await expect(predictFromBundle(bytes!, { ...inputs, unit: 'day' })).rejects.toThrow(/fitted with time in weeks/);
  });
});
