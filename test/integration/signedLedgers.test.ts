/**
 * A ledger's signed amounts are not a sales list's (clean/ledgerCredits.ts refuseSignedLedger): the
 * ways on that the refusals name, each through the real engine (DuckDB-WASM), and which of a
 * ledger's two sides is the sale, settled from the whole file (mapping/wholeFileEvidence.ts).
 * Expected rows and spend come from the generator's own invoices, never from the engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { errorLine } from '../../src/node/cliErrorLine';
import { ClvError } from '../../src/core/errors';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { TX, waveTransactions, type Tx } from '../support/badInputCorpus';

let db: Awaited<ReturnType<typeof openWasmDb>>;
let dir: string;

beforeAll(async () => {
  db = await openWasmDb();
  dir = mkdtempSync(path.join(tmpdir(), 'clv-ledgers-'));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const engine = new DataEngine(db);
  const { mapping } = await engine.inspect(nodeSourceFile(file));
  return { engine, mapping };
}

const spendOf = (rows: readonly Tx[]) => rows.reduce((s, t) => s + t[2], 0);
const paidInvoices = TX.filter((_, i) => i % 4 !== 3).length;

describe('signed ledgers: the ways on', () => {
  it('receivable rows with their payments: refused as they are; with returns left out, or the debit column as the amount, the invoices are read', async () => {
    const wave = waveTransactions('receivable');
    const { engine, mapping } = await open('receivable.csv', wave.text);
    expect(mapping.amount).toBe('Amount (One column)');
    const refused = await engine.load(mapping).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClvError);
    expect((refused as ClvError).code).toBe('LEDGER_PAYMENTS');
    expect((refused as ClvError).details).toMatchObject({ column: 'Amount (One column)', debit: 'Debit Amount (Two Column Approach)' });
    // The app shows this sentence as it is: no command-line flag in it (the CLI adds --returns drop: cliErrorLine.ts).
    expect((refused as ClvError).message).not.toMatch(/--/);
    expect(errorLine(refused)).toMatch(/as the kind column\. If every negative row is a payment, --returns drop leaves them out\.$/);

    const dropped = await engine.load(mapping, { returns: 'drop', duplicates: 'auto', allowRejects: false });
    expect(dropped.quality.rows_kept).toBe(wave.invoicesGross.length);
    expect(dropped.quality.returns.rows).toBe(paidInvoices);

    const debit = await engine.load({ ...mapping, amount: 'Debit Amount (Two Column Approach)' });
    expect(debit.quality.rows_kept).toBe(wave.invoicesGross.length);
    expect(debit.quality.rejected_by_reason).toEqual({ 'missing amount': paidInvoices });
    const [row] = await db.query('SELECT sum(amount) AS spend FROM transactions');
    expect(Number(row.spend)).toBeCloseTo(spendOf(wave.invoicesGross), 6);
  });

  it("the Sales account's rows: refused as all negative; with the credit column as the amount, the invoices are read net of tax", async () => {
    const wave = waveTransactions('sales');
    const { engine, mapping } = await open('sales.csv', wave.text);
    const refused = await engine.load(mapping).catch((e: unknown) => e);
    expect((refused as ClvError).code).toBe('NO_VALID_ROWS');
    expect((refused as ClvError).details).toMatchObject({ negatives: TX.length, credit: 'Credit Amount (Two Column Approach)' });
    const credit = await engine.load({ ...mapping, amount: 'Credit Amount (Two Column Approach)' });
    expect(credit.quality.rows_kept).toBe(TX.length);
    const [row] = await db.query('SELECT sum(amount) AS spend FROM transactions');
    expect(Number(row.spend)).toBeCloseTo(spendOf(wave.invoicesNet), 6);
  });

  it('a journal of every account is refused, saying what it is', async () => {
    const { engine, mapping } = await open('journal.csv', waveTransactions('all').text);
    const refused = await engine.load(mapping).catch((e: unknown) => e);
    expect((refused as ClvError).code).toBe('LEDGER_JOURNAL');
    expect((refused as ClvError).details).toMatchObject({ share: 1 });
  });

  it('which side is the sale is decided by the whole file: the side with more rows, beyond the sample', async () => {
    // 600 settled payments under Gross Credit; the first 150 rows (the sample's reach and more) refunds under Gross Debit.
    const lines = ['Creation Date,Type,Gross Debit (GC),Gross Credit (GC),Shopper Reference'];
    let credits = 0;
    let debits = 0;
    for (let i = 0; i < 750; i++) {
      const day = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      if (i < 150) {
        lines.push(`${day} 09:00:00,Refunded,${(5 + (i % 9)).toFixed(2)},,S${i % 40}`);
        debits++;
      } else {
        lines.push(`${day} 09:00:00,Settled,,${(20 + (i % 17)).toFixed(2)},S${i % 40}`);
        credits++;
      }
    }
    const { mapping } = await open('settlement.csv', lines.join('\n') + '\n');
    expect({ amount: mapping.amount, refund: mapping.refund }).toEqual({ amount: 'Gross Credit (GC)', refund: 'Gross Debit (GC)' });
    const decision = mapping.decisions?.find((d) => d.setting === 'ledgerSide');
    expect(decision?.evidence).toEqual({ 'Gross Debit (GC)': debits, 'Gross Credit (GC)': credits });
  });
});
