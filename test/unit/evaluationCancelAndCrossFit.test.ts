/**
 * What the evaluation promises about its nets:
 * - A cancel leaves nothing allocated: aborted in the middle of the ensemble's cross-fitted stack
 *   (after its second fold net is trained) or between the sequence net's folds, every net trained
 *   so far is released (tf.memory() back to where it was).
 * - With the nets trained in a pool (two workers side by side) the evaluation is the same to the
 *   last bit, under cross-fitting and in the single split's stack (its six fold nets go to the pool
 *   too); its progress never goes back and follows the work (the fits a sliver of the bar, the
 *   trainings nearly all of it); a cancel mid-pool leaves nothing allocated.
 * - Under cross-fitting the sequence nets (CNN here) are recalibrated as the feed-forward nets are:
 *   fold k's map c·(1+ŷ)^b is the least-squares fit (power on the documented grid 0.2, 0.25 … 3.0,
 *   scale closed-form) on the other folds' out-of-fold predictions, and the kept model's map the
 *   fit on every out-of-fold prediction. The reference fit is written out here; the out-of-fold
 *   predictions are recovered from the reported predictions by inverting each fold's map.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModels, type EvaluationData } from '../../src/core/evaluate/evaluateModels';
import { disposeNets } from '../../src/core/evaluate/evaluationTypes';
import { outcomeStrata, stratifiedFolds } from '../../src/core/eval/stratifiedFolds';
import { FEATURE_NAMES } from '../../src/core/featureNames';
import { Rng } from '../../src/core/random';
import type { ModelName } from '../../src/core/evaluate/modelNames';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { inProcessTrainer, workerPoolTrainer, type NetTrainer } from '../../src/core/nets/netTrainer';
import { channelWorker } from './channelWorker';

/** Trains one net after another on this thread, aborting `controller` once `abortAfter` nets are trained. */
function abortingTrainer(abortAfter: number, controller: AbortController): NetTrainer & { trained: number } {
  const inner = inProcessTrainer();
  const trainer = {
    parallel: 1,
    trained: 0,
    async train(...args: Parameters<NetTrainer['train']>) {
      const net = await inner.train(...args);
      if (++trainer.trained >= abortAfter) controller.abort();
      return net;
    },
  };
  return trainer;
}

const PERIODS = 8;

/** Customers whose horizon spend follows their past spend rate, with weekly sequences that carry it. */
function customers(n: number, seed: number): EvaluationData {
  const rng = new Rng(seed);
  const d = FEATURE_NAMES.length;
  const X = new Float32Array(n * d);
  const spend = new Float64Array(n);
  const orders = new Float64Array(n);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  const values = new Float32Array(n * PERIODS * 2);
  for (let i = 0; i < n; i++) {
    const tenure = 30 + Math.floor(rng.uniform(0, 300));
    const rate = Math.exp(rng.normal(-3.5, 0.8));
    const f = Math.floor(rate * tenure * rng.uniform(0.5, 1.5));
    const last = f === 0 ? tenure : Math.floor(rng.uniform(0, tenure / 2));
    const aov = Math.exp(rng.normal(3.3, 0.5));
    const alive = rng.uniform(0, 1) < Math.exp(-last / 120);
    const future = alive ? Math.round(rate * 180 * rng.uniform(0.3, 1.7)) : 0;
    X.set([last, tenure, f, f + 1, aov * (f + 1), aov, aov * 0.2, aov * 1.3, f ? tenure / f : 0, 3, last < 30 ? 1 : 0, last < 90 ? 1 : 0, last < 90 ? aov : 0, 0, Math.min(f + 1, 10), Math.exp(-last / 60)], i * d);
    for (let t = 0; t < PERIODS; t++) {
      const bought = rng.uniform(0, 1) < rate * 7 ? 1 : 0;
      values[(i * PERIODS + t) * 2] = bought * aov;
      values[(i * PERIODS + t) * 2 + 1] = bought;
    }
    orders[i] = future;
    spend[i] = future * aov * rng.uniform(0.8, 1.2);
    frequency[i] = f;
    recency[i] = (tenure - last) / 7;
    T[i] = tenure / 7;
    monetary[i] = f > 0 ? aov : 0;
  }
  return {
    customerIds: Array.from({ length: n }, (_, i) => `c${i}`),
    featureNames: [...FEATURE_NAMES],
    X,
    holdoutSpend: spend,
    holdoutOrders: orders,
    btyd: { frequency, recency, T, monetary },
    unitDays: 7,
    horizonDays: 180,
    sequences: { periods: PERIODS, channels: 2, values },
  };
}

