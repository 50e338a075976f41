import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, screenshot, type Session } from './browser';

describe('data flow in Chromium (production build under a subpath)', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('loads the bundled sample: mapping, quality report and RFM table', async () => {
    const { page } = s;
    await page.getByTestId('sample').click();
    await page.getByTestId('mapping').waitFor();
    await expect(page.getByTestId('format').textContent()).resolves.toContain('whitespace-separated');
    await page.getByTestId('rfm-table').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor();
    const quality = await page.getByTestId('quality').textContent();
    expect(quality).toContain('6,919');
    await screenshot(page, 'sample-rfm');
  });

  it('shows a clear error for a bad file and recovers with a good one', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Open another file' }).click();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-'));
    const png = path.join(dir, 'photo.csv');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]));
    await page.locator('input[type=file]').setInputFiles(png);
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('error').getAttribute('data-code')).toBe('IMAGE_FILE');
    await screenshot(page, 'bad-file');
    const good = path.join(dir, 'good.csv');
    const lines = ['customer,date,amount'];
    for (let c = 0; c < 30; c++) for (let k = 0; k < 3; k++) lines.push(`c${c},2024-0${1 + k}-1${c % 9},${(10 + c + k).toFixed(2)}`);
    writeFileSync(good, `${lines.join('\n')}\n`);
    // A confident guess loads at once (the e2e contract: file in, RFM table out).
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByTestId('rfm-table').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('error').count()).toBe(0);
  });

  it('waits at the mapping step when the day/month order cannot be told, and loads once it is chosen', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Open another file' }).click();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-'));
    const file = path.join(dir, 'ambiguous.csv');
    // Every day and month is 1–12: 03/04/2024 may be 3 April or 4 March.
    const lines = ['customer,date,amount'];
    for (let c = 0; c < 30; c++) for (let k = 0; k < 3; k++) lines.push(`c${c},0${1 + k}/${String(1 + (c % 12)).padStart(2, '0')}/2024,${(10 + c + k).toFixed(2)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await page.locator('input[type=file]').setInputFiles(file);
    const mapping = page.getByTestId('mapping');
    await mapping.getByRole('alert').waitFor();
    expect(await mapping.getByRole('alert').textContent()).toContain('day-first or month-first');
    // Nothing is loading: the page waits for the answer.
    expect(await page.getByTestId('busy').count()).toBe(0);
    expect(await page.getByTestId('quality').count()).toBe(0);
    // The guess is day-first; the user says month-first.
    expect(await mapping.locator('select[data-role="dateFormat"]').inputValue()).toBe('dmy');
    await mapping.locator('select[data-role="dateFormat"]').selectOption('mdy');
    expect(await mapping.getByRole('alert').count()).toBe(0);
    await page.getByTestId('confirm-mapping').click();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    // Month-first: 03/12/2024 is 12 March, the last day (day-first it would be 3 December).
    const quality = (await page.getByTestId('quality').textContent()) ?? '';
    expect(quality).toContain('2024-01-01');
    expect(quality).toContain('2024-03-12');
    expect(quality).not.toContain('2024-12-03');
  });

  it('waits at the mapping step when "1.234" may be thousands or three decimals, and reads the amounts as chosen', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Open another file' }).click();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-'));
    const file = path.join(dir, 'grouped.csv');
    // Whole euros of 1.000 … 9.999 with "." grouping thousands, and nothing that tells.
    const lines = ['Kunde;Datum;Betrag'];
    for (let c = 0; c < 30; c++) for (let k = 0; k < 3; k++) lines.push(`k${c};${10 + c % 18}.0${1 + k}.2024;${1 + ((c + k) % 9)}.${String(100 + 7 * c + k).padStart(3, '0')}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await page.locator('input[type=file]').setInputFiles(file);
    const mapping = page.getByTestId('mapping');
    await mapping.getByTestId('decimal-ambiguous').waitFor();
    expect(await mapping.getByTestId('decimal-ambiguous').textContent()).toContain('90 amounts in the file are written that way');
    expect(await page.getByTestId('busy').count()).toBe(0);
    expect(await page.getByTestId('quality').count()).toBe(0);
    // The user says the point groups thousands, from the keyboard.
    await mapping.locator('select[data-role="decimalSeparator"]').focus();
    await mapping.locator('select[data-role="decimalSeparator"]').selectOption(',');
    expect(await mapping.getByTestId('decimal-ambiguous').count()).toBe(0);
    await page.getByTestId('confirm-mapping').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    // Read as thousands every amount is 1,000 or more, and so is the extreme-amount threshold
    // (read as decimals it would be under 10).
    const extremes = (await page.getByTestId('quality').locator('tr', { hasText: 'Extreme amounts' }).textContent()) ?? '';
    const threshold = Number(extremes.replace(/.* above /, '').replace(/[^\d.]/g, ''));
    expect(threshold, extremes).toBeGreaterThan(1000);
  });

  it('never requests anything outside its own origin', () => {
    const origin = new URL(s.url).origin;
    const outside = s.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(outside).toEqual([]);
  });
});
