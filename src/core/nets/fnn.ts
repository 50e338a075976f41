/**
 * The feed-forward network (FNN) of the seed project and its fast training path.
 *
 * Architecture (seed, exactly): d → [Dense h → BatchNorm → ReLU → Dropout p] for h in
 * 128, 256, 128, 64 with p = 0.3 → Dense k (k = 1 for regression, 3 for the ZILN head).
 *
 * The tfjs-layers model is the canonical container: it holds the weights, serialises them in the
 * standard Keras format and runs anywhere tfjs runs. Training does not go through it, though.
 * tfjs-layers training on the WASM backend spends most of its time in slow paths (measured in
 * test/bench/trainSpeed.ts): its Dense gradient multiplies by transposed operands, which
 * tfjs-backend-wasm 4.22 computes 8–16× slower than an explicit transpose followed by a plain
 * matMul; the BatchNorm gradient tiles its statistics across the batch. So the training engine
 * below writes the forward and backward passes by hand (explicit transposes, closed-form BatchNorm
 * gradient, batch means as average pools) on the model's own weight variables, and draws dropout masks
 * from the project PRNG (tfjs's seeded dropout repeats the same mask every batch).
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, type Rng } from '../random';
import { variableOf } from './layerVariables';
import type { TrainableNet, TrainForward } from './trainer';

export interface FnnConfig {
  /** Widths of the hidden Dense → BatchNorm → ReLU → Dropout blocks. */
  hidden: number[];
  /** Dropout rate after every hidden block (0 disables dropout). */
  dropout: number;
}

export const SEED_FNN_CONFIG: Readonly<FnnConfig> = Object.freeze({ hidden: [128, 256, 128, 64], dropout: 0.3 });

// PyTorch BatchNorm1d defaults, which the seed used. Keras counts momentum the other way round.
const BN_EPSILON = 1e-5;
const BN_MOMENTUM = 0.1;

/**
 * PyTorch's default nn.Linear initialisation (kaiming_uniform with a = √5, i.e. U(±1/√fan_in) for
 * weights and biases), seeded per layer so a fixed seed always builds the same network.
 */
function torchLinearInit(fanIn: number, seed: number, layer: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tf.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: deriveSeed(seed, 'fnn', layer, 'kernel'),
    }),
    biasInitializer: tf.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: deriveSeed(seed, 'fnn', layer, 'bias'),
    }),
  };
}

/** The tfjs-layers model of the architecture above with freshly initialised weights. */
export function buildFnnModel(inputDim: number, config: FnnConfig, outputs: number, seed: number): tf.Sequential {
  const model = tf.sequential();
  let fanIn = inputDim;
  config.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({ units, inputShape: i === 0 ? [inputDim] : undefined, ...torchLinearInit(fanIn, seed, i) }),
    );
    model.add(tf.layers.batchNormalization({ momentum: 1 - BN_MOMENTUM, epsilon: BN_EPSILON }));
    model.add(tf.layers.reLU());
    model.add(tf.layers.dropout({ rate: config.dropout }));
    fanIn = units;
  });
  model.add(tf.layers.dense({ units: outputs, ...torchLinearInit(fanIn, seed, config.hidden.length) }));
  return model;
}

/** A Dense layer's weights. */
interface DenseVars {
  W: tf.Variable;
  b: tf.Variable;
}

/** A hidden block's weights: its Dense layer and the BatchNorm after it. */
interface BlockVars extends DenseVars {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVar: tf.Variable;
}

interface DenseParams {
  W: tf.Tensor2D;
  b: tf.Tensor1D;
}

/** What a hidden block's backward pass needs from its forward pass. */
interface BlockCache {
  input: tf.Tensor2D;
  xhat: tf.Tensor2D;
  inv: tf.Tensor2D;
  /** ReLU derivative times the (scaled) dropout mask: the block's output is `z * gate`. */
  gate: tf.Tensor2D;
}

/**
 * Mean over the batch (rows) of a rows×units matrix, as 1×units. Computed as an average pool with
 * units as channels: on WASM that is ~10× faster than tf.mean(x, 0), which transposes first, and
 * than a matMul with a row of ones, which repacks x on every call.
 */
function columnMean(x: tf.Tensor): tf.Tensor2D {
  const [rows, units] = x.shape;
  return tf.avgPool(x.reshape([1, rows, 1, units]) as tf.Tensor4D, [rows, 1], 1, 'valid').reshape([1, units]);
}

/**
 * A dense layer whose input gradient uses an explicit transpose (the fast path on WASM, see the
 * file comment). Weights are constants here: only attributions differentiate inference.
 */
