/**
 * Training throughput of the seed FNN in Node: `npx tsx test/bench/trainSpeed.ts --out FILE.json`.
 *
 * Measures samples/s of one training epoch over synthetic rows (default 100k × 16) for batch 64
 * and 512 on the tfjs CPU and WASM backends with CLV Studio's training loop (trainer.ts), the same
 * on WASM through tfjs-layers' model.fit (the "before"), and, when a Python with PyTorch is
 * installed, the same network in PyTorch on one thread (test/bench/torch_fnn.py). It never
 * installs anything. The CPU backend and model.fit are timed on the first 3k / 10k rows (their
 * rate per sample does not depend on the row count, and a full epoch takes minutes). Each rate is
 * the fastest of --epochs epochs (default 3): on a shared machine other processes only slow runs;
 * samples per CPU-second over all epochs is reported too, as it depends less on such contention.
 * Options: --rows N, --epochs N, --out FILE.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { activateBackend, type BackendName } from '../../src/core/nets/backendChoice';
import { FnnNet, SEED_FNN_CONFIG, buildFnnModel } from '../../src/core/nets/fnn';
import { trainNetwork, type TrainData } from '../../src/core/nets/trainer';
import { TRAIN_BATCHES, TRAIN_FEATURES, firstRows, syntheticRows } from './trainData';
import { argument } from './argument';

const BATCHES = TRAIN_BATCHES;
const FEATURES = TRAIN_FEATURES;
/** The slow configurations are timed on a subset: a per-sample rate needs no more rows. */
const SLOW_RUN_ROWS: Partial<Record<string, number>> = { cpu: 3_000, layersFit: 10_000 };

/** Throughput of one configuration: wall clock and, less sensitive to a busy machine, CPU time. */
interface Rate {
  samples_per_s: number;
  samples_per_cpu_s: number;
}

/** Other processes on a shared machine only ever slow a run down, so the fastest epoch is reported. */
function rate(epochRates: number[], samples: number, cpuStart: NodeJS.CpuUsage): Rate {
  const cpu = process.cpuUsage(cpuStart);
  return {
    samples_per_s: Math.round(Math.max(...epochRates)),
    samples_per_cpu_s: Math.round(samples / ((cpu.user + cpu.system) / 1e6)),
  };
}

async function customLoopRate(data: TrainData, batch: number, epochs: number): Promise<Rate> {
  const warmup = FnnNet.create(FEATURES, SEED_FNN_CONFIG, 1, 1);
  await trainNetwork(warmup, firstRows(data, 4 * batch), { batchSize: batch, maxEpochs: 1 });
  warmup.model.dispose();
  const net = FnnNet.create(FEATURES, SEED_FNN_CONFIG, 1, 1);
  const cpuStart = process.cpuUsage();
  const result = await trainNetwork(net, data, { batchSize: batch, maxEpochs: epochs });
  const measured = rate(
    result.history.map((p) => p.samplesPerSec),
    epochs * data.train.length,
    cpuStart,
  );
  net.model.dispose();
  return measured;
}

async function layersFitRate(data: TrainData, batch: number, epochs: number): Promise<Rate> {
  const rows = data.train.length;
  const model = buildFnnModel(FEATURES, SEED_FNN_CONFIG, 1, 1);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const xs = tf.tensor2d(data.X.subarray(0, rows * FEATURES), [rows, FEATURES]);
  const ys = tf.tensor2d(data.y.subarray(0, rows), [rows, 1]);
  const [xWarm, yWarm] = [xs.slice(0, 4 * batch), ys.slice(0, 4 * batch)];
  await model.fit(xWarm, yWarm, { batchSize: batch, epochs: 1, verbose: 0 });
  const rates: number[] = [];
  const cpuStart = process.cpuUsage();
  let start = performance.now();
  const timeEpoch = async () => {
    rates.push(rows / ((performance.now() - start) / 1000));
    start = performance.now();
  };
  await model.fit(xs, ys, { batchSize: batch, epochs, shuffle: true, verbose: 0, callbacks: { onEpochEnd: timeEpoch } });
  const measured = rate(rates, epochs * rows, cpuStart);
  tf.dispose([xs, ys, xWarm, yWarm]);
  model.dispose();
  return measured;
}

