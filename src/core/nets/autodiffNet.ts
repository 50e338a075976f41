import * as tf from '@tensorflow/tfjs';
import type { TrainableNet, TrainForward } from './trainer';

/**
 * Adapts a differentiable forward function over tf.Variables to the trainer's TrainableNet, for
 * nets without a hand-written backward pass (sequence models, the autoencoder): backward(dOut) is
 * the gradient of Σ out ⊙ dOut, i.e. Jᵀ·dOut, from tfjs autodiff. It re-runs the forward pass under
 * the gradient tape (one extra forward per batch), so the forward must be deterministic for given
 * weights (no dropout).
 */
export class AutodiffNet implements TrainableNet {
  readonly trainableWeights: tf.Variable[];
  readonly stateWeights: tf.Variable[];

  constructor(
    private readonly forward: (x: tf.Tensor2D) => tf.Tensor2D,
    trainable: tf.Variable[],
    state: tf.Variable[] = trainable,
  ) {
    this.trainableWeights = trainable;
    this.stateWeights = state;
  }

  /** The tf.Variables behind a tfjs-layers model's weights. */
  static variablesOf(model: tf.LayersModel): { trainable: tf.Variable[]; state: tf.Variable[] } {
    const read = (w: tf.LayerVariable) => w.read() as tf.Variable;
    return { trainable: model.trainableWeights.map(read), state: model.weights.map(read) };
  }

  trainForward(x: tf.Tensor2D): TrainForward {
    const out = this.forward(x);
    const backward = (dOut: tf.Tensor2D): tf.Tensor[] => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(this.forward(x), dOut)) as tf.Scalar, this.trainableWeights);
      // A weight the output does not depend on gets no entry: its gradient is zero.
      return this.trainableWeights.map((w) => grads[w.name] ?? tf.zerosLike(w));
    };
    return { out, backward };
  }

  inference(): { apply(x: tf.Tensor2D): tf.Tensor2D; dispose(): void } {
    return { apply: (x) => this.forward(x), dispose: () => {} };
  }
}
