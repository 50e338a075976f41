/**
 * `--engine native` runs the same pipeline on native DuckDB: the tables (rfm, features,
 * visitante: every column, every customer) must be the ones DuckDB-WASM builds, on CDNOW and on
 * generated logs with returns, exact duplicates and timestamps written in odd ways; and native
 * DuckDB's own readers (a glob of gzip CSV files, a folder of Parquet, NDJSON) must give the same
 * tables as the one CSV file read by DuckDB-WASM.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/node/cliMain';
import { cdnowFile } from '../support/cdnowData';
import { cellsAgree, folderDifferences, NO_DIFFERENCES, readCsvTable } from '../support/compareTables';
import { DEFAULT_GENERATOR, formatCents, fromDay, generateTransactions, toCsv, type GeneratedDataset } from '../support/transactionGenerator';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'clv-native-'));

async function clv(...argv: string[]): Promise<Record<string, unknown>> {
  const outcome = await runCli(argv);
  if (outcome.code !== 0) throw new Error(outcome.stderr);
  return JSON.parse(outcome.stdout) as Record<string, unknown>;
}

async function features(input: string, out: string, period: string[], ...more: string[]): Promise<Record<string, unknown>> {
  return clv('features', input, ...period, '--out', path.join(tmp, out), ...more);
}

describe('native and WASM DuckDB build the same tables', () => {
  it('on CDNOW_master (weeks)', async () => {
    const period = ['--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week'];
    const wasm = await features(cdnowFile('CDNOW_master.txt'), 'cdnow-wasm', period);
    const native = await features(cdnowFile('CDNOW_master.txt'), 'cdnow-native', period, '--engine', 'native', '--threads', '2');
    expect(wasm.engine).toBe('wasm');
    expect(native.engine).toBe('native');
    expect(native.customers).toBe(23_570);
    expect(folderDifferences(path.join(tmp, 'cdnow-wasm'), path.join(tmp, 'cdnow-native'))).toEqual(NO_DIFFERENCES);
  });

  for (const withOrders of [true, false]) {
    it(`on a generated log with returns, duplicates and timestamps${withOrders ? ' (with order ids: duplicates removed)' : ' (without order ids: duplicates kept)'}`, async () => {
      const data = generateTransactions({ ...DEFAULT_GENERATOR, randomCustomers: 600, withOrders });
      const csv = toCsv(data, { timestamps: true });
      // Exact duplicate lines on top of the generator's own.
      const lines = csv.trimEnd().split('\n');
      const file = path.join(tmp, `generated-${withOrders}.csv`);
      writeFileSync(file, `${[...lines, ...lines.slice(1, 40)].join('\n')}\n`);
      const period = ['--cutoff', data.cutoff, '--horizon-end', data.horizonEnd];
      await features(file, `gen-${withOrders}-wasm`, period);
      const native = await features(file, `gen-${withOrders}-native`, period, '--engine', 'native');
      expect(native.engine).toBe('native');
      const quality = JSON.parse(readFileSync(path.join(tmp, `gen-${withOrders}-native`, 'quality.json'), 'utf8'));
      expect(quality.duplicate_rows_found).toBeGreaterThanOrEqual(39);
      expect(quality.duplicates_removed).toBe(withOrders ? quality.duplicate_rows_found : 0);
      expect(folderDifferences(path.join(tmp, `gen-${withOrders}-wasm`), path.join(tmp, `gen-${withOrders}-native`))).toEqual(NO_DIFFERENCES);
    });
  }
});

describe("native DuckDB's own readers", () => {
  let data: GeneratedDataset;
  let period: string[];
  beforeAll(async () => {
    data = generateTransactions({ ...DEFAULT_GENERATOR, randomCustomers: 400, withOrders: true });
    period = ['--cutoff', data.cutoff, '--horizon-end', data.horizonEnd];
    writeFileSync(path.join(tmp, 'one.csv'), toCsv(data));
    await features(path.join(tmp, 'one.csv'), 'one-wasm', period);
  });

  it('read a glob of gzip CSV files, each with its header, as one log', async () => {
    const [header, ...rows] = toCsv(data).trimEnd().split('\n');
    mkdirSync(path.join(tmp, 'exports'));
    const parts = 3;
    for (let p = 0; p < parts; p++) {
      const part = rows.filter((_, i) => i % parts === p);
      writeFileSync(path.join(tmp, 'exports', `part-${p}.csv.gz`), gzipSync(`${header}\n${part.join('\n')}\n`));
    }
    const summary = await features(path.join(tmp, 'exports', '*.csv.gz'), 'glob-native', period, '--engine', 'native');
    expect(summary.rows_read).toBe(rows.length);
    expect(folderDifferences(path.join(tmp, 'one-wasm'), path.join(tmp, 'glob-native'))).toEqual(NO_DIFFERENCES);
  });

  it('read a folder of Parquet files (typed columns) and NDJSON', async () => {
    const lake = path.join(tmp, 'lake');
    mkdirSync(path.join(lake, 'year=2023'), { recursive: true });
    mkdirSync(path.join(lake, 'year=2024'), { recursive: true });
    // Parquet written by the Parquet writer of the CLI's own --format parquet path would be circular;
    // here the rows go through the CSV reader of native DuckDB into two typed Parquet files.
    const { openNativeDb } = await import('../../src/node/nativeDb');
    const db = await openNativeDb();
    const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
    for (const year of [2023, 2024]) {
      const where = year === 2023 ? "CAST(date AS DATE) < DATE '2024-01-01'" : "CAST(date AS DATE) >= DATE '2024-01-01'";
      await db.exec(
        `COPY (SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(date AS DATE) AS date, CAST(amount AS DOUBLE) AS amount, CAST(order_id AS VARCHAR) AS order_id
               FROM read_csv(${quote(path.join(tmp, 'one.csv'))}, all_varchar=true) WHERE ${where}) TO ${quote(path.join(lake, `year=${year}`, 'part.parquet'))} (FORMAT parquet)`,
      );
    }
    db.close();
    await features(lake, 'lake-native', period, '--engine', 'native', '--order', 'order_id');
    expect(folderDifferences(path.join(tmp, 'one-wasm'), path.join(tmp, 'lake-native'))).toEqual(NO_DIFFERENCES);

    const ndjson = data.rows.map((r) => JSON.stringify({ customer_id: r.customerId, date: fromDay(r.day), amount: formatCents(r.cents), order_id: r.orderId })).join('\n');
    writeFileSync(path.join(tmp, 'log.ndjson'), `${ndjson}\n`);
    await features(path.join(tmp, 'log.ndjson'), 'ndjson-native', period, '--engine', 'native');
    expect(folderDifferences(path.join(tmp, 'one-wasm'), path.join(tmp, 'ndjson-native'))).toEqual(NO_DIFFERENCES);
  });

  it('read NDJSON orders whose customer is a nested object (and whose line items are a list), on either engine, as the flat file', async () => {
    // Shopify-style: customer {id, email, orders_count}, where orders_count grows with every order;
    // read whole, the object would make every order a customer of its own.
    const counts = new Map<string, number>();
    const ndjson = data.rows
      .map((r) => {
        counts.set(r.customerId, (counts.get(r.customerId) ?? 0) + 1);
        return JSON.stringify({ order_id: r.orderId, created_at: fromDay(r.day), total: formatCents(r.cents), customer: { id: r.customerId, orders_count: counts.get(r.customerId), contact: { email: `${r.customerId}@example.com` } }, line_items: [{ sku: 'A1', qty: 1 }] });
      })
      .join('\n');
    writeFileSync(path.join(tmp, 'orders_nested.ndjson'), `${ndjson}\n`);
    for (const engine of ['native', 'wasm']) {
      const summary = await features(path.join(tmp, 'orders_nested.ndjson'), `nested-${engine}`, period, '--engine', engine);
      expect(summary.rows_read).toBe(data.rows.length);
      expect(folderDifferences(path.join(tmp, 'one-wasm'), path.join(tmp, `nested-${engine}`))).toEqual(NO_DIFFERENCES);
    }
  });

  it('write the tables as Parquet with --format parquet, on either engine', async () => {
    await features(path.join(tmp, 'one.csv'), 'pq-native', period, '--engine', 'native', '--format', 'parquet');
    await features(path.join(tmp, 'one.csv'), 'pq-wasm', period, '--format', 'parquet');
    const csv = readCsvTable(path.join(tmp, 'one-wasm', 'features.csv'));
    for (const dir of ['pq-native', 'pq-wasm']) {
      const bytes = readFileSync(path.join(tmp, dir, 'features.parquet'));
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const rows = (await parquetReadObjects({ file: buffer, compressors })) as Record<string, unknown>[];
      expect(Object.keys(rows[0])).toEqual(csv.header);
      expect(rows.map((r) => String(r.customer_id))).toEqual(csv.rows.map((r) => r[0]));
      const j = csv.header.indexOf('total_spend');
      expect(rows.filter((r, i) => !cellsAgree(String(r.total_spend), csv.rows[i][j]))).toEqual([]);
    }
  });
});

describe('engine flags', () => {
  it('refuse the native settings without --engine native', async () => {
    const outcome = await runCli(['features', cdnowFile('CDNOW_sample.txt'), '--cutoff', '1997-09-30', '--threads', '2', '--out', path.join(tmp, 'x')]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^BAD_ARGUMENT: --threads applies to the native engine only/);
  });

  it('refuse a memory limit that is not an amount', async () => {
    const outcome = await runCli(['features', cdnowFile('CDNOW_sample.txt'), '--cutoff', '1997-09-30', '--engine', 'native', '--memory-limit', 'lots', '--out', path.join(tmp, 'x')]);
    expect(outcome.stderr).toMatch(/^BAD_ARGUMENT: --memory-limit must be an amount of memory/);
  });

  it('say when a glob matches nothing', async () => {
    const outcome = await runCli(['features', path.join(tmp, 'nothing', '*.csv'), '--cutoff', '1997-09-30', '--engine', 'native', '--out', path.join(tmp, 'x')]);
    expect(outcome.stderr).toMatch(/^BAD_ARGUMENT: No file matches/);
  });
});
