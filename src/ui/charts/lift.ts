import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import type { GainSeries } from '../../../workers/contracts';
import { STRINGS } from '../strings';
import { seriesLegend } from './legend';
import { modelLabel } from './modelLabel';
import { OKABE_ITO, seriesScale } from './palette';
import type { ChartElement, ChartSize } from './types';

const C = STRINGS.charts;

/** Lift per model: how many times better than random targeting the top x% by prediction are. */
export function liftChart(series: readonly GainSeries[], { width, highlight }: ChartSize & { highlight?: string | null }): ChartElement {
  const rows = series.flatMap((s) => s.points.map((p) => ({ model: modelLabel(s.model), fraction: p.fraction, lift: p.lift })));
  const names = series.map((s) => modelLabel(s.model));
  const main = highlight ? modelLabel(highlight) : null;
  return Plot.plot({
    width,
    height: 300,
    x: { label: C.targeted, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100] },
    y: { label: C.lift, grid: true, tickFormat: formatTick, zero: true },
    color: seriesScale(names),
    marks: [
      Plot.ruleY([1], { stroke: OKABE_ITO.grey, strokeDasharray: '2,3' }),
      Plot.line(rows.filter((r) => r.model !== main), { x: 'fraction', y: 'lift', stroke: 'model', strokeWidth: main ? 1.25 : 2, strokeOpacity: main ? 0.75 : 1 }),
      ...(main ? [Plot.line(rows.filter((r) => r.model === main), { x: 'fraction', y: 'lift', stroke: 'model', strokeWidth: 3.5 })] : []),
      ...seriesLegend(names, 'top-right'),
    ],
  });
}
