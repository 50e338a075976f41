/**
 * PROTOTYPE (benchmark copy of src/core/source/rawRelation.ts). Change: the line sampler reads
 * with a 256 KiB buffer, so sniffing 200 lines no longer parses DuckDB's default 16+ MiB first buffer.
 */
import { ClvError } from '../../../src/core/errors';
import type { SqlDb, SqlValue } from '../../../src/core/db';
import { ident, literal } from '../../../src/core/sql';
import type { FileKind } from '../../../src/core/source/fileKind';
import { detectTextLayout, type TextLayout } from '../../../src/core/source/textLayout';

/** Row number of the source record (1 = first data row), kept so rejected rows can be found. */
export const ROW_COLUMN = '__clv_row';

export interface RawRelation {
  /** SELECT producing the file's rows with ROW_COLUMN first; bind `params` when running it. */
  sql: string;
  params: SqlValue[];
  layout: TextLayout | null;
}

const LINES_PER_SAMPLE = 200;

function lineReader(compression: 'none' | 'gzip', sampling = false): string {
  // One VARCHAR per physical line: a delimiter byte that never occurs and no quoting.
  return `read_csv(?, columns={'line': 'VARCHAR'}, delim='\\x01', header=false, quote='', escape='', compression=${literal(compression === 'gzip' ? 'gzip' : 'none')}, strict_mode=false${sampling ? ', buffer_size=262144' : ''})`;
}

export async function sampleLines(db: SqlDb, path: string, compression: 'none' | 'gzip'): Promise<string[]> {
  const rows = await db.query(`SELECT line FROM ${lineReader(compression, true)} WHERE trim(coalesce(line, '')) <> '' LIMIT ${LINES_PER_SAMPLE}`, [path]);
  return rows.map((r) => String(r.line ?? '').replace(/\r$/, '').replace(/^\uFEFF/, ''));
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

/** Builds the SELECT that reads a file as rows of (mostly) text columns. */
export async function rawRelation(db: SqlDb, path: string, kind: FileKind, fileName: string): Promise<RawRelation> {
  if (kind.kind === 'parquet') {
    return { sql: `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM read_parquet(?)`, params: [path], layout: null };
  }
  if (kind.kind === 'json') {
    return { sql: `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM read_json_auto(?)`, params: [path], layout: null };
  }
  const lines = await sampleLines(db, path, kind.compression);
  if (lines.length === 0) {
    throw new ClvError('EMPTY_FILE', `"${fileName}" has no rows. Choose a file with a header row and at least one transaction.`);
  }
  const layout = detectTextLayout(lines);
  if (layout.fieldCount < 2) {
    throw new ClvError(
      'MALFORMED_FILE',
      `"${fileName}" has only one column, so it can't hold a customer, a date and an amount. Use a file separated by commas, semicolons, tabs or spaces.`,
    );
  }
  if (layout.header && lines.length === 1) {
    throw new ClvError('HEADER_ONLY', `"${fileName}" has a header row but no transactions below it. Add the data rows and try again.`);
  }
  if (layout.delimiter === 'whitespace') {
    const names = layout.header
      ? uniqueNames(lines[0].trim().split(/\s+/))
      : Array.from({ length: layout.fieldCount }, (_, i) => `column${i}`);
    const fields = names.map((n, i) => `f[${i + 1}] AS ${ident(n)}`).join(', ');
    const numbered = `SELECT row_number() OVER () AS n, regexp_split_to_array(trim(line), '\\s+') AS f FROM ${lineReader(kind.compression)} WHERE trim(coalesce(line, '')) <> ''`;
    const skip = layout.header ? 1 : 0;
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
  if (!layout.header) options.push(`names=[${Array.from({ length: layout.fieldCount }, (_, i) => literal(`column${i}`)).join(', ')}]`);
  return {
    sql: `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, * FROM read_csv(?, ${options.join(', ')})`,
    params: [path],
    layout,
  };
}
