/**
 * Bench page (test/bench/train.html): Playwright calls `window.clvTrain.probe()` and
 * `window.clvTrain.train(request)`; each call runs in a fresh training worker (train.worker.ts),
 * so every backend and thread count starts from a clean tfjs engine.
 */
import * as Comlink from 'comlink';
import type { TrainRequest, TrainRun, TrainWorkerApi, WorkerProbe } from './train.worker';

async function inWorker<T>(call: (api: Comlink.Remote<TrainWorkerApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await call(Comlink.wrap<TrainWorkerApi>(worker));
  } finally {
    worker.terminate();
  }
}

const bench = {
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  probe: (): Promise<WorkerProbe> => inWorker((api) => api.probe()),
  train: (request: TrainRequest): Promise<TrainRun> => inWorker((api) => api.train(request)),
};

(window as unknown as { clvTrain: typeof bench }).clvTrain = bench;
