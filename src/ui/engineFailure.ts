import { ENGINE_FAILED } from '../core/errors';
import type { UiError } from './dataClient';

/**
 * Aborts and failed allocations that reach the page as plain errors (emscripten's "Aborted(OOM)",
 * a failed ArrayBuffer) leave an engine unusable too; traps arrive classified as ENGINE_FAILED.
 */
const ENGINE_DIED = /out of memory|allocation failed|Cannot enlarge memory|memory access out of bounds|Aborted\(/i;

/** Whether a failed call means its worker's engine is dead (restart it), rather than a mistake to report. */
export function isFatalEngineError(error: UiError): boolean {
  return error.code === ENGINE_FAILED || (error.code === 'INTERNAL' && ENGINE_DIED.test(error.technical ?? error.message));
}
