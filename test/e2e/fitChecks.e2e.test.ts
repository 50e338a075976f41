/**
 * The fit-check charts in the app: sample → train the three probabilistic models (and the run
 * rate, which has no fit checks) → the Results page draws tracking (cumulative and incremental,
 * cutoff marked), calibration vs holdout purchases, period transactions and, per model, the
 * P(alive) and expected-purchases matrices, each with data; they export to SVG and PNG, read in
 * the light, dark and phone looks (axe, page width), and the HTML report carries them.
 */
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, download, loadSample, openApp, setQuickTraining, trainAndWait, type Session } from './browser';
import { applyLook, axeViolations, LOOKS, overflowing, pageScrollWidth } from './uxAudit';

const MODELS = [
  ['bgnbd-gg', 'BG/NBD'],
  ['pnbd-gg', 'Pareto/NBD'],
  ['mbgnbd-gg', 'MBG/NBD'],
] as const;
const SERIES = ['Actual', ...MODELS.map(([, label]) => label)];

/** The numbers a polyline draws: its points. */
async function polylines(chart: Locator): Promise<{ stroke: string; points: [number, number][] }[]> {
  return chart.locator('svg polyline').evaluateAll((lines) =>
    lines.map((l) => ({ stroke: l.getAttribute('stroke') ?? '', points: (l.getAttribute('points') ?? '').split(' ').map((p) => p.split(',').map(Number) as [number, number]) })),
  );
}

/** Texts of the chart's legend and labels. */
const texts = (chart: Locator) => chart.locator('svg text').allTextContents();

