/**
 * The training pool (src/core/nets/netTrainer.ts) with real Comlink and real tfjs training: its
 * "workers" are MessageChannel ports served by trainingWorkerApi in this thread (the browser and
 * Node workers add only the thread; the CLI test in test/integration/fitWorkers.test.ts runs real
 * worker threads). A pooled net predicts exactly what the same job trained in place predicts, jobs
 * queue beyond the pool's size, a cancel stops a training and leaves the pool usable, a dead
 * worker fails only its job and is replaced, and nothing leaks (tf.memory back where it was).
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessTrainer, workerPoolTrainer, type WorkerPoolTrainer } from '../../src/core/nets/netTrainer';
import { channelWorker } from './channelWorker';
import { trainJob, type NetTrainingJob } from '../../src/core/nets/netTrainingJob';
import { Rng } from '../../src/core/random';

const D = 4;

function job(seed: number, kind: 'fnn' | 'ziln', maxEpochs = 3): NetTrainingJob {
  const rng = new Rng(seed);
  const n = 400;
  const X = new Float32Array(n * D);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) X[i * D + j] = rng.normal(0, 1);
    y[i] = rng.uniform(0, 1) < 0.5 ? 0 : Math.exp(1 + X[i * D] + 0.3 * rng.normal(0, 1));
  }
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  return { kind, recipe: 'default', X, y, train: rows.subarray(0, 320), validation: rows.subarray(320), seed, maxEpochs };
}

const X_TEST = job(99, 'fnn').X;
let pool: WorkerPoolTrainer | null = null;
afterEach(() => pool?.dispose());

describe('training pool', () => {
  it('pooled nets predict exactly what the same jobs trained in place predict; jobs queue beyond the pool size', async () => {
    const before = tf.memory().numTensors;
    const jobs = [job(1, 'ziln'), job(2, 'fnn'), job(3, 'ziln')];
    const inPlace: Array<{ pred: Float32Array; epochs: number }> = [];
    for (const j of jobs) {
      const net = await trainJob(j);
      inPlace.push({ pred: net.predict(X_TEST), epochs: net.history.length });
      net.predictor.dispose();
    }
    const spawned = { count: 0 };
    pool = workerPoolTrainer(2, () => channelWorker(spawned));
    const epochs: number[] = [];
    const nets = await Promise.all(jobs.map((j, k) => pool!.train(j, { onProgress: (p) => k === 0 && epochs.push(p.epoch) })));
    expect(spawned.count).toBe(2);
    nets.forEach((net, k) => {
      expect(Array.from(net.predict(X_TEST))).toEqual(Array.from(inPlace[k].pred));
      expect(net.history.length).toBe(inPlace[k].epochs);
      net.predictor.dispose();
    });
    expect(epochs).toEqual(Array.from({ length: inPlace[0].epochs }, (_, i) => i + 1));
    pool.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a cancel stops the training with the signal reason, queued jobs are not started, the pool goes on', async () => {
    const spawned = { count: 0 };
    pool = workerPoolTrainer(1, () => channelWorker(spawned));
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const first = pool.train(job(4, 'ziln', 200), { signal: controller.signal, onProgress: (p) => p.epoch === 2 && controller.abort(reason) });
    const queued = pool.train(job(5, 'ziln'), { signal: controller.signal });
    await expect(first).rejects.toBe(reason);
    await expect(queued).rejects.toBe(reason);
    const net = await pool.train(job(6, 'fnn'));
    expect(net.history.length).toBe(3);
    net.predictor.dispose();
    expect(spawned.count).toBe(1);
  });

  it('a dead worker fails its job only; the next job gets a new worker', async () => {
    const spawned = { count: 0 };
    pool = workerPoolTrainer(1, () => channelWorker(spawned, spawned.count === 0));
    await expect(pool.train(job(7, 'fnn'))).rejects.toThrow('worker died');
    const net = await pool.train(job(8, 'fnn'));
    expect(net.history.length).toBe(3);
    net.predictor.dispose();
    expect(spawned.count).toBe(2);
  });

  it('the in-process trainer trains one job at a time, in the order asked', async () => {
    const trainer = inProcessTrainer();
    const order: string[] = [];
    const a = trainer.train(job(9, 'fnn', 2), { onProgress: (p) => order.push(`a${p.epoch}`) });
    const b = trainer.train(job(10, 'fnn', 2), { onProgress: (p) => order.push(`b${p.epoch}`) });
    const nets = await Promise.all([a, b]);
    expect(order).toEqual(['a1', 'a2', 'b1', 'b2']);
    nets.forEach((n) => n.predictor.dispose());
  });
});
