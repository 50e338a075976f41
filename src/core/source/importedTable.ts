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
  /** JSON whose rows are the one list of objects inside a wrapper object: that list's path ("orders", "data.orders"). */
  rowsField?: string;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

/** Objects nested this many levels inside a row are spread into columns of their own; deeper ones stay JSON text. */
const FLATTEN_DEPTH = 3;

/**
 * A row with its nested objects spread into dotted columns: Shopify's `"customer": {"id": 207119551,
 * "email": …, "orders_count": 3}` becomes customer.id, customer.email, customer.orders_count, so the
 * customer is its id (the whole object as text would change with every order as orders_count grows,
 * and make each order a customer of its own); `{"data": {"order": {…}}}` per line reads as
 * data.order.created_at…. Lists (an order's line items) stay one column of JSON text.
 */
function flattened(row: Record<string, unknown>, prefix = '', depth = 0, out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (isRecord(value) && depth < FLATTEN_DEPTH && Object.keys(value).length > 0) flattened(value, `${prefix}${key}.`, depth + 1, out);
    else out[`${prefix}${key}`] = value;
  }
  return out;
}

function columnsFromObjects(nestedRows: Record<string, unknown>[]): TextColumns {
  const rows = nestedRows.map((row) => flattened(row));
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
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file: source, compressors })) as Record<string, unknown>[];
  } catch {
    throw new ClvError('MALFORMED_FILE', `"${fileName}" could not be read as Parquet: the file is damaged or not Parquet. Export it again, or as CSV.`);
  }
  rejectNestedRows(rows, fileName);
  return columnsFromObjects(rows);
}

/** JSON is parsed whole in JavaScript: above this size the app would run out of memory (or string length). */
export const JSON_SIZE_LIMIT = 256 * 1024 * 1024;

function tooLarge(fileName: string, bytes: number): ClvError {
  return new ClvError(
    'FILE_TOO_LARGE',
    `"${fileName}" is too large to read as JSON in the browser (${Math.round(bytes / (1024 * 1024))} MB); save it as CSV or Parquet and drop that file.`,
    { bytes, limit: JSON_SIZE_LIMIT },
  );
}

