/**
 * The customer lookup's charts (src/ui/charts/customerTimeline.ts, pAliveHistory.ts) rendered from
 * fixed inputs to SVG (linkedom as the DOM) and compared with reviewed files in test/golden/, as in
 * chartGoldens.test.ts (UPDATE_GOLDEN=1 rewrites them). Besides the drawing: one stem and one dot
 * per day, coloured by its side of the cutoff, the cutoff labelled, units on the axes, P(alive)
 * drawn on 0–1 with its value at the cutoff written at the end of the line.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDay } from '../../workers/contracts';
import { pAliveHistory } from '../../src/core/models/pAliveHistory';

const GOLDEN = path.resolve(import.meta.dirname, '../golden');
const WIDTH = 640;

function golden(name: string, el: Element): void {
  const svg = `${el.outerHTML.replace(/></g, '>\n<')}\n`;
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, svg);
  expect(existsSync(file), `golden file test/golden/${name} is missing (UPDATE_GOLDEN=1 writes it; review it before committing)`).toBe(true);
  expect(svg).toBe(readFileSync(file, 'utf8'));
}

const texts = (el: Element) => [...el.querySelectorAll('text')].map((t) => (t.textContent ?? '').trim()).filter((t) => t !== '');

const CUTOFF = '1997-09-30';
const DAYS: CustomerDay[] = [
  { day: '1997-01-04', spend: 29.33, purchase: true },
  { day: '1997-02-18', spend: 61.5, purchase: true },
  { day: '1997-03-02', spend: 12, purchase: true },
  { day: '1997-06-21', spend: 104.2, purchase: true },
  { day: '1997-08-02', spend: -15, purchase: false },
  { day: '1997-12-12', spend: 26.48, purchase: true },
  { day: '1998-04-30', spend: 48.9, purchase: true },
];
const DOMAIN: [Date, Date] = [new Date('1997-01-04T00:00:00Z'), new Date('1998-06-30T00:00:00Z')];
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

let timeline: typeof import('../../src/ui/charts/customerTimeline');
let alive: typeof import('../../src/ui/charts/pAliveHistory');

beforeAll(async () => {
  const { window } = parseHTML('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window, document: window.document });
  timeline = await import('../../src/ui/charts/customerTimeline');
  alive = await import('../../src/ui/charts/pAliveHistory');
});

describe('customer lookup charts', () => {
  it('timeline: a stem and a dot per day, coloured by side of the cutoff, the cutoff labelled', () => {
    const el = timeline.customerTimelineChart(DAYS, { width: WIDTH, cutoff: CUTOFF, domain: DOMAIN });
    const words = texts(el);
    expect(words).toContain(`Cutoff ${CUTOFF}`);
    expect(words.some((t) => t.includes('(currency)'))).toBe(true);
    expect(words).toContain('Up to the cutoff');
    expect(words).toContain('In the horizon');
    const dots = [...el.querySelectorAll('circle')];
    expect(dots.length).toBe(DAYS.length);
    const colours = dots.map((c) => c.getAttribute('fill'));
    const before = DAYS.filter((d) => d.day <= CUTOFF).length;
    expect(new Set(colours.slice(0, before)).size).toBe(1);
    expect(new Set(colours.slice(before)).size).toBe(1);
    expect(colours[0]).not.toBe(colours[before]);
    golden('customer-timeline.svg', el);
  });

  it('P(alive) over time: a line per model on 0–1, each with its value at the cutoff in the legend', () => {
    const purchases = DAYS.filter((d) => d.purchase).map((d) => dayNumber(d.day));
    const series = [
      { label: 'BG/NBD', points: pAliveHistory('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, purchases, dayNumber(CUTOFF), { unitDays: 7 }) },
      { label: 'MBG/NBD', points: pAliveHistory('mbgnbd', { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }, purchases, dayNumber(CUTOFF), { unitDays: 7 }) },
    ];
    const el = alive.pAliveHistoryChart(series, { width: WIDTH, cutoff: CUTOFF, domain: DOMAIN });
    const words = texts(el);
    expect(words.some((t) => t.includes('P(alive) (0–1)'))).toBe(true);
    const format = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 6 });
    for (const s of series) expect(words).toContain(`${s.label}: ${format.format(Number(s.points[s.points.length - 1].pAlive.toPrecision(3)))} at the cutoff`);
    // MBG/NBD lets a customer drop out at the first purchase too, so its line starts below 1; BG/NBD's at 1.
    expect(series[0].points[0].pAlive).toBe(1);
    expect(series[1].points[0].pAlive).toBeLessThan(1);
    const lines = [...el.querySelectorAll('path')].filter((p) => ((p.getAttribute('d') ?? '').match(/L/g) ?? []).length > 10);
    expect(lines.length).toBe(2);
    golden('p-alive-history.svg', el);
  });
});
