/**
 * A worker that stops answering (here: the data engine stuck in an endless loop, so it neither
 * answers nor dies) is noticed by its watchdog instead of "Reading the file…" for ever: the page
 * says so with a Retry button, the engine is replaced, and Retry opens the file again. The page's
 * clock is Playwright's (it runs at the real pace), so the watchdog's minute of silence is jumped
 * over instead of waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, screenshot, type Session } from './browser';

describe('a data engine that stops answering', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp();
    await s.page.clock.install();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is detected, restarted, and Retry loads the file', async () => {
    const { page } = s;
    await expect.poll(() => page.workers().filter((w) => w.url().includes('data.worker')).length, { timeout: 30_000 }).toBe(1);
    const stuck = page.workers().find((w) => w.url().includes('data.worker'))!;
    await stuck.evaluate(() => {
      setTimeout(() => {
        for (;;) {
          // Busy for ever: no answer, no error event.
        }
      });
    });
    await page.getByTestId('sample').click();
    await page.getByTestId('busy').filter({ hasText: 'Reading the file' }).waitFor({ timeout: 30_000 });
    const error = page.getByTestId('error');
    // The watchdog allows a minute of silence (more for large files) before it acts: not before.
    await page.clock.runFor(50_000);
    expect(await error.count()).toBe(0);
    await page.clock.fastForward(12_000);
    await error.waitFor({ timeout: 5_000 });
    expect(await error.getAttribute('data-code')).toBe('WORKER_HUNG');
    expect(await error.textContent()).toContain('The data engine stopped answering');
    expect(await page.getByTestId('busy').count()).toBe(0);
    // The stuck worker was ended and a fresh one started (waited for in that order: until the
    // stuck one is gone from the page's list, it alone satisfies "one data worker").
    await expect.poll(() => page.workers().includes(stuck), { timeout: 30_000 }).toBe(false);
    await expect.poll(() => page.workers().filter((w) => w.url().includes('data.worker')).length, { timeout: 30_000 }).toBe(1);
    await screenshot(page, 'hang-detected');
    await page.getByTestId('retry').click();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('quality').textContent()).toContain('6,919');
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(s.pageErrors).toEqual([]);
  }, 360_000);
});
