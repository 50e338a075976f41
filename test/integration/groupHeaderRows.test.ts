/**
 * Spreadsheet reports exported to CSV with a group header row above the header: merged cells
 * ("Customer", "Invoice", "Amounts" over two columns each) become one filled cell and blanks.
 * Taken as the header, that row named the wrong columns, rejected the real header as a row and
 * read the amount from the net column: a silently wrong table. Each report here is generated in
 * the test, written to a temporary folder and run through the real engine (DuckDB-WASM, as in the
 * CLI) with the guessed mapping; the guessed mapping and every customer's total spend and purchase
 * days are checked against a reference computed from the generated rows (rfmReference.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/core/db';
import { DataEngine, type Inspection, type LoadResult } from '../../src/core/engine';
import { Rng } from '../../src/core/random';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { dot, fromDay, toDay, windows1252, type LogicalTransaction } from '../support/exportBuilder';
import { rfmReference } from '../support/rfmReference';

const CUTOFF = '2023-09-30';

/** One invoice of the report: net and gross (19 % tax) in cents; credit notes are negative. */
interface Invoice {
  customer: string;
  name: string;
  number: string;
  day: number;
  net: number;
  gross: number;
}

/** 40 customers, most of them buying again; a few credit notes; a date on both sides of the cutoff. */
function invoices(seed: number): Invoice[] {
  const rng = new Rng(seed);
  const companies = ['Tyrell', 'Acme', 'Umbrella', 'Hooli', 'Wayne', 'Soylent', 'Cyberdyne'];
  const forms = ['Inc', 'Ltd', 'GmbH', 'SARL'];
  const customers = Array.from({ length: 40 }, (_, i) => ({
    id: `C${10100 + i * 7}`,
    name: `${companies[rng.int(companies.length)]} ${forms[rng.int(forms.length)]} ${i + 1}`,
  }));
  const out: Invoice[] = [];
  const first = toDay('2023-01-02');
  for (let k = 0; k < 320; k++) {
    // Skewed towards the first customers: some buy often, a few once.
    const c = customers[Math.min(customers.length - 1, Math.floor(customers.length * rng.uniform() ** 1.6))];
    const day = first + Math.floor((k * 355) / 320);
    const net = Math.max(500, Math.round(100 * 180 * Math.exp(0.8 * rng.normal())));
    const sign = k > 10 && rng.uniform() < 0.04 ? -1 : 1;
    out.push({ customer: c.id, name: c.name, number: `${sign < 0 ? 'CN' : 'INV'}-${100000 + k}`, day, net: sign * net, gross: sign * Math.round(net * 1.19) });
  }
  return out;
}

const transactions = (rows: Invoice[]): LogicalTransaction[] => rows.map((r) => ({ customerId: r.customer, day: r.day, cents: r.gross }));

interface Report {
  name: string;
  fileName: string;
  content: Buffer;
  invoices: Invoice[];
  /** Lines above the header: a title and the group row. */
  skip: number;
  groups: string[];
  columns: string[];
}

/** "Customer,,Invoice,,Amounts," over "Customer No.,Customer Name,Invoice No.,Invoice Date,Net Amount,Gross Amount". */
function customerReport(name: string, seed: number, o: { delimiter: string; title?: string; groupAmounts?: string; encoding?: 'windows-1252' }): Report {
  const rows = invoices(seed);
  const d = o.delimiter;
  const amounts = o.groupAmounts ?? 'Amounts';
  const columns = ['Customer No.', 'Customer Name', 'Invoice No.', 'Invoice Date', 'Net Amount', 'Gross Amount'];
  const lines = [
    ...(o.title === undefined ? [] : [o.title]),
    ['Customer', '', 'Invoice', '', amounts, ''].join(d),
    columns.join(d),
    ...rows.map((r) => [r.customer, r.name, r.number, fromDay(r.day), dot(r.net), dot(r.gross)].join(d)),
  ];
  const text = `${lines.join('\r\n')}\r\n`;
  return {
    name,
    fileName: `${name}.csv`,
    content: o.encoding === 'windows-1252' ? windows1252(text) : Buffer.from(text, 'utf8'),
    invoices: rows,
    skip: o.title === undefined ? 1 : 2,
    groups: ['Customer', 'Customer', 'Invoice', 'Invoice', amounts, amounts],
    columns,
  };
}

