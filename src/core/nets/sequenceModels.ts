/**
 * Sequence models of horizon spend: a recurrent net (LSTM or GRU) or a 1-D CNN over each
 * customer's per-period history (src/core/tables/sequences.ts: spend and purchase days per week or
 * month up to the cutoff), optionally joined with the 16 static features, regressing log1p of the
 * horizon spend with a squared-error loss.
 *
 * Architectures (all initialisers seeded, so a seed rebuilds the same network):
 *   lstm / gru: sequence → LSTM|GRU(units; tanh, sigmoid gates) → last hidden state
 *   cnn:        sequence → Conv1D(filters, k, same, ReLU) → MaxPool1D(2) → Conv1D(filters, k, same, ReLU) → Flatten
 *   then        [‖ standardised static features] → Dense(denseUnits, ReLU) → Dense(1)
 * The CNN flattens instead of pooling globally so the head still knows which period is recent.
 * No dropout: the nets are small, and weight decay plus early stopping regularise them.
 *
 * The tfjs-layers model is the canonical container (weights, Keras serialisation, model.predict),
 * as in fnn.ts. Training and prediction run `sequenceForward`, the same computation written on the
 * model's weight variables with far fewer tensor operations (see there), and go through the shared
 * loop in trainer.ts (Adam, plateau schedule, early stopping, AbortSignal, progress). These layers
 * have no hand-written backward pass, so `AutodiffNet` adapts a forward function to the trainer
 * with tfjs autodiff: backward(dOut) is the gradient of Σ out ⊙ dOut, i.e. Jᵀ·dOut. It re-runs the
 * forward pass under the gradient tape (one extra forward per batch).
 *
 * The trainer sees one row-major matrix, so each row is [sequence flattened (periods × channels),
 * static features] and the forward pass slices it back into the model's two inputs.
 *
 * Preprocessing (fitted on the training rows, kept in `preprocessing`): each sequence value goes
 * through a signed log1p (spend can be negative after returns), then is standardised per channel;
 * static features are standardised per column; the target is log1p(spend), and predictions are
 * mapped back with expm1 (floored at 0). Like any log-scale regression this predicts something
 * closer to the conditional median than the mean of spend.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../random';
import { randomSplit } from '../eval/split';
import type { EpochProgress, TrainableNet, TrainForward, TrainResult } from './trainer';
import { trainNetwork } from './trainer';
import { applyTargetTransform, fitScaler, invertTargetTransform, transformFeatures, type ScalerStats } from './scaler';

export type SequenceModelKind = 'lstm' | 'gru' | 'cnn';

/** The part of `CustomerSequences` the models read: row-major n × periods × channels. */
export interface SequenceBatch {
  periods: number;
  channels: number;
  values: Float32Array;
}

export interface SequenceModelConfig {
  /** Hidden units of the LSTM / GRU. */
  units: number;
  /** Filters of each Conv1D layer. */
  filters: number;
  kernelSize: number;
  /** Width of the Dense layer before the output. */
  denseUnits: number;
}

export const DEFAULT_SEQUENCE_CONFIG: Readonly<SequenceModelConfig> = Object.freeze({
  units: 16,
  filters: 16,
  kernelSize: 3,
  denseUnits: 16,
});

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** tfjs warns (and is slow) when an orthogonal initialiser exceeds this many elements. */
const ORTHOGONAL_MAX_ELEMENTS = 2000;

/**
 * Adapts a differentiable forward function over tf.Variables to the trainer's TrainableNet. The
 * forward must be deterministic for given weights (no dropout), because backward re-runs it.
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

function glorot(seed: number, ...labels: (string | number)[]): Initializer {
  return tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'sequence', ...labels) });
}

function recurrentInit(units: number, gates: number, seed: number, label: string): Initializer {
  // Keras's default is orthogonal; beyond tfjs's size warning fall back to Glorot (still seeded).
  return units * units * gates <= ORTHOGONAL_MAX_ELEMENTS
    ? tf.initializers.orthogonal({ seed: deriveSeed(seed, 'sequence', label, 'recurrent'), gain: 1 })
    : glorot(seed, label, 'recurrent');
}

export interface SequenceModelShape {
  periods: number;
  channels: number;
  /** Static features joined after the sequence encoder; 0 for a sequence-only model. */
  staticDim: number;
}

