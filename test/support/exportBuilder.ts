/**
 * What the export-shape generators (exportShapes.ts, paymentExportShapes.ts) share: the fixture's
 * contract (logical transactions, the mapping a careful analyst picks), the calendar and money-text
 * helpers, the row builder that writes a file's bytes (quoting, byte-order mark, a footer, UTF-8 or
 * Windows-1252), and the customers' visits.
 */
import { Rng } from '../../src/core/random';
import type { DateFormat } from '../../src/core/mapping/dateFormat';

export const DAY_S = 86_400;

/** One money movement of a customer on a calendar day; returns and refunds are negative. */
export interface LogicalTransaction {
  customerId: string;
  /** Days since 1970-01-01, the calendar day as the file writes it (UTC for epoch timestamps). */
  day: number;
  /** Signed integer cents of the currency's major unit (so sums are exact). */
  cents: number;
}

/** The mapping a careful analyst would choose; every listed alternative gives the same tables. */
export interface ExpectedMapping {
  customer: string;
  /** Acceptable date columns (several when they always hold the same calendar day). */
  date: string[];
  /** Acceptable amount columns; empty when the amount is quantity × unit price. */
  amount: string[];
  /** When the amount may (or must) be quantity × unit price: the two columns. */
  quantityTimesPrice?: { quantity: string; unitPrice: string };
  dateFormats: DateFormat[];
  decimalSeparator: '.' | ',';
}

export interface ExportFixture {
  /** Short name, used in test titles. */
  name: string;
  fileName: string;
  content: Buffer;
  /** Data rows in the file (the header not counted). */
  dataRows: number;
  transactions: LogicalTransaction[];
  /** 1-based data-row numbers a person would not keep as a transaction (they may be rejected). */
  droppableRows: Set<number>;
  /** Data rows without a customer id (a subset of droppableRows). */
  missingCustomerRows: number;
  /** Last day of calibration for the test's build (YYYY-MM-DD). */
  cutoff: string;
  expected: ExpectedMapping;
  /** The money semantics chosen from the export's documentation. */
  money: string;
}

export function toDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / (DAY_S * 1000);
}

export function fromDay(day: number): string {
  return new Date(day * DAY_S * 1000).toISOString().slice(0, 10);
}

export const pad2 = (n: number) => String(n).padStart(2, '0');

export function ymd(day: number): { y: number; m: number; d: number } {
  const date = new Date(day * DAY_S * 1000);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

export function clock(seconds: number): string {
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor((seconds % 3600) / 60))}:${pad2(seconds % 60)}`;
}

/** "12.50" from cents. */
export function dot(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${pad2(a % 100)}`;
}

/** Thousands separators and a decimal mark: "1,234.56" or "1.234,56". */
export function grouped(cents: number, thousands: string, decimal: string): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  const whole = String(Math.floor(a / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
  return `${sign}${whole}${decimal}${pad2(a % 100)}`;
}

/** Square writes money as "$12.50" and "-$12.50". */
export function dollars(cents: number): string {
  return `${cents < 0 ? '-' : ''}$${grouped(Math.abs(cents), ',', '.')}`;
}

/** How pandas writes a float price: shortest round-trip text with at least one decimal ("2.55", "0.0", "18.0"). */
export function pandasFloat(cents: number): string {
  const text = String(cents / 100);
  return text.includes('.') ? text : `${text}.0`;
}

export function alnum(rng: Rng, n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

export const hex = (rng: Rng, n: number) => alnum(rng, n, '0123456789abcdef');

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)];
}

/** Lognormal price in cents around `median` dollars, at least 0.50. */
export function price(rng: Rng, median: number, sigma = 0.6): number {
  return Math.max(50, Math.round(100 * median * Math.exp(sigma * rng.normal())));
}

/**
 * Text as Windows-1252 ("ANSI" on a Western European Windows) bytes: € is 0x80, every other
 * character its Latin-1 byte; anything else (including the C1 range U+0080–U+009F) throws.
 */
export function windows1252(text: string): Buffer {
  const bytes = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20ac) bytes[i] = 0x80;
    else if (c <= 0xff && (c < 0x80 || c > 0x9f)) bytes[i] = c;
    else throw new Error(`Windows-1252 cannot encode U+${c.toString(16).toUpperCase().padStart(4, '0')} at ${i}`);
  }
  return bytes;
}

export interface TextOptions {
  separator: string;
  quoteAll?: boolean;
  /** Quote only fields holding the separator, a quote or a line break (false: never quote, as Amazon's flat files). */
  quote?: boolean;
  bom?: boolean;
  crlf?: boolean;
  /** Text written above the header (eBay's blank first line). */
  before?: string;
  encoding?: 'utf8' | 'windows-1252';
}

