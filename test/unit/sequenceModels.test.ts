import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSequenceModel, type SequenceModelKind } from '../../src/core/nets/sequenceArchitecture';
import { sequenceForward } from '../../src/core/nets/sequenceForward';
import { trainSequenceModel } from '../../src/core/nets/trainSequenceModel';
import { Rng } from '../../src/core/random';
import { randomSplit } from '../../src/core/eval/split';

const PERIODS = 8;
const STATIC = 16;

/**
 * Customers whose log spend per period follows a line: level L at the last period, slope s per
 * period. Horizon spend continues the line three periods on, so it depends on the recent trend,
 * not only on the level: predicting the last period's spend (persistence) misses the 3s term.
 */
function synthetic(n: number, seed: number) {
  const rng = new Rng(seed);
  const values = new Float32Array(n * PERIODS * 2);
  const staticX = new Float32Array(n * STATIC);
  const y = new Float32Array(n);
  const last = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const level = rng.normal(3, 0.7);
    const slope = rng.uniform(-0.5, 0.5);
    let total = 0;
    for (let t = 0; t < PERIODS; t++) {
      const spend = Math.exp(level + slope * (t - (PERIODS - 1)) + rng.normal(0, 0.1));
      values[(i * PERIODS + t) * 2] = spend;
      values[(i * PERIODS + t) * 2 + 1] = 1 + rng.int(3);
      total += spend;
    }
    last[i] = values[(i * PERIODS + PERIODS - 1) * 2];
    // Static features: total spend and noise (what the real features would add: mostly level information).
    staticX[i * STATIC] = total;
    for (let j = 1; j < STATIC; j++) staticX[i * STATIC + j] = rng.normal(0, 1);
    y[i] = Math.exp(level + 3 * slope + rng.normal(0, 0.1));
  }
  return { seqs: { periods: PERIODS, channels: 2, values }, staticX, y, last };
}

function rows<T extends Float32Array>(a: T, width: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * width);
  for (let r = 0; r < idx.length; r++) out.set(a.subarray(idx[r] * width, (idx[r] + 1) * width), r * width);
  return out;
}

function mseLog(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (Math.log1p(pred[i]) - Math.log1p(y[i])) ** 2;
  return s / y.length;
}

const data = synthetic(500, 1);
const split = randomSplit(500, [0.6, 0.15, 0.25], 3);

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('sequence models', () => {
  const cases: [SequenceModelKind, boolean][] = [
    ['lstm', true],
    ['gru', false],
    ['cnn', true],
  ];
  for (const [kind, withStatic] of cases) {
    it(`${kind}${withStatic ? ' + static features' : ''} learns a trend rule and beats constant and persistence predictors`, async () => {
      const progress: number[] = [];
      const trained = await trainSequenceModel(kind, data.seqs, withStatic ? data.staticX : null, data.y, {
        seed: 5,
        trainIdx: split.train,
        valIdx: split.validation,
        maxEpochs: 20,
        learningRate: 0.01,
        onProgress: (p) => progress.push(p.valLoss),
      });
      try {
        const test = split.test;
        const testSeqs = { periods: PERIODS, channels: 2, values: rows(data.seqs.values, PERIODS * 2, test) };
        const pred = trained.predict(testSeqs, withStatic ? rows(data.staticX, STATIC, test) : null);
        expect(pred.length).toBe(test.length);
        expect(pred.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        const yTest = Array.from(test, (i) => data.y[i]);
        let meanLog = 0;
        for (const i of split.train) meanLog += Math.log1p(data.y[i]);
        meanLog /= split.train.length;
        const constant = mseLog(new Float32Array(test.length).fill(Math.expm1(meanLog)), yTest);
        const persistence = mseLog(Array.from(test, (i) => data.last[i]), yTest);
        const model = mseLog(pred, yTest);
        expect(model).toBeLessThan(0.2 * constant);
        expect(model).toBeLessThan(0.5 * persistence);
        expect(trained.history.length).toBe(progress.length);
        expect(progress.length).toBeGreaterThan(0);
      } finally {
        trained.dispose();
      }
    });
  }

  it('leaks no tensors across two trainings and is reproducible for a seed', async () => {
    const small = synthetic(120, 9);
    const options = { seed: 2, maxEpochs: 3 };
    const before = tf.memory().numTensors;
    const predictions: Float32Array[] = [];
    for (const kind of ['lstm', 'lstm', 'cnn'] as const) {
      const trained = await trainSequenceModel(kind, small.seqs, small.staticX, small.y, options);
      predictions.push(trained.predict(small.seqs, small.staticX));
      trained.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(Array.from(predictions[1])).toEqual(Array.from(predictions[0]));
    expect(Array.from(predictions[2])).not.toEqual(Array.from(predictions[0]));
  });

  it('releases everything when aborted', async () => {
    const small = synthetic(120, 10);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trainSequenceModel('gru', small.seqs, null, small.y, {
      seed: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.epoch === 1) controller.abort(new Error('stop'));
      },
    });
    await expect(run).rejects.toThrow('stop');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes exactly what the tfjs-layers model computes', () => {
    for (const kind of ['lstm', 'gru', 'cnn'] as const) {
      for (const [periods, staticDim] of [[8, 16], [7, 0], [1, 3]]) {
        const shape = { periods, channels: 2, staticDim };
        const model = buildSequenceModel(kind, shape, 3);
        const forward = sequenceForward(kind, model, shape);
        const diff = tf.tidy(() => {
          const seq = tf.randomNormal([5, periods, 2], 0, 1, 'float32', 1) as tf.Tensor3D;
          const staticX = staticDim > 0 ? (tf.randomNormal([5, staticDim], 0, 1, 'float32', 2) as tf.Tensor2D) : null;
          const reference = model.predict(staticX ? [seq, staticX] : seq) as tf.Tensor;
          const fast = forward(tf.transpose(seq, [1, 0, 2]) as tf.Tensor3D, staticX);
          return tf.max(tf.abs(tf.sub(reference, fast))).dataSync()[0];
        });
        expect(diff, `${kind} periods=${periods} static=${staticDim}`).toBeLessThan(1e-5);
        model.dispose();
      }
    }
  });

  it('builds two-input models only when static features are given', () => {
    const withStatic = buildSequenceModel('cnn', { periods: 6, channels: 2, staticDim: 16 }, 1);
    const seqOnly = buildSequenceModel('gru', { periods: 6, channels: 2, staticDim: 0 }, 1);
    expect(withStatic.inputs.map((i) => i.shape)).toEqual([[null, 6, 2], [null, 16]]);
    expect(seqOnly.inputs.map((i) => i.shape)).toEqual([[null, 6, 2]]);
    expect(withStatic.outputs[0].shape).toEqual([null, 1]);
    // Same seed, same weights.
    const again = buildSequenceModel('cnn', { periods: 6, channels: 2, staticDim: 16 }, 1);
    const w1 = withStatic.getWeights().map((w) => Array.from(w.dataSync()));
    const w2 = again.getWeights().map((w) => Array.from(w.dataSync()));
    expect(w2).toEqual(w1);
    for (const m of [withStatic, seqOnly, again]) m.dispose();
  });
});
