import { amountNamedInMinorUnits, refundCurrencyDoubt, type ColumnMapping } from '../mapping/roles';
import { isEventColumn, type KindShape } from '../mapping/transactionKinds';
import { PARENT_ID } from '../source/nestedRows';
import { currencyWarning, type CurrencyReport } from './currencies';
import type { AccountOwner } from './accountOwner';
import type { IntegralIdCheck } from './customerIds';
import type { QualityReport } from './qualityReport';
import { repeatedTotalsWarning, type RepeatedTotals } from './repeatedTotals';
import { REJECT_REASONS, type DateWindow } from './staging';
import type { StatusSurvey } from './statusSurvey';

/**
 * A file of at least this many kept rows where customers are at least this share of the rows gets a
 * warning: its customer column is most likely an order or row id (HubSpot's deal "Record ID", a
 * payment's "id"). Real logs have repeat buyers: CDNOW's 69,659 rows hold 23,570 customers.
 */
const UNIQUE_ID_ROWS = 200;
const UNIQUE_ID_SHARE = 0.98;

/** What the load read from the whole file beside the quality counts: the facts its notes are made of. */
export interface LoadReadings {
  mapping: ColumnMapping;
  dateWindow: DateWindow;
  ids: IntegralIdCheck;
  emailsMerged: number;
  paddingTwins: number;
  /** Rows whose amounts may be cents (wholeAmounts.ts); 0 when not. */
  wholeAmounts: number;
  statuses: StatusSurvey | null;
  kinds: KindShape;
  /** A DATEV export's general-ledger account length (source/datevHeader.ts), or null. */
  ledgerDigits?: number | null;
  totals: RepeatedTotals | null;
  currencies: CurrencyReport | null;
  /** Orders holding a repeated line beside single ones (identicalLines.ts). */
  identicalLines: number;
  /** Rows nested under another (nestedRows.ts), left out of the table. */
  nestedRows: number;
  /** The file's column names. */
  columns: readonly string[];
  /** The file is written from one account's side (accountOwner.ts), or null. */
  accountOwner?: AccountOwner | null;
}

/**
 * The quality report's notes on what the load decided and why, each as a structured field (which
 * the app words itself) and a sentence in `warnings` (for the CLI and quality.json): one place for
 * them, so the engine's load reads the file and this says what it found.
 */
