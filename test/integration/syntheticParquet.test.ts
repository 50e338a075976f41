/**
 * The scale benchmark's SQL generator (test/bench/syntheticParquet.ts): the Parquet it writes is
 * read back with hyparquet (not DuckDB) and checked for the exact row count, the span, positive
 * whole-cent amounts, the block/date order, determinism per seed, and against the JavaScript
 * generator (syntheticLog.ts: an independent implementation of the same model) on the size of the
 * customers' histories, the spend and the share of rows in the last year.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNativeDb, type NativeDb } from '../../src/node/nativeDb';
import { DEFAULT_SYNTHETIC, writeSyntheticLog } from '../bench/syntheticLog';
import { writeSyntheticParquet, type SyntheticParquetResult } from '../bench/syntheticParquet';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'clv-synthetic-parquet-'));
const ROWS = 150_000;

interface LogRow {
  customer_id: string;
  date: string;
  amount: number;
}

const isoDay = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

async function readLog(file: string): Promise<LogRow[]> {
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const rows = (await parquetReadObjects({ file: buffer, compressors })) as Record<string, unknown>[];
  return rows.map((r) => ({ customer_id: String(r.customer_id), date: isoDay(r.date), amount: Number(r.amount) }));
}

function readCsvLog(file: string): LogRow[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [customer_id, date, amount] = line.split(',');
    return { customer_id, date, amount: Number(amount) };
  });
}

/** Rows per customer, mean log amount, share of rows dated in the last year. */
function shape(rows: LogRow[]): { perCustomer: number; meanLogAmount: number; lastYear: number } {
  const customers = new Set(rows.map((r) => r.customer_id)).size;
  return {
    perCustomer: rows.length / customers,
    meanLogAmount: rows.reduce((s, r) => s + Math.log(r.amount), 0) / rows.length,
    lastYear: rows.filter((r) => r.date >= '2023-01-01').length / rows.length,
  };
}

let db: NativeDb;
let main: SyntheticParquetResult;
let rows: LogRow[];

beforeAll(async () => {
  db = await openNativeDb({ threads: 2 });
  main = await writeSyntheticParquet(db, path.join(tmp, 'main.parquet'), { rows: ROWS });
  rows = await readLog(main.path);
});

afterAll(() => db?.close());

describe('the SQL-generated synthetic log', () => {
  it('has exactly the rows asked for, customers C0000001 … numbered without gaps, dates in the span, positive whole-cent amounts', () => {
    expect(rows.length).toBe(ROWS);
    expect(main.rows).toBe(ROWS);
    const ids = new Set(rows.map((r) => r.customer_id));
    expect(ids.size).toBe(main.customers);
    for (let c = 1; c <= main.customers; c++) expect(ids.has(`C${String(c).padStart(7, '0')}`)).toBe(true);
    expect(rows.filter((r) => !/^C\d{7}$/.test(r.customer_id))).toEqual([]);
    expect(rows.filter((r) => !(r.date >= '2021-01-01' && r.date <= '2023-12-31'))).toEqual([]);
    expect(rows.filter((r) => !(r.amount > 0) || Math.abs(r.amount * 100 - Math.round(r.amount * 100)) > 1e-6)).toEqual([]);
    expect([main.firstDate >= '2021-01-01', main.lastDate <= '2023-12-31']).toEqual([true, true]);
  });

  it('is in date order inside each block of customers, as an exported log', () => {
    const block = (r: LogRow) => Math.floor(Number(r.customer_id.slice(1)) / DEFAULT_SYNTHETIC.blockCustomers);
    const outOfOrder = rows.filter((r, i) => i > 0 && (block(r) < block(rows[i - 1]) || (block(r) === block(rows[i - 1]) && r.date < rows[i - 1].date)));
    expect(outOfOrder).toEqual([]);
    // More than one block at this size, so the order is not just one global date sort.
    expect(new Set(rows.map(block)).size).toBeGreaterThan(1);
  });

  it('gives the same rows for the same seed and other rows for another seed', async () => {
    const n = 20_000;
    const write = async (name: string, seed: number) => readLog((await writeSyntheticParquet(db, path.join(tmp, name), { rows: n, seed })).path);
    const first = await write('first.parquet', DEFAULT_SYNTHETIC.seed);
    expect(await write('again.parquet', DEFAULT_SYNTHETIC.seed)).toEqual(first);
    const other = await write('other.parquet', DEFAULT_SYNTHETIC.seed + 1);
    expect(other.length).toBe(n);
    const sameCells = other.filter((r, i) => r.customer_id === first[i].customer_id && r.date === first[i].date && r.amount === first[i].amount).length;
    expect(sameCells).toBeLessThan(n / 100);
  });

  it('cuts the last customer short to hit a row count exactly, down to a single row', async () => {
    for (const n of [1, 1234]) {
      const log = await readLog((await writeSyntheticParquet(db, path.join(tmp, `n${n}.parquet`), { rows: n })).path);
      expect(log.length).toBe(n);
    }
  });

  it('has the shape of the JavaScript generator’s log (same model and parameters, other random numbers)', async () => {
    const js = readCsvLog(writeSyntheticLog(path.join(tmp, 'js.csv'), { rows: ROWS }).path);
    expect(js.length).toBe(ROWS);
    const a = shape(rows);
    const b = shape(js);
    // About 5.7 rows per customer, log-spend about 3.4, about 31% of the rows in 2023.
    expect(Math.abs(a.perCustomer / b.perCustomer - 1)).toBeLessThan(0.1);
    expect(Math.abs(a.meanLogAmount - b.meanLogAmount)).toBeLessThan(0.06);
    expect(Math.abs(a.lastYear - b.lastYear)).toBeLessThan(0.04);
  });
});
