/**
 * The training loop for the neural models, written for speed on the CPU and WASM backends rather
 * than going through tfjs-layers' model.fit:
 * - the net supplies its own backward pass (see fnn.ts for why tfjs autodiff is slow here); only
 *   the loss is differentiated by tfjs;
 * - each batch is gathered from the shuffled row order in JavaScript and uploaded: tfjs-backend-wasm
 *   copies a tensor's whole buffer on every slice, so slicing batches out of an uploaded training
 *   set costs a copy of the entire set per batch;
 * - the loss is accumulated on the device and read back only every `syncEvery` batches, because
 *   each read-back stalls the GPU backends' pipelines;
 * - every step runs in tf.tidy and everything else is disposed explicitly, including on abort.
 *
 * Optimiser and schedule follow the seed's PyTorch setup: Adam with weight decay added to the
 * gradient (L2, as torch.optim.Adam does, not AdamW), ReduceLROnPlateau on the validation loss,
 * early stopping with the best weights restored.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, deriveSeed } from '../random';
import { gatherRows, gatherValues } from '../rows';
import { DEFAULT_MAX_EPOCHS } from './trainingDefaults';

export interface TrainForward {
  /** Network outputs for the batch, rows × k. */
  out: tf.Tensor2D;
  /** Gradients of the loss for each trainable weight, given its gradient with respect to `out`. */
  backward(dOut: tf.Tensor2D): tf.Tensor[];
}

/** What the loop needs from a network. */
export interface TrainableNet {
  /** The weights the optimiser updates, in the order `backward` returns their gradients. */
  readonly trainableWeights: tf.Variable[];
  /** Everything a snapshot must hold to restore the net: trainable weights and running statistics. */
  readonly stateWeights: tf.Variable[];
  /** Training-mode forward pass (dropout, batch statistics); called inside tf.tidy. */
  trainForward(x: tf.Tensor2D, rng: Rng): TrainForward;
  /** Inference-mode network for the current weights. */
  inference(): { apply(x: tf.Tensor2D): tf.Tensor2D; dispose(): void };
}

/** Mean loss over a batch: targets rows × 1, outputs rows × k. */
export type LossFn = (yTrue: tf.Tensor2D, yPred: tf.Tensor2D) => tf.Scalar;

export const mseLoss: LossFn = (yTrue, yPred) => tf.mean(tf.squaredDifference(yPred, yTrue));

export interface EpochProgress {
  epoch: number;
  maxEpochs: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  valLoss: number;
  /** Learning rate used during this epoch. */
  lr: number;
  /** Training throughput of this epoch (validation excluded). */
  samplesPerSec: number;
  /** Time left if every remaining epoch runs; early stopping usually ends sooner. */
  etaMs: number;
}

export interface TrainOptions {
  loss?: LossFn;
  batchSize?: number;
  maxEpochs?: number;
  learningRate?: number;
  weightDecay?: number;
  /** Epochs without improvement before the learning rate is multiplied by `lrFactor`. */
  lrPatience?: number;
  lrFactor?: number;
  /** Epochs without a new best validation loss before training stops. */
  earlyStoppingPatience?: number;
  /** Batches between read-backs of the running loss (divergence check). */
  syncEvery?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (progress: EpochProgress) => void;
}

export interface TrainData {
  /** Row-major n × d inputs, already standardised. */
  X: Float32Array;
  /** Targets, one per row, already transformed. */
  y: Float32Array;
  d: number;
  train: ArrayLike<number>;
  validation: ArrayLike<number>;
}

export interface TrainResult {
  history: EpochProgress[];
  /** Epoch whose weights were restored (0: the initial weights, if no epoch improved). */
  bestEpoch: number;
  bestValLoss: number;
  stopReason: 'max_epochs' | 'early_stopping' | 'diverged';
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;
/** PyTorch ReduceLROnPlateau's default relative threshold for "better". */
const PLATEAU_THRESHOLD = 1e-4;
/** Rows per inference call when computing the validation loss. */
const EVAL_CHUNK = 8192;
/**
 * On the CPU and WASM backends a training loop is one long synchronous computation; handing
 * control back to the event loop this often lets an abort message (or anything else the worker
 * has queued) arrive while training.
 */
const YIELD_INTERVAL_MS = 25;

/** Resolves on a fresh macrotask. MessageChannel exists in browsers, workers and Node. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Weights up to this many values are updated together as one flat vector: per-kernel overhead,
 * not arithmetic, dominates their update, and slicing a small vector apart again is cheap (on WASM
 * a slice copies its whole source, which rules this out for the large weight matrices).
 */
const SMALL_WEIGHT_SIZE = 4096;

/**
 * Adam with L2 weight decay added to the gradient, exactly as torch.optim.Adam (not AdamW):
 * g ← g + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − lr·m̂ / (√v̂ + ε).
 */
class Adam {
  /** Indices of the weights updated one by one, and of those updated as one flat group. */
  private readonly large: number[] = [];
  private readonly small: number[] = [];
  /** Moments: one pair per large weight, then one pair for the small group. */
  private readonly m: tf.Tensor[];
  private readonly v: tf.Tensor[];
  private step = 0;

