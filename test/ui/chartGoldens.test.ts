/**
 * Chart golden files in the manner of Observable Plot's own suite: every Plot builder in
 * src/ui/charts is rendered from fixed inputs to SVG (with linkedom as the DOM) and compared with
 * a reviewed file in test/golden/; a change to a chart shows up as a diff to review. UPDATE_GOLDEN=1
 * rewrites the files (a missing file fails). Besides the files, each chart is checked for what it
 * must say whatever its drawing: human names (never model ids), units on the axes, one mark per
 * datum, the heatmap's colour legend.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GainSeries, HeatCell, HistogramBin, ScatterData, SegmentShare, ValueShare } from '../../workers/contracts';

const GOLDEN = path.resolve(import.meta.dirname, '../golden');
const WIDTH = 640;

/** A fixed pseudo-random sequence: the same inputs on every run and machine. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** One element per line, so a changed mark is a changed line in the diff. */
function serialise(el: Element): string {
  return `${el.outerHTML.replace(/></g, '>\n<')}\n`;
}

function golden(name: string, el: Element): void {
  const svg = serialise(el);
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, svg);
  expect(existsSync(file), `golden file test/golden/${name} is missing (UPDATE_GOLDEN=1 writes it; review it before committing)`).toBe(true);
  expect(svg).toBe(readFileSync(file, 'utf8'));
}

const texts = (el: Element) => [...el.querySelectorAll('text')].map((t) => (t.textContent ?? '').trim()).filter((t) => t !== '');
const MODEL_IDS = ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'fnn-seed', 'ensemble', 'naive', 'ziln', 'hybrid', 'visitante', 'fnn'];

const MODELS = ['bgnbd-gg', 'naive', 'fnn', 'ziln', 'hybrid', 'visitante', 'ensemble'];
function gains(): GainSeries[] {
  return MODELS.map((model, m) => {
    const power = 0.35 + 0.07 * m;
    const points = Array.from({ length: 20 }, (_, i) => {
      const fraction = (i + 1) / 20;
      const gain = fraction ** power;
      return { fraction, gain, lift: gain / fraction, ideal_gain: Math.min(1, fraction * 4) };
    });
    return { model, points };
  });
}

let charts: typeof import('./chartModules');

