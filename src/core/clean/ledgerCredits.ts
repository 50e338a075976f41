import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { normalisedName } from '../mapping/columnNames';
import { readsDebitAndCredit, type ColumnMapping } from '../mapping/roles';
import type { KindShape } from '../mapping/transactionKinds';
import type { ReturnsPolicy } from './staging';

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
    `The credits marked by "${creditColumn}" add up to ${share}% of the debits: in a customer ledger that many credits are payments settling invoices, not returns, and taking them off would leave every customer with almost nothing. Export the invoices and credit notes only, or include the column that names each row's document (Invoice, Credit Memo, Payment) and choose it as the kind column; if every credit is a payment, choose no refunded amount (rows with only a credit are then left out).`,
    { column: creditColumn, share: credits / debits },
  );
}

/**
 * Share of a signed amount's volume (the sum of |amount|) in customer-days whose rows net to zero,
 * with money going both ways, at or above which the file is a double-entry journal: each
 * transaction written once per account it touches (a receivable debited, sales and tax credited),
 * its lines adding up to nothing.
 */
export const BALANCED_JOURNAL_SHARE = 0.5;

/** A ledger's debit or credit side by name ("Debit Amount (Two Column Approach)", "Cr", "Haben"); never a credit card, note or limit. */
const DEBIT_NAMED = /^(debit|debits|dr|soll|debe|d[eé]bit)(_|$)(?!.*(card|note|memo|limit))/;
const CREDIT_NAMED = /^(credit|credits|cr|haben|haber|cr[eé]dit)(_|$)(?!.*(card|note|memo|limit))/;

/**
 * A signed amount (one column, money going back written negative) read as a customer ledger's or a
 * journal's, not a sales list's: returns are a fraction of what was sold, so where the negative
 * amounts among the readable rows come to PAYMENT_LIKE_CREDIT_SHARE of the positive ones or more,
 * netting them would take most of every customer's spend away. The load stops and says what the file
 * looks like, from the whole file:
 * - every amount negative: sales written as credits (an income account's lines) or a refunds export;
 * - customer-days that net to zero hold BALANCED_JOURNAL_SHARE of the volume or more: a double-entry
 *   journal (`LEDGER_JOURNAL`);
 * - otherwise payments settling invoices (an accounts-receivable ledger, `LEDGER_PAYMENTS`).
 * Not asked where the user leaves returns out (`returns: 'drop'`: their say-so that negative rows
 * are not purchases), where a kind column names each row's document (a ledger's payments are then
 * left out, and what is negative is a credit note or refund by its own name), nor where the
 * debit/credit reading checks its credits itself (refusePaymentCredits).
 */
export async function refuseSignedLedger(db: SqlDb, mapping: ColumnMapping, returns: ReturnsPolicy, columns: readonly string[]): Promise<void> {
  if (returns === 'drop' || mapping.kind || readsDebitAndCredit(mapping)) return;
  const [row] = await db.query(`SELECT coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debits, coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credits, count(*) FILTER (WHERE amount < 0) AS negatives FROM staged WHERE reason IS NULL`);
  const debits = Number(row?.debits ?? 0);
  const credits = Number(row?.credits ?? 0);
  if (credits <= 0 || credits < PAYMENT_LIKE_CREDIT_SHARE * debits) return;
  const column = mapping.amount ?? mapping.unitPrice ?? 'amount';
  const other = (side: RegExp) => columns.find((c) => c !== column && side.test(normalisedName(c)));
  const negatives = Number(row?.negatives ?? 0).toLocaleString('en-US');
  if (debits <= 0) {
    const credit = other(CREDIT_NAMED);
    throw new ClvError(
      'NO_VALID_ROWS',
      `Every amount in "${column}" is negative (${negatives} rows): the file holds no purchase as written. If it is an income or sales account's lines from a ledger, which writes sales as credits, ${credit ? `choose "${credit}" as the amount` : 'export a sales or invoice list instead'}; if it is a list of refunds, it needs the purchases beside them.`,
      { column, negatives: Number(row?.negatives ?? 0), ...(credit ? { credit } : {}) },
    );
  }
  const share = Math.round((100 * credits) / debits);
  const [journal] = await db.query(
    `SELECT coalesce(sum(volume) FILTER (WHERE balanced), 0) / sum(volume) AS share
     FROM (SELECT sum(abs(amount)) AS volume, round(sum(amount), 2) = 0 AND bool_or(amount > 0) AND bool_or(amount < 0) AS balanced
           FROM staged WHERE reason IS NULL GROUP BY customer_id, day)`,
  );
  const balanced = Number(journal?.share ?? 0);
  if (balanced >= BALANCED_JOURNAL_SHARE) {
    throw new ClvError(
      'LEDGER_JOURNAL',
      `The amounts in "${column}" balance: ${Math.round(100 * balanced)}% of the money sits on customer-days whose rows add up to zero. This is a double-entry journal, each transaction written once for every account it touches (receivable, sales, tax), not a list of purchases. Export only the sales (income) account's lines, or an invoice or sales list.`,
      { column, share: balanced },
    );
  }
  const debit = other(DEBIT_NAMED);
  throw new ClvError(
    'LEDGER_PAYMENTS',
    `The negative amounts in "${column}" add up to ${share}% of the positive ones: far more than returns come to. In a customer (receivable) ledger they are payments settling invoices, and netting them would leave every customer with almost nothing. ${debit ? `Choose "${debit}" as the amount (credits, the payments, are then left out), export` : 'Export'} the invoices and credit notes only, or choose the column that names each row's document (Invoice, Credit Memo, Payment) as the kind column.`,
    { column, share: credits / debits, ...(debit ? { debit } : {}) },
  );
}
