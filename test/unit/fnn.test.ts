import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FnnNet, SEED_FNN_CONFIG, buildFnnModel } from '../../src/core/nets/fnn';
import { Rng } from '../../src/core/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('seed FNN architecture', () => {
  it('is Dense 128/256/128/64, each followed by BatchNorm, ReLU and Dropout 0.3, then Dense 1', () => {
    const model = buildFnnModel(16, SEED_FNN_CONFIG, 1, 1);
    const layers = model.layers.map((l) => {
      const config = l.getConfig();
      return [l.getClassName(), config.units ?? config.rate ?? ''].join(' ').trim();
    });
    const block = (units: number) => [`Dense ${units}`, 'BatchNormalization', 'ReLU', 'Dropout 0.3'];
    expect(layers).toEqual([...block(128), ...block(256), ...block(128), ...block(64), 'Dense 1']);
    expect(model.inputs[0].shape).toEqual([null, 16]);
    model.dispose();
  });

  it('has the seed parameter count: 77,569 trainable plus 1,152 BatchNorm running statistics', () => {
    const model = buildFnnModel(16, SEED_FNN_CONFIG, 1, 1);
    const count = (ws: tf.LayerVariable[]) => ws.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
    // (16·128+128) + (128·256+256) + (256·128+128) + (128·64+64) + (64+1) + 2·(128+256+128+64)
    expect(count(model.trainableWeights)).toBe(77_569);
    expect(count(model.nonTrainableWeights)).toBe(1_152);
    expect(model.countParams()).toBe(78_721);
    model.dispose();
  });

  it('uses PyTorch BatchNorm settings (eps 1e-5, momentum 0.1)', () => {
    const model = buildFnnModel(4, SEED_FNN_CONFIG, 1, 1);
    const bn = model.layers[1].getConfig();
    expect(bn.epsilon).toBe(1e-5);
    expect(bn.momentum).toBeCloseTo(0.9, 12);
    model.dispose();
  });

  it('initialises weights as PyTorch nn.Linear, reproducibly from the seed', async () => {
    const a = buildFnnModel(16, SEED_FNN_CONFIG, 1, 7);
    const b = buildFnnModel(16, SEED_FNN_CONFIG, 1, 7);
    const c = buildFnnModel(16, SEED_FNN_CONFIG, 1, 8);
    const [wa, wb, wc] = [a, b, c].map((m) => m.layers[4].getWeights()[0].dataSync());
    expect(Array.from(wa)).toEqual(Array.from(wb));
    expect(maxAbsDiff(wa, wc)).toBeGreaterThan(0);
    const bound = 1 / Math.sqrt(128);
    const values = Array.from(wa);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('has configurable widths, dropout and outputs', () => {
    const net = FnnNet.create(5, { hidden: [8, 4], dropout: 0.1 }, 3, 1);
    expect(net.model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.getConfig().units)).toEqual([8, 4, 3]);
    expect(net.dropout).toBe(0.1);
    expect(net.outputs).toBe(3);
    expect(net.inputDim).toBe(5);
    net.model.dispose();
  });
});

