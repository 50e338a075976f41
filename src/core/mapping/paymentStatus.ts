/**
 * What a payment, order, invoice or deal status says about a row (compared lower case, trimmed,
 * with spaces, hyphens and underscores as one: "Closed Won", "closed_won" and "closedwon" are one
 * word here):
 * - not completed: the payment failed, was refused or cancelled, or has not been made (yet): a
 *   pending or open payment (Mollie's "open", Shopify's "pending"), an order on hold or awaiting
 *   payment (Magento, BigCommerce, WooCommerce), an invoice still a draft or written off unpaid
 *   ("Not Paid"), a quotation not (yet) accepted (Odoo's draft and sent states), a lost deal. Such a
 *   row is not a purchase: left out and counted. An issued invoice awaiting payment (sent, overdue,
 *   payment due; in a list of invoices also open, awaiting payment, unpaid, unless charged
 *   automatically) is a sale; a subscription invoice past due (its payment failed, being retried) is not.
 * - refunded in full, or charged back: the row nets to nothing.
 * - a sales pipeline (Salesforce's Stage, HubSpot's Deal Stage): when the column holds a won stage
 *   anywhere in the file, only won deals are sales; open and lost ones are left out like payments
 *   not completed (settled from the whole file: salesPipeline.ts).
 * Every other value (paid, succeeded, completed, processing, shipped, authorized…) is a purchase.
 */
import { ident, literal } from '../sql';
import { normalisedName } from './columnNames';
import { CHARGED_AUTOMATICALLY, type InvoiceList } from './invoiceList';

/** A status as compared: lower case, WooCommerce's "wc-" prefix (wc-completed, wc-on-hold) and spaces, hyphens and underscores removed. */
export function statusKey(value: string): string {
  return value.trim().toLowerCase().replace(/^wc-/, '').replace(/[\s_-]+/g, '');
}

/** Statuses that mean the payment or order did not (or not yet) happen. */
export const NOT_COMPLETED_STATUSES = [
  // failed or cancelled
  'failed', 'declined', 'void', 'voided', 'cancel', 'canceled', 'cancelled', 'denied', 'expired', 'reversed', 'abandoned', 'refused', 'rejected', 'error', 'incomplete',
  // an offer not (yet) accepted: Odoo's quotations ("draft", "sent" beside "sale"; "Quotation", "Quotation Sent")
  'quotation', 'quotation sent', 'estimate',
  // a payment not made (yet): a checkout left open, an order awaiting its payment, a subscription
  // invoice whose payment failed and is being retried (Recurly's past_due); and an invoice never
  // issued or written off unpaid (Chargebee's "Not Paid"). An issued invoice awaiting payment is a
  // sale ("Sent", "Overdue", "Payment Due" count), or every customer's latest invoices would be missing.
  'unpaid', 'not paid', 'pending', 'pending payment', 'payment pending', 'awaiting payment', 'open', 'on hold', 'draft', 'past due',
  // an invoice drafted and submitted, not yet approved and issued (Xero's "Awaiting Approval")
  'awaiting approval', 'pending approval',
  'requires payment method', 'requires confirmation', 'requires action',
  // a deal that was lost
  'closed lost', 'lost',
  // payment processors' refusals and write-offs (Braintree, Authorize.net, Stripe's invoices)
  'processor declined', 'gateway rejected', 'settlement declined', 'authorization expired', 'payment error', 'general error', 'uncollectible',
  // a shop's order awaiting its payment (PrestaShop's states), in English, French and German
  'awaiting bank wire payment', 'awaiting check payment', 'awaiting cheque payment', 'awaiting cash on delivery validation', 'on backorder (not paid)',
  'annulé', 'erreur de paiement', 'en attente de paiement', 'en attente du paiement par virement bancaire', 'en attente du paiement par chèque',
  'en attente de validation du paiement à la livraison', 'en attente de réapprovisionnement (non payé)',
  // German invoices (Lexoffice, sevDesk): cancelled, a draft, open; PayPal's German declined and pending
  'storniert', 'entwurf', 'offen', 'nicht bezahlt', 'unbezahlt', 'fehlgeschlagen', 'abgebrochen', 'abgelehnt', 'ausstehend',
  // French, Spanish and Dutch invoices (Pennylane, Holded, Exact): a draft, cancelled, refused; unpaid (a sale in a list of invoices)
  'brouillon', 'annulée', 'annulee', 'refusée', 'impayée', 'impayé', 'à payer', 'borrador', 'anulado', 'anulada', 'cancelado', 'cancelada', 'rechazado', 'rechazada', 'pendiente', 'concept', 'geannuleerd', 'openstaand',
  // goods held until paid in full (a point of sale's layaway)
  'layaway', 'on layaway',
].map(statusKey);

