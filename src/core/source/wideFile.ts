import { guessMapping, type ColumnSample, type Role } from '../mapping/roles';
import { WIDE_FILE_COLUMNS, type RawRelation } from './rawRelation';

const ROLES: readonly Role[] = ['customer', 'date', 'amount', 'order', 'quantity', 'unitPrice', 'category', 'channel', 'region'];

/**
 * The columns read from a text file too wide to read whole (more than WIDE_FILE_COLUMNS): the
 * first WIDE_FILE_COLUMNS, plus any later column whose name and sampled values (split from the
 * sniffed lines, no DuckDB read) make it a guess for a role. DuckDB-WASM runs out of memory
 * sampling or staging thousands of columns; the CSV reader skips the columns nobody selects.
 * Null when the file is narrow enough to read whole.
 */
export function wideFileColumns(raw: RawRelation): string[] | null {
  if (raw.names.length <= WIDE_FILE_COLUMNS || raw.sampleRecords.length === 0) return null;
  const samples: ColumnSample[] = raw.names.map((name, j) => ({
    name,
    type: 'VARCHAR',
    values: raw.sampleRecords.map((r) => r[j]).filter((v): v is string => v !== undefined && v.trim() !== ''),
  }));
  const guess = guessMapping(samples);
  const guessed = new Set(ROLES.map((r) => guess[r]).filter((n): n is string => n !== null));
  return raw.names.filter((name, j) => j < WIDE_FILE_COLUMNS || guessed.has(name));
}
