/**
 * Everything that crosses a thread boundary, in one place (as duckdb-wasm's worker_request.ts):
 * the message contracts of workers/data.worker.ts (DuckDB) and workers/model.worker.ts
 * (TensorFlow.js), the data both of them carry, and the errors they throw. Both workers and the
 * page import from here; this module imports only core types, never a worker or the page.
 *
 * Large arrays travel as transferred typed arrays; progress and engine steps arrive through
 * Comlink-proxied callbacks. A failed call rejects with an ErrorInfo (src/core/errors.ts): user
 * errors keep their code, message and details; internal errors keep their name and stack.
 */
import type { Row } from '../src/core/db';
import type { BuildOptions, BuildResult, EngineStepListener, EngineTable, Inspection, LoadResult, ModelInputs } from '../src/core/engine';
import type { CleaningOptions } from '../src/core/clean/staging';
import type { ColumnMapping } from '../src/core/mapping/roles';
import type { GainPoint } from '../src/core/eval/calibration';
import type { ModelEvaluation } from '../src/core/eval/compareModels';
import type { FeatureImportance } from '../src/core/eval/permutationImportance';
import type { EvaluationProgress } from '../src/core/evaluate/evaluationTypes';
import type { ForecastTable } from '../src/core/forecast/forecastExport';
import type { ModelName } from '../src/core/evaluate/modelNames';
import type { BgNbdParams } from '../src/core/models/bgnbd';
import type { FitCheckData } from '../src/core/models/fitCheckData';
import type { GammaGammaFit } from '../src/core/models/gammaGamma';
import type { TransactionModelKind } from '../src/core/models/transactionModels';
import type { BackendName } from '../src/core/nets/backendChoice';
import type { TimeUnit } from '../src/core/tables/period';
import type { SequenceBatch } from '../src/core/nets/sequenceArchitecture';
import type { SequenceLayout } from '../src/core/tables/sequenceLayout';
import type { TrackingCounts } from '../src/core/tables/trackingCounts';
import type { WorkerWarmupReport } from './warmupRunner';

export type { ErrorInfo } from '../src/core/errors';
/**
 * The model worker's training workers (workers/netTraining.worker.ts): one net per call, its job
 * (inputs, rows, seed, recipe) in, its trained state (weights transferred) out. Defined in the core
 * because the CLI's worker threads speak it too (src/node/netTrainingThread.ts).
 */
export type { NetTrainingApi } from '../src/core/nets/netTrainer';
export type { NetTrainingJob, TrainedNetState } from '../src/core/nets/netTrainingJob';
export type { BackendName, ModelName, TrackingCounts };

// ── Shared by both workers ───────────────────────────────────────────────────────────────────

type AnyFunction = (...args: never[]) => unknown;

/**
 * A core value as it arrives on the other side of a postMessage (structured clone): plain data,
 * methods dropped, class instances as plain objects, typed arrays and buffers kept as they are.
 */
export type Serialised<T> = T extends AnyFunction
  ? never
  : T extends ArrayBufferView | ArrayBufferLike | Date
    ? T
    : T extends readonly (infer U)[]
      ? Serialised<U>[]
      : T extends object
        ? { [K in keyof T as T[K] extends AnyFunction ? never : K]: Serialised<T[K]> }
        : T;

/** Features and targets per customer, from the data worker to the model worker (via the page). */
export interface FeatureArrays {
  customerIds: string[];
  featureNames: string[];
  /** Row-major n × d, transferred. */
  features: Float32Array;
  targetNames: string[];
  /** Row-major n × t, transferred (empty when no horizon). */
  targets: Float32Array;
  /** The purchase summaries and their unit, for bundles of probabilistic models and the ensemble's lognormal values (featureArrays gives them). */
  btyd?: { frequency: Float64Array; recency: Float64Array; T: Float64Array; monetary: Float64Array; logSpend?: { days: Float64Array; mean: Float64Array; squares: Float64Array } };
  unit?: TimeUnit;
}

/** BTYD inputs per customer, aligned with FeatureArrays.customerIds, in the run's time unit. */
export type BtydInputs = Serialised<ModelInputs['btyd']>;