/** Statuses (among NOT_COMPLETED_STATUSES) that say a document was cancelled, voided or reversed after it was issued. */
export const CANCELLED_STATUSES = ['void', 'voided', 'cancel', 'canceled', 'cancelled', 'reversed', 'annulé', 'annulée', 'annulee', 'storniert', 'anulado', 'anulada', 'cancelado', 'cancelada', 'geannuleerd'].map(statusKey);

/** SQL over the whole file: whether the status column `name` marks a cancelled document anywhere (CANCELLED_STATUSES). */
export function cancelledStatusSql(name: string): string {
  return `coalesce(bool_or(${statusKeyOf(name)} IN (${sqlList(CANCELLED_STATUSES)})), false)`;
}

/** States of a sales order's quotation (Odoo's "sent"): not sales where the column also holds a sales order state. */
export const QUOTATION_STATUSES = ['sent'].map(statusKey);
/** Sales order states that make a status column a sales order's (where "sent" is a quotation sent, not an invoice). */
const SALES_ORDER_STATUSES = ['sale', 'sales order', 'quotation', 'quotation sent'].map(statusKey);

/** Statuses that mean the whole payment went back. */
export const REFUNDED_STATUSES = ['refunded', 'fully refunded', 'charged back', 'chargeback', 'refunded/canceled', 'refunded/cancelled', 'remboursé', 'erstattet', 'zurückerstattet'].map(statusKey);

/** Won stages of a sales pipeline. */
export const WON_STATUSES = ['closed won', 'won'].map(statusKey);

/** Statuses of payments that happened, besides the others: a column holding one of these words is a status column. */
const COMPLETED_STATUSES = [
  'succeeded', 'success', 'paid', 'completed', 'complete', 'processing', 'authorized', 'authorised', 'partially refunded', 'settled', 'captured', 'shipped', 'delivered', 'fulfilled', 'closed', 'sale', 'sales order', 'done', 'locked', 'posted',
  // payment processors (Braintree, Authorize.net), shops (PrestaShop, in English and French), event tickets (Eventbrite's attendees), German invoices
  'settling', 'submitted for settlement', 'settlement pending', 'settled successfully', 'captured/pending settlement',
  'payment accepted', 'remote payment accepted', 'processing in progress', 'on backorder (paid)',
  'paiement accepté', 'paiement à distance accepté', 'préparation en cours', 'expédié', 'livré', 'en attente de réapprovisionnement (payé)',
  'attending', 'checked in',
  'bezahlt', 'teilweise bezahlt', 'abgeschlossen', 'versendet', 'geliefert',
  'payée', 'payé', 'partiellement payée', 'finalisée', 'envoyée', 'pagada', 'pagado', 'cobrada', 'cobrado', 'emitida', 'enviada', 'betaald', 'verzonden', 'gedeeltelijk betaald', 'verwerkt',
].map(statusKey);

