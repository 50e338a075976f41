import * as Plot from '@observablehq/plot';
import type { HeatCell } from '../../../workers/contracts';
import { formatNumber } from '../format';
import { SEQUENTIAL_SCHEME } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Height of the colour legend above the grid. */
const LEGEND_HEIGHT = 52;

/**
 * Customers per (recency score, frequency score) cell, counts written in the cells, with the
 * colour legend (a ramp from 0 to the largest cell) above the grid, inside the same SVG so that it
 * survives the SVG and PNG exports.
 */
export function rfmHeatmapChart(cells: readonly HeatCell[], { width }: ChartSize): ChartElement {
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const w = Math.min(width, 480);
  const color = { type: 'sqrt' as const, scheme: SEQUENTIAL_SCHEME as Plot.ColorScheme, domain: [0, max] as [number, number], label: C.heatmapLegend };
  const grid = heatmapGrid(cells, w, max);
  const legend = colourLegend(color, Math.min(280, w - 20), max);
  const doc = grid.ownerDocument;
  const outer = doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  const height = 320 + LEGEND_HEIGHT;
  outer.setAttribute('width', String(w));
  outer.setAttribute('height', String(height));
  outer.setAttribute('viewBox', `0 0 ${w} ${height}`);
  outer.setAttribute('font-family', 'system-ui, sans-serif');
  outer.setAttribute('font-size', '10');
  // One SVG, not nested ones: the legend's and the grid's contents move into groups (with their
  // Plot classes, which their <style> rules select).
  outer.append(asGroup(legend, 10, 0), asGroup(grid, 0, LEGEND_HEIGHT));
  return outer;
}

function asGroup(svg: SVGSVGElement, x: number, y: number): SVGGElement {
  const g = svg.ownerDocument.createElementNS(SVG_NS, 'g') as SVGGElement;
  g.setAttribute('transform', `translate(${x},${y})`);
  for (const name of ['class', 'fill', 'text-anchor', 'font-variant']) {
    const value = svg.getAttribute(name);
    if (value !== null) g.setAttribute(name, value);
  }
  g.append(...svg.childNodes);
  return g;
}

/**
 * The colour legend drawn as plain SVG rectangles (Plot's ramp legend paints a canvas into a
 * data: image, which the page's Content-Security-Policy does not allow and an export would lose).
 */
function colourLegend(color: { type: 'sqrt'; scheme: Plot.ColorScheme; domain: [number, number]; label: string }, width: number, max: number): SVGSVGElement {
  const STEPS = 40;
  const steps = Array.from({ length: STEPS }, (_, i) => ({ x1: (max * i) / STEPS, x2: (max * (i + 1)) / STEPS }));
  return Plot.plot({
    width,
    height: LEGEND_HEIGHT,
    marginTop: 22,
    marginBottom: 20,
    marginLeft: 10,
    marginRight: 16,
    x: { domain: color.domain, label: null, tickFormat: formatNumber, ticks: 4 },
    y: { axis: null, domain: [0, 1] },
    color: { type: color.type, scheme: color.scheme, domain: color.domain },
    marks: [
      Plot.rect(steps, { x1: 'x1', x2: 'x2', y1: 0, y2: 1, fill: (d: { x1: number; x2: number }) => (d.x1 + d.x2) / 2 }),
      Plot.text([color.label], { frameAnchor: 'top-left', dy: -14, textAnchor: 'start', fontWeight: 600, fill: 'currentColor' }),
    ],
  }) as SVGSVGElement;
}

function heatmapGrid(cells: readonly HeatCell[], width: number, max: number): SVGSVGElement {
  return Plot.plot({
    width,
    height: 320,
    padding: 0.04,
    x: { label: C.frequencyScore, domain: [1, 2, 3, 4, 5] },
    y: { label: C.recencyScore, domain: [5, 4, 3, 2, 1] },
    color: { type: 'sqrt', scheme: SEQUENTIAL_SCHEME, domain: [0, max] },
    marks: [
      Plot.cell(cells, { x: 'f_score', y: 'r_score', fill: 'customers', inset: 0.5 }),
      Plot.text(cells, {
        x: 'f_score',
        y: 'r_score',
        text: (d: HeatCell) => formatNumber(d.customers),
        // Cividis runs from dark blue to light yellow: dark text on the light half.
        fill: (d: HeatCell) => (Math.sqrt(d.customers / max) > 0.4 ? 'black' : 'white'),
      }),
    ],
  }) as SVGSVGElement;
}
