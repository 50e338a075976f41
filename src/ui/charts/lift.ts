import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import type { GainSeries } from '../../../workers/contracts';
import { STRINGS } from '../strings';
import { seriesLegend } from './legend';
import { OKABE_ITO, seriesScale } from './palette';
import type { ChartElement, ChartSize } from './types';

const C = STRINGS.charts;

/** Lift per model: how many times better than random targeting the top x% by prediction are. */
export function liftChart(series: readonly GainSeries[], { width }: ChartSize): ChartElement {
  const rows = series.flatMap((s) => s.points.map((p) => ({ model: s.model, fraction: p.fraction, lift: p.lift })));
  return Plot.plot({
    width,
    height: 300,
    x: { label: C.targeted, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100] },
    y: { label: C.lift, grid: true, tickFormat: formatTick, zero: true },
    color: seriesScale(series.map((s) => s.model)),
    marks: [
      Plot.ruleY([1], { stroke: OKABE_ITO.grey, strokeDasharray: '2,3' }),
      Plot.line(rows, { x: 'fraction', y: 'lift', stroke: 'model', strokeWidth: 2 }),
      ...seriesLegend(series.map((s) => s.model), 'top-right'),
    ],
  });
}