function denseInference(x: tf.Tensor2D, layer: DenseParams, relu: boolean): tf.Tensor2D {
  const run = tf.customGrad((input, save) => {
    const y = tf.fused.matMul({ a: input as tf.Tensor2D, b: layer.W, bias: layer.b, activation: relu ? 'relu' : 'linear' });
    (save as tf.GradSaveFunc)([y]);
    return {
      value: y,
      gradFunc: (dy, [saved]) => tf.matMul(relu ? tf.mul(dy, tf.step(saved)) : dy, tf.transpose(layer.W)),
    };
  });
  return run(x) as tf.Tensor2D;
}

/** The network in inference mode with BatchNorm folded into the preceding Dense layers. */
export class FoldedFnn {
  constructor(private readonly layers: DenseParams[]) {}

  /** Outputs (rows × k) for standardised inputs (rows × d). Differentiable with respect to x. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let a = x;
      this.layers.forEach((layer, i) => {
        a = denseInference(a, layer, i < this.layers.length - 1);
      });
      return a;
    });
  }

  dispose(): void {
    for (const layer of this.layers) tf.dispose([layer.W, layer.b]);
  }
}

/** The FNN: a tfjs-layers model plus the training engine that drives its weights. */
export class FnnNet implements TrainableNet {
  readonly inputDim: number;
  readonly outputs: number;
  readonly dropout: number;
  private readonly blocks: BlockVars[];
  private readonly output: DenseVars;

  constructor(readonly model: tf.LayersModel) {
    const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
    const norms = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    const dropout = model.layers.find((l) => l.getClassName() === 'Dropout');
    const inputShape = model.inputs[0].shape;
    this.inputDim = inputShape[inputShape.length - 1] as number;
    this.outputs = dense[dense.length - 1].getConfig().units as number;
    this.dropout = dropout ? (dropout.getConfig().rate as number) : 0;
    this.blocks = norms.map((bn, i) => ({
      W: variableOf(dense[i], 0),
      b: variableOf(dense[i], 1),
      gamma: variableOf(bn, 0),
      beta: variableOf(bn, 1),
      movingMean: variableOf(bn, 2),
      movingVar: variableOf(bn, 3),
    }));
    const last = dense[dense.length - 1];
    this.output = { W: variableOf(last, 0), b: variableOf(last, 1) };
  }

  static create(inputDim: number, config: FnnConfig, outputs: number, seed: number): FnnNet {
    return new FnnNet(buildFnnModel(inputDim, config, outputs, seed));
  }

  /** Gradient order of `backward`: W, b, γ, β of each hidden block, then W, b of the output layer. */
  get trainableWeights(): tf.Variable[] {
    return [...this.blocks.flatMap((k) => [k.W, k.b, k.gamma, k.beta]), this.output.W, this.output.b];
  }

  get stateWeights(): tf.Variable[] {
    return [...this.trainableWeights, ...this.blocks.flatMap((k) => [k.movingMean, k.movingVar])];
  }

  /** Sets the output layer's bias, e.g. to start a head at the marginal distribution of the target. */
  setOutputBias(bias: ArrayLike<number>): void {
    tf.tidy(() => this.output.b.assign(tf.tensor1d(Array.from(bias))));
  }

  /**
   * Inverted-dropout mask (0 or 1/(1−p)) for a rows×units activation, drawn in JavaScript for
   * every batch, so it is written for speed: each 32-bit draw yields two 16-bit uniforms (the drop
   * probability becomes round(p·65536)/65536, within 1e-5 of p), and keep/drop is computed without
   * a branch (a random branch mispredicts constantly; this is ~5× faster).
   */
  private dropoutMask(rows: number, units: number, rng: Rng): tf.Tensor2D {
    const size = rows * units;
    const mask = new Float32Array(size + (size & 1));
    const threshold = Math.round(this.dropout * 65536);
    const keep = 1 / (1 - this.dropout);
    for (let i = 0; i < size; i += 2) {
      const r = rng.nextUint32();
      // (u − threshold) >>> 31 is 1 exactly when u < threshold, i.e. when the unit is dropped.
      mask[i] = (1 - (((r & 0xffff) - threshold) >>> 31)) * keep;
      mask[i + 1] = (1 - (((r >>> 16) - threshold) >>> 31)) * keep;
    }
    return tf.tensor2d(mask.subarray(0, size), [rows, units]);
  }

