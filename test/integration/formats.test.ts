/**
 * One small set of transactions written in every supported format must give the same rfm table,
 * read by the real engine on DuckDB-WASM (Node build). Plus: leading zeros, quantity × unit price,
 * day-first vs month-first dates, cancelled invoices, exact duplicates and rejected rows.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row, SqlDb, SqlValue } from '../../src/core/db';
import { DataEngine, type SourceFile } from '../../src/core/engine';
import type { ColumnMapping } from '../../src/core/mapping/roles';
import type { CleaningOptions } from '../../src/core/clean/staging';
import { openWasmDb } from '../../src/node/wasmDb';

const REPO = path.resolve(__dirname, '../..');
const CUTOFF = '2024-03-31';
const HORIZON_END = '2024-06-30';

/** [customer, ISO day, amount]; 00043 buys twice on 2024-01-06 (one purchase day). */
const TX: [string, string, number][] = [
  ['00042', '2024-01-05', 12.5],
  ['00043', '2024-01-06', 7],
  ['00043', '2024-01-06', 3],
  ['00100', '2024-01-13', 40],
  ['00042', '2024-01-20', 7.25],
  ['00044', '2024-02-01', 3.1],
  ['00043', '2024-02-10', 15],
  ['01000', '2024-02-29', 99.99],
  ['00042', '2024-03-15', 1234.5],
  ['00100', '2024-03-31', 10],
  ['01000', '2024-04-15', 5],
  ['00042', '2024-05-02', 20],
];

/** Hand-computed lifetimes-style rfm at the cutoff (days). */
const EXPECTED_RFM = [
  { customer_id: '00042', frequency: 2, recency: 70, T: 86, monetary_value: (7.25 + 1234.5) / 2 },
  { customer_id: '00043', frequency: 1, recency: 35, T: 85, monetary_value: 15 },
  { customer_id: '00044', frequency: 0, recency: 0, T: 59, monetary_value: 0 },
  { customer_id: '00100', frequency: 1, recency: 78, T: 78, monetary_value: 10 },
  { customer_id: '01000', frequency: 0, recency: 0, T: 31, monetary_value: 0 },
];

const [Y, M, D] = [0, 1, 2];
const parts = (iso: string) => iso.split('-');
const dmy = (iso: string, sep = '/') => [parts(iso)[D], parts(iso)[M], parts(iso)[Y]].join(sep);
const mdy = (iso: string) => [parts(iso)[M], parts(iso)[D], parts(iso)[Y]].join('/');
const ymd8 = (iso: string) => iso.replaceAll('-', '');
const euro = (n: number) => {
  const [int, dec] = n.toFixed(2).split('.');
  return `${int.replace(/\B(?=(\d{3})+$)/g, '.')},${dec}`;
};

function csv(delim: string, header: boolean, date = (d: string) => d, amount = (a: number) => a.toFixed(2), eol = '\n'): string {
  const lines = TX.map(([c, d, a]) => [c, date(d), amount(a)].join(delim));
  if (header) lines.unshift(['customer_id', 'date', 'amount'].join(delim));
  return lines.join(eol) + eol;
}

/** Rows rounded so floating-point summation order cannot make equal tables differ. */
function normalise(rows: Row[]): Row[] {
  return rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v])))
    .sort((a, b) => String(a.customer_id).localeCompare(String(b.customer_id)));
}

let dir: string;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let engine: DataEngine;

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function source(file: string): SourceFile {
  const size = statSync(file).size;
  const head = new Uint8Array(Math.min(size, 4096));
  const fd = openSync(file, 'r');
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  return { fileName: path.basename(file), path: file, head, size };
}

