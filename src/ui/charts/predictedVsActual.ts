import * as Plot from '@observablehq/plot';
import { formatCompact } from '../format';
import type { ScatterData } from '../../../workers/contracts';
import { MAIN_COLOUR, OKABE_ITO, SEQUENTIAL_SCHEME } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

/** 0, 1, 10, 100, … up to `top`: symlog's default ticks crowd the top end. */
export function powerTicks(top: number): number[] {
  const ticks = [0];
  for (let t = 1; t <= top * 1.0001; t *= 10) ticks.push(t);
  return ticks;
}

/**
 * Predicted against actual spend on symlog axes (spend is heavy-tailed and often zero). Few
 * customers: one dot each; many: counts per cell from DuckDB. The diagonal is a perfect prediction.
 */
export function predictedVsActualChart(data: ScatterData, { width }: ChartSize): ChartElement {
  const values = data.kind === 'points' ? data.points.flatMap((p) => [p.actual, p.predicted]) : data.bins.flatMap((b) => [b.x2, b.y2]);
  const top = Math.max(1, ...values.filter(Number.isFinite));
  const axis = { type: 'symlog' as const, domain: [0, top], grid: true, ticks: powerTicks(top), tickFormat: formatCompact };
  const diagonal = Plot.line([[0, 0], [top, top]], { stroke: OKABE_ITO.vermillion, strokeWidth: 1.5, strokeDasharray: '6,4' });
  const marks =
    data.kind === 'points'
      ? [Plot.dot(data.points, { x: 'actual', y: 'predicted', r: 2.5, fill: MAIN_COLOUR, fillOpacity: 0.45 })]
      : [Plot.rect(data.bins, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'customers' })];
  return Plot.plot({
    width: Math.min(width, 560),
    height: Math.min(width, 560) * 0.8,
    x: { ...axis, label: C.actualSpend },
    y: { ...axis, label: C.predictedSpend },
    color: { type: 'log', scheme: SEQUENTIAL_SCHEME },
    marks: [...marks, diagonal],
  });
}