/** ",,Net,,Gross," over "Customer No.,Invoice Date,Amount,Tax,Amount,Tax": the header repeats its names. */
function netGrossReport(seed: number): Report {
  const rows = invoices(seed);
  const lines = [
    ',,Net,,Gross,',
    'Customer No.,Invoice Date,Amount,Tax,Amount,Tax',
    ...rows.map((r) => [r.customer, fromDay(r.day), dot(r.net), dot(r.gross - r.net), dot(r.gross), dot(r.gross - r.net)].join(',')),
  ];
  return {
    name: 'repeated names under Net and Gross',
    fileName: 'net_gross.csv',
    content: Buffer.from(`${lines.join('\n')}\n`, 'utf8'),
    invoices: rows,
    skip: 1,
    groups: ['', '', 'Net', 'Net', 'Gross', 'Gross'],
    columns: ['Customer No.', 'Invoice Date', 'Net Amount', 'Net Tax', 'Gross Amount', 'Gross Tax'],
  };
}

const REPORTS: Report[] = [
  customerReport('comma-separated', 1, { delimiter: ',' }),
  customerReport('below a title line', 2, { delimiter: ',', title: 'Sales by customer 2023' }),
  customerReport('semicolon-separated below a padded title', 3, { delimiter: ';', title: 'Umsatz nach Kunden 2023;;;;;' }),
  // Windows-1252 with a € (byte 0x80) is decoded in JavaScript, not by DuckDB: the third reader path.
  customerReport('tab-separated Windows-1252', 4, { delimiter: '\t', title: 'Sales by customer 2023 (€)', groupAmounts: 'Amounts (€)', encoding: 'windows-1252' }),
  netGrossReport(5),
];

let dir: string;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let engine: DataEngine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-group-headers-'));
  db = await openWasmDb();
  engine = new DataEngine(db);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(REPORTS.map((r) => ({ name: r.name, r })))('a report with a group header row: $name', ({ r }) => {
  const ref = rfmReference(transactions(r.invoices), toDay(CUTOFF));
  const outcome: { inspection?: Inspection; loaded?: LoadResult; features: Row[]; rejected: Row[] } = { features: [], rejected: [] };

  beforeAll(async () => {
    const file = path.join(dir, r.fileName);
    writeFileSync(file, r.content);
    outcome.inspection = await engine.inspect(nodeSourceFile(file));
    outcome.loaded = await engine.load(outcome.inspection.mapping);
    outcome.rejected = await engine.rows('rejected');
    await engine.build({ period: { cutoff: CUTOFF, horizonEnd: null }, unit: 'day' });
    outcome.features = await engine.rows('features');
  });

  it('the group row is skipped and the header names the columns', () => {
    const inspection = outcome.inspection!;
    expect(inspection.layout).toMatchObject({ header: true, skip: r.skip, groups: r.groups, fieldCount: 6 });
    expect(inspection.columns.map((c) => c.name)).toEqual(r.columns);
  });

  it('guesses the customer number, the invoice date and the gross amount', () => {
    const m = outcome.inspection!.mapping;
    expect({ customer: m.customer, date: m.date, amount: m.amount, dateFormat: m.dateFormat }).toEqual({
      customer: 'Customer No.',
      date: 'Invoice Date',
      amount: 'Gross Amount',
      dateFormat: 'iso',
    });
  });

  it('reads every invoice and rejects none (the header is no row)', () => {
    expect(outcome.loaded!.quality.rows_read).toBe(r.invoices.length);
    expect(outcome.rejected.map((row) => `line ${String(row.line)}: ${String(row.reason)}`)).toEqual([]);
  });

  it("every customer's total spend and purchase days equal the reference", () => {
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const row of outcome.features) {
      const id = String(row.customer_id);
      seen.add(id);
      const want = ref.customers.get(id);
      if (!want) {
        mismatches.push(`${id}: not in the reference`);
        continue;
      }
      const spend = Number(row.total_spend);
      const days = Number(row.frequency) + 1;
      if (Math.abs(spend - want.total_spend) > 1e-6 * Math.max(1, Math.abs(want.total_spend)) || days !== want.purchase_days) {
        mismatches.push(`${id}: engine ${spend} over ${days} days, reference ${want.total_spend} over ${want.purchase_days}`);
      }
    }
    for (const id of ref.customers.keys()) if (!seen.has(id)) mismatches.push(`${id}: missing from the engine's table`);
    expect(mismatches).toEqual([]);
    expect(ref.customers.size).toBeGreaterThan(20);
    expect([...ref.customers.values()].some((c) => c.purchase_days > 2)).toBe(true);
  });
});
