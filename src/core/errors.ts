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
  | 'NO_DATA_LOADED';

export class ClvError extends Error {
  readonly code: ClvErrorCode;
  constructor(code: ClvErrorCode, message: string) {
    super(message);
    this.name = 'ClvError';
    this.code = code;
  }
}

/** Errors cross worker boundaries as plain objects; this keeps code and message intact. */
export interface ErrorInfo {
  code: string;
  message: string;
}

/** A trap inside WebAssembly (out-of-bounds access, unreachable, …): the engine that raised it is broken. */
export const ENGINE_FAILED = 'ENGINE_FAILED';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ClvError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  if (typeof WebAssembly === 'object' && error instanceof WebAssembly.RuntimeError) {
    return { code: ENGINE_FAILED, message: `The engine failed inside WebAssembly: ${message}` };
  }
  return { code: 'INTERNAL', message: `Something went wrong inside the engine: ${message}` };
}
