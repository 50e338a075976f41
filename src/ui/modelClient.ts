import * as Comlink from 'comlink';
import type { ModelWorkerApi } from '../../workers/modelWorkerApi';

export interface ModelWorker {
  api: Comlink.Remote<ModelWorkerApi>;
  terminate(): void;
}

/** Starts the model worker (TensorFlow.js); `onCrash` hears about a worker that died. */
export function startModelWorker(onCrash: (message: string) => void): ModelWorker {
  const worker = new Worker(new URL('../../workers/model.worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the model worker stopped unexpectedly'));
  return { api: Comlink.wrap<ModelWorkerApi>(worker), terminate: () => worker.terminate() };
}
