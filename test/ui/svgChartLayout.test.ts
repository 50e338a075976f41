/**
 * The pure-SVG charts at phone width, and on the page: a title or legend too long for the width
 * wraps (nothing is drawn outside the chart), the axis labels thin out so they do not overlap, and
 * svgChartElement gives the theme's ink to the paper, text and rules while the model colours stay.
 */
import { DOMParser, parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SvgChartSpec } from '../../src/ui/charts/svgChart';
import { renderSvgChart } from '../../src/ui/charts/svgChart';
import { svgChartElement } from '../../src/ui/charts/svgChartElement';

const TITLE = 'Pareto/NBD: expected purchases by frequency and recency (age 273 days)';
const X_LABEL = 'Recency: time of the last purchase since the first (days)';

function spec(width: number): SvgChartSpec {
  const xs = Array.from({ length: 78 }, (_, k) => k + 1);
  const line = (label: string, colour: string, dash?: string) => ({ kind: 'line' as const, label, colour, dash, points: xs.map((x): [number, number] => [x, x * 2]) });
  return {
    title: TITLE,
    width,
    height: 300,
    x: { label: X_LABEL, domain: Array.from({ length: 40 }, (_, k) => String(k * 7)) },
    y: { label: 'Repeat transactions', domain: [0, 160] },
    series: [line('Actual', '#222222'), line('BG/NBD', '#0072B2', '6 3'), line('Pareto/NBD', '#E69F00', '6 3'), line('MBG/NBD', '#009E73', '6 3')],
    rules: [{ x: 39, label: 'Cutoff' }],
  };
}

function parse(svg: string): Document {
  return new DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;
}

/** Rough right end of a text: its x plus 8 px a character (bold 13 px, the widest text drawn). */
const rightEnd = (t: Element) => Number(t.getAttribute('x')) + (t.getAttribute('text-anchor') === 'end' ? 0 : 8 * (t.textContent ?? '').length);

describe('svgChart at phone width', () => {
  const narrow = parse(renderSvgChart(spec(330)));
  const wide = parse(renderSvgChart(spec(900)));

  it('wraps the title into lines that fit, and grows the chart by as much', () => {
    const titleLines = (doc: Document) => [...doc.querySelectorAll('text[font-size="13"]')];
    expect(titleLines(wide)).toHaveLength(1);
    const lines = titleLines(narrow);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((t) => t.textContent).join(' ')).toBe(TITLE);
    for (const t of lines) expect(rightEnd(t)).toBeLessThanOrEqual(330);
    const svg = narrow.querySelector('svg')!;
    expect(Number(svg.getAttribute('height'))).toBeGreaterThan(300);
    expect(Number(wide.querySelector('svg')!.getAttribute('height'))).toBe(300);
  });

  it('wraps an x-axis label too long for the width under the plot, inside the chart', () => {
    const lines = [...narrow.querySelectorAll('text[text-anchor="middle"]')].filter((t) => /[a-z]/.test(t.textContent ?? '') && !t.hasAttribute('transform'));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((t) => t.textContent).join(' ')).toBe(X_LABEL);
    for (const t of lines) {
      const half = (7 * (t.textContent ?? '').length) / 2;
      expect(Number(t.getAttribute('x')) + half).toBeLessThanOrEqual(330);
      expect(Number(t.getAttribute('y'))).toBeLessThanOrEqual(Number(narrow.querySelector('svg')!.getAttribute('height')));
    }
  });

  it('puts the legend in rows inside the chart, every series named once', () => {
    const legend = [...narrow.querySelectorAll('text')].filter((t) => ['Actual', 'BG/NBD', 'Pareto/NBD', 'MBG/NBD'].includes(t.textContent ?? ''));
    expect(legend.map((t) => t.textContent).sort()).toEqual(['Actual', 'BG/NBD', 'MBG/NBD', 'Pareto/NBD']);
    expect(new Set(legend.map((t) => t.getAttribute('y'))).size).toBeGreaterThan(1);
    for (const t of legend) {
      expect(Number(t.getAttribute('x'))).toBeGreaterThanOrEqual(0);
      // Legend labels are 11 px: about 7 px a character.
      expect(Number(t.getAttribute('x')) + 7 * (t.textContent ?? '').length).toBeLessThanOrEqual(330);
    }
  });

  it('shows no more x labels than fit side by side', () => {
    const bottom = (doc: Document) => [...doc.querySelectorAll('text[text-anchor="middle"]')].filter((t) => /^\d+$/.test(t.textContent ?? ''));
    const xs = bottom(narrow).map((t) => Number(t.getAttribute('x')));
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(3 * 7 + 6);
    expect(bottom(wide).length).toBeGreaterThan(bottom(narrow).length);
  });

  it('labels the cutoff inside the plot, clear of the legend', () => {
    const cutoff = [...narrow.querySelectorAll('text')].find((t) => t.textContent === 'Cutoff')!;
    const rule = narrow.querySelector('line[stroke-dasharray="2 3"]')!;
    expect(Number(cutoff.getAttribute('y'))).toBeGreaterThan(Number(rule.getAttribute('y1')));
  });
});

describe('svgChartElement', () => {
  beforeAll(() => {
    const { window } = parseHTML('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { DOMParser: window.DOMParser ?? DOMParser });
  });

  it('gives the paper, ink and rules the theme colours and keeps the model colours', () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const svg = svgChartElement(renderSvgChart(spec(600)), document as unknown as Document);
    expect(svg.getAttribute('fill')).toBe('currentColor');
    expect(svg.querySelector('rect')!.getAttribute('fill')).toBe('var(--bg)');
    const strokes = [...svg.querySelectorAll('polyline')].map((l) => l.getAttribute('stroke'));
    expect(strokes).toEqual(['var(--fg)', '#0072B2', '#E69F00', '#009E73']);
    expect([...svg.querySelectorAll('[fill], [stroke]')].some((el) => /#(222222|333333|555555|e5e5e5|ffffff)/i.test(`${el.getAttribute('fill')} ${el.getAttribute('stroke')}`))).toBe(false);
    // Text stays text: a label with markup in it is not turned into elements.
    const hostile = svgChartElement(renderSvgChart({ ...spec(600), title: '<img src=x onerror=alert(1)>' }), document as unknown as Document);
    expect(hostile.querySelector('img')).toBeNull();
    expect(hostile.querySelector('text')!.textContent).toContain('<img');
  });
});
