/**
 * A sequence model's computation written directly on its weight variables, numerically the same
 * as model.apply / model.predict (test/unit/sequenceModels.test.ts checks this) but cheaper to run
 * and differentiate than tfjs-layers' generic layers: the encoder per architecture
 * (recurrentForward.ts, convolutionalForward.ts), then the dense head here.
 */
import * as tf from '@tensorflow/tfjs';
import { convolutionalEncoder } from './convolutionalForward';
import { expectActivation, layersOf, variableOf } from './layerVariables';
import { recurrentEncoder } from './recurrentForward';
import type { SequenceModelKind, SequenceModelShape } from './sequenceArchitecture';

/**
 * The model's forward pass. Takes the sequence time-major (periods × rows × channels) and the
 * standardised static features (rows × staticDim, or null); returns rows × 1.
 */
export function sequenceForward(
  kind: SequenceModelKind,
  model: tf.LayersModel,
  shape: SequenceModelShape,
): (seqT: tf.Tensor3D, staticX: tf.Tensor2D | null) => tf.Tensor2D {
  const dense = layersOf(model, 'Dense');
  if (dense.length !== 2) throw new Error(`expected 2 Dense layers, found ${dense.length}`);
  expectActivation(dense[0], 'activation', 'relu');
  expectActivation(dense[1], 'activation', 'linear');
  const [W1, b1, W2, b2] = [variableOf(dense[0], 0), variableOf(dense[0], 1), variableOf(dense[1], 0), variableOf(dense[1], 1)];

  // The recurrent nets' last state (rows × units) or the CNN's feature maps, time-major (length × rows × filters).
  const encode: (seqT: tf.Tensor3D) => tf.Tensor2D | tf.Tensor3D = kind === 'lstm' || kind === 'gru' ? recurrentEncoder(kind, model, shape) : convolutionalEncoder(model);

  return (seqT, staticX) =>
    tf.tidy((): tf.Tensor2D => {
      const encoded = encode(seqT);
      // Dense on [flatten(encoded) ‖ static] as a sum over W1's row blocks (contiguous slices), which
      // spares the concat and, for the CNN, the transpose back to Keras's rows × (length·filters).
      // (A copy: the array tf.unstack returns is its op's output list on the gradient tape.)
      const blocks = encoded.rank === 3 ? ([...tf.unstack(encoded)] as tf.Tensor2D[]) : [encoded as tf.Tensor2D];
      const sizes = blocks.map((b) => b.shape[1]);
      if (staticX !== null) {
        blocks.push(staticX);
        sizes.push(staticX.shape[1]);
      }
      // tfjs's SplitV gradient fails for a one-way split.
      const parts = blocks.length === 1 ? [W1] : tf.split(W1, sizes, 0);
      let pre: tf.Tensor = tf.fused.matMul({ a: blocks[0], b: parts[0], bias: b1 });
      for (let i = 1; i < blocks.length; i++) pre = tf.add(pre, tf.matMul(blocks[i], parts[i]));
      return tf.fused.matMul({ a: tf.relu(pre) as tf.Tensor2D, b: W2, bias: b2 }) as tf.Tensor2D;
    });
}

/** Splits the trainer's packed rows (sequencePreprocessing.ts) into the model's inputs and runs the forward pass. */
export function packedForward(model: tf.LayersModel, kind: SequenceModelKind, shape: SequenceModelShape): (x: tf.Tensor2D) => tf.Tensor2D {
  const seqWidth = shape.periods * shape.channels;
  const forward = sequenceForward(kind, model, shape);
  return (x) =>
    tf.tidy(() => {
      const rows = x.shape[0];
      const seq = tf.slice(x, [0, 0], [rows, seqWidth]).reshape([rows, shape.periods, shape.channels]);
      const staticX = shape.staticDim > 0 ? tf.slice(x, [0, seqWidth], [rows, shape.staticDim]) : null;
      return forward(tf.transpose(seq, [1, 0, 2]) as tf.Tensor3D, staticX);
    });
}
