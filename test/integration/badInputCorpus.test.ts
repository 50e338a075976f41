/**
 * Every case of the bad-input corpus through the real engine (DuckDB-WASM, Node build), one engine
 * for the whole corpus with a good file loaded after each case; a handful through the real CLI.
 * A load must keep exactly the rows the generator wrote (rows, customers and total spend computed
 * here from the generator's list); an error must carry its code, say what it is about, and hold
 * no engine text.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type SourceFile } from '../../src/core/engine';
import { ClvError } from '../../src/core/errors';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { corpusCases, CORPUS_CUTOFF, csvText, ENGINE_TEXT, TX, writeCorpus, type CorpusCase, type Tx } from '../support/badInputCorpus';
import { readCsvTable } from '../support/compareTables';

const REPO = path.resolve(__dirname, '../..');

let dir: string;
let cases: CorpusCase[];
let files: Map<string, string>;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let engine: DataEngine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-corpus-'));
  cases = corpusCases(dir);
  files = await writeCorpus(dir, cases);
  writeFileSync(path.join(dir, 'good.csv'), csvText(TX));
  db = await openWasmDb();
  engine = new DataEngine(db);
}, 60_000);

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The file as the CLI and the worker hand it over; a claimed size stands in for a huge file. */
function sourceOf(c: CorpusCase, file: string): SourceFile {
  const real = nodeSourceFile(file);
  if (c.claimedSize === undefined) return real;
  const size = c.claimedSize;
  return { ...real, size, bytes: { byteLength: size, slice: (start, end = size) => real.bytes!.slice(start, Math.min(end, real.size)) } };
}

async function run(source: SourceFile) {
  const inspection = await engine.inspect(source);
  const { quality } = await engine.load(inspection.mapping);
  await engine.build({ period: { cutoff: CORPUS_CUTOFF, horizonEnd: null }, unit: 'day' });
  return { inspection, quality };
}

/** Rows, customers and spend of the generator's list, computed here. */
function expected(kept: readonly Tx[]) {
  return {
    rows: kept.length,
    customers: [...new Set(kept.map((t) => t[0]))].sort(),
    spend: kept.reduce((s, t) => s + t[2], 0),
  };
}

async function expectGoodFileLoads(): Promise<void> {
  const { quality } = await run(nodeSourceFile(path.join(dir, 'good.csv')));
  expect(quality.rows_kept).toBe(TX.length);
  expect(quality.customers).toBe(4);
}

describe('bad-input corpus through the engine (DuckDB-WASM)', () => {
  // Names are known before the corpus is written (the folder only exists in beforeAll).
  for (const c of corpusCases('/nowhere')) {
    const label = c.outcome.kind === 'load' ? 'loads correctly' : c.outcome.code;
    it(`${c.name} → ${label}, then a good file loads`, async () => {
      const file = files.get(c.name)!;
      const outcome = c.outcome;
      if (outcome.kind === 'error') {
        let error: unknown = null;
        try {
          await run(sourceOf(c, file));
        } catch (e) {
          error = e;
        }
        expect(error, `${c.name} was accepted`).toBeInstanceOf(ClvError);
        const clv = error as ClvError;
        expect(clv.code, clv.message).toBe(outcome.code);
        expect(clv.message).toMatch(outcome.fragment);
        expect(clv.message).not.toMatch(ENGINE_TEXT);
      } else {
        const { quality } = await run(sourceOf(c, file));
        const want = expected(outcome.kept);
        expect(quality.rows_kept).toBe(want.rows);
        expect(quality.customers).toBe(want.customers.length);
        expect(quality.rejected_by_reason).toEqual(outcome.rejected ?? {});
        const transactions = await engine.rows('transactions');
        expect([...new Set(transactions.map((r) => String(r.customer_id)))].sort()).toEqual(want.customers);
        expect(transactions.reduce((s, r) => s + Number(r.amount), 0)).toBeCloseTo(want.spend, 6);
        if (outcome.warning) expect(quality.warnings.join('\n')).toMatch(outcome.warning);
      }
      await expectGoodFileLoads();
    }, 120_000);
  }
});

// Each case is its own CLI process: they run side by side (vitest's maxConcurrency), each in its own output folder.
describe.concurrent('bad-input corpus through the CLI', () => {
  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli.ts'), ...args], { cwd: REPO, timeout: 180_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  for (const c of corpusCases('/nowhere').filter((x) => x.cli)) {
    it(`${c.name}`, async ({ expect }) => {
      const out = path.join(dir, `out_${c.file.replace(/\W/g, '_')}`);
      const file = files.get(c.name)!;
      const r = await cli(['features', file, '--cutoff', CORPUS_CUTOFF, '--out', out]);
      const outcome = c.outcome;
      if (outcome.kind === 'error') {
        expect(r.code).not.toBe(0);
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0].startsWith(`${outcome.code}: `), lines[0]).toBe(true);
        expect(lines[0]).toMatch(outcome.fragment);
        // The path the user typed may be echoed; nothing else of the machine's.
        expect(lines[0].replaceAll(file, '<file>')).not.toMatch(ENGINE_TEXT);
      } else {
        expect(r.code, r.stderr).toBe(0);
        const summary = JSON.parse(r.stdout) as { rows_read: number; rows_rejected: number };
        const rejected = Object.values(outcome.rejected ?? {}).reduce((s, n) => s + n, 0);
        expect(summary.rows_rejected).toBe(rejected);
        expect(summary.rows_read).toBe(outcome.kept.length + rejected);
        // What the CLI wrote, against the generator's rows: each customer's spend, and the warning.
        const features = readCsvTable(path.join(out, 'features.csv'));
        const [id, spend] = ['customer_id', 'total_spend'].map((name) => features.header.indexOf(name));
        const written = new Map<string, number>();
        for (const [customer, , amount] of outcome.kept) written.set(customer, (written.get(customer) ?? 0) + amount);
        expect(features.rows.length).toBeGreaterThan(0);
        for (const row of features.rows) expect(Number(row[spend]), row[id]).toBeCloseTo(written.get(row[id])!, 6);
        if (outcome.warning) expect((JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8')) as { warnings: string[] }).warnings.join('\n')).toMatch(outcome.warning);
      }
    }, 180_000);
  }
});
