/**
 * Uncertainty of the evaluation metrics: 95% percentile intervals by bootstrap over customers
 * (customers drawn with replacement, seeded), and paired differences between two models on the
 * same resamples (the interval of "model − reference" rather than two overlapping intervals).
 *
 * A resample is a vector of counts (how often each customer was drawn); every metric is computed
 * with those counts as weights, which equals computing it on the resampled customers. The orders
 * by prediction and by actual value are sorted once, so each resample costs a few linear passes.
 * Tied values stay tied, as in metrics.ts (a customer drawn twice ties with itself).
 */
import { ascendingOrder, capturedAt, type CaptureCurve, type NumericArray } from './metrics';
import { Rng, deriveSeed } from '../random';

export const BOOTSTRAP_METRICS = ['rmse', 'mae', 'r2', 'spearman', 'normalized_gini', 'top_decile_share'] as const;
export type BootstrapMetric = (typeof BOOTSTRAP_METRICS)[number];
export type MetricValues = Record<BootstrapMetric, number>;

export interface PairedDifference {
  /** Metric of the model minus the reference's, on all customers. */
  difference: number;
  ci95: [number, number];
}

/** Ascending order with the run (group) of tied values each position belongs to. */
interface Ranked {
  order: Int32Array;
  /** groupEnd[g]: one past the last position of tie group g; groupOf[p] for position p. */
  groupEnds: Int32Array;
}

function ranked(values: NumericArray): Ranked {
  const order = ascendingOrder(values);
  const ends: number[] = [];
  for (let p = 0; p < order.length; p++) if (p === order.length - 1 || values[order[p + 1]] !== values[order[p]]) ends.push(p + 1);
  return { order, groupEnds: Int32Array.from(ends) };
}

/** Weighted average ranks (1-based, ties averaged) as the resampled data would give them. */
function weightedRanks(r: Ranked, w: Float64Array, out: Float64Array): void {
  let before = 0;
  let start = 0;
  for (const end of r.groupEnds) {
    let size = 0;
    for (let p = start; p < end; p++) size += w[r.order[p]];
    const rank = before + (size + 1) / 2;
    for (let p = start; p < end; p++) out[r.order[p]] = rank;
    before += size;
    start = end;
  }
}

/** The capture curve (highest first) of the resampled customers. */
function weightedCurve(r: Ranked, actual: NumericArray, w: Float64Array): CaptureCurve {
  const ends: number[] = [];
  const captured: number[] = [];
  let count = 0;
  let value = 0;
  for (let g = r.groupEnds.length - 1; g >= 0; g--) {
    const start = g === 0 ? 0 : r.groupEnds[g - 1];
    let size = 0;
    let sum = 0;
    for (let p = start; p < r.groupEnds[g]; p++) {
      const i = r.order[p];
      size += w[i];
      sum += w[i] * actual[i];
    }
    if (size === 0) continue;
    count += size;
    value += sum;
    ends.push(count);
    captured.push(value);
  }
  return { n: count, total: value, ends: Float64Array.from(ends), captured: Float64Array.from(captured) };
}

function giniOf(curve: CaptureCurve): number {
  let sumOfCumsums = 0;
  let before = 0;
  let previousEnd = 0;
  for (let g = 0; g < curve.ends.length; g++) {
    const size = curve.ends[g] - previousEnd;
    const groupSum = curve.captured[g] - before;
    sumOfCumsums += size * before + (groupSum * (size + 1)) / 2;
    before = curve.captured[g];
    previousEnd = curve.ends[g];
  }
  return (sumOfCumsums / curve.total - (curve.n + 1) / 2) / curve.n;
}

