/**
 * The engine's `features`, `rfm` and `visitante` tables, built by DuckDB-WASM from a generated CSV
 * full of edge cases, checked customer by customer against the plain-TypeScript reference
 * (test/support/featureReference.ts), with and without an order column, for both returns
 * policies, both time units, both gap distributions and both visitante normalisations.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import type { Row } from '../../src/core/db';
import { FEATURE_NAMES, TARGET_NAMES } from '../../src/core/featureNames';
import { rfmSegment } from '../../src/core/tables/rfm';
import { DEFAULT_VISITANTE, type VisitanteOptions } from '../../src/core/tables/visitante';
import { openWasmDb } from '../../src/node/wasmDb';
import {
  computeReference,
  erf,
  isReturn,
  normalCdf,
  type ReferenceMutation,
  type ReferenceOptions,
  type ReferenceResult,
  type ReferenceTransaction,
} from '../support/featureReference';
import { DEFAULT_GENERATOR, generateTransactions, toDay, writeCsv, type GeneratedDataset } from '../support/transactionGenerator';

type Tolerance = 'exact' | 'sum' | 'score' | 'norm' | 'scaled';

/** |a − b| allowed: counts exact; sums 1e-9 relative (plus 1e-13 of the customer's absolute turnover, for cancellation); probabilities 1e-6. */
function close(a: number, b: number, tol: Tolerance, magnitude: number): boolean {
  if (tol === 'exact') return a === b;
  const diff = Math.abs(a - b);
  if (tol === 'sum') return diff <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) + 1e-13 * magnitude;
  if (tol === 'score') return diff <= 1e-6;
  if (tol === 'norm') return diff <= 5e-6;
  return diff <= 5e-4; // 0–100 scaled score built from normalised scores
}

const FEATURE_TOLERANCE: Record<string, Tolerance> = {
  recency_days: 'exact',
  tenure_days: 'exact',
  frequency: 'exact',
  n_orders: 'exact',
  total_spend: 'sum',
  avg_order_value: 'sum',
  std_order_value: 'sum',
  max_order_value: 'sum',
  avg_gap_days: 'sum',
  std_gap_days: 'sum',
  orders_30d: 'exact',
  orders_90d: 'exact',
  spend_90d: 'sum',
  spend_trend: 'sum',
  active_months: 'exact',
  recency_score: 'score',
  holdout_spend: 'sum',
  holdout_orders: 'exact',
  active_in_holdout: 'exact',
};

const RFM_TOLERANCE: Record<string, Tolerance> = { frequency: 'exact', recency: 'sum', T: 'sum', monetary_value: 'sum', r_score: 'exact', f_score: 'exact' };

const VISITANTE_TOLERANCE: Record<string, Tolerance> = {
  purchases: 'exact',
  avg_gap_days: 'sum',
  t_ee: 'sum',
  recency_score: 'score',
  avg_amount: 'sum',
  gap_norm: 'norm',
  recency_norm: 'norm',
  amount_norm: 'norm',
  score: 'scaled',
};

function referenceRows(data: GeneratedDataset): ReferenceTransaction[] {
  return data.rows.map((r) => ({ customerId: r.customerId, day: r.day, amount: r.cents / 100, orderId: r.orderId }));
}

/** Sum of |amount| per customer: the scale of rounding in sums that cancel. */
function magnitudes(rows: readonly ReferenceTransaction[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.customerId, (m.get(r.customerId) ?? 0) + Math.abs(r.amount));
  return m;
}

function compareTable(
  table: string,
  engineRows: readonly Row[],
  reference: ReadonlyMap<string, object>,
  tolerances: Record<string, Tolerance>,
  magnitude: ReadonlyMap<string, number>,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of engineRows) {
    const id = String(row.customer_id);
    seen.add(id);
    const ref = reference.get(id) as Record<string, number | null | undefined> | undefined;
    if (!ref) {
      out.push(`${table}: ${id} is in the engine's table but not in the reference`);
      continue;
    }
    for (const [column, tol] of Object.entries(tolerances)) {
      if (!(column in ref)) continue;
      const expected = ref[column];
      const actual = row[column];
      if (expected === null || expected === undefined || actual === null || actual === undefined) {
        if ((expected ?? null) !== (actual ?? null)) out.push(`${table}.${column} ${id}: engine ${String(actual)}, reference ${String(expected)}`);
        continue;
      }
      if (typeof actual !== 'number' || !close(actual, expected, tol, magnitude.get(id) ?? 0)) {
        out.push(`${table}.${column} ${id}: engine ${String(actual)}, reference ${expected}`);
      }
    }
  }
  for (const id of reference.keys()) if (!seen.has(id)) out.push(`${table}: ${id} is in the reference but not in the engine's table`);
  return out;
}

