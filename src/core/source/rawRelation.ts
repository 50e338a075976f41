import { ClvError } from '../errors';
import type { SqlDb } from '../db';
import { ident, literal, num } from '../sql';
import { joinRecords, MAX_LINES_PER_RECORD, parseDelimitedText, type TextRecord } from './csvRecords';
import type { FileKind } from './fileKind';
import { verifyGzip } from './gzipCheck';
import { isGlob, nativeRelation } from './nativeRelation';
import { nestedColumns, PARENT_ID, topLevelRows } from './nestedRows';
import type { RawRelation } from './rawRelationShape';
import { jsonBytes, jsonColumns, parquetColumns, textColumnsToArrowIpc, type ByteSource, type TextColumns } from './importedTable';
import { decodeText, duckdbEncoding, encodingName, isValidUtf8, type TextEncoding } from './textEncoding';
import { CHAR_DELIMITERS, consistency, detectTextLayout, splitLine, type TextLayout } from './textLayout';

/** Row number of the source record (1 = first data row), kept so rejected rows can be found. */
export const ROW_COLUMN = '__clv_row';

/**
 * The first field past the header's last column (NULL when a row has no more fields than the
 * header): a row with one is rejected, never silently cut (an unquoted "2,233.79" would otherwise
 * be read as 2).
 */
export const EXTRA_COLUMN = '__clv_extra';

/** Above this many columns only some are offered and read (see the engine's inspect). */
export const WIDE_FILE_COLUMNS = 500;
/** Above this many columns a file is refused: even its sniff would not fit in memory. */
export const MAX_FILE_COLUMNS = 20_000;

export type { RawRelation };

/** Share of records a joined split must reach to overrule a whitespace vote. */
const JOINED_SHARE = 0.9;

/** Non-blank records read for the layout. */
const RECORDS_PER_SAMPLE = 200;
/** Physical lines read for them (blank lines and records spanning several lines included). */
const LINES_PER_SAMPLE = 2000;

/** read_csv option for reading only the start of a file (a few lines, a DESCRIBE). */
const SAMPLE_BUFFER = 'buffer_size=262144';

/** Bytes looked at to tell UTF-8 from Latin-1 in an uncompressed file. */
const ENCODING_SAMPLE_BYTES = 256 * 1024;

/** Text that DuckDB cannot decode (UTF-16BE, UTF-32) is decoded and split in JavaScript, in memory, up to this size. */
export const DECODED_TEXT_LIMIT = 256 * 1024 * 1024;

type DuckEncoding = NonNullable<ReturnType<typeof duckdbEncoding>>;

/** Lines of a text file; `sampling` reads with a small buffer so sniffing a few lines does not parse DuckDB's default 16 MiB first buffer. */
function lineReader(compression: 'none' | 'gzip', encoding: DuckEncoding, sampling = false): string {
  // One VARCHAR per physical line: a delimiter byte that never occurs and no quoting.
  return `read_csv(?, columns={'line': 'VARCHAR'}, delim='\\x01', header=false, quote='', escape='', compression=${literal(compression === 'gzip' ? 'gzip' : 'none')}, encoding=${literal(encoding)}, strict_mode=false${sampling ? `, ${SAMPLE_BUFFER}` : ''})`;
}

/**
 * The first lines of a text file that are not empty (DuckDB's CSV reader skips empty lines but
 * reads a line of spaces as a row, so only empty ones are dropped here).
 */
export async function sampleLines(db: SqlDb, path: string, compression: 'none' | 'gzip', encoding: DuckEncoding = 'utf-8'): Promise<SampledLines> {
  const rows = await db.query(`SELECT line FROM ${lineReader(compression, encoding, true)} LIMIT ${LINES_PER_SAMPLE}`, [path]);
  const lines = rows.map((r, i) => (i === 0 ? String(r.line ?? '').replace(/^\uFEFF/, '') : String(r.line ?? '')).replace(/\r$/, '')).filter((l) => l !== '');
  return { lines, whole: rows.length < LINES_PER_SAMPLE };
}