beforeAll(async () => {
  // Plot draws with the global document; linkedom stands in for the browser's.
  const { window } = parseHTML('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window, document: window.document });
  charts = await import('./chartModules');
});

describe('chart golden files', () => {
  it('cumulative gain: every model by its human name, the model used for CLV drawn on top', () => {
    const el = charts.cumulativeGainChart(gains(), { width: WIDTH, highlight: 'ensemble' });
    const words = texts(el);
    for (const id of MODEL_IDS) expect(words).not.toContain(id);
    for (const name of ['BG/NBD + Gamma-Gamma', 'Stacked ensemble', 'Naive run rate']) expect(words).toContain(name);
    expect(words.some((t) => t.includes('(%)'))).toBe(true);
    // Seven model curves plus the perfect and random lines.
    expect(el.querySelectorAll('[stroke-width="3.5"]').length).toBe(1);
    golden('cumulative-gain.svg', el);
  });

  it('lift', () => {
    const el = charts.liftChart(gains(), { width: WIDTH, highlight: 'bgnbd-gg' });
    const words = texts(el);
    for (const id of MODEL_IDS) expect(words).not.toContain(id);
    expect(words.some((t) => t.includes('(×)'))).toBe(true);
    golden('lift.svg', el);
  });

  it('loss curves name the nets in words', () => {
    const points = ['fnn', 'ziln'].flatMap((model, m) => Array.from({ length: 12 }, (_, e) => ({ model, epoch: e + 1, loss: (2 + m) / (1 + e * (0.4 + 0.5 * m)), valLoss: (2.2 + m) / (1 + e * (0.3 + 0.3 * m)) })));
    const el = charts.lossCurvesChart(points, { width: WIDTH });
    const words = texts(el);
    expect(words).toContain('FNN');
    expect(words).toContain('ZILN network');
    golden('loss-curves.svg', el);
  });

  it('loss curves: a net trained once per fold is one line per fold, each starting at 1', () => {
    // Two folds of 3 epochs: the second fold's losses are twice the first's and must not be drawn relative to them.
    const points = [0, 1].flatMap((fold) => [1, 2, 3].map((epoch) => ({ model: 'fnn', epoch, loss: (fold + 1) * (4 - epoch), valLoss: null })));
    const el = charts.lossCurvesChart(points, { width: WIDTH });
    const lines = [...el.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '').filter((d) => (d.match(/L/g) ?? []).length === 2);
    // Two separate three-point lines (not one six-point zigzag) that coincide: both are 1, 2/3, 1/3.
    expect(lines.length).toBe(2);
    expect(lines[0]).toBe(lines[1]);
  });

  it('loss curves: folds trained side by side, their epochs interleaved, are still one line per fold', () => {
    // Fold 1 and fold 2 report alternately (a pool trains them at once); fold 2's losses are twice fold 1's.
    const points = [1, 2, 3].flatMap((epoch) => [1, 2].map((fold) => ({ model: 'ziln', fold, epoch, loss: fold * (4 - epoch), valLoss: null })));
    const el = charts.lossCurvesChart(points, { width: WIDTH });
    const paths = [...el.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '').filter((d) => /^M/.test(d) && (d.match(/L/g) ?? []).length >= 1);
    const lines = paths.filter((d) => (d.match(/L/g) ?? []).length === 2);
    // Two three-point lines that coincide (1, 2/3, 1/3 each), and no zigzag between the folds.
    expect(lines.length).toBe(2);
    expect(lines[0]).toBe(lines[1]);
    expect(paths.filter((d) => (d.match(/L/g) ?? []).length > 2)).toEqual([]);
  });

  it('RFM heatmap with its colour legend, a count in every cell', () => {
    const random = lcg(3);
    const cells: HeatCell[] = [];
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) cells.push({ r_score: r, f_score: f, customers: Math.floor(random() * 400), avg_spend: 10 + random() * 100 });
    const el = charts.rfmHeatmapChart(cells, { width: WIDTH });
    const words = texts(el);
    expect(words).toContain('Customers per cell');
    expect(el.querySelectorAll('image').length).toBe(0); // no data: images (the page's CSP forbids them)
    expect(el.querySelectorAll('svg').length).toBe(0); // one SVG, no nested ones
    for (const c of cells) expect(words).toContain(new Intl.NumberFormat().format(c.customers));
    golden('rfm-heatmap.svg', el);
  });

  it('CLV distribution: one bar per non-empty bin', () => {
    const bins: HistogramBin[] = Array.from({ length: 12 }, (_, i) => ({ x1: 2 ** i, x2: 2 ** (i + 1), customers: i === 3 ? 0 : Math.round(400 * Math.exp(-((i - 5) ** 2) / 6)) }));
    const el = charts.clvDistributionChart(bins, { width: WIDTH });
    expect(el.querySelectorAll('rect').length).toBeGreaterThanOrEqual(bins.filter((b) => b.customers > 0).length);
    // The bins start at 1 here: the axis still starts at 0, so its ticks 0 and 1 are inside the chart.
    const tickX = [...el.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => Number(/translate\(([-\d.]+)/.exec(t.getAttribute('transform') ?? '')![1]));
    expect(tickX.length).toBeGreaterThanOrEqual(4);
    for (const x of tickX) expect(x).toBeGreaterThanOrEqual(0);
    golden('clv-distribution.svg', el);
  });

  it('decile calibration', () => {
    const deciles = Array.from({ length: 10 }, (_, i) => ({ decile: i + 1, count: 50, mean_predicted: 400 / (i + 1), mean_actual: 150 / (i + 1), sum_actual: 7500 / (i + 1) }));
    const el = charts.decileCalibrationChart(deciles as never, { width: WIDTH });
    expect(texts(el).some((t) => t.includes('(currency)'))).toBe(true);
    golden('decile-calibration.svg', el);
  });

  it('feature importance names features in words', () => {
    const importance = ['orders_90d', 'recency_days', 'total_spend', 'gg_log_spend_per_purchase', 'std_gap_days'].map((feature, i) => ({ feature, importance: 1.5 - i * 0.4 }));
    const el = charts.featureImportanceChart(importance, { width: WIDTH });
    const words = texts(el);
    expect(words.filter((t) => t.includes('_'))).toEqual([]);
    expect(words).toContain('Orders, 90 days');
    golden('feature-importance.svg', el);
  });

  it('attributions', () => {
    const el = charts.attributionsChart([{ feature: 'recency_days', attribution: -12.5 }, { feature: 'total_spend', attribution: 30.25 }, { feature: 'frequency', attribution: 4 }], { width: WIDTH });
    golden('attributions.svg', el);
  });

  it('predicted vs actual, as dots and as a density grid', () => {
    const random = lcg(11);
    const points = Array.from({ length: 60 }, () => {
      const actual = Math.round(random() * 500 * 100) / 100;
      return { actual, predicted: Math.round(actual * (0.5 + random()) * 100) / 100 };
    });
    const dots: ScatterData = { kind: 'points', n: points.length, points };
    golden('predicted-vs-actual-points.svg', charts.predictedVsActualChart(dots, { width: WIDTH }));
    const bins: ScatterData = { kind: 'bins', n: 900, bins: Array.from({ length: 9 }, (_, i) => ({ x1: (i % 3) * 100, x2: (i % 3) * 100 + 100, y1: Math.floor(i / 3) * 100, y2: Math.floor(i / 3) * 100 + 100, customers: 100 })) };
    golden('predicted-vs-actual-bins.svg', charts.predictedVsActualChart(bins, { width: WIDTH }));
  });

  it('RFM segment shares', () => {
    const names = ['Champions', 'Loyal', 'At risk', 'Lost'];
    const segments: SegmentShare[] = names.map((segment, i) => ({ segment, customers: 100 * (i + 1), customer_share: (i + 1) / 10, spend: 1000 / (i + 1), value_share: [0.5, 0.25, 0.15, 0.1][i], avg_frequency: 5 - i, avg_monetary: 80 - 10 * i }));
    golden('segment-shares.svg', charts.segmentSharesChart(segments, { width: WIDTH }));
  });

  it('value by tier and by RFM segment, each label saying which', () => {
    const shares: ValueShare[] = [
      { grouping: 'value', segment: 'high', customers: 200, predicted: 6000, predicted_share: 0.6, actual: null, actual_share: null },
      { grouping: 'value', segment: 'medium', customers: 300, predicted: 2500, predicted_share: 0.25, actual: null, actual_share: null },
      { grouping: 'value', segment: 'low', customers: 500, predicted: 1500, predicted_share: 0.15, actual: null, actual_share: null },
      { grouping: 'rfm', segment: 'Champions', customers: 150, predicted: 4000, predicted_share: 0.4, actual: null, actual_share: null },
      { grouping: 'rfm', segment: 'Lost', customers: 250, predicted: 500, predicted_share: 0.05, actual: null, actual_share: null },
    ];
    const el = charts.valueSharesChart(shares, { width: WIDTH });
    const words = texts(el);
    expect(words).toContain('Tier: high');
    expect(words).toContain('RFM: Champions');
    golden('value-shares.svg', el);
  });
});
