/**
 * The four fit-check charts of the BTYD literature as SvgChartSpecs, one function each, overlaying
 * every probabilistic model given: tracking of repeat transactions (cumulative or incremental, the
 * cutoff marked), mean holdout purchases by calibration frequency, the calibration purchase-count
 * histogram, and a (frequency, recency) matrix of P(alive) or expected purchases.
 */
import type { CountBuckets, CustomerMatrix, HoldoutByFrequency, TrackingSeries } from '../../core/models/fitChecks';
import { OKABE_ITO, SERIES_COLOURS } from './palette';
import type { SvgChartSpec } from './svgChart';

/** One model's fit-check numbers, under the name the app shows for it. */
export interface ModelCurve<T> {
  model: string;
  values: T;
}

const ACTUAL = 'Actual';
const ACTUAL_COLOUR = '#222222';
/** Actual is drawn in near-black, so the models take the series colours in order. */
const modelColour = (k: number) => SERIES_COLOURS[k % SERIES_COLOURS.length];

const maxOf = (values: Iterable<number>) => {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && v > m) m = v;
  return m;
};

/** Repeat transactions per period, actual (solid) and each model (dashed), over calibration and horizon. */
export function trackingChartSpec(tracks: ModelCurve<TrackingSeries>[], mode: 'cumulative' | 'incremental', { width, unit }: { width: number; unit: string }): SvgChartSpec {
  if (tracks.length === 0) throw new RangeError('the tracking chart needs at least one model');
  const first = tracks[0].values;
  const pick = (s: TrackingSeries, actual: boolean) => (mode === 'cumulative' ? (actual ? s.cumulativeActual : s.cumulativeExpected) : actual ? s.actual : s.expected);
  const xs = Array.from(first.periodEnd);
  const series = [
    { kind: 'line' as const, label: ACTUAL, colour: ACTUAL_COLOUR, points: xs.map((x, k): [number, number] => [x, pick(first, true)[k]]) },
    ...tracks.map((t, k) => ({ kind: 'line' as const, label: t.model, colour: modelColour(k), dash: '6 3', points: xs.map((x, i): [number, number] => [x, pick(t.values, false)[i]]) })),
  ];
  const top = maxOf(series.flatMap((s) => s.points.map((p) => p[1])));
  return {
    title: mode === 'cumulative' ? 'Cumulative repeat transactions: actual vs model' : `Repeat transactions per ${unit}: actual vs model`,
    width,
    height: 300,
    x: { label: `Time since the start (${unit}s)`, domain: [0, xs[xs.length - 1] ?? 1] },
    y: { label: mode === 'cumulative' ? 'Cumulative repeat transactions' : 'Repeat transactions', domain: [0, top * 1.05 || 1] },
    series,
    rules: [{ x: first.cutoff, label: 'Cutoff' }],
  };
}

/** Mean holdout purchases by calibration frequency (0…7+), actual vs each model. */
export function holdoutByFrequencyChartSpec(entries: ModelCurve<HoldoutByFrequency>[], { width }: { width: number }): SvgChartSpec {
  if (entries.length === 0) throw new RangeError('the calibration vs holdout chart needs at least one model');
  const first = entries[0].values;
  const line = (label: string, colour: string, values: Float64Array, dash?: string) => ({
    kind: 'line' as const,
    label,
    colour,
    dash,
    dots: true,
    points: Array.from(values, (v, k): [number, number] => [k, v]),
  });
  const series = [line(ACTUAL, ACTUAL_COLOUR, first.actual), ...entries.map((e, k) => line(e.model, modelColour(k), e.values.expected, '6 3'))];
  return {
    title: 'Holdout purchases by calibration frequency: actual vs model',
    width,
    height: 300,
    x: { label: 'Repeat purchases in calibration', domain: first.labels },
    y: { label: 'Mean purchases in the horizon', domain: [0, maxOf(series.flatMap((s) => s.points.map((p) => p[1]))) * 1.05 || 1] },
    series,
  };
}

/** Customers by repeat purchases in calibration (0…7+), actual vs each model. */
export function periodTransactionsChartSpec(entries: ModelCurve<CountBuckets>[], { width }: { width: number }): SvgChartSpec {
  if (entries.length === 0) throw new RangeError('the period transactions chart needs at least one model');
  const first = entries[0].values;
  const series = [
    { kind: 'bars' as const, label: ACTUAL, colour: ACTUAL_COLOUR, values: Array.from(first.actual) },
    ...entries.map((e, k) => ({ kind: 'bars' as const, label: e.model, colour: modelColour(k), values: Array.from(e.values.expected) })),
  ];
  return {
    title: 'Customers by repeat purchases in calibration: actual vs model',
    width,
    height: 300,
    x: { label: 'Repeat purchases in calibration', domain: first.labels },
    y: { label: 'Customers', domain: [0, maxOf(series.flatMap((s) => s.values)) * 1.05 || 1] },
    series,
  };
}

/** P(alive) (0…1) or expected purchases over frequency (rows) and recency (columns), for a customer of age T. */
export function customerMatrixChartSpec(matrix: CustomerMatrix, what: 'alive' | 'purchases', { width, model, unit }: { width: number; model: string; unit: string }): SvgChartSpec {
  const values = Array.from(matrix.values);
  const domain: [number, number] = what === 'alive' ? [0, 1] : [0, maxOf(values) || 1];
  const columns = matrix.recency.map((r) => tickLabel1(r));
  return {
    title: `${model}: ${what === 'alive' ? 'P(alive)' : 'expected purchases'} by frequency and recency (age ${tickLabel1(matrix.T)} ${unit}s)`,
    width,
    height: Math.max(240, Math.min(520, 60 + 14 * matrix.frequency.length)),
    x: { label: `Recency: time of the last purchase since the first (${unit}s)`, domain: columns },
    y: { label: 'Repeat purchases (frequency)', domain: matrix.frequency.map(String) },
    series: [],
    cells: { rows: matrix.frequency.map(String), columns, values, domain, range: ['#f7fbff', OKABE_ITO.blue] },
  };
}

const tickLabel1 = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
