import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { FnnNet } from '../../src/core/nets/fnn';
import { integratedGradients } from '../../src/core/nets/integratedGradients';
import { trainFnnModel, trainZilnModel } from '../../src/core/nets/trainFnn';
import { Rng } from '../../src/core/random';

beforeAll(async () => {
  await activateBackend('wasm');
});

const rng = new Rng(21);
const d = 5;
const n = 800;
const X = Float32Array.from({ length: n * d }, () => rng.normal());
const spend = (row: Float32Array) => Math.max(0, 50 + 30 * row[0] - 20 * row[1] + 10 * row[2] * row[3]);
const y = Float32Array.from({ length: n }, (_, i) => (rng.uniform() < 0.3 ? 0 : spend(X.subarray(i * d, i * d + d))));

function rowSums(attributions: Float32Array, width: number): number[] {
  const sums: number[] = [];
  for (let i = 0; i < attributions.length; i += width) sums.push(attributions.subarray(i, i + width).reduce((a, b) => a + b, 0));
  return sums;
}

describe('integrated gradients', () => {
  it('are exactly (x − baseline)·w for a linear model, whatever the step count', () => {
    const w = tf.tensor2d([2, -1, 0.5, 0, 3], [d, 1]);
    const linear = (x: tf.Tensor2D) => tf.add(tf.matMul(x, w), 7);
    const rows = X.subarray(0, 10 * d);
    const baseline = [0.1, 0.2, 0.3, 0.4, 0.5];
    for (const steps of [1, 7]) {
      const attributions = integratedGradients(linear, rows, d, { baseline, steps });
      for (let i = 0; i < 10; i++) {
        [2, -1, 0.5, 0, 3].forEach((wj, j) => expect(attributions[i * d + j]).toBeCloseTo((rows[i * d + j] - baseline[j]) * wj, 4));
      }
    }
    w.dispose();
  });

  it('use the feature means as the default baseline', () => {
    const rows = Float32Array.from([1, 2, 3, 4, 5, 3, 4, 5, 6, 7]);
    const sum = (x: tf.Tensor2D) => tf.sum(x, 1);
    // Means are 2, 3, 4, 5, 6: attributions are x − mean for f = Σx.
    const attributions = integratedGradients(sum, rows, d);
    [-1, -1, -1, -1, -1, 1, 1, 1, 1, 1].forEach((expected, i) => expect(attributions[i]).toBeCloseTo(expected, 5));
  });

  it('are complete for a network: each row sums to f(x) − f(baseline)', () => {
    const net = FnnNet.create(d, { hidden: [32, 16], dropout: 0 }, 1, 3);
    const folded = net.inference();
    const f = (x: tf.Tensor2D) => tf.square(folded.apply(x));
    const rows = X.subarray(0, 40 * d);
    const baseline = new Float32Array(d);
    const sums = rowSums(integratedGradients(f, rows, d, { baseline, steps: 256, maxPointsPerCall: 2000 }), d);
    const values = tf.tidy(() => f(tf.tensor2d(rows, [40, d])).dataSync());
    const atBaseline = tf.tidy(() => f(tf.tensor2d(baseline, [1, d])).dataSync()[0]);
    // The trapezoid rule is exact between ReLU kinks; each kink on the path costs O(1/steps).
    const scale = Math.max(...Array.from(values, (v) => Math.abs(v - atBaseline)));
    sums.forEach((s, i) => expect(Math.abs(s - (values[i] - atBaseline))).toBeLessThan(0.02 * scale));
    folded.dispose();
    net.model.dispose();
  });

  it('explain a trained model against its reference customer, in spend units', async () => {
    // A log1p FNN and a ZILN network: both map the output to spend non-linearly.
    for (const train of [trainFnnModel, trainZilnModel]) {
      const trained = await train(X, y, { seed: 4, maxEpochs: 3, targetTransform: 'log1p' });
      const { predictor } = trained;
      const rows = X.subarray(0, 20 * d);
      const before = tf.memory().numTensors;
      const attributions = predictor.attributions(rows, 128);
      expect(tf.memory().numTensors).toBe(before);
      expect(attributions.length).toBe(20 * d);
      const predictions = predictor.predict(rows);
      const atMean = predictor.predict(predictor.referenceCustomer())[0];
      const scale = Math.max(...Array.from(predictions, (p) => Math.abs(p - atMean)));
      rowSums(attributions, d).forEach((s, i) => expect(Math.abs(s - (predictions[i] - atMean))).toBeLessThan(0.02 * scale));
      predictor.dispose();
    }
  });

  it('reject bad arguments', () => {
    const f = (x: tf.Tensor2D) => tf.sum(x, 1);
    expect(() => integratedGradients(f, new Float32Array(7), d)).toThrow(RangeError);
    expect(() => integratedGradients(f, new Float32Array(10), d, { steps: 0 })).toThrow(RangeError);
    expect(() => integratedGradients(f, new Float32Array(10), d, { baseline: [0] })).toThrow(RangeError);
  });
});