/**
 * Words that, in a list of issued invoices (invoiceList.ts listsInvoices), say an invoice awaits its
 * payment — a sale, as "overdue" is (Xero's "Awaiting Payment", MYOB's and Maxio's "Open", "Unpaid",
 * Lexoffice's "offen") — and elsewhere an order or checkout not paid (yet): not completed.
 */
export const AWAITING_PAYMENT_INVOICE = ['awaiting payment', 'open', 'unpaid', 'offen', 'unbezahlt', 'impayée', 'impayé', 'à payer', 'pendiente', 'openstaand'].map(statusKey);

/** An issued invoice awaiting payment: a sale (see the file comment). */
const ISSUED_UNPAID_STATUSES = ['overdue', 'payment due', 'überfällig', 'en retard', 'vencida', 'vencido', 'vervallen'].map(statusKey);

const KNOWN = new Set([...NOT_COMPLETED_STATUSES, ...QUOTATION_STATUSES, ...REFUNDED_STATUSES, ...WON_STATUSES, ...COMPLETED_STATUSES, ...ISSUED_UNPAID_STATUSES]);

/** Whether a value is a status word this file knows. */
export function isKnownStatus(value: string): boolean {
  return KNOWN.has(statusKey(value));
}

/** SQL: a text column's value as statusKey writes it. */
export function statusKeySql(column: string): string {
  return `regexp_replace(regexp_replace(lower(trim(CAST(${column} AS VARCHAR))), '^wc-', ''), '[\\s_-]+', '', 'g')`;
}

const sqlList = (values: readonly string[]) => values.map((v) => literal(v)).join(', ');

/**
 * A yes/no column that says whether the row was refunded in full (Gumroad's "Fully Refunded?",
 * "is_refunded"): a status of two values, yes read as refunded and no as paid. Not a bare
 * "Refunded?", which Gumroad also sets for partial refunds (their amount is a column of its own).
 */
const REFUND_FLAG_NAME = /^(fully_?refunded|is_?refunded|refunded_?in_?full|is_?fully_?refunded)\??$/;
const YES = ['true', 'yes', 'y', 't', '1', 'ja', 'oui', 'sí', 'si'];
const NO = ['false', 'no', 'n', 'f', '0', 'nein', 'non'];

export function isRefundFlag(c: { name: string; values: readonly string[] }): boolean {
  const values = c.values.map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  return REFUND_FLAG_NAME.test(normalisedName(c.name)) && values.length > 0 && values.every((v) => YES.includes(v) || NO.includes(v));
}

/**
 * A yes/no column that says the row is no real charge: a test (Lemon Squeezy's "Test Mode", Shopify's
 * `test`, "is_test", "sandbox") or only a card authorization for a pre-order (Gumroad's "Pre-order
 * authorization?"), marked yes; or Stripe's `livemode`, marked no on test payments. Rows it marks are
 * left out as not a purchase.
 */
const NOT_CHARGED_WHEN_YES = /^(test|tests|test_?mode|is_?test|test_?order|test_?transaction|sandbox|is_?sandbox|pre_?order_?authori[sz]ation|preorder_?authori[sz]ation|authori[sz]ation_?only)\??$/;
const NOT_CHARGED_WHEN_NO = /^(livemode|live_?mode|is_?live)\??$/;

/**
 * A yes/no column that says the document was cancelled ("Cancelled", "is_canceled", "Voided",
 * German "Storniert", SAP Business One's `CANCELED`): a cancelled invoice or order is no sale. SAP
 * writes Y on the cancelled document and C on the cancellation document that reverses it (a
 * document of the same type with a positive total): both are left out, so the pair counts nothing.
 */
const CANCELLED_NAME = /^(cancel(l)?ed|is_?cancel(l)?ed|cancel(l)?ed_?flag|was_?cancel(l)?ed|voided|is_?voided|storniert|ist_?storniert|annul(e|ee)|cancelad[oa]|anulad[oa]|geannuleerd)\??$/;
/** SAP Business One's mark of a cancellation document in its CANCELED column. */
const CANCELLATION_DOCUMENT = 'c';

