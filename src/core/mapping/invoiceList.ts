import { normalisedName } from './columnNames';

/**
 * Columns only an invoice has: its due date and what is still due on it (Xero's "*DueDate" and
 * "InvoiceAmountDue", MYOB's "Balance Due", Maxio's "Due Date" and "Amount Due", German
 * "Fälligkeitsdatum", French "Date d'échéance", Spanish "Fecha de vencimiento" and Holded's
 * "Pendiente", Dutch "Vervaldatum").
 */
const DUE = /(^|_)(due_date|date_due|payment_due_date|duedate|balance_due|amount_due|invoice_amount_due|outstanding|amount_outstanding|f[äa]lligkeit|f[äa]lligkeitsdatum|f[äa]llig_am|faelligkeitsdatum|offener_betrag|[ée]ch[ée]ance|date_d'[ée]ch[ée]ance|reste_[àa]_payer|restant_d[ûu]|vencimiento|fecha_de_vencimiento|pendiente|importe_pendiente|vervaldatum|openstaand|openstaand_bedrag)(_|$)/;
/** A row's own number or date named as an invoice's ("Invoice #", "*InvoiceNumber", "Invoice Date", "Rechnungsnummer", "Facture"). */
const INVOICE_ROW = /(^|_)(invoice|invoice_number|invoice_no|invoice_#|invoice_date|invoice_id|rechnung|rechnungsnummer|rechnungsnr|rechnungsdatum|facture|num[ée]ro_de_facture|date_de_facture|factura|n[úu]mero_de_factura|fecha_de_factura|factuur|factuurnummer|factuurdatum)(_|$)/;
/** A document type naming an invoice (a kind column's value: "Invoice", "Sales invoice", Lexoffice's "Rechnung", "Facture"). */
const INVOICE_KIND = /\b(invoice|rechnung|facture|factura)\b/i;

/** How an invoice is collected (Stripe's "Billing" or "Collection Method": charge_automatically or send_invoice). */
const COLLECTION = /^(billing|collection_method|collection|billing_method|payment_collection_method)$/;
/** Collection values that mean the customer's card or account is charged by the biller itself. */
export const CHARGED_AUTOMATICALLY = ['charge_automatically', 'automatic', 'automatically', 'auto'];

/** A list of issued invoices (listsInvoices). */
export interface InvoiceList {
  /**
   * The column saying how each invoice is collected, where the file has one: an invoice charged
   * automatically that is still open is a charge that has not gone through (Stripe retries a failed
   * card while the invoice stays open), not an invoice sent and awaiting payment.
   */
  collection: string | null;
}

/**
 * The file is a list of issued invoices, by its columns: a due date or an amount due, the order or
 * date column named as an invoice's, or a document type that names invoices; null otherwise. There
 * an invoice "open" or "awaiting payment" is a sale not yet paid for (paymentStatus.ts
 * AWAITING_PAYMENT_INVOICE), unless it is charged automatically; elsewhere the same words are an
 * order or checkout whose payment has not happened.
 */
export function listsInvoices(mapping: { order: string | null; date: string | null; kind?: string | null }, columns: readonly { name: string; values: readonly string[] }[]): InvoiceList | null {
  const kind = mapping.kind ? columns.find((c) => c.name === mapping.kind) : undefined;
  const invoices =
    columns.some((c) => DUE.test(normalisedName(c.name))) ||
    [mapping.order, mapping.date].some((name) => name != null && INVOICE_ROW.test(normalisedName(name))) ||
    (kind !== undefined && kind.values.some((v) => INVOICE_KIND.test(v)));
  if (!invoices) return null;
  const collection = columns.find((c) => COLLECTION.test(normalisedName(c.name)) && c.values.some((v) => CHARGED_AUTOMATICALLY.includes(v.trim().toLowerCase())));
  return { collection: collection?.name ?? null };
}
