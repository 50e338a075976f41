/**
 * Checks the prototype engine (test/bench/proto) against the real one: same inspection, quality
 * report, build result and the same rows in transactions, customer_days, rejected, rfm, features
 * and visitante (floats to 1e-9 relative), on edge-case files and a synthetic log.
 *
 *   npx tsx test/bench/proto/compare.ts [--wasm] [--rows 100000]
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Row, SqlDb } from '../../../src/core/db';
import { DataEngine, type BuildOptions } from '../../../src/core/engine';
import type { CleaningOptions } from '../../../src/core/clean/staging';
import { DEFAULT_VISITANTE } from '../../../src/core/tables/visitante';
import { openNativeDb } from '../../../src/node/nativeDb';
import { openWasmDb } from '../../../src/node/wasmDb';
import { DEFAULT_GENERATOR, generateTransactions, writeCsv } from '../../support/transactionGenerator';
import { readHead } from '../flow';
import { ensureSyntheticLog } from '../syntheticLog';
import { ProtoEngine } from './engine';

interface Case {
  name: string;
  file: string;
  cleaning?: CleaningOptions;
  build?: (loaded: { cutoff: string; horizonEnd: string | null }) => Partial<BuildOptions>;
}

const useWasm = process.argv.includes('--wasm');
const rowsArg = process.argv.indexOf('--rows');
const synthRows = rowsArg >= 0 ? Number(process.argv[rowsArg + 1]) : 100_000;

function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
    return ka.every((k) => close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function compareRows(name: string, a: Row[], b: Row[], key: (r: Row) => string, drop: string[] = []): string[] {
  const strip = (r: Row) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)));
  const problems: string[] = [];
  if (a.length !== b.length) problems.push(`${name}: ${a.length} rows vs ${b.length}`);
  const mb = new Map(b.map((r) => [key(r), strip(r)]));
  let shown = 0;
  for (const ra of a) {
    const rb = mb.get(key(ra));
    if (!close(strip(ra), rb) && shown++ < 3) problems.push(`${name} ${key(ra)}: ${JSON.stringify(strip(ra))} vs ${JSON.stringify(rb)}`);
  }
  return problems;
}

async function run(engine: DataEngine | ProtoEngine, db: SqlDb, c: Case) {
  const { head, size } = readHead(c.file);
  const inspection = await engine.inspect({ fileName: path.basename(c.file), path: c.file, head, size });
  const loaded = await engine.load(inspection.mapping, c.cleaning);
  const built = await engine.build({ period: loaded.period, unit: 'day', ...(c.build?.(loaded.period) ?? {}) });
  const tables: Record<string, Row[]> = {};
  for (const t of ['transactions', 'customer_days', 'rejected', 'rfm', 'features', 'visitante']) tables[t] = await db.query(`SELECT * FROM ${t}`);
  return { inspection, quality: loaded.quality, built, tables };
}

async function open(): Promise<SqlDb & { close(): void }> {
  return useWasm ? openWasmDb() : openNativeDb();
}

function oddAmountsFile(): string {
  const lines = ['customer,date,amount'];
  const amounts = ['12.50', '-3', '+4.25', '$1,234.50', '(12.00)', '1e5', '.5', '7.', ' 8.10 ', 'abc', '', '0', '-0', '1 234.5', '12,50', '€ 9.99', '1.234.567', '007'];
  let i = 0;
  for (let c = 0; c < 40; c++) {
    for (let k = 0; k < 6; k++) {
      const day = `2023-${String(1 + ((c + k * 2) % 12)).padStart(2, '0')}-${String(1 + ((c * 7 + k) % 28)).padStart(2, '0')}`;
      lines.push(`${c % 13 === 12 ? '' : `cust${c}`},${k === 5 && c % 9 === 0 ? 'not a date' : day},"${amounts[i++ % amounts.length]}"`);
    }
  }
  const file = path.join(os.tmpdir(), 'clv-proto-odd-amounts.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function oddDatesFile(): string {
  const lines = ['customer,date,amount'];
  const odd = ['2024-01-1Z', '2024-02-30', 'abcd-ef-gh', '2024-1-05', ' 2024-03-04 ', '2024-03-04T23:30:00+02:00', '2024-03-04 01:00:00-05:00', '2024-13-01', '0024-01-01', '2024-03-04Z'];
  for (let i = 0; i < 400; i++) {
    const date = i % 20 === 0 ? odd[(i / 20) % odd.length] : `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    lines.push(`c${i % 37},${date},${(i % 50) + 0.5}`);
  }
  const file = path.join(os.tmpdir(), 'clv-proto-odd-dates.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function main(): Promise<void> {
  const plain = writeCsv(generateTransactions({ ...DEFAULT_GENERATOR, withOrders: false })).path;
  const orders = writeCsv(generateTransactions({ ...DEFAULT_GENERATOR, withOrders: true })).path;
  const stamps = writeCsv(generateTransactions({ ...DEFAULT_GENERATOR, withOrders: true }), { timestamps: true }).path;
  const odd = oddAmountsFile();
  const synth = ensureSyntheticLog(synthRows).path;
  const edge = (p: { cutoff: string; horizonEnd: string | null }) => ({ period: { cutoff: DEFAULT_GENERATOR.cutoff, horizonEnd: DEFAULT_GENERATOR.horizonEnd }, ...(p ? {} : {}) });
  const cases: Case[] = [
    { name: 'edge, no orders', file: plain, build: edge },
    { name: 'edge, orders', file: orders, build: edge },
    { name: 'edge, orders, drop returns + remove duplicates', file: orders, cleaning: { returns: 'drop', duplicates: 'remove' }, build: edge },
    { name: 'edge, timestamps, week, zscore/exponential r=3', file: stamps, build: () => ({ period: { cutoff: DEFAULT_GENERATOR.cutoff, horizonEnd: DEFAULT_GENERATOR.horizonEnd }, unit: 'week', visitante: { ...DEFAULT_VISITANTE, r: 3, distribution: 'exponential', normalisation: 'zscore' } }) },
    { name: 'edge, no horizon, r=1', file: plain, build: () => ({ period: { cutoff: DEFAULT_GENERATOR.cutoff, horizonEnd: null }, visitante: { ...DEFAULT_VISITANTE, r: 1 } }) },
    { name: 'odd amounts and rejects', file: odd },
    { name: 'odd ISO-ish dates', file: oddDatesFile() },
    { name: `synthetic ${synthRows}`, file: synth },
  ];
  let failures = 0;
  for (const c of cases) {
    const dbA = await open();
    const dbB = await open();
    const a = await run(new DataEngine(dbA), dbA, c);
    const b = await run(new ProtoEngine(dbB), dbB, c);
    const problems: string[] = [];
    if (!close(a.inspection, b.inspection)) problems.push('inspection differs');
    if (!close(a.quality, b.quality)) problems.push(`quality differs: ${JSON.stringify(a.quality)} vs ${JSON.stringify(b.quality)}`);
    if (!close(a.built, b.built)) problems.push(`build result differs: ${JSON.stringify(a.built)} vs ${JSON.stringify(b.built)}`);
    problems.push(...compareRows('transactions', a.tables.transactions, b.tables.transactions, (r) => String(r.row_id)));
    problems.push(...compareRows('customer_days', a.tables.customer_days, b.tables.customer_days, (r) => `${r.customer_id}|${r.day}`, ['n_lines']));
    problems.push(...compareRows('rejected', a.tables.rejected, b.tables.rejected, (r) => String(r.line)));
    for (const t of ['rfm', 'features', 'visitante']) problems.push(...compareRows(t, a.tables[t], b.tables[t], (r) => String(r.customer_id)));
    // Row order of the customer tables is part of the contract (ORDER BY customer_id / score).
    for (const t of ['rfm', 'features']) {
      if (a.tables[t].map((r) => r.customer_id).join() !== b.tables[t].map((r) => r.customer_id).join()) problems.push(`${t}: row order differs`);
    }
    const rows = a.tables.transactions.length;
    console.log(`${problems.length === 0 ? 'SAME' : 'DIFF'}  ${c.name} (${rows} transactions, ${a.tables.features.length} customers)`);
    for (const p of problems.slice(0, 8)) console.log(`      ${p.slice(0, 400)}`);
    if (problems.length) failures++;
    dbA.close();
    dbB.close();
  }
  console.log(failures === 0 ? 'prototype matches the engine on every case' : `${failures} case(s) differ`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