interface TorchReport {
  torch: string;
  blas: string;
  results: { batch: number; loader: string; samples_per_s: number; samples_per_cpu_s: number }[];
}

/** Debian's OpenBLAS build; torch uses whatever libblas.so.3 resolves to, which may be the slow reference BLAS. */
const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

/**
 * Runs torch_fnn.py with the first Python that can import torch (Debian's python3-torch lives under
 * /usr/bin/python3, not in a pyenv); null (and why) otherwise. When Debian's OpenBLAS is installed
 * it is put first on the library path, single-threaded: the alternatives system may point
 * libblas.so.3 at the reference BLAS, several times slower, which would flatter the browser.
 */
function pytorchRates(rows: number, epochs: number): { report: TorchReport | null; note: string } {
  const script = fileURLToPath(new URL('./torch_fnn.py', import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  let blasNote = '';
  if (existsSync(OPENBLAS_DIR)) {
    env.LD_LIBRARY_PATH = [OPENBLAS_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    blasNote = ` with LD_LIBRARY_PATH=${OPENBLAS_DIR}`;
  }
  for (const python of ['/usr/bin/python3', 'python3', 'python']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', env });
    } catch {
      continue;
    }
    const args = [script, '--rows', String(rows), '--batches', BATCHES.join(','), '--epochs', String(epochs)];
    const output = execFileSync(python, args, { encoding: 'utf8', env });
    return { report: JSON.parse(output) as TorchReport, note: `${python}${blasNote}` };
  }
  return { report: null, note: 'no python3 with torch found; PyTorch reference not measured' };
}

async function main(): Promise<void> {
  const rows = Number(argument('rows') ?? 100_000);
  const epochs = Number(argument('epochs') ?? 3);
  const out = argument('out');
  const data = syntheticRows(rows);
  // Explicit wasm location, so the benchmark works from any working directory.
  const wasmDir = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
  tf.enableProdMode();

  const trainFnnNode: ({ backend: BackendName; batch: number; rows: number } & Rate)[] = [];
  const layersBaseline: ({ backend: BackendName; batch: number; rows: number } & Rate)[] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    const activated = await activateBackend(backend, { wasmPaths: wasmDir });
    if (activated.backend !== backend) throw new Error(`could not start ${backend}: ${activated.reason}`);
    const loopData = firstRows(data, SLOW_RUN_ROWS[backend] ?? rows);
    for (const batch of BATCHES) {
      const measured = await customLoopRate(loopData, batch, epochs);
      trainFnnNode.push({ backend, batch, rows: loopData.train.length, ...measured });
      console.error(`custom loop  ${backend} batch ${batch}: ${JSON.stringify(measured)}`);
    }
    if (backend === 'wasm') {
      const fitData = firstRows(data, SLOW_RUN_ROWS.layersFit ?? rows);
      for (const batch of BATCHES) {
        const measured = await layersFitRate(fitData, batch, epochs);
        layersBaseline.push({ backend, batch, rows: fitData.train.length, ...measured });
        console.error(`model.fit    ${backend} batch ${batch}: ${JSON.stringify(measured)}`);
      }
    }
  }

  const torch = pytorchRates(rows, epochs);
  const result = {
    rows,
    features: FEATURES,
    epochs_per_measurement: epochs,
    train_fnn_node: trainFnnNode,
    layers_fit_baseline: layersBaseline,
    pytorch_cpu: torch.report?.results ?? null,
    pytorch_note: torch.report ? `torch ${torch.report.torch}, 1 thread, ${torch.report.blas} BLAS, via ${torch.note}` : torch.note,
    environment: { node: process.version, tfjs: tf.version.tfjs, cpus: availableParallelism() },
  };
  const json = JSON.stringify(result, null, 2);
  if (out) writeFileSync(out, json + '\n');
  console.log(json);
}

await main();