  constructor(
    private readonly weights: tf.Variable[],
    private readonly weightDecay: number,
  ) {
    weights.forEach((w, i) => (w.size <= SMALL_WEIGHT_SIZE ? this.small : this.large).push(i));
    const shapes = [...this.large.map((i) => weights[i].shape), [this.small.reduce((s, i) => s + weights[i].size, 0)]];
    this.m = shapes.map((shape) => tf.zeros(shape));
    this.v = shapes.map((shape) => tf.zeros(shape));
  }

  /** Must run inside tf.tidy; the moments are kept across steps. */
  apply(grads: tf.Tensor[], lr: number): void {
    this.step++;
    const bias1 = 1 - ADAM_BETA1 ** this.step;
    const bias2 = 1 - ADAM_BETA2 ** this.step;
    // Scalars built once per step: tfjs would otherwise upload each JS number for every weight.
    const c = {
      decay: tf.scalar(this.weightDecay),
      beta1: tf.scalar(ADAM_BETA1),
      beta2: tf.scalar(ADAM_BETA2),
      oneMinusBeta1: tf.scalar(1 - ADAM_BETA1),
      oneMinusBeta2: tf.scalar(1 - ADAM_BETA2),
      // lr·m̂/(√v̂ + ε) = (lr·√bias2/bias1)·m/(√v + ε·√bias2).
      stepSize: tf.scalar((lr * Math.sqrt(bias2)) / bias1),
      epsilon: tf.scalar(ADAM_EPSILON * Math.sqrt(bias2)),
    };
    const update = (slot: number, w: tf.Tensor, grad: tf.Tensor): tf.Tensor => {
      const g = this.weightDecay > 0 ? tf.add(grad, tf.mul(w, c.decay)) : grad;
      const m = tf.keep(tf.add(tf.mul(this.m[slot], c.beta1), tf.mul(g, c.oneMinusBeta1)));
      const v = tf.keep(tf.add(tf.mul(this.v[slot], c.beta2), tf.mul(tf.square(g), c.oneMinusBeta2)));
      this.m[slot].dispose();
      this.v[slot].dispose();
      this.m[slot] = m;
      this.v[slot] = v;
      return tf.sub(w, tf.mul(tf.div(m, tf.add(tf.sqrt(v), c.epsilon)), c.stepSize));
    };
    this.large.forEach((i, slot) => this.weights[i].assign(update(slot, this.weights[i], grads[i])));
    if (this.small.length > 0) {
      const flat = (tensors: tf.Tensor[]) => tf.concat(this.small.map((i) => tensors[i].reshape([-1])));
      const updated = update(this.large.length, flat(this.weights), flat(grads));
      const pieces = tf.split(updated, this.small.map((i) => this.weights[i].size));
      this.small.forEach((i, k) => this.weights[i].assign(pieces[k].reshape(this.weights[i].shape)));
    }
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Training was cancelled.', 'AbortError');
}

/**
 * Trains `net` in place. On return, and also when aborted (the promise then rejects with the
 * signal's reason), the net holds the weights of the epoch with the lowest validation loss so far,
 * or its initial weights if no epoch finished.
 */
export async function trainNetwork(net: TrainableNet, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  const loss = options.loss ?? mseLoss;
  const batchSize = options.batchSize ?? 64;
  const maxEpochs = options.maxEpochs ?? DEFAULT_MAX_EPOCHS;
  const lrPatience = options.lrPatience ?? 5;
  const lrFactor = options.lrFactor ?? 0.5;
  const stopPatience = options.earlyStoppingPatience ?? 10;
  const syncEvery = options.syncEvery ?? 50;
  const seed = options.seed ?? 0;
  const { signal, onProgress } = options;
  const { X, y, d, train } = data;
  const nTrain = train.length;
  const nVal = data.validation.length;
  if (nTrain < 2) throw new RangeError('training needs at least 2 rows');
  if (nVal < 1) throw new RangeError('training needs at least 1 validation row');
  signal?.throwIfAborted();

  const shuffleRng = new Rng(deriveSeed(seed, 'trainer', 'shuffle'));
  const dropoutRng = new Rng(deriveSeed(seed, 'trainer', 'dropout'));
  let lr = options.learningRate ?? 1e-3;
  const xBatch = new Float32Array(batchSize * d);
  const yBatch = new Float32Array(batchSize);
  const valIndex = Int32Array.from(data.validation);

  const optimizer = new Adam(net.trainableWeights, options.weightDecay ?? 1e-5);
  // The best state starts as the initial weights so that a run that never improves (or diverges
  // at once, or is aborted) restores something well-defined.
  let best = net.stateWeights.map((w) => w.clone());
  let lossSum: tf.Tensor = tf.scalar(0);

  try {
    const validationLoss = async (): Promise<number> => {
      const folded = net.inference();
      const xv = new Float32Array(Math.min(EVAL_CHUNK, nVal) * d);
      const yv = new Float32Array(Math.min(EVAL_CHUNK, nVal));
      let total: tf.Tensor = tf.scalar(0);
      try {
        for (let start = 0; start < nVal; start += EVAL_CHUNK) {
          const rows = Math.min(EVAL_CHUNK, nVal - start);
          gatherRows(X, d, valIndex, start, rows, xv);
          gatherValues(y, valIndex, start, rows, yv);
          const next = tf.tidy(() => {
            const out = folded.apply(tf.tensor2d(xv.subarray(0, rows * d), [rows, d]));
            return tf.add(total, tf.mul(loss(tf.tensor2d(yv.subarray(0, rows), [rows, 1]), out), rows));
          });
          total.dispose();
          total = next;
        }
        return (await total.data())[0] / nVal;
      } finally {
        total.dispose();
        folded.dispose();
      }
    };

    const history: EpochProgress[] = [];
    let bestValLoss = Infinity;
    let bestEpoch = 0;
    let staleEpochs = 0;
    let plateauBest = Infinity;
    let plateauBad = 0;
    let stopReason: TrainResult['stopReason'] = 'max_epochs';
    let lastYield = performance.now();
    const started = performance.now();

    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const epochStart = performance.now();
      const order = shuffleRng.permutation(nTrain);
      for (let i = 0; i < nTrain; i++) order[i] = train[order[i]];
      lossSum.dispose();
      lossSum = tf.scalar(0);
      let seen = 0;
      let diverged = false;
      for (let start = 0, batch = 1; start < nTrain; start += batchSize, batch++) {
        if (signal?.aborted) throw abortError(signal);
        const rows = Math.min(batchSize, nTrain - start);
        // BatchNorm statistics of a single row are meaningless (PyTorch refuses such a batch).
        if (rows < 2) continue;
        gatherRows(X, d, order, start, rows, xBatch);
        gatherValues(y, order, start, rows, yBatch);
        const stepLr = lr;
        const previousSum = lossSum;
        lossSum = tf.tidy(() => {
          const x = tf.tensor2d(xBatch.subarray(0, rows * d), [rows, d]);
          const yb = tf.tensor2d(yBatch.subarray(0, rows), [rows, 1]);
          const forward = net.trainForward(x, dropoutRng);
          const { value, grad } = tf.valueAndGrad((out: tf.Tensor) => loss(yb, out as tf.Tensor2D))(forward.out);
          optimizer.apply(forward.backward(grad as tf.Tensor2D), stepLr);
          return tf.add(previousSum, tf.mul(value, rows));
        });
        previousSum.dispose();
        seen += rows;
        if (batch % syncEvery === 0 && !Number.isFinite((await lossSum.data())[0])) {
          diverged = true;
          break;
        }
        if (performance.now() - lastYield > YIELD_INTERVAL_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const trainLoss = (await lossSum.data())[0] / seen;
      const trainMs = performance.now() - epochStart;
      if (diverged || !Number.isFinite(trainLoss)) {
        stopReason = 'diverged';
        break;
      }
      if (signal?.aborted) throw abortError(signal);
      const valLoss = await validationLoss();

      if (valLoss < bestValLoss) {
        bestValLoss = valLoss;
        bestEpoch = epoch;
        staleEpochs = 0;
        tf.dispose(best);
        best = net.stateWeights.map((w) => w.clone());
      } else {
        staleEpochs++;
      }
      const elapsed = performance.now() - started;
      const progress: EpochProgress = {
        epoch,
        maxEpochs,
        loss: trainLoss,
        valLoss,
        lr,
        samplesPerSec: seen / (trainMs / 1000),
        etaMs: (elapsed / epoch) * (maxEpochs - epoch),
      };
      history.push(progress);
      onProgress?.(progress);

      // ReduceLROnPlateau as PyTorch: reduce once more than `patience` epochs failed to improve.
      if (valLoss < plateauBest * (1 - PLATEAU_THRESHOLD)) {
        plateauBest = valLoss;
        plateauBad = 0;
      } else if (++plateauBad > lrPatience) {
        lr *= lrFactor;
        plateauBad = 0;
      }
      if (staleEpochs >= stopPatience) {
        stopReason = 'early_stopping';
        break;
      }
    }
    return { history, bestEpoch, bestValLoss, stopReason };
  } finally {
    net.stateWeights.forEach((w, i) => w.assign(best[i]));
    tf.dispose([...best, lossSum]);
    optimizer.dispose();
  }
}