/** inspect → load (auto mapping, optionally overridden) → build; returns everything a test looks at. */
async function run(file: string, override: Partial<ColumnMapping> = {}, period = { cutoff: CUTOFF, horizonEnd: HORIZON_END as string | null }, cleaning?: CleaningOptions) {
  const inspection = await engine.inspect(source(file));
  const mapping = { ...inspection.mapping, ...override };
  const { quality } = await engine.load(mapping, cleaning);
  await engine.build({ period, unit: 'day' });
  return { inspection, mapping, quality, rfm: await engine.rows('rfm') };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-formats-'));
  db = await openWasmDb();
  engine = new DataEngine(db);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the same transactions in every text format give the same rfm table', () => {
  let baseline: Row[];

  beforeAll(async () => {
    baseline = normalise((await run(write('tx.csv', csv(',', true)))).rfm);
  });

  it('CSV baseline: hand-computed rfm, ids keep their leading zeros', () => {
    expect(baseline.map((r) => r.customer_id)).toEqual(['00042', '00043', '00044', '00100', '01000']);
    const picked = baseline.map((r) => ({ customer_id: r.customer_id, frequency: r.frequency, recency: r.recency, T: r.T, monetary_value: r.monetary_value }));
    expect(picked).toEqual(normalise(EXPECTED_RFM));
  });

  const variants: { name: string; file: string; content: () => string | Uint8Array; format: string; mapping: Partial<ColumnMapping> }[] = [
    { name: 'TSV', file: 'tx.tsv', content: () => csv('\t', true), format: 'TSV', mapping: { customer: 'customer_id', date: 'date', amount: 'amount' } },
    {
      name: 'semicolon, decimal comma ("1.234,50"), dd.mm.yyyy',
      file: 'tx_eu.csv',
      content: () => csv(';', true, (d) => dmy(d, '.'), euro),
      format: 'semicolon-separated',
      mapping: { amount: 'amount', decimalSeparator: ',', dateFormat: 'dmy', dateFormatAmbiguous: false },
    },
    {
      name: 'pipe-separated',
      file: 'tx.txt',
      content: () => csv('|', true),
      format: 'pipe-separated',
      mapping: { customer: 'customer_id' },
    },
    {
      name: 'whitespace-padded with CRLF and yyyymmdd (CDNOW style)',
      file: 'tx_padded.txt',
      content: () =>
        ['customer_id       date   amount', ...TX.map(([c, d, a]) => `    ${c}  ${ymd8(d)}  ${a.toFixed(2).padStart(8)}`)].join('\r\n') + '\r\n',
      format: 'whitespace-separated',
      mapping: { customer: 'customer_id', date: 'date', amount: 'amount', dateFormat: 'yyyymmdd' },
    },
    {
      name: 'CSV without a header',
      file: 'tx_noheader.csv',
      content: () => csv(',', false),
      format: 'CSV, no header',
      mapping: { customer: 'column0', date: 'column1', amount: 'column2', dateFormat: 'iso' },
    },
    {
      name: 'gzip CSV',
      file: 'tx.csv.gz',
      content: () => gzipSync(Buffer.from(csv(',', true))),
      format: 'CSV (gzip)',
      mapping: { customer: 'customer_id', date: 'date', amount: 'amount' },
    },
    {
      name: 'CSV with a UTF-8 byte-order mark and CRLF',
      file: 'tx_bom.csv',
      content: () => `\uFEFF${csv(',', true, undefined, undefined, '\r\n')}`,
      format: 'CSV',
      mapping: { customer: 'customer_id', date: 'date', amount: 'amount' },
    },
    {
      name: 'CSV with a title line and a blank line above the header',
      file: 'tx_titled.csv',
      content: () => `Sales export,,\nExported 2024-07-01,,\n\n${csv(',', true)}`,
      format: 'CSV',
      mapping: { customer: 'customer_id', date: 'date', amount: 'amount' },
    },
    {
      name: 'dd/mm/yyyy CSV',
      file: 'tx_dmy.csv',
      content: () => csv(',', true, dmy),
      format: 'CSV',
      mapping: { dateFormat: 'dmy', dateFormatAmbiguous: false },
    },
    {
      name: 'mm/dd/yyyy CSV',
      file: 'tx_mdy.csv',
      content: () => csv(',', true, mdy),
      format: 'CSV',
      mapping: { dateFormat: 'mdy', dateFormatAmbiguous: false },
    },
    {
      name: 'ISO timestamps with offsets (the day as written)',
      file: 'tx_ts.csv',
      content: () => csv(',', true, (d) => `${d}T${d.endsWith('5') ? '23:45:00+02:00' : '00:15:00-05:00'}`),
      format: 'CSV',
      mapping: { dateFormat: 'iso' },
    },
    {
      name: 'epoch seconds',
      file: 'tx_epoch.csv',
      content: () => csv(',', true, (d) => String(Date.parse(`${d}T12:00:00Z`) / 1000)),
      format: 'CSV',
      mapping: { dateFormat: 'epoch_s' },
    },
    {
      // One currency written two ways (a mixed file is refused: test/integration/currencies.test.ts).
      name: 'currency markers ("€1,234.50", "12.50 EUR")',
      file: 'tx_currency.csv',
      content: () => csv(',', true, undefined, (a) => (a > 100 ? `"€${a.toLocaleString('en-US', { minimumFractionDigits: 2 })}"` : `${a.toFixed(2)} EUR`)),
      format: 'CSV',
      mapping: { amount: 'amount', decimalSeparator: '.' },
    },
  ];

  for (const v of variants) {
    it(v.name, async () => {
      const got = await run(write(v.file, v.content()));
      expect(got.inspection.format).toBe(v.format);
      expect(got.mapping).toMatchObject(v.mapping);
      expect(got.quality.rows_rejected).toBe(0);
      expect(got.quality.first_date).toBe('2024-01-05');
      expect(got.quality.last_date).toBe('2024-05-02');
      expect(normalise(got.rfm)).toEqual(baseline);
    });
  }

  it('quantity × unit price when there is no amount column', async () => {
    // Each amount split into a quantity and an exact unit price.
    const qty = [2, 2, 3, 4, 1, 1, 3, 1, 2, 2, 5, 4];
    const lines = TX.map(([c, d, a], i) => `${c},${d},${qty[i]},${(a / qty[i]).toFixed(4)}`);
    const got = await run(write('tx_qty.csv', ['CustomerID,InvoiceDate,Quantity,UnitPrice', ...lines].join('\n')));
    expect(got.mapping).toMatchObject({ customer: 'CustomerID', date: 'InvoiceDate', amount: null, quantity: 'Quantity', unitPrice: 'UnitPrice' });
    expect(normalise(got.rfm)).toEqual(baseline);
    const [row] = await db.query(`SELECT amount FROM transactions WHERE customer_id = '00042' AND day = DATE '2024-03-15'`);
    expect(Number(row.amount)).toBeCloseTo(1234.5, 9);
  });
});

