import * as Plot from '@observablehq/plot';
import type { PAlivePoint } from '../../core/models/pAliveHistory';
import { formatDay } from '../../core/tables/period';
import { formatTick } from '../format';
import { LOOKUP_STRINGS } from '../lookupStrings';
import { utcDay } from './customerTimeline';
import { MAIN_COLOUR } from './palette';
import type { ChartElement, ChartSize } from './types';

const L = LOOKUP_STRINGS;

export interface PAliveChartOptions extends ChartSize {
  cutoff: string;
  /** The timeline's dates, so the two charts line up. */
  domain: [Date, Date];
}

/** One customer's P(alive) from the first purchase to the cutoff (core/models/pAliveHistory.ts), its value at the cutoff written beside the end. */
export function pAliveHistoryChart(points: readonly PAlivePoint[], { width, cutoff, domain }: PAliveChartOptions): ChartElement {
  const rows = points.map((p) => ({ date: utcDay(formatDay(p.day)), pAlive: p.pAlive }));
  const last = rows[rows.length - 1];
  const at = utcDay(cutoff);
  return Plot.plot({
    width: Math.min(width, 720),
    height: 180,
    marginTop: 24,
    x: { type: 'utc', domain, label: L.dateAxis },
    y: { domain: [0, 1], label: L.pAliveAxis, grid: true, tickFormat: formatTick },
    marks: [
      Plot.ruleX([at], { stroke: 'currentColor', strokeDasharray: '4,3' }),
      Plot.line(rows, { x: 'date', y: 'pAlive', stroke: MAIN_COLOUR, strokeWidth: 2 }),
      ...(last
        ? [
            Plot.dot([last], { x: 'date', y: 'pAlive', fill: MAIN_COLOUR, r: 3.5 }),
            Plot.text([last], { x: 'date', y: 'pAlive', text: (d: { pAlive: number }) => formatTick(Number(d.pAlive.toPrecision(3))), dx: -6, dy: -10, textAnchor: 'end', fill: 'currentColor', fontWeight: 600 }),
          ]
        : []),
    ],
  });
}
