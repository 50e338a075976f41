import * as Comlink from 'comlink';
import type { DataWorkerApi } from '../../workers/contracts';
import { WorkerWatchdog, watchedApi, type WatchdogOptions } from './workerWatchdog';

/** A user-facing error as it arrives from a worker. */
export interface UiError {
  code: string;
  message: string;
  /** Facts behind the error (e.g. the rejected rows of TOO_MANY_REJECTS), when the engine gave them. */
  details?: Record<string, unknown>;
}

export function asUiError(error: unknown): UiError {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const e = error as UiError;
    const details = e.details && typeof e.details === 'object' ? { details: e.details } : {};
    return { code: String(e.code), message: String(e.message), ...details };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Silence allowed while the data engine works: DuckDB runs blocking inside the worker, so between
 * two step messages of a load it cannot answer anything. A minute, and a minute more per 100 MB of
 * the file open (the longest step of a 257 MB file took well under that).
 */
export function dataQuietMs(fileBytes: number): number {
  return 60_000 + Math.ceil((60_000 * fileBytes) / 100e6);
}

export interface DataWorker {
  api: Comlink.Remote<DataWorkerApi>;
  /** Watches every call of `api`; step listeners report signs of life to it. */
  watchdog: WorkerWatchdog;
  terminate(): void;
}

/**
 * Starts the data worker; `onCrash` hears about a worker that died (e.g. out of memory), `hang`
 * about one that stopped answering (see workerWatchdog).
 */
export function startDataWorker(onCrash: (message: string) => void, hang: Pick<WatchdogOptions, 'onHang' | 'message' | 'quietMs'>): DataWorker {
  const worker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the data worker stopped unexpectedly'));
  const watchdog = new WorkerWatchdog(hang);
  return {
    api: watchedApi(Comlink.wrap<DataWorkerApi>(worker), watchdog),
    watchdog,
    terminate: () => {
      watchdog.stop();
      worker.terminate();
    },
  };
}
