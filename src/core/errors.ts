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
  | 'NO_PARSEABLE_DATES'
  | 'NO_NUMERIC_AMOUNTS'
  | 'NO_VALID_ROWS'
  | 'TOO_FEW_CUSTOMERS'
  | 'BAD_PERIOD'
  | 'BAD_ARGUMENT'
  | 'NO_DATA_LOADED'
  | 'TOO_MANY_REJECTS'
  | 'AMBIGUOUS_DATES'
  | 'INCOMPLETE_FILE'
  | 'UNSUPPORTED_ENCODING'
  | 'FILE_TOO_LARGE'
  | 'NESTED_DATA'
  | 'TOO_MANY_COLUMNS'
  | 'DEGENERATE_HORIZON'
  | 'BUNDLE_CORRUPT'
  | 'BUNDLE_VERSION'
  | 'BUNDLE_KIND'
  | 'BUNDLE_FEATURES_MISSING'
  | 'NATIVE_ENGINE_MISSING'
  | 'SHARDS_MISMATCH';

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

/** Errors cross worker boundaries as plain objects; this keeps code and message intact. */
export interface ErrorInfo {
  code: string;
  message: string;
  details?: ErrorDetails;
}

/** A trap inside WebAssembly (out-of-bounds access, unreachable, …): the engine that raised it is broken. */
export const ENGINE_FAILED = 'ENGINE_FAILED';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ClvError) return error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details };
  const message = error instanceof Error ? error.message : String(error);
  if (typeof WebAssembly === 'object' && error instanceof WebAssembly.RuntimeError) {
    return { code: ENGINE_FAILED, message: `The engine failed inside WebAssembly: ${message}` };
  }
  return { code: 'INTERNAL', message: `Something went wrong inside the engine: ${message}` };
}
