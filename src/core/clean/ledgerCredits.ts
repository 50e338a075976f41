import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { readsDebitAndCredit, type ColumnMapping } from '../mapping/roles';
import type { KindShape } from '../mapping/transactionKinds';

/**
 * Credits, as a share of debits, above which a ledger's credit side is taken for payments. Returns
 * and credit notes are a fraction of what was invoiced (a few percent in most trades, up to a third
 * or so in mail-order fashion); payments settle nearly all of it.
 */
export const PAYMENT_LIKE_CREDIT_SHARE = 0.6;

/**
 * A customer ledger read through its debit and credit sides (a credit column subtracted, or a D/C
 * flag) holds credit notes, which are returns, but may hold the customer's payments too, which are
 * credits as well: nothing in such a file tells them apart, and taking payments off would leave every
 * customer with next to nothing. When the staged credits come to PAYMENT_LIKE_CREDIT_SHARE of the
 * debits or more, the load stops and says what to export instead, rather than build that table.
 * A kind column that names the documents (payments are then left out) makes the check unneeded.
 */
export async function refusePaymentCredits(db: SqlDb, mapping: ColumnMapping, kinds: KindShape): Promise<void> {
  const creditColumn = readsDebitAndCredit(mapping) && !mapping.kind ? mapping.refund : kinds.debitCredit ? mapping.kind : null;
  if (!creditColumn) return;
  const [row] = await db.query(`SELECT coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debits, coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credits FROM staged WHERE reason IS NULL`);
  const debits = Number(row?.debits ?? 0);
  const credits = Number(row?.credits ?? 0);
  if (debits <= 0 || credits < PAYMENT_LIKE_CREDIT_SHARE * debits) return;
  const share = Math.round((100 * credits) / debits);
  throw new ClvError(
    'LEDGER_PAYMENTS',
    `The credits marked by "${creditColumn}" add up to ${share}% of the debits: in a customer ledger that many credits are payments settling invoices, not returns, and taking them off would leave every customer with almost nothing. Export the invoices and credit notes only, or include the column that names each row's document (Invoice, Credit Memo, Payment) and choose it as the kind column.`,
    { column: creditColumn, share: credits / debits },
  );
}
