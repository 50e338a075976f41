/**
 * A representative subset of the bad-input corpus dropped on the real app (production build, real
 * Chromium): each shows its own clear message (its code, a fragment, no engine text) or loads
 * correctly, and a good file loads in the same page after each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusCases, ENGINE_TEXT, writeCorpus, type CorpusCase } from '../support/badInputCorpus';
import { openApp, type Session } from './browser';

/** One per kind of fix: a cut stream, a web page, JSON inside a wrapper (read) and with two lists (refused), broken NDJSON, non-UTF-8 text, extra fields, purchases without a date, an order export's item lines, thousands of columns. */
const SUBSET = [
  'gzip cut in the middle',
  'an HTML error page saved as .csv',
  'JSON wrapper object',
  'JSON wrapper with two lists of records',
  'NDJSON cut in the middle of line 3',
  'UTF-16 BE with BOM',
  'unquoted thousands separators',
  'blank dates on rows that hold an amount',
  'order export with item lines under each order (no date, no total)',
  'an order export repeating the order total on each item line',
  'a sheet saved as displayed: day numbers for dates, Accounting-format amounts',
  '10,000 columns',
];

describe('bad input dropped on the app', () => {
  let s: Session;
  let dir: string;
  let cases: CorpusCase[];
  let files: Map<string, string>;
  let good: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-bad-'));
    cases = corpusCases(dir).filter((c) => SUBSET.includes(c.name));
    files = await writeCorpus(dir, cases);
    good = path.join(dir, 'good.csv');
    const lines = ['customer,date,amount'];
    for (let c = 0; c < 30; c++) for (let k = 0; k < 3; k++) lines.push(`g${c},2024-0${1 + k}-1${c % 9},${(10 + c + k).toFixed(2)}`);
    writeFileSync(good, `${lines.join('\n')}\n`);
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function loadGoodFile(): Promise<void> {
    const { page } = s;
    await page.locator('input[type=file]').setInputFiles(good);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('quality').textContent()).toContain('90');
    await page.getByRole('button', { name: 'Open another file' }).click();
  }

  it.each(SUBSET)('%s: a clear outcome, then a good file loads', async (name) => {
    const { page } = s;
    const c = cases.find((x) => x.name === name)!;
    await page.locator('input[type=file]').setInputFiles(files.get(name)!);
    if (c.outcome.kind === 'error') {
      const error = page.getByTestId('error');
      await error.waitFor({ timeout: 60_000 });
      expect(await error.getAttribute('data-code')).toBe(c.outcome.code);
      const text = (await error.textContent()) ?? '';
      expect(text).toMatch(c.outcome.fragment);
      expect(text).not.toMatch(ENGINE_TEXT);
      if (c.outcome.code === 'TOO_MANY_REJECTS') {
        // The file opened, so the page stays at its mapping with the rejected-rows review.
        await page.getByTestId('rejection-review').waitFor();
      }
      // A file that opened (the error came after the mapping) is closed before the next one.
      const another = page.getByRole('button', { name: 'Open another file' });
      if ((await another.count()) > 0) await another.click();
    } else {
      await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('error').count()).toBe(0);
      const quality = (await page.getByTestId('quality').textContent()) ?? '';
      // Rows kept, as the report writes them, and every rejection reason by name.
      expect(quality).toContain(`${c.outcome.kept.length}`);
      for (const reason of Object.keys(c.outcome.rejected ?? {})) expect(quality).toContain(reason);
      if (name === 'an order export repeating the order total on each item line') expect(quality).toMatch(/so it was counted once per order \(60 repeated lines count 0\)/);
      if (name === 'a sheet saved as displayed: day numbers for dates, Accounting-format amounts') {
        // The date format the engine read, in words, as the mapping editor shows it.
        expect(await page.locator('[data-testid="mapping"] select[data-role="dateFormat"]').inputValue()).toBe('excel_serial');
        // With the day the first row's number stands for (the corpus's first row is 2024-01-05).
        expect(await page.locator('[data-testid="mapping"] select[data-role="dateFormat"] option:checked').textContent()).toMatch(/spreadsheet day number .* — e\.g\. 45296 = 2024-01-05$/);
      }
      if (name === '10,000 columns') {
        // The editor lists a capped number of columns and says how many the file has.
        expect(await page.getByTestId('columns-capped').textContent()).toContain('10,000 columns');
        const options = await page.locator('[data-testid="mapping"] select[data-role="customer"] option').count();
        expect(options).toBeLessThanOrEqual(202);
      }
      await page.getByRole('button', { name: 'Open another file' }).click();
    }
    await loadGoodFile();
    expect(s.pageErrors).toEqual([]);
  });

  it('the quality report says when the customer column identifies rows, and when only won deals count', async () => {
    const { page } = s;
    const payments = path.join(dir, 'balance_history.csv');
    const deals = path.join(dir, 'opportunities.csv');
    const day = (i: number) => `2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    writeFileSync(payments, ['id,Created,Amount', ...Array.from({ length: 250 }, (_, i) => `txn_${1000 + i},${day(i)},${(10 + (i % 37)).toFixed(2)}`)].join('\n') + '\n');
    writeFileSync(deals, ['Account Name,Close Date,Stage,Amount', ...Array.from({ length: 240 }, (_, i) => `Acct ${i % 40},${day(i)},${['Closed Won', 'Closed Lost', 'Prospecting'][i % 3]},${(1000 + i).toFixed(2)}`)].join('\n') + '\n');
    await page.locator('input[type=file]').setInputFiles(payments);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('quality').textContent()).toMatch(/Almost every row has a customer id of its own in "id" \(250 customers in 250 rows\)/);
    await page.getByRole('button', { name: 'Open another file' }).click();
    await page.locator('input[type=file]').setInputFiles(deals);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    const quality = (await page.getByTestId('quality').textContent()) ?? '';
    expect(quality).toMatch(/"Stage" is a sales pipeline \(it holds Closed Won\): only won deals are counted as sales/);
    expect(quality).toContain('payment not completed');
    await page.getByRole('button', { name: 'Open another file' }).click();
    await loadGoodFile();
    expect(s.pageErrors).toEqual([]);
  });

  it('says when whole-number amounts beside a currency may be cents, and a column the customer is moved off becomes the kind', async () => {
    const { page } = s;
    const paddle = path.join(dir, 'paddle_transactions.json');
    const ledger = path.join(dir, 'netsuite_transactions.csv');
    const day = (i: number) => `2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const data = Array.from({ length: 60 }, (_, i) => ({ id: `txn_${i}`, status: 'completed', customer_id: `ctm_${i % 9}`, currency_code: 'USD', details: { totals: { total: String(900 + 1000 * (i % 5)) } }, created_at: `${day(i)}T10:00:00Z` }));
    writeFileSync(paddle, JSON.stringify({ data, meta: { pagination: { has_more: false } } }));
    writeFileSync(ledger, ['Type,Date,Name,Amount', ...Array.from({ length: 60 }, (_, i) => `${['Invoice', 'Payment', 'Invoice'][i % 3]},${day(i)},Client ${i % 7},${(100 + i).toFixed(2)}`)].join('\n') + '\n');
    await page.locator('input[type=file]').setInputFiles(paddle);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('quality').textContent()).toMatch(/Every amount in "details\.totals\.total" \(60 rows\) is a whole number beside a currency code/);
    await page.getByRole('button', { name: 'Open another file' }).click();
    await page.locator('input[type=file]').setInputFiles(ledger);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    // Every third row a payment (60 rows): left out, and said why.
    expect(await page.getByTestId('quality').textContent()).toMatch(/20 row\(s\) whose "Type" says they are not purchases were left out \(authorizations, voids, payouts, quotes, item lines, sales orders not yet invoiced, and payments, which in a ledger that holds invoices \(or sales as rows of their own\) settle invoices already counted\)/);
    const mapping = page.getByTestId('mapping');
    expect(await mapping.locator('select[data-role="kind"]').inputValue()).toBe('Type');
    // A user who first puts the customer on "Type" (and the kind to none), then back on "Name": "Type" is the kind again.
    await mapping.locator('select[data-role="kind"]').selectOption({ label: '— none —' });
    await mapping.locator('select[data-role="customer"]').selectOption('Type');
    await mapping.locator('select[data-role="customer"]').selectOption('Name');
    expect(await mapping.locator('select[data-role="kind"]').inputValue()).toBe('Type');
    await page.getByRole('button', { name: 'Open another file' }).click();
    await loadGoodFile();
    expect(s.pageErrors).toEqual([]);
  });

  it('several files dropped at once are refused, naming them, and one dropped file loads', async () => {
    const { page } = s;
    const csv = 'customer,date,amount\n' + Array.from({ length: 40 }, (_, i) => `m${i % 8},2024-0${1 + (i % 6)}-1${i % 9},${(5 + i).toFixed(2)}`).join('\n') + '\n';
    const drop = async (names: string[]) => {
      const transfer = await page.evaluateHandle(
        ({ names, csv }) => {
          const t = new DataTransfer();
          for (const name of names) t.items.add(new File([csv], name, { type: 'text/csv' }));
          return t;
        },
        { names, csv },
      );
      await page.locator('.drop').dispatchEvent('drop', { dataTransfer: transfer });
    };
    await drop(['orders_2024_01.csv', 'orders_2024_02.csv', 'orders_2024_03.csv', 'orders_2024_04.csv']);
    const error = page.getByTestId('error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.getAttribute('data-code')).toBe('SEVERAL_FILES');
    expect(await error.textContent()).toMatch(/4 files were dropped \("orders_2024_01\.csv", "orders_2024_02\.csv", "orders_2024_03\.csv", …\); CLV Studio reads one file at a time/);
    // Nothing was read: no mapping, no tables.
    expect(await page.getByTestId('mapping').count()).toBe(0);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await drop(['orders_2024.csv']);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('quality').textContent()).toContain('orders_2024.csv');
    await page.getByRole('button', { name: 'Open another file' }).click();
    expect(s.pageErrors).toEqual([]);
  });
});
