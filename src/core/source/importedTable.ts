import { Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ClvError } from '../errors';

/**
 * DuckDB-WASM ships without its parquet and json extensions and would fetch them from the
 * network, which CLV Studio never does. Parquet (hyparquet) and JSON are read here instead and
 * handed to DuckDB as an Arrow table of text columns; the usual detection then parses them.
 */
export interface ByteSource {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer> | ArrayBuffer;
}

export interface TextColumns {
  names: string[];
  columns: (string | null)[][];
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

function columnsFromObjects(rows: Record<string, unknown>[]): TextColumns {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  return { names, columns: names.map((name) => rows.map((row) => asText(row[name]))) };
}

export async function parquetColumns(source: ByteSource, fileName: string): Promise<TextColumns> {
  try {
    const rows = (await parquetReadObjects({ file: source, compressors })) as Record<string, unknown>[];
    return columnsFromObjects(rows);
  } catch (error) {
    throw new ClvError('MALFORMED_FILE', `"${fileName}" could not be read as Parquet: ${error instanceof Error ? error.message : String(error)}. Check the file, or export it as CSV.`);
  }
}

/** A JSON array of objects, or newline-delimited JSON (one object per line). */
export function jsonColumns(text: string, fileName: string): TextColumns {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let rows: unknown[];
  try {
    rows = trimmed.startsWith('[')
      ? (JSON.parse(trimmed) as unknown[])
      : trimmed
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as unknown);
  } catch (error) {
    throw new ClvError('MALFORMED_FILE', `"${fileName}" is not valid JSON or NDJSON (${error instanceof Error ? error.message : String(error)}). Use an array of objects or one object per line.`);
  }
  if (!Array.isArray(rows) || rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new ClvError('MALFORMED_FILE', `"${fileName}" must hold objects (one per transaction), as an array or one per line.`);
  }
  return columnsFromObjects(rows as Record<string, unknown>[]);
}

export function textColumnsToArrowIpc(table: TextColumns): Uint8Array {
  const vectors = Object.fromEntries(table.names.map((name, j) => [name, vectorFromArray(table.columns[j], new Utf8())]));
  return tableToIPC(new Table(vectors), 'stream');
}
