import * as Plot from '@observablehq/plot';
import type { PAlivePoint } from '../../core/models/pAliveHistory';
import { formatDay } from '../../core/tables/period';
import { formatTick } from '../format';
import { LOOKUP_STRINGS } from '../lookupStrings';
import { utcDay } from './customerTimeline';
import { legendMarks } from './legend';
import { MAIN_COLOUR, OKABE_ITO } from './palette';
import type { ChartElement, ChartSize } from './types';

const L = LOOKUP_STRINGS;

/** One model's P(alive) history, named in words. */
export interface PAliveSeries {
  label: string;
  points: PAlivePoint[];
}

export interface PAliveChartOptions extends ChartSize {
  cutoff: string;
  /** The timeline's dates, so the two charts line up. */
  domain: [Date, Date];
}

/** The theme's main colour first (blue, sky blue on dark), then the most distinct others. */
const COLOURS = [MAIN_COLOUR, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.vermillion];

/** P(alive) at the cutoff as the legend and the page write it. */
export const atCutoff = (series: PAliveSeries) => formatTick(Number(series.points[series.points.length - 1].pAlive.toPrecision(3)));

/**
 * One customer's P(alive) from the first purchase to the cutoff (core/models/pAliveHistory.ts),
 * a line per probabilistic model, each named with its value at the cutoff in the legend above the frame.
 */
export function pAliveHistoryChart(series: readonly PAliveSeries[], { width, cutoff, domain }: PAliveChartOptions): ChartElement {
  const shown = series.filter((s) => s.points.length > 0);
  const rows = shown.flatMap((s, i) => s.points.map((p) => ({ date: utcDay(formatDay(p.day)), pAlive: p.pAlive, colour: COLOURS[i % COLOURS.length], model: s.label })));
  const ends = shown.map((s, i) => ({ ...s.points[s.points.length - 1], date: utcDay(formatDay(s.points[s.points.length - 1].day)), colour: COLOURS[i % COLOURS.length] }));
  const legendHeight = 14 * shown.length;
  return Plot.plot({
    width: Math.min(width, 720),
    height: 170 + legendHeight,
    marginTop: 22 + legendHeight,
    x: { type: 'utc', domain, label: L.dateAxis },
    y: { domain: [0, 1], label: L.pAliveAxis, grid: true, tickFormat: formatTick },
    marks: [
      Plot.ruleX([utcDay(cutoff)], { stroke: 'currentColor', strokeDasharray: '4,3' }),
      Plot.line(rows, { x: 'date', y: 'pAlive', z: 'model', stroke: (d: { colour: string }) => d.colour, strokeWidth: 2 }),
      Plot.dot(ends, { x: 'date', y: 'pAlive', fill: (d: { colour: string }) => d.colour, r: 3.5 }),
      ...legendMarks(
        shown.map((s, i) => ({ text: `${s.label}: ${atCutoff(s)} at the cutoff`, colour: COLOURS[i % COLOURS.length], dy: -legendHeight - 14 + 14 * i })),
        'top-right',
        '—',
      ),
    ],
  });
}
