/**
 * Everything the four fit-check charts need for a set of fitted transaction models, in one
 * object: tracking (from the engine's per-period counts), calibration vs holdout purchases by
 * frequency, the period-transactions histogram, and the P(alive) and expected-purchases matrices.
 * The model worker builds it after a training; the page only draws it.
 */
import { ClvError } from '../errors';
import { formatDay, parseDay } from '../tables/period';
import type { TrackingCounts } from '../tables/trackingCounts';
import { customerMatrix, holdoutByFrequency, periodTransactions, type CountBuckets, type CustomerMatrix, type HoldoutByFrequency, type TrackingSeries } from './fitChecks';
import { trackingFromCounts } from './trackingExpectation';
import { TRANSACTION_MODELS, type TransactionModelKind, type TransactionParams } from './transactionModels';

export interface FitCheckModelInput {
  /** The model's id where it came from (e.g. 'bgnbd-gg'). */
  name: string;
  kind: TransactionModelKind;
  params: TransactionParams;
}

export interface FitCheckCustomers {
  /** Calibration summaries in the models' unit, one entry per customer. */
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Purchases (purchase days) in the horizon, per customer. */
  holdoutPurchases: ArrayLike<number>;
}

export interface FitCheckInput {
  models: FitCheckModelInput[];
  customers: FitCheckCustomers;
  /** The engine's repeat transactions per period for the same cutoff and horizon. */
  counts: TrackingCounts;
  /** Days per model time unit (1 for days, 7 for weeks). */
  unitDays: number;
  /** Horizon length in model time units (the expected-purchases matrix looks this far ahead). */
  horizon: number;
  /** Most rows or columns of a matrix (capped again by fitChecks.MAX_MATRIX_SIDE). */
  matrixSide?: number;
  /** The cutoff the models were fitted at (YYYY-MM-DD): the counts must end their calibration there. */
  cutoff?: string;
}

export interface FitCheckModel {
  name: string;
  kind: TransactionModelKind;
  /** The model's name as people write it: 'BG/NBD', 'Pareto/NBD', 'MBG/NBD'. */
  label: string;
  tracking: TrackingSeries;
  holdout: HoldoutByFrequency;
  periodTransactions: CountBuckets;
  alive: CustomerMatrix;
  purchases: CustomerMatrix;
}

export interface FitCheckData {
  models: FitCheckModel[];
  /** First day of the tracking periods (YYYY-MM-DD) and their length in days. */
  origin: string;
  periodDays: number;
  calibrationPeriods: number;
  horizonPeriods: number;
  /** Horizon days after the last whole period, which the tracking leaves out. */
  horizonDaysLeftOut: number;
  /** Horizon length in model time units. */
  horizon: number;
  /** Frequency the matrices reach: the 99th percentile of the customers' repeat purchases (at least 1). */
  matrixFrequency: number;
}

/** Bucket of the last histogram bar and the last calibration-frequency group: 7+. */
const TOP = 7;
/** The matrices reach the 99th percentile of frequency: one heavy buyer must not stretch the grid. */
const FREQUENCY_QUANTILE = 0.99;
export const DEFAULT_MATRIX_SIDE = 40;

function quantileOf(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function maxOf(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

/** Each customer's expected purchases in the next `horizon`, computed once per distinct (x, t_x, T). */
function conditionalExpectations(kind: TransactionModelKind, params: TransactionParams, customers: FitCheckCustomers, horizon: number): Float64Array {
  const model = TRANSACTION_MODELS[kind];
  const n = customers.frequency.length;
  const out = new Float64Array(n);
  const cache = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = customers.frequency[i];
    const tx = customers.recency[i];
    const T = customers.T[i];
    const key = `${x}|${tx}|${T}`;
    let value = cache.get(key);
    if (value === undefined) {
      value = model.expectedPurchases(params, horizon, x, tx, T);
      cache.set(key, value);
    }
    out[i] = value;
  }
  return out;
}

export function fitCheckData(input: FitCheckInput): FitCheckData {
  const { customers, counts, horizon } = input;
  const n = customers.frequency.length;
  if (customers.recency.length !== n || customers.T.length !== n || customers.holdoutPurchases.length !== n) {
    throw new RangeError('frequency, recency, T and holdout purchases must have one entry per customer');
  }
  if (n === 0) throw new RangeError('the fit checks need at least one customer');
  if (!(horizon > 0)) throw new RangeError(`horizon must be positive, got ${horizon}`);
  const countsCutoff = formatDay(parseDay(counts.origin, 'origin') + counts.calibrationPeriods * counts.periodDays);
  if (input.cutoff !== undefined && input.cutoff !== countsCutoff) {
    throw new ClvError('BAD_PERIOD', `The tables were built for a cutoff of ${countsCutoff}, but the models were fitted at ${input.cutoff}. Train again to see the fit checks.`);
  }
  const matrixT = maxOf(customers.T);
  const matrixFrequency = Math.max(1, Math.ceil(quantileOf(customers.frequency, FREQUENCY_QUANTILE)));
  const maxSide = input.matrixSide ?? DEFAULT_MATRIX_SIDE;
  const models = input.models.map((m): FitCheckModel => ({
    name: m.name,
    kind: m.kind,
    label: TRANSACTION_MODELS[m.kind].label,
    tracking: trackingFromCounts(m.kind, m.params, counts, input.unitDays),
    holdout: holdoutByFrequency(customers.frequency, conditionalExpectations(m.kind, m.params, customers, horizon), customers.holdoutPurchases, TOP),
    periodTransactions: periodTransactions(m.kind, m.params, customers.frequency, customers.T, TOP),
    alive: customerMatrix(m.kind, m.params, 'alive', matrixT, matrixFrequency, { maxSide }),
    purchases: customerMatrix(m.kind, m.params, 'purchases', matrixT, matrixFrequency, { maxSide, horizon }),
  }));
  return {
    models,
    origin: counts.origin,
    periodDays: counts.periodDays,
    calibrationPeriods: counts.calibrationPeriods,
    horizonPeriods: counts.horizonPeriods,
    horizonDaysLeftOut: counts.horizonDaysLeftOut,
    horizon,
    matrixFrequency,
  };
}

/** Every typed array's buffer in the data, to transfer rather than copy across a thread. */
export function fitCheckBuffers(data: FitCheckData): ArrayBuffer[] {
  const buffers = data.models.flatMap((m) => [
    m.tracking.periodEnd.buffer,
    m.tracking.actual.buffer,
    m.tracking.expected.buffer,
    m.tracking.cumulativeActual.buffer,
    m.tracking.cumulativeExpected.buffer,
    m.holdout.customers.buffer,
    m.holdout.actual.buffer,
    m.holdout.expected.buffer,
    m.periodTransactions.actual.buffer,
    m.periodTransactions.expected.buffer,
    m.alive.values.buffer,
    m.purchases.values.buffer,
  ]) as ArrayBuffer[];
  // A buffer may be listed once only.
  return [...new Set(buffers)];
}
