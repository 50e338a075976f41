/**
 * The LSTM / GRU layer of a sequence model written on its weight variables (see sequenceForward.ts):
 * the input projections of all periods are computed at once, and no step slices a gate out of a
 * wider activation (on the CPU backend a strided slice costs far more than the step's arithmetic).
 */
import * as tf from '@tensorflow/tfjs';
import { expectActivation, layersOf, variableOf } from './layerVariables';
import type { SequenceModelShape } from './sequenceArchitecture';

/**
 * The recurrent encoder of `model`: takes the sequence time-major (periods × rows × channels) and
 * returns the last hidden state (rows × units), as the layer with returnSequences: false.
 */
export function recurrentEncoder(kind: 'lstm' | 'gru', model: tf.LayersModel, shape: SequenceModelShape): (seqT: tf.Tensor3D) => tf.Tensor2D {
  const { periods: P, channels: C } = shape;
  const rnn = layersOf(model, kind === 'lstm' ? 'LSTM' : 'GRU')[0];
  if (!rnn) throw new Error(`the model has no ${kind.toUpperCase()} layer`);
  expectActivation(rnn, 'activation', 'tanh');
  expectActivation(rnn, 'recurrentActivation', 'sigmoid');
  const [kernel, recurrent, bias] = [variableOf(rnn, 0), variableOf(rnn, 1), variableOf(rnn, 2)];
  const gates = kind === 'lstm' ? 4 : 3;
  return (seqT) => {
    const rows = seqT.shape[1];
    // Per-gate weights, sliced once per call: slicing a gate out of a rows × gates·U activation
    // at every step would cost more than the step's arithmetic on the CPU backend.
    const K = tf.split(kernel, gates, 1);
    const R = tf.split(recurrent, gates, 1);
    const B = tf.split(bias, gates, 0);
    const U = R[0].shape[0];
    // Input projections of every period at once; each step's rows are then a contiguous block.
    const flat = seqT.reshape([P * rows, C]);
    const X = K.map((k, g) => tf.unstack(tf.fused.matMul({ a: flat, b: k, bias: B[g] }).reshape([P, rows, U])) as tf.Tensor2D[]);
    if (kind === 'lstm') {
      // Keras gate order i, f, c (g), o: c_t = σ(f)·c + σ(i)·tanh(g), h_t = σ(o)·tanh(c_t).
      let c = tf.mul(tf.sigmoid(X[0][0]), tf.tanh(X[2][0]));
      let h = tf.mul(tf.sigmoid(X[3][0]), tf.tanh(c));
      for (let t = 1; t < P; t++) {
        const z = X.map((x, g) => tf.add(x[t], tf.matMul(h, R[g])));
        c = tf.add(tf.mul(tf.sigmoid(z[1]), c), tf.mul(tf.sigmoid(z[0]), tf.tanh(z[2])));
        h = tf.mul(tf.sigmoid(z[3]), tf.tanh(c));
      }
      return h as tf.Tensor2D;
    }
    // GRU as tfjs-layers (reset gate applied before the recurrent matMul), gate order z, r, h:
    // z, r = σ(x + h·U); ĥ = tanh(x_h + (r·h)·U_h); h_t = z·h + (1 − z)·ĥ = ĥ + z·(h − ĥ).
    let h = tf.mul(tf.sub(1, tf.sigmoid(X[0][0])), tf.tanh(X[2][0]));
    for (let t = 1; t < P; t++) {
      const zg = tf.sigmoid(tf.add(X[0][t], tf.matMul(h, R[0])));
      const rg = tf.sigmoid(tf.add(X[1][t], tf.matMul(h, R[1])));
      const hh = tf.tanh(tf.add(X[2][t], tf.matMul(tf.mul(rg, h), R[2])));
      h = tf.add(hh, tf.mul(zg, tf.sub(h, hh)));
    }
    return h as tf.Tensor2D;
  };
}
