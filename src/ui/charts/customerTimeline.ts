import * as Plot from '@observablehq/plot';
import type { CustomerDay } from '../../../workers/contracts';
import { formatTick } from '../format';
import { LOOKUP_STRINGS } from '../lookupStrings';
import { legendMarks } from './legend';
import { MAIN_COLOUR, OKABE_ITO } from './palette';
import type { ChartElement, ChartSize } from './types';

const L = LOOKUP_STRINGS;

export interface TimelineOptions extends ChartSize {
  /** Last day of calibration (ISO date), marked by a rule. */
  cutoff: string;
  /** Dates the x axis spans, shared with the P(alive) chart drawn under it. */
  domain: [Date, Date];
}

/** An ISO date as the UTC midnight Plot's time axis reads. */
export const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);

/**
 * One customer's days as stems on a time axis (height = the day's net spend), coloured by whether
 * they fall up to the cutoff or in the horizon, with the cutoff marked and labelled.
 */
export function customerTimelineChart(days: readonly CustomerDay[], { width, cutoff, domain }: TimelineOptions): ChartElement {
  // The theme's main colour (blue, sky blue on dark) up to the cutoff, orange in the horizon.
  const colours = [MAIN_COLOUR, OKABE_ITO.orange];
  const rows = days.map((d) => ({ date: utcDay(d.day), spend: d.spend, colour: colours[d.day <= cutoff ? 0 : 1] }));
  const at = utcDay(cutoff);
  return Plot.plot({
    width: Math.min(width, 720),
    height: 200,
    marginTop: 50,
    x: { type: 'utc', domain, label: L.dateAxis },
    y: { label: L.spendAxis, grid: true, tickFormat: formatTick },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([at], { stroke: 'currentColor', strokeDasharray: '4,3' }),
      Plot.text([L.cutoff(cutoff)], { x: at, frameAnchor: 'top', dy: -8, textAnchor: 'start', dx: 4, fill: 'currentColor' }),
      Plot.ruleX(rows, { x: 'date', y1: 0, y2: 'spend', stroke: (d: { colour: string }) => d.colour, strokeWidth: 2 }),
      Plot.dot(rows, { x: 'date', y: 'spend', fill: (d: { colour: string }) => d.colour, r: 3 }),
      ...legendMarks(
        // Above the frame, clear of the stems.
        [L.beforeCutoff, L.afterCutoff].map((text, i) => ({ text, colour: colours[i], dy: -42 + 14 * i })),
        'top-right',
        '●',
      ),
    ],
  });
}
