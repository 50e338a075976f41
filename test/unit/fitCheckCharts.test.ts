import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bgnbdExpectedPurchases, bgnbdProbabilityAlive, bgnbdUnconditionalExpected, bgnbdUnconditionalProbability, type BgNbdParams } from '../../src/core/models/bgnbd';
import { customerMatrix, holdoutByFrequency, MAX_MATRIX_SIDE, periodTransactions, trackingSeries } from '../../src/core/models/fitChecks';
import { TRANSACTION_MODELS, type TransactionModelKind } from '../../src/core/models/transactionModels';
import { customerMatrixChartSpec, holdoutByFrequencyChartSpec, periodTransactionsChartSpec, trackingChartSpec } from '../../src/ui/charts/fitCheckCharts';
import { renderSvgChart } from '../../src/ui/charts/svgChart';

const CDNOW = path.resolve(import.meta.dirname, '../../../shared/datasets/cdnow');
const GOLDEN = path.resolve(import.meta.dirname, '../golden');
/** Published CDNOW estimates (weeks), fixed so that the golden files do not depend on an optimiser's last digits. */
const BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PARAMS: Record<TransactionModelKind, Record<string, number>> = {
  bgnbd: { ...BG },
  pnbd: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
  mbgnbd: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
};
const LABEL: Record<TransactionModelKind, string> = { bgnbd: 'BG/NBD', pnbd: 'Pareto/NBD', mbgnbd: 'MBG/NBD' };
const KINDS: TransactionModelKind[] = ['bgnbd', 'pnbd', 'mbgnbd'];

const day = (s: string) => (Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8))) - Date.UTC(1997, 0, 1)) / 86_400_000;
const CUTOFF = day('19970930');
const HORIZON_END = day('19980630');

/**
 * From the raw CDNOW sample (independent of the engine): per customer the purchase days (same-day
 * purchases merged), x, t_x and T in weeks at the 1997-09-30 cutoff, holdout purchase days, and
 * repeat purchases per week since 1997-01-01.
 */
function cdnow() {
  const days = new Map<string, Set<number>>();
  for (const line of readFileSync(path.join(CDNOW, 'CDNOW_sample.txt'), 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (!/^\d{8}$/.test(f[2] ?? '')) continue;
    const set = days.get(f[0]) ?? new Set<number>();
    set.add(day(f[2]));
    days.set(f[0], set);
  }
  const frequency: number[] = [];
  const recency: number[] = [];
  const T: number[] = [];
  const holdout: number[] = [];
  const firstPurchase: number[] = [];
  const weekly = new Float64Array(78);
  for (const set of days.values()) {
    const sorted = [...set].sort((a, b) => a - b);
    const first = sorted[0];
    const calibration = sorted.filter((d) => d <= CUTOFF);
    frequency.push(calibration.length - 1);
    recency.push((calibration[calibration.length - 1] - first) / 7);
    T.push((CUTOFF - first) / 7);
    holdout.push(sorted.filter((d) => d > CUTOFF && d <= HORIZON_END).length);
    firstPurchase.push(first / 7);
    // Repeat purchase on day d falls in week ⌈(d+1)/7⌉ − 1: period k covers days (7k − 1, 7k + 6], i.e. times (k, k+1] in weeks of day ends.
    for (const d of sorted.slice(1)) if (d <= HORIZON_END) weekly[Math.ceil((d + 1) / 7) - 1]++;
  }
  return { frequency, recency, T, holdout, firstPurchase, weekly };
}

/** Compares with the committed golden file; UPDATE_GOLDEN=1 rewrites it (a missing file fails). */
function expectGolden(name: string, svg: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, svg);
  expect(existsSync(file), `golden file test/golden/${name} is missing`).toBe(true);
  expect(svg).toBe(readFileSync(file, 'utf8'));
}