// ── Data worker (DuckDB) ─────────────────────────────────────────────────────────────────────

/** Everything a training run needs from DuckDB, aligned by customer (features ⋈ rfm, by id). */
export interface TrainingInputs {
  data: FeatureArrays;
  btyd: BtydInputs;
  visitanteScore: Float64Array;
  /** Days from the cutoff to the horizon end; null when no horizon was set. */
  horizonDays: number | null;
  unit: TimeUnit;
  /** Weekly spend and purchase days before the cutoff (n × periods × 2), when asked for: the LSTM's and CNN's inputs. Transferred. */
  sequences?: SequenceBatch | null;
}

/**
 * The forecast's data (src/core/forecast): the customers as of the file's last day and, for a
 * learned model, the training window (features at `pastCutoff`, targets up to the last day).
 */
export interface ForecastWindows {
  present: TrainingInputs;
  past: TrainingInputs | null;
  firstDay: string;
  lastDay: string;
}

/** What the page asks the model worker to forecast. */
export interface ForecastRequest {
  windows: ForecastWindows;
  model: ModelName;
  /** Calendar months after the last day (a preset), or `end`. */
  months?: number;
  end?: string;
  /** Default length when neither is given: the backtest's horizon in days. */
  defaultDays: number;
  annualDiscountRate: number;
  margin: number | null;
  seed: number;
  maxEpochs?: number;
}

/** A forecast as the page shows it; the worker keeps the whole table for forecastCsv(). */
export interface ForecastSummary {
  model: ModelName;
  /** The result in words: "expected gross margin (30% of spend), 1 Jan 2012 – 31 Dec 2012, discounted at 10%/yr". */
  description: string;
  start: string;
  end: string;
  customers: number;
  totals: { expectedPurchases: number; expectedSpend: number; clv: number };
  hasIntervals: boolean;
  /** The customers with the highest CLV, for the table on the page. */
  top: { customerId: string; expectedPurchases: number; pAlive: number; churn: number; expectedSpend: number; clv: number; clvLow: number | null; clvHigh: number | null }[];
  /** Value segments by forecast CLV (high: top 20%, medium: next 30%, low). */
  segments: { segment: string; count: number; customer_share: number; predicted_total: number; predicted_share: number }[];
  /** The first rows of the retention and upsell lists from the forecast (forecastExport() gives them whole). */
  retention: { customer_id: string; predicted_clv: number; p_alive: number; churn_risk: number; value_at_risk: number }[];
  upsell: { customer_id: string; predicted_clv: number; p_alive: number; churn_risk: number; score: number }[];
  warnings: string[];
}

/** Tables the UI can page through and export: the engine's, plus `predictions` once there are some. */
export type ViewTable = EngineTable | 'predictions';

export interface ColumnInfo {
  name: string;
  type: string;
  numeric: boolean;
}

export interface RowFilter {
  column: string;
  op: 'contains' | '=' | '>=' | '<=';
  value: string;
}

export interface SortOrder {
  column: string;
  descending: boolean;
}

export interface PageRequest {
  offset: number;
  limit: number;
  orderBy?: SortOrder;
  filters?: RowFilter[];
}

export interface SegmentShare {
  segment: string;
  customers: number;
  customer_share: number;
  /** Spend up to the cutoff, and the segment's share of it. */
  spend: number;
  value_share: number;
  avg_frequency: number;
  avg_monetary: number;
}

export interface HeatCell {
  r_score: number;
  f_score: number;
  customers: number;
  avg_spend: number;
}

/**
 * Per-customer model outputs, aligned with the last TrainingInputs' customers, written back into
 * DuckDB as the `predictions` table. `primary` names the model whose values become predicted_clv.
 */
export interface PredictionColumns {
  models: Record<string, Float32Array>;
  primary: string;
  pAlive: Float32Array | null;
  expectedPurchases: Float32Array | null;
  discountedClv: Float32Array | null;
  /** The one churn definition, P(no purchase in the horizon) (src/core/evaluate/churn.ts); absent in older sessions. */
  churn?: Float32Array | null;
  /** Customers every model was scored on; null when there is no horizon (scoring only). */
  testIndices: Int32Array | null;
  /**
   * 90% intervals beside the point columns, where the models have them: predicted_clv's from the
   * primary model (its horizon spend), expected_purchases' and discounted_clv's from BG/NBD, whose
   * columns those are.
   */
  intervals?: { clv: IntervalColumns | null; purchases: IntervalColumns | null; discountedClv: IntervalColumns | null };
}