describe('fit-check charts', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('draws the four chart kinds for every probabilistic model, with data, and nothing for the run rate', { timeout: 240_000 }, async () => {
    const { page } = s;
    await loadSample(page);
    await setQuickTraining(page, 3, [...MODELS.map(([m]) => m), 'naive']);
    await trainAndWait(page);
    const section = page.getByTestId('fit-checks');
    await section.getByRole('heading', { name: 'How well the probabilistic models fit' }).waitFor({ timeout: 60_000 });
    const ids = [
      'chart-tracking-cumulative',
      'chart-tracking-incremental',
      'chart-holdout-frequency',
      'chart-period-transactions',
      ...MODELS.flatMap(([m]) => [`chart-p-alive-${m}`, `chart-expected-purchases-${m}`]),
    ];
    for (const id of ids) await section.getByTestId(id).locator('svg').waitFor({ timeout: 60_000 });
    expect(await section.locator('figure[data-chart]').count()).toBe(ids.length);

    // Tracking: the actual line and one per model, a point per week over calibration and horizon (CDNOW: 78 weeks), the cutoff marked between.
    for (const mode of ['cumulative', 'incremental']) {
      const chart = section.getByTestId(`chart-tracking-${mode}`);
      const lines = await polylines(chart);
      expect(lines).toHaveLength(4);
      for (const line of lines) expect(line.points.length).toBeGreaterThanOrEqual(70);
      const labels = await texts(chart);
      for (const name of SERIES) expect(labels).toContain(name);
      expect(labels).toContain('Cutoff');
      const cutoffX = Number(await chart.locator('svg line[stroke-dasharray="2 3"]').getAttribute('x1'));
      const xs = lines[0].points.map(([x]) => x);
      expect(cutoffX).toBeGreaterThan(Math.min(...xs));
      expect(cutoffX).toBeLessThan(Math.max(...xs));
      if (mode === 'cumulative') {
        // Cumulative counts never fall: SVG y grows downwards.
        for (const line of lines) for (let k = 1; k < line.points.length; k++) expect(line.points[k][1]).toBeLessThanOrEqual(line.points[k - 1][1] + 0.05);
        // And they rise: repeat purchases happened.
        expect(lines[0].points[lines[0].points.length - 1][1]).toBeLessThan(lines[0].points[0][1]);
      }
    }

    // Calibration vs holdout: the actual and three model lines over 0…7+, a dot per bucket.
    const holdout = section.getByTestId('chart-holdout-frequency');
    expect((await polylines(holdout)).map((l) => l.points.length)).toEqual([8, 8, 8, 8]);
    expect(await holdout.locator('svg circle').count()).toBe(32);
    expect(await texts(holdout)).toEqual(expect.arrayContaining(['0', '7+', ...SERIES]));

    // Period transactions: a bar per bucket and series, each with its value in a tooltip.
    const period = section.getByTestId('chart-period-transactions');
    const bars = await period.locator('svg rect > title').allTextContents();
    expect(bars).toHaveLength(32);
    for (const name of SERIES) expect(bars.filter((t) => t.startsWith(`${name}: `))).toHaveLength(8);
    // The actual bars add up to the sample's 2,357 customers.
    const actualTotal = bars.filter((t) => t.startsWith('Actual: ')).reduce((sum, t) => sum + Number(t.slice('Actual: '.length).replace(/,/g, '')), 0);
    expect(actualTotal).toBe(2357);

    // Matrices: many cells, P(alive) within [0, 1], titled with the model's name.
    for (const [model, label] of MODELS) {
      for (const kind of ['p-alive', 'expected-purchases']) {
        const chart = section.getByTestId(`chart-${kind}-${model}`);
        const cells = await chart.locator('svg rect > title').allTextContents();
        expect(cells.length).toBeGreaterThanOrEqual(100);
        const values = cells.map((t) => Number(t.split(': ').pop()));
        expect(values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        if (kind === 'p-alive') expect(values.every((v) => v <= 1)).toBe(true);
        expect(await chart.locator('h3').textContent()).toContain(label);
      }
    }
    // The run rate is no transaction model: it has no fit checks.
    expect(await section.textContent()).not.toContain('run rate');
    expect(s.pageErrors).toEqual([]);
  });

  it('exports a fit-check chart as SVG and PNG', async () => {
    const { page } = s;
    const chart = page.getByTestId('chart-tracking-cumulative');
    const svg = (await download(page, () => chart.getByRole('button', { name: /SVG/ }).click())).bytes.toString('utf8');
    expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('Cutoff');
    expect(svg).not.toContain('var(');
    const png = await download(page, () => chart.getByRole('button', { name: /PNG/ }).click());
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('reads in the light, dark and phone looks', { timeout: 120_000 }, async () => {
    const { page } = s;
    const section = page.getByTestId('fit-checks');
    for (const look of LOOKS) {
      await applyLook(page, look);
      // Charts are drawn again for the new width.
      await page.waitForFunction((w) => [...document.querySelectorAll('[data-testid="fit-checks"] figure svg')].every((svg) => Number(svg.getAttribute('width')) <= w), look.width, { timeout: 30_000 });
      expect(await axeViolations(page, '[data-testid="fit-checks"]')).toEqual([]);
      expect(await overflowing(page)).toEqual([]);
      expect(await pageScrollWidth(page)).toBeLessThanOrEqual(look.width);
      await section.screenshot({ path: path.join(ARTIFACTS, `fit-checks-${look.name}.png`) });
    }
    await applyLook(page, LOOKS[0]);
  });

  it('puts every fit-check chart into the HTML report', async () => {
    const { page } = s;
    const html = (await download(page, () => page.getByTestId('export-report').click())).bytes.toString('utf8');
    const titles = [
      'Repeat transactions over time, cumulative',
      'Repeat transactions per week',
      'Calibration vs holdout purchases',
      'Repeat purchases before the cutoff',
      ...MODELS.flatMap(([, label]) => [`P(alive) by frequency and recency: ${label}`, `Expected purchases by frequency and recency: ${label}`]),
    ];
    const figures = [...html.matchAll(/<figure><h3>([^<]*)<\/h3><svg[\s\S]*?<\/svg><\/figure>/g)];
    const byTitle = new Map(figures.map((f) => [f[1], f[0]]));
    for (const title of titles) {
      const figure = byTitle.get(title);
      expect(figure, title).toBeDefined();
      expect((figure!.match(/<polyline|<rect/g) ?? []).length, title).toBeGreaterThan(4);
    }
    expect(byTitle.get('Repeat transactions over time, cumulative')).toContain('Cutoff');
    expect(html).not.toContain('var(');
  });
});
