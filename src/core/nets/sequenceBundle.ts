/**
 * A sequence model bundle (LSTM, CNN): what turns a file's customers into the model's inputs and
 * its outputs into the evaluation's spend, without the sequences themselves. It holds the
 * tfjs-layers topology and weights, the shape and architecture, the preprocessing (the per-channel
 * scaling of the per-period sequences, the static features' scaler), the recalibration and spend
 * ceiling, and the period layout (tables/sequenceLayout.ts) to rebuild the sequences from a file
 * at scoring time.
 *
 * Layout: "CLVS" | header length (uint32, little-endian) | header (UTF-8 JSON: metadata,
 * modelTopology, weightSpecs, weightBytes) | weight data; the same family as nets/bundle.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { SequenceLayout } from '../tables/sequenceLayout';
import { BundleError, modelArtifacts, weightsAreValid } from './bundle';
import type { SequenceBatch, SequenceModelConfig, SequenceModelShape } from './sequenceArchitecture';
import { sequencePredictLog, sequenceSpend, spendOfLog } from './sequencePredictor';
import type { SequencePreprocessing } from './sequencePreprocessing';

export const SEQUENCE_BUNDLE_VERSION = 1;
const MAGIC = 'CLVS';
export type SequenceBundleKind = 'lstm' | 'cnn';
const KINDS: readonly SequenceBundleKind[] = ['lstm', 'cnn'];

export interface SequenceBundleMetadata {
  formatVersion: number;
  modelKind: SequenceBundleKind;
  /** The evaluation's name of the model. */
  model: string;
  /** How to cut the sequences from a file. */
  layout: SequenceLayout;
  shape: SequenceModelShape;
  config: SequenceModelConfig;
  /** Static features joined after the sequence encoder, in the model's column order. */
  staticFeatures: string[];
  preprocessing: SequencePreprocessing;
  /** The recalibration spend = scale · (1 + ŷ)^power fitted on the validation customers. */
  calibration: { scale: number; power: number };
  /** Predictions are clipped to [0, spendCeiling], as in the evaluation. */
  spendCeiling: number;
  cutoff: string;
  unit: string;
  horizonDays: number;
  seed: number;
  metrics: Record<string, number>;
  tfjsVersion: string;
  createdAt: string;
}

/** What a bundle is made from: the trained model and how the evaluation used it. */
export interface SequenceBundleSource {
  kind: SequenceBundleKind;
  model: tf.LayersModel;
  shape: SequenceModelShape;
  config: SequenceModelConfig;
  preprocessing: SequencePreprocessing;
  calibration: { scale: number; power: number };
  spendCeiling: number;
  staticFeatures: readonly string[];
}

export type SequenceBundleInfo = Pick<SequenceBundleMetadata, 'model' | 'layout' | 'cutoff' | 'unit' | 'horizonDays' | 'seed' | 'metrics'>;

interface Header {
  metadata: SequenceBundleMetadata;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightBytes: number;
}

export async function serializeSequenceBundle(source: SequenceBundleSource, info: SequenceBundleInfo): Promise<Uint8Array> {
  if (source.staticFeatures.length !== source.shape.staticDim) {
    throw new RangeError(`${source.staticFeatures.length} static feature names for a model with ${source.shape.staticDim} static inputs`);
  }
  if (info.layout.periods !== source.shape.periods || info.layout.channels.length !== source.shape.channels) {
    throw new RangeError(`the layout (${info.layout.periods} periods × ${info.layout.channels.length} channels) does not match the model (${source.shape.periods} × ${source.shape.channels})`);
  }
  const { modelTopology, weightSpecs, weights } = await modelArtifacts(source.model);
  const header: Header = {
    metadata: {
      formatVersion: SEQUENCE_BUNDLE_VERSION,
      modelKind: source.kind,
      model: info.model,
      layout: { ...info.layout, channels: [...info.layout.channels] },
      shape: { ...source.shape },
      config: { ...source.config },
      staticFeatures: [...source.staticFeatures],
      preprocessing: source.preprocessing,
      calibration: { ...source.calibration },
      spendCeiling: source.spendCeiling,
      cutoff: info.cutoff,
      unit: info.unit,
      horizonDays: info.horizonDays,
      seed: info.seed,
      metrics: info.metrics,
      tfjsVersion: tf.version.tfjs,
      createdAt: new Date().toISOString(),
    },
    modelTopology,
    weightSpecs,
    weightBytes: weights.byteLength,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + weights.byteLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, json.byteLength, true);
  out.set(json, 8);
  out.set(weights, 8 + json.byteLength);
  return out;
}

export const isSequenceBundle = (bytes: Uint8Array) => bytes.byteLength >= 8 && new TextDecoder().decode(bytes.subarray(0, 4)) === MAGIC;

const CORRUPT = 'This file is not a readable CLV Studio model bundle; export the model again from CLV Studio.';
const corrupt = () => new BundleError('BUNDLE_CORRUPT', CORRUPT);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finiteArray = (v: unknown, length: number) => Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const positiveInteger = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;

function parse(bytes: Uint8Array): { header: Header; weights: Uint8Array } {
  if (!isSequenceBundle(bytes)) throw corrupt();
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.byteLength) throw corrupt();
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length)));
  } catch {
    throw corrupt();
  }
  if (!isObject(header) || !isObject(header.metadata) || !isObject(header.modelTopology)) throw corrupt();
  const weights = bytes.subarray(8 + length);
  if (weights.byteLength !== header.weightBytes) throw corrupt();
  return { header, weights };
}

