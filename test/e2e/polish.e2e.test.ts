/**
 * Polish: numbers in the user's locale, light and dark themes from a keyboard-operable toggle,
 * the Privacy panel as an accessible dialog, and a usable layout at 1280×800.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample, openApp, screenshot, type Session } from './browser';

describe('locale, themes and the privacy panel', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp({ locale: 'de-DE' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('explains privacy in a dialog that the keyboard opens and closes', async () => {
    const { page } = s;
    await page.getByTestId('privacy-open').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Privacy' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Nothing is uploaded');
    await screenshot(page, 'polish-privacy');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('formats numbers for the user’s locale', async () => {
    const { page } = s;
    await loadSample(page);
    expect(await page.getByTestId('quality').textContent()).toContain('6.919');
    // The notes under the report too, not only the table: 128,41 in German, not 128.41.
    expect(await page.getByTestId('quality').textContent()).toContain('(above 128,41)');
    expect(await page.getByTestId('rfm-table-range').textContent()).toContain('2.357');
  });

  it('switches to the dark theme and back from the keyboard, at 1280×800', async () => {
    const { page } = s;
    const toggle = page.getByTestId('theme-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 23, 26)');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'test-results/e2e/polish-dark-1280x800.png' });
    // Nothing wider than the viewport: no horizontal scrolling at 1280 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    await page.reload();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    await screenshot(page, 'polish-light-restored');
  });
});
