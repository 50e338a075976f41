/**
 * The CLI's training pool: worker threads running netTrainingThread.ts (see core/nets/netTrainer.ts).
 * The threads load the same TypeScript through tsx, as the CLI itself does.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { BackendName } from '../core/nets/backendChoice';
import { workerFailure, workerPoolTrainer, type NetTrainingApi, type TrainingWorker, type WorkerPoolTrainer } from '../core/nets/netTrainer';

/** Most training threads started by default: ten trainings (two nets × five folds) gain little from more. */
const MAX_DEFAULT_THREADS = 5;

/** The default number of training threads: every core, up to MAX_DEFAULT_THREADS. */
export function defaultTrainingThreads(): number {
  return Math.max(1, Math.min(os.availableParallelism(), MAX_DEFAULT_THREADS));
}

/**
 * The thread's bootstrap: registers tsx's loader in the new thread (hooks registered by
 * `--import tsx` do not reach worker threads on Node 20), then loads the TypeScript entry.
 */
function bootstrap(): string {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./netTrainingThread.ts', import.meta.url).href);
  return `import(${tsx}).then(({ register }) => { register(); return import(${entry}); })`;
}

function spawnThread(backend: BackendName): TrainingWorker {
  const worker = new Worker(bootstrap(), { eval: true, workerData: { backend } });
  const { failed, fail } = workerFailure();
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => fail(new Error(`a training thread stopped (exit code ${code})`)));
  return {
    api: Comlink.wrap<NetTrainingApi>(nodeEndpoint(worker)),
    failed,
    terminate() {
      void worker.terminate();
      fail(new Error('the training thread was stopped'));
    },
  };
}

/** A pool of `threads` training threads on `backend`. Dispose it, or the process keeps running. */
export function threadTrainer(threads: number, backend: BackendName): WorkerPoolTrainer {
  return workerPoolTrainer(threads, () => spawnThread(backend));
}
