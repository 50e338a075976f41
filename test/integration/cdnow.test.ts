/**
 * CDNOW against the published lifetimes summaries: the CLI as a child process on the 2,357-customer
 * sample must reproduce frequency / recency / T (weeks) and zbar (mean repeat spend) for every
 * customer to 2 decimals, and the full master file must read as it is with auto-detection.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { openWasmDb } from '../../src/node/wasmDb';
import { CDNOW_DIR, cdnowFile } from '../support/cdnowData';

const REPO = path.resolve(__dirname, '../..');
const DATA = CDNOW_DIR;
// Missing data fail these tests with a message naming the folder (see test/support/cdnowData.ts).
const SAMPLE = path.join(DATA, 'CDNOW_sample.txt');
const MASTER = path.join(DATA, 'CDNOW_master.txt');
const TOLERANCE = 0.005 + 1e-9;

/** Plain CSV (no quoted commas in these files) as objects keyed by the header. */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

describe('CDNOW sample through the CLI matches the lifetimes summaries', () => {
  let out: string;
  let run: { code: number; stdout: string; stderr: string };
  let rfm: Map<number, Record<string, string>>;

  beforeAll(async () => {
    cdnowFile('CDNOW_sample.txt');
    cdnowFile('cdnow_customers_summary.csv');
    cdnowFile('cdnow_customers_summary_with_transactions.csv');
    out = mkdtempSync(path.join(tmpdir(), 'clv-cdnow-'));
    run = await new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(REPO, 'src/cli.ts'), 'features', SAMPLE, '--customer', 'column1', '--cutoff', '1997-09-30', '--unit', 'week', '--out', out],
        { cwd: REPO, timeout: 180_000, maxBuffer: 16 << 20 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    if (run.code === 0) rfm = new Map(readCsv(path.join(out, 'rfm.csv')).map((r) => [Number.parseInt(r.customer_id, 10), r]));
  }, 200_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('exits 0 and prints exactly one JSON object on stdout', () => {
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.length).toBe(2);
    expect(lines[1]).toBe('');
    const summary = JSON.parse(lines[0]);
    expect(summary).toBeTypeOf('object');
    expect(summary).toMatchObject({ command: 'features', customers: 2357, rows_rejected: 0, cutoff: '1997-09-30', unit: 'week' });
  });

  it('has every one of the 2,357 customers, ids with their leading zeros', () => {
    expect(rfm.size).toBe(2357);
    const first = readCsv(path.join(out, 'rfm.csv'))[0];
    expect(first.customer_id).toBe('0001');
  });

  it('frequency, recency and T equal cdnow_customers_summary.csv to 2 decimals', () => {
    const summary = readCsv(path.join(DATA, 'cdnow_customers_summary.csv'));
    expect(summary.length).toBe(2357);
    const off: string[] = [];
    for (const s of summary) {
      const r = rfm.get(Number.parseInt(s.ID, 10));
      if (!r) {
        off.push(`${s.ID}: missing`);
        continue;
      }
      for (const k of ['frequency', 'recency', 'T'] as const) {
        if (!(Math.abs(Number(r[k]) - Number(s[k])) <= TOLERANCE)) off.push(`${s.ID} ${k}: ${r[k]} vs ${s[k]}`);
      }
    }
    expect(off.slice(0, 20), `${off.length} mismatches`).toEqual([]);
  });

  it('monetary_value equals zbar of cdnow_customers_summary_with_transactions.csv to 2 decimals', () => {
    const summary = readCsv(path.join(DATA, 'cdnow_customers_summary_with_transactions.csv'));
    expect(summary.length).toBe(2357);
    const off: string[] = [];
    for (const s of summary) {
      const r = rfm.get(Number.parseInt(s.ID, 10));
      if (!r || !(Math.abs(Number(r.monetary_value) - Number(s.zbar)) <= TOLERANCE)) off.push(`${s.ID}: ${r?.monetary_value} vs ${s.zbar}`);
      // x, t_x and T of this file are the same quantities again.
      if (r && !(Math.abs(Number(r.frequency) - Number(s.x)) <= TOLERANCE && Math.abs(Number(r.recency) - Number(s.t_x)) <= TOLERANCE)) off.push(`${s.ID}: x/t_x`);
    }
    expect(off.slice(0, 20), `${off.length} mismatches`).toEqual([]);
  });

  it('writes quality.json and features.csv next to rfm.csv', () => {
    const quality = JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8'));
    expect(quality).toMatchObject({ format: 'whitespace-separated, no header', rows_read: 6919, rows_rejected: 0, customers: 2357 });
    expect(quality.mapping).toMatchObject({ customer: 'column1', dateFormat: 'yyyymmdd' });
    expect(readFileSync(path.join(out, 'features.csv'), 'utf8').trim().split('\n').length).toBe(2358);
  });
});

describe('CDNOW_master.txt reads as it is', () => {
  it('auto-detects the header line, CRLF, whitespace padding and yyyymmdd; 23,570 customers', { timeout: 180_000 }, async () => {
    cdnowFile('CDNOW_master.txt');
    const db = await openWasmDb();
    try {
      const engine = new DataEngine(db);
      const size = statSync(MASTER).size;
      const head = new Uint8Array(Math.min(size, 4096));
      const fd = openSync(MASTER, 'r');
      readSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      expect(Buffer.from(head).toString('latin1')).toContain('\r\n');

      const inspection = await engine.inspect({ fileName: 'CDNOW_master.txt', path: MASTER, head, size });
      expect(inspection.format).toBe('whitespace-separated');
      expect(inspection.layout).toEqual({ delimiter: 'whitespace', header: true, fieldCount: 4, skip: 0 });
      expect(inspection.columns.map((c) => c.name)).toEqual(['customer_id', 'date', 'number_of_cds', 'dollar_value']);
      expect(inspection.mapping).toMatchObject({
        customer: 'customer_id',
        date: 'date',
        amount: 'dollar_value',
        quantity: 'number_of_cds',
        dateFormat: 'yyyymmdd',
        dateFormatAmbiguous: false,
        decimalSeparator: '.',
      });
      expect(inspection.preview[0]).toEqual({ customer_id: '00001', date: '19970101', number_of_cds: '1', dollar_value: '11.77' });

      const { quality } = await engine.load(inspection.mapping);
      expect(quality).toMatchObject({ rows_read: 69659, rows_rejected: 0, customers: 23570, first_date: '1997-01-01', last_date: '1998-06-30' });

      const built = await engine.build({ period: { cutoff: '1997-09-30', horizonEnd: '1998-06-30' }, unit: 'week' });
      expect(built.rfmCustomers).toBe(23570);
      const [first] = await db.query(`SELECT * FROM rfm ORDER BY customer_id LIMIT 1`);
      expect(first.customer_id).toBe('00001');
    } finally {
      db.close();
    }
  });
});
