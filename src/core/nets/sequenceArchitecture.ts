/**
 * The sequence models' networks: a recurrent net (LSTM or GRU) or a 1-D CNN over each customer's
 * per-period history, optionally joined with the static features, as a tfjs-layers model.
 *
 * Architectures (all initialisers seeded, so a seed rebuilds the same network):
 *   lstm / gru: sequence → LSTM|GRU(units; tanh, sigmoid gates) → last hidden state
 *   cnn:        sequence → Conv1D(filters, k, same, ReLU) → MaxPool1D(2) → Conv1D(filters, k, same, ReLU) → Flatten
 *   then        [‖ standardised static features] → Dense(denseUnits, ReLU) → Dense(1)
 * The CNN flattens instead of pooling globally so the head still knows which period is recent.
 * No dropout: the nets are small, and weight decay plus early stopping regularise them.
 *
 * The tfjs-layers model is the canonical container (weights, Keras serialisation, model.predict),
 * as in fnn.ts; training and prediction run the same computation written on its weights
 * (sequenceForward.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../random';
import { variableOf } from './layerVariables';

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
