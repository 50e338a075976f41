import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { FnnNet } from '../../src/core/nets/fnn';
import { mseLoss, trainNetwork, type EpochProgress, type LossFn, type TrainData } from '../../src/core/nets/trainer';
import { trainFnnModel, trainZilnModel } from '../../src/core/nets/trainFnn';
import { Rng } from '../../src/core/random';

beforeAll(async () => {
  await activateBackend('wasm');
});

/** n rows of d standard-normal features and a target from `target` (plus optional noise). */
function synthetic(n: number, d: number, seed: number, target: (row: Float32Array, rng: Rng) => number): TrainData {
  const rng = new Rng(seed);
  const X = Float32Array.from({ length: n * d }, () => rng.normal());
  const y = Float32Array.from({ length: n }, (_, i) => target(X.subarray(i * d, i * d + d), rng));
  const nTrain = Math.round(n * 0.8);
  return {
    X,
    y,
    d,
    train: Int32Array.from({ length: nTrain }, (_, i) => i),
    validation: Int32Array.from({ length: n - nTrain }, (_, i) => nTrain + i),
  };
}

const relation = (x: Float32Array, rng: Rng) => 2 * x[0] - x[1] + 0.5 * x[2] * x[3] + 0.1 * rng.normal();

function variance(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i] / values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2 / values.length;
  return v;
}

function weightsOf(net: FnnNet): Float32Array[] {
  return net.stateWeights.map((w) => w.dataSync().slice() as Float32Array);
}

