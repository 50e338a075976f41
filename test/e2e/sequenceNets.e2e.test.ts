/**
 * LSTM and CNN train in the app like every other model: the data worker builds the per-period
 * purchase sequences, the model worker trains them with progress (their epochs are reported), a
 * run of them can be cancelled, and they end up in the comparison with their predictions. The
 * training run uses the sample's first 600 customers (real CDNOW rows): five cross-fitted folds of
 * two recurrent nets on all 2,357 took longer than a test should on this machine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample, openApp, setQuickTraining, trainAndWait, type Session } from './browser';

const SAMPLE = path.join(import.meta.dirname, '../../public/samples/cdnow_sample.txt');

describe('sequence nets in the app', () => {
  let s: Session;
  let dir: string;
  let small: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-seq-'));
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const ids = [...new Set(lines.map((l) => l.trim().split(/\s+/)[0]))].slice(0, 600);
    const keep = new Set(ids);
    small = path.join(dir, 'cdnow_first600.txt');
    writeFileSync(small, `${lines.filter((l) => keep.has(l.trim().split(/\s+/)[0])).join('\n')}\n`);
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('cancels a run of the LSTM while it trains, with its progress on screen', { timeout: 300_000 }, async () => {
    const { page } = s;
    await loadSample(page);
    // Nothing on the sample keeps them from running: no reason beside their checkboxes, and they can be ticked.
    for (const model of ['lstm', 'cnn']) {
      expect(await page.getByTestId(`model-blocked-${model}`).count()).toBe(0);
      expect(await page.locator(`input[data-model="${model}"]`).isEnabled()).toBe(true);
    }
    await setQuickTraining(page, 2000, ['lstm']);
    await page.getByTestId('train').click();
    await page.getByTestId('train-status').filter({ hasText: /LSTM|lstm/ }).filter({ hasText: /epoch \d+ of/ }).waitFor({ timeout: 180_000 });
    await page.getByTestId('cancel-train').click();
    await page.getByTestId('notice').filter({ hasText: 'cancelled' }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('metrics').count()).toBe(0);
  });

  it('trains LSTM and CNN with a small epoch cap; both are compared and predict every customer', { timeout: 600_000 }, async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Open another file' }).click();
    await page.locator('input[type=file]').first().setInputFiles(small);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    await setQuickTraining(page, 2, ['bgnbd-gg', 'lstm', 'cnn']);
    await trainAndWait(page, 540_000);
    const rows = page.locator('[data-testid="metrics"] tbody tr');
    expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-model')))).sort()).toEqual(['bgnbd-gg', 'cnn', 'lstm']);
    // Their RMSE is a number, not an empty cell: they predicted the customers they were scored on.
    for (const model of ['lstm', 'cnn']) {
      const text = await page.locator(`[data-testid="metrics"] tr[data-model="${model}"]`).textContent();
      expect(text).toMatch(/\d/);
    }
    expect(await page.getByText('needs per-period purchase sequences').count()).toBe(0);
    expect(s.pageErrors).toEqual([]);
  });
});