/** Least squares of y on c·(1+ŷ)^b over `rows`: b on the grid 0.2 … 3.0 step 0.05, c = Σgy/Σg² (at least 0). */
function powerFit(raw: ArrayLike<number>, y: ArrayLike<number>, rows: number[]): { scale: number; power: number } {
  let best = { scale: 1, power: 1, sse: Infinity };
  for (let j = 0; j <= 56; j++) {
    const b = 0.2 + 0.05 * j;
    let gy = 0;
    let gg = 0;
    for (const i of rows) {
      const g = (1 + raw[i]) ** b;
      gy += g * y[i];
      gg += g * g;
    }
    const c = Math.max(0, gy / gg);
    let sse = 0;
    for (const i of rows) sse += (y[i] - c * (1 + raw[i]) ** b) ** 2;
    if (sse < best.sse) best = { scale: c, power: b, sse };
  }
  return { scale: best.scale, power: best.power };
}

// The WASM backend, as the CLI and the app's workers without a GPU use.
beforeAll(async () => {
  await activateBackend('wasm');
});

describe('cancelling an evaluation releases every net', () => {
  it('aborted after the second fold net of the stack (single split, ZILN + ensemble): no tensor is left', { timeout: 300_000 }, async () => {
    const data = customers(300, 3);
    const options = { models: ['bgnbd-gg', 'naive', 'ziln', 'ensemble'] as const, seed: 2, protocol: 'split' as const, maxEpochs: 1, importanceRows: 20, bootstrapResamples: 0 };
    // A full run first, so that what tfjs keeps for good after its first use is in the count.
    disposeNets(await evaluateModels(data, { ...options, models: [...options.models] }));
    const before = tf.memory().numTensors;
    // The split's ZILN net, then the stack's six fold nets (all asked for at once): cancelled once two of those are trained.
    const controller = new AbortController();
    const trainer = abortingTrainer(3, controller);
    await expect(evaluateModels(data, { ...options, models: [...options.models], signal: controller.signal, netTrainer: trainer })).rejects.toThrow();
    expect(trainer.trained).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('aborted just as a cross-fitted fold net comes back: that net is released too', { timeout: 300_000 }, async () => {
    const data = customers(300, 5);
    const options = { models: ['naive', 'ziln'] as ModelName[], seed: 3, folds: 3, maxEpochs: 1, importanceRows: 20, bootstrapResamples: 0 };
    disposeNets(await evaluateModels(data, options));
    const before = tf.memory().numTensors;
    for (const abortAfter of [1, 2]) {
      const controller = new AbortController();
      const trainer = abortingTrainer(abortAfter, controller);
      await expect(evaluateModels(data, { ...options, signal: controller.signal, netTrainer: trainer })).rejects.toThrow();
      expect(trainer.trained, `abort after ${abortAfter}`).toBe(abortAfter);
      expect(tf.memory().numTensors, `abort after ${abortAfter}`).toBe(before);
    }
  });

  it('aborted as the CNN starts its second fold (cross-fitting): no tensor is left', { timeout: 300_000 }, async () => {
    const data = customers(300, 4);
    const options = { models: ['naive', 'cnn'] as const, seed: 5, folds: 3, maxEpochs: 1, importanceRows: 20, bootstrapResamples: 0 };
    disposeNets(await evaluateModels(data, { ...options, models: [...options.models] }));
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const stages: string[] = [];
    const run = evaluateModels(data, {
      ...options,
      models: [...options.models],
      signal: controller.signal,
      onProgress: (p) => {
        if (p.model === 'cnn') stages.push(p.stage);
        if (p.model === 'cnn' && p.stage === 'training fold 2/3') controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    expect(stages).toContain('training fold 1/3');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('cross-fitted sequence nets', () => {
  it('fold k is recalibrated on the out-of-fold predictions of the other folds; the kept model on all of them', { timeout: 300_000 }, async () => {
    const data = customers(400, 6);
    // Twelve customers of 50,000 each: every fold trains on some, so no recalibrated prediction
    // reaches the spend ceiling (twice the largest training spend) and each map can be inverted.
    const spend = data.holdoutSpend as Float64Array;
    const orders = data.holdoutOrders as Float64Array;
    for (let i = 0; i < 400; i += 34) {
      spend[i] = 50_000;
      orders[i] = 50;
    }
    const seed = 9;
    const k = 3;
    const result = await evaluateModels(data, { models: ['naive', 'cnn'], seed, folds: k, maxEpochs: 2, importanceRows: 20, bootstrapResamples: 0 });
    try {
      const maps = result.netCalibration.cnn!;
      expect(maps).toHaveLength(k);
      const predicted = result.predictions.cnn!;
      expect(Math.max(...predicted)).toBeLessThan(100_000);
      // The folds, as the protocol cuts them (stratified by outcome, the run's seed).
      const foldOf = stratifiedFolds(outcomeStrata(data.holdoutSpend, data.holdoutOrders), k, seed).foldOf;
      const n = data.customerIds.length;
      // Each customer's out-of-fold prediction before recalibration, from their fold's map.
      const raw = Float64Array.from({ length: n }, (_, i) => {
        const { scale, power } = maps[foldOf[i]];
        return (predicted[i] / scale) ** (1 / power) - 1;
      });
      for (let f = 0; f < k; f++) {
        const others = Array.from({ length: n }, (_, i) => i).filter((i) => foldOf[i] !== f);
        const expected = powerFit(raw, data.holdoutSpend, others);
        expect(maps[f].power).toBeCloseTo(expected.power, 6);
        expect(Math.abs(maps[f].scale - expected.scale) / expected.scale).toBeLessThan(1e-6);
      }
      const everyone = powerFit(raw, data.holdoutSpend, Array.from({ length: n }, (_, i) => i));
      expect(result.sequenceNets!.cnn!.calibration.power).toBeCloseTo(everyone.power, 6);
      expect(Math.abs(result.sequenceNets!.cnn!.calibration.scale - everyone.scale) / everyone.scale).toBeLessThan(1e-6);
    } finally {
      disposeNets(result);
    }
  });
});

describe('cross-fitting with the nets trained in a pool (two workers side by side)', () => {
  it('gives exactly the predictions of training one net after another, with a progress fraction that never goes back', { timeout: 300_000 }, async () => {
    const data = customers(400, 6);
    const options = { models: ['bgnbd-gg', 'naive', 'ziln', 'hybrid', 'ensemble'] as ModelName[], seed: 8, folds: 3, maxEpochs: 2, importanceRows: 20, bootstrapResamples: 0 };
    const alone = await evaluateModels(data, options);
    const spawned = { count: 0 };
    const pool = workerPoolTrainer(2, () => channelWorker(spawned));
    const fractions: number[] = [];
    const stages: Array<{ stage: string; fraction: number }> = [];
    const folds = new Set<string>();
    try {
      const pooled = await evaluateModels(data, {
        ...options,
        netTrainer: pool,
        onProgress: (p) => (fractions.push(p.fraction), stages.push({ stage: p.stage, fraction: p.fraction }), p.fold && folds.add(`${p.model} ${p.fold}`)),
      });
      expect(spawned.count).toBe(2);
      for (const model of ['ziln', 'hybrid', 'ensemble'] as const) expect(Array.from(pooled.predictions[model]!), model).toEqual(Array.from(alone.predictions[model]!));
      expect(pooled.netCalibration).toEqual(alone.netCalibration);
      expect([...folds].sort()).toEqual(['hybrid 1', 'hybrid 2', 'hybrid 3', 'ziln 1', 'ziln 2', 'ziln 3']);
      fractions.forEach((f, i) => i > 0 && expect(f, `report ${i}`).toBeGreaterThanOrEqual(fractions[i - 1]));
      expect(fractions.at(-1)).toBe(1);
      // The bar follows the work: the fits are a sliver, the nets' trainings nearly all of it.
      const trainingStarts = stages.find((r) => r.stage === 'training 3 folds')!;
      expect(trainingStarts.fraction).toBeGreaterThan(0);
      expect(trainingStarts.fraction).toBeLessThan(0.05);
      expect(stages.find((r) => r.stage === 'stacking out-of-fold predictions')!.fraction).toBeGreaterThan(0.9);
      disposeNets(pooled);
    } finally {
      pool.dispose();
      disposeNets(alone);
    }
  });

  it("the single split's stack trains its six nets in the pool too: the same predictions, progress per training", { timeout: 300_000 }, async () => {
    const data = customers(400, 6);
    // The hybrid asked for: the stack trains it next to ZILN.
    const options = { models: ['bgnbd-gg', 'naive', 'ziln', 'hybrid', 'ensemble'] as ModelName[], seed: 8, protocol: 'split' as const, maxEpochs: 2, importanceRows: 20, bootstrapResamples: 0 };
    const alone = await evaluateModels(data, options);
    const spawned = { count: 0 };
    const pool = workerPoolTrainer(2, () => channelWorker(spawned));
    const fractions: number[] = [];
    const trainings = new Set<string>();
    try {
      const pooled = await evaluateModels(data, { ...options, netTrainer: pool, onProgress: (p) => (fractions.push(p.fraction), p.model === 'ensemble' && p.fold && trainings.add(`${p.fold}/${p.folds}`)) });
      expect(spawned.count).toBe(2);
      for (const model of ['ziln', 'ensemble'] as const) expect(Array.from(pooled.predictions[model]!), model).toEqual(Array.from(alone.predictions[model]!));
      expect(pooled.ensemble).toEqual(alone.ensemble);
      // Two nets (ZILN, hybrid) × three stack folds.
      expect([...trainings].sort()).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
      expect(pooled.ensemble!.models).toEqual(expect.arrayContaining(['ziln', 'hybrid']));
      fractions.forEach((f, i) => i > 0 && expect(f, `report ${i}`).toBeGreaterThanOrEqual(fractions[i - 1]));
      expect(fractions.at(-1)).toBe(1);
      disposeNets(pooled);
    } finally {
      pool.dispose();
      disposeNets(alone);
    }
  });

  it('the hybrid is trained and stacked only when asked for (single split and cross-fitting)', { timeout: 300_000 }, async () => {
    const data = customers(300, 12);
    const d = FEATURE_NAMES.length;
    for (const protocol of ['split', 'cross-fit'] as const) {
      // Counts the nets trained, by input width: ZILN sees the d features, the hybrid d + 4.
      const inner = inProcessTrainer();
      const widths: number[] = [];
      const counting: NetTrainer = {
        parallel: 1,
        train(job, control) {
          widths.push(job.X.length / data.customerIds.length);
          return inner.train(job, control);
        },
      };
      const options = { seed: 5, protocol, folds: 3, maxEpochs: 1, importanceRows: 20, bootstrapResamples: 0, netTrainer: counting };
      const without = await evaluateModels(data, { ...options, models: ['bgnbd-gg', 'naive', 'ziln', 'ensemble'] });
      try {
        expect(widths.length, protocol).toBeGreaterThan(0);
        expect(widths.every((w) => w === d), `${protocol}: only ZILN nets`).toBe(true);
        expect(without.ensemble!.models, protocol).toContain('ziln');
        expect(without.ensemble!.models, protocol).not.toContain('hybrid');
      } finally {
        disposeNets(without);
      }
      widths.length = 0;
      const withHybrid = await evaluateModels(data, { ...options, models: ['bgnbd-gg', 'naive', 'ziln', 'hybrid', 'ensemble'] });
      try {
        expect(widths.filter((w) => w === d + 4).length, `${protocol}: hybrid nets`).toBeGreaterThan(0);
        expect(withHybrid.ensemble!.models, protocol).toEqual(expect.arrayContaining(['ziln', 'hybrid']));
      } finally {
        disposeNets(withHybrid);
      }
    }
  });

  it('lists models in one order whichever net finishes first (predictions.csv columns, params.json)', { timeout: 300_000 }, async () => {
    const data = customers(200, 11);
    const d = data.featureNames.length;
    const options = { models: ['ensemble', 'hybrid', 'naive', 'ziln', 'bgnbd-gg'] as ModelName[], seed: 3, folds: 3, maxEpochs: 1, importanceRows: 20, bootstrapResamples: 0 };
    // Holds back the nets of one kind (ZILN: d inputs; hybrid: d + 4) until the other kind's three folds are in.
    const lagging = (late: (width: number) => boolean): NetTrainer => {
      const inner = inProcessTrainer();
      let others = 0;
      let release = () => {};
      const othersIn = new Promise<void>((resolve) => (release = resolve));
      return {
        parallel: 1,
        train: async (job, control) => {
          const net = await inner.train(job, control);
          if (late(job.X.length / job.y.length)) await othersIn;
          else if (++others === 3) setTimeout(release, 50);
          return net;
        },
      };
    };
    const zilnLast = await evaluateModels(data, { ...options, netTrainer: lagging((w) => w === d) });
    const hybridLast = await evaluateModels(data, { ...options, netTrainer: lagging((w) => w > d) });
    try {
      const expected = ['bgnbd-gg', 'naive', 'ziln', 'hybrid', 'ensemble'];
      for (const result of [zilnLast, hybridLast]) {
        expect(Object.keys(result.predictions)).toEqual(expected);
        expect(Object.keys(result.netCalibration)).toEqual(['ziln', 'hybrid']);
        expect(Object.keys(result.spendIntervals).filter((m) => m === 'ziln' || m === 'hybrid')).toEqual(['ziln', 'hybrid']);
      }
      expect(Array.from(zilnLast.predictions.ensemble!)).toEqual(Array.from(hybridLast.predictions.ensemble!));
    } finally {
      disposeNets(zilnLast);
      disposeNets(hybridLast);
    }
  });

  it('a cancel while the pool trains leaves no tensor behind', { timeout: 300_000 }, async () => {
    const data = customers(300, 7);
    const options = { models: ['naive', 'ziln', 'hybrid', 'ensemble'] as ModelName[], seed: 9, folds: 3, maxEpochs: 3, importanceRows: 20, bootstrapResamples: 0 };
    const pool = workerPoolTrainer(2, () => channelWorker({ count: 0 }));
    try {
      disposeNets(await evaluateModels(data, { ...options, netTrainer: pool }));
      const before = tf.memory().numTensors;
      const controller = new AbortController();
      let epochs = 0;
      const run = evaluateModels(data, { ...options, netTrainer: pool, signal: controller.signal, onProgress: (p) => p.epoch > 0 && ++epochs === 8 && controller.abort() });
      await expect(run).rejects.toThrow();
      expect(epochs).toBeGreaterThanOrEqual(8);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      pool.dispose();
    }
  });
});
