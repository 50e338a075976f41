/**
 * Bad files must fail with a ClvError whose code is stable and whose message says what to do, and
 * the engine must keep working afterwards: one engine instance reads the whole corpus, and a good
 * file is loaded after every bad one. Hostile column names are just names.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type SourceFile } from '../../src/core/engine';
import { ClvError, type ClvErrorCode } from '../../src/core/errors';
import type { ColumnMapping } from '../../src/core/mapping/roles';
import { openWasmDb } from '../../src/node/wasmDb';

const REPO = path.resolve(__dirname, '../..');
const CUTOFF = '2024-03-31';

/** A message that tells the user what to do next. */
const ACTIONABLE = /\b(choose|drop|add|save|pick|use|check|export|write)\b/i;

const GOOD_CSV = [
  'customer_id,date,amount',
  '00042,2024-01-05,12.50',
  '00043,2024-01-06,7.00',
  '00042,2024-02-01,3.10',
  '00044,2024-02-10,15.00',
  '00043,2024-03-15,20.00',
  '00042,2024-04-02,9.99',
].join('\n');

/** Deterministic bytes (LCG) so the garbage file is the same on every run. */
function pseudoRandomBytes(n: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  out[0] = 0x00; // never a known signature by accident
  return out;
}

const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, // signature
  0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, // IHDR length + type
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
  0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4,
  0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

/** Zip local-file header as an .xlsx starts, then some bytes. */
const XLSX = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, ...Buffer.from('[Content_Types].xml'), ...pseudoRandomBytes(200, 7)]);

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

async function runFile(file: string, override: Partial<ColumnMapping> = {}, allowRejects = false) {
  const inspection = await engine.inspect(source(file));
  const { quality } = await engine.load({ ...inspection.mapping, ...override }, { returns: 'net', duplicates: 'auto', allowRejects });
  const built = await engine.build({ period: { cutoff: CUTOFF, horizonEnd: null }, unit: 'day' });
  return { inspection, quality, built };
}

