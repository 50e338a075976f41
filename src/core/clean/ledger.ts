import type { SqlDb } from '../db';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { creditNotesSql, ledgerSql } from '../mapping/transactionKinds';
import type { RawRelation } from '../source/rawRelation';

/**
 * Whether the file is a customer ledger: its kind column holds an invoice (or a sale as a row of its
 * own) on some row, anywhere in the file (one pass over that column). Then its payments settle
 * invoices already counted and its item lines are parts of them: not purchases (transactionKinds.ts);
 * without them a payment is the purchase itself. Also whether it holds credit memos or notes: a
 * ledger's refunds pay those out, and are not returns a second time.
 */
export async function isLedger(db: SqlDb, raw: RawRelation, mapping: Pick<ColumnMapping, 'kind'>, columns: readonly ColumnSample[]): Promise<{ ledger: boolean; creditNotes: boolean }> {
  const kind = mapping.kind;
  if (!kind || !columns.some((c) => c.name === kind)) return { ledger: false, creditNotes: false };
  const [row] = await db.query(`SELECT ${ledgerSql(kind)} AS ledger, ${creditNotesSql(kind)} AS credit_notes FROM (${raw.sql})`, raw.params);
  return { ledger: Boolean(row?.ledger), creditNotes: Boolean(row?.credit_notes) };
}
