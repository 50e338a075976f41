import { describe, expect, it } from 'vitest';
import type { DuckDBBindings } from 'duckdb-browser-blocking';
import { heapToTouch, touchHeap, warmsUp, WARMUP_HEAP_BYTES } from '../../workers/warmupRunner';

/** A stand-in for DuckDB-WASM's emscripten module: a heap, and malloc/free that record their calls. */
function fakeBindings(heapBytes: number, mallocFails = false) {
  const calls: string[] = [];
  const mod = {
    HEAPU8: new Uint8Array(heapBytes).fill(7),
    _malloc: (n: number) => {
      calls.push(`malloc ${n}`);
      return mallocFails ? 0 : 16;
    },
    _free: (p: number) => calls.push(`free ${p}`),
  };
  return { bindings: { mod } as unknown as DuckDBBindings, mod, calls };
}

describe('heap written once by the warm-up', () => {
  it('only on devices that report 8 GB or more', () => {
    expect(heapToTouch(8)).toBe(WARMUP_HEAP_BYTES);
    expect(heapToTouch(32)).toBe(WARMUP_HEAP_BYTES);
    expect(heapToTouch(4)).toBe(0);
    expect(heapToTouch(0.5)).toBe(0);
    expect(heapToTouch(undefined)).toBe(0);
  });

  it('the pipeline warm-up itself is skipped on devices that report less than 4 GB', () => {
    expect(warmsUp(undefined)).toBe(true);
    expect(warmsUp(4)).toBe(true);
    expect(warmsUp(8)).toBe(true);
    expect(warmsUp(2)).toBe(false);
    expect(warmsUp(0.25)).toBe(false);
  });

  it('allocates, writes every byte of the block, and frees it', () => {
    const { bindings, mod, calls } = fakeBindings(64);
    expect(touchHeap(bindings, 32)).toBe(32);
    expect(calls).toEqual(['malloc 32', 'free 16']);
    expect(Array.from(mod.HEAPU8.subarray(16, 48)).every((b) => b === 0)).toBe(true);
    expect(mod.HEAPU8[15]).toBe(7);
    expect(mod.HEAPU8[48]).toBe(7);
  });

  it('reads a pointer above 2 GiB as unsigned', () => {
    const calls: string[] = [];
    const mod = { HEAPU8: { fill: (_v: number, start: number, end: number) => calls.push(`fill ${start}..${end}`) }, _malloc: () => -2_147_483_648, _free: (p: number) => calls.push(`free ${p}`) };
    expect(touchHeap({ mod } as unknown as DuckDBBindings, 8)).toBe(8);
    expect(calls).toEqual(['fill 2147483648..2147483656', 'free 2147483648']);
  });

  it('does nothing when the allocation fails or nothing is asked', () => {
    const failing = fakeBindings(64, true);
    expect(touchHeap(failing.bindings, 32)).toBe(0);
    expect(failing.calls).toEqual(['malloc 32']);
    const none = fakeBindings(64);
    expect(touchHeap(none.bindings, 0)).toBe(0);
    expect(none.calls).toEqual([]);
  });
});
