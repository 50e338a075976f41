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
    await page.getByTestId('confirm-mapping').click();
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
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByTestId('confirm-mapping').click();
    await page.getByTestId('rfm-table').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('error').count()).toBe(0);
  });

  it('never requests anything outside its own origin', () => {
    const origin = new URL(s.url).origin;
    const outside = s.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(outside).toEqual([]);
  });
});
