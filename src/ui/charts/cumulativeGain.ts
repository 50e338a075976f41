import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import type { GainSeries } from '../../../workers/contracts';
import { seriesLegend } from './legend';
import { OKABE_ITO, seriesScale } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

/** Gain curves per model, with the perfect ranking (dashed) and random targeting (dotted). */
export function cumulativeGainChart(series: readonly GainSeries[], { width }: ChartSize): ChartElement {
  const rows = series.flatMap((s) => [{ model: s.model, fraction: 0, gain: 0 }, ...s.points.map((p) => ({ model: s.model, fraction: p.fraction, gain: p.gain }))]);
  const ideal = series[0] ? [{ fraction: 0, gain: 0 }, ...series[0].points.map((p) => ({ fraction: p.fraction, gain: p.ideal_gain }))] : [];
  return Plot.plot({
    width,
    height: 300,
    x: { label: C.targeted, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100] },
    y: { label: C.reached, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100] },
    color: seriesScale(series.map((s) => s.model)),
    marks: [
      Plot.line([[0, 0], [1, 1]], { stroke: OKABE_ITO.grey, strokeDasharray: '2,3' }),
      Plot.line(ideal, { x: 'fraction', y: 'gain', stroke: OKABE_ITO.grey, strokeDasharray: '6,4' }),
      Plot.line(rows, { x: 'fraction', y: 'gain', stroke: 'model', strokeWidth: 2 }),
      ...seriesLegend(series.map((s) => s.model)),
    ],
  });
}
