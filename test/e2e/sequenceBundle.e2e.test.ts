/**
 * An LSTM bundle in the app: with the LSTM as the ★ model, "Model bundle" saves the LSTM (a
 * sequence bundle holding its period layout, not the sequences); scoring a file with it makes the
 * data worker cut each customer's sequence with that layout, and a file with less history before
 * its cutoff than the layout is refused with the reason, the page left as it was. Trained on the
 * sample's first 600 customers (real CDNOW rows) with a 2-epoch cap, as in sequenceNets.e2e.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, openApp, setQuickTraining, trainAndWait, type Session } from './browser';

const SAMPLE = path.join(import.meta.dirname, '../../public/samples/cdnow_sample.txt');

describe('sequence net bundles in the app', () => {
  let s: Session;
  let dir: string;
  let small: string;
  let bundlePath: string;
  let periods: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-seq-bundle-'));
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const keep = new Set([...new Set(lines.map((l) => l.trim().split(/\s+/)[0]))].slice(0, 600));
    small = path.join(dir, 'cdnow_first600.txt');
    writeFileSync(small, `${lines.filter((l) => keep.has(l.trim().split(/\s+/)[0])).join('\n')}\n`);
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('saves the starred LSTM as a sequence bundle with its layout, and scores the same file with it', { timeout: 600_000 }, async () => {
    const { page } = s;
    await page.locator('input[type=file]').first().setInputFiles(small);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    await setQuickTraining(page, 2, ['bgnbd-gg', 'lstm']);
    await trainAndWait(page, 540_000);
    await page.locator('[data-testid="metrics"] tr[data-model="lstm"] input[name="primary-model"]').check();
    const bundle = await download(page, () => page.getByTestId('export-bundle').click());
    expect(bundle.name).toMatch(/-lstm\.clvb$/);
    expect(bundle.bytes.subarray(0, 4).toString('latin1')).toBe('CLVS');
    const { metadata } = JSON.parse(bundle.bytes.subarray(8, 8 + bundle.bytes.readUInt32LE(4)).toString('utf8'));
    expect(metadata.model).toBe('lstm');
    expect(metadata.layout).toMatchObject({ period: 'week', alignment: 'cutoff', channels: ['spend', 'purchase_days'] });
    periods = metadata.layout.periods;
    expect(periods).toBeGreaterThanOrEqual(4);
    bundlePath = path.join(dir, bundle.name);
    writeFileSync(bundlePath, bundle.bytes);

    await page.getByTestId('bundle-input').setInputFiles(bundlePath);
    const scored = page.getByRole('heading', { name: /Predictions from the saved model/ });
    await scored.or(page.getByTestId('error')).waitFor({ timeout: 120_000 });
    if ((await page.getByTestId('error').count()) > 0) throw new Error(await page.getByTestId('error').innerText());
    const csv = await download(page, () => page.getByTestId('export-predictions-csv').click());
    const rows = csv.bytes.toString('utf8').trim().split('\n');
    expect(rows.length).toBe(600 + 1);
    const column = rows[0].split(',').indexOf('pred_bundle');
    expect(column).toBeGreaterThanOrEqual(0);
    const values = rows.slice(1).map((r) => Number(r.split(',')[column]));
    expect(values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(new Set(values.map((v) => v.toFixed(4))).size).toBeGreaterThan(10);
    expect(s.pageErrors).toEqual([]);
  });

  it('refuses a file with fewer weeks of history than the bundle reads, saying so', { timeout: 180_000 }, async () => {
    const { page } = s;
    // Three weeks of purchases: far fewer weeks than the months of the sample before its cutoff.
    expect(periods).toBeGreaterThan(4);
    const file = path.join(dir, 'three-weeks.csv');
    const lines = ['customer,order,date,quantity,amount'];
    for (let c = 0; c < 40; c++) for (let k = 0; k < 1 + (c % 3); k++) lines.push(`n${c},${k + 1},1998-03-${String(1 + ((c + 7 * k) % 20)).padStart(2, '0')},1,${(5 + c + k).toFixed(2)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await page.getByRole('button', { name: 'Open another file' }).click();
    await page.locator('input[type=file]').first().setInputFiles(file);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('bundle-input').setInputFiles(bundlePath);
    const error = page.getByTestId('error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.innerText()).toContain(`last ${periods} weeks of purchases before the cutoff`);
    expect(await page.getByRole('heading', { name: /Predictions from the saved model/ }).count()).toBe(0);
  });
});
