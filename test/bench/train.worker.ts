/**
 * Chromium side of the training benchmark (test/bench/trainBrowser.ts): a Web Worker that trains
 * the seed FNN with the code the app's model worker trains with (FnnNet + trainNetwork, on the
 * same tfjs backends activated the same way) on the synthetic rows of trainData.ts.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { activateBackend, probeBackends, type BackendName, type BackendProbe } from '../../src/core/nets/backendChoice';
import { FnnNet, SEED_FNN_CONFIG } from '../../src/core/nets/fnn';
import { trainNetwork } from '../../src/core/nets/trainer';
import { TRAIN_FEATURES, firstRows, syntheticRows } from './trainData';

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

export interface WorkerProbe {
  probe: BackendProbe;
  /** UNMASKED_RENDERER_WEBGL of an OffscreenCanvas context, e.g. "ANGLE (Google, Vulkan … SwiftShader …)". */
  webglRenderer: string | null;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface TrainRequest {
  backend: BackendName;
  batch: number;
  /** Rows generated (the last 1000 validate); `trainRows` of the rest are trained on. */
  rows: number;
  trainRows: number;
  epochs: number;
  /** WASM only: tfjs-backend-wasm's thread count (takes effect only on a cross-origin isolated page). */
  threads?: number;
}

export interface TrainRun {
  backend: string;
  reason: string;
  batch: number;
  rows: number;
  /** The fastest epoch (other processes only ever slow a run down). */
  samples_per_s: number;
  epoch_samples_per_s: number[];
  wasm_threads?: number;
  ms: number;
}

function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

const api = {
  async probe(): Promise<WorkerProbe> {
    return {
      probe: await probeBackends(),
      webglRenderer: webglRenderer(),
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      hardwareConcurrency: navigator.hardwareConcurrency,
    };
  },

  async train(request: TrainRequest): Promise<TrainRun> {
    const t0 = performance.now();
    if (request.backend === 'wasm' && request.threads) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setThreadsCount(request.threads);
    }
    const activated = await activateBackend(request.backend, { wasmPaths: WASM_PATHS });
    if (activated.backend !== request.backend) throw new Error(`could not start ${request.backend}: ${activated.reason}`);
    tf.enableProdMode();
    let wasmThreads: number | undefined;
    if (request.backend === 'wasm') wasmThreads = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
    const data = firstRows(syntheticRows(request.rows), request.trainRows);
    // Warm-up: kernels compiled (WebGL/WebGPU shaders), allocator grown.
    const warm = FnnNet.create(TRAIN_FEATURES, SEED_FNN_CONFIG, 1, 1);
    await trainNetwork(warm, firstRows(data, 4 * request.batch), { batchSize: request.batch, maxEpochs: 1 });
    warm.model.dispose();
    const net = FnnNet.create(TRAIN_FEATURES, SEED_FNN_CONFIG, 1, 1);
    const result = await trainNetwork(net, data, { batchSize: request.batch, maxEpochs: request.epochs });
    net.model.dispose();
    const rates = result.history.map((p) => Math.round(p.samplesPerSec));
    return {
      backend: tf.getBackend(),
      reason: activated.reason,
      batch: request.batch,
      rows: data.train.length,
      samples_per_s: Math.max(...rates),
      epoch_samples_per_s: rates,
      wasm_threads: wasmThreads,
      ms: performance.now() - t0,
    };
  },
};

export type TrainWorkerApi = typeof api;
Comlink.expose(api);
