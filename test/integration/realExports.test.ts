/**
 * Issue 9 §5: files shaped like the exports people actually drop (test/support/exportShapes.ts)
 * load with no flags and no questions, and their tables are right.
 *
 * For every shape: the engine (DuckDB-WASM, as in the CLI) inspects the file, loads it with the
 * guessed mapping and builds with a fixed cutoff. The guessed mapping is checked against the one a
 * careful analyst picks; nothing is rejected but rows a person would drop (no customer, a failed
 * payment, the extra line-item rows of an order whose money is on its first row); and the RFM table
 * and a few features equal a plain-TypeScript reference computed from the generator's own list of
 * logical transactions (test/support/rfmReference.ts, the purchase rule of issue 9 §3), for every
 * customer. Three shapes also go through the real CLI.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/core/db';
import { DataEngine, type BuildResult, type Inspection, type LoadResult } from '../../src/core/engine';
import { REJECT_REASONS } from '../../src/core/clean/staging';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { allExportShapes, toDay, UCI_EDGE_CUSTOMERS, type ExportFixture } from '../support/exportShapes';
import { paymentExportShapes } from '../support/paymentExportShapes';
import { rfmReference, type RfmReference, type RfmReferenceRow } from '../support/rfmReference';

const REPO = path.resolve(__dirname, '../..');
// The shapes of issue 9 §5, then order platforms, payment processors, CRM pipelines, an analytics
// event log and report files first tried after it (statuses, record steps, guest ids, encodings, footers).
const FIXTURES = [...allExportShapes(), ...paymentExportShapes()];
const BIG = new Set(['uci', 'ambiguous']);

let dir: string;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let engine: DataEngine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-exports-'));
  db = await openWasmDb();
  engine = new DataEngine(db);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeFixture(f: ExportFixture): string {
  const file = path.join(dir, f.fileName);
  writeFileSync(file, f.content);
  return file;
}

function referenceOf(f: ExportFixture): RfmReference {
  return rfmReference(f.transactions, toDay(f.cutoff));
}

/** |a − b| ≤ 1e-6 (relative above 1). */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** Engine rows (or parsed CLI rows) against the reference, column by column; every customer. */
function compareRows(table: string, rows: readonly Row[], ref: RfmReference, columns: Record<string, (r: RfmReferenceRow) => number>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const id = String(row.customer_id);
    seen.add(id);
    const expected = ref.customers.get(id);
    if (!expected) {
      out.push(`${table}: customer "${id}" is in the engine's table but not in the reference`);
      continue;
    }
    for (const [column, value] of Object.entries(columns)) {
      const actual = Number(row[column]);
      const want = value(expected);
      if (!Number.isFinite(actual) || !close(actual, want)) out.push(`${table}.${column} "${id}": engine ${String(row[column])}, reference ${want}`);
    }
  }
  for (const id of ref.customers.keys()) if (!seen.has(id)) out.push(`${table}: customer "${id}" is in the reference but not in the engine's table`);
  return out;
}

function expectNoMismatch(mismatches: string[]): void {
  expect(mismatches.length === 0 ? [] : [`${mismatches.length} mismatches`, ...mismatches.slice(0, 25)]).toEqual([]);
}

const RFM_COLUMNS: Record<string, (r: RfmReferenceRow) => number> = {
  frequency: (r) => r.frequency,
  recency: (r) => r.recency,
  T: (r) => r.T,
  monetary_value: (r) => r.monetary_value,
};

const FEATURE_COLUMNS: Record<string, (r: RfmReferenceRow) => number> = {
  total_spend: (r) => r.total_spend,
  // Purchase days up to the cutoff, less one.
  frequency: (r) => r.purchase_days - 1,
  recency_days: (r) => r.recency_days,
  tenure_days: (r) => r.tenure_days,
};

