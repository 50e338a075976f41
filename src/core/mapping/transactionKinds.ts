/**
 * A column that says what kind of transaction each row is (Shopify's "Kind", PayPal's and Square's
 * "Type", an accounting export's "Transaction Type" or "Document Type"), and what that means for
 * the amount:
 * - a refund, return, credit memo or note, or chargeback is money going back, whatever sign the
 *   export wrote it with (Shopify's transactions write refunds as positive amounts): read as a
 *   return, −|amount|;
 * - an authorization, void, payout, transfer or withdrawal moves no purchase money: left out as
 *   `not a purchase` (counted);
 * - in a customer ledger (the column also holds invoices) or a point-of-sale history that writes the
 *   sale itself as a row (Lightspeed's Line Type: Sale, then its Sale Lines and its Payment), a
 *   payment settles a sale or invoice already counted, and an item line is part of it: both left out
 *   as `not a purchase` too. Elsewhere (PayPal's "Website Payment") a payment is the purchase, and
 *   with no sale row the lines are. Which of the two a file is, is decided from the whole column (ledgerSql).
 * - Sage 50 Accounts' audit trail writes the type as a two-letter code (SAGE_CODES): SI a sale, SC a
 *   return, every other code not a purchase.
 * - SAP Business One writes a document's type as its object code (ObjType, SAP_OBJECT_CODES): 13 an
 *   A/R invoice, 203 an A/R down payment invoice (sales), 14 an A/R credit memo (a return, though its
 *   total is written positive), every other code not a purchase.
 * - beside invoices, a sales order as a row of its own (MYOB's Type "Order") is not invoiced yet: not a purchase.
 * - a cancellation document (sevDesk's and Lexoffice's "Stornorechnung", a "Cancellation") reverses an
 *   invoice; where the file's status column marks the cancelled invoices themselves (sevDesk's
 *   "Storniert"), those are already left out, so the cancellation documents are not purchases either
 *   (else each cancellation would be taken off twice). Elsewhere it is money going back, against the
 *   invoice still counted.
 * Every other kind ("sale", "capture", "invoice", "order", "charge") is read as written.
 */
import { ident, literal } from '../sql';
import { normalisedName } from './columnNames';

/** Normalised names a kind column goes by. */
const KIND_NAME = /^(kind|type|transaction_?type|transaction_?kind|txn_?type|trans_?type|document_?type|doc_?type|entry_?type|record_?type|line_?type|invoice_?type|typ|transaktionstyp|belegart|belegtyp|buchungsart|rechnungsart|rechnungstyp|dokumentart)$/;

/**
 * Names of an event log's event column (Google Analytics 4's event_name, Segment's and Mixpanel's
 * event). In an event log every row is an event and only a purchase is one: page views, items
 * viewed or put in a cart and checkouts begun carry a value too (GA4's event_value_in_usd), so
 * every event but a purchase (or a refund, a return) is left out as not a purchase.
 */
const EVENT_NAME = /^(event|event_?name|event_?type|event_?action)$/;
/** Events that are a purchase (the whole value, lower case, spaces, hyphens and underscores removed); Square's "Event Type" is Payment or Refund. */
const PURCHASE_EVENTS = ['purchase', 'inapppurchase', 'ecommercepurchase', 'orderplaced', 'placedorder', 'ordercompleted', 'completedorder', 'checkoutcompleted', 'completedcheckout', 'transaction', 'sale', 'charge', 'capture', 'order', 'payment'] as const;

export function isEventColumn(name: string): boolean {
  return EVENT_NAME.test(normalisedName(name));
}

