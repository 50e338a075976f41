/**
 * A dense autoencoder on the standard-scaled customer features. The bottleneck gives a small
 * latent description of each customer (for k-means segments, src/core/eval/kmeans.ts) and the
 * reconstruction error an anomaly score: customers unlike the bulk of the data are reconstructed
 * worst.
 *
 * Architecture (seeded Glorot initialisers): d → [Dense h, tanh]… → Dense k (linear bottleneck)
 * → [Dense h, tanh] (mirrored) → Dense d (linear). Loss: mean squared reconstruction error of the
 * standardised features.
 *
 * Training goes through the shared loop (trainer.ts). The loop regresses one target per row, so
 * the net handed to it outputs the residual x̂ − x (rows × d) and the loss is its mean square; the
 * per-row targets are unused zeros.
 */
import * as tf from '@tensorflow/tfjs';
import { randomSplit } from '../eval/split';
import { deriveSeed } from '../random';
import { fitScaler, transformFeatures, type ScalerStats } from './scaler';
import { AutodiffNet } from './autodiffNet';
import { trainNetwork, type EpochProgress, type LossFn, type TrainResult } from './trainer';

export interface AutoencoderConfig {
  /** Widths of the encoder's hidden layers (the decoder mirrors them). */
  hidden: number[];
  /** Latent dimension. */
  bottleneck: number;
}

export const DEFAULT_AUTOENCODER_CONFIG: Readonly<AutoencoderConfig> = Object.freeze({ hidden: [12], bottleneck: 4 });

/** The tfjs-layers model: encoder layers, bottleneck, decoder layers, output (all Dense). */
export function buildAutoencoderModel(inputDim: number, config: AutoencoderConfig, seed: number): tf.Sequential {
  if (!Number.isSafeInteger(inputDim) || inputDim < 1) throw new RangeError(`inputDim must be a positive integer, got ${inputDim}`);
  if (!Number.isSafeInteger(config.bottleneck) || config.bottleneck < 1) {
    throw new RangeError(`bottleneck must be a positive integer, got ${config.bottleneck}`);
  }
  const widths = [...config.hidden, config.bottleneck, ...[...config.hidden].reverse(), inputDim];
  const model = tf.sequential();
  widths.forEach((units, i) => {
    const linear = i === config.hidden.length || i === widths.length - 1;
    model.add(
      tf.layers.dense({
        units,
        inputShape: i === 0 ? [inputDim] : undefined,
        activation: linear ? 'linear' : 'tanh',
        kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'autoencoder', i) }),
        biasInitializer: 'zeros',
      }),
    );
  });
  return model;
}

interface DenseVars {
  W: tf.Variable;
  b: tf.Variable;
  tanh: boolean;
}

function denseVars(model: tf.LayersModel): DenseVars[] {
  return model.layers.map((layer) => {
    const activation = layer.getConfig().activation;
    if (activation !== 'tanh' && activation !== 'linear') throw new Error(`${layer.name}: unsupported activation ${String(activation)}`);
    return { W: layer.weights[0].read() as tf.Variable, b: layer.weights[1].read() as tf.Variable, tanh: activation === 'tanh' };
  });
}

function runLayers(x: tf.Tensor2D, layers: DenseVars[]): tf.Tensor2D {
  let a = x;
  for (const l of layers) {
    const z = tf.fused.matMul({ a, b: l.W, bias: l.b }) as tf.Tensor2D;
    a = l.tanh ? tf.tanh(z) : z;
  }
  return a;
}

/** Mean square of the residual; the targets are placeholders. */
const residualLoss: LossFn = (_yTrue, residual) => tf.mean(tf.square(residual));

export interface AutoencoderOptions {
  seed: number;
  signal?: AbortSignal;
  onProgress?: (progress: EpochProgress) => void;
  config?: Partial<AutoencoderConfig>;
  /** Rows that train / validate (early stopping); default a seeded 90 % / 10 % split. */
  trainIdx?: ArrayLike<number>;
  valIdx?: ArrayLike<number>;
  maxEpochs?: number;
  batchSize?: number;
  learningRate?: number;
  earlyStoppingPatience?: number;
}

