/**
 * The 1% rejection guard in the app: a mapping that would lose more than 1% of the rows to a parse
 * reason builds nothing; the page shows the count, the first rows as written and the readings
 * that parse them, one click applies a reading, and "load without these rows" is the user's say-so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, screenshot, type Session } from './browser';

describe('rejected rows are reviewed, never lost silently', () => {
  let s: Session;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-rejects-'));
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a wrong date order chosen by hand is refused, and the reading offered fixes it', async () => {
    const { page } = s;
    // Month-first dates with days above 12 early on: the guess is month/day/year and it loads at once.
    const lines = ['customer,date,amount'];
    for (let i = 0; i < 600; i++) lines.push(`c${i % 40},${1 + (i % 12)}/${1 + (i % 28)}/2023,${(5 + (i % 17)).toFixed(2)}`);
    const file = path.join(dir, 'us-dates.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const dayAbove12 = Array.from({ length: 600 }, (_, i) => 1 + (i % 28)).filter((d) => d > 12).length;
    await page.getByTestId('sample').waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    // The user switches to day/month/year and reloads: most rows no longer read.
    const mapping = page.getByTestId('mapping');
    await mapping.locator('select[data-role="dateFormat"]').selectOption('dmy');
    await page.getByTestId('confirm-mapping').click();
    const review = page.getByTestId('rejection-review');
    await review.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('error').getAttribute('data-code')).toBe('TOO_MANY_REJECTS');
    expect(await page.getByTestId('rfm-table').count()).toBe(0);
    const text = (await review.textContent()) ?? '';
    expect(text).toContain(`${dayAbove12} rows: unparseable date in "date"`);
    await screenshot(page, 'rejection-review');
    const fix = review.getByTestId('rejection-fix').first();
    expect(await fix.textContent()).toContain('month/day/year');
    await fix.click();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rows-rejected').textContent()).toBe('0');
  });

  it('mixed formats: the first rejected rows are shown, and loading without them is the user’s say-so', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Open another file' }).click();
    const lines = ['customer,date,amount'];
    for (let i = 0; i < 1200; i++) lines.push(`c${i % 50},2024-0${1 + (i % 9)}-1${i % 10},${(10 + (i % 13)).toFixed(2)}`);
    for (let i = 0; i < 60; i++) lines.push(`c${i % 50},2${i % 8}/0${1 + (i % 9)}/2024,7.00`);
    const file = path.join(dir, 'mixed.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await page.locator('input[type=file]').setInputFiles(file);
    const review = page.getByTestId('rejection-review');
    await review.waitFor({ timeout: 60_000 });
    const text = (await review.textContent()) ?? '';
    expect(text).toContain('60 of 1,260 rows');
    // Line 1,201 is the first day-first date, shown as written.
    expect(text).toContain('1,201');
    expect(text).toContain('20/01/2024');
    await review.getByTestId('load-anyway').click();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rows-rejected').textContent()).toBe('60');
    expect(await page.getByTestId('rejection-review').count()).toBe(0);
  });
  it('amounts in several currencies: the review names them, and keeping one is a keyboard press away', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Open another file' }).click();
    const lines = ['customer,date,amount'];
    const written: { currency: string; amount: number }[] = [];
    for (let i = 0; i < 900; i++) {
      const currency = i % 3 === 0 ? 'EUR' : 'USD';
      const amount = 5 + (i % 23) + (i % 7) / 4;
      written.push({ currency, amount });
      lines.push(`c${i % 60},2024-0${1 + (i % 9)}-1${i % 10},${currency === 'EUR' ? `${amount.toFixed(2)} €` : `$${amount.toFixed(2)}`}`);
    }
    const file = path.join(dir, 'two-currencies.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const euro = written.filter((w) => w.currency === 'EUR').length;
    await page.locator('input[type=file]').setInputFiles(file);
    const review = page.getByTestId('rejection-review');
    await review.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rfm-table').count()).toBe(0);
    const group = review.locator('[data-reason="another currency"]');
    expect(await group.textContent()).toContain(`${euro} rows: another currency in "amount"`);
    await screenshot(page, 'rejection-review-currencies');
    const keep = group.getByRole('button', { name: /Keep only the EUR rows instead/ });
    await keep.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rows-rejected').textContent()).toBe(String(written.length - euro));
    expect(await page.getByTestId('currencies').textContent()).toContain(`only EUR kept, the others left out (rows: $ ${written.length - euro}, EUR ${euro})`);
  });
});
