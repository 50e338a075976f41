import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { BUNDLE_FORMAT_VERSION, loadBundle, serializeBundle, validateBundle, type BundleError } from '../../src/core/nets/bundle';
import { trainFnnModel, trainZilnModel, type TrainedNet } from '../../src/core/nets/trainFnn';
import { Rng } from '../../src/core/random';

const FEATURES = ['recency_days', 'n_orders', 'total_spend', 'tenure_days'];
const d = FEATURES.length;
const n = 600;
const rng = new Rng(11);
const X = Float32Array.from({ length: n * d }, (_, i) => (i % d === 2 ? 100 * Math.exp(rng.normal()) : rng.uniform(0, 365)));
const y = Float32Array.from({ length: n }, (_, i) => (rng.uniform() < 0.5 ? 0 : X[i * d + 2] * rng.uniform(0.5, 1.5)));
const info = { features: FEATURES, timeUnit: 'day', cutoff: '2024-06-30', metrics: { rmse: 12.5 } };

let fnn: TrainedNet;
let ziln: TrainedNet;

beforeAll(async () => {
  await activateBackend('wasm');
  fnn = await trainFnnModel(X, y, { config: 'default', seed: 1, maxEpochs: 2 });
  ziln = await trainZilnModel(X, y, { config: 'default', seed: 1, maxEpochs: 2 });
});

afterAll(() => {
  fnn.predictor.dispose();
  ziln.predictor.dispose();
});

/** Rewrites the JSON header of a bundle, as a different app version would have written it. */
function editHeader(bytes: Uint8Array, edit: (header: { metadata: Record<string, unknown> }) => void): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  out.set(bytes.subarray(0, 4));
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}

async function loadError(bytes: Uint8Array, features = FEATURES): Promise<BundleError> {
  try {
    await loadBundle(bytes, { features });
  } catch (error) {
    return error as BundleError;
  }
  throw new Error('loadBundle did not throw');
}