describe('training engine', () => {
  it('computes the same gradients as tfjs autodiff of the training-mode network', () => {
    const net = FnnNet.create(5, { hidden: [6, 4], dropout: 0 }, 2, 1);
    const weights = net.trainableWeights;
    weights.forEach((w, i) => w.assign(tf.tidy(() => tf.add(w, tf.randomNormal(w.shape, 0, 0.2, 'float32', i)))));
    const x = tf.randomNormal([9, 5], 0, 1, 'float32', 11) as tf.Tensor2D;
    const dOut = tf.randomNormal([9, 2], 0, 1, 'float32', 12) as tf.Tensor2D;
    const mine = tf.tidy(() => net.trainForward(x, new Rng(1)).backward(dOut));
    const { grads } = tf.variableGrads(() => {
      let a: tf.Tensor = x;
      for (let k = 0; k < 2; k++) {
        const [W, b, gamma, beta] = weights.slice(4 * k, 4 * k + 4);
        const h = tf.add(tf.matMul(a as tf.Tensor2D, W as tf.Tensor2D), b);
        const { mean, variance } = tf.moments(h, 0);
        a = tf.relu(tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta));
      }
      const out = tf.add(tf.matMul(a as tf.Tensor2D, weights[8] as tf.Tensor2D), weights[9]);
      return tf.sum(tf.mul(out, dOut)) as tf.Scalar;
    }, weights);
    weights.forEach((w, i) => {
      // The bias in front of BatchNorm has zero gradient in exact arithmetic; autodiff gives rounding noise.
      const tolerance = w.name.includes('bias') && i < 8 ? 1e-5 : 2e-5;
      expect(maxAbsDiff(mine[i].dataSync(), grads[w.name].dataSync())).toBeLessThan(tolerance);
    });
    tf.dispose([...mine, ...Object.values(grads), x, dOut]);
    net.model.dispose();
  });

  it('updates BatchNorm running statistics as PyTorch (momentum 0.1, unbiased variance)', () => {
    const net = FnnNet.create(1, { hidden: [1], dropout: 0 }, 1, 1);
    const [W, b] = net.trainableWeights;
    W.assign(tf.tensor2d([[1]]));
    b.assign(tf.tensor1d([0]));
    tf.tidy(() => {
      net.trainForward(tf.tensor2d([[1], [2], [3], [6]]), new Rng(1));
    });
    // State order: W, b, γ, β, W_out, b_out, running mean, running variance. Batch mean 3, unbiased variance 14/3.
    const [movingMean, movingVar] = net.stateWeights.slice(6);
    expect(movingMean.dataSync()[0]).toBeCloseTo(0.9 * 0 + 0.1 * 3, 6);
    expect(movingVar.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * (14 / 3), 6);
    net.model.dispose();
  });

  it('counts the Dense bias in the running mean (BatchNorm cancels it only in the batch statistics)', () => {
    const net = FnnNet.create(1, { hidden: [1], dropout: 0 }, 1, 1);
    const [W, b] = net.trainableWeights;
    W.assign(tf.tensor2d([[1]]));
    b.assign(tf.tensor1d([0.5]));
    tf.tidy(() => {
      net.trainForward(tf.tensor2d([[1], [2], [3], [6]]), new Rng(1));
    });
    const [movingMean, movingVar] = net.stateWeights.slice(6);
    // Batch of h = x + 0.5: mean 3.5; the variance does not change with the bias.
    expect(movingMean.dataSync()[0]).toBeCloseTo(0.1 * 3.5, 6);
    expect(movingVar.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * (14 / 3), 6);
    net.model.dispose();
  });

  it('draws a fresh inverted-dropout mask for every batch, reproducibly from the PRNG', () => {
    const withDropout = FnnNet.create(4, { hidden: [64], dropout: 0.3 }, 1, 1);
    const without = FnnNet.create(4, { hidden: [64], dropout: 0 }, 1, 1);
    const x = tf.randomNormal([16, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const forward = (net: FnnNet, rng: Rng) => tf.tidy(() => net.trainForward(x, rng).out.dataSync());
    const rng = new Rng(3);
    const passes = Array.from({ length: 300 }, () => forward(withDropout, rng));
    expect(maxAbsDiff(passes[0], passes[1])).toBeGreaterThan(1e-3);
    expect(Array.from(forward(withDropout, new Rng(3)))).toEqual(Array.from(passes[0]));
    // The output is linear in the masked activations, so masks scaled by 1/(1−p) keep its mean.
    const reference = forward(without, new Rng(3));
    const mean = reference.map((_, i) => passes.reduce((s, p) => s + p[i], 0) / passes.length);
    expect(maxAbsDiff(mean, reference)).toBeLessThan(0.05);
    x.dispose();
    [withDropout, without].forEach((net) => net.model.dispose());
  });

  it('folds BatchNorm for inference and matches the tfjs-layers model', () => {
    const net = FnnNet.create(6, { hidden: [16, 8], dropout: 0.3 }, 3, 2);
    const rng = new Rng(5);
    const x = tf.randomNormal([64, 6], 0, 1, 'float32', 3) as tf.Tensor2D;
    // A few training-mode passes move the running statistics away from 0 and 1.
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        net.trainForward(x, rng);
      });
    }
    const ours = net.predictRaw(x.dataSync() as Float32Array, 20);
    const layers = tf.tidy(() => (net.model.predict(x) as tf.Tensor).dataSync());
    expect(ours.length).toBe(64 * 3);
    expect(maxAbsDiff(ours, layers)).toBeLessThan(1e-5);
    x.dispose();
    net.model.dispose();
  });
});
