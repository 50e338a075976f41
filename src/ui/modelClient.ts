import * as Comlink from 'comlink';
import type { ModelWorkerApi } from '../../workers/contracts';
import { WorkerWatchdog, watchedApi, type WatchdogOptions } from './workerWatchdog';

/**
 * Silence allowed from the model engine while a call is outstanding. Training answers pings
 * between batches, so only its synchronous stretches (a BG/NBD fit on a very large file) count.
 */
export const MODEL_QUIET_MS = 120_000;
const PING_EVERY_MS = 5_000;

export interface ModelWorker {
  api: Comlink.Remote<ModelWorkerApi>;
  /** Watches every call of `api`; progress messages report signs of life to it. */
  watchdog: WorkerWatchdog;
  terminate(): void;
}

/**
 * Starts the model worker (TensorFlow.js); `onCrash` hears about a worker that died, `hang` about
 * one that stopped answering (see workerWatchdog).
 */
export function startModelWorker(onCrash: (message: string) => void, hang: Pick<WatchdogOptions, 'onHang' | 'message'>): ModelWorker {
  const worker = new Worker(new URL('../../workers/model.worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the model worker stopped unexpectedly'));
  const remote = Comlink.wrap<ModelWorkerApi>(worker);
  const watchdog = new WorkerWatchdog({ ...hang, quietMs: MODEL_QUIET_MS, ping: () => remote.ping(), pingEveryMs: PING_EVERY_MS });
  return {
    api: watchedApi(remote, watchdog),
    watchdog,
    terminate: () => {
      watchdog.stop();
      worker.terminate();
    },
  };
}
