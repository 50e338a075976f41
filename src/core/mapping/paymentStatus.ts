/**
 * What a payment, order, invoice or deal status says about a row (compared lower case, trimmed,
 * with spaces, hyphens and underscores as one: "Closed Won", "closed_won" and "closedwon" are one
 * word here):
 * - not completed: the payment failed, was refused or cancelled, or has not been made (yet): a
 *   pending or open payment (Mollie's "open", Shopify's "pending"), an order on hold or awaiting
 *   payment (Magento, BigCommerce, WooCommerce), an invoice still a draft or written off unpaid
 *   ("Not Paid"), a quotation not (yet) accepted (Odoo's draft and sent states), a lost deal. Such a
 *   row is not a purchase: left out and counted. An issued invoice awaiting payment (sent, overdue,
 *   payment due) is a sale; a subscription invoice past due (its payment failed, being retried) is not.
 * - refunded in full, or charged back: the row nets to nothing.
 * - a sales pipeline (Salesforce's Stage, HubSpot's Deal Stage): when the column holds a won stage
 *   anywhere in the file, only won deals are sales; open and lost ones are left out like payments
 *   not completed (settled from the whole file: salesPipeline.ts).
 * Every other value (paid, succeeded, completed, processing, shipped, authorized…) is a purchase.
 */
import { literal } from '../sql';

/** A status as compared: lower case, spaces, hyphens and underscores removed. */
export function statusKey(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_-]+/g, '');
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
  'requires payment method', 'requires confirmation', 'requires action',
  // a deal that was lost
  'closed lost', 'lost',
].map(statusKey);

/** States of a sales order's quotation (Odoo's "sent"): not sales where the column also holds a sales order state. */
export const QUOTATION_STATUSES = ['sent'].map(statusKey);
/** Sales order states that make a status column a sales order's (where "sent" is a quotation sent, not an invoice). */
const SALES_ORDER_STATUSES = ['sale', 'sales order', 'quotation', 'quotation sent'].map(statusKey);

/** Statuses that mean the whole payment went back. */
export const REFUNDED_STATUSES = ['refunded', 'fully refunded', 'charged back', 'chargeback'].map(statusKey);

/** Won stages of a sales pipeline. */
export const WON_STATUSES = ['closed won', 'won'].map(statusKey);

/** Statuses of payments that happened, besides the others: a column holding one of these words is a status column. */
const COMPLETED_STATUSES = ['succeeded', 'success', 'paid', 'completed', 'complete', 'processing', 'authorized', 'authorised', 'partially refunded', 'settled', 'captured', 'shipped', 'delivered', 'fulfilled', 'closed', 'sale', 'sales order', 'done', 'locked', 'posted'].map(statusKey);

const KNOWN = new Set([...NOT_COMPLETED_STATUSES, ...QUOTATION_STATUSES, ...REFUNDED_STATUSES, ...WON_STATUSES, ...COMPLETED_STATUSES, ...['overdue', 'payment due'].map(statusKey)]);

/** Whether a value is a status word this file knows. */
export function isKnownStatus(value: string): boolean {
  return KNOWN.has(statusKey(value));
}

/** SQL: a text column's value as statusKey writes it. */
export function statusKeySql(column: string): string {
  return `regexp_replace(lower(trim(CAST(${column} AS VARCHAR))), '[\\s_-]+', '', 'g')`;
}

const sqlList = (values: readonly string[]) => values.map((v) => literal(v)).join(', ');

/** SQL: the status (statusKeySql) says the payment did not happen; in a sales pipeline (`wonOnly`), every stage but a won one. */
export function notCompletedSql(key: string, wonOnly: boolean, quotations = false): string {
  if (wonOnly) return `coalesce(${key} NOT IN (${sqlList(WON_STATUSES)}), false)`;
  return `coalesce(${key} IN (${sqlList([...NOT_COMPLETED_STATUSES, ...(quotations ? QUOTATION_STATUSES : [])])}), false)`;
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
