/**
 * The customer lookup after a training with BG/NBD and MBG/NBD (with Gamma-Gamma) and the ZILN
 * network on the bundled sample: the customer's days drawn as a timeline (one dot per day of the
 * sample file as read here, coloured by its side of the cutoff), each model's P(alive) over time,
 * BG/NBD's ending on the P(alive) of the predictions, the 90% intervals beside the values; axe-clean and screenshotted in light,
 * dark and at 390×844. Also: the Train panel's one plain sentence about where training runs, the
 * RFM heatmap's empty score column explained, and the "Forget everything" confirmation (focus on
 * open, Escape cancels, focus returns).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, ROOT, loadSample, openApp, outsideOrigin, setQuickTraining, trainAndWait, type Session } from './browser';
import { applyLook, axeViolations, LOOKS, overflowing, pageScrollWidth } from './uxAudit';

/** Distinct days per customer id (either id column of the sample), read from the file itself. */
function sampleDays(): Map<string, Set<string>>[] {
  const byColumn = [new Map<string, Set<string>>(), new Map<string, Set<string>>()];
  for (const line of readFileSync(path.join(ROOT, 'public/samples/cdnow_sample.txt'), 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const day = `${f[2].slice(0, 4)}-${f[2].slice(4, 6)}-${f[2].slice(6, 8)}`;
    for (const c of [0, 1]) {
      const days = byColumn[c].get(f[c]) ?? new Set<string>();
      days.add(day);
      byColumn[c].set(f[c], days);
    }
  }
  return byColumn;
}

const number = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

describe('customer lookup: timeline, P(alive) over time and intervals', () => {
  let s: Session;
  /** The customer with the most purchase days, and those days. */
  let customer: { id: string; days: string[] };

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  const focusedTestId = () => s.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? '');

  it('says once, plainly, where training will run', async () => {
    const { page } = s;
    await loadSample(page);
    const backend = page.getByTestId('backend');
    await backend.and(page.locator('[data-backend="wasm"]')).waitFor({ timeout: 60_000 });
    const said = (await backend.textContent())?.trim() ?? '';
    expect(said).toMatch(/^Will train on this computer’s processor \(WebAssembly\)[;:] /);
    expect(said).not.toMatch(/SIMD|single-threaded|cross-origin|WASM \(/);
    expect(said.match(/Will train/g)?.length).toBe(1);
  });

  it('says in words why a frequency score column of the RFM heatmap is empty', async () => {
    const { page } = s;
    // Most of the sample's customers never bought again by the cutoff: they tie, share score 1,
    // and the scores their group spans are left to no one.
    const skipped = page.getByTestId('heatmap-skipped').first();
    await skipped.waitFor({ timeout: 30_000 });
    expect(await skipped.textContent()).toMatch(/^Frequency scores? [\d, and]+ (is|are) empty: \d+(\.\d)?% of customers made the same number of repeat purchases, .* share one score/);
  });

  it('shows the customer’s days as a timeline with the cutoff marked', async () => {
    const { page } = s;
    await setQuickTraining(page, 3, ['bgnbd-gg', 'mbgnbd-gg', 'ziln']);
    await trainAndWait(page, 400_000);
    // The customer with the most days, under whichever id column the mapping took.
    const [first, second] = sampleDays();
    const pick = (m: Map<string, Set<string>>) => [...m].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0];
    const lookup = page.getByTestId('lookup');
    await lookup.scrollIntoViewIfNeeded();
    for (const [id, days] of [pick(first), pick(second)]) {
      await page.getByTestId('lookup-id').fill(id);
      await page.getByTestId('lookup-submit').click();
      const found = await Promise.race([
        page.getByTestId('customer-history').waitFor({ timeout: 30_000 }).then(() => true, () => false),
        lookup.getByRole('status').filter({ hasText: 'No customer' }).waitFor({ timeout: 30_000 }).then(() => false, () => false),
      ]);
      if (found) {
        customer = { id, days: [...days].sort() };
        break;
      }
    }
    expect(customer).toBeDefined();
    expect(customer.days.length).toBeGreaterThan(5);
    const timeline = page.getByTestId('chart-timeline');
    await timeline.scrollIntoViewIfNeeded();
    await timeline.locator('svg circle').first().waitFor({ timeout: 30_000 });
    const drawn = await timeline.locator('svg').evaluate((svg) => ({
      texts: [...svg.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      fills: [...svg.querySelectorAll('circle')].map((c) => c.getAttribute('fill')),
    }));
    const cutoff = drawn.texts.map((t) => /^Cutoff (\d{4}-\d{2}-\d{2})$/.exec(t.trim())?.[1]).find(Boolean);
    expect(cutoff).toBeDefined();
    expect(drawn.fills.length).toBe(customer.days.length);
    const before = customer.days.filter((d) => d <= cutoff!).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(customer.days.length);
    expect(drawn.fills.filter((f) => f === drawn.fills[0]).length).toBe(before);
  });

  it('draws P(alive) over time for each probabilistic model, BG/NBD’s ending on the P(alive) of the predictions', async () => {
    const { page } = s;
    const chart = page.getByTestId('chart-palive-history');
    await chart.scrollIntoViewIfNeeded();
    await chart.locator('svg').waitFor({ timeout: 30_000 });
    // A P(alive) line per probabilistic model trained (BG/NBD and MBG/NBD): a path through many points each.
    expect(await chart.locator('svg path').evaluateAll((ps) => ps.filter((p) => ((p.getAttribute('d') ?? '').match(/L/g) ?? []).length > 10).length)).toBe(2);
    const said = page.getByTestId('palive-at-cutoff');
    expect(await said.textContent()).toMatch(/BG\/NBD [\d.]+; MBG\/NBD [\d.]+/);
    const atCutoff = number(/([\d.,]+)\s*$/.exec((await said.locator('[data-model="bgnbd-gg"]').textContent()) ?? '')?.[1] ?? null);
    const inTable = number(await page.getByTestId('profile-palive').textContent());
    expect(atCutoff).toBeGreaterThan(0);
    expect(atCutoff).toBeLessThanOrEqual(1);
    expect(Math.abs(atCutoff - inTable)).toBeLessThan(0.002);
  });

  it('shows the 90% intervals beside the values and says what they are', async () => {
    const { page } = s;
    for (const testid of ['profile-clv-interval', 'profile-purchases-interval']) {
      const text = (await page.getByTestId(testid).textContent()) ?? '';
      const m = /^90% interval ([\d.,]+) – ([\d.,]+)$/.exec(text.trim());
      expect(m, `${testid}: ${text}`).not.toBeNull();
      expect(number(m![1])).toBeLessThanOrEqual(number(m![2]));
      expect(number(m![1])).toBeGreaterThanOrEqual(0);
    }
    expect(await page.getByTestId('interval-help').textContent()).toContain('9 times in 10');
  });

  it('is axe-clean and fits a phone, light, dark and 390×844, with a screenshot of each', async () => {
    const { page } = s;
    for (const look of LOOKS) {
      await applyLook(page, look);
      const lookup = page.getByTestId('lookup');
      await lookup.scrollIntoViewIfNeeded();
      // The charts redraw for the new width, one per frame.
      await page.waitForTimeout(1000);
      await lookup.screenshot({ path: path.join(ARTIFACTS, `ux-lookup-${look.name}.png`) });
      expect(await axeViolations(page, '[data-testid="lookup"]'), look.name).toEqual([]);
      if (look.width === 390) {
        // Nothing in the lookup reaches past the phone's edge (whatever other panels do).
        const wide = (await overflowing(page)).filter((e) => e.includes('lookup') || e.includes('profile') || e.includes('history') || e.includes('chart-'));
        expect(wide).toEqual([]);
        expect(await lookup.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
        expect(await pageScrollWidth(page), (await overflowing(page)).join('\n')).toBeLessThanOrEqual(390);
      }
    }
    await applyLook(page, LOOKS[0]);
  });

  it('"Forget everything" takes focus to its safe choice, cancels on Escape and gives focus back', async () => {
    const { page } = s;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByTestId('forget').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('forget-dialog');
    await dialog.waitFor();
    expect(await focusedTestId()).toBe('forget-cancel');
    expect(await dialog.getAttribute('role')).toBe('alertdialog');
    // Styled as destructive: the frame in the colour of the destructive button.
    const look = await dialog.evaluate((el) => ({ border: getComputedStyle(el).borderTopColor, button: getComputedStyle(el.querySelector('[data-testid="forget-confirm"]')!).backgroundColor }));
    expect(look.border).toBe(look.button);
    expect(await dialog.textContent()).toContain('cannot be undone');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedTestId()).toBe('forget');
    // Nothing was deleted.
    expect(await page.getByTestId('customer-profile').count()).toBe(1);
    // Keep everything does the same by click.
    await page.getByTestId('forget').click();
    await page.getByTestId('forget-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedTestId()).toBe('forget');
  });

  it('asked nothing outside the page', () => {
    expect(outsideOrigin(s)).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
