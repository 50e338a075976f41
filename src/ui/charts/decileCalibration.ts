import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import type { ModelMetrics } from '../../../workers/contracts';
import { legendMarks } from './legend';
import { OKABE_ITO } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

const SERIES = { predicted: C.meanPredicted, actual: C.meanActual } as const;

/** Mean predicted vs mean actual spend per decile of prediction (1 = highest predictions). */
export function decileCalibrationChart(deciles: ModelMetrics['deciles'], { width }: ChartSize): ChartElement {
  const rows = deciles
    .filter((d) => d.count > 0)
    .flatMap((d) => [
      { decile: d.decile, series: SERIES.predicted, value: d.mean_predicted },
      { decile: d.decile, series: SERIES.actual, value: d.mean_actual },
    ]);
  return Plot.plot({
    width,
    height: 270,
    // The legend sits in the top margin below the y-axis label, so that on a phone the two never overlap.
    marginTop: 46,
    fx: { label: C.decile, padding: 0.15 },
    x: { axis: null, domain: [SERIES.predicted, SERIES.actual] },
    y: { label: C.meanSpend, grid: true, tickFormat: formatTick },
    color: { domain: [SERIES.predicted, SERIES.actual], range: [OKABE_ITO.orange, OKABE_ITO.blue] },
    marks: [
      Plot.barY(rows, { fx: 'decile', x: 'series', y: 'value', fill: 'series' }),
      Plot.ruleY([0]),
      ...legendMarks(
        [
          { text: SERIES.predicted, colour: OKABE_ITO.orange, dy: -22 },
          { text: SERIES.actual, colour: OKABE_ITO.blue, dy: -8 },
        ],
        'top-right',
        '■',
        { facet: 'super' },
      ),
    ],
  });
}