function weightedPearson(x: Float64Array, y: Float64Array, w: Float64Array): number {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < w.length; i++) {
    sw += w[i];
    sx += w[i] * x[i];
    sy += w[i] * y[i];
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < w.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += w[i] * dx * dy;
    sxx += w[i] * dx * dx;
    syy += w[i] * dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Every bootstrap metric of `predicted` against `actual` with customer weights `w`. */
export class WeightedScorer {
  private readonly actualRanked: Ranked;
  private readonly actualRanks: Float64Array;
  private readonly predictedRanks: Float64Array;

  constructor(private readonly actual: NumericArray) {
    this.actualRanked = ranked(actual);
    this.actualRanks = new Float64Array(actual.length);
    this.predictedRanks = new Float64Array(actual.length);
  }

  /** Prepares a model's predictions once (its order), for scoring on many resamples. */
  prepare(predicted: NumericArray): { predicted: NumericArray; ranked: Ranked } {
    if (predicted.length !== this.actual.length) throw new RangeError(`actual has ${this.actual.length} values but predicted has ${predicted.length}`);
    return { predicted, ranked: ranked(predicted) };
  }

  /** The best possible Gini and the actual ranks under weights w (shared by every model). */
  reference(w: Float64Array): { bestGini: number } {
    weightedRanks(this.actualRanked, w, this.actualRanks);
    return { bestGini: giniOf(weightedCurve(this.actualRanked, this.actual, w)) };
  }

  score(model: { predicted: NumericArray; ranked: Ranked }, w: Float64Array, reference: { bestGini: number }): MetricValues {
    const { actual } = this;
    const p = model.predicted;
    let sw = 0;
    let se = 0;
    let ae = 0;
    let sy = 0;
    for (let i = 0; i < w.length; i++) {
      if (w[i] === 0) continue;
      const e = actual[i] - p[i];
      sw += w[i];
      se += w[i] * e * e;
      ae += w[i] * Math.abs(e);
      sy += w[i] * actual[i];
    }
    const meanY = sy / sw;
    let tot = 0;
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) tot += w[i] * (actual[i] - meanY) ** 2;
    weightedRanks(model.ranked, w, this.predictedRanks);
    const curve = weightedCurve(model.ranked, actual, w);
    const gini = curve.total === 0 || reference.bestGini === 0 ? NaN : giniOf(curve) / reference.bestGini;
    return {
      rmse: Math.sqrt(se / sw),
      mae: ae / sw,
      r2: tot === 0 ? (se === 0 ? 1 : 0) : 1 - se / tot,
      spearman: weightedPearson(this.actualRanks, this.predictedRanks, w),
      normalized_gini: gini,
      top_decile_share: curve.total === 0 ? NaN : capturedAt(curve, Math.ceil(curve.n / 10)) / curve.total,
    };
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** 2.5% and 97.5% percentiles of the finite values (NaN when none). */
export function percentileInterval(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  return [percentile(finite, 0.025), percentile(finite, 0.975)];
}

export interface BootstrapOptions {
  resamples?: number;
  seed: number;
  /** Models the paired differences are taken against, e.g. { vs_btyd: 'bgnbd-gg', vs_naive: 'naive' }. */
  references?: Record<string, string>;
}

export interface ModelIntervals {
  ci95: Record<BootstrapMetric, [number, number]>;
  /** Per reference key (vs_btyd, vs_naive): the paired difference of each metric, when the reference ran. */
  differences: Record<string, Record<BootstrapMetric, PairedDifference>>;
}

/**
 * Bootstrap intervals for every model's metrics and paired differences against the references,
 * all on the same resamples of customers.
 */
export function bootstrapIntervals(actual: NumericArray, predictions: ReadonlyMap<string, NumericArray>, options: BootstrapOptions): Map<string, ModelIntervals> {
  const resamples = options.resamples ?? 200;
  const n = actual.length;
  const scorer = new WeightedScorer(actual);
  const models = [...predictions.keys()];
  const prepared = new Map(models.map((m) => [m, scorer.prepare(predictions.get(m)!)]));
  const ones = new Float64Array(n).fill(1);
  const full = scorer.reference(ones);
  const point = new Map(models.map((m) => [m, scorer.score(prepared.get(m)!, ones, full)]));
  const draws = new Map(models.map((m) => [m, [] as MetricValues[]]));
  const rng = new Rng(deriveSeed(options.seed, 'bootstrap'));
  const w = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    w.fill(0);
    for (let k = 0; k < n; k++) w[rng.int(n)]++;
    const reference = scorer.reference(w);
    for (const m of models) draws.get(m)!.push(scorer.score(prepared.get(m)!, w, reference));
  }
  const out = new Map<string, ModelIntervals>();
  for (const m of models) {
    const mine = draws.get(m)!;
    const ci95 = Object.fromEntries(BOOTSTRAP_METRICS.map((k) => [k, percentileInterval(mine.map((d) => d[k]))])) as ModelIntervals['ci95'];
    const differences: ModelIntervals['differences'] = {};
    for (const [key, ref] of Object.entries(options.references ?? {})) {
      const theirs = draws.get(ref);
      if (!theirs) continue;
      differences[key] = Object.fromEntries(
        BOOTSTRAP_METRICS.map((k) => [k, { difference: point.get(m)![k] - point.get(ref)![k], ci95: percentileInterval(mine.map((d, b) => d[k] - theirs[b][k])) }]),
      ) as Record<BootstrapMetric, PairedDifference>;
    }
    out.set(m, { ci95, differences });
  }
  return out;
}

/** Calibration slope: the least-squares slope of actual on predicted (1 = the spread is right; < 1 = over-spread). */
export function calibrationSlope(actual: NumericArray, predicted: NumericArray): number {
  const n = actual.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += predicted[i];
    my += actual[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (predicted[i] - mx) * (actual[i] - my);
    sxx += (predicted[i] - mx) ** 2;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}