async function failure(file: string, override: Partial<ColumnMapping> = {}): Promise<ClvError> {
  try {
    await runFile(file, override);
  } catch (error) {
    expect(error).toBeInstanceOf(ClvError);
    return error as ClvError;
  }
  throw new Error(`${path.basename(file)} was accepted`);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-bad-'));
  db = await openWasmDb();
  engine = new DataEngine(db);
  write('good.csv', GOOD_CSV);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const CORPUS: { name: string; file: string; content: () => string | Uint8Array; code: ClvErrorCode; override?: Partial<ColumnMapping> }[] = [
  { name: 'empty file', file: 'empty.csv', content: () => '', code: 'EMPTY_FILE' },
  { name: 'blank lines only', file: 'blank.csv', content: () => '\n\n  \r\n', code: 'EMPTY_FILE' },
  { name: 'header only', file: 'header_only.csv', content: () => 'customer_id,date,amount\n', code: 'HEADER_ONLY' },
  { name: 'header only, no newline', file: 'header_only2.csv', content: () => 'customer_id;date;amount', code: 'HEADER_ONLY' },
  { name: 'binary garbage', file: 'garbage.csv', content: () => pseudoRandomBytes(4096), code: 'BINARY_FILE' },
  { name: 'a PNG renamed .csv', file: 'photo.csv', content: () => PNG, code: 'IMAGE_FILE' },
  { name: 'an .xlsx workbook', file: 'book.xlsx', content: () => XLSX, code: 'UNSUPPORTED_EXCEL' },
  { name: 'an .xlsx renamed .csv', file: 'book.csv', content: () => XLSX, code: 'UNSUPPORTED_EXCEL' },
  {
    name: 'one customer',
    file: 'one_customer.csv',
    content: () => 'customer_id,date,amount\nc1,2024-01-05,10\nc1,2024-02-05,12\nc1,2024-03-05,8\n',
    code: 'TOO_FEW_CUSTOMERS',
  },
  {
    name: 'no parseable dates',
    file: 'no_dates.csv',
    content: () => 'customer_id,date,amount\nc1,soon,10\nc2,later,12\nc3,n/a,8\n',
    code: 'NO_PARSEABLE_DATES',
  },
  {
    name: 'no parseable dates in the column the user picked',
    file: 'no_dates_forced.csv',
    content: () => 'customer_id,note,date,amount\nc1,soon,2024-01-05,10\nc2,later,2024-01-06,12\nc3,never,2024-01-07,8\n',
    code: 'NO_PARSEABLE_DATES',
    override: { date: 'note', dateFormat: 'iso' },
  },
  {
    name: 'no numeric amounts',
    file: 'no_amounts.csv',
    content: () => 'customer_id,date,amount\nc1,2024-01-05,free\nc2,2024-01-06,gift\nc3,2024-01-07,n/a\n',
    code: 'NO_NUMERIC_AMOUNTS',
  },
  {
    name: 'no numeric amounts in the column the user picked',
    file: 'no_amounts_forced.csv',
    content: () => 'customer_id,date,amount,comment\nc1,2024-01-05,10,free\nc2,2024-01-06,12,gift\nc3,2024-01-07,8,n/a\n',
    code: 'NO_NUMERIC_AMOUNTS',
    override: { amount: 'comment' },
  },
];

describe('bad files: one engine, a clear ClvError each, and the engine survives', () => {
  for (const bad of CORPUS) {
    it(`${bad.name} → ${bad.code}, then a good file loads`, async () => {
      const error = await failure(write(bad.file, bad.content()), bad.override);
      expect(error.code).toBe(bad.code);
      expect(error.message).toMatch(ACTIONABLE);
      expect(error.message.length).toBeLessThan(400);

      const good = await runFile(path.join(dir, 'good.csv'));
      expect(good.quality.customers).toBe(3);
      expect(good.built.rfmCustomers).toBe(3);
      expect((await engine.rows('rfm')).map((r) => r.customer_id)).toEqual(['00042', '00043', '00044']);
    });
  }

  it('errors name the file, so the user knows which drop failed', async () => {
    const error = await failure(write('photo2.csv', PNG));
    expect(error.message).toContain('photo2.csv');
  });
});

describe('purchases without a date', () => {
  // 1,000 rows: every 25th has no date but an amount (40 rows, 4%), every 50th (offset 1) no date
  // and a zero amount (20 rows: nothing spent, nothing lost). Counted here from the rows written.
  const rows = Array.from({ length: 1000 }, (_, i) => {
    const day = `2024-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const amount = i % 50 === 1 ? 0 : 5 + (i % 17);
    return { customer: `p${i % 40}`, day: i % 25 === 0 || i % 50 === 1 ? '' : day, amount };
  });
  const text = ['customer_id,date,amount', ...rows.map((r) => `${r.customer},${r.day},${r.amount.toFixed(2)}`)].join('\n') + '\n';
  const moneyWithoutDay = rows.filter((r) => r.day === '' && r.amount !== 0).length;
  const dated = rows.filter((r) => r.day !== '');

  it('are refused above 1% of the rows, counting only the rows that hold money', async () => {
    const error = await failure(write('no_day.csv', text));
    expect(error.code).toBe('TOO_MANY_REJECTS');
    const details = error.details as { groups: { reason: string; count: number; examples: { line: number }[] }[] };
    expect(details.groups.map((g) => [g.reason, g.count])).toEqual([['missing date', moneyWithoutDay]]);
    // The first rows shown are rows with money (line 1 is the first data row).
    expect(details.groups[0].examples.map((e) => e.line)).toEqual([1, 26, 51, 76, 101]);
    expect(error.message).toContain(`${moneyWithoutDay} of 1,000 rows (${((100 * moneyWithoutDay) / 1000).toFixed(1)}%) have no date in "date" but an amount`);
  });

  it('load without those rows on the user\'s say-so, every dated row kept', async () => {
    const { quality } = await runFile(write('no_day.csv', text), {}, true);
    expect(quality.rejected_by_reason).toEqual({ 'missing date': rows.length - dated.length });
    expect(quality.rows_kept).toBe(dated.length);
    const spend = (await engine.rows('transactions')).reduce((s, r) => s + Number(r.amount), 0);
    expect(spend).toBeCloseTo(dated.reduce((s, r) => s + r.amount, 0), 6);
  });
});

describe('hostile column names are just names', () => {
  const EVIL = 'x"; DROP TABLE t; --';
  const HTML = '<img src=x onerror=alert(1)>';

  it(`a column called ${EVIL} works as the customer column and drops nothing`, async () => {
    await db.exec('CREATE OR REPLACE TABLE t AS SELECT 42 AS answer');
    const quoted = `"${EVIL.replaceAll('"', '""')}"`;
    const file = write('evil.csv', [`${quoted},date,amount`, 'a,2024-01-05,1.00', 'b,2024-01-06,2.00', 'a,2024-02-01,3.00'].join('\n'));
    const { inspection, quality } = await runFile(file, { customer: EVIL });
    expect(inspection.columns.map((c) => c.name)).toEqual([EVIL, 'date', 'amount']);
    expect(inspection.mapping.customer).toBe(EVIL);
    expect(quality.customers).toBe(2);
    expect((await engine.rows('rfm')).map((r) => r.customer_id)).toEqual(['a', 'b']);
    expect(await db.query('SELECT answer FROM t')).toEqual([{ answer: 42 }]);
    // Sorting a page by the hostile name is safe too.
    const page = await engine.page('transactions', 0, 10, { column: 'customer_id', descending: true });
    expect(page.total).toBe(3);
  });

  it(`a header cell ${HTML} loads and keeps its name verbatim`, async () => {
    const file = write('html.csv', ['customer_id,date,amount,' + HTML, 'a,2024-01-05,1.00,x', 'b,2024-01-06,2.00,y', 'a,2024-02-01,3.00,<b>z</b>'].join('\n'));
    const { inspection, quality } = await runFile(file);
    expect(inspection.columns.map((c) => c.name)).toEqual(['customer_id', 'date', 'amount', HTML]);
    expect(Object.keys(inspection.preview[0])).toContain(HTML);
    expect(inspection.preview[2][HTML]).toBe('<b>z</b>');
    expect(quality.customers).toBe(2);
  });

  it('a hostile name in a rejected row keeps the original cells under that name', async () => {
    const quoted = `"${EVIL.replaceAll('"', '""')}"`;
    const file = write('evil_reject.csv', [`${quoted},date,amount`, 'a,2024-01-05,1.00', 'b,2024-01-06,2.00', 'a,nope,3.00', 'c,2024-02-01,4.00'].join('\n'));
    // One bad date in four rows is above the 1% guard: loaded with the user's say-so.
    const { quality } = await runFile(file, { customer: EVIL }, true);
    expect(quality.rejected_by_reason).toEqual({ 'unparseable date': 1 });
    const [rejected] = await engine.rows('rejected');
    expect(rejected).toMatchObject({ line: 3, reason: 'unparseable date', [EVIL]: 'a', date: 'nope', amount: '3.00' });
  });
});

describe('the CLI on bad input: exit code ≠ 0 and exactly one line on stderr', () => {
  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      // node --import tsx rather than npm/npx: npm may add its own warnings to stderr.
      execFile(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli.ts'), ...args], { cwd: REPO, timeout: 90_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  const cases: { name: string; args: () => string[]; code: string }[] = [
    { name: 'empty file', args: () => ['features', write('cli_empty.csv', ''), '--cutoff', CUTOFF, '--out', path.join(dir, 'o1')], code: 'EMPTY_FILE' },
    { name: 'PNG', args: () => ['features', write('cli_photo.csv', PNG), '--cutoff', CUTOFF, '--out', path.join(dir, 'o2')], code: 'IMAGE_FILE' },
    { name: 'xlsx', args: () => ['features', write('cli_book.xlsx', XLSX), '--cutoff', CUTOFF, '--out', path.join(dir, 'o3')], code: 'UNSUPPORTED_EXCEL' },
    {
      name: 'one customer',
      args: () => ['features', write('cli_one.csv', 'customer_id,date,amount\nc1,2024-01-05,10\nc1,2024-02-05,12\n'), '--cutoff', CUTOFF, '--out', path.join(dir, 'o4')],
      code: 'TOO_FEW_CUSTOMERS',
    },
    { name: 'missing file', args: () => ['features', path.join(dir, 'does_not_exist.csv'), '--cutoff', CUTOFF, '--out', path.join(dir, 'o5')], code: 'BAD_ARGUMENT' },
    { name: 'bad --unit', args: () => ['features', path.join(dir, 'good.csv'), '--cutoff', CUTOFF, '--unit', 'month', '--out', path.join(dir, 'o6')], code: 'BAD_ARGUMENT' },
    { name: 'no command', args: () => [], code: 'BAD_ARGUMENT' },
    { name: 'unknown customer column', args: () => ['features', path.join(dir, 'good.csv'), '--cutoff', CUTOFF, '--customer', 'nope', '--out', path.join(dir, 'o7')], code: 'UNKNOWN_COLUMN' },
  ];

  // Each case is its own process; they run side by side.
  for (const c of cases) {
    it.concurrent(c.name, async ({ expect }) => {
      const r = await cli(c.args());
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      expect(lines.length, r.stderr).toBe(2); // one line and its newline
      expect(lines[1]).toBe('');
      expect(lines[0].startsWith(`${c.code}: `), lines[0]).toBe(true);
    });
  }
});
