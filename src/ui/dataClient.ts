import * as Comlink from 'comlink';
import type { DataWorkerApi } from '../../workers/dataWorkerApi';

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

/** Starts the data worker; `onCrash` hears about a worker that died (e.g. out of memory). */
export function startDataWorker(onCrash: (message: string) => void): { api: Comlink.Remote<DataWorkerApi>; terminate(): void } {
  const worker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the data worker stopped unexpectedly'));
  return { api: Comlink.wrap<DataWorkerApi>(worker), terminate: () => worker.terminate() };
}