export function annotateQuality(quality: QualityReport, readings: LoadReadings): void {
  const { mapping, dateWindow, ids, emailsMerged, paddingTwins, wholeAmounts, statuses, kinds, totals, currencies, identicalLines, nestedRows, columns } = readings;
  if (identicalLines > 0 && quality.duplicates_removed > 0) {
    quality.identical_lines = { orders: identicalLines };
    quality.warnings.push(`${quality.duplicates_removed.toLocaleString('en-US')} row(s) that repeat another line of their order exactly were removed as duplicates, but ${identicalLines.toLocaleString('en-US')} orders hold such a line beside lines that appear once: a till that rings two identical items as two lines (Square's item detail) writes them so, and then they are real. To keep them, choose no order id in the mapping (or --duplicates keep).`);
  }
  if (nestedRows > 0) {
    quality.nested_rows = { column: PARENT_ID, rows: nestedRows };
    quality.warnings.push(`${nestedRows.toLocaleString('en-US')} rows are line items nested under the order they name (${PARENT_ID}, as Shopify's bulk exports write them) and were read as parts of those orders, not as transactions.`);
  }
  quality.date_window = dateWindow;
  const owner = readings.accountOwner;
  if (owner && mapping.customer) {
    quality.account_owner = { column: mapping.customer, counterparty: owner.counterparty, address: owner.owner, rows: owner.swapped };
    quality.warnings.push(`"${mapping.customer}" holds the account's own address (${owner.owner}) on ${owner.swapped.toLocaleString('en-US')} row(s) — refunds and payments the account sent — and the other party is in "${owner.counterparty}": on those rows the customer was read from "${owner.counterparty}".`);
  }
  quality.customer_ids = { decimal_zero_removed: ids.integralIds ? ids.decimalWritten : 0, email_case_merged: emailsMerged, zero_padding_twins: paddingTwins };
  if (paddingTwins > 0) {
    quality.warnings.push(`${paddingTwins.toLocaleString('en-US')} customer id(s) in "${mapping.customer}" are the same number as another id written with a different count of leading zeros ("00000936", "936"). Ids keep their zeros, so they were kept apart as different customers; if a spreadsheet dropped the zeros on some rows, export the ids as text and load the file again.`);
  }
  if (emailsMerged > 0) {
    quality.warnings.push(`${emailsMerged.toLocaleString('en-US')} customer id(s) in "${mapping.customer}" are e-mail addresses written in another letter case than one already seen ("Alice@Example.com", "alice@example.com"); addresses were compared without case, so each is one customer.`);
  }
  if (mapping.amountMinorUnits) {
    const column = mapping.amount ?? mapping.unitPrice ?? '';
    const why = amountNamedInMinorUnits(column) ? 'as its name says' : 'as payment APIs write them beside a currency and epoch timestamps';
    quality.warnings.push(`Amounts in "${column}" are whole numbers of cents (minor units), ${why}: they were divided by 100 (by the currency's own decimals where it has none or three).`);
  }
  if (wholeAmounts > 0) {
    const column = mapping.amount ?? mapping.unitPrice ?? '';
    quality.whole_amounts = { column, rows: wholeAmounts };
    quality.warnings.push(`Every amount in "${column}" (${wholeAmounts.toLocaleString('en-US')} rows) is a whole number beside a currency code, as payment APIs write cents (Paddle's totals): they were read as written. If they are cents, choose minor units (--amount-unit minor, or "amounts in cents" in the mapping), or every figure is 100 times too large.`);
  }
  const rowCurrency = refundCurrencyDoubt(mapping, columns);
  if (rowCurrency && mapping.amount && mapping.refund) {
    quality.refund_currency = { amount: mapping.amount, refund: mapping.refund, currency: rowCurrency };
    quality.warnings.push(`"${mapping.refund}" was subtracted from "${mapping.amount}" as written, but "${mapping.amount}" is in one currency and the file also gives each row's own in "${rowCurrency}": if the refunds are in the row's currency, a partial refund on a row in another currency is off by the exchange rate (a full refund, said by the status, nets to nothing either way). Map a refund column in the amount's currency if the file has one.`);
  }
  if (statuses && mapping.status) quality.status = { column: mapping.status, known: statuses.known, won_only: statuses.wonOnly };
  if (quality.rows_kept >= UNIQUE_ID_ROWS && quality.customers >= UNIQUE_ID_SHARE * quality.rows_kept) {
    quality.one_row_per_customer = { column: mapping.customer ?? '' };
    quality.warnings.push(`Almost every row has a customer id of its own in "${mapping.customer}" (${quality.customers.toLocaleString('en-US')} customers in ${quality.rows_kept.toLocaleString('en-US')} rows): it looks like an order, deal or row id rather than the customer, and nobody would have a repeat purchase. Choose the column that names the customer.`);
  }
  const notCompleted = quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted] ?? 0;
  if (notCompleted > 0) {
    quality.not_completed = { column: mapping.status ?? '', rows: notCompleted };
    const why = statuses?.wonOnly ? 'deals not won: open or lost; only won deals are sales' : 'payments that failed, were cancelled or are not made yet (pending, open, on hold, past due), drafts and quotations';
    quality.warnings.push(`${notCompleted.toLocaleString('en-US')} row(s) whose "${mapping.status}" says they are not completed purchases were left out (${why}).`);
  }
  if (statuses && !statuses.known) {
    quality.warnings.push(`No value in "${mapping.status}" is a status this tool knows (paid, failed, pending, refunded, closed won…), so every row was counted as a purchase. If some are not, filter the file first.`);
  }
  const notCharged = quality.rejected_by_reason[REJECT_REASONS.notCharged] ?? 0;
  if (notCharged > 0) {
    quality.test_rows = { column: mapping.testFlag ?? '', rows: notCharged };
    quality.warnings.push(`${notCharged.toLocaleString('en-US')} row(s) that "${mapping.testFlag}" marks as a test payment or a card authorization only were left out.`);
  }
  const cancelled = quality.rejected_by_reason[REJECT_REASONS.cancelled] ?? 0;
  if (cancelled > 0) {
    quality.cancelled_rows = { column: mapping.testFlag ?? '', rows: cancelled };
    quality.warnings.push(`${cancelled.toLocaleString('en-US')} row(s) that "${mapping.testFlag}" marks as cancelled (or as the cancellation of another document) were left out.`);
  }
  const settled = quality.rejected_by_reason[REJECT_REASONS.notAPurchase] ?? 0;
  if (settled > 0) {
    // A DATEV export's debit/credit flag leaves nothing out: its left-out rows are postings on general-ledger accounts.
    const accounts = kinds.debitCredit && readings.ledgerDigits != null;
    const reading = accounts ? 'accounts' : mapping.kind && isEventColumn(mapping.kind) ? 'events' : kinds.sageCodes ? 'sage' : kinds.sapObjects ? 'sap' : kinds.ledger ? 'ledger' : 'payments';
    const column = accounts ? (mapping.customer ?? '') : (mapping.kind ?? '');
    quality.not_purchases = kinds.cancellationsOfCancelled ? { column, rows: settled, reading, cancellations: true } : { column, rows: settled, reading };
    const why = {
      events: 'events other than a purchase or a refund: views, carts, checkouts begun',
      sage: 'Sage type codes other than SI and SC: receipts, discounts and payments that settle sales invoices, supplier, bank, cash and journal entries',
      sap: 'SAP object types other than A/R invoices (13), down payment invoices (203) and credit memos (14): deliveries, orders, quotations, payments and the purchasing side\'s documents',
      ledger: 'authorizations, voids, payouts, quotes, item lines, sales orders not yet invoiced, and payments, which in a ledger that holds invoices (or sales as rows of their own) settle invoices already counted',
      payments: 'authorizations, voids, payouts, transfers, fees, or a payment\'s steps before it settled',
      accounts: `postings on a general-ledger account of ${readings.ledgerDigits} digits or fewer, such as a bank's: payments received, posted against the customer`,
    }[reading];
    const cancellations = kinds.cancellationsOfCancelled ? ` Cancellation documents are among them: each reverses an invoice that "${mapping.status}" already marks as cancelled, so it is not taken off a second time.` : '';
    quality.warnings.push(`${settled.toLocaleString('en-US')} row(s) whose "${column}" says they are not purchases were left out (${why}).${cancellations}`);
  }
  const repeatedWarning = totals && mapping.amount ? repeatedTotalsWarning(totals, mapping.amount) : null;
  if (totals && repeatedWarning) {
    quality.repeated_totals = { orders_with_several_lines: totals.multiLineOrders, same_amount_on_every_line: totals.sameAmountOrders, lines_counted_zero: totals.linesZeroed };
    quality.warnings.push(repeatedWarning);
  }
  if (currencies) {
    quality.currencies = currencies;
    const warning = currencyWarning(currencies);
    if (warning) quality.warnings.push(warning);
  }
  if (ids.integralIds) quality.warnings.push(`${ids.decimalWritten.toLocaleString('en-US')} customer id(s) were written as decimals ("17850.0"); every id in "${mapping.customer}" is a whole number, so they were read as whole numbers ("17850").`);
}
