/**
 * Plain-TypeScript reference for the engine's `features`, `rfm` and `visitante` tables, written
 * from the written definitions (not from the SQL), one customer at a time.
 *
 * Definitions:
 * - A return is a row with amount < 0 or an order id "C" + digits; its amount counts negative
 *   (a C-invoice written positive is netted as −|amount|). With returns 'drop' they are removed.
 * - Same-day rows of a customer combine: day spend = sum of that day's rows; a day is a purchase
 *   when it nets above zero, or to exactly zero with no return that day (a free order); days that
 *   net below zero, or to zero through a return, are not purchases but still count in spend.
 *   Calibration = day ≤ cutoff; horizon = cutoff < day ≤ horizonEnd.
 * - Feature rows: customers with a purchase day ≤ cutoff. customersAfterCutoff: customers whose
 *   first purchase day is after the cutoff.
 */

export type ReturnsPolicy = 'net' | 'drop';
export type GapDistribution = 'normal' | 'exponential';
export type TimeUnit = 'day' | 'week';

export interface ReferenceTransaction {
  customerId: string;
  /** Days since 1970-01-01 (UTC). */
  day: number;
  amount: number;
  orderId: string | null;
}

/**
 * Deliberate errors, only for checking that the comparison is sensitive to them: the test runs
 * the reference with each one and expects the engine to disagree.
 */
export type ReferenceMutation =
  | 'orders30-inclusive'
  | 'orders90-inclusive'
  | 'spend90-inclusive'
  | 'trend180-inclusive'
  | 'std-population'
  | 'cancel-not-return'
  | 'return-days-are-purchases'
  | 'horizon-includes-cutoff'
  | 'monetary-includes-first';

export interface ReferenceOptions {
  cutoff: number;
  horizonEnd: number | null;
  /** n_orders counts distinct order ids (true) or non-return rows (false). */
  hasOrderColumn: boolean;
  returns: ReturnsPolicy;
  r: number;
  distribution: GapDistribution;
  unit: TimeUnit;
  normalisation: 'minmax' | 'zscore';
  weights: { gap: number; recency: number; amount: number };
  mutation?: ReferenceMutation;
}

export interface ReferenceFeatures {
  recency_days: number;
  tenure_days: number;
  frequency: number;
  n_orders: number;
  total_spend: number;
  avg_order_value: number;
  std_order_value: number;
  max_order_value: number;
  avg_gap_days: number;
  std_gap_days: number;
  orders_30d: number;
  orders_90d: number;
  spend_90d: number;
  spend_trend: number;
  active_months: number;
  recency_score: number;
  holdout_spend?: number;
  holdout_orders?: number;
  active_in_holdout?: number;
}

export interface ReferenceRfm {
  frequency: number;
  recency: number;
  T: number;
  monetary_value: number;
  /** Sum of all calibration amounts (for the M score). */
  total_spend: number;
  days_since_last: number;
  r_score: number;
  f_score: number;
  m_score: number;
}

export interface ReferenceVisitante {
  purchases: number;
  /** null when the customer has a single purchase day (no gap). */
  avg_gap_days: number | null;
  t_ee: number;
  recency_score: number;
  avg_amount: number;
  gap_norm: number;
  recency_norm: number;
  amount_norm: number;
  score: number;
}

export interface ReferenceResult {
  features: Map<string, ReferenceFeatures>;
  rfm: Map<string, ReferenceRfm>;
  visitante: Map<string, ReferenceVisitante>;
  customersAfterCutoff: number;
  gapMean: number | null;
  gapStd: number | null;
}

// ---------------------------------------------------------------------------------------------
// Numerics

/** Neumaier-compensated sum: the reference's sums are accurate to a few ulps. */
export function sum(values: readonly number[]): number {
  let s = 0;
  let comp = 0;
  for (const v of values) {
    const t = s + v;
    comp += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + comp;
}

export function mean(values: readonly number[]): number {
  return sum(values) / values.length;
}

/** Sample standard deviation (n − 1), two-pass. */
export function sampleStd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(sum(values.map((v) => (v - m) * (v - m))) / (values.length - 1));
}

