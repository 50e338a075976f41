/**
 * Reading a tfjs-layers model's weights as the tf.Variables the hand-written forward passes
 * (fnn.ts, sequenceForward.ts) compute with, and checking that a layer is what they assume.
 */
import * as tf from '@tensorflow/tfjs';

/** The tf.Variable behind weight `index` of a layer (tfjs-layers wraps it in a LayerVariable). */
export function variableOf(layer: tf.layers.Layer, index: number): tf.Variable {
  return layer.weights[index].read() as tf.Variable;
}

/** The model's layers of one class ('Dense', 'LSTM', 'Conv1D', …), in order. */
export function layersOf(model: tf.LayersModel, className: string): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === className);
}

/** `layer`'s activation must be what a hand-written forward pass computes. */
export function expectActivation(layer: tf.layers.Layer, key: string, wanted: string): void {
  const got = layer.getConfig()[key];
  if (got !== wanted) throw new Error(`${layer.name}: ${key} is ${String(got)}, the fast forward pass supports only ${wanted}`);
}
