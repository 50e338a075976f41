import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import { MAIN_COLOUR, OKABE_ITO } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

/** One customer's feature attributions: what raised (blue) or lowered (vermillion) the prediction. */
export function attributionsChart(attributions: readonly { feature: string; attribution: number }[], { width }: ChartSize): ChartElement {
  const rows = [...attributions].sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution)).slice(0, 10);
  return Plot.plot({
    width: Math.min(width, 560),
    height: 30 + rows.length * 22,
    marginLeft: 140,
    x: { label: C.attribution, grid: true, tickFormat: formatTick },
    y: { label: null, domain: rows.map((r) => r.feature) },
    marks: [
      Plot.barX(rows, { x: 'attribution', y: 'feature', fill: (d: { attribution: number }) => (d.attribution >= 0 ? MAIN_COLOUR : OKABE_ITO.vermillion) }),
      Plot.ruleX([0]),
    ],
  });
}