/** Kinds that are money going back (matched as words, lower case). */
const RETURN_KIND = '(refund|refunds|refunded|return|returns|returned|credit ?memo|credit ?note|creditnote|chargeback|gutschrift|storno|rückzahlung|rückerstattung|erstattung|rückbuchung|zahlungsrückbuchung)';
/** A kind that is the single word "credit": money going back (Braintree's sale/credit, Authorize.net's Credit, MYOB's Credit); "Credit Card" is no kind. */
const CREDIT_KIND = 'credit';
/** A card authorization captured at once, or a capture of an earlier one (Authorize.net's "Authorization w/ Auto Capture", "Prior Authorization Capture"): the sale itself. */
const CAPTURE_WORD = '\\bcapture\\b';
/** An offer, not a sale: a quote or estimate written as a row of its own (MYOB's Quote). */
const OFFER_KIND = '\\b(quote|quotes|quotation|estimate)\\b';
/**
 * Kinds that move no purchase money, matched as words of the value (lower case): "General
 * Withdrawal", "General Currency Conversion", "Hold on Balance for Dispute Investigation", "Void of
 * Authorization" and "Bank Deposit to PP Account" in PayPal's activity download are none of them
 * purchases; nor a loyalty ledger's "Points Redemption" or "Bonus Points". Its German download says
 * "Allgemeine Abbuchung", "Allgemeine Währungsumrechnung", "Bankgutschrift auf PayPal-Konto",
 * "Einbehaltung…" (and "Rückzahlung" for a refund, "Website-Zahlung" for a payment).
 */
export const NOT_PURCHASE_KINDS = ['authorization', 'authorisation', 'auth', 'void', 'voided', 'payout', 'transfer', 'withdrawal', 'conversion', 'hold', 'deposit', 'fee', 'points', 'abbuchung', 'währungsumrechnung', 'bankgutschrift', 'einzahlung', 'überweisung', 'gebühr', 'autorisierung', 'einbehaltung'] as const;
/**
 * A payment's steps before it settles, as payment processors' reports write one record per step
 * (Adyen's Record Type: Received, Authorised, SentForSettle, then Settled; Refused; SentForRefund
 * before Refunded): only the settled record (and the refund) is money moving, so the steps are not
 * purchases. Compared as the whole value without spaces, hyphens or underscores.
 */
const PAYMENT_STEP_KINDS = ['received', 'authorised', 'authorized', 'sentforsettle', 'sentforrefund', 'refused', 'cancelled', 'canceled', 'expired', 'error', 'pending'] as const;
/**
 * In a ledger: kinds that settle an invoice, as words of the value (lower case): "Payment", "Customer
 * Payment", "Customer Receipt" (Sage), "Cash Receipt", German "Zahlung" (Business Central's Belegart),
 * French "Paiement", Spanish "Pago" and "Cobro".
 */
const PAYMENT_KIND = '\\b(payments?|receipts?|zahlung|zahlungen|zahlungseingang|paiement|pago|cobro)\\b';
/** A cash sale written as a receipt (QuickBooks' "Sales Receipt", "Cash Sale"): the sale itself. */
const SALES_RECEIPT_KIND = '\\b(sales? receipts?|cash sales?)\\b';
/** Kinds that make a file a customer ledger: an invoice among them. */
const INVOICE_KIND = '(invoice|rechnung)';
/** A document that cancels an invoice (German "Storno", "Stornorechnung", "Stornobeleg"; "Cancellation"; French "Annulation"; Spanish "Anulación"), as a word of the value. */
const CANCELLATION_KIND = '(\\bstorno[a-zäöü]*|\\bstornierung|\\bcancell?ation|\\bannulation|\\banulaci[oó]n)';
/** A sale or order written as a row of its own (the whole value): with one in the file, payments and item lines are parts of it. */
const SALE_DOCUMENT_KIND = '(sale|sales|order)';
/** A sales order as a row of its own (the whole value): beside invoices, not a sale yet. */
const SALES_ORDER_KIND = '(order|orders|sales order|sales orders|sale order|auftrag)';
/** In a ledger: an item line of a sale or invoice (as a word: "Sale Line", "Line Item", "Invoice Line"). */
const LINE_KIND = '\\b(line|lines|line item|item|items)\\b';

