/**
 * Names and values from the file are data, never markup or formulas: an HTML/script payload in a
 * header cell and in values is shown as text and runs nothing; spreadsheet formulas (=, +, -, @)
 * come out of every CSV export neutralised, and the HTML report escapes them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, openApp, outsideOrigin, screenshot, setQuickTraining, trainAndWait, type Session } from './browser';

const XSS = '<img src=x onerror=alert(1)>';
const HYPERLINK = '=HYPERLINK("http://evil.example","click")';
const HOSTILE_IDS = [XSS, HYPERLINK, '+1', '@SUM(1+1)', '-2+3'];

function csvQuote(v: string): string {
  return `"${v.replaceAll('"', '""')}"`;
}

function hostileFile(): string {
  const lines = [`customer,date,amount,${csvQuote(XSS)}`];
  const categories = ['<script>alert(2)</script>', '=1+1', '+cmd', '@A1', 'books'];
  HOSTILE_IDS.forEach((id, i) => {
    for (let k = 0; k < 3; k++) lines.push(`${csvQuote(id)},2024-0${1 + k}-1${i},${(10 + i + k).toFixed(2)},${csvQuote(categories[(i + k) % categories.length])}`);
  });
  // Enough ordinary customers, buying into the later months, that training has a horizon with
  // buyers in it (a comparison needs at least 20 of them).
  for (let c = 0; c < 200; c++) for (let k = 0; k < 1 + (c % 4); k++) lines.push(`c${c},2024-0${1 + k + (c % 3)}-${10 + (c % 18)},${(5 + (c % 40) + k).toFixed(2)},books`);
  // A row the cleaning rejects, itself carrying a formula: the rejected-rows download must neutralise it.
  lines.push(`${csvQuote("=cmd|' /C calc'!A0")},not-a-date,1.00,x`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-xss-'));
  const file = path.join(dir, 'hostile.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Every CSV cell that starts with =, +, - or @ must have been prefixed with an apostrophe. */
function dangerousCells(csv: string): string[] {
  const cells = csv.split('\n').flatMap((line) => line.split(',').map((c) => c.replace(/^"/, '')));
  return cells.filter((c) => /^[=+@]/.test(c) || /^-[^\d.]/.test(c) || c.startsWith('-2+3'));
}

describe('hostile file content is rendered and exported harmlessly', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows a script header and values as text and runs nothing', async () => {
    const { page } = s;
    await page.locator('input[type=file]').first().setInputFiles(hostileFile());
    const mapping = page.getByTestId('mapping');
    await mapping.waitFor();
    expect(await mapping.locator('thead').textContent()).toContain(XSS);
    // Customer, date and amount are guessed, so the file loads at once; the hostile column is then
    // mapped as the category in the mapping editor, which stays on screen, and the file reloads.
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    await page.getByTestId('mapping').locator('select[data-role="category"]').selectOption(XSS);
    await page.getByTestId('confirm-mapping').click();
    await page.locator('[data-testid="features-table"] thead', { hasText: 'category_distinct' }).waitFor({ timeout: 90_000 });
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    const table = (await page.getByTestId('rfm-table').textContent()) ?? '';
    for (const id of HOSTILE_IDS) expect(table).toContain(id);
    expect(await page.locator('img[src="x"], body script:not([src])').count()).toBe(0);
    await screenshot(page, 'xss-rendered');
  });

  it('neutralises formulas in the RFM, features and rejected-rows CSV exports', async () => {
    const { page } = s;
    const rfm = (await download(page, () => page.getByTestId('export-rfm-csv').click())).bytes.toString('utf8');
    expect(rfm).toContain(`"'${HYPERLINK.replaceAll('"', '""')}"`);
    expect(rfm).toContain("'+1");
    expect(rfm).toContain("'@SUM(1+1)");
    expect(rfm).toContain("'-2+3");
    expect(dangerousCells(rfm)).toEqual([]);
    const features = (await download(page, () => page.getByTestId('export-features-csv').click())).bytes.toString('utf8');
    expect(dangerousCells(features)).toEqual([]);
    const rejected = (await download(page, () => page.getByTestId('download-rejected').click())).bytes.toString('utf8');
    expect(rejected).toContain("'=cmd");
    expect(dangerousCells(rejected)).toEqual([]);
  });

  it('neutralises the predictions export and escapes the HTML report after training', async () => {
    const { page } = s;
    await setQuickTraining(page, 2, ['bgnbd-gg', 'naive']);
    await trainAndWait(page);
    const predictions = (await download(page, () => page.getByTestId('export-predictions-csv').click())).bytes.toString('utf8');
    expect(predictions).toContain("'@SUM(1+1)");
    expect(dangerousCells(predictions)).toEqual([]);
    await page.getByTestId('lookup-id').fill(XSS);
    await page.getByTestId('lookup-submit').click();
    expect(await page.getByTestId('customer-profile').textContent()).toContain(XSS);
    const report = (await download(page, () => page.getByTestId('export-report').click())).bytes.toString('utf8');
    expect(report).not.toContain('<img src=x');
    expect(report).not.toMatch(/<script/i);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(s.dialogs).toEqual([]);
    expect(s.pageErrors).toEqual([]);
    expect(outsideOrigin(s)).toEqual([]);
  });
});
