/**
 * A model bundle: one self-contained Uint8Array holding a trained network's weights, its
 * tfjs-layers topology and everything needed to use it again (features, scaler, target transform,
 * cutoff, metrics). The same bytes go to a file download and to IndexedDB.
 *
 * Layout: "CLVB" | header length (uint32, little-endian) | header (UTF-8 JSON: metadata,
 * modelTopology, weightSpecs, weightBytes) | weight data.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClvErrorCode } from '../errors';
import type { ScalerStats, TargetTransform } from './scaler';
import { NetPredictor, type ModelKind } from './trainFnn';
import { ZILN_OUTPUTS } from './ziln';

export const BUNDLE_FORMAT_VERSION = 1;
const MAGIC = 'CLVB';
const MODEL_KINDS: readonly ModelKind[] = ['fnn', 'ziln'];

export interface BundleMetadata {
  formatVersion: number;
  modelKind: ModelKind;
  /** Feature names in the column order the model expects. */
  features: string[];
  scaler: ScalerStats;
  targetTransform: TargetTransform;
  /** Unit of the time-based features (e.g. 'day'). */
  timeUnit: string;
  /** Calibration cutoff the model was trained at (ISO date); '' in bundles that did not record it. */
  cutoff: string;
  /** Time unit of the calibration summaries (BTYD frequency/recency/T) the model was trained with. */
  unit?: string;
  /** Length in days of the horizon whose spend the model predicts. */
  horizonDays?: number;
  /** Seed of the training run (split and initialisation). */
  seed?: number;
  metrics: Record<string, number>;
  /** The evaluation's name of the model (e.g. 'fnn-seed' for an 'fnn' kind); absent in older bundles. */
  model?: string;
  /** The recalibration spend = scale · (1 + ŷ)^power fitted after training; absent: none. */
  calibration?: { scale: number; power: number };
  /** Predictions are clipped to [0, spendCeiling] as in the evaluation; absent: only at 0. */
  spendCeiling?: number;
  tfjsVersion: string;
  createdAt: string;
}

/** What the caller supplies when saving; the rest comes from the predictor and tfjs. */
export interface BundleInfo {
  features: readonly string[];
  timeUnit: string;
  cutoff: string;
  unit?: string;
  horizonDays?: number;
  seed?: number;
  metrics?: Record<string, number>;
  /** The evaluation's name of the model. */
  model?: string;
}

interface BundleHeader {
  metadata: BundleMetadata;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightBytes: number;
}

export type BundleErrorCode = Extract<ClvErrorCode, `BUNDLE_${string}`>;

/** A bundle that cannot be used; `code` is stable for the UI, the message says what to do. */
export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

/** A tfjs-layers model's topology, weight manifest and weight bytes, as a bundle stores them. */
export async function modelArtifacts(model: tf.LayersModel): Promise<{ modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weights: Uint8Array }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('tfjs returned no weights for the model');
  }
  return { modelTopology: artifacts.modelTopology as object, weightSpecs: artifacts.weightSpecs, weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) };
}