describe('fit-check charts on the CDNOW sample', () => {
  const data = cdnow();

  it('tracking: weekly repeat transactions, actual from the log and each model, cutoff marked', () => {
    expect(data.frequency).toHaveLength(2357);
    // Every repeat purchase day up to the horizon end is counted once: calibration plus the 1,882 holdout ones.
    const calibrationRepeats = data.frequency.reduce((s, v) => s + v, 0);
    expect(data.weekly.reduce((s, v) => s + v, 0)).toBe(calibrationRepeats + 1882);
    // Purchases are timed at the end of their day, so (d+1)/7 weeks after 1997-01-01.
    const firstPurchase = data.firstPurchase.map((s) => s + 1 / 7);
    const tracks = KINDS.map((kind) => ({
      model: LABEL[kind],
      values: trackingSeries(kind, PARAMS[kind], { firstPurchase, actualRepeat: data.weekly, periodLength: 1, cutoff: (CUTOFF + 1) / 7 }),
    }));
    const bg = tracks[0].values;
    // The model's cumulative curve at week 78 is Σᵢ E[X(78 − sᵢ)], computed here customer by customer.
    const reference = firstPurchase.reduce((s, start) => s + bgnbdUnconditionalExpected(BG, 78 - start), 0);
    expect(bg.cumulativeExpected[77]).toBeCloseTo(reference, 6);
    expect(bg.cumulativeActual[77]).toBe(calibrationRepeats + 1882);
    // The models track the holdout totals within 15% (Fader, Hardie & Lee's figure 2).
    for (const t of tracks) expect(Math.abs(t.values.cumulativeExpected[77] / (calibrationRepeats + 1882) - 1)).toBeLessThan(0.15);
    expectGolden('tracking-cumulative.svg', renderSvgChart(trackingChartSpec(tracks, 'cumulative', { width: 720, unit: 'week' })));
    expectGolden('tracking-incremental.svg', renderSvgChart(trackingChartSpec(tracks, 'incremental', { width: 720, unit: 'week' })));
  });

  it('calibration vs holdout: mean holdout purchases by calibration frequency 0…7+', () => {
    const entries = KINDS.map((kind) => {
      const model = TRANSACTION_MODELS[kind];
      const expected = data.frequency.map((x, i) => model.expectedPurchases(PARAMS[kind], 39, x, x === 0 ? 0 : data.recency[i], data.T[i]));
      return { model: LABEL[kind], values: holdoutByFrequency(data.frequency, expected, data.holdout) };
    });
    const bg = entries[0].values;
    expect(bg.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(Array.from(bg.customers).reduce((s, v) => s + v, 0)).toBe(2357);
    const ones = data.frequency.map((x, i) => (x === 1 ? i : -1)).filter((i) => i >= 0);
    expect(bg.actual[1]).toBeCloseTo(ones.reduce((s, i) => s + data.holdout[i], 0) / ones.length, 12);
    expect(bg.expected[1]).toBeCloseTo(ones.reduce((s, i) => s + bgnbdExpectedPurchases(BG, 39, 1, data.recency[i], data.T[i]), 0) / ones.length, 12);
    expectGolden('holdout-by-frequency.svg', renderSvgChart(holdoutByFrequencyChartSpec(entries, { width: 720 })));
  });

  it('period transactions: customers by calibration repeat purchases, actual vs model', () => {
    const entries = KINDS.map((kind) => ({ model: LABEL[kind], values: periodTransactions(kind, PARAMS[kind], data.frequency, data.T) }));
    const bg = entries[0].values;
    expect(Array.from(bg.actual)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => data.frequency.filter((x) => x === n).length).concat(data.frequency.filter((x) => x >= 7).length));
    expect(bg.expected[0]).toBeCloseTo(data.T.reduce((s, T) => s + bgnbdUnconditionalProbability(BG, T, 0), 0), 8);
    for (const e of entries) expect(Array.from(e.values.expected).reduce((s, v) => s + v, 0)).toBeCloseTo(2357, 6);
    expectGolden('period-transactions.svg', renderSvgChart(periodTransactionsChartSpec(entries, { width: 720 })));
  });

  it('P(alive) and expected-purchases matrices, the grid capped', () => {
    const maxFrequency = Math.max(...data.frequency);
    const alive = customerMatrix('bgnbd', PARAMS.bgnbd, 'alive', 38.86, maxFrequency, { maxSide: 30 });
    expect(alive.frequency[0]).toBe(0);
    expect(alive.frequency[alive.frequency.length - 1]).toBe(maxFrequency);
    expect(alive.recency).toHaveLength(30);
    const r = 3;
    const c = 17;
    expect(alive.values[r * alive.recency.length + c]).toBe(bgnbdProbabilityAlive(BG, alive.frequency[r], alive.recency[c], 38.86));
    // A huge frequency range still gives at most MAX_MATRIX_SIDE × MAX_MATRIX_SIDE cells.
    const capped = customerMatrix('mbgnbd', PARAMS.mbgnbd, 'alive', 365, 1_000_000, { maxSide: 10_000 });
    expect(capped.values.length).toBeLessThanOrEqual(MAX_MATRIX_SIDE * MAX_MATRIX_SIDE);
    expectGolden('p-alive-matrix.svg', renderSvgChart(customerMatrixChartSpec(alive, 'alive', { width: 720, model: 'BG/NBD', unit: 'week' })));
    const purchases = customerMatrix('pnbd', PARAMS.pnbd, 'purchases', 38.86, maxFrequency, { maxSide: 30, horizon: 39 });
    expectGolden('expected-purchases-matrix.svg', renderSvgChart(customerMatrixChartSpec(purchases, 'purchases', { width: 720, model: 'Pareto/NBD', unit: 'week' })));
  });
});