/** Collects rows keyed by column name (and raw lines after the table), and what the test needs to know about each. */
export class Builder {
  readonly rows: string[][] = [];
  /** Raw lines written after the table: blank ones are no rows, the others are (a report's footer). */
  readonly trailer: string[] = [];
  readonly transactions: LogicalTransaction[] = [];
  readonly droppable = new Set<number>();
  missingCustomer = 0;

  constructor(readonly header: readonly string[]) {}

  get dataRows(): number {
    return this.rows.length + this.trailer.filter((l) => l.trim() !== '').length;
  }

  row(values: Record<string, string>, flags: { droppable?: boolean; noCustomer?: boolean } = {}): void {
    for (const k of Object.keys(values)) if (!this.header.includes(k)) throw new Error(`unknown column ${k}`);
    if (this.trailer.length > 0) throw new Error('rows after the trailer');
    this.rows.push(this.header.map((h) => values[h] ?? ''));
    this.flag(flags);
  }

  footer(line: string, flags: { droppable?: boolean; noCustomer?: boolean } = {}): void {
    this.trailer.push(line);
    if (line.trim() !== '') this.flag(flags);
  }

  private flag(flags: { droppable?: boolean; noCustomer?: boolean }): void {
    if (flags.droppable || flags.noCustomer) this.droppable.add(this.dataRows);
    if (flags.noCustomer) this.missingCustomer++;
  }

  money(customerId: string, day: number, cents: number): void {
    this.transactions.push({ customerId, day, cents });
  }

  text(o: TextOptions): Buffer {
    const cell = (v: string) => {
      if (o.quoteAll) return `"${v.replaceAll('"', '""')}"`;
      if (o.quote === false) return v;
      return v.includes(o.separator) || v.includes('"') || /[\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    };
    const eol = o.crlf ? '\r\n' : '\n';
    const lines = [this.header, ...this.rows].map((r) => r.map(cell).join(o.separator)).concat(this.trailer);
    const text = (o.bom ? '\uFEFF' : '') + (o.before ?? '') + lines.join(eol) + eol;
    return o.encoding === 'windows-1252' ? windows1252(text) : Buffer.from(text, 'utf8');
  }
}

export function fixture(
  b: Builder,
  parts: Omit<ExportFixture, 'content' | 'dataRows' | 'transactions' | 'droppableRows' | 'missingCustomerRows'> & { text: TextOptions },
): ExportFixture {
  const { text, ...rest } = parts;
  return {
    ...rest,
    content: b.text(text),
    dataRows: b.dataRows,
    transactions: b.transactions,
    droppableRows: b.droppable,
    missingCustomerRows: b.missingCustomer,
  };
}

/** A customer's visits: born uniformly in the span, then exponential gaps until they drop out. */
export interface Visit {
  customer: number;
  day: number;
  /** Seconds after local midnight. */
  seconds: number;
}

export function visits(rng: Rng, customers: number, start: string, end: string, meanGap: number, stay: number): Visit[] {
  const first = toDay(start);
  const last = toDay(end);
  const out: Visit[] = [];
  for (let c = 0; c < customers; c++) {
    let day = first + rng.int(Math.max(1, Math.floor((last - first) * 0.85)));
    for (;;) {
      out.push({ customer: c, day, seconds: 7 * 3600 + rng.int(15 * 3600) });
      // Now and then a second order the same day: same-day orders combine into one purchase.
      if (rng.uniform() < 0.04) out.push({ customer: c, day, seconds: 7 * 3600 + rng.int(15 * 3600) });
      if (rng.uniform() > stay) break;
      day += 1 + Math.floor(-Math.log(1 - rng.uniform()) * meanGap);
      if (day > last) break;
    }
  }
  return out.sort((a, b) => a.day - b.day || a.seconds - b.seconds || a.customer - b.customer);
}

export const FIRST = ['olivia', 'liam', 'emma', 'noah', 'ava', 'mia', 'lucas', 'amelia', 'ethan', 'sofia', 'mason', 'isla', 'leo', 'chloe', 'jack', 'zoe'];
export const LAST = ['smith', 'jones', 'garcia', 'brown', 'miller', 'davis', 'wilson', 'moore', 'taylor', 'clark', 'lewis', 'walker', 'hall', 'young'];

export function person(rng: Rng, i: number, domain = 'example.com'): { first: string; last: string; email: string; name: string } {
  const first = pick(rng, FIRST);
  const last = pick(rng, LAST);
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return { first: cap(first), last: cap(last), email: `${first}.${last}${i}@${domain}`, name: `${cap(first)} ${cap(last)}` };
}

