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

  it('says things once, marks required roles and shows dates as ISO', async () => {
    const { page } = s;
    const headings = await page.locator('main h2:visible, main h3:visible, main summary:visible').allTextContents();
    const seen = headings.map((h) => h.trim().toLowerCase());
    expect(seen.filter((h, i) => seen.indexOf(h) !== i)).toEqual([]);
    expect(await page.locator('[data-role="customer"][aria-required="true"]').count()).toBe(1);
    expect(await page.getByTestId('required-note').textContent()).toContain('Required');
    for (const id of ['cutoff', 'horizon-end']) {
      expect(await page.getByTestId(id).getAttribute('type')).toBe('text');
      expect(await page.getByTestId(id).inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('on a phone, nothing covers the tap on "Train models"', async () => {
    const { page } = s;
    await applyLook(page, LOOKS[2]);
    const train = page.getByTestId('train');
    await train.scrollIntoViewIfNeeded();
    const hit = await train.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top === el || el.contains(top);
    });
    expect(hit).toBe(true);
    await applyLook(page, LOOKS[0]);
  });

  it('results after training', async () => {
    await setQuickTraining(s.page, 2);
    await trainAndWait(s.page, 400_000);
    await s.page.locator(SCREENS.results).waitFor({ timeout: 60_000 });
    expect(await audit('trained', ['results', 'train'])).toEqual({});
    await screenshot(s.page, 'ux-trained-full-light');
  });

  it('explains the metrics and names models and features in words, in the page and in the charts', async () => {
    const { page } = s;
    const legend = (await page.getByTestId('metrics-legend').textContent()) ?? '';
    expect(legend).toContain('Lower is better');
    expect(legend).toContain('Higher is better');
    expect(legend).toContain('sorted by');
    // Eight metrics, then RMSE and Norm. Gini against BG/NBD + Gamma-Gamma.
    expect(await page.locator('[data-testid="metrics"] thead th[title]').count()).toBe(10);
    expect(legend).toContain('95% interval');
    // Each RMSE and Gini carries its interval, which holds the value; the run rate's paired
    // difference to BG/NBD equals the difference of the two RMSEs shown (to the digits shown).
    const cell = (model: string, metric: string) => page.locator(`[data-testid="metrics"] tr[data-model="${model}"] td[data-metric="${metric}"]`);
    const number = (t: string) => Number(t.replace(/[−–]/g, '-').replace(/[^\d.+-]/g, ''));
    for (const model of ['bgnbd-gg', 'naive']) {
      const ci = (await cell(model, 'rmse').getByTestId('metric-ci').textContent())!.split('–').map(number);
      const value = number((await cell(model, 'rmse').evaluate((td) => td.firstChild?.textContent ?? ''))!);
      expect(ci[0]).toBeLessThanOrEqual(value);
      expect(ci[1]).toBeGreaterThanOrEqual(value);
    }
    const rmseOf = async (model: string) => number((await cell(model, 'rmse').evaluate((td) => td.firstChild?.textContent ?? ''))!);
    const diffText = (await page.locator('[data-testid="metrics"] tr[data-model="naive"] td[data-testid="vs-btyd"][data-diff="rmse"]').textContent())!;
    expect(diffText).toMatch(/^[+−±][\d.,]+ \([+−±][\d.,]+ to [+−±][\d.,]+\)$/);
    expect(Math.abs(number(diffText.split(' (')[0]) - ((await rmseOf("naive")) - (await rmseOf("bgnbd-gg"))))).toBeLessThan(0.6);
    expect((await page.locator('[data-testid="metrics"] tr[data-model="bgnbd-gg"] td[data-testid="vs-btyd"]').allTextContents()).every((t) => t.trim() === '—')).toBe(true);
    const results = (await page.locator('#results').innerText()) + (await page.locator('#train').innerText());
    for (const id of ['bgnbd-gg', 'fnn-seed', 'g_log', 'gg_log']) expect(results).not.toContain(id);
    const resultsOnly = await page.locator('#results').innerText();
    expect(resultsOnly).not.toContain('WASM (SIMD');
    expect(resultsOnly.match(/Trained on /g)?.length).toBe(1);
    const chartText = await page.locator('#results figure svg text').allTextContents();
    const ids = /^(bgnbd-gg|pnbd-gg|mbgnbd-gg|fnn-seed|ensemble|naive|ziln|hybrid|visitante|fnn|lstm|cnn)$|_/;
    expect(chartText.filter((t) => ids.test(t.trim()))).toEqual([]);
  });

  it('on a phone: the metrics table hints at more columns and no chart label is cut off', async () => {
    const { page } = s;
    await applyLook(page, LOOKS[2]);
    expect(await page.getByTestId('metrics-scroll-hint').isVisible()).toBe(true);
    await page.locator('#results').scrollIntoViewIfNeeded();
    // Charts redraw for the new width, one per frame.
    await page.waitForTimeout(1500);
    const clipped = await page.evaluate(() => {
      const out: string[] = [];
      for (const svg of document.querySelectorAll('#results figure svg')) {
        const box = svg.getBoundingClientRect();
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) out.push(`${t.textContent} (${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(box.left)}–${Math.round(box.right)})`);
        }
      }
      return out;
    });
    expect(clipped).toEqual([]);
    await applyLook(page, LOOKS[0]);
  });

  it('"Forget everything" asks first, with a destructive-looking confirm button readable in both themes', async () => {
    const { page } = s;
    await page.getByTestId('forget').click();
    const confirm = page.getByTestId('forget-confirm');
    await confirm.waitFor();
    for (const look of LOOKS.slice(0, 2)) {
      await applyLook(page, look);
      const c = await confirm.evaluate((el) => ({ color: getComputedStyle(el).color, background: getComputedStyle(el).backgroundColor, page: getComputedStyle(document.body).backgroundColor }));
      expect(contrast(c.color, c.background), `${look.name} confirm text`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.background, c.page), `${look.name} confirm button against the page`).toBeGreaterThanOrEqual(3);
      expect(await axeViolations(page, 'header')).toEqual([]);
      await page.locator('header').screenshot({ path: `test-results/e2e/ux-forget-confirm-${look.name}.png` });
    }
    await applyLook(page, LOOKS[0]);
    await page.getByTestId('forget-cancel').click();
    await page.getByTestId('forget').waitFor();
  });

  it('asked nothing outside the page and tripped no Content-Security-Policy rule', async () => {
    expect(outsideOrigin(s)).toEqual([]);
    expect(await cspViolations(s.page)).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