interface Outcome {
  inspection?: Inspection;
  inspectError?: unknown;
  loaded?: LoadResult;
  built?: BuildResult;
  loadError?: unknown;
  rejected: Row[];
  rfm: Row[];
  features: Row[];
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${(error as { code?: string }).code ?? error.name}: ${error.message}`;
  return String(error);
}

const shortName = (f: ExportFixture) =>
  f.fileName === 'Online Retail.csv' ? 'uci' : f.fileName === 'pos_export_2023.csv' ? 'ambiguous' : f.fileName;

describe.each(FIXTURES.map((f) => ({ name: f.name, f })))('$name', ({ f }) => {
  const ref = referenceOf(f);
  const outcome: Outcome = { rejected: [], rfm: [], features: [] };

  beforeAll(async () => {
    const file = writeFixture(f);
    try {
      outcome.inspection = await engine.inspect(nodeSourceFile(file));
    } catch (error) {
      outcome.inspectError = error;
      return;
    }
    try {
      // Exactly what a user gets with no flags: the guessed mapping, the default cleaning.
      outcome.loaded = await engine.load(outcome.inspection.mapping);
      outcome.rejected = await engine.rows('rejected');
      outcome.built = await engine.build({ period: { cutoff: f.cutoff, horizonEnd: null }, unit: 'day' });
      outcome.rfm = await engine.rows('rfm');
      outcome.features = await engine.rows('features');
    } catch (error) {
      outcome.loadError = error;
    }
  });

  const requireInspection = (): Inspection => {
    if (!outcome.inspection) throw new Error(`inspect failed: ${describeError(outcome.inspectError)}`);
    return outcome.inspection;
  };
  const requireLoaded = () => {
    requireInspection();
    if (outcome.loadError || !outcome.loaded || !outcome.built) throw new Error(`load/build with the guessed mapping failed: ${describeError(outcome.loadError)}`);
    return { loaded: outcome.loaded, built: outcome.built };
  };

  it('the fixture is the shape it claims (size, customers, customers after the cutoff)', () => {
    if (BIG.has(shortName(f))) expect(f.dataRows).toBeGreaterThan(20_000);
    else {
      expect(f.dataRows).toBeGreaterThanOrEqual(200);
      expect(f.dataRows).toBeLessThanOrEqual(3_000);
    }
    expect(ref.customers.size).toBeGreaterThan(50);
    expect(ref.customersAfterCutoff).toBeGreaterThan(0);
    expect([...ref.customers.values()].some((r) => r.frequency > 0)).toBe(true);
  });

  it(`guesses the mapping a careful analyst picks (${f.expected.customer}, ${f.expected.date[0]}, ${f.expected.amount[0] ?? 'quantity × unit price'})`, () => {
    const m = requireInspection().mapping;
    const e = f.expected;
    const amountOk =
      m.amount !== null
        ? e.amount.includes(m.amount)
        : e.quantityTimesPrice !== undefined && m.quantity === e.quantityTimesPrice.quantity && m.unitPrice === e.quantityTimesPrice.unitPrice;
    expect({
      customer: m.customer,
      date: m.date !== null && e.date.includes(m.date) ? e.date[0] : m.date,
      amount: amountOk ? 'as expected' : { amount: m.amount, quantity: m.quantity, unitPrice: m.unitPrice },
      dateFormat: e.dateFormats.includes(m.dateFormat) ? e.dateFormats[0] : m.dateFormat,
      dateFormatAmbiguous: m.dateFormatAmbiguous,
      decimalSeparator: m.decimalSeparator,
    }).toEqual({
      customer: e.customer,
      date: e.date[0],
      amount: 'as expected',
      dateFormat: e.dateFormats[0],
      dateFormatAmbiguous: false,
      decimalSeparator: e.decimalSeparator,
    });
  });

  it('loads with no flags and rejects only rows a person would drop', () => {
    const { loaded } = requireLoaded();
    const q = loaded.quality;
    // Every line of the file was read as one row.
    expect(q.rows_read).toBe(f.dataRows);
    const unexpected = outcome.rejected.filter((r) => !f.droppableRows.has(Number(r.line)));
    expect(unexpected.slice(0, 10).map((r) => `line ${String(r.line)}: ${String(r.reason)}`)).toEqual([]);
    expect(q.rejected_by_reason[REJECT_REASONS.missingCustomer] ?? 0).toBe(f.missingCustomerRows);
  });

  it('rfm (frequency, recency, T, monetary_value) equals the reference for every customer', () => {
    const { built } = requireLoaded();
    expectNoMismatch(compareRows('rfm', outcome.rfm, ref, RFM_COLUMNS));
    expect(built.rfmCustomers).toBe(ref.customers.size);
    expect(outcome.rfm.every((r) => Number(r.monetary_value) >= 0)).toBe(true);
  });

  it('features (total_spend, purchase days, recency, tenure) equal the reference; customers after the cutoff are counted', () => {
    const { built } = requireLoaded();
    expectNoMismatch(compareRows('features', outcome.features, ref, FEATURE_COLUMNS));
    expect(built.features.customers).toBe(ref.customers.size);
    expect(built.features.customersAfterCutoff).toBe(ref.customersAfterCutoff);
  });

  if (shortName(f) === 'uci') {
    it('the purchase rule on hand-made days (issue 9 §3), worked out from the definition', () => {
      const E = UCI_EDGE_CUSTOMERS;
      // Each value below is computed by hand from the invoices written in exportShapes.ts.
      const hand: Record<string, { frequency: number; monetary_value: number; total_spend: number } | null> = {
        // 1/10: 8 × 12.75 = 102.00; 2/14: 2 × 2.55 − 6 × 12.75 = −71.40 (not a purchase); 3/21: 12 × 1.85 = 22.20.
        [E.cancelExceedsDay]: { frequency: 1, monetary_value: 22.2, total_spend: 102 - 71.4 + 22.2 },
        // 1/10: 2 × 7.65 = 15.30; 2/14 bought and cancelled in full (net 0 with a return); 3/21: 4 × 3.39 = 13.56.
        [E.cancelEqualsDay]: { frequency: 1, monetary_value: 13.56, total_spend: 15.3 + 13.56 },
        // 1/10: 6 × 2.55 = 15.30; 2/14: a free order (0.00, no return) is a purchase; 3/21: 6 × 1.25 = 7.50.
        [E.freeOrder]: { frequency: 2, monetary_value: 3.75, total_spend: 15.3 + 7.5 },
        // 1/10 and 4/18: 6 × 4.25 + 18.00 postage = 43.50 each; 3/21 only a cancellation of −12.75.
        [E.returnOnlyDay]: { frequency: 1, monetary_value: 43.5, total_spend: 43.5 - 12.75 + 43.5 },
        // Its only day nets to zero through a same-day cancellation: never a buyer.
        [E.onlyDayNetsZero]: null,
      };
      for (const [id, want] of Object.entries(hand)) {
        const r = ref.customers.get(id);
        if (want === null) expect(r, id).toBeUndefined();
        else {
          expect(r?.frequency, id).toBe(want.frequency);
          expect(r!.monetary_value).toBeCloseTo(want.monetary_value, 9);
          expect(r!.total_spend).toBeCloseTo(want.total_spend, 9);
        }
      }
      requireLoaded();
      const rfm = new Map(outcome.rfm.map((r) => [String(r.customer_id), r]));
      const features = new Map(outcome.features.map((r) => [String(r.customer_id), r]));
      for (const [id, want] of Object.entries(hand)) {
        if (want === null) {
          expect(rfm.has(id), `${id} must not be in rfm`).toBe(false);
          continue;
        }
        expect({ id, frequency: Number(rfm.get(id)?.frequency) }).toEqual({ id, frequency: want.frequency });
        expect(Number(rfm.get(id)?.monetary_value)).toBeCloseTo(want.monetary_value, 6);
        expect(Number(features.get(id)?.total_spend)).toBeCloseTo(want.total_spend, 6);
      }
    });

    it('the comparison has teeth: the earlier purchase rule, or a day shifted, disagrees with the engine', () => {
      requireLoaded();
      const cutoff = toDay(f.cutoff);
      expect(compareRows('rfm', outcome.rfm, rfmReference(f.transactions, cutoff, 'any-purchase-row'), RFM_COLUMNS).length).toBeGreaterThan(0);
      const shifted = f.transactions.map((t, i) => (i === f.transactions.length >> 1 ? { ...t, day: t.day - 1 } : t));
      expect(compareRows('rfm', outcome.rfm, rfmReference(shifted, cutoff), RFM_COLUMNS).length).toBeGreaterThan(0);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The real CLI on three shapes

/** RFC 4180 rows (the CLI quotes cells holding commas or quotes). */
function parseCsv(text: string): Row[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // node --import tsx rather than npx: npm may add its own warnings to stderr.
    execFile(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli.ts'), ...args], { cwd: REPO, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const CLI_SHAPES = FIXTURES.filter((f) => ['Online Retail.csv', 'Rechnungen_2022-2023.csv', 'purchases.csv'].includes(f.fileName));

describe.each(CLI_SHAPES.map((f) => ({ name: f.name, f })))('CLI features on $name', ({ f }) => {
  it('exits 0 with no mapping flags and rfm.csv equals the reference', async () => {
    const file = writeFixture(f);
    const out = path.join(dir, `cli-${f.fileName.replace(/\W+/g, '-')}`);
    const result = await runCli(['features', file, '--cutoff', f.cutoff, '--out', out]);
    expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 0, stderr: '' });
    const rows = parseCsv(readFileSync(path.join(out, 'rfm.csv'), 'utf8'));
    // The CLI writes text that starts like a formula with a leading apostrophe; ids here never do.
    expectNoMismatch(compareRows('rfm.csv', rows, referenceOf(f), RFM_COLUMNS));
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(summary.customers).toBe(referenceOf(f).customers.size);
  });
});
