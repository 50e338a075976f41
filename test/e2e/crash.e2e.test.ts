/**
 * A worker that dies (out of memory on a huge file, a wasm abort) is reported in plain words and
 * restarted; the session survives: the data engine reloads the kept file and mapping by itself,
 * and a model-engine crash leaves the data and earlier results in place.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample, openApp, screenshot, setQuickTraining, trainAndWait, type Session } from './browser';

/** Kills a worker the way a crash does: an error nothing inside the worker catches. */
async function crashWorker(page: Page, name: string): Promise<void> {
  const worker = page.workers().find((w) => w.url().includes(name));
  if (!worker) throw new Error(`no ${name} among ${page.workers().map((w) => w.url()).join(', ')}`);
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  });
}

describe('crashed workers', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('restarts a crashed data engine and restores the session', async () => {
    const { page } = s;
    await loadSample(page);
    await crashWorker(page, 'data.worker');
    const error = page.getByTestId('error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.getAttribute('data-code')).toBe('WORKER_CRASHED');
    expect(await error.textContent()).toContain('data engine stopped unexpectedly');
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('quality').textContent()).toContain('6,919');
    await screenshot(page, 'crash-data-restored');
  });

  it('restarts a crashed model engine and keeps the data; training works again', async () => {
    const { page } = s;
    await page.getByTestId('backend').and(page.locator('[data-backend="wasm"]')).waitFor({ timeout: 60_000 });
    await crashWorker(page, 'model.worker');
    const error = page.getByTestId('error');
    await error.filter({ hasText: 'model engine stopped' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="rfm-table"] tbody tr').count()).toBeGreaterThan(0);
    await setQuickTraining(page, 2, ['naive', 'fnn']);
    await trainAndWait(page);
  });
});
