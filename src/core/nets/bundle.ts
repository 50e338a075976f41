/**
 * A model bundle: one self-contained Uint8Array holding a trained network's weights, its
 * tfjs-layers topology and everything needed to use it again (features, scaler, target transform,
 * cutoff, metrics). The same bytes go to a file download and to IndexedDB.
 *
 * Layout: "CLVB" | header length (uint32, little-endian) | header (UTF-8 JSON: metadata,
 * modelTopology, weightSpecs, weightBytes) | weight data.
 */
import * as tf from '@tensorflow/tfjs';
import type { ScalerStats, TargetTransform } from './scaler';
import { NetPredictor, type ModelKind } from './trainFnn';

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
}

interface BundleHeader {
  metadata: BundleMetadata;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightBytes: number;
}

export type BundleErrorCode = 'BUNDLE_CORRUPT' | 'BUNDLE_VERSION' | 'BUNDLE_KIND' | 'BUNDLE_FEATURES_MISSING';

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

export async function serializeBundle(predictor: NetPredictor, info: BundleInfo): Promise<Uint8Array> {
  if (info.features.length !== predictor.featureCount) {
    throw new RangeError(`${info.features.length} feature names for a model with ${predictor.featureCount} inputs`);
  }
  let artifacts: tf.io.ModelArtifacts | undefined;
  await predictor.model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('tfjs returned no weights for the model');
  }
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
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
      tfjsVersion: tf.version.tfjs,
      createdAt: new Date().toISOString(),
    },
    modelTopology: artifacts.modelTopology as object,
    weightSpecs: artifacts.weightSpecs,
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

function parseHeader(bytes: Uint8Array): { header: BundleHeader; weights: Uint8Array } {
  if (bytes.byteLength < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new BundleError('BUNDLE_CORRUPT', CORRUPT);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new BundleError('BUNDLE_CORRUPT', CORRUPT);
  let header: BundleHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new BundleError('BUNDLE_CORRUPT', CORRUPT);
  }
  if (!header?.metadata || !header.modelTopology || !Array.isArray(header.weightSpecs)) {
    throw new BundleError('BUNDLE_CORRUPT', CORRUPT);
  }
  const weights = bytes.subarray(8 + headerLength);
  if (weights.byteLength !== header.weightBytes) throw new BundleError('BUNDLE_CORRUPT', CORRUPT);
  return { header, weights };
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
    throw new BundleError('BUNDLE_CORRUPT', CORRUPT);
  }
  let predictor: NetPredictor;
  try {
    predictor = new NetPredictor(metadata.modelKind, model, metadata.scaler, metadata.targetTransform);
    if (predictor.net.inputDim !== metadata.features.length || metadata.scaler.mean.length !== metadata.features.length) {
      throw new Error('feature count mismatch');
    }
  } catch {
    model.dispose();
    throw new BundleError('BUNDLE_CORRUPT', CORRUPT);
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