/** Lower and upper ends of a 90% interval per customer, aligned with the training customers. */
export interface IntervalColumns {
  low: Float32Array;
  high: Float32Array;
}

/** One model's per-customer 90% intervals (src/core/models/transactionForecast.ts, nets/zilnIntervals.ts). */
export interface CustomerIntervalColumns {
  /** The spend the customer will actually make in the horizon (predictive; its holdout coverage is the one reported). */
  spend: IntervalColumns;
  /** Expected purchases in the horizon (parameter uncertainty); probabilistic models only. */
  purchases: IntervalColumns | null;
  /** Discounted CLV (parameter uncertainty); probabilistic models with a discount only. */
  discountedClv: IntervalColumns | null;
}

export type ScatterData =
  | { kind: 'points'; n: number; points: { actual: number; predicted: number }[] }
  | { kind: 'bins'; n: number; bins: { x1: number; x2: number; y1: number; y2: number; customers: number }[] };

export interface GainSeries {
  model: string;
  points: Serialised<GainPoint>[];
}

export interface HistogramBin {
  x1: number;
  x2: number;
  customers: number;
}

export interface ValueShare {
  grouping: 'value' | 'rfm';
  segment: string;
  customers: number;
  predicted: number;
  predicted_share: number;
  actual: number | null;
  actual_share: number | null;
}

/** One day of a customer's history: their rows of that day netted, as the tables count purchases. */
export interface CustomerDay {
  /** ISO date. */
  day: string;
  /** Net spend of the day (negative when returns outweigh purchases). */
  spend: number;
  /** Whether the day counts as a purchase (see README, What a purchase is). */
  purchase: boolean;
}

/** A customer's days, oldest first; `truncated` when only the most recent `days.length` came back. */
export interface CustomerHistory {
  days: CustomerDay[];
  truncated: boolean;
  /** ISO date of the customer's first purchase day (also when it lies before the kept days); null without one. */
  firstPurchase: string | null;
  /** Purchase days before the first kept day (0 unless `truncated`). */
  earlierPurchaseDays: number;
  /**
   * Every purchase day of the customer (ISO dates, oldest first, before and after the cutoff) when
   * `truncated`, so P(alive) over time counts from the true first purchase; null when `days` holds them all.
   */
  purchaseDays: string[] | null;
}

export interface CustomerProfile {
  /** Position in the training inputs' order, as the model worker's explain() expects. */
  index: number;
  customer_id: string;
  features: Row;
  rfm: Row | null;
  prediction: Row | null;
}

export type ExportFormat = 'csv' | 'parquet';

