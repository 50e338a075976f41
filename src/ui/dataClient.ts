import * as Comlink from 'comlink';
import { toErrorInfo, type ErrorCode, type ErrorInfo } from '../core/errors';
import type { DataWorkerApi } from '../../workers/contracts';
import { WorkerWatchdog, watchedApi, type WatchdogOptions } from './workerWatchdog';

/** An error as the page shows it: what a worker threw (toErrorInfo), or what failed on the page. */
export type UiError = ErrorInfo;

/** Keeps a relayed error's code, message and details (or an internal error's name and stack). */
export function asUiError(error: unknown): UiError {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const e = error as UiError;
    const details = e.details && typeof e.details === 'object' ? { details: e.details } : {};
    const name = typeof e.name === 'string' ? { name: e.name } : {};
    const stack = typeof e.stack === 'string' ? { stack: e.stack } : {};
    const technical = typeof e.technical === 'string' ? { technical: e.technical } : {};
    return { code: String(e.code) as ErrorCode, message: String(e.message), ...details, ...name, ...stack, ...technical };
  }
  // Failed on the page itself (a message that could not be cloned, …): the same plain sentence,
  // with the runtime's text kept aside as for a worker's internal error.
  return toErrorInfo(error);
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