function populationStd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(sum(values.map((v) => (v - m) * (v - m))) / values.length);
}

/**
 * erf by its everywhere-positive series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (2n+1)!!
 * (no cancellation; accurate to ~1e-15 absolute). Independent of the engine's A&S 7.1.26.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  if (x > 6.5) return 1;
  let term = x;
  let total = x;
  for (let n = 1; n < 1000; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    total += term;
    if (term < 1e-17 * total) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * total;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/**
 * P(gap > t) under the population's gap distribution. No gaps at all → 0.5 (no information);
 * a zero/undefined spread → a step at the mean.
 */
export function recencyScore(t: number, gapMean: number | null, gapStd: number | null, distribution: GapDistribution): number {
  if (gapMean === null) return 0.5;
  if (distribution === 'exponential') {
    if (gapMean <= 0) return t > 0 ? 0 : 1;
    return Math.exp(-t / gapMean);
  }
  if (gapStd === null || gapStd === 0 || Number.isNaN(gapStd)) return t > gapMean ? 0 : t === gapMean ? 0.5 : 1;
  return 1 - normalCdf((t - gapMean) / gapStd);
}

// ---------------------------------------------------------------------------------------------
// Definitions

const CANCEL_INVOICE = /^C[0-9]+$/;

export function isReturn(tx: ReferenceTransaction, mutation?: ReferenceMutation): boolean {
  if (tx.amount < 0) return true;
  if (mutation === 'cancel-not-return') return false;
  return tx.orderId !== null && CANCEL_INVOICE.test(tx.orderId);
}

/** The amount as it counts in spend sums: returns are negative. */
export function netAmount(tx: ReferenceTransaction, mutation?: ReferenceMutation): number {
  return isReturn(tx, mutation) ? -Math.abs(tx.amount) : tx.amount;
}

function monthKey(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 7);
}

interface Day {
  day: number;
  amounts: number[];
  purchase: boolean;
  hasReturn: boolean;
  hasLine: boolean;
}

interface Customer {
  id: string;
  rows: ReferenceTransaction[];
  days: Map<number, Day>;
}

function groupCustomers(transactions: readonly ReferenceTransaction[], options: ReferenceOptions): Map<string, Customer> {
  const customers = new Map<string, Customer>();
  for (const tx of transactions) {
    const ret = isReturn(tx, options.mutation);
    if (ret && options.returns === 'drop') continue;
    let c = customers.get(tx.customerId);
    if (!c) {
      c = { id: tx.customerId, rows: [], days: new Map() };
      customers.set(tx.customerId, c);
    }
    c.rows.push(tx);
    let d = c.days.get(tx.day);
    if (!d) {
      d = { day: tx.day, amounts: [], purchase: false, hasReturn: false, hasLine: false };
      c.days.set(tx.day, d);
    }
    d.amounts.push(netAmount(tx, options.mutation));
    if (ret) d.hasReturn = true;
    else d.hasLine = true;
  }
  for (const c of customers.values()) {
    for (const d of c.days.values()) {
      // Rounded to a millionth, as money: 10.10 − 10.10 is zero.
      const net = Math.round(sum(d.amounts) * 1e6) / 1e6;
      // The mutation is the rule before the fix: any non-return row made the day a purchase.
      d.purchase = options.mutation === 'return-days-are-purchases' ? d.hasLine : net > 0 || (net === 0 && !d.hasReturn);
    }
  }
  return customers;
}

const spendOf = (d: Day) => sum(d.amounts);

/** Quintile score 1–5 from a rank among n (ties share the lowest rank): 1 + ⌊5 · (rank − 1)/(n − 1)⌋, at most 5. */
function quintile(rank: number, n: number): number {
  const pr = n > 1 ? (rank - 1) / (n - 1) : 0;
  return Math.min(5, 1 + Math.floor(5 * pr));
}

