/**
 * The buffers the page hands to the model worker with Comlink.transfer (src/ui/studio/inputBuffers.ts):
 * every array of the forecast windows and of a bundle's scoring inputs, each buffer once, so the
 * structured clone moves them (the arrays here are emptied, the copy holds the values) instead of
 * copying n × 52 × 2 sequence floats per window.
 */
import { describe, expect, it } from 'vitest';
import type { ForecastWindows, TrainingInputs } from '../../workers/contracts';
import { featureBuffers, forecastWindowBuffers, trainingInputBuffers } from '../../src/ui/studio/inputBuffers';

function window(n: number, seed: number): TrainingInputs {
  const fill = <T extends Float32Array | Float64Array>(a: T) => (a.forEach((_, i) => (a[i] = seed + i / 7)), a);
  const btyd = {
    frequency: fill(new Float64Array(n)),
    recency: fill(new Float64Array(n)),
    T: fill(new Float64Array(n)),
    monetary: fill(new Float64Array(n)),
    logSpend: { days: fill(new Float64Array(n)), mean: fill(new Float64Array(n)), squares: fill(new Float64Array(n)) },
  };
  return {
    // The features carry the same purchase summaries as the window (one object, as the data worker sends them).
    data: { customerIds: Array.from({ length: n }, (_, i) => `c${i}`), featureNames: ['a', 'b'], features: fill(new Float32Array(n * 2)), targetNames: ['t'], targets: fill(new Float32Array(n)), btyd, unit: 'week' },
    btyd,
    visitanteScore: fill(new Float64Array(n)),
    horizonDays: null,
    unit: 'week',
    sequences: { periods: 52, channels: 2, values: fill(new Float32Array(n * 52 * 2)) },
  };
}

/** Every typed array reachable from `value`. */
function typedArrays(value: unknown, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (ArrayBuffer.isView(value)) out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) typedArrays(v, out);
  return out;
}

describe('buffers transferred to the model worker', () => {
  it('names every buffer of both forecast windows once; transferring them moves the values', () => {
    const windows: ForecastWindows = { present: window(30, 1), past: window(20, 5), firstDay: '2020-01-01', lastDay: '2021-01-01' };
    const arrays = typedArrays(windows);
    const expected = new Set(arrays.map((a) => a.buffer));
    const buffers = forecastWindowBuffers(windows);
    expect(new Set(buffers)).toEqual(expected);
    expect(buffers).toHaveLength(expected.size);
    const before = arrays.map((a) => Array.from(a as Float32Array));
    // A list naming one buffer twice cannot be transferred at all (what the de-duplication avoids).
    expect(() => structuredClone(windows.present.btyd, { transfer: [windows.present.btyd.T.buffer, windows.present.btyd.T.buffer] })).toThrow();
    const moved = structuredClone({ model: 'lstm', windows }, { transfer: buffers });
    expect(arrays.every((a) => a.byteLength === 0)).toBe(true);
    expect(typedArrays(moved.windows).map((a) => Array.from(a as Float32Array))).toEqual(before);
  });

  it('a window without a past one and without sequences', () => {
    const present = { ...window(10, 2), sequences: null };
    const buffers = forecastWindowBuffers({ present, past: null, firstDay: '2020-01-01', lastDay: '2021-01-01' });
    expect(new Set(buffers)).toEqual(new Set(typedArrays(present).map((a) => a.buffer)));
    expect(trainingInputBuffers(present)).toEqual(buffers);
  });

  it("a bundle's scoring inputs: the features' arrays and the sequence values, not the bundle", () => {
    const inputs = window(12, 3);
    const bundle = new Uint8Array([1, 2, 3]);
    const buffers = featureBuffers(inputs.data, inputs.sequences);
    expect(new Set(buffers)).toEqual(new Set([...typedArrays(inputs.data), inputs.sequences!.values].map((a) => a.buffer)));
    expect(buffers).not.toContain(bundle.buffer);
    const values = Array.from(inputs.sequences!.values);
    const [, data, sequences] = structuredClone([bundle, inputs.data, inputs.sequences], { transfer: buffers });
    expect(inputs.sequences!.values.byteLength).toBe(0);
    expect(Array.from(sequences!.values)).toEqual(values);
    expect(data.features).toHaveLength(24);
    expect(bundle.byteLength).toBe(3);
  });
});
