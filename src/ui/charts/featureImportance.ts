import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import { MAIN_COLOUR } from './palette';
import type { ChartElement, ChartSize } from './types';
import { FEATURE_LABELS, STRINGS } from '../strings';

const C = STRINGS.charts;

/** Permutation importance, largest first, features named in words. */
export function featureImportanceChart(importance: readonly { feature: string; importance: number }[], { width }: ChartSize): ChartElement {
  const rows = [...importance]
    .sort((a, b) => b.importance - a.importance)
    .slice(0, 20)
    .map((r) => ({ feature: FEATURE_LABELS[r.feature] ?? r.feature, importance: r.importance }));
  return Plot.plot({
    width,
    height: 30 + rows.length * 20,
    // Room for the longest name (about 5.6 px a character at Plot's 10 px), at most half the width.
    marginLeft: Math.round(Math.min(width / 2, 14 + 5.8 * Math.max(0, ...rows.map((r) => r.feature.length)))),
    x: { label: C.importance, grid: true, tickFormat: formatTick },
    y: { label: null, domain: rows.map((r) => r.feature) },
    marks: [Plot.barX(rows, { x: 'importance', y: 'feature', fill: MAIN_COLOUR }), Plot.ruleX([0])],
  });
}
