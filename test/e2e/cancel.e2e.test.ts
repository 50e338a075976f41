/**
 * Cancel really stops the model worker's work: the running evaluation ends (train() rejects with
 * CANCELLED, well before the watchdog would end the worker), nothing is shown from the stopped
 * run, and a new training starts and finishes normally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample, openApp, screenshot, setQuickTraining, trainAndWait, type Session } from './browser';

describe('cancel training', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stops a long run promptly and keeps nothing from it', async () => {
    const { page } = s;
    await loadSample(page);
    await setQuickTraining(page, 2000, ['fnn', 'ziln', 'hybrid']);
    await page.getByTestId('train').click();
    // Wait until a network is training (an epoch has been reported), then cancel.
    await page.getByTestId('train-status').filter({ hasText: /epoch \d+ of/ }).waitFor({ timeout: 120_000 });
    await screenshot(page, 'cancel-running');
    await page.getByTestId('cancel-train').click();
    const notice = page.getByTestId('notice');
    await notice.filter({ hasText: 'cancelled' }).waitFor({ timeout: 10_000 });
    // The worker stopped the run itself (it was not terminated); how fast is not asserted here.
    expect(await notice.getAttribute('data-stopped-by')).toBe('worker');
    expect(await page.getByTestId('train-progress').count()).toBe(0);
    expect(await page.getByTestId('metrics').count()).toBe(0);
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
    await screenshot(page, 'cancel-done');
  });

  it('trains normally afterwards', async () => {
    const { page } = s;
    await setQuickTraining(page, 2, ['naive', 'fnn']);
    await trainAndWait(page);
    expect(await page.locator('[data-testid="metrics"] tbody tr').count()).toBe(2);
    expect(s.pageErrors).toEqual([]);
  });
});
