/**
 * Errors a user can cause: a stable code for tests and the UI, and a sentence that says
 * what went wrong and what to do about it.
 */
export type ClvErrorCode =
  | 'EMPTY_FILE'
  | 'HEADER_ONLY'
  | 'BINARY_FILE'
  | 'IMAGE_FILE'
  | 'UNSUPPORTED_EXCEL'
  | 'UNSUPPORTED_FORMAT'
  | 'MALFORMED_FILE'
  | 'MISSING_ROLE'
  | 'UNKNOWN_COLUMN'
  | 'UNKNOWN_CURRENCY'
  | 'NO_PARSEABLE_DATES'
  | 'NO_NUMERIC_AMOUNTS'
  | 'NO_VALID_ROWS'
  | 'TOO_FEW_CUSTOMERS'
  | 'BAD_PERIOD'
  | 'BAD_ARGUMENT'
  | 'NO_DATA_LOADED'
  | 'TOO_MANY_REJECTS'
  | 'AMBIGUOUS_DATES'
  | 'AMBIGUOUS_DECIMAL'
  | 'INCOMPLETE_FILE'
  | 'UNSUPPORTED_ENCODING'
  | 'FILE_TOO_LARGE'
  | 'NESTED_DATA'
  | 'MANGLED_IDS'
  | 'LEDGER_PAYMENTS'
  | 'LEDGER_JOURNAL'
  | 'CUSTOMER_SUMMARY'
  | 'TOO_MANY_COLUMNS'
  | 'DEGENERATE_HORIZON'
  | 'BUNDLE_CORRUPT'
  | 'BUNDLE_VERSION'
  | 'BUNDLE_KIND'
  | 'BUNDLE_FEATURES_MISSING'
  | 'BUNDLE_HISTORY_SHORT'
  | 'BUNDLE_NO_SCORE'
  | 'NATIVE_ENGINE_MISSING'
  | 'SHARDS_MISMATCH'
  // Raised by the app around the workers rather than by the core:
  | 'CANCELLED'
  | 'SUPERSEDED'
  | 'WORKER_HUNG'
  | 'WORKER_CRASHED'
  | 'RESTORE_FAILED'
  | 'SAMPLE_MISSING'
  | 'SEVERAL_FILES'
  | 'NO_MODELS'
  | 'NO_BUNDLE';

/** Machine-readable facts behind an error, for the app (to show) and the CLI (to name a flag). */
export type ErrorDetails = Record<string, unknown>;

export class ClvError extends Error {
  readonly code: ClvErrorCode;
  readonly details?: ErrorDetails;
  constructor(code: ClvErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'ClvError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** A trap inside WebAssembly (out-of-bounds access, unreachable, …): the engine that raised it is broken. */
export const ENGINE_FAILED = 'ENGINE_FAILED';
/** Anything else that was not meant to happen (a bug): not the user's doing. */
export const INTERNAL = 'INTERNAL';

/** Every code an error can carry to the user: theirs to fix (ClvErrorCode), or a failure of the app. */
export type ErrorCode = ClvErrorCode | typeof ENGINE_FAILED | typeof INTERNAL;

/**
 * An error as it crosses a thread (or reaches the page): a plain object. User errors keep their
 * code, message and details; internal errors keep the name and stack of what was thrown, so a
 * bug inside a worker can still be traced from the page.
 */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
  /** The thrown error's class name (TypeError, RuntimeError, …), for internal errors. */
  name?: string;
  stack?: string;
  /**
   * The engine's own text of an internal error (DuckDB, tfjs, the runtime): kept for logs, the
   * console and recovery decisions, never shown as the message.
   */
  technical?: string;
}

/** Whether `value` already is an ErrorInfo (an error relayed from another thread). */
export function isErrorInfo(value: unknown): value is ErrorInfo {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && typeof (value as ErrorInfo).code === 'string' && typeof (value as ErrorInfo).message === 'string';
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ClvError) return error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details };
  if (isErrorInfo(error)) return error;
  const origin = error instanceof Error ? { name: error.name, ...(error.stack === undefined ? {} : { stack: error.stack }) } : {};
  const message = error instanceof Error ? error.message : String(error);
  if (typeof WebAssembly === 'object' && error instanceof WebAssembly.RuntimeError) {
    return { code: ENGINE_FAILED, message: 'The engine stopped working and is being restarted. Your file and settings are kept; try again.', technical: message, ...origin };
  }
  return {
    code: INTERNAL,
    message: 'Something unexpected went wrong inside the engine. Try again; if it happens again with this file, check the file (or save it as CSV) and report it.',
    technical: message,
    ...origin,
  };
}
