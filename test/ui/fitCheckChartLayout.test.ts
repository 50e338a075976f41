/**
 * The fit-check charts at phone width: every chart spec of fitCheckCharts.ts, built from the CDNOW
 * sample, rendered at 300–390 px (the Results page's chart box on a phone is 328 px) is no wider
 * than it was asked to be, and every label stays inside the SVG. A text's extent is estimated the
 * way the layout code does (about 7 px a character at 11 px, 8 px for the 13 px title), with its
 * text-anchor taken into account.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { customerMatrix, holdoutByFrequency, periodTransactions, trackingSeries } from '../../src/core/models/fitChecks';
import { TRANSACTION_MODELS, type TransactionModelKind } from '../../src/core/models/transactionModels';
import { customerMatrixChartSpec, holdoutByFrequencyChartSpec, periodTransactionsChartSpec, trackingChartSpec } from '../../src/ui/charts/fitCheckCharts';
import { renderSvgChart, type SvgChartSpec } from '../../src/ui/charts/svgChart';

const CDNOW = path.resolve(import.meta.dirname, '../../../shared/datasets/cdnow/CDNOW_sample.txt');
/** Published CDNOW estimates (weeks); the layout does not depend on their last digits. */
const PARAMS: Record<TransactionModelKind, Record<string, number>> = {
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  pnbd: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
  mbgnbd: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
};
/** The app's names for the models (the longest legend entries it draws). */
const LABEL: Record<TransactionModelKind, string> = { bgnbd: 'BG/NBD + Gamma-Gamma', pnbd: 'Pareto/NBD + Gamma-Gamma', mbgnbd: 'MBG/NBD + Gamma-Gamma' };
const KINDS: TransactionModelKind[] = ['bgnbd', 'pnbd', 'mbgnbd'];
const WIDTHS = [300, 328, 360, 390];

const day = (s: string) => (Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8))) - Date.UTC(1997, 0, 1)) / 86_400_000;
const CUTOFF = day('19970930');
const HORIZON_END = day('19980630');