interface Built {
  features: Row[];
  rfm: Row[];
  visitante: Row[];
  customersAfterCutoff: number;
  featureCustomers: number;
  rfmCustomers: number;
}

function diff(built: Built, ref: ReferenceResult, magnitude: ReadonlyMap<string, number>): string[] {
  const out = [
    ...compareTable('features', built.features, ref.features, FEATURE_TOLERANCE, magnitude),
    ...compareTable('rfm', built.rfm, ref.rfm, RFM_TOLERANCE, magnitude),
    ...compareTable('visitante', built.visitante, ref.visitante, VISITANTE_TOLERANCE, magnitude),
  ];
  if (built.customersAfterCutoff !== ref.customersAfterCutoff) {
    out.push(`customersAfterCutoff: engine ${built.customersAfterCutoff}, reference ${ref.customersAfterCutoff}`);
  }
  if (built.featureCustomers !== ref.features.size) out.push(`features.customers: engine ${built.featureCustomers}, reference ${ref.features.size}`);
  if (built.rfmCustomers !== ref.rfm.size) out.push(`rfmCustomers: engine ${built.rfmCustomers}, reference ${ref.rfm.size}`);
  out.push(...checkMScoresAndSegments(built.rfm, ref));
  return out;
}

/**
 * M scores rank total spend; two customers whose exact totals tie may differ by an ulp in either
 * implementation, so a customer is checked only when no other total lies within 1e-6 of its own.
 * The segment is checked against the documented (R, F) map.
 */
function checkMScoresAndSegments(rows: readonly Row[], ref: ReferenceResult): string[] {
  const out: string[] = [];
  const totals = [...ref.rfm.values()].map((r) => r.total_spend).sort((a, b) => a - b);
  for (const row of rows) {
    const id = String(row.customer_id);
    const r = ref.rfm.get(id);
    if (!r) continue;
    const near = totals.filter((t) => Math.abs(t - r.total_spend) <= 1e-6).length;
    if (near === 1 && row.m_score !== r.m_score) out.push(`rfm.m_score ${id}: engine ${String(row.m_score)}, reference ${r.m_score}`);
    const segment = rfmSegment(Number(row.r_score), Number(row.f_score));
    if (row.segment !== segment) out.push(`rfm.segment ${id}: engine ${String(row.segment)}, expected ${segment} for R=${String(row.r_score)} F=${String(row.f_score)}`);
    if (row.rfm_score !== `${String(row.r_score)}${String(row.f_score)}${String(row.m_score)}`) out.push(`rfm.rfm_score ${id}: ${String(row.rfm_score)}`);
  }
  return out;
}

function expectNoMismatch(mismatches: string[]): void {
  expect(mismatches.length === 0 ? [] : [`${mismatches.length} mismatches`, ...mismatches.slice(0, 40)]).toEqual([]);
}

const BASE: Omit<ReferenceOptions, 'hasOrderColumn'> = {
  cutoff: toDay(DEFAULT_GENERATOR.cutoff),
  horizonEnd: toDay(DEFAULT_GENERATOR.horizonEnd),
  returns: 'net',
  r: DEFAULT_VISITANTE.r,
  distribution: DEFAULT_VISITANTE.distribution,
  unit: 'day',
  normalisation: DEFAULT_VISITANTE.normalisation,
  weights: DEFAULT_VISITANTE.weights,
};

describe('reference numerics', () => {
  it('erf and Φ match tabulated values to 1e-14', () => {
    const table: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [4, 0.9999999845827421],
    ];
    for (const [x, v] of table) {
      expect(Math.abs(erf(x) - v)).toBeLessThan(1e-14);
      expect(Math.abs(erf(-x) + v)).toBeLessThan(1e-14);
    }
    expect(Math.abs(normalCdf(1.959963984540054) - 0.975)).toBeLessThan(1e-14);
    expect(Math.abs(normalCdf(-1) - 0.15865525393145707)).toBeLessThan(1e-14);
  });
});

