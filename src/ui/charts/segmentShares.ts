import * as Plot from '@observablehq/plot';
import type { SegmentShare } from '../../../workers/dataWorkerApi';
import { OKABE_ITO } from './palette';
import type { ChartElement, ChartSize } from './types';

const MEASURES = { customers: 'Share of customers', value: 'Share of spend' } as const;

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
    x: { label: 'Share →', percent: true, grid: true, domain: [0, 100 * Math.min(1, 1.3 * Math.max(0.01, ...rows.map((r) => r.share)))] },
    y: { label: null, domain: [MEASURES.customers, MEASURES.value], axis: null },
    fy: { label: null, domain: segments.map((s) => s.segment) },
    color: { domain: [MEASURES.customers, MEASURES.value], range: [OKABE_ITO.skyBlue, OKABE_ITO.blue], legend: false },
    marks: [
      Plot.barX(rows, { x: 'share', y: 'measure', fy: 'segment', fill: 'measure' }),
      Plot.text(rows, { x: 'share', y: 'measure', fy: 'segment', text: (d: { share: number; measure: string }) => `${(100 * d.share).toFixed(1)}% ${d.measure === MEASURES.value ? 'spend' : 'cust.'}`, dx: 4, textAnchor: 'start', fontSize: 10 }),
      Plot.ruleX([0]),
    ],
  });
}