/**
 * Sage 50 Accounts' transaction types, as its audit trail and nominal activity exports write them
 * (lower case): SI sales invoice, SC sales credit note, SR sales receipt, SA receipt on account, SD
 * discount on a receipt, SP a payment to the customer (paying out a credit note); PI, PC, PP, PA, PD,
 * PR the same on the supplier side; BP and BR bank payments and receipts, CP and CR cash, VP and VR
 * card; JD and JC journal debits and credits. In a column of such codes with a sales invoice among
 * them, SI is a sale, SC money going back, and every other code moves no purchase money (a receipt
 * settles an invoice already counted; the rest is not a customer's purchase). Two-letter values
 * mean this only where the whole column is such codes (sageCodesSql), never elsewhere.
 */
export const SAGE_CODES = ['si', 'sc', 'sr', 'sa', 'sd', 'sp', 'pi', 'pc', 'pp', 'pa', 'pd', 'pr', 'bp', 'br', 'cp', 'cr', 'vp', 'vr', 'jd', 'jc'] as const;
const SAGE_SALE = 'si';
const SAGE_RETURN = 'sc';

/**
 * SAP Business One's object types (the ObjType column of its documents' tables, as queries and the
 * Query Manager export them): 13 A/R invoice, 14 A/R credit memo, 15 delivery, 16 return (of goods),
 * 17 sales order, 23 sales quotation, 24 incoming payment, 203 A/R down payment invoice; 18, 19, 20,
 * 21, 22 and 204 the purchasing side's documents, 46 an outgoing payment, 30 a journal entry. In a
 * column named as SAP's object type whose every value is such a code, with an A/R invoice among
 * them, 13 and 203 are sales (a final invoice's total is net of the down payments it draws), 14 is
 * money going back, and every other code moves no purchase money: a delivery, order or quotation is
 * invoiced (or not) by a document of its own, a payment settles an invoice already counted.
 */
