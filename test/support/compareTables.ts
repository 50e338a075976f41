import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A CSV table the CLI wrote, as header and rows of cells (its cells hold no commas or quotes). */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

export function readCsvTable(file: string): CsvTable {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** Two cells agree: equal text, or numbers within 1e-9 relative (absolute below 1: sums in another order differ in the last bits). */
export function cellsAgree(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (a === '' || b === '' || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}

/**
 * Every difference between two tables keyed by customer_id: columns, customers, and each cell.
 * Empty when they are the same table.
 */
export function tableDifferences(expected: CsvTable, actual: CsvTable, limit = 10): string[] {
  const out: string[] = [];
  if (expected.header.join(',') !== actual.header.join(',')) return [`columns ${expected.header.join(',')} vs ${actual.header.join(',')}`];
  const key = expected.header.indexOf('customer_id');
  const byId = new Map(actual.rows.map((r) => [r[key], r]));
  if (expected.rows.length !== actual.rows.length) out.push(`${expected.rows.length} rows vs ${actual.rows.length}`);
  for (const row of expected.rows) {
    const other = byId.get(row[key]);
    if (!other) {
      out.push(`customer ${row[key]} missing`);
    } else {
      expected.header.forEach((column, j) => {
        if (!cellsAgree(row[j], other[j])) out.push(`customer ${row[key]} ${column}: ${row[j]} vs ${other[j]}`);
      });
    }
    if (out.length >= limit) break;
  }
  return out;
}

export const CUSTOMER_TABLES = ['rfm', 'features', 'visitante'] as const;

/** The differences of rfm, features and visitante between two output folders. */
export function folderDifferences(expectedDir: string, actualDir: string): Record<string, string[]> {
  return Object.fromEntries(CUSTOMER_TABLES.map((t) => [t, tableDifferences(readCsvTable(path.join(expectedDir, `${t}.csv`)), readCsvTable(path.join(actualDir, `${t}.csv`)))]));
}

export const NO_DIFFERENCES = Object.fromEntries(CUSTOMER_TABLES.map((t) => [t, []]));
