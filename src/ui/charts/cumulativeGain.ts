import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import type { GainSeries } from '../../../workers/contracts';
import { seriesLegend } from './legend';
import { modelLabel } from './modelLabel';
import { OKABE_ITO, seriesScale } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

/**
 * Gain curves per model, with the perfect ranking (dashed) and random targeting (dotted). The
 * highlighted model (the one used for CLV) is drawn thick and on top, the others thin, so seven or
 * eight close curves can still be told apart; every curve is named in the legend by its human name.
 */
export function cumulativeGainChart(series: readonly GainSeries[], { width, highlight }: ChartSize & { highlight?: string | null }): ChartElement {
  const ordered = [...series].sort((a, b) => Number(a.model === highlight) - Number(b.model === highlight));
  const rows = ordered.flatMap((s) => [{ model: modelLabel(s.model), fraction: 0, gain: 0 }, ...s.points.map((p) => ({ model: modelLabel(s.model), fraction: p.fraction, gain: p.gain }))]);
  const names = series.map((s) => modelLabel(s.model));
  const main = highlight ? modelLabel(highlight) : null;
  const ideal = series[0] ? [{ fraction: 0, gain: 0 }, ...series[0].points.map((p) => ({ fraction: p.fraction, gain: p.ideal_gain }))] : [];
  return Plot.plot({
    width,
    height: 300,
    x: { label: C.targeted, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100] },
    y: { label: C.reached, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100] },
    color: seriesScale(names),
    marks: [
      Plot.line([[0, 0], [1, 1]], { stroke: OKABE_ITO.grey, strokeDasharray: '2,3' }),
      Plot.line(ideal, { x: 'fraction', y: 'gain', stroke: OKABE_ITO.grey, strokeDasharray: '6,4' }),
      Plot.line(rows.filter((r) => r.model !== main), { x: 'fraction', y: 'gain', stroke: 'model', strokeWidth: main ? 1.25 : 2, strokeOpacity: main ? 0.75 : 1 }),
      ...(main ? [Plot.line(rows.filter((r) => r.model === main), { x: 'fraction', y: 'gain', stroke: 'model', strokeWidth: 3.5 })] : []),
      ...seriesLegend(names),
    ],
  });
}
