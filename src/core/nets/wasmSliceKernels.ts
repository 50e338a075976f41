/**
 * Contiguous slices on the WASM backend without copying the whole input. tfjs-backend-wasm 4.22's
 * Slice kernel reads its entire input out of the heap (`readSync`, a copy) before it copies out the
 * slice, and its Unpack kernel takes one such slice per output: unstacking a sequence of P periods
 * copies the sequence P times. The sequence nets unstack every batch along the period axis, forward
 * and (as Stack's gradient) back, so on WASM that copying was most of their training time.
 *
 * Replaced here, for the WASM backend only: a slice that is one contiguous block of its input, and
 * Unpack along the first axis, copy each output straight from a view of the heap. Every other case
 * (strided slices, other axes, strings) goes to the library's own kernel. Same values, same shapes:
 * test/unit/wasmSliceKernels.test.ts compares them with slices taken in plain JavaScript.
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type TensorInfo = tf.TensorInfo;

/** The parts of tfjs-backend-wasm's BackendWasm used here (public methods of the class). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const HEAP_TYPES: ReadonlySet<tf.DataType> = new Set(['float32', 'int32', 'bool']);

/** Copies `count` elements of `source` from `offset` into `target` (heap views taken after every allocation). */
function copyBlock(backend: WasmBackend, source: TensorInfo, offset: number, target: TensorInfo, count: number): void {
  if (count === 0) return;
  backend.typedArrayFromHeap(target).set(backend.typedArrayFromHeap(source).subarray(offset, offset + count));
}

function contiguousSlice(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    if (!HEAP_TYPES.has(x.dtype) || !tf.slice_util.isSliceContinous(x.shape, begin_, size_)) return fallback(args);
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput(size_, x.dtype);
    const offset = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
    copyBlock(backend, x, offset, out, tf.util.sizeFromShape(size_));
    return out;
  };
}

function firstAxisUnpack(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const value = args.inputs.value as TensorInfo;
    const axis = (args.attrs as unknown as { axis: number }).axis;
    const rank = value.shape.length;
    if (!HEAP_TYPES.has(value.dtype) || (axis !== 0 && axis !== -rank)) return fallback(args);
    const backend = args.backend as unknown as WasmBackend;
    const outShape = value.shape.slice(1);
    const count = tf.util.sizeFromShape(outShape);
    // Every output allocated first: an allocation may grow the heap, which detaches older views.
    const outs = Array.from({ length: value.shape[0] }, () => backend.makeOutput(outShape, value.dtype));
    outs.forEach((out, i) => copyBlock(backend, value, i * count, out, count));
    return outs;
  };
}

const REPLACEMENTS: ReadonlyArray<[string, (fallback: tf.KernelFunc) => tf.KernelFunc]> = [
  ['Slice', contiguousSlice],
  ['Unpack', firstAxisUnpack],
];

/** Puts the contiguous Slice and Unpack in place of the WASM backend's (once; later calls do nothing). */
export function installWasmSliceKernels(): void {
  for (const [kernelName, make] of REPLACEMENTS) {
    const library = tf.getKernel(kernelName, 'wasm');
    if (!library || (library as { replaced?: true }).replaced) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...library, kernelFunc: make(library.kernelFunc), replaced: true } as tf.KernelConfig);
  }
}
