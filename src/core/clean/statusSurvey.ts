import type { SqlDb } from '../db';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { listsInvoices, type InvoiceList } from '../mapping/invoiceList';
import { statusKeyOf, statusSurveySql } from '../mapping/paymentStatus';
import { ident } from '../sql';
import type { RawRelation } from '../source/rawRelation';

/** What the status column holds over the whole file (paymentStatus.ts). */
export interface StatusSurvey {
  /** A won stage on some row: the column is a sales pipeline, and only won deals are sales. */
  wonOnly: boolean;
  /** Some row holds a status word the engine knows; when none does, every row was counted as written (the run says so). */
  known: boolean;
  /** A sales order's states (Odoo's "sale", "quotation"): a "sent" row is a quotation sent, not an invoice. */
  salesOrders: boolean;
  /** The file lists issued invoices (invoiceList.ts): one awaiting payment is a sale unless charged automatically; null otherwise. */
  invoices: InvoiceList | null;
}

/** One pass over the status column, or null without one. */
export async function surveyStatuses(db: SqlDb, raw: RawRelation, mapping: Pick<ColumnMapping, 'status' | 'order' | 'date' | 'kind'>, columns: readonly ColumnSample[]): Promise<StatusSurvey | null> {
  const status = mapping.status;
  if (!status || !columns.some((c) => c.name === status)) return null;
  const { won, known, salesOrders } = statusSurveySql(statusKeyOf(status));
  const [row] = await db.query(`SELECT ${won} AS won, ${known} AS known, ${salesOrders} AS sales_orders FROM (${raw.sql})`, raw.params);
  return { wonOnly: Boolean(row?.won), known: Boolean(row?.known), salesOrders: Boolean(row?.sales_orders), invoices: listsInvoices(mapping, columns) };
}