function normalise(values: readonly number[], how: 'minmax' | 'zscore'): number[] {
  if (how === 'zscore') {
    const m = mean(values);
    const s = populationStd(values);
    return values.map((v) => (s > 0 ? (v - m) / s : 0));
  }
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
}

export function computeReference(transactions: readonly ReferenceTransaction[], options: ReferenceOptions): ReferenceResult {
  const { cutoff, horizonEnd, mutation } = options;
  const r = Math.max(1, Math.round(options.r));
  const unitDays = options.unit === 'week' ? 7 : 1;
  const customers = groupCustomers(transactions, options);

  // Calibration purchase days per customer, ascending.
  const calibration = new Map<string, Day[]>();
  let customersAfterCutoff = 0;
  for (const c of customers.values()) {
    const purchases = [...c.days.values()].filter((d) => d.purchase).sort((a, b) => a.day - b.day);
    if (purchases.length === 0) continue;
    if (purchases[0].day > cutoff) customersAfterCutoff++;
    const cal = purchases.filter((d) => d.day <= cutoff);
    if (cal.length > 0) calibration.set(c.id, cal);
  }

  // Population of gaps between consecutive calibration purchase days, all customers together.
  const allGaps: number[] = [];
  for (const days of calibration.values()) for (let i = 1; i < days.length; i++) allGaps.push(days[i].day - days[i - 1].day);
  const gapMean = allGaps.length > 0 ? mean(allGaps) : null;
  const gapStd = allGaps.length > 1 ? sampleStd(allGaps) : null;

  const features = new Map<string, ReferenceFeatures>();
  const rfm = new Map<string, ReferenceRfm>();
  const visitanteBase: { id: string; purchases: number; avgGap: number | null; tEe: number; score: number; avgAmount: number }[] = [];

  for (const [id, days] of calibration) {
    const c = customers.get(id)!;
    const n = days.length;
    const first = days[0].day;
    const last = days[n - 1].day;
    const spends = days.map(spendOf);
    const gaps = days.slice(1).map((d, i) => d.day - days[i].day);
    const calRows = c.rows.filter((tx) => tx.day <= cutoff);
    const calNonReturn = calRows.filter((tx) => !isReturn(tx, mutation));
    const nOrders = options.hasOrderColumn ? new Set(calNonReturn.map((tx) => tx.orderId).filter((o) => o !== null)).size : calNonReturn.length;
    const amountsWhere = (test: (day: number) => boolean) => calRows.filter((tx) => test(tx.day)).map((tx) => netAmount(tx, mutation));
    const in90 = (day: number) => (mutation === 'spend90-inclusive' ? day >= cutoff - 90 : day > cutoff - 90);
    const spend90 = sum(amountsWhere(in90));
    const spendPrev = sum(amountsWhere((day) => (mutation === 'trend180-inclusive' ? day >= cutoff - 180 : day > cutoff - 180) && !in90(day)));
    const std = mutation === 'std-population' ? populationStd : sampleStd;
    const tEe = n >= r ? (cutoff - days[n - r].day) / r : (cutoff - first) / n;
    const score = recencyScore(tEe, gapMean, gapStd, options.distribution);

    const f: ReferenceFeatures = {
      recency_days: cutoff - last,
      tenure_days: cutoff - first,
      frequency: n - 1,
      n_orders: nOrders,
      total_spend: sum(calRows.map((tx) => netAmount(tx, mutation))),
      avg_order_value: mean(spends),
      std_order_value: n > 1 ? std(spends) : 0,
      max_order_value: Math.max(...spends),
      avg_gap_days: gaps.length > 0 ? mean(gaps) : 0,
      std_gap_days: gaps.length > 1 ? std(gaps) : 0,
      orders_30d: days.filter((d) => (mutation === 'orders30-inclusive' ? d.day >= cutoff - 30 : d.day > cutoff - 30)).length,
      orders_90d: days.filter((d) => (mutation === 'orders90-inclusive' ? d.day >= cutoff - 90 : d.day > cutoff - 90)).length,
      spend_90d: spend90,
      spend_trend: spend90 - spendPrev,
      active_months: new Set(days.map((d) => monthKey(d.day))).size,
      recency_score: score,
    };
    if (horizonEnd !== null) {
      const lo = mutation === 'horizon-includes-cutoff' ? cutoff - 1 : cutoff;
      const inHorizon = (day: number) => day > lo && day <= horizonEnd;
      const horizonSpend = sum(c.rows.filter((tx) => inHorizon(tx.day)).map((tx) => netAmount(tx, mutation)));
      const horizonOrders = [...c.days.values()].filter((d) => d.purchase && inHorizon(d.day)).length;
      f.holdout_spend = Math.max(0, horizonSpend);
      f.holdout_orders = horizonOrders;
      f.active_in_holdout = horizonOrders > 0 ? 1 : 0;
    }
    features.set(id, f);

    const repeat = mutation === 'monetary-includes-first' ? spends : spends.slice(1);
    rfm.set(id, {
      frequency: n - 1,
      recency: (last - first) / unitDays,
      T: (cutoff - first) / unitDays,
      monetary_value: repeat.length > 0 ? mean(repeat) : 0,
      total_spend: f.total_spend,
      days_since_last: cutoff - last,
      r_score: 0,
      f_score: 0,
      m_score: 0,
    });

    visitanteBase.push({ id, purchases: n, avgGap: gaps.length > 0 ? mean(gaps) : null, tEe, score, avgAmount: mean(spends) });
  }

  // RFM scores: percent rank with ties sharing the lowest rank. R ranks the most days since the
  // last purchase first (so recent buyers score high), F by frequency, M by total spend.
  const all = [...rfm.values()];
  const count = all.length;
  for (const row of all) {
    row.r_score = quintile(1 + all.filter((o) => o.days_since_last > row.days_since_last).length, count);
    row.f_score = quintile(1 + all.filter((o) => o.frequency < row.frequency).length, count);
    row.m_score = quintile(1 + all.filter((o) => o.total_spend < row.total_spend).length, count);
  }

  // Visitante: the gap inverted (max − gap; no gap scores as the longest), each stage normalised,
  // then a weighted average scaled to 0–100.
  const visitante = new Map<string, ReferenceVisitante>();
  if (visitanteBase.length > 0) {
    const knownGaps = visitanteBase.map((v) => v.avgGap).filter((g): g is number => g !== null);
    const maxGap = knownGaps.length > 0 ? Math.max(...knownGaps) : null;
    const inverted = visitanteBase.map((v) => (maxGap === null ? NaN : maxGap - (v.avgGap ?? maxGap)));
    const gapNorm = maxGap === null ? visitanteBase.map(() => 0) : normalise(inverted, options.normalisation);
    const recencyNorm = normalise(visitanteBase.map((v) => v.score), options.normalisation);
    const amountNorm = normalise(visitanteBase.map((v) => v.avgAmount), options.normalisation);
    const w = options.weights;
    const total = w.gap + w.recency + w.amount;
    const combined = visitanteBase.map((_, i) => (w.gap * gapNorm[i] + w.recency * recencyNorm[i] + w.amount * amountNorm[i]) / total);
    const scaled = options.normalisation === 'minmax' ? combined : normalise(combined, 'minmax');
    visitanteBase.forEach((v, i) => {
      visitante.set(v.id, {
        purchases: v.purchases,
        avg_gap_days: v.avgGap,
        t_ee: v.tEe,
        recency_score: v.score,
        avg_amount: v.avgAmount,
        gap_norm: gapNorm[i],
        recency_norm: recencyNorm[i],
        amount_norm: amountNorm[i],
        score: 100 * scaled[i],
      });
    });
  }

  return { features, rfm, visitante, customersAfterCutoff, gapMean, gapStd };
}
