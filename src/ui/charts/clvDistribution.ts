import * as Plot from '@observablehq/plot';
import { formatCompact, formatTick } from '../format';
import type { HistogramBin } from '../../../workers/contracts';
import { MAIN_COLOUR } from './palette';
import { powerTicks } from './predictedVsActual';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

/**
 * Customers per predicted-CLV bin; bins are even in log(1 + CLV), drawn on a symlog axis. The axis
 * starts at 0, where the bins start, even when the lowest bins are empty (they have no row): its
 * ticks (0, 1, 10, …) then all fall inside the chart.
 */
export function clvDistributionChart(bins: readonly HistogramBin[], { width }: ChartSize): ChartElement {
  const top = Math.max(1, ...bins.map((b) => b.x2));
  return Plot.plot({
    width,
    height: 240,
    x: { type: 'symlog', label: C.predictedClv, grid: true, domain: [0, top], ticks: powerTicks(top), tickFormat: formatCompact },
    y: { label: C.customersAxis, grid: true, tickFormat: formatTick },
    marks: [Plot.rectY(bins, { x1: 'x1', x2: 'x2', y: 'customers', fill: MAIN_COLOUR, insetLeft: 0.5, insetRight: 0.5 }), Plot.ruleY([0])],
  });
}
