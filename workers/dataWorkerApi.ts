import type { Row } from '../src/core/db';
import type { BuildOptions, BuildResult, EngineStepListener, EngineTable, Inspection, LoadResult } from '../src/core/engine';
import type { CleaningOptions } from '../src/core/clean/staging';
import type { ColumnMapping } from '../src/core/mapping/roles';
import type { GainPoint } from '../src/core/eval/calibration';
import type { TimeUnit } from '../src/core/tables/period';
import type { BtydInputs } from './modelWorkerApi';
import type { WorkerWarmupReport } from './warmupRunner';

/**
 * The message contract of workers/data.worker.ts: everything that crosses the thread boundary
 * to and from DuckDB is typed here. Errors arrive as `{ code, message }` objects.
 */
export interface FeatureArrays {
  customerIds: string[];
  featureNames: string[];
  /** Row-major n × d, transferred. */
  features: Float32Array;
  targetNames: string[];
  /** Row-major n × t, transferred (empty when no horizon). */
  targets: Float32Array;
}

/** Everything a training run needs from DuckDB, aligned by customer (features ⋈ rfm, by id). */
export interface TrainingInputs {
  data: FeatureArrays;
  btyd: BtydInputs;
  visitanteScore: Float64Array;
  /** Days from the cutoff to the horizon end; null when no horizon was set. */
  horizonDays: number | null;
  unit: TimeUnit;
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
  /** Customers every model was scored on; null when there is no horizon (scoring only). */
  testIndices: Int32Array | null;
}

export type ScatterData =
  | { kind: 'points'; n: number; points: { actual: number; predicted: number }[] }
  | { kind: 'bins'; n: number; bins: { x1: number; x2: number; y1: number; y2: number; customers: number }[] };

export interface GainSeries {
  model: string;
  points: GainPoint[];
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
  page(table: EngineTable, offset: number, limit: number, orderBy?: { column: string; descending: boolean }): Promise<{ rows: Row[]; total: number }>;
  /** A whole table as CSV text safe for spreadsheets. */
  exportCsv(table: EngineTable): Promise<string>;
  featureArrays(): Promise<FeatureArrays>;
  /** Runs a read-only query the UI needs for a chart (aggregates only, never whole tables). */
  segmentSummary(): Promise<Row[]>;
  /** Features, targets, BTYD inputs and visitante scores in one aligned, transferred bundle. */
  trainingInputs(): Promise<TrainingInputs>;
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
  /** A table as a file: CSV neutralised for spreadsheets, or Parquet written by DuckDB. Transferred. */
  exportTable(table: ViewTable, format: ExportFormat): Promise<Uint8Array>;
}