/** The bytes of a JSON file, gunzipped when needed; refused above JSON_SIZE_LIMIT (decompressed). */
export async function jsonBytes(source: ByteSource, compression: 'none' | 'gzip', fileName: string, limit = JSON_SIZE_LIMIT): Promise<Uint8Array> {
  if (compression === 'none') {
    if (source.byteLength > limit) throw tooLarge(fileName, source.byteLength);
    return new Uint8Array(await source.slice(0, source.byteLength));
  }
  const stream = new Blob([await source.slice(0, source.byteLength)]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel();
        throw tooLarge(fileName, total);
      }
      parts.push(value);
    }
  } catch (error) {
    if (error instanceof ClvError) throw error;
    throw new ClvError('INCOMPLETE_FILE', `"${fileName}" is incomplete: the compressed stream ends early (or is damaged), so some rows are missing. Download or copy the file again.`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
const isRecordList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(isRecord);

/**
 * An API page's links to other pages (Mailchimp's and HAL's `_links`: {rel, href, method…}): every
 * object holds an href and a few words beside it. Not records.
 */
function isLinkList(rows: readonly Record<string, unknown>[]): boolean {
  return rows.every((r) => typeof r.href === 'string' && Object.keys(r).length <= 8);
}

/**
 * Every list of objects inside a wrapper object, with its path (`orders`, `data.orders`), down to
 * three objects deep; lists inside those lists (an order's line items) are the rows' own fields.
 */
function listsInside(value: Record<string, unknown>, prefix = '', depth = 0): { path: string; rows: Record<string, unknown>[] }[] {
  const found: { path: string; rows: Record<string, unknown>[] }[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (isRecordList(v) && !isLinkList(v as Record<string, unknown>[])) found.push({ path: `${prefix}${key}`, rows: v as Record<string, unknown>[] });
    else if (isRecord(v) && depth < 3) found.push(...listsInside(v, `${prefix}${key}.`, depth + 1));
  }
  return found;
}

/** A wrapper with several lists of objects (orders and refunds, customers and orders): which is the transactions is not the reader's guess. */
function severalLists(fileName: string, paths: readonly string[]): ClvError {
  return new ClvError(
    'NESTED_DATA',
    `"${fileName}" holds several lists of records (${paths.map((p) => `"${p}"`).join(', ')}), so which one is the transactions is not clear. Save the transactions alone (one object per transaction: customer, date, amount) as JSON or CSV, and drop that file.`,
    { fields: [...paths] },
  );
}

function nestedError(fileName: string, field: string): ClvError {
  return new ClvError(
    'NESTED_DATA',
    `"${fileName}" holds nested data: the transactions are inside the field "${field}". Export them as a flat table (one row per transaction: customer, date, amount), as CSV or JSON, and drop that file.`,
    { field },
  );
}

const DATE_TEXT = /^\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/;

/**
 * Rows whose only transactions are in a list of objects (one row per customer with an `orders`
 * list): nothing at the top level is a date, so reading them flat would find no transactions.
 */
function rejectNestedRows(rows: readonly Record<string, unknown>[], fileName: string): void {
  const sample = rows.slice(0, 200);
  const keys = [...new Set(sample.flatMap((r) => Object.keys(r)))];
  const nested = keys.find((k) => sample.some((r) => isRecordList(r[k])));
  if (nested === undefined) return;
  const hasDate = keys.some((k) => sample.some((r) => r[k] instanceof Date || (typeof r[k] === 'string' && DATE_TEXT.test(r[k] as string))));
  if (!hasDate) throw nestedError(fileName, nested);
}

/** A JSON array of objects, or newline-delimited JSON (one object per line). */
export function jsonColumns(text: string, fileName: string): TextColumns {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let rows: unknown[] | null = null;
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let whole: unknown;
    let parsed = false;
    try {
      whole = JSON.parse(trimmed);
      parsed = true;
    } catch {
      // Not one JSON value: one object per line (NDJSON), or broken.
    }
    if (parsed && Array.isArray(whole)) rows = whole;
    else if (parsed && isRecord(whole)) {
      // An API's wrapper ({"orders": [...], "count": 250}; {"data": [...], "has_more": false}): the
      // rows are its one list of objects, and the format says where they were read from.
      const inside = listsInside(whole);
      if (inside.length > 1) throw severalLists(fileName, inside.map((l) => l.path));
      if (inside.length === 1) {
        rejectNestedRows(inside[0].rows, fileName);
        return { ...columnsFromObjects(inside[0].rows), rowsField: inside[0].path };
      }
      rows = [whole];
    } else if (trimmed.startsWith('[')) {
      throw new ClvError('MALFORMED_FILE', `"${fileName}" is not valid JSON: it may be cut off or damaged. Use an array of objects or one object per line, or export the file again.`);
    }
  }
  if (rows === null) {
    rows = [];
    const lines = trimmed.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      try {
        rows.push(JSON.parse(lines[i]) as unknown);
      } catch {
        throw new ClvError('MALFORMED_FILE', `"${fileName}" is not valid JSON or NDJSON: line ${i + 1} could not be read. Use an array of objects or one object per line, or export the file again.`, { line: i + 1 });
      }
    }
  }
  if (rows.some((r) => !isRecord(r))) {
    throw new ClvError('MALFORMED_FILE', `"${fileName}" must hold objects (one per transaction), as an array or one per line.`);
  }
  const records = rows as Record<string, unknown>[];
  rejectNestedRows(records, fileName);
  return columnsFromObjects(records);
}

export function textColumnsToArrowIpc(table: TextColumns): Uint8Array {
  const vectors = Object.fromEntries(table.names.map((name, j) => [name, vectorFromArray(table.columns[j], new Utf8())]));
  return tableToIPC(new Table(vectors), 'stream');
}
