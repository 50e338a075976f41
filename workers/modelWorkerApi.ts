import type { FeatureArrays } from './dataWorkerApi';
import type { ModelName } from '../src/core/evaluate/modelNames';
import type { ComparisonDefect } from '../src/core/eval/compareModels';

export type { ModelName };

/**
 * The message contract of workers/model.worker.ts. Large arrays travel as transferred typed
 * arrays; progress arrives through a Comlink-proxied callback; errors as `{ code, message }`.
 */

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export interface BackendInfo {
  backend: BackendName;
  reason: string;
  /** Backends this browser offers, for the override menu. */
  available: BackendName[];
}

/** BTYD inputs per customer, aligned with FeatureArrays.customerIds, in `unit`s. */
export interface BtydInputs {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetary: Float64Array;
}

export interface TrainRequest {
  data: FeatureArrays;
  btyd: BtydInputs;
  /** Visitante score per customer (rank metrics only). */
  visitanteScore: Float64Array;
  /** Horizon length in days, and the time unit of `btyd`. */
  horizonDays: number;
  unit: 'day' | 'week';
  models: ModelName[];
  seed: number;
  /** Cap on epochs per net (early stopping usually ends sooner); small values for quick runs. */
  maxEpochs?: number;
  backend?: BackendName;
  /** Per-period discount rate and number of periods for discounted CLV (BG/NBD + Gamma-Gamma). */
  discount?: { ratePerPeriod: number; daysPerPeriod: number };
  /** Calibration cutoff of `data` (ISO date), recorded in the exported bundle. */
  cutoff?: string;
}

/** Facts about the training data the worker cannot see in the arrays, for exportBundle. */
export interface BundleExportOptions {
  /** Calibration cutoff (ISO date); needed when the train request did not carry it. */
  cutoff?: string;
}

export interface TrainProgress {
  model: ModelName;
  stage: string;
  epoch: number;
  epochs: number;
  loss: number | null;
  valLoss: number | null;
  samplesPerSec: number | null;
  etaMs: number | null;
  /** 0–1 over the whole job. */
  fraction: number;
}

export interface ModelMetrics {
  model: ModelName;
  n: number;
  regression: Record<string, number | null>;
  deciles: { decile: number; count: number; mean_predicted: number; mean_actual: number; sum_actual: number }[];
  top_value: Record<string, number | null>;
  churn: Record<string, number | null> | null;
  /** Why the comparison cannot make this model the best; null (or absent, in older saved results) when it can. */
  degenerate?: ComparisonDefect | null;
}

export interface TrainResult {
  backend: BackendInfo;
  split: { seed: number; train: number; validation: number; test: number };
  /** Model whose explanations and bundle are offered (best normalized Gini among the nets). */
  bestNet: ModelName | null;
  /** Indices (into customerIds) of the test customers every model is scored on. */
  testIndices: Int32Array;
  metrics: ModelMetrics[];
  /** Predicted horizon spend per model for every customer (not only the test slice). */
  predictions: Partial<Record<ModelName, Float32Array>>;
  pAlive: Float32Array | null;
  expectedPurchases: Float32Array | null;
  discountedClv: Float32Array | null;
  params: { bgnbd?: Record<string, number>; gammaGamma?: Record<string, number | boolean | string> };
  importance: Partial<Record<ModelName, { feature: string; importance: number }[]>>;
  warnings: string[];
}

export interface ModelWorkerApi {
  /** Answers at once whenever the worker's event loop is free (between training batches): its watchdog's heartbeat. */
  ping(): Promise<'pong'>;
  probeBackend(override?: BackendName): Promise<BackendInfo>;
  train(request: TrainRequest, onProgress: (p: TrainProgress) => void): Promise<TrainResult>;
  /** Stops the running training between batches; train() then rejects with code CANCELLED. */
  cancel(): Promise<void>;
  /** Per-feature attributions for one customer of the last training (best net). */
  explain(customerIndex: number): Promise<{ feature: string; attribution: number }[]>;
  /** The same explanation from a saved bundle (e.g. after a reload, when no net is in memory); `row` in `featureNames` order. */
  explainWithBundle(bundle: Uint8Array, featureNames: string[], row: Float32Array): Promise<{ feature: string; attribution: number }[]>;
  /**
   * The last trained best model as a downloadable bundle: weights, features, scaler, target
   * transform, cutoff, unit, horizon, seed, test metrics and versions.
   */
  exportBundle(options?: BundleExportOptions): Promise<Uint8Array>;
  /**
   * Checks a bundle completely (header, weights, every model part, the features it needs among
   * `featureNames`) without keeping it; rejects with the error scoring would give (e.g. BUNDLE_CORRUPT).
   */
  checkBundle(bundle: Uint8Array, featureNames: string[]): Promise<{ model: string }>;
  /** Loads a bundle and predicts horizon spend for the given customers. */
  predictWithBundle(bundle: Uint8Array, data: FeatureArrays): Promise<Float32Array>;
}