describe('model bundle', () => {
  it('round-trips an FNN with identical predictions and complete metadata', async () => {
    const bytes = await serializeBundle(fnn.predictor, info);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const loaded = await loadBundle(bytes, { features: FEATURES });
    expect(Array.from(loaded.predictor.predict(X))).toEqual(Array.from(fnn.predict(X)));
    expect(loaded.metadata).toMatchObject({
      formatVersion: BUNDLE_FORMAT_VERSION,
      modelKind: 'fnn',
      features: FEATURES,
      scaler: fnn.predictor.scaler,
      targetTransform: fnn.predictor.targetTransform,
      timeUnit: 'day',
      cutoff: '2024-06-30',
      metrics: { rmse: 12.5 },
      tfjsVersion: tf.version.tfjs,
    });
    loaded.predictor.dispose();
  });

  it('round-trips a ZILN model, return probabilities included', async () => {
    const loaded = await loadBundle(await serializeBundle(ziln.predictor, info), { features: FEATURES });
    expect(loaded.metadata.modelKind).toBe('ziln');
    expect(Array.from(loaded.predictor.predict(X))).toEqual(Array.from(ziln.predict(X)));
    expect(Array.from(loaded.predictor.returnProbability(X))).toEqual(Array.from(ziln.predictor.returnProbability(X)));
    loaded.predictor.dispose();
  });

  it('survives a copy into a larger buffer (as from IndexedDB or a file read)', async () => {
    const bytes = await serializeBundle(fnn.predictor, info);
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 8);
    const loaded = await loadBundle(padded.subarray(8, 8 + bytes.length), { features: FEATURES });
    expect(Array.from(loaded.predictor.predict(X.subarray(0, 10 * d)))).toEqual(Array.from(fnn.predict(X.subarray(0, 10 * d))));
    loaded.predictor.dispose();
  });

  it('scores data whose columns come in another order, with extra columns', async () => {
    const datasetFeatures = ['extra', 'tenure_days', 'total_spend', 'n_orders', 'recency_days'];
    const wide = new Float32Array(n * datasetFeatures.length);
    for (let i = 0; i < n; i++) {
      datasetFeatures.forEach((name, j) => {
        wide[i * datasetFeatures.length + j] = name === 'extra' ? -1 : X[i * d + FEATURES.indexOf(name)];
      });
    }
    const loaded = await loadBundle(await serializeBundle(fnn.predictor, info), { features: datasetFeatures });
    expect(Array.from(loaded.columns)).toEqual([4, 3, 2, 1]);
    expect(Array.from(loaded.predictor.predict(loaded.selectFeatures(wide)))).toEqual(Array.from(fnn.predict(X)));
    loaded.predictor.dispose();
  });

  it('rejects another format version with BUNDLE_VERSION', async () => {
    const bytes = await serializeBundle(fnn.predictor, info);
    const newer = await loadError(editHeader(bytes, (h) => (h.metadata.formatVersion = BUNDLE_FORMAT_VERSION + 1)));
    expect(newer.code).toBe('BUNDLE_VERSION');
    expect(newer.message).toMatch(/update CLV Studio/);
    const older = await loadError(editHeader(bytes, (h) => (h.metadata.formatVersion = 0)));
    expect(older.code).toBe('BUNDLE_VERSION');
    expect(older.message).toMatch(/retrain/);
  });

  it('rejects data lacking a model feature with BUNDLE_FEATURES_MISSING, naming it', async () => {
    const error = await loadError(await serializeBundle(fnn.predictor, info), ['recency_days', 'n_orders', 'tenure_days']);
    expect(error.code).toBe('BUNDLE_FEATURES_MISSING');
    expect(error.message).toMatch(/total_spend/);
    expect(error.message).toMatch(/train a new model/);
  });

  it('rejects an unknown model kind and unreadable bytes', async () => {
    const bytes = await serializeBundle(fnn.predictor, info);
    expect((await loadError(editHeader(bytes, (h) => (h.metadata.modelKind = 'transformer')))).code).toBe('BUNDLE_KIND');
    expect((await loadError(new TextEncoder().encode('{"not": "a bundle"}'))).code).toBe('BUNDLE_CORRUPT');
    expect((await loadError(bytes.subarray(0, bytes.length - 4))).code).toBe('BUNDLE_CORRUPT');
  });

  it('leaves no tensors behind after a failed load', async () => {
    const bytes = await serializeBundle(fnn.predictor, info);
    const before = tf.memory().numTensors;
    await loadError(bytes, ['recency_days']);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Rewrites the whole JSON header (metadata, topology, weight manifest) of a bundle. */
function editWholeHeader(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  return editHeader(bytes, edit as (header: { metadata: Record<string, unknown> }) => void);
}

/** A bundle whose weight bytes at `offset` (from the start of the weights) are replaced by `value`. */
function withWeight(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const out = bytes.slice();
  new DataView(out.buffer).setFloat32(8 + length + offset, value, true);
  return out;
}

async function validationError(bytes: Uint8Array, features = FEATURES): Promise<BundleError> {
  try {
    await validateBundle(bytes, { features });
  } catch (error) {
    return error as BundleError;
  }
  throw new Error('validateBundle did not throw');
}

// The first bytes of a real PNG: signature and the start of its IHDR chunk.
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);

describe('complete bundle validation', () => {
  it('accepts a good bundle, returns its metadata and keeps no tensors', async () => {
    const bytes = await serializeBundle(ziln.predictor, info);
    const before = tf.memory().numTensors;
    const metadata = await validateBundle(bytes, { features: ['extra', ...FEATURES] });
    expect(metadata.modelKind).toBe('ziln');
    expect(metadata.features).toEqual(FEATURES);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a PNG, and a bundle cut anywhere, with BUNDLE_CORRUPT', async () => {
    const bytes = await serializeBundle(fnn.predictor, info);
    const headerEnd = 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
    for (const bad of [PNG, bytes.subarray(0, 6), bytes.subarray(0, headerEnd - 10), bytes.subarray(0, headerEnd), bytes.subarray(0, headerEnd + 100)]) {
      expect((await validationError(bad)).code).toBe('BUNDLE_CORRUPT');
    }
  });

  it('rejects every edited part with BUNDLE_CORRUPT, leaving no tensors behind', async () => {
    const bytes = await serializeBundle(fnn.predictor, info);
    const zilnBytes = await serializeBundle(ziln.predictor, info);
    const edits: [string, Uint8Array][] = [
      ['scaler std of the wrong length', editHeader(bytes, (h) => ((h.metadata.scaler as { std: number[] }).std = [1, 2]))],
      ['a zero scaler std', editHeader(bytes, (h) => ((h.metadata.scaler as { std: number[] }).std[1] = 0))],
      ['no scaler', editHeader(bytes, (h) => delete h.metadata.scaler)],
      ['a scaler mean that is not a number', editHeader(bytes, (h) => ((h.metadata.scaler as { mean: unknown[] }).mean[0] = 'x'))],
      ['an unknown target transform', editHeader(bytes, (h) => (h.metadata.targetTransform = 'sqrt'))],
      ['a feature named twice', editHeader(bytes, (h) => (h.metadata.features = ['recency_days', 'recency_days', 'total_spend', 'tenure_days']))],
      ['features that are not names', editHeader(bytes, (h) => (h.metadata.features = [1, 2, 3, 4]))],
      ['features missing', editHeader(bytes, (h) => delete h.metadata.features)],
      ['a weight manifest with another shape', editWholeHeader(bytes, (h) => (h.weightSpecs[0].shape = [h.weightSpecs[0].shape[0] + 1, h.weightSpecs[0].shape[1]]))],
      ['a weight manifest with another dtype', editWholeHeader(bytes, (h) => (h.weightSpecs[0].dtype = 'int32'))],
      ['a NaN weight', withWeight(bytes, 4, Number.NaN)],
      ['an infinite weight', withWeight(bytes, 0, Number.POSITIVE_INFINITY)],
      ['a ZILN net labelled as an FNN', editHeader(zilnBytes, (h) => (h.metadata.modelKind = 'fnn'))],
      ['a topology that is not a model', editWholeHeader(bytes, (h) => (h.modelTopology = { class_name: 'Nonsense', config: {} }))],
    ];
    const before = tf.memory().numTensors;
    for (const [what, bad] of edits) expect((await validationError(bad)).code, what).toBe('BUNDLE_CORRUPT');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the features the data lacks', async () => {
    const error = await validationError(await serializeBundle(fnn.predictor, info), ['recency_days', 'tenure_days']);
    expect(error.code).toBe('BUNDLE_FEATURES_MISSING');
    expect(error.message).toMatch(/n_orders, total_spend/);
  });
});
