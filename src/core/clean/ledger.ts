import type { SqlDb } from '../db';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { ledgerSql } from '../mapping/transactionKinds';
import type { RawRelation } from '../source/rawRelation';

/**
 * Whether the file is a customer ledger: its kind column holds an invoice (or a sale as a row of its
 * own) on some row, anywhere in the file (one pass over that column). Then its payments settle
 * invoices already counted and its item lines are parts of them: not purchases (transactionKinds.ts);
 * without them a payment is the purchase itself.
 */
export async function isLedger(db: SqlDb, raw: RawRelation, mapping: Pick<ColumnMapping, 'kind'>, columns: readonly ColumnSample[]): Promise<boolean> {
  const kind = mapping.kind;
  if (!kind || !columns.some((c) => c.name === kind)) return false;
  const [row] = await db.query(`SELECT ${ledgerSql(kind)} AS ledger FROM (${raw.sql})`, raw.params);
  return Boolean(row?.ledger);
}
