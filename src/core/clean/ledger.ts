import type { SqlDb } from '../db';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { PLAIN_KINDS, creditNotesSql, debitCreditSql, invoicesSql, ledgerSql, sageCodesSql, type KindShape } from '../mapping/transactionKinds';
import type { RawRelation } from '../source/rawRelation';

/**
 * Whether the file is a customer ledger: its kind column holds an invoice (or a sale as a row of its
 * own) on some row, anywhere in the file (one pass over that column). Then its payments settle
 * invoices already counted and its item lines are parts of them: not purchases (transactionKinds.ts);
 * without them a payment is the purchase itself. Also whether it holds credit memos or notes: a
 * ledger's refunds pay those out, and are not returns a second time; and whether it is Sage 50's
 * two-letter type codes (a sales invoice among them: a ledger too), or a debit/credit flag; and
 * whether invoices are among its kinds (a sales order beside them is not invoiced yet).
 */
export async function kindShape(db: SqlDb, raw: RawRelation, mapping: Pick<ColumnMapping, 'kind'>, columns: readonly ColumnSample[]): Promise<KindShape> {
  const kind = mapping.kind;
  if (!kind || !columns.some((c) => c.name === kind)) return PLAIN_KINDS;
  const [row] = await db.query(`SELECT ${ledgerSql(kind)} AS ledger, ${creditNotesSql(kind)} AS credit_notes, ${sageCodesSql(kind)} AS sage, ${debitCreditSql(kind)} AS debit_credit, ${invoicesSql(kind)} AS invoices FROM (${raw.sql})`, raw.params);
  const sageCodes = Boolean(row?.sage);
  const debitCredit = Boolean(row?.debit_credit);
  if (debitCredit) return { ...PLAIN_KINDS, debitCredit };
  return { ledger: Boolean(row?.ledger) || sageCodes, creditNotes: Boolean(row?.credit_notes), invoices: Boolean(row?.invoices), sageCodes, debitCredit };
}
