/**
 * DATEV's export header: the first line of a Buchungsstapel (posting batch) or any DATEV format
 * file, `"EXTF";700;21;"Buchungsstapel";…` ("DTVF" in older versions), above the column names. Its
 * fields 15 and 16 (1-based) are the batch's period, Datum vom and Datum bis (YYYYMMDD); the postings
 * below give their Belegdatum as day and month only (TTMM, "0201" for 2 January).
 */
export interface DatevHeader {
  /** The period's first and last day (ISO), when the line gives them. */
  first: string | null;
  last: string | null;
  /**
   * Digits of a general-ledger account (field 14, Sachkontenlänge; 4 in the SKR03/SKR04 charts):
   * a posting whose account is one (a bank account, 1200) is not on a customer's account — a
   * payment received, posted against the customer (its Gegenkonto).
   */
  ledgerDigits: number | null;
}

const unquote = (cell: string) => cell.trim().replace(/^"(.*)"$/, '$1');
const isoDay = (cell: string | undefined) => (cell && /^\d{8}$/.test(unquote(cell)) ? `${unquote(cell).slice(0, 4)}-${unquote(cell).slice(4, 6)}-${unquote(cell).slice(6, 8)}` : null);

/** The DATEV header on `line`, or null: its first cell EXTF or DTVF, fields separated by semicolons. */
export function datevHeader(line: string): DatevHeader | null {
  const cells = line.split(';');
  if (cells.length < 16 || !/^(EXTF|DTVF)$/.test(unquote(cells[0]))) return null;
  const digits = Number(unquote(cells[13]));
  return { first: isoDay(cells[14]), last: isoDay(cells[15]), ledgerDigits: Number.isInteger(digits) && digits >= 4 && digits <= 8 ? digits : null };
}