export interface TrainedAutoencoder {
  model: tf.Sequential;
  /** Standardisation fitted on the training rows; applied to every X passed below. */
  scaler: ScalerStats;
  bottleneck: number;
  history: EpochProgress[];
  bestEpoch: number;
  stopReason: TrainResult['stopReason'];
  /** Bottleneck activations, row-major n × bottleneck, for raw (unscaled) features X (n × d). */
  latent(X: Float32Array): Float32Array;
  /** Mean squared reconstruction error per row (on the standardised scale): the anomaly score. */
  reconstructionError(X: Float32Array): Float32Array;
  dispose(): void;
}

const CHUNK_ROWS = 8192;

/** Runs `f` over row chunks of the scaled matrix and concatenates the `width`-wide results. */
function chunked(Xs: Float32Array, d: number, width: number, f: (x: tf.Tensor2D) => tf.Tensor): Float32Array {
  const n = Xs.length / d;
  const out = new Float32Array(n * width);
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, n - start);
    const t = tf.tidy(() => f(tf.tensor2d(Xs.subarray(start * d, (start + rows) * d), [rows, d])));
    out.set(t.dataSync() as Float32Array, start * width);
    t.dispose();
  }
  return out;
}

/**
 * Trains an autoencoder on the raw feature matrix X (row-major n × d): features are standardised
 * (statistics of the training rows), then reconstructed through the bottleneck. On abort the
 * promise rejects with the signal's reason and nothing stays allocated.
 */
export async function trainAutoencoder(X: Float32Array, d: number, options: AutoencoderOptions): Promise<TrainedAutoencoder> {
  const n = X.length / d;
  if (!Number.isInteger(n)) throw new RangeError(`X has ${X.length} values, not a multiple of d=${d}`);
  const config: AutoencoderConfig = { ...DEFAULT_AUTOENCODER_CONFIG, ...options.config };
  let trainIdx = options.trainIdx;
  let valIdx = options.valIdx;
  if (!trainIdx || !valIdx) {
    const split = randomSplit(n, [0.9, 0.1, 0], deriveSeed(options.seed, 'autoencoder', 'validation'));
    trainIdx = trainIdx ?? split.train;
    valIdx = valIdx ?? split.validation;
  }
  const scaler = fitScaler(X, d, trainIdx);
  const Xs = transformFeatures(X, scaler);

  const model = buildAutoencoderModel(d, config, options.seed);
  try {
    const layers = denseVars(model);
    const encoder = layers.slice(0, config.hidden.length + 1);
    const residual = (x: tf.Tensor2D) => tf.tidy(() => tf.sub(runLayers(x, layers), x) as tf.Tensor2D);
    const variables = layers.flatMap((l) => [l.W, l.b]);
    const result = await trainNetwork(
      new AutodiffNet(residual, variables),
      { X: Xs, y: new Float32Array(n), d, train: trainIdx, validation: valIdx },
      {
        loss: residualLoss,
        seed: deriveSeed(options.seed, 'autoencoder', 'train'),
        signal: options.signal,
        onProgress: options.onProgress,
        maxEpochs: options.maxEpochs ?? 100,
        batchSize: options.batchSize ?? 64,
        learningRate: options.learningRate ?? 3e-3,
        earlyStoppingPatience: options.earlyStoppingPatience ?? 10,
        weightDecay: 0,
      },
    );
    const check = (Xraw: Float32Array) => {
      if (Xraw.length % d !== 0) throw new RangeError(`X has ${Xraw.length} values, not a multiple of d=${d}`);
      return transformFeatures(Xraw, scaler);
    };
    return {
      model,
      scaler,
      bottleneck: config.bottleneck,
      history: result.history,
      bestEpoch: result.bestEpoch,
      stopReason: result.stopReason,
      latent: (Xraw) => chunked(check(Xraw), d, config.bottleneck, (x) => runLayers(x, encoder)),
      reconstructionError: (Xraw) => chunked(check(Xraw), d, 1, (x) => tf.mean(tf.square(residual(x)), 1)),
      dispose: () => model.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
