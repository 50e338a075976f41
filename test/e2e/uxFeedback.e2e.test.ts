/**
 * Feedback where the user looks, and a keyboard that never loses its place: focus after "Try a
 * sample" and after training, the Tab distance from the sample button to "Train models", the
 * finished and cancelled notices in the Train panel, loss curves kept in Results and in the HTML
 * report, and a cancelled retrain that keeps the previous results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, openApp, outsideOrigin, screenshot, setQuickTraining, type Session } from './browser';

describe('feedback and focus through training', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  const focused = () => s.page.evaluate(() => ({ tag: document.activeElement?.tagName ?? '', testid: document.activeElement?.getAttribute('data-testid') ?? '', text: document.activeElement?.textContent?.slice(0, 60) ?? '' }));

  it('after "Try a sample" focus is on what was loaded, not on <body>', async () => {
    const { page } = s;
    await page.getByTestId('sample').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    const f = await focused();
    expect(f.tag).not.toBe('BODY');
    expect(f.tag).not.toBe('');
  });

  it('the drop zone and file input are one stop, and Train is a short Tab walk away', async () => {
    const { page } = s;
    // From the quality heading (where focus is now) to the Train button.
    let presses = 0;
    for (; presses < 80; presses++) {
      await page.keyboard.press('Tab');
      if ((await focused()).testid === 'train') break;
    }
    expect((await focused()).testid).toBe('train');
    // Every sortable table has one sort control and one direction button, not a stop per header.
    expect(await page.locator('thead button').count()).toBe(0);
    expect(presses).toBeLessThan(60);
    console.info('Tab presses from the loaded file to Train:', presses + 1);
  });

  it('says "finished" in the Train panel, moves focus there and keeps the loss curves in Results', async () => {
    const { page } = s;
    await setQuickTraining(page, 3, ['naive', 'fnn', 'ziln']);
    await page.getByTestId('train').click();
    await page.getByTestId('metrics').waitFor({ timeout: 400_000 });
    const notice = page.locator('#train [data-testid="notice"]');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toMatch(/finished|trained|done/i);
    await expect.poll(async () => (await focused()).testid, { timeout: 10_000 }).toBe('notice');
    await page.getByTestId('chart-loss-kept').locator('svg').waitFor({ timeout: 30_000 });
    await screenshot(page, 'ux-train-finished');
    const report = await download(page, () => page.getByTestId('export-report').click());
    const html = report.bytes.toString('utf8');
    expect(html).toContain('Loss per epoch');
    expect(html).not.toContain('inside this page');
  });

  it('a cancelled retrain keeps the previous results and says so where the user clicked', async () => {
    const { page } = s;
    const before = await page.locator('[data-testid="metrics"] tbody tr').count();
    await setQuickTraining(page, 2000, ['fnn']);
    await page.getByTestId('train').click();
    await page.getByTestId('train-status').filter({ hasText: /epoch \d+ of/ }).waitFor({ timeout: 120_000 });
    // While the new run trains, the old results are still there.
    expect(await page.locator('[data-testid="metrics"] tbody tr').count()).toBe(before);
    await page.getByTestId('cancel-train').click();
    const notice = page.locator('#train [data-testid="notice"]');
    await notice.filter({ hasText: 'cancelled' }).waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('previous results');
    await expect.poll(async () => (await focused()).testid, { timeout: 10_000 }).toBe('notice');
    expect(await page.locator('[data-testid="metrics"] tbody tr').count()).toBe(before);
    expect(await page.locator('main > [data-testid="notice"]').count()).toBe(0);
    await screenshot(page, 'ux-train-cancelled');
  });

  it('the time left never grows and the bar never goes back while training', async () => {
    const { page } = s;
    await setQuickTraining(page, 4, ['bgnbd-gg', 'naive', 'fnn', 'ensemble']);
    await page.getByTestId('train').click();
    const samples: { value: number; eta: number | null }[] = [];
    while ((await page.getByTestId('train-progress').count()) > 0 || samples.length === 0) {
      const sample = await page.evaluate(() => {
        const bar = document.querySelector('[data-testid="train-progress"] progress') as HTMLProgressElement | null;
        const text = document.querySelector('[data-testid="train-status"]')?.textContent ?? '';
        const m = /about (?:(\d+) min )?(\d+) s left/.exec(text);
        return bar ? { value: bar.value, eta: m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : null } : null;
      });
      if (sample) samples.push(sample);
      await page.waitForTimeout(250);
      if (samples.length > 2000) break;
    }
    await page.getByTestId('metrics').waitFor({ timeout: 60_000 });
    expect(samples.length).toBeGreaterThan(3);
    for (let i = 1; i < samples.length; i++) expect(samples[i].value).toBeGreaterThanOrEqual(samples[i - 1].value);
    const etas = samples.map((x) => x.eta).filter((x): x is number => x !== null);
    // The whole run's estimate shows once there is progress to extrapolate from.
    expect(etas.length).toBeGreaterThan(0);
    // Whole seconds shown: a later reading may not exceed an earlier one (1 s for rounding).
    for (let i = 1; i < etas.length; i++) expect(etas[i]).toBeLessThanOrEqual(etas[i - 1] + 1);
    expect(outsideOrigin(s)).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