  /**
   * Training-mode forward pass; updates the BatchNorm running statistics as PyTorch does. Must run
   * inside tf.tidy: the returned backward closure reads the forward intermediates.
   */
  trainForward(x: tf.Tensor2D, rng: Rng): TrainForward {
    const rows = x.shape[0];
    const caches: BlockCache[] = [];
    let a = x;
    for (const block of this.blocks) {
      const h = tf.fused.matMul({ a, b: block.W, bias: block.b });
      const mean = columnMean(h);
      const centred = tf.sub(h, mean);
      const variance = columnMean(tf.square(centred));
      const inv = tf.rsqrt(tf.add(variance, BN_EPSILON)) as tf.Tensor2D;
      const xhat = tf.mul(centred, inv) as tf.Tensor2D;
      const z = tf.add(tf.mul(xhat, block.gamma), block.beta) as tf.Tensor2D;
      let gate = tf.step(z) as tf.Tensor2D;
      if (this.dropout > 0) gate = tf.mul(gate, this.dropoutMask(rows, z.shape[1], rng));
      caches.push({ input: a, xhat, inv, gate });
      // Running variance uses the unbiased batch variance, as PyTorch does.
      block.movingMean.assign(tf.add(tf.mul(block.movingMean, 1 - BN_MOMENTUM), tf.mul(mean.reshape([-1]), BN_MOMENTUM)));
      block.movingVar.assign(
        tf.add(tf.mul(block.movingVar, 1 - BN_MOMENTUM), tf.mul(variance.reshape([-1]), (BN_MOMENTUM * rows) / (rows - 1))),
      );
      a = tf.mul(z, gate);
    }
    const lastActivation = a;
    const out = tf.fused.matMul({ a, b: this.output.W, bias: this.output.b }) as tf.Tensor2D;

    const backward = (dOut: tf.Tensor2D): tf.Tensor[] => {
      const grads: tf.Tensor[] = [tf.mul(columnMean(dOut), rows).reshape([-1]), tf.matMul(tf.transpose(lastActivation), dOut)];
      let dA = tf.matMul(dOut, tf.transpose(this.output.W));
      for (let i = caches.length - 1; i >= 0; i--) {
        const c = caches[i];
        const { W, b, gamma } = this.blocks[i];
        const dz = tf.mul(dA, c.gate) as tf.Tensor2D;
        const meanDz = columnMean(dz);
        const meanDzXhat = columnMean(tf.mul(dz, c.xhat));
        // Closed-form BatchNorm gradient: dh = γ·inv · (dz − mean(dz) − x̂·mean(dz·x̂)).
        const dh = tf.mul(tf.sub(tf.sub(dz, meanDz), tf.mul(c.xhat, meanDzXhat)), tf.mul(c.inv, gamma)) as tf.Tensor2D;
        // The bias in front of BatchNorm gets exactly zero gradient: the batch mean cancels it.
        grads.push(tf.mul(meanDz, rows).reshape([-1]), tf.mul(meanDzXhat, rows).reshape([-1]), tf.zerosLike(b));
        grads.push(tf.matMul(tf.transpose(c.input), dh));
        if (i > 0) dA = tf.matMul(dh, tf.transpose(W));
      }
      // Collected output-first with each layer's gradients reversed (β, γ, b, W): flip to weight order.
      return grads.reverse();
    };
    return { out, backward };
  }

  inference(): FoldedFnn {
    const { Ws, bs } = tf.tidy(() => {
      // BN(xW + b) = x(W·s) + (b − μ)·s + β with s = γ / √(σ² + ε).
      const scales = this.blocks.map((k) => tf.mul(k.gamma, tf.rsqrt(tf.add(k.movingVar, BN_EPSILON))));
      return {
        Ws: [...this.blocks.map((k, i) => tf.mul(k.W, scales[i])), this.output.W.clone()],
        bs: [...this.blocks.map((k, i) => tf.add(tf.mul(tf.sub(k.b, k.movingMean), scales[i]), k.beta)), this.output.b.clone()],
      };
    });
    return new FoldedFnn(Ws.map((W, i) => ({ W: W as tf.Tensor2D, b: bs[i] as tf.Tensor1D })));
  }

  /** Raw outputs (n × k, row-major) for standardised inputs, computed in chunks to bound memory. */
  predictRaw(Xscaled: Float32Array, chunkRows = 8192): Float32Array {
    const n = Xscaled.length / this.inputDim;
    const out = new Float32Array(n * this.outputs);
    const folded = this.inference();
    try {
      for (let start = 0; start < n; start += chunkRows) {
        const rows = Math.min(chunkRows, n - start);
        const chunk = tf.tidy(() => {
          const x = tf.tensor2d(Xscaled.subarray(start * this.inputDim, (start + rows) * this.inputDim), [rows, this.inputDim]);
          return folded.apply(x);
        });
        out.set(chunk.dataSync() as Float32Array, start * this.outputs);
        chunk.dispose();
      }
    } finally {
      folded.dispose();
    }
    return out;
  }
}