export async function serializeBundle(predictor: NetPredictor, info: BundleInfo): Promise<Uint8Array> {
  if (info.features.length !== predictor.featureCount) {
    throw new RangeError(`${info.features.length} feature names for a model with ${predictor.featureCount} inputs`);
  }
  const { modelTopology, weightSpecs, weights } = await modelArtifacts(predictor.model);
  const header: BundleHeader = {
    metadata: {
      formatVersion: BUNDLE_FORMAT_VERSION,
      modelKind: predictor.kind,
      features: [...info.features],
      scaler: predictor.scaler,
      targetTransform: predictor.targetTransform,
      timeUnit: info.timeUnit,
      cutoff: info.cutoff,
      ...(info.unit !== undefined && { unit: info.unit }),
      ...(info.horizonDays !== undefined && { horizonDays: info.horizonDays }),
      ...(info.seed !== undefined && { seed: info.seed }),
      metrics: info.metrics ?? {},
      ...(info.model !== undefined && { model: info.model }),
      ...(predictor.calibration && { calibration: { ...predictor.calibration } }),
      ...(predictor.spendCeiling !== null && { spendCeiling: predictor.spendCeiling }),
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

const CORRUPT = 'This file is not a readable CLV Studio model bundle; export the model again from CLV Studio.';
const TARGET_TRANSFORMS: readonly TargetTransform[] = ['none', 'log1p'];
/** Outputs of the last layer per model kind: a spend (fnn) or ZILN's three parameters. */
const KIND_OUTPUTS: Record<ModelKind, number> = { fnn: 1, ziln: ZILN_OUTPUTS };

function corrupt(): BundleError {
  return new BundleError('BUNDLE_CORRUPT', CORRUPT);
}

function parseHeader(bytes: Uint8Array): { header: BundleHeader; weights: Uint8Array } {
  if (bytes.byteLength < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw corrupt();
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw corrupt();
  let header: BundleHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw corrupt();
  }
  if (!isObject(header) || !isObject(header.metadata) || !isObject(header.modelTopology) || !Array.isArray(header.weightSpecs)) throw corrupt();
  const weights = bytes.subarray(8 + headerLength);
  if (weights.byteLength !== header.weightBytes) throw corrupt();
  return { header, weights };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isFiniteNumbers = (value: unknown, length: number): boolean =>
  Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * Every part of a bundle of a known version and kind, checked before anything is built from it:
 * feature names, scaler, target transform, the weight manifest against the weight bytes, and the
 * weights themselves (finite). An edited or truncated bundle fails here with BUNDLE_CORRUPT.
 */
function checkParts(header: BundleHeader, weights: Uint8Array): void {
  const m = header.metadata as unknown as Record<string, unknown>;
  const features = m.features;
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string' && f.length > 0)) throw corrupt();
  if (new Set(features).size !== features.length) throw corrupt();
  const scaler = m.scaler;
  if (!isObject(scaler) || !isFiniteNumbers(scaler.mean, features.length) || !isFiniteNumbers(scaler.std, features.length)) throw corrupt();
  if ((scaler.std as number[]).some((v) => !(v > 0)) || typeof scaler.logCompress !== 'boolean') throw corrupt();
  if (!TARGET_TRANSFORMS.includes(m.targetTransform as TargetTransform)) throw corrupt();
  if (typeof m.timeUnit !== 'string' || typeof m.cutoff !== 'string' || !isObject(m.metrics)) throw corrupt();
  if (m.calibration !== undefined && !(isObject(m.calibration) && isFiniteNumbers([m.calibration.scale, m.calibration.power], 2))) throw corrupt();
  if (m.spendCeiling !== undefined && !(typeof m.spendCeiling === 'number' && m.spendCeiling > 0)) throw corrupt();
  if (!weightsAreValid(header.weightSpecs, weights)) throw corrupt();
}

/** The weight manifest matches the weight bytes (float32, positive shapes) and every weight is finite. */
export function weightsAreValid(weightSpecs: unknown, weights: Uint8Array): boolean {
  if (!Array.isArray(weightSpecs) || weightSpecs.length === 0) return false;
  let expected = 0;
  for (const spec of weightSpecs) {
    if (!isObject(spec) || typeof spec.name !== 'string' || spec.dtype !== 'float32' || !Array.isArray(spec.shape)) return false;
    if (!spec.shape.every((d) => Number.isInteger(d) && d > 0)) return false;
    expected += spec.shape.reduce((a: number, b: number) => a * b, 1) * Float32Array.BYTES_PER_ELEMENT;
  }
  if (expected !== weights.byteLength) return false;
  const values = new Float32Array(weights.slice().buffer);
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

export interface LoadedBundle {
  metadata: BundleMetadata;
  predictor: NetPredictor;
  /** For each bundle feature, its column in the caller's feature list. */
  columns: Int32Array;
  /** Picks the bundle's features, in its order, out of a row-major matrix in the caller's order. */
  selectFeatures(X: Float32Array): Float32Array;
}

/**
 * Reads a bundle and checks it can score data with the given feature columns (the bundle's
 * features must all be present; order and extra columns do not matter). Throws BundleError.
 */
export async function loadBundle(bytes: Uint8Array, available: { features: readonly string[] }): Promise<LoadedBundle> {
  const { header, weights } = parseHeader(bytes);
  const { metadata } = header;
  if (metadata.formatVersion !== BUNDLE_FORMAT_VERSION) {
    const advice =
      metadata.formatVersion > BUNDLE_FORMAT_VERSION
        ? 'it was saved by a newer CLV Studio; update CLV Studio to open it'
        : 'it was saved by an older CLV Studio; retrain the model and export it again';
    throw new BundleError(
      'BUNDLE_VERSION',
      `This model bundle has format version ${metadata.formatVersion} but this CLV Studio reads version ${BUNDLE_FORMAT_VERSION}: ${advice}.`,
    );
  }
  if (!MODEL_KINDS.includes(metadata.modelKind)) {
    throw new BundleError(
      'BUNDLE_KIND',
      `This bundle holds a "${metadata.modelKind}" model, which this CLV Studio cannot run (it knows ${MODEL_KINDS.join(', ')}); update CLV Studio.`,
    );
  }
  checkParts(header, weights);
  const position = new Map(available.features.map((name, i) => [name, i]));
  const missing = metadata.features.filter((name) => !position.has(name));
  if (missing.length > 0) {
    throw new BundleError(
      'BUNDLE_FEATURES_MISSING',
      `The model needs the feature${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the current data lacks; ` +
        'compute features with the same settings as when the model was trained, or train a new model on this data.',
    );
  }
  let model: tf.LayersModel;
  try {
    // Copy the weights into their own ArrayBuffer: tfjs reads the whole buffer it is given.
    model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: header.modelTopology, weightSpecs: header.weightSpecs, weightData: weights.slice().buffer }),
    );
  } catch {
    throw corrupt();
  }
  let predictor: NetPredictor;
  try {
    predictor = new NetPredictor(metadata.modelKind, model, metadata.scaler, metadata.targetTransform);
    predictor.calibration = metadata.calibration ?? null;
    predictor.spendCeiling = metadata.spendCeiling ?? null;
    if (predictor.net.inputDim !== metadata.features.length || predictor.net.outputs !== KIND_OUTPUTS[metadata.modelKind]) {
      throw new Error('layer sizes do not match the bundle');
    }
    // One prediction for the average customer: a topology that loads but cannot run fails here.
    const probe = predictor.predict(Float32Array.from(metadata.scaler.mean));
    if (probe.length !== 1 || !Number.isFinite(probe[0])) throw new Error('no finite prediction');
  } catch {
    model.dispose();
    throw corrupt();
  }
  const columns = Int32Array.from(metadata.features, (name) => position.get(name)!);
  const width = available.features.length;
  return {
    metadata,
    predictor,
    columns,
    selectFeatures(X: Float32Array): Float32Array {
      const n = X.length / width;
      const out = new Float32Array(n * columns.length);
      for (let i = 0; i < n; i++) for (let j = 0; j < columns.length; j++) out[i * columns.length + j] = X[i * width + columns[j]];
      return out;
    },
  };
}

/**
 * Checks that a bundle can score data with the given feature columns, building and running its
 * model once, and frees it again: the app calls this before it changes anything on the page, so a
 * bad file never costs the results already there. Throws BundleError like loadBundle.
 */
export async function validateBundle(bytes: Uint8Array, available: { features: readonly string[] }): Promise<BundleMetadata> {
  const loaded = await loadBundle(bytes, available);
  loaded.predictor.dispose();
  return loaded.metadata;
}