/**
 * The tfjs-layers model: inputs [sequence (periods × channels)] or [sequence, static (staticDim)],
 * output one number (log1p spend after training).
 */
export function buildSequenceModel(
  kind: SequenceModelKind,
  shape: SequenceModelShape,
  seed: number,
  config: SequenceModelConfig = DEFAULT_SEQUENCE_CONFIG,
): tf.LayersModel {
  const { periods, channels, staticDim } = shape;
  if (!Number.isSafeInteger(periods) || periods < 1) throw new RangeError(`periods must be a positive integer, got ${periods}`);
  if (!Number.isSafeInteger(channels) || channels < 1) throw new RangeError(`channels must be a positive integer, got ${channels}`);
  if (!Number.isSafeInteger(staticDim) || staticDim < 0) throw new RangeError(`staticDim must be a non-negative integer, got ${staticDim}`);
  const seqIn = tf.input({ shape: [periods, channels] });
  let encoded: tf.SymbolicTensor;
  let rnnLayer: tf.layers.Layer | null = null;
  if (kind === 'lstm' || kind === 'gru') {
    const common = {
      units: config.units,
      kernelInitializer: glorot(seed, kind, 'kernel'),
      recurrentInitializer: recurrentInit(config.units, kind === 'lstm' ? 4 : 3, seed, kind),
      biasInitializer: 'zeros' as const,
      activation: 'tanh' as const,
      // tfjs-layers defaults to hardSigmoid (old Keras); sigmoid as in current Keras and PyTorch.
      recurrentActivation: 'sigmoid' as const,
      returnSequences: false,
    };
    // The forget gate's bias starts at 1 (Keras's unitForgetBias), set after building: tfjs-layers'
    // own unitForgetBias initialiser leaks four tensors per model.
    rnnLayer = kind === 'lstm' ? tf.layers.lstm(common) : tf.layers.gru(common);
    encoded = rnnLayer.apply(seqIn) as tf.SymbolicTensor;
  } else if (kind === 'cnn') {
    const conv = (i: number) =>
      tf.layers.conv1d({
        filters: config.filters,
        kernelSize: Math.min(config.kernelSize, periods),
        padding: 'same',
        activation: 'relu',
        kernelInitializer: glorot(seed, 'cnn', i, 'kernel'),
        biasInitializer: 'zeros',
      });
    let h = conv(0).apply(seqIn) as tf.SymbolicTensor;
    if (periods >= 2) h = tf.layers.maxPooling1d({ poolSize: 2, strides: 2 }).apply(h) as tf.SymbolicTensor;
    h = conv(1).apply(h) as tf.SymbolicTensor;
    encoded = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  } else {
    throw new RangeError(`unknown sequence model kind "${String(kind)}"`);
  }
  const inputs = [seqIn];
  if (staticDim > 0) {
    const staticIn = tf.input({ shape: [staticDim] });
    inputs.push(staticIn);
    encoded = tf.layers.concatenate().apply([encoded, staticIn]) as tf.SymbolicTensor;
  }
  const hidden = tf.layers
    .dense({ units: config.denseUnits, activation: 'relu', kernelInitializer: glorot(seed, 'dense', 0), biasInitializer: 'zeros' })
    .apply(encoded) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: 1, kernelInitializer: glorot(seed, 'dense', 1), biasInitializer: 'zeros' })
    .apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs: output });
  if (kind === 'lstm' && rnnLayer) {
    const bias = variableOf(rnnLayer, 2);
    const units = bias.shape[0] / 4;
    tf.tidy(() => bias.assign(tf.concat([tf.zeros([units]), tf.ones([units]), tf.zeros([2 * units])])));
  }
  return model;
}

/** Per-channel standardisation of the log-compressed sequence values. */
export interface SequenceScaler {
  mean: number[];
  std: number[];
}

