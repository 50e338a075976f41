import { describe, expect, it } from 'vitest';
import { ClvError, toErrorInfo } from '../../src/core/errors';
import { asUiError } from '../../src/ui/dataClient';
import { isFatalEngineError } from '../../src/ui/engineFailure';

/** What the page receives for an error thrown inside a worker (worker: toErrorInfo, page: asUiError). */
function received(error: unknown) {
  return asUiError(toErrorInfo(error));
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

// A module whose only function executes `unreachable`: the trap a broken wasm engine raises.
const TRAP = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
// f() = i32.div_s(1, 0): traps with "divide by zero".
const DIVIDE_BY_ZERO = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 9, 1, 7, 0, 65, 1, 65, 0, 109, 11]);

describe('fatal engine errors', () => {
  it('treats a wasm trap and a failed allocation as the death of the engine', () => {
    const trap = thrown(() => (new WebAssembly.Instance(new WebAssembly.Module(TRAP)).exports.f as () => void)());
    expect(trap).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(received(trap).code).toBe('ENGINE_FAILED');
    expect(isFatalEngineError(received(trap))).toBe(true);
    // Any trap, not only `unreachable`: an integer division by zero.
    const divide = new WebAssembly.Instance(new WebAssembly.Module(DIVIDE_BY_ZERO)).exports.f as () => number;
    expect(isFatalEngineError(received(thrown(divide)))).toBe(true);
    expect(isFatalEngineError(received(thrown(() => new ArrayBuffer(2 ** 40))))).toBe(true);
    expect(isFatalEngineError(received(new Error('Aborted(OOM). Build with -sASSERTIONS for more info.')))).toBe(true);
  });

  it('reports the user’s own mistakes and ordinary bugs instead of restarting', () => {
    expect(isFatalEngineError(received(new ClvError('BAD_PERIOD', 'No customer bought anything up to the cutoff; out of memory is not the point')))).toBe(false);
    expect(isFatalEngineError(received(new TypeError("Cannot read properties of undefined (reading 'x')")))).toBe(false);
  });
});
