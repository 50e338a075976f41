import type { UiError } from './dataClient';

/** WASM aborts and traps (e.g. out of memory) leave an engine unusable: the worker must be restarted. */
const ENGINE_DIED = /out of memory|allocation failed|Cannot enlarge memory|memory access out of bounds|RuntimeError|unreachable|Aborted\(/i;

/** Whether a failed call means its worker's engine is dead, rather than a mistake to report. */
export function isFatalEngineError(error: UiError): boolean {
  return error.code === 'INTERNAL' && ENGINE_DIED.test(error.message);
}
