/**
 * Rows left out by what a column says (a status not completed, a kind that is not a purchase, a
 * test flag) are counted in the quality report's structured fields, which the app words: the
 * column, the rows (counted here from the generated rows) and, for kinds, how the column was read
 * (a ledger holding invoices, Sage 50 codes, an event log, payments' kinds).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../src/core/db';
import { DataEngine } from '../../src/core/engine';
import { Rng } from '../../src/core/random';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';

let db: SqlDb;
let dir: string;

beforeAll(async () => {
  db = await openWasmDb();
  dir = mkdtempSync(path.join(tmpdir(), 'clv-left-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `rows` rows whose `kind` cell is drawn from `kinds`; returns its path and how many rows had each kind. */
function kindFile(name: string, header: string, kinds: string[], line: (kind: string, i: number, rng: Rng) => string): { file: string; counts: Map<string, number> } {
  const rng = new Rng(name.length * 7919);
  const counts = new Map<string, number>();
  const lines = [header];
  for (let i = 0; i < 240; i++) {
    const kind = kinds[rng.int(kinds.length)];
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    lines.push(line(kind, i, rng));
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, counts };
}

const day = (i: number) => `2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`;
const sum = (counts: Map<string, number>, keys: string[]) => keys.reduce((s, k) => s + (counts.get(k) ?? 0), 0);

async function quality(file: string) {
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(file));
  return (await engine.load(inspection.mapping)).quality;
}

describe('rows left out by what a column says', () => {
  it('a ledger holding invoices: its payments', async () => {
    const { file, counts } = kindFile('ledger.csv', 'Type,Date,Name,Amount', ['Invoice', 'Payment', 'Credit Memo'], (kind, i, rng) => `${kind},${day(i)},Client ${rng.int(12)},${(20 + rng.int(500)).toFixed(2)}`);
    const q = await quality(file);
    expect(q.not_purchases).toEqual({ column: 'Type', rows: counts.get('Payment'), reading: 'ledger' });
    expect(q.not_completed).toBeUndefined();
    expect(q.test_rows).toBeUndefined();
  });

  it('Sage 50 type codes: everything but SI and SC', async () => {
    const codes = ['SI', 'SI', 'SC', 'SR', 'SA', 'BR', 'PI', 'JD'];
    const { file, counts } = kindFile('sage.csv', 'Type,Date,Account,Net', codes, (kind, i, rng) => `${kind},${day(i)},CUST${rng.int(15)},${(20 + rng.int(500)).toFixed(2)}`);
    const q = await quality(file);
    expect(q.not_purchases).toEqual({ column: 'Type', rows: sum(counts, ['SR', 'SA', 'BR', 'PI', 'JD']), reading: 'sage' });
  });

  it('an event log: events other than purchases and refunds', async () => {
    const events = ['purchase', 'view_item', 'add_to_cart', 'begin_checkout'];
    const { file, counts } = kindFile('events.csv', 'event_name,event_date,user_id,value', events, (kind, i, rng) => `${kind},${day(i)},u${rng.int(20)},${(5 + rng.int(90)).toFixed(2)}`);
    const q = await quality(file);
    expect(q.not_purchases).toEqual({ column: 'event_name', rows: sum(counts, ['view_item', 'add_to_cart', 'begin_checkout']), reading: 'events' });
  });

  it('payments: statuses not completed and a test flag', async () => {
    // The status and the flag drawn independently; a test row whose status also failed counts once, as not completed.
    const statuses = ['paid', 'paid', 'paid', 'failed', 'pending'];
    const rng = new Rng(5);
    let notCompleted = 0;
    let tests = 0;
    const lines = ['Customer Email,Created,Amount,Status,Test Mode'];
    for (let i = 0; i < 240; i++) {
      const status = statuses[rng.int(statuses.length)];
      const test = rng.int(6) === 0;
      if (status !== 'paid') notCompleted++;
      else if (test) tests++;
      lines.push(`c${rng.int(25)}@example.com,${day(i)},${(10 + rng.int(200)).toFixed(2)},${status},${test ? 'Yes' : 'No'}`);
    }
    const file = path.join(dir, 'payments.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const q = await quality(file);
    expect(q.not_completed).toEqual({ column: 'Status', rows: notCompleted });
    expect(q.test_rows).toEqual({ column: 'Test Mode', rows: tests });
    expect(q.not_purchases).toBeUndefined();
  });
});
