/**
 * The export Parquet writer (workers/parquetWriter.ts), read back by native DuckDB: every kind,
 * nulls, long runs, unicode and text that looks like a formula survive unchanged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parquetKind, writeParquet } from '../../src/core/parquetWriter';

async function readBack(bytes: Uint8Array): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'clv-parquet-')), 'x.parquet');
  writeFileSync(file, bytes);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    const rows = (await con.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    return { rows, types: Object.fromEntries(described.map((r) => [String(r.column_name), String(r.column_type)])) };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

describe('writeParquet', () => {
  it('round-trips every kind with nulls through DuckDB', async () => {
    const names = ['00004', null, '=HYPERLINK("x")', 'Çà ☃ 客户', ''];
    const bytes = writeParquet(
      [
        { name: 'customer_id', kind: 'string', values: names },
        { name: 'predicted_clv', kind: 'double', values: [1.5, null, -2.25, 0, Number.NaN] },
        { name: 'frequency', kind: 'int64', values: [3, 0, null, 9_007_199_254_740_991, -4] },
        { name: 'in_test', kind: 'boolean', values: [true, false, null, true, true] },
      ],
      5,
    );
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    const { rows, types } = await readBack(bytes);
    expect(types).toEqual({ customer_id: 'VARCHAR', predicted_clv: 'DOUBLE', frequency: 'BIGINT', in_test: 'BOOLEAN' });
    expect(rows.map((r) => r.customer_id)).toEqual(names);
    expect(rows.map((r) => r.predicted_clv)).toEqual([1.5, null, -2.25, 0, null]);
    expect(rows.map((r) => (r.frequency === null ? null : Number(r.frequency)))).toEqual([3, 0, null, 9_007_199_254_740_991, -4]);
    expect(rows.map((r) => r.in_test)).toEqual([true, false, null, true, true]);
  });

  it('handles many rows, long null runs and many columns', async () => {
    const n = 5000;
    const columns = Array.from({ length: 20 }, (_, j) => ({
      name: `c${j}`,
      kind: 'double' as const,
      values: Array.from({ length: n }, (_, i) => (i % 1000 < 300 ? null : i * j)),
    }));
    const { rows } = await readBack(writeParquet(columns, n));
    expect(rows).toHaveLength(n);
    expect(rows[299].c5).toBeNull();
    expect(rows[4999].c19).toBe(4999 * 19);
  });

  it('maps DuckDB types to Parquet kinds', () => {
    expect(parquetKind('VARCHAR')).toBe('string');
    expect(parquetKind('INTEGER')).toBe('int64');
    expect(parquetKind('DOUBLE')).toBe('double');
    expect(parquetKind('DECIMAL(18,3)')).toBe('double');
    expect(parquetKind('BOOLEAN')).toBe('boolean');
    expect(parquetKind('DATE')).toBe('string');
  });
});
