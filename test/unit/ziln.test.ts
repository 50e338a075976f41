import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { zilnInitialBias, zilnLoss, zilnMean, zilnPredictions } from '../../src/core/nets/ziln';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('ZILN loss', () => {
  it('equals binary cross-entropy plus the lognormal negative log-likelihood of the buyers', () => {
    const logits = [
      [0.5, 1.0, 0.2], // no purchase
      [-1.0, 0.3, 1.5], // spent 2
    ];
    const y = [0, 2];
    // By hand: BCE(z=0, x=0.5) = log(1 + e^0.5); BCE(z=1, x=−1) = log(1 + e^1).
    const bce = (Math.log(1 + Math.exp(0.5)) + Math.log(1 + Math.exp(1))) / 2;
    const sigma = softplus(1.5);
    const nll = Math.log(2) + Math.log(sigma) + 0.5 * Math.log(2 * Math.PI) + 0.5 * ((Math.log(2) - 0.3) / sigma) ** 2;
    const expected = bce + nll / 2;
    expect(expected).toBeCloseTo(2.2287905, 6);
    const loss = tf.tidy(() => zilnLoss(tf.tensor2d(y, [2, 1]), tf.tensor2d(logits)).dataSync()[0]);
    expect(loss).toBeCloseTo(expected, 5);
  });

  it('is finite with finite gradients for extreme head outputs', () => {
    const y = tf.tensor2d([0, 5, 1e6, 0.01], [4, 1]);
    const logits = tf.tensor2d([
      [80, 80, 80],
      [-80, -80, -80],
      [1e4, -1e4, 1e4],
      [0, 50, -50],
    ]);
    const { value, grad } = tf.valueAndGrad((l: tf.Tensor) => zilnLoss(y as tf.Tensor2D, l as tf.Tensor2D))(logits);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([y, logits, value, grad]);
  });
});

describe('ZILN predictions', () => {
  it('predict p·exp(mu + sigma²/2) and P(return) = sigmoid(logit)', () => {
    const raw = Float32Array.from([0.4, 2.0, 0.3]);
    const p = 1 / (1 + Math.exp(-0.4));
    const sigma = softplus(0.3);
    const { mean, pReturn } = zilnPredictions(raw);
    expect(pReturn[0]).toBeCloseTo(p, 6);
    expect(mean[0]).toBeCloseTo(p * Math.exp(2 + sigma ** 2 / 2), 4);
  });

  it('stay finite and bounded for extreme inputs', () => {
    const extremes = [
      [1e6, 1e6, 1e6],
      [-1e6, -1e6, -1e6],
      [0, 1e4, 1e4],
      [0, -1e4, -1e4],
      [30, 88, 50],
    ];
    const raw = Float32Array.from(extremes.flat());
    const { mean, pReturn } = zilnPredictions(raw);
    const tensorMean = tf.tidy(() => zilnMean(tf.tensor2d(extremes)).dataSync());
    for (let i = 0; i < extremes.length; i++) {
      expect(Number.isFinite(mean[i])).toBe(true);
      expect(mean[i]).toBeGreaterThanOrEqual(0);
      expect(mean[i]).toBeLessThanOrEqual(Math.exp(30) * 1.0001);
      expect(pReturn[i]).toBeGreaterThanOrEqual(0);
      expect(pReturn[i]).toBeLessThanOrEqual(1);
      expect(Number.isFinite(tensorMean[i])).toBe(true);
    }
    // A huge sigma is clipped: the mean cannot exceed exp(mu + 3²/2).
    expect(mean[2]).toBeLessThanOrEqual(Math.exp(30) * 1.0001);
    expect(zilnPredictions(Float32Array.from([50, 0, 1e4])).mean[0]).toBeCloseTo(Math.exp(4.5), 2);
  });

  it('agree between the tensor and the JavaScript implementations', () => {
    const values = [
      [0.1, 3.0, -0.5],
      [-2.0, 5.5, 0.8],
      [3.0, -1.0, 2.5],
    ];
    const js = zilnPredictions(Float32Array.from(values.flat())).mean;
    const tensor = tf.tidy(() => zilnMean(tf.tensor2d(values)).dataSync());
    values.forEach((_, i) => expect(tensor[i]).toBeCloseTo(js[i], 3));
  });
});

describe('ZILN initial bias', () => {
  it('starts the head at the share of buyers and the mean and spread of their log spend', () => {
    const y = [0, 0, Math.E, Math.E ** 3];
    const [logit, mu, sigmaRaw] = zilnInitialBias(y);
    expect(1 / (1 + Math.exp(-logit))).toBeCloseTo(0.5, 6);
    expect(mu).toBeCloseTo(2, 6);
    expect(softplus(sigmaRaw)).toBeCloseTo(1, 6);
    const { mean } = zilnPredictions(Float32Array.from([logit, mu, sigmaRaw]));
    expect(mean[0]).toBeCloseTo(0.5 * Math.exp(2.5), 3);
  });

  it('stays finite when nobody or everybody buys', () => {
    for (const y of [
      [0, 0, 0],
      [5, 5, 5],
    ]) {
      expect(zilnInitialBias(y).every(Number.isFinite)).toBe(true);
    }
  });
});
