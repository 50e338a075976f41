import { ClvError } from '../errors';
import type { SqlDb, SqlValue } from '../db';
import { ident, literal, num } from '../sql';
import type { FileKind } from './fileKind';
import { jsonColumns, parquetColumns, textColumnsToArrowIpc, type ByteSource, type TextColumns } from './importedTable';
import { detectTextLayout, type TextLayout } from './textLayout';

/** Row number of the source record (1 = first data row), kept so rejected rows can be found. */
export const ROW_COLUMN = '__clv_row';

export interface RawRelation {
  /** SELECT producing the file's rows with ROW_COLUMN first; bind `params` when running it. */
  sql: string;
  /**
   * The same rows read with a small buffer, for DESCRIBE and the first rows: DuckDB's default
   * buffer (16 MiB and more) would otherwise be read, from the user's file, for a look at 1,000 rows.
   */
  sampleSql: string;
  params: SqlValue[];
  layout: TextLayout | null;
}

const LINES_PER_SAMPLE = 200;

/** read_csv option for reading only the start of a file (a few lines, a DESCRIBE). */
const SAMPLE_BUFFER = 'buffer_size=262144';

/** Lines of a text file; `sampling` reads with a small buffer so sniffing a few lines does not parse DuckDB's default 16 MiB first buffer. */
function lineReader(compression: 'none' | 'gzip', sampling = false): string {
  // One VARCHAR per physical line: a delimiter byte that never occurs and no quoting.
  return `read_csv(?, columns={'line': 'VARCHAR'}, delim='\\x01', header=false, quote='', escape='', compression=${literal(compression === 'gzip' ? 'gzip' : 'none')}, strict_mode=false${sampling ? `, ${SAMPLE_BUFFER}` : ''})`;
}

export async function sampleLines(db: SqlDb, path: string, compression: 'none' | 'gzip'): Promise<string[]> {
  const rows = await db.query(`SELECT line FROM ${lineReader(compression, true)} WHERE trim(coalesce(line, '')) <> '' LIMIT ${LINES_PER_SAMPLE}`, [path]);
  return rows.map((r) => String(r.line ?? '').replace(/\r$/, '').replace(/^\uFEFF/, ''));
}

/**
 * Physical lines before the `nonBlank`-th non-blank line (0-based): read_csv's `skip` counts blank
 * lines too, while the layout counts only non-blank ones.
 */
async function physicalLinesBefore(db: SqlDb, path: string, compression: 'none' | 'gzip', nonBlank: number): Promise<number> {
  const rows = await db.query(
    `SELECT n FROM (SELECT row_number() OVER () AS n, line FROM ${lineReader(compression)}) WHERE trim(coalesce(line, '')) <> '' ORDER BY n LIMIT 1 OFFSET ${num(nonBlank)}`,
    [path],
  );
  return rows.length === 0 ? nonBlank : Number(rows[0].n) - 1;
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

const IMPORTED_TABLE = 'imported_source';

async function gunzipText(source: ByteSource): Promise<string> {
  const bytes = await source.slice(0, source.byteLength);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

/** Reads Parquet or JSON in JavaScript and hands DuckDB an Arrow table of text columns. */
async function importedRelation(db: SqlDb, source: ByteSource | undefined, kind: 'parquet' | 'json', compression: 'none' | 'gzip', fileName: string): Promise<RawRelation> {
  if (!source) throw new Error(`reading ${kind} needs the file's bytes`);
  let columns: TextColumns;
  if (kind === 'parquet') columns = await parquetColumns(source, fileName);
  else {
    const text = compression === 'gzip' ? await gunzipText(source) : new TextDecoder().decode(await source.slice(0, source.byteLength));
    columns = jsonColumns(text, fileName);
  }
  if (columns.names.length === 0 || columns.columns[0].length === 0) {
    throw new ClvError('EMPTY_FILE', `"${fileName}" has no rows. Choose a file with at least one transaction.`);
  }
  await db.insertArrowIpc(IMPORTED_TABLE, textColumnsToArrowIpc(columns));
  const sql = `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM ${ident(IMPORTED_TABLE)}`;
  return { sql, sampleSql: sql, params: [], layout: null };
}

/** Builds the SELECT that reads a file as rows of (mostly) text columns. */
export async function rawRelation(db: SqlDb, path: string, kind: FileKind, fileName: string, source?: ByteSource): Promise<RawRelation> {
  if (kind.kind === 'parquet') return importedRelation(db, source, 'parquet', 'none', fileName);
  if (kind.kind === 'json') return importedRelation(db, source, 'json', kind.compression, fileName);
  const lines = await sampleLines(db, path, kind.compression);
  if (lines.length === 0) {
    throw new ClvError('EMPTY_FILE', `"${fileName}" has no rows. Choose a file with a header row and at least one transaction.`);
  }
  if (kind.compression === 'gzip' && /^\s*[[{]/.test(lines[0])) {
    // A compressed file whose name did not say JSON: its content does (as for uncompressed files).
    return importedRelation(db, source, 'json', 'gzip', fileName);
  }
  const layout = detectTextLayout(lines);
  if (layout.fieldCount < 2) {
    throw new ClvError(
      'MALFORMED_FILE',
      `"${fileName}" has only one column, so it can't hold a customer, a date and an amount. Use a file separated by commas, semicolons, tabs or spaces.`,
    );
  }
  if (layout.header && lines.length - layout.skip === 1) {
    throw new ClvError('HEADER_ONLY', `"${fileName}" has a header row but no transactions below it. Add the data rows and try again.`);
  }
  if (layout.delimiter === 'whitespace') {
    const names = layout.header
      ? uniqueNames(lines[layout.skip].trim().split(/\s+/))
      : Array.from({ length: layout.fieldCount }, (_, i) => `column${i}`);
    const fields = names.map((n, i) => `f[${i + 1}] AS ${ident(n)}`).join(', ');
    const numbered = (sampling: boolean) =>
      `SELECT row_number() OVER () AS n, regexp_split_to_array(trim(line), '\\s+') AS f FROM ${lineReader(kind.compression, sampling)} WHERE trim(coalesce(line, '')) <> ''`;
    const skip = layout.skip + (layout.header ? 1 : 0);
    const rows = (sampling: boolean) => `SELECT n - ${skip} AS ${ident(ROW_COLUMN)}, ${fields} FROM (${numbered(sampling)}) WHERE n > ${skip}`;
    return { sql: rows(false), sampleSql: rows(true), params: [path], layout };
  }
  const options = [
    `delim=${literal(layout.delimiter)}`,
    `header=${layout.header}`,
    `all_varchar=true`,
    `quote='"'`,
    `escape='"'`,
    `null_padding=true`,
    `strict_mode=false`,
    `compression=${literal(kind.compression === 'gzip' ? 'gzip' : 'none')}`,
  ];
  if (layout.skip > 0) options.push(`skip=${num(await physicalLinesBefore(db, path, kind.compression, layout.skip))}`);
  if (!layout.header) options.push(`names=[${Array.from({ length: layout.fieldCount }, (_, i) => literal(`column${i}`)).join(', ')}]`);
  const rows = (extra: string[]) => `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM read_csv(?, ${[...options, ...extra].join(', ')})`;
  return { sql: rows([]), sampleSql: rows([SAMPLE_BUFFER]), params: [path], layout };
}
