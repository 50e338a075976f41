import type { SqlDb } from '../db';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { cancelledStatusSql } from '../mapping/paymentStatus';
import { PLAIN_KINDS, cancellationSql, creditNotesSql, debitCreditSql, invoicesSql, ledgerSql, sageCodesSql, sapObjectsSql, type KindShape } from '../mapping/transactionKinds';
import type { RawRelation } from '../source/rawRelation';

/**
 * Whether the file is a customer ledger: its kind column holds an invoice (or a sale as a row of its
 * own) on some row, anywhere in the file (one pass over that column). Then its payments settle
 * invoices already counted and its item lines are parts of them: not purchases (transactionKinds.ts);
 * without them a payment is the purchase itself. Also whether it holds credit memos or notes: a
 * ledger's refunds pay those out, and are not returns a second time; and whether it is Sage 50's
 * two-letter type codes (a sales invoice among them: a ledger too), SAP Business One's object codes, or a debit/credit flag; and
 * whether invoices are among its kinds (a sales order beside them is not invoiced yet); and whether
 * it holds cancellation documents beside a status column that marks cancelled invoices (then those
 * cancellations are not purchases: the status already left their invoices out).
 */
export async function kindShape(db: SqlDb, raw: RawRelation, mapping: Pick<ColumnMapping, 'kind' | 'status'>, columns: readonly ColumnSample[]): Promise<KindShape> {
  const kind = mapping.kind;
  if (!kind || !columns.some((c) => c.name === kind)) return PLAIN_KINDS;
  const status = mapping.status && columns.some((c) => c.name === mapping.status) ? mapping.status : null;
  const cancellations = status ? `coalesce(bool_or(${cancellationSql(kind)}), false) AND ${cancelledStatusSql(status)}` : 'false';
  const [row] = await db.query(`SELECT ${cancellations} AS cancellations, ${ledgerSql(kind)} AS ledger, ${creditNotesSql(kind)} AS credit_notes, ${sageCodesSql(kind)} AS sage, ${debitCreditSql(kind)} AS debit_credit, ${invoicesSql(kind)} AS invoices, ${sapObjectsSql(kind)} AS sap FROM (${raw.sql})`, raw.params);
  const sageCodes = Boolean(row?.sage);
  const debitCredit = Boolean(row?.debit_credit);
  if (debitCredit) return { ...PLAIN_KINDS, debitCredit };
  if (row?.sap) return { ...PLAIN_KINDS, sapObjects: true };
  const shape: KindShape = { ledger: Boolean(row?.ledger) || sageCodes, creditNotes: Boolean(row?.credit_notes), invoices: Boolean(row?.invoices), sageCodes, debitCredit };
  return row?.cancellations ? { ...shape, cancellationsOfCancelled: true } : shape;
}
