/**
 * What rawRelation.ts (and, for Parquet and JSON read by DuckDB itself, nativeRelation.ts) hands
 * the engine: a SELECT over the dropped file. In a file of its own so that neither reader imports
 * the other for it.
 */
import type { SqlValue } from '../db';
import type { TextEncoding } from './textEncoding';
import type { TextLayout } from './textLayout';

export interface RawRelation {
  /** SELECT producing the file's rows with ROW_COLUMN first and EXTRA_COLUMN last; bind `params` when running it. */
  sql: string;
  /**
   * The same rows read with a small buffer, for DESCRIBE and the first rows: DuckDB's default
   * buffer (16 MiB and more) would otherwise be read, from the user's file, for a look at 1,000 rows.
   */
  sampleSql: string;
  params: SqlValue[];
  layout: TextLayout | null;
  /** The file's columns in order (without ROW_COLUMN and EXTRA_COLUMN). */
  names: string[];
  /** The first data records of a text file, split into fields: a sample that costs no read. */
  sampleRecords: string[][];
  encoding: TextEncoding;
  /** JSON read from the one list of objects inside a wrapper object: that list's path (importedTable.ts). */
  rowsField?: string;
  /** JSON lines nested under another row (`__parentId`, Shopify's bulk exports): left out of `sql` and counted here (nestedRows.ts). */
  nestedRows?: number;
}