/** Every field a scoring run reads, checked; BundleError otherwise. */
function checkMetadata(m: SequenceBundleMetadata): void {
  if (m.formatVersion !== SEQUENCE_BUNDLE_VERSION) {
    throw new BundleError('BUNDLE_VERSION', `This model bundle has format version ${String(m.formatVersion)} but this CLV Studio reads version ${SEQUENCE_BUNDLE_VERSION} of sequence model bundles (LSTM, CNN); export the model again.`);
  }
  if (!KINDS.includes(m.modelKind)) throw new BundleError('BUNDLE_KIND', `This bundle holds a "${String(m.modelKind)}" sequence model, which this CLV Studio cannot run (it knows ${KINDS.join(', ')}); update CLV Studio.`);
  const { layout, shape, preprocessing: prep } = m;
  const ok =
    typeof m.model === 'string' &&
    isObject(layout) &&
    (layout.period === 'week' || layout.period === 'month') &&
    layout.alignment === 'cutoff' &&
    isObject(shape) &&
    positiveInteger(shape.periods) &&
    positiveInteger(shape.channels) &&
    Number.isSafeInteger(shape.staticDim) &&
    shape.staticDim >= 0 &&
    layout.periods === shape.periods &&
    Array.isArray(layout.channels) &&
    layout.channels.length === shape.channels &&
    Array.isArray(m.staticFeatures) &&
    m.staticFeatures.length === shape.staticDim &&
    m.staticFeatures.every((f) => typeof f === 'string' && f.length > 0) &&
    new Set(m.staticFeatures).size === m.staticFeatures.length &&
    isObject(prep) &&
    prep.target === 'log1p' &&
    isObject(prep.sequence) &&
    finiteArray(prep.sequence.mean, shape.channels) &&
    finiteArray(prep.sequence.std, shape.channels) &&
    prep.sequence.std.every((v) => v > 0) &&
    (shape.staticDim === 0
      ? prep.static === null
      : isObject(prep.static) && finiteArray(prep.static.mean, shape.staticDim) && finiteArray(prep.static.std, shape.staticDim) && prep.static.std.every((v) => v > 0) && typeof prep.static.logCompress === 'boolean') &&
    isObject(m.calibration) &&
    finiteArray([m.calibration.scale, m.calibration.power], 2) &&
    typeof m.spendCeiling === 'number' &&
    Number.isFinite(m.spendCeiling) &&
    m.spendCeiling >= 0 &&
    typeof m.horizonDays === 'number' &&
    m.horizonDays > 0;
  if (!ok) throw corrupt();
}

export interface LoadedSequenceBundle {
  metadata: SequenceBundleMetadata;
  /**
   * The evaluation's spend for each customer: `seqs` cut with the bundle's layout, `X` the
   * caller's row-major feature matrix with columns `featureNames` (the static features are picked
   * out by name).
   */
  predict(seqs: SequenceBatch, featureNames: readonly string[], X: Float32Array): Float64Array;
  dispose(): void;
}

/** The bundle's metadata, checked, without building the model. Throws BundleError. */
export function readSequenceBundleMetadata(bytes: Uint8Array): SequenceBundleMetadata {
  const { header } = parse(bytes);
  checkMetadata(header.metadata);
  return header.metadata;
}

/**
 * Reads a sequence bundle and checks it can score data with the given feature columns (its static
 * features must all be present). Throws BundleError.
 */
export async function loadSequenceBundle(bytes: Uint8Array, available: { features: readonly string[] }): Promise<LoadedSequenceBundle> {
  const { header, weights } = parse(bytes);
  const { metadata } = header;
  checkMetadata(metadata);
  if (!weightsAreValid(header.weightSpecs, weights)) throw corrupt();
  const missing = metadata.staticFeatures.filter((f) => !available.features.includes(f));
  if (missing.length > 0) {
    throw new BundleError(
      'BUNDLE_FEATURES_MISSING',
      `The model needs the feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the current data lacks; ` +
        'compute features with the same settings as when the model was trained, or train a new model on this data.',
    );
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: header.modelTopology, weightSpecs: header.weightSpecs, weightData: weights.slice().buffer }));
  } catch {
    throw corrupt();
  }
  const { shape, preprocessing } = metadata;
  let predictLog: ReturnType<typeof sequencePredictLog>;
  try {
    predictLog = sequencePredictLog(model, metadata.modelKind, shape, preprocessing);
    // One prediction for an empty history and the average customer: a topology that loads but cannot run fails here.
    const probe = predictLog({ periods: shape.periods, channels: shape.channels, values: new Float32Array(shape.periods * shape.channels) }, preprocessing.static ? Float32Array.from(preprocessing.static.mean) : null);
    if (probe.length !== 1 || !Number.isFinite(probe[0])) throw new Error('no finite prediction');
  } catch {
    model.dispose();
    throw corrupt();
  }
  return {
    metadata,
    predict(seqs, featureNames, X) {
      const width = featureNames.length;
      const n = width === 0 ? 0 : X.length / width;
      if (seqs.periods !== shape.periods || seqs.channels !== shape.channels || seqs.values.length !== n * shape.periods * shape.channels) {
        throw new RangeError(`sequences of ${seqs.periods} periods × ${seqs.channels} channels for ${n} customers, but the model reads ${shape.periods} × ${shape.channels} (build them with the bundle's layout)`);
      }
      let staticX: Float32Array | null = null;
      if (shape.staticDim > 0) {
        const columns = metadata.staticFeatures.map((f) => featureNames.indexOf(f));
        staticX = new Float32Array(n * columns.length);
        for (let i = 0; i < n; i++) for (let j = 0; j < columns.length; j++) staticX[i * columns.length + j] = X[i * width + columns[j]];
      }
      return sequenceSpend(spendOfLog(predictLog(seqs, staticX)), metadata.calibration, metadata.spendCeiling);
    },
    dispose: () => model.dispose(),
  };
}