/** Signed log1p: compresses spend's heavy tail and keeps net returns (negative spend) finite. */
function slog1p(v: number): number {
  return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

function fitSequenceScaler(seqs: SequenceBatch, rows: ArrayLike<number>): SequenceScaler {
  const { periods: P, channels: C, values } = seqs;
  const sum = new Float64Array(C);
  const sq = new Float64Array(C);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * P * C;
    for (let t = 0; t < P; t++) for (let c = 0; c < C; c++) sum[c] += slog1p(values[base + t * C + c]);
  }
  const count = rows.length * P;
  const mean = Array.from(sum, (s) => s / count);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * P * C;
    for (let t = 0; t < P; t++) for (let c = 0; c < C; c++) sq[c] += (slog1p(values[base + t * C + c]) - mean[c]) ** 2;
  }
  const std = Array.from(sq, (s) => {
    const sd = Math.sqrt(s / count);
    return sd > 1e-12 && Number.isFinite(sd) ? sd : 1;
  });
  return { mean, std };
}

export interface SequencePreprocessing {
  sequence: SequenceScaler;
  /** Null for a sequence-only model. */
  static: ScalerStats | null;
  target: 'log1p';
}

/** The trainer's row layout: [scaled sequence (periods·channels), scaled static features]. */
function packRows(seqs: SequenceBatch, staticX: Float32Array | null, prep: SequencePreprocessing): { X: Float32Array; d: number } {
  const { periods: P, channels: C, values } = seqs;
  const seqWidth = P * C;
  const n = values.length / seqWidth;
  if (!Number.isInteger(n)) throw new RangeError(`sequence values (${values.length}) are not a multiple of periods × channels (${seqWidth})`);
  const staticDim = prep.static ? prep.static.mean.length : 0;
  if (prep.static === null && staticX !== null) throw new RangeError('this model was trained without static features');
  if (prep.static !== null && (staticX === null || staticX.length !== n * staticDim)) {
    throw new RangeError(`static features must be ${n} × ${staticDim}, got ${staticX === null ? 'none' : staticX.length + ' values'}`);
  }
  const d = seqWidth + staticDim;
  const X = new Float32Array(n * d);
  const { mean, std } = prep.sequence;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < P; t++) {
      for (let c = 0; c < C; c++) {
        const k = t * C + c;
        X[i * d + k] = (slog1p(values[i * seqWidth + k]) - mean[c]) / std[c];
      }
    }
  }
  if (prep.static && staticX) {
    const scaled = transformFeatures(staticX, prep.static);
    for (let i = 0; i < n; i++) X.set(scaled.subarray(i * staticDim, (i + 1) * staticDim), i * d + seqWidth);
  }
  return { X, d };
}

/** The tf.Variable behind weight `index` of a layer (tfjs-layers wraps it in a LayerVariable). */
function variableOf(layer: tf.layers.Layer, index: number): tf.Variable {
  return layer.weights[index].read() as tf.Variable;
}

function layersOf(model: tf.LayersModel, className: string): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === className);
}

/** `layer`'s activation must be what the functional forward below computes. */
function expectActivation(layer: tf.layers.Layer, key: string, wanted: string): void {
  const got = layer.getConfig()[key];
  if (got !== wanted) throw new Error(`${layer.name}: ${key} is ${String(got)}, the fast forward pass supports only ${wanted}`);
}

/**
 * The model's computation written directly on its weight variables, numerically the same as
 * model.apply / model.predict (the unit test checks this) but cheaper to run and differentiate
 * than tfjs-layers' generic RNN loop: the input projections of all periods are computed at once,
 * and no step slices a gate out of a wider activation (on the CPU backend a strided slice costs
 * far more than the step's arithmetic). Takes the sequence time-major: periods × rows × channels.
 */
