/**
 * The WASM backend's contiguous Slice and first-axis Unpack (src/core/nets/wasmSliceKernels.ts):
 * in place once the backend is active, and every result equal to a slice taken here in plain
 * JavaScript from the tensor's own values — contiguous and strided slices, every rank up to 4,
 * float32, int32 and bool, empty slices, Unpack along the first and other axes, gradients through
 * both, and an Unpack large enough to grow the WASM heap while it allocates its outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { Rng } from '../../src/core/random';

/** Row-major strides of `shape`. */
const stridesOf = (shape: number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));

/** The slice [begin, begin + size) of a row-major array of `shape`, element by element. */
function referenceSlice(values: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] {
  const strides = stridesOf(shape);
  const out: number[] = [];
  const total = size.reduce((a, b) => a * b, 1);
  for (let k = 0; k < total; k++) {
    let rest = k;
    let flat = 0;
    for (let d = size.length - 1; d >= 0; d--) {
      flat += (begin[d] + (rest % size[d])) * strides[d];
      rest = Math.floor(rest / size[d]);
    }
    out.push(values[flat]);
  }
  return out;
}

function randomValues(n: number, dtype: 'float32' | 'int32' | 'bool', rng: Rng): number[] {
  return Array.from({ length: n }, () => (dtype === 'float32' ? rng.normal(0, 1) : dtype === 'int32' ? rng.int(1000) - 500 : rng.int(2)));
}

beforeAll(async () => {
  expect((await activateBackend('wasm')).backend).toBe('wasm');
});

describe('WASM slices taken from the heap', () => {
  it('replaces the library kernels once the backend is active', () => {
    for (const name of ['Slice', 'Unpack']) expect((tf.getKernel(name, 'wasm') as { replaced?: boolean }).replaced, name).toBe(true);
  });

  it('slices every rank and dtype as the reference does, contiguous or not', () => {
    const rng = new Rng(7);
    const shapes = [[11], [5, 7], [4, 3, 6], [3, 4, 2, 5]];
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (const shape of shapes) {
        const n = shape.reduce((a, b) => a * b, 1);
        const values = randomValues(n, dtype, rng);
        const x = tf.tensor(values, shape, dtype);
        const stored = x.dataSync();
        for (let trial = 0; trial < 12; trial++) {
          // A mix of whole trailing axes (contiguous), partial ones (strided) and empty sizes.
          const whole = trial % 3 === 0;
          const begin = shape.map((s, d) => (whole && d > 0 ? 0 : rng.int(s)));
          const size = shape.map((s, d) => (whole && d > 0 ? s : rng.int(s - begin[d] + 1)));
          const y = tf.slice(x, begin, size);
          expect(y.shape).toEqual(size);
          expect(y.dtype).toBe(dtype);
          expect(Array.from(y.dataSync()), `${dtype} ${shape} [${begin}] [${size}]`).toEqual(referenceSlice(stored, shape, begin, size));
          y.dispose();
        }
        x.dispose();
      }
    }
  });

  it('unstacks along the first axis and along the others as the reference does', () => {
    const rng = new Rng(11);
    const shape = [6, 4, 3];
    const values = randomValues(72, 'float32', rng);
    const x = tf.tensor3d(values, shape as [number, number, number]);
    const stored = x.dataSync();
    for (let axis = 0; axis < 3; axis++) {
      const parts = tf.unstack(x, axis);
      expect(parts).toHaveLength(shape[axis]);
      parts.forEach((part, i) => {
        const begin = shape.map((_, d) => (d === axis ? i : 0));
        const size = shape.map((s, d) => (d === axis ? 1 : s));
        expect(part.shape).toEqual(shape.filter((_, d) => d !== axis));
        expect(Array.from(part.dataSync())).toEqual(referenceSlice(stored, shape, begin, size));
      });
      tf.dispose(parts);
    }
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    expect(tf.unstack(ints).map((t) => Array.from(t.dataSync()))).toEqual([[1, 2], [3, 4], [5, 6]]);
    tf.dispose([x, ints]);
  });

  it('passes gradients through unstack and slice', () => {
    const rng = new Rng(3);
    const x = tf.tensor3d(randomValues(5 * 2 * 3, 'float32', rng), [5, 2, 3]);
    const weights = Array.from({ length: 5 }, (_, t) => t + 1);
    // d/dx Σ_t w_t · Σ x[t] = w_t everywhere in period t.
    const grad = tf.grad((v: tf.Tensor) => tf.addN(tf.unstack(v).map((step, t) => tf.mul(tf.sum(step), weights[t]))))(x);
    expect(Array.from(grad.dataSync())).toEqual(weights.flatMap((w) => Array(6).fill(w)));
    // d/dx Σ x[1:3] = 1 inside the slice, 0 outside.
    const sliceGrad = tf.grad((v: tf.Tensor) => tf.sum(tf.slice(v, [1, 0, 0], [2, 2, 3])))(x);
    expect(Array.from(sliceGrad.dataSync())).toEqual([...Array(6).fill(0), ...Array(12).fill(1), ...Array(12).fill(0)]);
    tf.dispose([x, grad, sliceGrad]);
  });

  it('copies the right values when allocating the outputs grows the heap', () => {
    // 48 MiB in, 48 MiB out: the outputs' allocation outgrows the heap the input was written into.
    const periods = 24;
    const per = (1 << 19) + 3;
    const values = new Float32Array(periods * per);
    for (let i = 0; i < values.length; i++) values[i] = (i % 9973) - 4000.5;
    const x = tf.tensor2d(values, [periods, per]);
    const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
    const before = heapBytes();
    const parts = tf.unstack(x);
    expect(heapBytes()).toBeGreaterThan(before);
    parts.forEach((part, t) => {
      const got = part.dataSync();
      expect(got.length).toBe(per);
      for (const j of [0, 1, per >> 1, per - 1]) expect(got[j], `period ${t}, element ${j}`).toBe(values[t * per + j]);
    });
    tf.dispose([x, ...parts]);
  });
});
