/**
 * A bundle holds the model it was asked for (the ★ model), and loading it and scoring the same
 * file gives the evaluation's own predictions, for every model kind a bundle can hold: BG/NBD,
 * Pareto/NBD and MBG/NBD with Gamma-Gamma (their fitted parameters), the run rate, and the nets FNN (seed
 * recipe), FNN and ZILN (weights, recalibration and spend ceiling). Real data: CDNOW_sample in
 * weeks through the real engine (DuckDB-WASM) and real tfjs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type ModelInputs } from '../../src/core/engine';
import { pickPrimaryModel } from '../../src/core/evaluate/bestModel';
import { evaluateModels, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { bundleContextOf, bundleFileName, bundleFromEvaluation, canBundle, checkBundle, predictFromBundle, unbundleableReason } from '../../src/core/evaluate/modelBundle';
import type { ModelName } from '../../src/core/evaluate/modelNames';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { daysBetween } from '../../src/core/tables/period';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { evaluationData } from '../../src/node/commands/fitModels';
import { cdnowFile } from '../support/cdnowData';

const KINDS: ModelName[] = ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'naive', 'fnn-seed', 'fnn', 'ziln'];
let inputs: ModelInputs;
let result: EvaluationResult;
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
  result = await evaluateModels(data, { models: [...KINDS, 'ensemble'], seed: 7, protocol: 'split', maxEpochs: 4, bootstrapResamples: 0 });
}, 600_000);

afterAll(async () => {
  for (const net of Object.values(result?.nets ?? {})) net?.predictor.dispose();
  await close?.();
});

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
    expect(bundleFileName('cdnow', 'pnbd-gg')).toBe('cdnow-pnbd-gg.clvb');
    expect(bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7), 'ensemble')).toBeNull();
    expect(unbundleableReason('ensemble')).toMatch(/cannot be saved as a model bundle yet/);
  });

  it('refuses to score a probabilistic bundle on tables built in another unit', async () => {
    const bytes = await bundleFromEvaluation(result, bundleContextOf(inputs, 273, 7), 'bgnbd-gg');
    await expect(predictFromBundle(bytes!, { ...inputs, unit: 'day' })).rejects.toThrow(/fitted with time in weeks/);
  });
});