export function sequenceForward(
  kind: SequenceModelKind,
  model: tf.LayersModel,
  shape: SequenceModelShape,
): (seqT: tf.Tensor3D, staticX: tf.Tensor2D | null) => tf.Tensor2D {
  const { periods: P, channels: C } = shape;
  const dense = layersOf(model, 'Dense');
  if (dense.length !== 2) throw new Error(`expected 2 Dense layers, found ${dense.length}`);
  expectActivation(dense[0], 'activation', 'relu');
  expectActivation(dense[1], 'activation', 'linear');
  const [W1, b1, W2, b2] = [variableOf(dense[0], 0), variableOf(dense[0], 1), variableOf(dense[1], 0), variableOf(dense[1], 1)];

  // `encode` takes the sequence time-major (periods × rows × channels) and returns the recurrent
  // net's last state (rows × units) or the CNN's feature maps, time-major (length × rows × filters).
  let encode: (seqT: tf.Tensor3D) => tf.Tensor2D | tf.Tensor3D;
  if (kind === 'lstm' || kind === 'gru') {
    const rnn = layersOf(model, kind === 'lstm' ? 'LSTM' : 'GRU')[0];
    if (!rnn) throw new Error(`the model has no ${kind.toUpperCase()} layer`);
    expectActivation(rnn, 'activation', 'tanh');
    expectActivation(rnn, 'recurrentActivation', 'sigmoid');
    const [kernel, recurrent, bias] = [variableOf(rnn, 0), variableOf(rnn, 1), variableOf(rnn, 2)];
    const gates = kind === 'lstm' ? 4 : 3;
    encode = (seqT) => {
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
  } else {
    const convs = layersOf(model, 'Conv1D');
    if (convs.length !== 2) throw new Error(`expected 2 Conv1D layers, found ${convs.length}`);
    const pooled = layersOf(model, 'MaxPooling1D').length > 0;
    const conv = (layer: tf.layers.Layer) => {
      expectActivation(layer, 'activation', 'relu');
      if (layer.getConfig().padding !== 'same') throw new Error(`${layer.name}: only "same" padding is supported`);
      const kernel = variableOf(layer, 0);
      const bias = variableOf(layer, 1);
      const [k, cin, f] = kernel.shape;
      // 'same' padding as TensorFlow: the odd extra zero (even k) goes after the sequence.
      const before = Math.floor((k - 1) / 2);
      // Time-major, a 1-D convolution is a sum of k matMuls of shifted copies of the sequence (slices
      // along the leading axis, i.e. contiguous): no im2col transpose, and the kernel's gradient is
      // plain matMuls instead of the CPU backend's slow Conv2DBackpropFilter.
      return (x: tf.Tensor3D): tf.Tensor3D => {
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
    };
    const [conv1, conv2] = convs.map(conv);
    encode = (seqT) => {
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

/** Splits the trainer's packed rows back into the model's inputs and runs the fast forward pass. */
function packedForward(model: tf.LayersModel, kind: SequenceModelKind, shape: SequenceModelShape): (x: tf.Tensor2D) => tf.Tensor2D {
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

export interface SequenceTrainOptions {
  seed: number;
  signal?: AbortSignal;
  onProgress?: (progress: EpochProgress) => void;
  /** Rows that train; default: a seeded 90 % of all rows. */
  trainIdx?: ArrayLike<number>;
  /** Rows for early stopping; default: the other 10 %. */
  valIdx?: ArrayLike<number>;
  config?: Partial<SequenceModelConfig>;
  maxEpochs?: number;
  batchSize?: number;
  learningRate?: number;
  earlyStoppingPatience?: number;
}

export interface TrainedSequenceModel {
  kind: SequenceModelKind;
  model: tf.LayersModel;
  preprocessing: SequencePreprocessing;
  history: EpochProgress[];
  bestEpoch: number;
  stopReason: TrainResult['stopReason'];
  /** Predicted horizon spend (expm1 of the log1p output, floored at 0), one per row. */
  predict(seqs: SequenceBatch, staticX: Float32Array | null): Float32Array;
  /** Predictions on the log1p scale the model was trained on. */
  predictLog(seqs: SequenceBatch, staticX: Float32Array | null): Float32Array;
  /** Frees the model's weights; the object is unusable afterwards. */
  dispose(): void;
}

const PREDICT_CHUNK = 4096;

/**
 * Trains a sequence model of horizon spend. `seqs` is n × periods × channels (raw spend and
 * counts: scaled here), `staticX` n × staticDim raw static features or null, `y` the raw horizon
 * spend. On abort the promise rejects with the signal's reason and nothing is left allocated.
 */
export async function trainSequenceModel(
  kind: SequenceModelKind,
  seqs: SequenceBatch,
  staticX: Float32Array | null,
  y: ArrayLike<number>,
  options: SequenceTrainOptions,
): Promise<TrainedSequenceModel> {
  const { periods, channels } = seqs;
  const n = y.length;
  if (n < 3) throw new RangeError(`a sequence model needs at least 3 customers, got ${n}`);
  if (seqs.values.length !== n * periods * channels) {
    throw new RangeError(`sequences hold ${seqs.values.length} values, expected ${n} × ${periods} × ${channels}`);
  }
  const staticDim = staticX === null ? 0 : staticX.length / n;
  if (!Number.isInteger(staticDim)) throw new RangeError(`static features (${staticX?.length}) are not a multiple of n=${n}`);
  let trainIdx = options.trainIdx;
  let valIdx = options.valIdx;
  if (!trainIdx || !valIdx) {
    const split = randomSplit(n, [0.9, 0.1, 0], deriveSeed(options.seed, 'sequence', 'validation'));
    trainIdx = trainIdx ?? split.train;
    valIdx = valIdx ?? split.validation;
  }
  const config: SequenceModelConfig = { ...DEFAULT_SEQUENCE_CONFIG, ...options.config };
  const preprocessing: SequencePreprocessing = {
    sequence: fitSequenceScaler(seqs, trainIdx),
    static: staticX === null || staticDim === 0 ? null : fitScaler(staticX, staticDim, trainIdx),
    target: 'log1p',
  };
  const { X, d } = packRows(seqs, staticDim === 0 ? null : staticX, preprocessing);
  const target = applyTargetTransform(y, 'log1p');
  const shape: SequenceModelShape = { periods, channels, staticDim: preprocessing.static ? staticDim : 0 };

  const model = buildSequenceModel(kind, shape, options.seed, config);
  try {
    // Start the output at the mean training target so early epochs learn structure, not scale.
    let meanTarget = 0;
    for (let r = 0; r < trainIdx.length; r++) meanTarget += target[trainIdx[r]];
    meanTarget /= Math.max(trainIdx.length, 1);
    const dense = layersOf(model, 'Dense');
    const outBias = variableOf(dense[dense.length - 1], 1);
    tf.tidy(() => outBias.assign(tf.tensor1d([meanTarget])));

    const forward = packedForward(model, kind, shape);
    const { trainable, state } = AutodiffNet.variablesOf(model);
    const result = await trainNetwork(
      new AutodiffNet(forward, trainable, state),
      { X, y: target, d, train: trainIdx, validation: valIdx },
      {
        seed: deriveSeed(options.seed, 'sequence', kind, 'train'),
        signal: options.signal,
        onProgress: options.onProgress,
        maxEpochs: options.maxEpochs ?? 60,
        batchSize: options.batchSize ?? 64,
        learningRate: options.learningRate ?? 3e-3,
        earlyStoppingPatience: options.earlyStoppingPatience ?? 8,
        lrPatience: 3,
      },
    );

    const predictLog = (s: SequenceBatch, sx: Float32Array | null): Float32Array => {
      if (s.periods !== periods || s.channels !== channels) {
        throw new RangeError(`the model expects ${periods} periods × ${channels} channels, got ${s.periods} × ${s.channels}`);
      }
      const packed = packRows(s, sx, preprocessing);
      const rows = packed.X.length / packed.d;
      const out = new Float32Array(rows);
      for (let start = 0; start < rows; start += PREDICT_CHUNK) {
        const count = Math.min(PREDICT_CHUNK, rows - start);
        const chunk = tf.tidy(() =>
          forward(tf.tensor2d(packed.X.subarray(start * packed.d, (start + count) * packed.d), [count, packed.d])),
        );
        out.set(chunk.dataSync() as Float32Array, start);
        chunk.dispose();
      }
      return out;
    };
    return {
      kind,
      model,
      preprocessing,
      history: result.history,
      bestEpoch: result.bestEpoch,
      stopReason: result.stopReason,
      predictLog,
      predict: (s, sx) => invertTargetTransform(predictLog(s, sx), 'log1p'),
      dispose: () => model.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
