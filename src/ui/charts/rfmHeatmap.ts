import * as Plot from '@observablehq/plot';
import type { HeatCell } from '../../../workers/contracts';
import { formatNumber } from '../format';
import { SEQUENTIAL_SCHEME } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

/** Customers per (recency score, frequency score) cell, counts written in the cells. */
export function rfmHeatmapChart(cells: readonly HeatCell[], { width }: ChartSize): ChartElement {
  const max = Math.max(1, ...cells.map((c) => c.customers));
  return Plot.plot({
    width: Math.min(width, 480),
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
  });
}
