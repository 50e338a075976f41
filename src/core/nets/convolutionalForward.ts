/**
 * The CNN layers of a sequence model (Conv1D → MaxPool1D(2) → Conv1D) written on their weight
 * variables (see sequenceForward.ts). Time-major, a 1-D convolution is a sum of k matMuls of
 * shifted copies of the sequence (slices along the leading axis, i.e. contiguous): no im2col
 * transpose, and the kernel's gradient is plain matMuls instead of the CPU backend's slow
 * Conv2DBackpropFilter.
 */
import * as tf from '@tensorflow/tfjs';
import { expectActivation, layersOf, variableOf } from './layerVariables';

/** One Conv1D layer ('same' padding, ReLU) on a time-major length × rows × channels tensor. */
function convolution(layer: tf.layers.Layer): (x: tf.Tensor3D) => tf.Tensor3D {
  expectActivation(layer, 'activation', 'relu');
  if (layer.getConfig().padding !== 'same') throw new Error(`${layer.name}: only "same" padding is supported`);
  const kernel = variableOf(layer, 0);
  const bias = variableOf(layer, 1);
  const [k, cin, f] = kernel.shape;
  // 'same' padding as TensorFlow: the odd extra zero (even k) goes after the sequence.
  const before = Math.floor((k - 1) / 2);
  return (x) => {
    const [len, rows] = x.shape;
    const taps = tf.unstack(kernel) as tf.Tensor2D[];
    const padded = tf.concat(
      [...(before > 0 ? [tf.zeros([before, rows, cin])] : []), x, ...(k - 1 - before > 0 ? [tf.zeros([k - 1 - before, rows, cin])] : [])],
      0,
    );
    let y: tf.Tensor = tf.fused.matMul({ a: tf.slice(padded, [0, 0, 0], [len, rows, cin]).reshape([len * rows, cin]), b: taps[0], bias });
    for (let j = 1; j < k; j++) y = tf.add(y, tf.matMul(tf.slice(padded, [j, 0, 0], [len, rows, cin]).reshape([len * rows, cin]), taps[j]));
    return tf.relu(y).reshape([len, rows, f]) as tf.Tensor3D;
  };
}

/**
 * The convolutional encoder of `model`: takes the sequence time-major (periods × rows × channels)
 * and returns the last Conv1D's feature maps, time-major (length × rows × filters).
 */
export function convolutionalEncoder(model: tf.LayersModel): (seqT: tf.Tensor3D) => tf.Tensor3D {
  const convs = layersOf(model, 'Conv1D');
  if (convs.length !== 2) throw new Error(`expected 2 Conv1D layers, found ${convs.length}`);
  const pooled = layersOf(model, 'MaxPooling1D').length > 0;
  const [conv1, conv2] = convs.map(convolution);
  return (seqT) => {
    let h = conv1(seqT);
    if (pooled) {
      // MaxPooling1D(2, stride 2, valid): the larger of each pair of periods; an odd last one is dropped.
      const steps = tf.unstack(h);
      const pairs: tf.Tensor[] = [];
      for (let t = 0; t + 1 < steps.length; t += 2) pairs.push(tf.maximum(steps[t], steps[t + 1]));
      h = tf.stack(pairs) as tf.Tensor3D;
    }
    return conv2(h);
  };
}