export const SAP_OBJECT_CODES = ['13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '30', '46', '203', '204'] as const;
const SAP_SALES = ['13', '203'];
const SAP_RETURN = '14';
const SAP_OBJECT_NAME = /^(obj_?type|object_?type|object_?code|obj_?code)$/;

/**
 * A debit/credit flag beside an unsigned amount, as ledgers and bank-style exports write it ("D/C",
 * "Dr/Cr", DATEV's and SAP's "Soll/Haben" S/H): on a customer's account a debit (D, Dr, S) is what
 * they were invoiced and a credit (C, Cr, H) money going back. Read so only where every value of the
 * column is such a flag (debitCreditSql).
 */
const DEBIT_CREDIT_NAME = /^(d\/c|dr\/cr|db\/cr|d_c|dc|dr_cr|drcr|debit\/credit|debit_credit|debit_or_credit|dc_flag|dc_indicator|debit_credit_indicator|soll\/haben|s\/h|soll_haben|soll_haben_kennzeichen|soll\/haben_kennzeichen|soll\/haben_kz|soll_haben_kz)$/;
const DEBIT_FLAGS = ['d', 'dr', 'db', 'debit', 's', 'soll'] as const;
const CREDIT_FLAGS = ['c', 'cr', 'credit', 'h', 'haben'] as const;
const DEBIT_CREDIT_FLAGS: readonly string[] = [...DEBIT_FLAGS, ...CREDIT_FLAGS];

/** How a file's kind column reads, settled over the whole file (clean/ledger.ts). */
export interface KindShape {
  /** A customer ledger: invoices (or sales as rows of their own) somewhere, whose payments settle them. */
  ledger: boolean;
  /** In a ledger: credit memos or notes somewhere, which its refunds pay out. */
  creditNotes: boolean;
  /** Invoices somewhere (not only sales or orders as rows): a sales order beside them is not invoiced yet, so no sale. */
  invoices?: boolean;
  /** The column is Sage 50 type codes (SAGE_CODES), a sales invoice among them. */
  sageCodes: boolean;
  /**
   * Cancellation documents (CANCELLATION_KIND) sit beside a status column that marks the cancelled
   * invoices themselves: those are left out by their status, so the cancellations are not purchases.
   */
  cancellationsOfCancelled?: boolean;
  /** The column is SAP Business One object codes (SAP_OBJECT_CODES), an A/R invoice among them. */
  sapObjects?: boolean;
  /** The column is a debit/credit flag (DEBIT_CREDIT_FLAGS): a credit is money going back. */
  debitCredit: boolean;
}

export const PLAIN_KINDS: KindShape = { ledger: false, creditNotes: false, sageCodes: false, debitCredit: false };

/** Words a kind column's sampled values must include one of, so a product "Type" column (Book, DVD) is never taken. */
const KIND_WORDS = new RegExp(`^(sale|sales|charge|capture|settled|order|purchase|payment|website payment|express checkout payment|${CREDIT_KIND}|${NOT_PURCHASE_KINDS.join('|')})$|\\b${RETURN_KIND}\\b|\\b${INVOICE_KIND}\\b|\\bzahlung\\b`);

/** The kind column among `free` (named as one, its values words, one of them a known kind), or undefined. */
export function findKindColumn<C extends { name: string; values: readonly string[] }>(free: readonly C[]): C | undefined {
  return free.find((c) => {
    const values = c.values.map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
    if (DEBIT_CREDIT_NAME.test(normalisedName(c.name))) return values.length > 0 && values.every((v) => DEBIT_CREDIT_FLAGS.includes(v));
    if (SAP_OBJECT_NAME.test(normalisedName(c.name))) return values.length > 0 && values.every((v) => (SAP_OBJECT_CODES as readonly string[]).includes(v)) && values.includes('13');
    if (!KIND_NAME.test(normalisedName(c.name)) && !isEventColumn(c.name)) return false;
    if (values.length > 0 && values.every((v) => (SAGE_CODES as readonly string[]).includes(v)) && values.includes(SAGE_SALE)) return true;
    return values.length > 0 && values.every((v) => /^[\p{L} _.'/-]{2,60}$/u.test(v)) && values.some((v) => KIND_WORDS.test(v));
  });
}

const kindText = (column: string) => `lower(trim(CAST(${ident(column)} AS VARCHAR)))`;
const sqlList = (values: readonly string[]) => values.map((v) => literal(v)).join(', ');

/** SQL: the row's kind is money going back. */
export function returnKindSql(column: string, shape: KindShape = PLAIN_KINDS): string {
  if (shape.debitCredit) return `coalesce(${kindText(column)} IN (${sqlList(CREDIT_FLAGS)}), false)`;
  if (shape.sapObjects) return `coalesce(${kindText(column)} = ${literal(SAP_RETURN)}, false)`;
  const code = shape.sageCodes ? ` OR ${kindText(column)} = ${literal(SAGE_RETURN)}` : '';
  return `coalesce(regexp_matches(${kindText(column)}, ${literal(`\\b${RETURN_KIND}\\b`)}) OR ${kindText(column)} = ${literal(CREDIT_KIND)}${code}, false)`;
}

/** SQL: the row's kind moves no purchase money (in a customer ledger its payments settle invoices; see KindShape). */
export function notPurchaseKindSql(column: string, shape: KindShape = PLAIN_KINDS): string {
  if (shape.debitCredit) return 'false';
  if (shape.sapObjects) return `coalesce(${kindText(column)} NOT IN (${sqlList([...SAP_SALES, SAP_RETURN])}), false)`;
  const { ledger, creditNotes } = shape;
  const key = `regexp_replace(${kindText(column)}, '[\\s_-]+', '', 'g')`;
  if (isEventColumn(column)) return `coalesce(NOT (${key} IN (${PURCHASE_EVENTS.map((k) => literal(k)).join(', ')}) OR ${returnKindSql(column)}), false)`;
  const words = `(regexp_matches(${kindText(column)}, ${literal(`\\b(${NOT_PURCHASE_KINDS.join('|')})\\b`)}) AND NOT regexp_matches(${kindText(column)}, ${literal(CAPTURE_WORD)})) OR regexp_matches(${kindText(column)}, ${literal(OFFER_KIND)})`;
  const steps = `${key} IN (${PAYMENT_STEP_KINDS.map((k) => literal(k)).join(', ')})`;
  // A sales receipt is a cash sale (QuickBooks' "Sales Receipt"), not a receipt of payment.
  const payment = ledger ? ` OR (regexp_matches(${kindText(column)}, ${literal(PAYMENT_KIND)}) AND NOT regexp_matches(${kindText(column)}, ${literal(SALES_RECEIPT_KIND)})) OR regexp_matches(${kindText(column)}, ${literal(LINE_KIND)})` : '';
  // A ledger's refund pays out a credit memo or note it already holds (Business Central's Refund): the memo was the return.
  const refund = ledger && creditNotes ? ` OR regexp_matches(${kindText(column)}, ${literal(`\\b(refund|refunds|refunded)\\b`)})` : '';
  // Beside invoices, a sales order (MYOB's Type "Order") is not invoiced yet: the invoice will be the sale.
  const order = shape.invoices ? ` OR regexp_full_match(${kindText(column)}, ${literal(SALES_ORDER_KIND)})` : '';
  const codes = shape.sageCodes ? ` OR ${kindText(column)} IN (${sqlList(SAGE_CODES.filter((c) => c !== SAGE_SALE && c !== SAGE_RETURN))})` : '';
  const cancellation = shape.cancellationsOfCancelled ? ` OR ${cancellationSql(column)}` : '';
  return `coalesce(${words} OR ${steps}${payment}${refund}${order}${codes}${cancellation}, false)`;
}

/** SQL: the row's kind is a cancellation document (CANCELLATION_KIND). */
export function cancellationSql(column: string): string {
  return `coalesce(regexp_matches(${kindText(column)}, ${literal(CANCELLATION_KIND)}), false)`;
}

/** SQL over the whole file: whether every filled value of the kind column is a debit/credit flag (DEBIT_CREDIT_FLAGS). */
export function debitCreditSql(column: string): string {
  return `coalesce(bool_and(nullif(${kindText(column)}, '') IN (${sqlList(DEBIT_CREDIT_FLAGS)})), false)`;
}

/** SQL over the whole file: whether every filled value of the kind column is a Sage 50 code (SAGE_CODES) and one of them a sales invoice. */
export function sageCodesSql(column: string): string {
  const value = `nullif(${kindText(column)}, '')`;
  return `coalesce(bool_and(${value} IN (${sqlList(SAGE_CODES)})) AND bool_or(${value} = ${literal(SAGE_SALE)}), false)`;
}

/** SQL over the whole file: whether every filled value of the kind column is a SAP Business One object code (SAP_OBJECT_CODES) and one of them an A/R invoice. */
export function sapObjectsSql(column: string): string {
  if (!SAP_OBJECT_NAME.test(normalisedName(column))) return 'false';
  const value = `nullif(${kindText(column)}, '')`;
  return `coalesce(bool_and(${value} IN (${sqlList(SAP_OBJECT_CODES)})) AND bool_or(${value} = ${literal('13')}), false)`;
}

/** SQL over the whole file: whether the kind column holds a credit memo or note anywhere (then a ledger's refunds pay them out). */
export function creditNotesSql(column: string): string {
  return `coalesce(bool_or(regexp_matches(${kindText(column)}, ${literal('\\b(credit ?memo|credit ?note|creditnote|gutschrift)\\b')})), false)`;
}

/** SQL over the whole file: whether the kind column holds an invoice (not an invoice's line) anywhere. */
export function invoicesSql(column: string): string {
  return `coalesce(bool_or(regexp_matches(${kindText(column)}, ${literal(`\\b${INVOICE_KIND}\\b`)}) AND NOT regexp_matches(${kindText(column)}, ${literal(LINE_KIND)})), false)`;
}

/** SQL over the whole file: whether the kind column holds an invoice, or a sale or order as a row of its own, anywhere (a ledger). */
export function ledgerSql(column: string): string {
  const invoice = `regexp_matches(${kindText(column)}, ${literal(`\\b${INVOICE_KIND}\\b`)})`;
  const sale = `regexp_full_match(${kindText(column)}, ${literal(SALE_DOCUMENT_KIND)})`;
  return `coalesce(bool_or((${invoice} AND NOT regexp_matches(${kindText(column)}, ${literal(LINE_KIND)})) OR ${sale}), false)`;
}
