/**
 * Sequence models of horizon spend: a recurrent net (LSTM or GRU) or a 1-D CNN over each
 * customer's per-period history (src/core/tables/sequences.ts: spend and purchase days per week or
 * month up to the cutoff), optionally joined with the 16 static features, regressing log1p of the
 * horizon spend with a squared-error loss.
 *
 * One job per file: the network (sequenceArchitecture.ts), its inputs (sequencePreprocessing.ts),
 * its forward pass written on the weights (sequenceForward.ts, with recurrentForward.ts and
 * convolutionalForward.ts), and training here. Training and prediction run that forward pass
 * through the shared loop in trainer.ts (Adam, plateau schedule, early stopping, AbortSignal,
 * progress); these layers have no hand-written backward pass, so AutodiffNet adapts it with tfjs
 * autodiff. Predictions are mapped back with expm1 (floored at 0): like any log-scale regression
 * this predicts something closer to the conditional median than the mean of spend.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../random';
import { randomSplit } from '../eval/split';
import { AutodiffNet } from './autodiffNet';
import { layersOf, variableOf } from './layerVariables';
import { applyTargetTransform, fitScaler } from './scaler';
import {
  buildSequenceModel,
  DEFAULT_SEQUENCE_CONFIG,
  type SequenceBatch,
  type SequenceModelConfig,
  type SequenceModelKind,
  type SequenceModelShape,
} from './sequenceArchitecture';
import { packedForward } from './sequenceForward';
import { sequencePredictLog, spendOfLog } from './sequencePredictor';
import { fitSequenceScaler, packRows, type SequencePreprocessing } from './sequencePreprocessing';
import type { EpochProgress, TrainResult } from './trainer';
import { trainNetwork } from './trainer';

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
  /** Periods, channels and static features the model reads. */
  shape: SequenceModelShape;
  config: SequenceModelConfig;
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

    const predictLog = sequencePredictLog(model, kind, shape, preprocessing);
    return {
      kind,
      model,
      shape,
      config,
      preprocessing,
      history: result.history,
      bestEpoch: result.bestEpoch,
      stopReason: result.stopReason,
      predictLog,
      predict: (s, sx) => spendOfLog(predictLog(s, sx)),
      dispose: () => model.dispose(),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
