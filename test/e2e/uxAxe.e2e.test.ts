/**
 * Every screen of the flow checked by axe-core (the accessibility engine) in the light theme, the
 * dark theme and on a 390×844 phone: zero serious or critical violations, no horizontal page
 * scroll at 390 px, and a screenshot of each screen in each look for review (test-results/e2e).
 * axe runs inside the page from the pinned package: the app still makes no outside request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, loadSample, openApp, outsideOrigin, screenshot, setQuickTraining, trainAndWait, type Session } from './browser';
import { applyLook, axeViolations, contrast, LOOKS, overflowing, pageScrollWidth, type Violation } from './uxAudit';

/** The screens of the flow: the element each one is, once it is on the page. */
const SCREENS: Record<string, string> = {
  mapping: '[data-testid="mapping"]',
  quality: '#quality',
  rfm: '[data-testid="rfm-table"]',
  features: '#features',
  train: '#train',
  results: '#results',
  export: '[data-testid="exports"]',
};

describe('accessibility and layout of every screen, light, dark and phone', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  /** axe on the whole page in each look, a screenshot of each named screen, and the page width. */
  async function audit(state: string, screens: string[]): Promise<Record<string, Violation[]>> {
    const { page } = s;
    const found: Record<string, Violation[]> = {};
    for (const look of LOOKS) {
      await applyLook(page, look);
      const violations = await axeViolations(page);
      if (violations.length) found[`${state}/${look.name}`] = violations;
      const width = await pageScrollWidth(page);
      if (look.width === 390 && width > 390) found[`${state}/${look.name}/scroll`] = [{ id: 'page-wider-than-phone', impact: 'serious', help: `scrollWidth ${width}`, targets: await overflowing(page) }];
      await page.evaluate(() => window.scrollTo(0, 0));
      if (screens.length === 0) await screenshot(page, `ux-${state}-${look.name}`);
      for (const name of screens) {
        const el = page.locator(SCREENS[name]).first();
        if ((await el.count()) === 0) continue;
        await el.scrollIntoViewIfNeeded();
        await el.screenshot({ path: `test-results/e2e/ux-${name}-${look.name}.png` });
      }
    }
    await applyLook(page, LOOKS[0]);
    return found;
  }

  it('landing', async () => {
    expect(await audit('landing', [])).toEqual({});
  });

  it('focus ring at 3:1 and the skip link at 4.5:1 against the page, in both themes', async () => {
    const { page } = s;
    for (const look of LOOKS.slice(0, 2)) {
      await applyLook(page, look);
      const page_ = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.focus('a.skip');
      const skip = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const st = getComputedStyle(el);
        return { cls: el.className, color: st.color, background: st.backgroundColor };
      });
      expect(skip.cls).toContain('skip');
      expect(contrast(skip.color, skip.background), `${look.name} skip link`).toBeGreaterThanOrEqual(4.5);
      await page.getByTestId('sample').focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const ring = await page.getByTestId('sample').evaluate((el) => getComputedStyle(el).outlineColor);
      expect(contrast(ring, page_), `${look.name} focus ring on the sample button`).toBeGreaterThanOrEqual(3);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    }
  });

  it('mapping, quality, RFM, features, train and export after the sample loads', async () => {
    await loadSample(s.page);
    await s.page.locator(SCREENS.export).waitFor({ timeout: 60_000 });
    expect(await audit('loaded', ['mapping', 'quality', 'rfm', 'features', 'train', 'export'])).toEqual({});
  });

  it('results after training', async () => {
    await setQuickTraining(s.page, 2);
    await trainAndWait(s.page, 400_000);
    await s.page.locator(SCREENS.results).waitFor({ timeout: 60_000 });
    expect(await audit('trained', ['results', 'train'])).toEqual({});
    await screenshot(s.page, 'ux-trained-full-light');
  });

  it('asked nothing outside the page and tripped no Content-Security-Policy rule', async () => {
    expect(outsideOrigin(s)).toEqual([]);
    expect(await cspViolations(s.page)).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