describe.each([
  { withOrders: true, timestamps: false, label: 'with an order column' },
  { withOrders: false, timestamps: false, label: 'without an order column' },
  { withOrders: false, timestamps: true, label: 'without an order column, timestamps with times of day and offsets' },
])('engine tables = plain-TS reference, $label', ({ withOrders, timestamps }) => {
  const data = generateTransactions({ ...DEFAULT_GENERATOR, withOrders });
  const txs = referenceRows(data);
  const magnitude = magnitudes(txs);
  const cutoff = DEFAULT_GENERATOR.cutoff;
  const horizonEnd = DEFAULT_GENERATOR.horizonEnd;
  let db: Awaited<ReturnType<typeof openWasmDb>>;
  let engine: DataEngine;
  let mainBuild: Built;
  let tempDir: string | null = null;

  async function build(period: { cutoff: string; horizonEnd: string | null }, unit: 'day' | 'week' = 'day', visitante: VisitanteOptions = DEFAULT_VISITANTE): Promise<Built> {
    const result = await engine.build({ period, unit, visitante });
    return {
      features: await engine.rows('features'),
      rfm: await engine.rows('rfm'),
      visitante: await engine.rows('visitante'),
      customersAfterCutoff: result.features.customersAfterCutoff,
      featureCustomers: result.features.customers,
      rfmCustomers: result.rfmCustomers,
    };
  }

  const reference = (overrides: Partial<ReferenceOptions> = {}) => computeReference(txs, { ...BASE, hasOrderColumn: withOrders, ...overrides });

  beforeAll(async () => {
    db = await openWasmDb();
    engine = new DataEngine(db);
    const file = writeCsv(data, { timestamps });
    tempDir = path.dirname(file.path);
    const inspection = await engine.inspect(file);
    expect(inspection.mapping).toMatchObject({ customer: 'customer_id', date: 'date', amount: 'amount', order: withOrders ? 'order_id' : null, dateFormat: 'iso', decimalSeparator: '.' });
    const loaded = await engine.load(inspection.mapping);
    // Every generated line is valid; with an order column the generator avoids exact duplicates.
    expect(loaded.quality.rows_kept).toBe(data.rows.length);
    expect(loaded.quality.duplicates_removed).toBe(0);
    expect(loaded.quality.returns.rows).toBe(txs.filter((t) => isReturn(t)).length);
    mainBuild = await build({ cutoff, horizonEnd });
  });

  afterAll(() => {
    db?.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  it('the data set covers its edge cases', () => {
    const ref = reference();
    expect(data.rows.length).toBeGreaterThan(2000);
    expect(ref.features.size).toBeGreaterThan(200);
    expect(ref.customersAfterCutoff).toBeGreaterThan(20);
    const inFeatures = (name: string) => ref.features.has(data.edgeCases[name]);
    for (const name of ['horizon_only', 'horizon_only_single', 'after_horizon_only', 'return_then_horizon_purchase', 'only_returns']) expect(inFeatures(name)).toBe(false);
    for (const name of ['single_old', 'single_at_cutoff', 'zero_only', 'return_exceeds_day', 'cancel_invoices']) expect(inFeatures(name)).toBe(true);
    const features = [...ref.features.values()];
    // Random customers also hit the interesting regions.
    expect(features.filter((f) => f.frequency === 0).length).toBeGreaterThan(20);
    expect(features.filter((f) => f.orders_30d > 0).length).toBeGreaterThan(10);
    expect(features.filter((f) => f.spend_trend < 0).length).toBeGreaterThan(10);
    expect(features.filter((f) => f.holdout_orders! > 0).length).toBeGreaterThan(20);
    expect(features.filter((f) => f.avg_order_value < 0 || f.total_spend < 0).length).toBeGreaterThan(0);
    expect(ref.gapMean).toBeGreaterThan(0);
    expect(ref.gapStd).toBeGreaterThan(0);
  });

  it('features columns are the 16 features then the 3 targets', () => {
    expect(Object.keys(mainBuild.features[0])).toEqual(['customer_id', ...FEATURE_NAMES, ...TARGET_NAMES]);
  });

  it('features, rfm and visitante match the reference for every customer (net returns, days, normal gaps, r = 2)', () => {
    expectNoMismatch(diff(mainBuild, reference(), magnitude));
  });

  it('edge cases match values worked out by hand from the definitions', () => {
    const f = new Map(mainBuild.features.map((r) => [String(r.customer_id), r]));
    const get = (name: string) => f.get(data.edgeCases[name])!;
    expect(get('boundary_30')).toMatchObject({ orders_30d: 1, orders_90d: 3, recency_days: 29, tenure_days: 31, frequency: 2 });
    expect(get('boundary_30_only')).toMatchObject({ orders_30d: 0, recency_days: 30 });
    expect(get('boundary_29_only')).toMatchObject({ orders_30d: 1, recency_days: 29 });
    expect(get('boundary_90')).toMatchObject({ orders_90d: 1, orders_30d: 0 });
    expect(get('boundary_90').spend_90d).toBeCloseTo(23, 9);
    expect(get('boundary_90').spend_trend).toBeCloseTo(23 - 22 - 21, 9);
    expect(get('boundary_90_only')).toMatchObject({ orders_90d: 0, spend_90d: 0 });
    expect(get('boundary_90_only').spend_trend).toBeCloseTo(-50, 9);
    expect(get('boundary_180').spend_90d).toBeCloseTo(35, 9);
    expect(get('boundary_180').spend_trend).toBeCloseTo(35 - (33 + 34), 9);
    expect(get('boundary_180_only').spend_trend).toBeCloseTo(0, 9);
    // Return-only days on the window edges: −10 at c−90 (previous window), −4 at c−89 (last 90 days),
    // −20 at c−180 (outside), −3 at c−179 (previous window).
    expect(get('return_on_boundaries').spend_90d).toBeCloseTo(-4, 9);
    expect(get('return_on_boundaries').spend_trend).toBeCloseTo(-4 - (-10 - 3), 9);
    expect(get('return_on_boundaries').total_spend).toBeCloseTo(100 - 10 - 20 - 4 - 3, 9);
    expect(get('return_on_boundaries')).toMatchObject({ frequency: 0, orders_90d: 0, recency_days: 300 });
    // The day at c−40 buys 10 and returns 40: it nets −30, so it is not a purchase (issue 9 §3).
    expect(get('return_exceeds_day')).toMatchObject({ frequency: 0, avg_gap_days: 0, recency_days: 100 });
    expect(get('return_exceeds_day').avg_order_value).toBeCloseTo(30, 9);
    expect(get('return_exceeds_day').max_order_value).toBeCloseTo(30, 9);
    expect(get('return_exceeds_day').total_spend).toBeCloseTo(0, 9);
    expect(get('zero_only')).toMatchObject({ frequency: 0, n_orders: 1, total_spend: 0, recency_days: 12 });
    // c−33 nets −5 (a free line and a return): not a purchase; c−300's free order is one.
    expect(get('zero_and_return_same_day')).toMatchObject({ frequency: 0, n_orders: 2, recency_days: 300, tenure_days: 300 });
    expect(get('zero_and_return_same_day').avg_order_value).toBeCloseTo(0, 9);
    expect(get('all_at_cutoff')).toMatchObject({ recency_days: 0, tenure_days: 0, frequency: 0, n_orders: 3, orders_30d: 1, avg_gap_days: 0, std_gap_days: 0, std_order_value: 0 });
    expect(get('all_at_cutoff').total_spend).toBeCloseTo(3.53, 9);
    expect(get('identical_lines')).toMatchObject({ frequency: 1, n_orders: 3 });
    expect(get('identical_lines').total_spend).toBeCloseTo(44.98, 9);
    // Day c−50: one order of two lines plus a second order; day c−10: one more order.
    expect(get('same_day_lines')).toMatchObject({ frequency: 1, n_orders: withOrders ? 3 : 4 });
    expect(get('same_day_lines').max_order_value).toBeCloseTo(38.99, 9);
    // c+5 buys 10 and returns 50 (not a purchase); c+60 buys 5: one horizon purchase, net spend floored at 0.
    expect(get('horizon_returns_exceed')).toMatchObject({ holdout_spend: 0, holdout_orders: 1, active_in_holdout: 1 });
    expect(get('horizon_return_only')).toMatchObject({ holdout_spend: 0, holdout_orders: 0, active_in_holdout: 0 });
    expect(get('horizon_edges')).toMatchObject({ holdout_orders: 2, active_in_holdout: 1 });
    expect(get('horizon_edges').holdout_spend).toBeCloseTo(3.33, 9);
    expect(get('month_year_span')).toMatchObject({ active_months: 6, frequency: 7, recency_days: 0 });
    // t_ee with one purchase at the cutoff is 0: far below the mean gap, so the score is ≈ 1.
    expect(get('single_at_cutoff').recency_score).toBeGreaterThan(0.5);
    if (withOrders) {
      // CX123, XC77 and "C" are ordinary orders; C9001 (negative) and C9002 / the addReturn C-invoice (written positive) are
      // returns, so c−30 is a return-only day: purchase days c−120, c−80, c−2.
      expect(get('cancel_invoices')).toMatchObject({ n_orders: 4, frequency: 2, recency_days: 2 });
      expect(get('cancel_invoices').total_spend).toBeCloseTo(90 + 40 + 41 - 30 - 25 - 0.01 + 1, 9);
      expect(get('order_spans_days')).toMatchObject({ n_orders: 1, frequency: 1 });
      expect(get('order_spans_days').total_spend).toBeCloseTo(10 + 11 - 3 - 2, 9);
    }
  });

  it('rfm in weeks matches (recency and T divided by 7)', async () => {
    const built = await build({ cutoff, horizonEnd }, 'week');
    expectNoMismatch(diff(built, reference({ unit: 'week' }), magnitude));
  });

  it('recency score with exponential gaps, r = 3, z-score visitante with uneven weights', async () => {
    const visitante: VisitanteOptions = { r: 3, distribution: 'exponential', normalisation: 'zscore', weights: { gap: 2, recency: 0.5, amount: 1 } };
    const built = await build({ cutoff, horizonEnd }, 'day', visitante);
    expectNoMismatch(diff(built, reference({ r: 3, distribution: 'exponential', normalisation: 'zscore', weights: visitante.weights }), magnitude));
  });

  it('normal gaps with r = 1 and minmax weights on one stage', async () => {
    const visitante: VisitanteOptions = { r: 1, distribution: 'normal', normalisation: 'minmax', weights: { gap: 0, recency: 1, amount: 0 } };
    const built = await build({ cutoff, horizonEnd }, 'day', visitante);
    expectNoMismatch(diff(built, reference({ r: 1, weights: visitante.weights }), magnitude));
  });

  it('a cutoff at a year end without a horizon: no targets, same definitions', async () => {
    const built = await build({ cutoff: '2023-12-31', horizonEnd: null });
    expect(Object.keys(built.features[0])).toEqual(['customer_id', ...FEATURE_NAMES]);
    expectNoMismatch(diff(built, reference({ cutoff: toDay('2023-12-31'), horizonEnd: null }), magnitude));
  });

  it('a cutoff on the first day of the data', async () => {
    const first = Math.min(...txs.map((t) => t.day));
    const iso = new Date(first * 86_400_000).toISOString().slice(0, 10);
    const built = await build({ cutoff: iso, horizonEnd: '2022-06-30' });
    const ref = reference({ cutoff: first, horizonEnd: toDay('2022-06-30') });
    expect(ref.gapMean).toBeNull();
    expectNoMismatch(diff(built, ref, magnitude));
  });

  it('a deliberately wrong reference disagrees with the engine (the comparison has teeth)', () => {
    const mutations: ReferenceMutation[] = [
      'orders30-inclusive',
      'orders90-inclusive',
      'spend90-inclusive',
      'trend180-inclusive',
      'std-population',
      'return-days-are-purchases',
      'horizon-includes-cutoff',
      'monetary-includes-first',
    ];
    if (withOrders) mutations.push('cancel-not-return');
    for (const mutation of mutations) {
      const mismatches = diff(mainBuild, reference({ mutation }), magnitude);
      expect(mismatches.length, mutation).toBeGreaterThan(0);
    }
  });

  it('returns dropped: return rows are removed entirely before every definition', async () => {
    const loaded = await engine.load(engine.state.mapping!, { returns: 'drop', duplicates: 'auto' });
    const returns = txs.filter((t) => isReturn(t)).length;
    expect(returns).toBeGreaterThan(50);
    expect(loaded.quality.returns.rows).toBe(returns);
    expect(loaded.quality.rows_kept).toBe(data.rows.length - returns);
    const built = await build({ cutoff, horizonEnd });
    const ref = reference({ returns: 'drop' });
    expectNoMismatch(diff(built, ref, magnitude));
    // No negative spend anywhere once returns are gone.
    expect(built.features.every((r) => Number(r.total_spend) >= 0 && Number(r.avg_order_value) >= 0)).toBe(true);
    expect(ref.features.has(data.edgeCases.only_returns)).toBe(false);
  });
});
