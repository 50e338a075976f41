import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAutoencoderModel, trainAutoencoder } from '../../src/core/nets/autoencoder';
import { Rng } from '../../src/core/random';

const D = 16;

/**
 * Inliers lie near a 3-dimensional linear subspace of the 16 features (three latent factors plus
 * small noise). Outliers have the same per-feature spread but independent features: nothing
 * unusual in any single column, only off the subspace the autoencoder learns.
 */
function data(nIn: number, nOut: number, seed: number) {
  const rng = new Rng(seed);
  const A = Array.from({ length: 3 }, () => Array.from({ length: D }, () => rng.normal(0, 1)));
  const sd = Array.from({ length: D }, (_, j) => Math.sqrt(A.reduce((s, row) => s + row[j] ** 2, 0) + 0.01));
  const n = nIn + nOut;
  const X = new Float32Array(n * D);
  const outlier = new Uint8Array(n);
  // Outliers at every 40th row so the data's order carries no hint.
  for (let i = 0, placed = 0; i < n; i++) {
    const isOut = placed < nOut && i % 40 === 7;
    outlier[i] = isOut ? 1 : 0;
    if (isOut) placed++;
    const z = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < D; j++) {
      // Features on different scales and offsets, as raw customer features are.
      const value = isOut ? rng.normal(0, sd[j]) : z[0] * A[0][j] + z[1] * A[1][j] + z[2] * A[2][j] + rng.normal(0, 0.1);
      X[i * D + j] = 100 * (j + 1) + value * (j + 1);
    }
  }
  return { X, outlier };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('autoencoder', () => {
  it('flags injected outliers by reconstruction error and gives an n × k latent', async () => {
    const { X, outlier } = data(585, 15, 1);
    const n = outlier.length;
    const ae = await trainAutoencoder(X, D, { seed: 3, maxEpochs: 60 });
    try {
      const err = ae.reconstructionError(X);
      expect(err.length).toBe(n);
      let inSum = 0;
      let outSum = 0;
      let nOut = 0;
      for (let i = 0; i < n; i++) {
        if (outlier[i]) {
          outSum += err[i];
          nOut++;
        } else inSum += err[i];
      }
      expect(nOut).toBe(15);
      const inMean = inSum / (n - nOut);
      const outMean = outSum / nOut;
      expect(outMean).toBeGreaterThan(5 * inMean);
      // Most outliers rank among the 5 % worst-reconstructed rows.
      const threshold = [...err].sort((a, b) => b - a)[Math.floor(0.05 * n)];
      const flagged = Array.from(outlier).filter((o, i) => o && err[i] > threshold).length;
      expect(flagged).toBeGreaterThanOrEqual(12);

      const z = ae.latent(X);
      expect(z.length).toBe(n * 4);
      expect(z.every(Number.isFinite)).toBe(true);
      expect(ae.history.length).toBeGreaterThan(0);
    } finally {
      ae.dispose();
    }
  });

  it('leaks no tensors across two trainings and is reproducible for a seed', async () => {
    const { X } = data(190, 10, 2);
    const before = tf.memory().numTensors;
    const scores: Float32Array[] = [];
    for (let run = 0; run < 2; run++) {
      const ae = await trainAutoencoder(X, D, { seed: 5, maxEpochs: 4 });
      scores.push(ae.reconstructionError(X));
      ae.latent(X);
      ae.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(Array.from(scores[1])).toEqual(Array.from(scores[0]));
  });

  it('stops on abort without leaking', async () => {
    const { X } = data(190, 10, 3);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trainAutoencoder(X, D, {
      seed: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('cancelled')),
    });
    await expect(run).rejects.toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds the mirrored architecture with a linear bottleneck', () => {
    const model = buildAutoencoderModel(16, { hidden: [12, 8], bottleneck: 3 }, 1);
    expect(model.layers.map((l) => l.getConfig().units)).toEqual([12, 8, 3, 8, 12, 16]);
    expect(model.layers.map((l) => l.getConfig().activation)).toEqual(['tanh', 'tanh', 'linear', 'tanh', 'tanh', 'linear']);
    model.dispose();
  });
});