describe('day-first and month-first files give the right days', () => {
  async function days(file: string): Promise<string[]> {
    await run(file);
    const rows = await db.query(`SELECT CAST(day AS VARCHAR) AS d FROM transactions ORDER BY row_id`);
    return rows.map((r) => String(r.d));
  }
  const expected = TX.map(([, d]) => d);

  it('dd/mm/yyyy (13/01/2024 is 13 January)', async () => {
    expect(await days(write('days_dmy.csv', csv(',', true, dmy)))).toEqual(expected);
  });
  it('mm/dd/yyyy (01/13/2024 is 13 January)', async () => {
    expect(await days(write('days_mdy.csv', csv(',', true, mdy)))).toEqual(expected);
  });
  it('two-digit years (dd/mm/yy) are this century', async () => {
    expect(await days(write('days_dmy2.csv', csv(',', true, (d) => dmy(d).replace(/\/20(\d\d)$/, '/$1'))))).toEqual(expected);
  });
  it('only days ≤ 12: flagged ambiguous, and the user can choose month-first', async () => {
    const file = write('ambiguous.csv', 'customer_id,date,amount\na,01/02/2024,1\nb,03/04/2024,2\na,05/06/2024,3\n');
    const inspection = await engine.inspect(source(file));
    expect(inspection.mapping).toMatchObject({ dateFormat: 'dmy', dateFormatAmbiguous: true });
    await expect(engine.load(inspection.mapping)).rejects.toMatchObject({ code: 'AMBIGUOUS_DATES' });
    const { quality } = await engine.load({ ...inspection.mapping, dateFormat: 'mdy', dateFormatAmbiguous: false });
    expect([quality.first_date, quality.last_date]).toEqual(['2024-01-02', '2024-05-06']);
  });
});

