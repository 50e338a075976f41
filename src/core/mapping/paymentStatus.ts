/**
 * What a payment, order, invoice or deal status says about a row (compared lower case, trimmed,
 * with spaces, hyphens and underscores as one: "Closed Won", "closed_won" and "closedwon" are one
 * word here):
 * - not completed: the payment failed, was refused or cancelled, or has not been made (yet): a
 *   pending or open payment (Mollie's "open", Shopify's "pending"), an order on hold or awaiting
 *   payment (Magento, BigCommerce, WooCommerce), an invoice still a draft or past due (Recurly,
 *   Chargebee), a quotation not (yet) accepted (Odoo's draft and sent states), a lost deal. Such a
 *   row is not a purchase: left out and counted.
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
  // an offer not (yet) accepted: Odoo's quotations ("draft", "sent"; "Quotation", "Quotation Sent")
  'quotation', 'quotation sent', 'sent', 'estimate',
  // not paid (yet)
  'unpaid', 'not paid', 'pending', 'pending payment', 'payment pending', 'awaiting payment', 'open', 'on hold', 'draft', 'past due', 'payment due',
  'requires payment method', 'requires confirmation', 'requires action',
  // a deal that was lost
  'closed lost', 'lost',
].map(statusKey);

/** Statuses that mean the whole payment went back. */
export const REFUNDED_STATUSES = ['refunded', 'fully refunded', 'charged back', 'chargeback'].map(statusKey);

/** Won stages of a sales pipeline. */
export const WON_STATUSES = ['closed won', 'won'].map(statusKey);

/** Statuses of payments that happened, besides the others: a column holding one of these words is a status column. */
const COMPLETED_STATUSES = ['succeeded', 'success', 'paid', 'completed', 'complete', 'processing', 'authorized', 'authorised', 'partially refunded', 'settled', 'captured', 'shipped', 'delivered', 'fulfilled', 'closed', 'sale', 'sales order', 'done', 'locked', 'posted'].map(statusKey);

const KNOWN = new Set([...NOT_COMPLETED_STATUSES, ...REFUNDED_STATUSES, ...WON_STATUSES, ...COMPLETED_STATUSES]);

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
export function notCompletedSql(key: string, wonOnly: boolean): string {
  if (wonOnly) return `coalesce(${key} NOT IN (${sqlList(WON_STATUSES)}), false)`;
  return `coalesce(${key} IN (${sqlList(NOT_COMPLETED_STATUSES)}), false)`;
}

/** SQL: the status says the whole payment went back. */
export function refundedSql(key: string): string {
  return `coalesce(${key} IN (${sqlList(REFUNDED_STATUSES)}), false)`;
}

/** SQL aggregates over the whole file: whether some row is won (a sales pipeline), and whether some row holds a known status. */
export function statusSurveySql(key: string): { won: string; known: string } {
  return {
    won: `coalesce(bool_or(${key} IN (${sqlList(WON_STATUSES)})), false)`,
    known: `coalesce(bool_or(${key} IN (${sqlList([...KNOWN])})), false)`,
  };
}
