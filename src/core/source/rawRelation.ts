import { ClvError } from '../errors';
import type { SqlDb, SqlValue } from '../db';
import { ident, literal, num } from '../sql';
import type { FileKind } from './fileKind';
import { detectTextLayout, type TextLayout } from './textLayout';

/** Row number of the source record (1 = first data row), kept so rejected rows can be found. */
export const ROW_COLUMN = '__clv_row';

export interface RawRelation {
  /** SELECT producing the file's rows with ROW_COLUMN first; bind `params` when running it. */
  sql: string;
  params: SqlValue[];
  layout: TextLayout | null;
}

const LINES_PER_SAMPLE = 200;

function lineReader(compression: 'none' | 'gzip'): string {
  // One VARCHAR per physical line: a delimiter byte that never occurs and no quoting.
  return `read_csv(?, columns={'line': 'VARCHAR'}, delim='\\x01', header=false, quote='', escape='', compression=${literal(compression === 'gzip' ? 'gzip' : 'none')}, strict_mode=false)`;
}

export async function sampleLines(db: SqlDb, path: string, compression: 'none' | 'gzip'): Promise<string[]> {
  const rows = await db.query(`SELECT line FROM ${lineReader(compression)} WHERE trim(coalesce(line, '')) <> '' LIMIT ${LINES_PER_SAMPLE}`, [path]);
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

/**
 * Parquet and JSON readers live in DuckDB extensions. Where one is neither loaded nor autoloadable
 * (a Node/offline build that turned autoloading off because it would block on the network), say
 * so instead of failing with a catalog error. With autoloading on, DuckDB loads it on first use.
 */
async function requireExtension(db: SqlDb, extension: 'parquet' | 'json', fileName: string, label: string): Promise<void> {
  const [row] = await db.query(
    `SELECT loaded, current_setting('autoload_known_extensions') AS autoload FROM duckdb_extensions() WHERE extension_name = ?`,
    [extension],
  );
  if (!row || row.loaded === true || row.autoload === true) return;
  throw new ClvError(
    'UNSUPPORTED_FORMAT',
    `"${fileName}" is a ${label} file, but DuckDB's ${extension} extension is not available here. Save the data as CSV and use that file.`,
  );
}

function jsonRelation(path: string, compression: 'none' | 'gzip'): RawRelation {
  // read_json names the uncompressed case 'uncompressed' (not 'none' as read_csv does).
  return {
    sql: `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM read_json_auto(?, compression=${literal(compression === 'gzip' ? 'gzip' : 'uncompressed')})`,
    params: [path],
    layout: null,
  };
}

/** Builds the SELECT that reads a file as rows of (mostly) text columns. */
export async function rawRelation(db: SqlDb, path: string, kind: FileKind, fileName: string): Promise<RawRelation> {
  if (kind.kind === 'parquet') await requireExtension(db, 'parquet', fileName, 'Parquet');
  if (kind.kind === 'json') await requireExtension(db, 'json', fileName, 'JSON');
  if (kind.kind === 'parquet') {
    return { sql: `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM read_parquet(?)`, params: [path], layout: null };
  }
  if (kind.kind === 'json') return jsonRelation(path, kind.compression);
  const lines = await sampleLines(db, path, kind.compression);
  if (lines.length === 0) {
    throw new ClvError('EMPTY_FILE', `"${fileName}" has no rows. Choose a file with a header row and at least one transaction.`);
  }
  if (kind.compression === 'gzip' && /^\s*[[{]/.test(lines[0])) {
    // A compressed file whose name did not say JSON: its content does (as for uncompressed files).
    await requireExtension(db, 'json', fileName, 'JSON');
    return jsonRelation(path, 'gzip');
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
    const numbered = `SELECT row_number() OVER () AS n, regexp_split_to_array(trim(line), '\\s+') AS f FROM ${lineReader(kind.compression)} WHERE trim(coalesce(line, '')) <> ''`;
    const skip = layout.skip + (layout.header ? 1 : 0);
    return {
      sql: `SELECT n - ${skip} AS ${ident(ROW_COLUMN)}, ${fields} FROM (${numbered}) WHERE n > ${skip}`,
      params: [path],
      layout,
    };
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
  return {
    sql: `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM read_csv(?, ${options.join(', ')})`,
    params: [path],
    layout,
  };
}
