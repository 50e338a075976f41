/**
 * Where one training step's time goes on tfjs-backend-wasm in Node:
 *   npx tsx test/bench/trainProfile.ts [--batch 64] [--steps 40]
 * Runs `steps` batches of the app's training loop under tf.profile and prints kernel time per
 * kernel type against the wall time (the rest is JavaScript: tfjs bookkeeping, uploads, masks).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { FnnNet, SEED_FNN_CONFIG } from '../../src/core/nets/fnn';
import { trainNetwork } from '../../src/core/nets/trainer';
import { TRAIN_FEATURES, firstRows, syntheticRows } from './trainData';
import { argument } from './argument';

const batch = Number(argument('batch') ?? 64);
const steps = Number(argument('steps') ?? 40);
const wasmDir = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
await activateBackend((argument('backend') as 'wasm' | 'cpu') ?? 'wasm', { wasmPaths: wasmDir });
tf.enableProdMode();
const data = syntheticRows(steps * batch + 2000);
const subset = firstRows(data, steps * batch);
const warm = FnnNet.create(TRAIN_FEATURES, SEED_FNN_CONFIG, 1, 1);
await trainNetwork(warm, subset, { batchSize: batch, maxEpochs: 1 });
const net = FnnNet.create(TRAIN_FEATURES, SEED_FNN_CONFIG, 1, 1);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await trainNetwork(net, subset, { batchSize: batch, maxEpochs: 1 });
const plainMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const net2 = FnnNet.create(TRAIN_FEATURES, SEED_FNN_CONFIG, 1, 1);
const info = await tf.profile(async () => {
  await trainNetwork(net2, subset, { batchSize: batch, maxEpochs: 1 });
  return [];
});
const byKernel = new Map<string, { n: number; ms: number }>();
for (const k of info.kernels) {
  const e = byKernel.get(k.name) ?? { n: 0, ms: 0 };
  e.n++;
  e.ms += k.kernelTimeMs as number;
  byKernel.set(k.name, e);
}
const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
console.log(`batch ${batch}, ${steps} steps: wall ${(plainMs / steps).toFixed(2)} ms/step unprofiled (${Math.round((steps * batch) / (plainMs / 1000))} samples/s; CPU ${(cpuMs / steps).toFixed(2)} ms/step, ${Math.round((steps * batch) / (cpuMs / 1000))} samples/cpu-s); kernels ${(total / steps).toFixed(2)} ms/step, ${(info.kernels.length / steps).toFixed(0)} kernels/step`);
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`${name.padEnd(24)} ${(e.n / steps).toFixed(1).padStart(6)}/step ${(e.ms / steps).toFixed(3).padStart(8)} ms/step`);
}
