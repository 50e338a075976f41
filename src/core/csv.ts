import type { Row } from './db';

/**
 * CSV that is safe to open in a spreadsheet: text cells starting with =, +, -, @ (or a tab/CR) are
 * prefixed with an apostrophe so they are never run as formulas. Numbers are written as numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A number without the noise of binary arithmetic: sums and averages such as 74.02000000000001
 * are written with 15 significant digits at most (74.02), the most a double holds exactly in
 * decimal; integers and values already short are written as they are.
 */
export function csvNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const short = Number(value.toPrecision(15));
  return String(short);
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? csvNumber(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly Row[], columns?: readonly string[]): string {
  const cols = columns ?? (rows.length > 0 ? Object.keys(rows[0]) : []);
  const lines = [cols.map(csvCell).join(',')];
  for (const row of rows) lines.push(cols.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}