describe('trainNetwork', () => {
  it('learns a simple relation: validation loss ends far below the predict-the-mean baseline', async () => {
    const data = synthetic(2000, 4, 1, relation);
    const baseline = variance(Array.from(data.validation, (i) => data.y[i]));
    const net = FnnNet.create(4, { hidden: [32, 16], dropout: 0.1 }, 1, 1);
    const progress: EpochProgress[] = [];
    const result = await trainNetwork(net, data, { maxEpochs: 25, seed: 1, onProgress: (p) => progress.push(p) });
    expect(result.history).toEqual(progress);
    expect(progress[0]).toEqual({
      epoch: 1,
      maxEpochs: 25,
      loss: expect.any(Number),
      valLoss: expect.any(Number),
      lr: 1e-3,
      samplesPerSec: expect.any(Number),
      etaMs: expect.any(Number),
    });
    expect(result.bestValLoss).toBeLessThan(0.1 * baseline);
    expect(progress[progress.length - 1].valLoss).toBeLessThan(progress[0].valLoss);
    // The restored weights are the best epoch's: their validation MSE is the reported best.
    const folded = net.inference();
    const xVal = tf.tensor2d(data.X.subarray(1600 * 4), [400, 4]);
    const yVal = tf.tensor2d(data.y.subarray(1600), [400, 1]);
    const mse = tf.tidy(() => mseLoss(yVal, folded.apply(xVal)).dataSync()[0]);
    expect(mse).toBeCloseTo(result.bestValLoss, 4);
    tf.dispose([xVal, yVal]);
    folded.dispose();
    net.model.dispose();
  });

  it('stops early on a pure-noise target, halving the learning rate on the way', async () => {
    const data = synthetic(1000, 4, 2, (_, rng) => rng.normal());
    const net = FnnNet.create(4, { hidden: [32, 16], dropout: 0.3 }, 1, 2);
    const result = await trainNetwork(net, data, { seed: 2 });
    expect(result.stopReason).toBe('early_stopping');
    expect(result.history.length).toBe(result.bestEpoch + 10);
    expect(result.history.length).toBeLessThan(50);
    const rates = result.history.map((p) => p.lr);
    expect(rates).toContain(5e-4);
    rates.slice(1).forEach((lr, i) => expect(lr).toBeLessThanOrEqual(rates[i]));
    net.model.dispose();
  });

  it('gives identical results for the same seed', async () => {
    const data = synthetic(600, 4, 3, relation);
    const run = async () => {
      const net = FnnNet.create(4, { hidden: [16], dropout: 0.3 }, 1, 3);
      const result = await trainNetwork(net, data, { maxEpochs: 3, seed: 3 });
      const weights = weightsOf(net);
      net.model.dispose();
      return { losses: result.history.map((p) => [p.loss, p.valLoss]), weights };
    };
    const [a, b] = [await run(), await run()];
    expect(b).toEqual(a);
  });

  it('stops within a batch of an abort and restores the weights it started with', async () => {
    const data = synthetic(4000, 4, 4, relation);
    const net = FnnNet.create(4, { hidden: [16], dropout: 0.3 }, 1, 4);
    const initial = weightsOf(net);
    const controller = new AbortController();
    let calls = 0;
    let callsAfterAbort = 0;
    const countingLoss: LossFn = (yTrue, yPred) => {
      if (controller.signal.aborted) callsAfterAbort++;
      if (++calls === 5) controller.abort();
      return mseLoss(yTrue, yPred);
    };
    const before = tf.memory().numTensors;
    await expect(trainNetwork(net, data, { loss: countingLoss, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(callsAfterAbort).toBeLessThanOrEqual(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(weightsOf(net)).toEqual(initial);
    net.model.dispose();
  });

  it('notices an abort that arrives as a later event (a worker message) promptly', async () => {
    const data = synthetic(20000, 4, 5, relation);
    const net = FnnNet.create(4, { hidden: [64, 64], dropout: 0.3 }, 1, 5);
    const controller = new AbortController();
    // "Promptly" counted in batches, not milliseconds (a busy machine must not fail it): the abort
    // arrives while the loop yields, and not one more batch may be trained after it.
    let batchesBefore = 0;
    let batchesAfter = 0;
    const countingLoss: LossFn = (yTrue, yPred) => {
      if (controller.signal.aborted) batchesAfter++;
      else batchesBefore++;
      return mseLoss(yTrue, yPred);
    };
    setTimeout(() => controller.abort(), 300);
    await expect(trainNetwork(net, data, { loss: countingLoss, signal: controller.signal, seed: 5 })).rejects.toMatchObject({ name: 'AbortError' });
    expect(controller.signal.aborted).toBe(true);
    expect(batchesBefore).toBeGreaterThan(0);
    expect(batchesAfter).toBe(0);
    net.model.dispose();
  });

  it('leaks no tensors: the count is flat across epochs and repeated trainings', async () => {
    const data = synthetic(500, 4, 6, relation);
    const net = FnnNet.create(4, { hidden: [16, 8], dropout: 0.3 }, 1, 6);
    const before = tf.memory().numTensors;
    for (let run = 0; run < 3; run++) {
      const counts: number[] = [];
      await trainNetwork(net, data, { maxEpochs: 4, seed: run, onProgress: () => counts.push(tf.memory().numTensors) });
      expect(counts).toHaveLength(4);
      expect(new Set(counts).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
    }
    net.model.dispose();
  });

  it('rejects data too small to train on', async () => {
    const net = FnnNet.create(2, { hidden: [4], dropout: 0 }, 1, 1);
    const X = new Float32Array(6);
    const y = new Float32Array(3);
    await expect(trainNetwork(net, { X, y, d: 2, train: [0], validation: [1, 2] })).rejects.toThrow(RangeError);
    await expect(trainNetwork(net, { X, y, d: 2, train: [0, 1, 2], validation: [] })).rejects.toThrow(RangeError);
    net.model.dispose();
  });
});

describe('trainFnnModel and trainZilnModel', () => {
  const data = synthetic(400, 4, 7, (x, rng) => Math.max(0, 20 + 10 * x[0] + 5 * rng.normal()));

  it('fit the scaler on the training rows of an explicit split only', async () => {
    const split = { train: Int32Array.from({ length: 300 }, (_, i) => i), validation: Int32Array.from({ length: 100 }, (_, i) => 300 + i) };
    const trained = await trainFnnModel(data.X, data.y, { config: 'seed', seed: 1, maxEpochs: 1, split });
    const firstColumnMean = Array.from(split.train, (i) => data.X[i * 4]).reduce((a, b) => a + b, 0) / 300;
    expect(trained.predictor.scaler.mean[0]).toBeCloseTo(firstColumnMean, 5);
    expect(trained.predictor.scaler.logCompress).toBe(false);
    expect(trained.history).toHaveLength(1);
    trained.predictor.dispose();
  });

  it('use the default recipes: FNN output starting at the mean, ZILN on log-compressed features', async () => {
    const fnn = await trainFnnModel(data.X, data.y, { seed: 1, maxEpochs: 1, validationFraction: 0.25 });
    const ziln = await trainZilnModel(data.X, data.y, { seed: 1, maxEpochs: 1 });
    expect(fnn.predictor.scaler.logCompress).toBe(false);
    expect(ziln.predictor.scaler.logCompress).toBe(true);
    expect(ziln.predictor.kind).toBe('ziln');
    // One epoch of 300 rows at batch 512 is a single step: predictions stay near the mean target.
    const meanTarget = data.y.reduce((a, b) => a + b, 0) / data.y.length;
    const meanPrediction = fnn.predict(data.X).reduce((a, b) => a + b, 0) / data.y.length;
    expect(Math.abs(meanPrediction - meanTarget)).toBeLessThan(0.25 * meanTarget);
    fnn.predictor.dispose();
    ziln.predictor.dispose();
  });

  it('are reproducible from the seed', async () => {
    const run = async () => {
      const trained = await trainZilnModel(data.X, data.y, { config: 'seed', seed: 9, maxEpochs: 2 });
      const predictions = Array.from(trained.predict(data.X));
      trained.predictor.dispose();
      return predictions;
    };
    expect(await run()).toEqual(await run());
  });

  it('release everything when aborted', async () => {
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const training = trainFnnModel(data.X, data.y, { seed: 1, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(training).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