/** Per customer x, t_x, T (weeks) at the cutoff, holdout purchases, first purchase; weekly repeat purchases. */
function cdnow() {
  const days = new Map<string, Set<number>>();
  for (const line of readFileSync(CDNOW, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (!/^\d{8}$/.test(f[2] ?? '')) continue;
    const set = days.get(f[0]) ?? new Set<number>();
    set.add(day(f[2]));
    days.set(f[0], set);
  }
  const frequency: number[] = [];
  const recency: number[] = [];
  const T: number[] = [];
  const holdout: number[] = [];
  const firstPurchase: number[] = [];
  const weekly = new Float64Array(78);
  for (const set of days.values()) {
    const sorted = [...set].sort((a, b) => a - b);
    const calibration = sorted.filter((d) => d <= CUTOFF);
    frequency.push(calibration.length - 1);
    recency.push((calibration[calibration.length - 1] - sorted[0]) / 7);
    T.push((CUTOFF - sorted[0]) / 7);
    holdout.push(sorted.filter((d) => d > CUTOFF && d <= HORIZON_END).length);
    firstPurchase.push((sorted[0] + 1) / 7);
    for (const d of sorted.slice(1)) if (d <= HORIZON_END) weekly[Math.ceil((d + 1) / 7) - 1]++;
  }
  return { frequency, recency, T, holdout, firstPurchase, weekly };
}

/** Every fit-check chart the Results page draws, as a function of the width it is given. */
function fitCheckSpecs(): Record<string, (width: number) => SvgChartSpec> {
  const data = cdnow();
  const tracks = KINDS.map((kind) => ({
    model: LABEL[kind],
    values: trackingSeries(kind, PARAMS[kind], { firstPurchase: data.firstPurchase, actualRepeat: data.weekly, periodLength: 1, cutoff: (CUTOFF + 1) / 7 }),
  }));
  const holdout = KINDS.map((kind) => {
    const model = TRANSACTION_MODELS[kind];
    const expected = data.frequency.map((x, i) => model.expectedPurchases(PARAMS[kind], 39, x, x === 0 ? 0 : data.recency[i], data.T[i]));
    return { model: LABEL[kind], values: holdoutByFrequency(data.frequency, expected, data.holdout) };
  });
  const period = KINDS.map((kind) => ({ model: LABEL[kind], values: periodTransactions(kind, PARAMS[kind], data.frequency, data.T) }));
  const maxFrequency = Math.max(...data.frequency);
  const specs: Record<string, (width: number) => SvgChartSpec> = {
    'tracking, cumulative': (width) => trackingChartSpec(tracks, 'cumulative', { width, unit: 'week' }),
    'tracking, incremental': (width) => trackingChartSpec(tracks, 'incremental', { width, unit: 'week' }),
    'holdout by frequency': (width) => holdoutByFrequencyChartSpec(holdout, { width }),
    'period transactions': (width) => periodTransactionsChartSpec(period, { width }),
  };
  for (const kind of KINDS) {
    // The app's matrices are in the models' unit: days on the sample (age 273 days, recency up to 273).
    const alive = customerMatrix(kind, PARAMS[kind], 'alive', 272, maxFrequency);
    const purchases = customerMatrix(kind, PARAMS[kind], 'purchases', 272, maxFrequency, { horizon: 273 });
    specs[`P(alive) matrix, ${kind}`] = (width) => customerMatrixChartSpec(alive, 'alive', { width, model: LABEL[kind], unit: 'day' });
    specs[`expected purchases matrix, ${kind}`] = (width) => customerMatrixChartSpec(purchases, 'purchases', { width, model: LABEL[kind], unit: 'day' });
  }
  return specs;
}

interface Extent {
  text: string;
  left: number;
  right: number;
}

/** Horizontal extent of every text, estimated from its x, its anchor and its length. */
function textExtents(doc: Document): Extent[] {
  return [...doc.querySelectorAll('text')].map((t) => {
    const text = t.textContent ?? '';
    const transform = t.getAttribute('transform');
    if (transform) {
      // Rotated a quarter turn: the text runs vertically; across, it is one line high about its x.
      const x = Number(/translate\(([-\d.]+)/.exec(transform)![1]);
      expect(transform).toMatch(/rotate\(-?90\)/);
      return { text, left: x - 11, right: x + 4 };
    }
    const x = Number(t.getAttribute('x'));
    const w = (t.getAttribute('font-size') === '13' ? 8 : 7) * text.length;
    const anchor = t.getAttribute('text-anchor') ?? 'start';
    const left = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
    return { text, left, right: left + w };
  });
}

const parse = (svg: string) => new DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;

describe('fit-check charts at phone width', () => {
  const specs = fitCheckSpecs();

  for (const [name, build] of Object.entries(specs)) {
    it(`${name}: no wider than asked at 300–390 px, every label inside`, () => {
      for (const width of WIDTHS) {
        const doc = parse(renderSvgChart(build(width)));
        const svg = doc.querySelector('svg')!;
        expect(Number(svg.getAttribute('width')), `${name} at ${width}`).toBeLessThanOrEqual(width);
        const [x0, , vbWidth] = svg.getAttribute('viewBox')!.split(' ').map(Number);
        expect(x0).toBe(0);
        expect(vbWidth, `${name} at ${width}: viewBox`).toBeLessThanOrEqual(width);
        const outside = textExtents(doc)
          .filter((e) => e.left < 0 || e.right > width)
          .map((e) => `${e.text} (${Math.round(e.left)}–${Math.round(e.right)} of 0–${width})`);
        expect(outside, `${name} at ${width}`).toEqual([]);
      }
    });
  }

  it('the charts keep their labels: every series named, every matrix row and some columns labelled', () => {
    for (const [name, build] of Object.entries(specs)) {
      const texts = textExtents(parse(renderSvgChart(build(328)))).map((e) => e.text);
      if (name.includes('matrix')) {
        // Rows are frequencies 0…max: the first and at least three rows and three columns are labelled.
        const spec = build(328);
        const rows = spec.cells!.rows;
        expect(texts).toContain(rows[0]);
        expect(rows.filter((r) => texts.includes(r)).length).toBeGreaterThanOrEqual(3);
        expect(spec.cells!.columns.filter((c) => texts.includes(c)).length).toBeGreaterThanOrEqual(3);
      } else {
        for (const label of ['Actual', ...KINDS.map((k) => LABEL[k])]) expect(texts, name).toContain(label);
      }
    }
  });

  it('a cutoff near the right end keeps its label inside the plot', () => {
    const late = { ...specs['tracking, cumulative'](328), rules: [{ x: 77, label: 'Cutoff' }] };
    const cutoff = textExtents(parse(renderSvgChart(late))).find((e) => e.text === 'Cutoff')!;
    expect(cutoff.left).toBeGreaterThanOrEqual(0);
    expect(cutoff.right).toBeLessThanOrEqual(328);
  });
});

describe('a fit-check chart on the page', () => {
  it('scales down into a box narrower than the width it was drawn for, until it is drawn again', async () => {
    const { parseHTML } = await import('linkedom');
    const { window } = parseHTML('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { DOMParser: window.DOMParser ?? DOMParser });
    const { svgChartElement } = await import('../../src/ui/charts/svgChartElement');
    const spec = fitCheckSpecs()['tracking, cumulative'](593);
    const svg = svgChartElement(renderSvgChart(spec), window.document as unknown as Document);
    const style = (svg.getAttribute('style') ?? '').replace(/\s/g, '');
    expect(style).toContain('max-width:100%');
    expect(style).toContain('height:auto');
    // height:auto keeps the drawing's proportions only with a viewBox.
    expect(svg.getAttribute('viewBox')).toBe(`0 0 ${svg.getAttribute('width')} ${svg.getAttribute('height')}`);
  });
});
