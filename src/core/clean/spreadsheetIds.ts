import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import type { ColumnSample } from '../mapping/roles';
import { ident } from '../sql';
import type { RawRelation } from '../source/rawRelation';

/** A long number as a spreadsheet shows it in a narrow cell ("1.23457E+11"): its last digits are gone. */
const SCIENTIFIC = /^\s*\d(\.\d+)?[eE]\+\d+\s*$/;

/**
 * Customer ids that a spreadsheet rewrote in scientific notation (Excel shows a 12-digit id as
 * 1.23457E+11 and saves it so as CSV): different customers now share one id, and no reading can
 * tell them apart again. Decided from the whole column (read only when the sample holds one);
 * any such id stops the load with what to do, rather than merging customers without a word.
 */
export async function refuseScientificIds(db: SqlDb, raw: RawRelation, sample: ColumnSample | undefined): Promise<void> {
  if (!sample || !sample.values.some((v) => SCIENTIFIC.test(v))) return;
  const v = `trim(CAST(${ident(sample.name)} AS VARCHAR))`;
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE regexp_full_match(v, '[0-9](\\.[0-9]+)?[eE]\\+[0-9]+')) AS scientific, count(*) AS ids,
            min(v) FILTER (WHERE regexp_full_match(v, '[0-9](\\.[0-9]+)?[eE]\\+[0-9]+')) AS example
     FROM (SELECT ${v} AS v FROM (${raw.sql})) WHERE v IS NOT NULL AND v <> ''`,
    raw.params,
  );
  const scientific = Number(row.scientific);
  if (scientific === 0) return;
  throw new ClvError(
    'MANGLED_IDS',
    `${scientific.toLocaleString('en-US')} of ${Number(row.ids).toLocaleString('en-US')} customer ids in "${sample.name}" are written in scientific notation ("${String(row.example)}"), as a spreadsheet shows long numbers: their last digits are lost, so different customers share one id. Export the file again with the id column formatted as text (or straight from the source system), or choose another customer column.`,
    { column: sample.name, scientific },
  );
}
