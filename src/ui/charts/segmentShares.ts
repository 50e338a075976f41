import * as Plot from '@observablehq/plot';
import type { SegmentShare } from '../../../workers/contracts';
import { OKABE_ITO } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';
import { formatPercent, formatTick } from '../format';

const C = STRINGS.charts;

const MEASURES = { customers: C.shareOfCustomers, value: C.shareOfSpend } as const;

/** Each RFM segment's share of customers beside its share of spend. */
export function segmentSharesChart(segments: readonly SegmentShare[], { width }: ChartSize): ChartElement {
  const rows = segments.flatMap((s) => [
    { segment: s.segment, measure: MEASURES.customers, share: s.customer_share },
    { segment: s.segment, measure: MEASURES.value, share: s.value_share },
  ]);
  return Plot.plot({
    width,
    height: 40 + segments.length * 34,
    marginLeft: 130,
    x: { label: C.share, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100 * Math.min(1, 1.3 * Math.max(0.01, ...rows.map((r) => r.share)))] },
    y: { label: null, domain: [MEASURES.customers, MEASURES.value], axis: null },
    fy: { label: null, domain: segments.map((s) => s.segment) },
    color: { domain: [MEASURES.customers, MEASURES.value], range: [OKABE_ITO.skyBlue, OKABE_ITO.blue], legend: false },
    marks: [
      Plot.barX(rows, { x: 'share', y: 'measure', fy: 'segment', fill: 'measure' }),
      Plot.text(rows, { x: 'share', y: 'measure', fy: 'segment', text: (d: { share: number; measure: string }) => `${formatPercent(d.share)} ${d.measure === MEASURES.value ? C.spendShort : C.customersShort}`, dx: 4, textAnchor: 'start', fontSize: 10 }),
      Plot.ruleX([0]),
    ],
  });
}
