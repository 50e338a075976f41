import type { SqlDb } from '../db';
import { ident, literal } from '../sql';
import { MISSING_ID_WORDS } from './staging';
import type { RawRelation } from '../source/rawRelation';
import type { ColumnSample } from '../mapping/roles';

/** What the whole id column showed about ids written as decimals ("17850.0"). */
export interface IntegralIdCheck {
  /** True when every id is a whole number and some are written with a ".0": the ".0" goes. */
  integralIds: boolean;
  /** Ids written as a whole number with a zero decimal part. */
  decimalWritten: number;
  /** Ids that are something else (text, real decimals): when any exists, ids stay as written. */
  otherIds: number;
}

const DECIMAL_ZERO = /^\s*-?\d+\.0+\s*$/;

/**
 * Decides from the whole column whether integral ids written as floats become whole numbers.
 * The file is read only when the sampled ids include such a value. Leading zeros ("0042") count
 * as "other" only when mixed with real text; "0042" never loses its zeros here (only ".0" goes).
 */
export async function checkIntegralIds(db: SqlDb, raw: RawRelation, sample: ColumnSample | undefined): Promise<IntegralIdCheck> {
  if (!sample || !sample.values.some((v) => DECIMAL_ZERO.test(v))) return { integralIds: false, decimalWritten: 0, otherIds: 0 };
  const v = `trim(CAST(${ident(sample.name)} AS VARCHAR))`;
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE regexp_full_match(v, '-?[0-9]+\\.0+')) AS decimal_written,
            count(*) FILTER (WHERE NOT regexp_full_match(v, '-?[0-9]+(\\.0+)?')) AS other
     FROM (SELECT ${v} AS v FROM (${raw.sql})) WHERE v IS NOT NULL AND v <> ''
       AND lower(v) NOT IN (${MISSING_ID_WORDS.map((w) => literal(w)).join(', ')})`,
    raw.params,
  );
  const decimalWritten = Number(row.decimal_written);
  const otherIds = Number(row.other);
  return { integralIds: decimalWritten > 0 && otherIds === 0, decimalWritten, otherIds };
}
