import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import { MAIN_COLOUR } from './palette';
import type { ChartElement, ChartSize } from './types';
import { FEATURE_LABELS, STRINGS } from '../strings';

const C = STRINGS.charts;

/**
 * Permutation importance, largest first, features named in words; with `std`, a line of ± one
 * standard deviation over the shuffles through each bar, and `label` names the metric on the axis.
 */
export function featureImportanceChart(importance: readonly { feature: string; importance: number; std?: number }[], { width }: ChartSize, label: string = C.importance): ChartElement {
  const rows = [...importance]
    .sort((a, b) => b.importance - a.importance)
    .slice(0, 20)
    .map((r) => ({ feature: FEATURE_LABELS[r.feature] ?? r.feature, importance: r.importance, low: r.importance - (r.std ?? 0), high: r.importance + (r.std ?? 0) }));
  const spread = importance.some((r) => r.std !== undefined && r.std > 0);
  return Plot.plot({
    width,
    height: 30 + rows.length * 20,
    // Room for the longest name (about 5.6 px a character at Plot's 10 px), at most half the width.
    marginLeft: Math.round(Math.min(width / 2, 14 + 5.8 * Math.max(0, ...rows.map((r) => r.feature.length)))),
    x: { label, grid: true, tickFormat: formatTick },
    y: { label: null, domain: rows.map((r) => r.feature) },
    marks: [
      Plot.barX(rows, { x: 'importance', y: 'feature', fill: MAIN_COLOUR }),
      ...(spread ? [Plot.ruleY(rows, { x1: 'low', x2: 'high', y: 'feature', stroke: 'currentColor', strokeWidth: 1.5 })] : []),
      Plot.ruleX([0]),
    ],
  });
}
