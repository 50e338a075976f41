/**
 * Why tfjs-layers `model.fit` is slow on a GPU backend, counted rather than timed:
 *   npx tsx test/bench/trainDispatches.ts [--batch 512] [--steps 20] [--out FILE.json]
 *
 * On tfjs-backend-webgpu every kernel is one compute-pass dispatch (with its own uniform buffer and
 * bind group), and every read of a tensor's values is a GPU → CPU round trip that drains the queue.
 * Both counts are properties of the op graph, not of the device, so they are counted here on the
 * CPU backend: the seed FNN trained for `steps` batches through `model.fit` and through the app's
 * training loop (trainer.ts), with the kernels recorded by tf.profile and the reads by wrapping the
 * backend's read/readSync. At tens of microseconds of fixed cost per dispatch and a queue drain
 * per read, the per-batch counts bound what a GPU can reach whatever its FLOPs.
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { FnnNet, SEED_FNN_CONFIG, buildFnnModel } from '../../src/core/nets/fnn';
import { trainNetwork } from '../../src/core/nets/trainer';
import { TRAIN_FEATURES, firstRows, syntheticRows } from './trainData';
import { argument } from './argument';

export interface DispatchCount {
  loop: 'tfjs-layers model.fit' | 'trainer.ts loop';
  batch: number;
  kernels_per_batch: number;
  reads_per_batch: number;
  top_kernels: { name: string; per_batch: number }[];
}

/** Counts kernels (tf.profile) and value reads (backend read/readSync) while `work` runs. */
async function count(loop: DispatchCount['loop'], batch: number, steps: number, work: () => Promise<void>): Promise<DispatchCount> {
  const backend = tf.backend() as unknown as { read(id: object): Promise<unknown>; readSync(id: object): unknown };
  const read = backend.read.bind(backend);
  const readSync = backend.readSync.bind(backend);
  let reads = 0;
  // The CPU backend's read() calls readSync() synchronously: one read, not two.
  let inRead = false;
  backend.read = (id) => {
    reads++;
    inRead = true;
    try {
      return read(id);
    } finally {
      inRead = false;
    }
  };
  backend.readSync = (id) => {
    if (!inRead) reads++;
    return readSync(id);
  };
  try {
    const info = await tf.profile(async () => {
      await work();
      return [];
    });
    const byName = new Map<string, number>();
    for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + 1);
    return {
      loop,
      batch,
      kernels_per_batch: Math.round((info.kernels.length / steps) * 10) / 10,
      reads_per_batch: Math.round((reads / steps) * 100) / 100,
      top_kernels: [...byName]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([name, n]) => ({ name, per_batch: Math.round((n / steps) * 10) / 10 })),
    };
  } finally {
    backend.read = read;
    backend.readSync = readSync;
  }
}

async function main(): Promise<void> {
  const batch = Number(argument('batch') ?? 512);
  const steps = Number(argument('steps') ?? 20);
  await activateBackend('cpu');
  const rows = steps * batch;
  // Validation rows come after the training rows; only the training batches are counted.
  const data = syntheticRows(rows + 1000);
  const results: DispatchCount[] = [];

  const model = buildFnnModel(TRAIN_FEATURES, SEED_FNN_CONFIG, 1, 1);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const xs = tf.tensor2d(data.X.subarray(0, rows * TRAIN_FEATURES), [rows, TRAIN_FEATURES]);
  const ys = tf.tensor2d(data.y.subarray(0, rows), [rows, 1]);
  results.push(await count('tfjs-layers model.fit', batch, steps, async () => void (await model.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0 }))));
  tf.dispose([xs, ys]);
  model.dispose();

  // The app's loop also evaluates the validation rows once per epoch: a handful of kernels and
  // reads spread over the epoch's batches, counted with them.
  const net = FnnNet.create(TRAIN_FEATURES, SEED_FNN_CONFIG, 1, 1);
  results.push(await count('trainer.ts loop', batch, steps, async () => void (await trainNetwork(net, firstRows(data, rows), { batchSize: batch, maxEpochs: 1 }))));
  net.model.dispose();

  for (const r of results) {
    console.log(`${r.loop.padEnd(22)} batch ${r.batch}: ${r.kernels_per_batch} kernels/batch, ${r.reads_per_batch} reads/batch; most: ${r.top_kernels.map((k) => `${k.name} ${k.per_batch}`).join(', ')}`);
  }
  const out = argument('out');
  if (out) writeFileSync(out, `${JSON.stringify({ train_dispatches: results }, null, 2)}\n`);
}

await main();
