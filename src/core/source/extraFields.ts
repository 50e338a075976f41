import type { SqlDb } from '../db';
import { ident } from '../sql';
import { EXTRA_COLUMN, type RawRelation } from './rawRelation';

/** Rows with extra fields looked at to explain them. */
const EXAMPLES = 1000;

const THOUSANDS_HEAD = /^[-+]?\d{1,3}$/;
const THOUSANDS_TAIL = /^\d{3}([.]\d+)?$/;

export interface SplitNumber {
  /** Index of the column whose value was cut at a thousands separator. */
  column: number;
  /** The number as written, e.g. "2,233.79", from the first such row. */
  example: string;
}

/**
 * Whether every row (its fields: the header's columns then the first extra one) reads as a number
 * split at an unquoted thousands separator in the same column: "2,233.79" as "2" and "233.79".
 */
export function splitNumberColumn(rows: readonly (readonly (string | null)[])[], delimiter: string): SplitNumber | null {
  if (rows.length === 0) return null;
  let common = new Set<number>(rows[0].map((_, j) => j));
  for (const fields of rows) {
    const here = new Set<number>();
    for (let j = 0; j + 1 < fields.length; j++) {
      if (THOUSANDS_HEAD.test(fields[j]?.trim() ?? '') && THOUSANDS_TAIL.test(fields[j + 1]?.trim() ?? '')) here.add(j);
    }
    common = new Set([...common].filter((j) => here.has(j)));
    if (common.size === 0) return null;
  }
  const column = Math.min(...common);
  return { column, example: `${rows[0][column]?.trim()}${delimiter}${rows[0][column + 1]?.trim()}` };
}

/**
 * A sentence for the quality report when the rows rejected for having more fields than the header
 * all look like numbers written with an unquoted thousands separator; null otherwise.
 */
export async function extraFieldsNote(db: SqlDb, raw: RawRelation, rejected: number): Promise<string | null> {
  if (rejected === 0 || raw.layout === null) return null;
  const names = raw.names;
  const rows = await db.query(
    `SELECT ${[...names, EXTRA_COLUMN].map((n) => ident(n)).join(', ')} FROM (${raw.sql}) WHERE ${ident(EXTRA_COLUMN)} IS NOT NULL LIMIT ${EXAMPLES}`,
    raw.params,
  );
  const delimiter = raw.layout.delimiter === 'whitespace' ? ' ' : raw.layout.delimiter;
  const split = splitNumberColumn(
    rows.map((r) => [...names, EXTRA_COLUMN].map((n) => (r[n] === null || r[n] === undefined ? null : String(r[n])))),
    delimiter,
  );
  if (!split) return null;
  return `${rejected.toLocaleString('en-US')} row(s) have more fields than the header and were rejected: in each, "${names[split.column]}" looks like a number written with a thousands separator (e.g. "${split.example}" read as ${split.example.split(delimiter)[0]}). Quote such numbers or save the file without thousands separators, then load it again.`;
}
