import type { Row } from '../src/core/db';
import type { BuildOptions, BuildResult, EngineTable, Inspection, LoadResult } from '../src/core/engine';
import type { CleaningOptions } from '../src/core/clean/staging';
import type { ColumnMapping } from '../src/core/mapping/roles';

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

export interface DataWorkerApi {
  /** Registers the File as a handle (no copy into memory), sniffs it and guesses the column roles. */
  open(file: File): Promise<Inspection>;
  load(mapping: ColumnMapping, cleaning?: CleaningOptions): Promise<LoadResult>;
  build(options?: Partial<BuildOptions>): Promise<BuildResult>;
  page(table: EngineTable, offset: number, limit: number, orderBy?: { column: string; descending: boolean }): Promise<{ rows: Row[]; total: number }>;
  /** A whole table as CSV text safe for spreadsheets. */
  exportCsv(table: EngineTable): Promise<string>;
  featureArrays(): Promise<FeatureArrays>;
  /** Runs a read-only query the UI needs for a chart (aggregates only, never whole tables). */
  segmentSummary(): Promise<Row[]>;
}