export interface DataWorkerApi {
  /**
   * The start-up warm-up of the engine (src/core/engineWarmup.ts) once it has ended, without
   * stopping it; null if it could not run.
   */
  warmup(): Promise<WorkerWarmupReport | null>;
  /** Registers the File as a handle (no copy into memory), sniffs it and guesses the column roles. */
  open(file: File): Promise<Inspection>;
  /** Cleans with the mapping; `onStep` (a Comlink proxy) hears each step as it starts. */
  load(mapping: ColumnMapping, cleaning?: CleaningOptions, onStep?: EngineStepListener): Promise<LoadResult>;
  build(options?: Partial<BuildOptions>, onStep?: EngineStepListener): Promise<BuildResult>;
  page(table: EngineTable, offset: number, limit: number, orderBy?: SortOrder): Promise<{ rows: Row[]; total: number }>;
  /** A whole table as CSV text safe for spreadsheets. */
  exportCsv(table: EngineTable): Promise<string>;
  featureArrays(): Promise<FeatureArrays>;
  /** Runs a read-only query the UI needs for a chart (aggregates only, never whole tables). */
  segmentSummary(): Promise<Row[]>;
  /** Features, targets, BTYD inputs and visitante scores in one aligned, transferred bundle. */
  /** The model inputs of the built period; with `withSequences`, the per-period purchase sequences the LSTM and CNN read (cut with a saved model's layout when given one). */
  trainingInputs(withSequences?: boolean | SequenceLayout): Promise<TrainingInputs>;
  /**
   * The forecast's windows: the tables built as of the file's last day (and, with `pastCutoff`, the
   * learned models' training window), read, and the page's own period built again.
   */
  forecastWindows(pastCutoff: string | null, withSequences?: boolean): Promise<ForecastWindows>;
  columnsOf(table: ViewTable): Promise<ColumnInfo[]>;
  /** A filtered, sorted page: DuckDB does the work, only `limit` rows come back. */
  pageWhere(table: ViewTable, request: PageRequest): Promise<{ rows: Row[]; total: number; columns: ColumnInfo[] }>;
  rfmSegments(): Promise<SegmentShare[]>;
  rfmHeatmap(): Promise<HeatCell[]>;
  /** Removes the `predictions` table (the tables it was made from changed). */
  dropPredictions(): Promise<void>;
  /** Writes model outputs as the `predictions` table; returns its column names. */
  storePredictions(columns: PredictionColumns): Promise<string[]>;
  predictedVsActual(model: string, maxPoints: number): Promise<ScatterData>;
  gainCurves(models: string[]): Promise<GainSeries[]>;
  clvHistogram(bins: number): Promise<HistogramBin[]>;
  valueShares(): Promise<ValueShare[]>;
  searchCustomers(prefix: string, limit: number): Promise<string[]>;
  customer(customerId: string): Promise<CustomerProfile | null>;
  /** The customer's days with purchases or returns, before and after the cutoff (the lookup's timeline). */
  customerHistory(customerId: string): Promise<CustomerHistory>;
  /** A table as a file: CSV neutralised for spreadsheets, or Parquet written by DuckDB. Transferred. */
  exportTable(table: ViewTable, format: ExportFormat): Promise<Uint8Array>;
  /** Repeat transactions per period of `periodDays` days over the built period's calibration and horizon (the tracking chart's actuals). Transferred. */
  trackingCounts(periodDays: number): Promise<TrackingCounts>;
}

// ── Model worker (TensorFlow.js) ─────────────────────────────────────────────────────────────

export interface BackendInfo {
  backend: BackendName;
  reason: string;
  /** Backends this browser offers, for the override menu. */
  available: BackendName[];
}

export interface TrainRequest {
  data: FeatureArrays;
  btyd: BtydInputs;
  /** Visitante score per customer (rank metrics only). */
  visitanteScore: Float64Array;
  /** Horizon length in days, and the time unit of `btyd`. */
  horizonDays: number;
  unit: TimeUnit;
  models: ModelName[];
  seed: number;
  /** Cap on epochs per net (early stopping usually ends sooner); small values for quick runs. */
  maxEpochs?: number;
  backend?: BackendName;
  /** Per-period discount rate and number of periods for discounted CLV (BG/NBD + Gamma-Gamma). */
  discount?: { ratePerPeriod: number; daysPerPeriod: number };
  /** Calibration cutoff of `data` (ISO date), recorded in the exported bundle. */
  cutoff?: string;
  /** Per-period purchase sequences aligned with `data` (TrainingInputs.sequences), for LSTM and CNN. */
  sequences?: SequenceBatch | null;
}

/** Facts about the training data the worker cannot see in the arrays, for exportBundle. */
export interface BundleExportOptions {
  /** Calibration cutoff (ISO date); needed when the train request did not carry it. */
  cutoff?: string;
  /** The model to save (the ★ model); default the best net, the one explanations use. */
  model?: ModelName;
}

/** Where a training run is, as the evaluation reports it (src/core/evaluate/evaluationTypes.ts). */
export type TrainProgress = Serialised<EvaluationProgress>;

/** A model's test metrics as the evaluation computed them (src/core/eval/compareModels.ts). */
export type ModelMetrics = Serialised<Pick<ModelEvaluation, 'n' | 'regression' | 'deciles' | 'top_value' | 'churn' | 'ci95' | 'vs_btyd'>> & {
  model: ModelName;
  /** Why the comparison cannot make this model the best; null (or absent, in older saved results) when it can. */
  degenerate?: ModelEvaluation['degenerate'];
};