describe('returns, duplicates and rejected rows', () => {
  it('a cancelled invoice (C536379) and negative quantities net against purchases', async () => {
    const file = write(
      'retail.csv',
      [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom',
        '536366,71053,WHITE METAL LANTERN,2,12/1/2010 8:28,3.39,17850,United Kingdom',
        'C536379,D,Discount,-1,12/9/2010 9:41,27.50,17850,United Kingdom',
        'C536380,22556,PLASTERS IN TIN,2,12/9/2010 9:45,1.00,17850,United Kingdom',
        '536400,22633,HAND WARMER UNION JACK,12,12/13/2010 10:00,1.25,13047,United Kingdom',
        '536401,84879,ASSORTED COLOUR BIRD ORNAMENT,3,12/14/2010 11:00,5.00,17850,United Kingdom',
      ].join('\n'),
    );
    const got = await run(file, {}, { cutoff: '2010-12-31', horizonEnd: null });
    expect(got.mapping).toMatchObject({ order: 'InvoiceNo', quantity: 'Quantity', unitPrice: 'UnitPrice', amount: null, dateFormat: 'mdy' });
    expect(got.quality.returns).toMatchObject({ policy: 'net', rows: 2, cancelled_invoices: 2 });
    expect(got.quality.returns.amount).toBeCloseTo(-29.5, 9);
    const features = await engine.rows('features');
    const c17850 = features.find((r) => r.customer_id === '17850')!;
    expect(Number(c17850.total_spend)).toBeCloseTo(15.3 + 6.78 - 27.5 - 2 + 15, 9);
    // A day with only returns is not a purchase: 1 Dec and 14 Dec are.
    const r17850 = got.rfm.find((r) => r.customer_id === '17850')!;
    expect(r17850).toMatchObject({ frequency: 1, recency: 13, T: 30 });
  });

  const DUP_ROWS = ['o1,a,2024-01-05,10.00', 'o1,a,2024-01-05,10.00', 'o2,b,2024-01-06,5.00', 'o3,a,2024-02-01,7.00', 'o4,b,2024-02-10,8.00'];

  it('exact duplicate rows are removed when there is an order id', async () => {
    const file = write('dups_order.csv', ['order_id,customer_id,date,amount', ...DUP_ROWS].join('\n'));
    const got = await run(file, {}, { cutoff: '2024-02-28', horizonEnd: null });
    expect(got.mapping.order).toBe('order_id');
    expect(got.quality).toMatchObject({ rows_read: 5, duplicates_removed: 1, rows_kept: 4, duplicate_rows_found: 1 });
  });

  it('without an order id they are kept and counted', async () => {
    const file = write('dups_plain.csv', ['customer_id,date,amount', ...DUP_ROWS.map((r) => r.slice(3))].join('\n'));
    const got = await run(file, {}, { cutoff: '2024-02-28', horizonEnd: null });
    expect(got.mapping.order).toBeNull();
    expect(got.quality).toMatchObject({ rows_read: 5, duplicates_removed: 0, rows_kept: 5, duplicate_rows_found: 1 });
  });

  it('ids are trimmed of spaces and Unicode space separators; blank ids are missing', async () => {
    // Quoted cells keep their spaces through the CSV reader; the engine trims them (fast path for
    // plain ASCII ids, trim() for the rest).
    const ids = [' A1 ', 'A1', '\u00a0B2', 'B2\u3000', 'Zoë ', 'Zoë', 'C3', '  ', '', '\u2000'];
    const lines = ['customer_id,date,amount', ...ids.map((id, i) => `"${id}",2024-01-${String(i + 1).padStart(2, '0')},${i + 1}.00`)];
    const got = await run(write('spaced_ids.csv', lines.join('\n')), {}, { cutoff: '2024-02-28', horizonEnd: null });
    expect(got.quality.rejected_by_reason).toEqual({ 'missing customer id': 3 });
    expect(got.rfm.map((r) => String(r.customer_id)).sort()).toEqual(['A1', 'B2', 'C3', 'Zoë']);
    const byId = Object.fromEntries(got.rfm.map((r) => [String(r.customer_id), Number(r.frequency)]));
    expect(byId).toEqual({ A1: 1, B2: 1, C3: 0, Zoë: 1 });
  });

  it('unparseable date, missing id and non-numeric amount are each counted and kept with their cells', async () => {
    const good = TX.map(([c, d, a]) => `${c},${d},${a.toFixed(2)}`);
    const lines = ['customer_id,date,amount', ...good.slice(0, 4), '00042,not-a-date,5.00', ...good.slice(4, 8), ',2024-01-07,6.00', ...good.slice(8), '00043,2024-01-08,abc'];
    // 3 of 15 rows rejected is above the 1% guard: this load has the user's say-so.
    await expect(run(write('rejects.csv', lines.join('\n')))).rejects.toMatchObject({ code: 'TOO_MANY_REJECTS' });
    const got = await run(write('rejects.csv', lines.join('\n')), {}, undefined, { returns: 'net', duplicates: 'auto', allowRejects: true });
    expect(got.quality.rows_read).toBe(TX.length + 3);
    expect(got.quality.rows_rejected).toBe(3);
    expect(got.quality.rejected_by_reason).toEqual({ 'unparseable date': 1, 'missing customer id': 1, 'non-numeric amount': 1 });
    expect(normalise(got.rfm).map((r) => r.customer_id)).toEqual(['00042', '00043', '00044', '00100', '01000']);
    const rejected = await engine.rows('rejected');
    const byReason = Object.fromEntries(rejected.map((r) => [String(r.reason), r]));
    expect(byReason['unparseable date']).toMatchObject({ line: 5, customer_id: '00042', date: 'not-a-date', amount: '5.00' });
    expect(byReason['missing customer id']).toMatchObject({ line: 10, date: '2024-01-07', amount: '6.00' });
    expect(byReason['missing customer id'].customer_id ?? '').toBe('');
    expect(byReason['non-numeric amount']).toMatchObject({ line: 15, customer_id: '00043', date: '2024-01-08', amount: 'abc' });
  });
});

