import * as Plot from '@observablehq/plot';
import type { ValueShare } from '../../../workers/contracts';
import { OKABE_ITO } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';
import { formatPercent, formatTick } from '../format';

const C = STRINGS.charts;

const MEASURES = { customers: C.customers, predicted: C.predictedValue } as const;

/**
 * Per segment: share of customers and of predicted value, value tiers first and RFM segments
 * after, each label saying which grouping it belongs to (value tiers, then RFM segments). The
 * share axis leaves room for the bar labels, more of it on a narrow screen, so none is clipped.
 */
export function valueSharesChart(shares: readonly ValueShare[], { width }: ChartSize): ChartElement {
  const total = shares.filter((s) => s.grouping === 'value').reduce((sum, s) => sum + s.customers, 0) || 1;
  const label = (s: ValueShare) => (s.grouping === 'value' ? C.valueSegment(s.segment) : C.rfmSegment(s.segment));
  const room = width < 560 ? 1.9 : 1.35;
  const rows = shares.flatMap((s) => [
    { segment: label(s), measure: MEASURES.customers, share: s.customers / total },
    { segment: label(s), measure: MEASURES.predicted, share: s.predicted_share },
  ]);
  return Plot.plot({
    width,
    height: 40 + shares.length * 30,
    marginLeft: 130,
    x: { label: C.share, percent: true, grid: true, tickFormat: formatTick, domain: [0, 100 * Math.min(1, room * Math.max(0.01, ...rows.map((r) => r.share)))] },
    y: { axis: null, domain: [MEASURES.customers, MEASURES.predicted] },
    fy: { label: null, domain: shares.map(label) },
    color: { domain: [MEASURES.customers, MEASURES.predicted], range: [OKABE_ITO.skyBlue, OKABE_ITO.orange] },
    marks: [
      Plot.barX(rows, { x: 'share', y: 'measure', fy: 'segment', fill: 'measure' }),
      Plot.text(rows, { x: 'share', y: 'measure', fy: 'segment', text: (d: { share: number; measure: string }) => `${formatPercent(d.share)} ${d.measure === MEASURES.predicted ? C.valueShort : C.customersShort}`, dx: 4, textAnchor: 'start', fontSize: 10 }),
      Plot.ruleX([0]),
    ],
  });
}