export function isCancelledFlagName(name: string): boolean {
  return CANCELLED_NAME.test(normalisedName(name));
}

export function isTestFlag(c: { name: string; values: readonly string[] }): boolean {
  const name = normalisedName(c.name);
  const values = c.values.map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  if (values.length === 0) return false;
  if (CANCELLED_NAME.test(name)) return values.every((v) => YES.includes(v) || NO.includes(v) || v === CANCELLATION_DOCUMENT) && values.some((v) => v !== CANCELLATION_DOCUMENT);
  return (NOT_CHARGED_WHEN_YES.test(name) || NOT_CHARGED_WHEN_NO.test(name)) && values.every((v) => YES.includes(v) || NO.includes(v));
}

/** SQL: the flag column `name` (isTestFlag) marks the row as no real charge (a test, an authorization only, or a cancelled document). */
export function notChargedSql(name: string): string {
  const key = `lower(trim(CAST(${ident(name)} AS VARCHAR)))`;
  const normalised = normalisedName(name);
  const marked = NOT_CHARGED_WHEN_NO.test(normalised) ? NO : CANCELLED_NAME.test(normalised) ? [...YES, CANCELLATION_DOCUMENT] : YES;
  return `coalesce(${key} IN (${sqlList(marked)}), false)`;
}

/** SQL: the status key (statusKeySql) of the status column `name`; a refund flag's yes and no read as refunded and paid. */
export function statusKeyOf(name: string): string {
  const key = statusKeySql(ident(name));
  if (!REFUND_FLAG_NAME.test(normalisedName(name))) return key;
  return `(CASE WHEN ${key} IN (${sqlList(YES)}) THEN 'refunded' WHEN ${key} IN (${sqlList(NO)}) THEN 'paid' ELSE ${key} END)`;
}

/**
 * SQL: the status (statusKeySql) says the payment did not happen; in a sales pipeline (`wonOnly`),
 * every stage but a won one. In a list of invoices (`invoices`), one awaiting payment is a sale.
 */
export function notCompletedSql(key: string, wonOnly: boolean, quotations = false, invoices: InvoiceList | null = null): string {
  if (wonOnly) return `coalesce(${key} NOT IN (${sqlList(WON_STATUSES)}), false)`;
  const notCompleted = invoices ? NOT_COMPLETED_STATUSES.filter((s) => !AWAITING_PAYMENT_INVOICE.includes(s)) : NOT_COMPLETED_STATUSES;
  const failed = `coalesce(${key} IN (${sqlList([...notCompleted, ...(quotations ? QUOTATION_STATUSES : [])])}), false)`;
  if (!invoices?.collection) return failed;
  // An open invoice charged automatically: its charge has not gone through.
  const automatic = `lower(trim(CAST(${ident(invoices.collection)} AS VARCHAR))) IN (${sqlList(CHARGED_AUTOMATICALLY)})`;
  return `(${failed} OR coalesce(${key} IN (${sqlList(AWAITING_PAYMENT_INVOICE)}) AND ${automatic}, false))`;
}

/** SQL: the status says the whole payment went back. */
export function refundedSql(key: string): string {
  return `coalesce(${key} IN (${sqlList(REFUNDED_STATUSES)}), false)`;
}

/** SQL aggregates over the whole file: whether some row is won (a sales pipeline), and whether some row holds a known status. */
export function statusSurveySql(key: string): { won: string; known: string; salesOrders: string } {
  return {
    won: `coalesce(bool_or(${key} IN (${sqlList(WON_STATUSES)})), false)`,
    salesOrders: `coalesce(bool_or(${key} IN (${sqlList(SALES_ORDER_STATUSES)})), false)`,
    known: `coalesce(bool_or(${key} IN (${sqlList([...KNOWN])})), false)`,
  };
}