/** The first non-empty lines of a text; `whole` when they are all of it. */
export interface SampledLines {
  lines: string[];
  whole: boolean;
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const base = raw.trim() === '' ? `column${i}` : raw.trim();
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/**
 * Header names under a group header row: a name the header repeats ("Amount" under "Net" and under
 * "Gross") becomes "<group> <name>" ("Net Amount", "Gross Amount"), so that neither is a bare
 * "Amount" and the other "Amount_1"; names that do not repeat stay as they are.
 */
function groupedNames(fields: string[], groups: string[] | undefined): string[] {
  if (!groups) return fields;
  const key = (name: string) => name.trim().toLowerCase();
  const counts = new Map<string, number>();
  for (const f of fields) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return fields.map((f, j) => ((counts.get(key(f)) ?? 0) > 1 && (groups[j] ?? '').trim() !== '' ? `${groups[j].trim()} ${f.trim()}` : f));
}

function tooManyColumns(fileName: string, count: number): ClvError {
  return new ClvError(
    'TOO_MANY_COLUMNS',
    `"${fileName}" has ${count.toLocaleString('en-US')} columns, more than the ${MAX_FILE_COLUMNS.toLocaleString('en-US')} that can be read. Keep the customer, date and amount columns (and any you need) and save the file again.`,
    { columns: count, limit: MAX_FILE_COLUMNS },
  );
}

const IMPORTED_TABLE = 'imported_source';

/** The imported table's rows, numbered, with an always-NULL EXTRA_COLUMN when the reader has none. */
function importedSql(withExtra: boolean): string {
  return `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, *${withExtra ? '' : `, CAST(NULL AS VARCHAR) AS ${ident(EXTRA_COLUMN)}`} FROM ${ident(IMPORTED_TABLE)}`;
}

async function importTable(db: SqlDb, columns: TextColumns, fileName: string): Promise<void> {
  if (columns.names.length === 0 || columns.columns[0].length === 0) {
    throw new ClvError('EMPTY_FILE', `"${fileName}" has no rows. Choose a file with at least one transaction.`);
  }
  if (columns.names.length > MAX_FILE_COLUMNS) throw tooManyColumns(fileName, columns.names.length);
  await db.insertArrowIpc(IMPORTED_TABLE, textColumnsToArrowIpc(columns));
}

/** Reads Parquet or JSON in JavaScript and hands DuckDB an Arrow table of text columns. */
async function importedRelation(db: SqlDb, source: ByteSource | undefined, kind: 'parquet' | 'json', compression: 'none' | 'gzip', fileName: string, encoding: TextEncoding): Promise<RawRelation> {
  if (!source) throw new Error(`reading ${kind} needs the file's bytes`);
  const read = kind === 'parquet' ? await parquetColumns(source, fileName) : jsonColumns(decodeText(await jsonBytes(source, compression, fileName), encoding), fileName);
  // Bulk-export lines nested under another row (nestedRows.ts): imported, then left out by the SELECT.
  const parent = kind === 'json' ? nestedColumns(read) : null;
  const columns = parent?.table ?? read;
  await importTable(db, columns, fileName);
  const sql = parent ? topLevelRows(importedSql(false)) : importedSql(false);
  const names = parent ? columns.names.filter((n) => n !== PARENT_ID) : columns.names;
  return {
    sql,
    sampleSql: sql,
    params: [],
    layout: null,
    names,
    sampleRecords: [],
    encoding,
    ...(columns.rowsField !== undefined && { rowsField: columns.rowsField }),
    ...(parent && { nestedRows: parent.nestedRows }),
  };
}

/** UTF-8 unless the file says otherwise; Latin-1 when the first bytes are not valid UTF-8. */
async function textEncodingOf(kind: Extract<FileKind, { kind: 'text' }>, source: ByteSource | undefined): Promise<TextEncoding> {
  if (kind.encoding) return kind.encoding;
  if (kind.compression === 'gzip' || !source) return 'utf-8';
  const start = new Uint8Array(await source.slice(0, Math.min(source.byteLength, ENCODING_SAMPLE_BYTES)));
  return isValidUtf8(start) ? 'utf-8' : 'latin-1';
}

/**
 * Records of the sampled lines. The delimiter is voted on physical lines first; where quoted
 * fields hold line breaks (a note in every row) that vote is misled, so each delimiter is also
 * tried on the records it joins, and the most consistent split wins.
 */
function joinedRecords(lines: string[]): TextRecord[] {
  const nonBlank = lines.filter((l) => l.trim() !== '');
  let delimiter = detectTextLayout(nonBlank.slice(0, RECORDS_PER_SAMPLE)).delimiter;
  let best = delimiter === 'whitespace' ? JOINED_SHARE : consistency(nonBlank.slice(0, RECORDS_PER_SAMPLE), delimiter).share;
  let records = joinRecords(lines, delimiter);
  for (const d of CHAR_DELIMITERS) {
    const joined = joinRecords(lines, d);
    if (joined.length === lines.length) continue;
    const share = consistency(joined.filter((r) => r.text.trim() !== '').slice(0, RECORDS_PER_SAMPLE).map((r) => r.text), d).share;
    if (share > best + 1e-9) [best, delimiter, records] = [share, d, joined];
  }
  return records;
}

/** The layout of the sampled lines and where the table starts in them. */
interface SampledText {
  layout: TextLayout;
  names: string[];
  /** Records the reader returns before the first data row (preamble, header). */
  leading: number;
  dataRecords: string[][];
}

function sampleText({ lines, whole }: SampledLines, fileName: string): SampledText {
  if (lines.every((l) => l.trim() === '')) {
    throw new ClvError('EMPTY_FILE', `"${fileName}" has no rows. Choose a file with a header row and at least one transaction.`);
  }
  const records = joinedRecords(lines);
  const nonBlank = records.filter((r) => r.text.trim() !== '').slice(0, RECORDS_PER_SAMPLE);
  const unclosed = records.find((r) => r.lines >= MAX_LINES_PER_RECORD) ?? (whole && records.at(-1)?.open ? records.at(-1) : undefined);
  if (unclosed) {
    throw new ClvError(
      'MALFORMED_FILE',
      `"${fileName}" has a quoted field that is never closed (around line ${unclosed.firstLine}), so the rows after it would run together. Check the quotes in the file, or export it again as CSV.`,
    );
  }
  const layout = detectTextLayout(nonBlank.map((r) => r.text));
  if (layout.fieldCount < 2) {
    throw new ClvError(
      'MALFORMED_FILE',
      `"${fileName}" has only one column, so it can't hold a customer, a date and an amount. Use a file separated by commas, semicolons, tabs or spaces.`,
    );
  }
  const split = nonBlank.map((r) => splitLine(r.text, layout.delimiter));
  if (layout.header && split.length - layout.skip === 1) {
    throw new ClvError('HEADER_ONLY', `"${fileName}" has a header row but no transactions below it. Add the data rows and try again.`);
  }
  const headerFields = layout.header ? groupedNames(split[layout.skip], layout.groups) : [];
  const width = Math.max(layout.fieldCount, headerFields.length);
  if (width > MAX_FILE_COLUMNS) throw tooManyColumns(fileName, width);
  const names = uniqueNames([...headerFields, ...Array.from({ length: width - headerFields.length }, () => '')]);
  const firstData = layout.skip + (layout.header ? 1 : 0);
  // Lines of spaces are rows to the reader (they are rejected later as rows without values).
  const leading = firstData < nonBlank.length ? records.indexOf(nonBlank[firstData]) : records.length;
  return { layout, names, leading, dataRecords: split.slice(firstData) };
}

/** Text DuckDB cannot decode: decoded and split here, handed over as an Arrow table. */
async function decodedTextRelation(db: SqlDb, source: ByteSource | undefined, encoding: TextEncoding, fileName: string): Promise<RawRelation> {
  if (!source) throw new Error('reading decoded text needs the file bytes');
  if (source.byteLength > DECODED_TEXT_LIMIT) {
    throw new ClvError(
      'FILE_TOO_LARGE',
      `"${fileName}" is ${encodingName(encoding)} text too large to convert in the browser (${Math.round(source.byteLength / (1024 * 1024))} MB); save it as UTF-8 CSV and drop that file.`,
      { bytes: source.byteLength, limit: DECODED_TEXT_LIMIT },
    );
  }
  const text = decodeText(new Uint8Array(await source.slice(0, source.byteLength)), encoding);
  const physical = text.split(/\r\n|\n|\r/, LINES_PER_SAMPLE);
  const { layout, names, dataRecords } = sampleText({ lines: physical.filter((l) => l !== ''), whole: physical.length < LINES_PER_SAMPLE }, fileName);
  // The parser drops blank and space-only lines, so the table starts after preamble and header.
  const rows = parseDelimitedText(text, layout.delimiter).slice(layout.skip + (layout.header ? 1 : 0));
  const width = names.length;
  const cell = (v: string | undefined) => (v === undefined || v === '' ? null : v);
  const columns: TextColumns = {
    names: [...names, EXTRA_COLUMN],
    columns: [
      ...names.map((_, j) => rows.map((r) => cell(r[j]))),
      rows.map((r) => r.slice(width).find((v) => v.trim() !== '') ?? null),
    ],
  };
  await importTable(db, columns, fileName);
  const sql = importedSql(true);
  return { sql, sampleSql: sql, params: [], layout, names, sampleRecords: dataRecords, encoding };
}

/**
 * Whether 8-bit text holds bytes 0x80–0x9F: in Windows-1252 (what "ANSI" exports from Windows and
 * Excel write) they are €, curly quotes, dashes, Œ and the like; DuckDB's Latin-1 reader refuses
 * them ("File is not latin-1 encoded"). Such a file is decoded here instead, as Windows-1252, when
 * it is uncompressed and small enough to decode in memory (DECODED_TEXT_LIMIT); a larger one is
 * left to DuckDB, whose refusal readFailure.ts turns into a sentence.
 */
async function holdsWindows1252Marks(kind: Extract<FileKind, { kind: 'text' }>, source: ByteSource | undefined): Promise<boolean> {
  if (!source || kind.compression !== 'none' || source.byteLength > DECODED_TEXT_LIMIT) return false;
  const bytes = new Uint8Array(await source.slice(0, source.byteLength));
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80 && bytes[i] <= 0x9f) return true;
  return false;
}