export interface TrainResult {
  backend: BackendInfo;
  /** Workers the nets trained on side by side (1 or absent: one after another in the model worker). */
  trainingWorkers?: number;
  /** How the models were scored: one split (sizes of its parts) or K-fold cross-fitting (n customers, all scored). */
  split: { kind?: 'split' | 'cross_fit'; folds?: number; n?: number; seed: number; train: number; validation: number; test: number };
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
  /** BG/NBD's P(no purchase in the horizon), the one churn definition; absent in older sessions. */
  churn?: Float32Array | null;
  /** Per model that has them, 90% intervals for every customer (absent in older sessions). */
  intervals?: Partial<Record<ModelName, CustomerIntervalColumns>>;
  /** Each fitted probabilistic model's kind and parameters in the run's time unit, for P(alive) over time (absent in older sessions). */
  transactionParams?: Partial<Record<ModelName, { kind: TransactionModelKind; params: Record<string, number> }>>;
  params: { bgnbd?: BgNbdParams; gammaGamma?: Pick<GammaGammaFit, 'p' | 'q' | 'v' | 'degenerate'> };
  /** Per model: the drop of `importanceMetric` when each feature is shuffled, mean and sd over the repeats (sd absent in older sessions). */
  importance: Partial<Record<ModelName, (Pick<FeatureImportance, 'feature' | 'importance'> & { std?: number })[]>>;
  /** The metric importance was measured on (absent in older sessions, which used RMSE). */
  importanceMetric?: string;
  /** Shuffles per feature behind each mean and sd. */
  importanceRepeats?: number;
  warnings: string[];
}

/** One feature's share of one customer's prediction (integrated gradients). */
export interface FeatureAttribution {
  feature: string;
  attribution: number;
}

/**
 * The four fit-check charts' numbers for every probabilistic model of the last training
 * (src/core/models/fitCheckData.ts): tracking, holdout by frequency, period transactions and the
 * P(alive) and expected-purchases matrices. Its typed arrays are transferred.
 */
export type FitChecks = Serialised<FitCheckData>;

export interface ModelWorkerApi {
  /** Answers at once whenever the worker's event loop is free (between training batches): its watchdog's heartbeat. */
  ping(): Promise<'pong'>;
  probeBackend(override?: BackendName): Promise<BackendInfo>;
  train(request: TrainRequest, onProgress: (p: TrainProgress) => void): Promise<TrainResult>;
  /** Refits `request.model` up to the file's last day and forecasts every customer (src/core/forecast). */
  forecast(request: ForecastRequest, onProgress: (p: TrainProgress) => void): Promise<ForecastSummary>;
  /** The last forecast as CSV (forecast.csv's columns plus the period's first and last day). */
  forecastCsv(): Promise<Uint8Array>;
  /** A table of the last forecast (the customers, the retention list or the upsell list) as CSV or Parquet, the period on every row. Transferred. */
  forecastExport(table: ForecastTable, format: ExportFormat): Promise<Uint8Array>;
  /** Stops the running training between batches; train() then rejects with code CANCELLED. */
  cancel(): Promise<void>;
  /** Per-feature attributions for one customer of the last training (best net). */
  explain(customerIndex: number): Promise<FeatureAttribution[]>;
  /** The same explanation from a saved bundle (e.g. after a reload, when no net is in memory); `row` in `featureNames` order. */
  explainWithBundle(bundle: Uint8Array, featureNames: string[], row: Float32Array): Promise<FeatureAttribution[]>;
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
  /** Loads a bundle and predicts horizon spend for the given customers; `sequences` (cut with the bundle's layout) for an LSTM or CNN. */
  predictWithBundle(bundle: Uint8Array, data: FeatureArrays, sequences?: SequenceBatch | null): Promise<Float32Array>;
  /** The fit checks of the last training's probabilistic models, with the data worker's `trackingCounts` for its period. */
  fitChecks(counts: TrackingCounts): Promise<FitChecks>;
}