/**
 * Parquet and JSON are written by native DuckDB (@duckdb/node-api). DuckDB-WASM has no parquet or
 * json extension without the network, so the engine reads these formats in JavaScript.
 */
describe('Parquet, JSON array and NDJSON', () => {
  const files: Record<string, string> = {};
  let baseline: Row[];

  beforeAll(async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    const values = TX.map(([c, d, a]) => `('${c}', DATE '${d}', ${a})`).join(', ');
    const select = `SELECT customer_id, "date", CAST(amount AS DOUBLE) AS amount FROM (VALUES ${values}) v(customer_id, "date", amount)`;
    files.parquet = path.join(dir, 'tx.parquet');
    files['parquet (zstd)'] = path.join(dir, 'tx_zstd.parquet');
    files.json = path.join(dir, 'tx.json');
    files.ndjson = path.join(dir, 'tx.ndjson');
    await con.run(`COPY (${select}) TO '${files.parquet}' (FORMAT parquet)`);
    await con.run(`COPY (${select}) TO '${files['parquet (zstd)']}' (FORMAT parquet, COMPRESSION zstd)`);
    await con.run(`COPY (${select}) TO '${files.json}' (FORMAT json, ARRAY true)`);
    await con.run(`COPY (${select}) TO '${files.ndjson}' (FORMAT json)`);
    con.closeSync();
    instance.closeSync();
    files['ndjson.gz'] = write('tx.ndjson.gz', gzipSync(readFileSync(files.ndjson)));
    // Compressed JSON lines under a name that does not say JSON: the content decides.
    files['gz (JSON inside)'] = write('export.gz', gzipSync(readFileSync(files.ndjson)));
    baseline = normalise((await run(write('tx_for_binary.csv', csv(',', true)))).rfm);
  });

  it('the files are what they claim to be', () => {
    expect(Buffer.from(nodeSourceFile(files.parquet).head.subarray(0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(nodeSourceFile(files.json).head).toString().trimStart()[0]).toBe('[');
    expect(Buffer.from(nodeSourceFile(files.ndjson).head).toString()[0]).toBe('{');
  });

  for (const kind of ['parquet', 'parquet (zstd)', 'json', 'ndjson', 'ndjson.gz', 'gz (JSON inside)'] as const) {
    it(`${kind} through DuckDB-WASM gives the same rfm table`, async () => {
      const inspection = await engine.inspect(nodeSourceFile(files[kind]));
      expect(inspection.format).toBe(kind.startsWith('parquet') ? 'parquet' : 'json');
      expect(inspection.mapping).toMatchObject({ customer: 'customer_id', date: 'date', amount: 'amount' });
      await engine.load(inspection.mapping);
      await engine.build({ period: { cutoff: CUTOFF, horizonEnd: HORIZON_END }, unit: 'day' });
      expect(normalise(await engine.rows('rfm'))).toEqual(baseline);
    });
  }

  it("an API's reply (the rows in a wrapper object) gives the same rfm table, and the format says where the rows were", async () => {
    const rows = JSON.parse(readFileSync(files.json, 'utf8'));
    // Shapes of real API replies: Shopify's {"orders": [...]}, a paged {"data": [...], "has_more": false, "url": …}.
    for (const [name, wrapper, field] of [
      ['shopify_style.json', { orders: rows }, 'orders'],
      ['paged.json', { object: 'list', data: rows, has_more: false, url: '/v1/orders' }, 'data'],
      ['deep.json', { meta: { page: 1, pages: 1 }, result: { orders: rows } }, 'result.orders'],
    ] as const) {
      const inspection = await engine.inspect(nodeSourceFile(write(name, JSON.stringify(wrapper))));
      expect(inspection.format).toBe(`json, the rows of "${field}"`);
      expect(inspection.mapping).toMatchObject({ customer: 'customer_id', date: 'date', amount: 'amount' });
      await engine.load(inspection.mapping);
      await engine.build({ period: { cutoff: CUTOFF, horizonEnd: HORIZON_END }, unit: 'day' });
      expect(normalise(await engine.rows('rfm'))).toEqual(baseline);
    }
  });

  it('a broken Parquet or JSON file gives MALFORMED_FILE, and the engine goes on', async () => {
    const broken = write('broken.parquet', Uint8Array.from([...Buffer.from('PAR1'), 0, 0, 0, 0, ...Buffer.from('PAR1')]));
    await expect(engine.inspect(nodeSourceFile(broken))).rejects.toMatchObject({ code: 'MALFORMED_FILE' });
    const badJson = write('broken.json', '[{"customer_id": "1", ');
    await expect(engine.inspect(nodeSourceFile(badJson))).rejects.toMatchObject({ code: 'MALFORMED_FILE' });
    const after = await run(write('tx_after.csv', csv(',', true)));
    expect(after.quality.customers).toBe(5);
  });
});