/** Builds the SELECT that reads a file as rows of (mostly) text columns. */
export async function rawRelation(db: SqlDb, path: string, kind: FileKind, fileName: string, source?: ByteSource): Promise<RawRelation> {
  if (db.readsFiles && (kind.kind === 'parquet' || kind.kind === 'json')) return nativeRelation(db, path, kind, fileName, { rowColumn: ROW_COLUMN, extraColumn: EXTRA_COLUMN, maxColumns: MAX_FILE_COLUMNS });
  if (kind.kind === 'parquet') return importedRelation(db, source, 'parquet', 'none', fileName, 'utf-8');
  if (kind.kind === 'json') return importedRelation(db, source, 'json', kind.compression, fileName, kind.encoding ?? 'utf-8');
  if (kind.compression === 'gzip' && source) await verifyGzip(source, fileName);
  let encoding = await textEncodingOf(kind, source);
  let duckEncoding = duckdbEncoding(encoding);
  if (duckEncoding === null || (encoding === 'latin-1' && (await holdsWindows1252Marks(kind, source)))) return decodedTextRelation(db, source, encoding, fileName);
  let sampled: SampledLines;
  try {
    sampled = await sampleLines(db, path, kind.compression, duckEncoding);
  } catch (error) {
    // Latin-1 past the bytes checked (or in compressed text, which is only seen decompressed).
    if (encoding !== 'utf-8' || !/unicode|utf-?8/i.test(error instanceof Error ? error.message : String(error))) throw error;
    [encoding, duckEncoding] = ['latin-1', 'latin-1'];
    if (await holdsWindows1252Marks(kind, source)) return decodedTextRelation(db, source, encoding, fileName);
    sampled = await sampleLines(db, path, kind.compression, duckEncoding);
  }
  if (kind.compression === 'gzip' && sampled.lines.length > 0 && /^\s*[[{]/.test(sampled.lines[0])) {
    // A compressed file whose name did not say JSON: its content does (as for uncompressed files).
    return importedRelation(db, source, 'json', 'gzip', fileName, 'utf-8');
  }
  const { layout, names, leading, dataRecords } = sampleText(sampled, fileName);
  const compression = `compression=${literal(kind.compression === 'gzip' ? 'gzip' : 'none')}`;
  if (layout.delimiter === 'whitespace') {
    const fields = names.map((n, i) => `f[${i + 1}] AS ${ident(n)}`).join(', ');
    const extra = `CASE WHEN len(f) > ${names.length} THEN f[${names.length + 1}] END AS ${ident(EXTRA_COLUMN)}`;
    const numbered = (sampling: boolean) =>
      `SELECT row_number() OVER () AS n, regexp_split_to_array(trim(line), '\\s+') AS f FROM ${lineReader(kind.compression, duckEncoding, sampling)} WHERE trim(coalesce(line, '')) <> ''`;
    const skip = layout.skip + (layout.header ? 1 : 0);
    const rows = (sampling: boolean) => `SELECT n - ${skip} AS ${ident(ROW_COLUMN)}, ${fields}, ${extra} FROM (${numbered(sampling)}) WHERE n > ${skip}`;
    return { sql: rows(false), sampleSql: rows(true), params: [path], layout, names, sampleRecords: dataRecords, encoding };
  }
  // The header is read here, not by DuckDB, so that the reader can be given one column more than
  // the header has: rows with extra fields show up in it instead of being cut silently. No sniffing
  // (auto_detect=false): the dialect is known, and the sniffer fails on quoted line breaks.
  // parallel=false: DuckDB-WASM runs one thread, and the parallel scanner refuses quoted line
  // breaks together with null_padding.
  const columns = [...names, EXTRA_COLUMN].map((n) => `${literal(n)}: 'VARCHAR'`).join(', ');
  const options = [
    `delim=${literal(layout.delimiter)}`,
    `header=false`,
    `auto_detect=false`,
    `columns={${columns}}`,
    `quote='"'`,
    `escape='"'`,
    `null_padding=true`,
    `strict_mode=false`,
    `parallel=false`,
    compression,
    `encoding=${literal(duckEncoding)}`,
  ];
  // A glob (native DuckDB only) reads several files, each with its own header: skipped in every file.
  const perFile = db.readsFiles === true && isGlob(path) && leading > 0;
  if (perFile) options.push(`skip=${num(leading)}`);
  const reader = (extra: string[]) => `read_csv(?, ${[...options, ...extra].join(', ')})`;
  const rows = (extra: string[]) =>
    leading === 0 || perFile
      ? `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM ${reader(extra)}`
      : `SELECT __clv_n - ${num(leading)} AS ${ident(ROW_COLUMN)}, * EXCLUDE (__clv_n) FROM (SELECT row_number() OVER () AS __clv_n, * FROM ${reader(extra)}) WHERE __clv_n > ${num(leading)}`;
  return { sql: rows([]), sampleSql: rows([SAMPLE_BUFFER]), params: [path], layout, names, sampleRecords: dataRecords, encoding };
}
