import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import { MAIN_COLOUR } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

/** Permutation importance, largest first. */
export function featureImportanceChart(importance: readonly { feature: string; importance: number }[], { width }: ChartSize): ChartElement {
  const rows = [...importance].sort((a, b) => b.importance - a.importance).slice(0, 20);
  return Plot.plot({
    width,
    height: 30 + rows.length * 20,
    marginLeft: 140,
    x: { label: C.importance, grid: true, tickFormat: formatTick },
    y: { label: null, domain: rows.map((r) => r.feature) },
    marks: [Plot.barX(rows, { x: 'importance', y: 'feature', fill: MAIN_COLOUR }), Plot.ruleX([0])],
  });
}
