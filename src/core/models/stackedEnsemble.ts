/**
 * The stacked ensemble over base models' out-of-fold predictions.
 *
 * The stack is the geometric mean of its bases, scaled to the right total: spend =
 * c · (Π (1 + ŷ_m)^(1/K) − 1), c chosen so that the predicted total equals the actual total on the
 * rows it is fitted on (calibration in the large). Equal weights on the log scale, one fitted
 * number, and no choice among candidates. Why, measured on out-of-fold predictions of the default
 * bases (BG/NBD + Gamma-Gamma, run rate, ZILN, hybrid) on CDNOW_master seeds 1–3 and two
 * generated heavy-tailed logs:
 * - weights fitted by least squares (raw or log scale), and choosing between candidates on inner
 *   folds, lost out of fold to fixed equal weights: a few very large customers decide RMSE, and
 *   whether they fall in a fold swings the fitted weights (the "forecast combination puzzle");
 * - the arithmetic mean is pulled by whichever base predicts most for a very large customer; the
 *   geometric mean shrinks toward the bases that agree, which is what held up on the heavy tails
 *   (and it ranks at least as well as the best base: it averages their log-scale orderings);
 * - a monotone power map back to spend (c·exp(b·s)) fitted two numbers on the tail and lost RMSE
 *   there; the level alone is stable.
 *
 * The guard (fitGuardedStack): on inner folds (each fold scored by a stack fitted without it), if
 * some single base ranks customers better than the stack beyond the noise — the 2.5% quantile of
 * the paired difference in normalized Gini, over GUARD_RESAMPLES bootstrap resamples of the
 * customers, is above 0 — the base that ranks worst is left out and the check repeats. So a base
 * that ranks no better than chance cannot drag the mean down, while inner-fold noise cannot turn
 * the stack into a choice of one base. The guard watches ranking only: RMSE on these files is
 * decided by a handful of very large customers (on a heavy-tailed log, by one customer whose
 * horizon spend was 746,547), so inner-fold RMSE differences are mostly that noise; the level is
 * the scale's job. Every step's inner-fold scores are kept.
 *
 * Scales 'linear' (weights on raw predictions) and 'log' (scale·exp(power·s) of the weighted log1p
 * sum) are still read by predictStackedEnsemble.
 */
import { normalizedGini, rmse } from '../eval/metrics';
import { Rng } from '../random';

export interface StackedEnsemble {
  /** The bases offered, sorted. */
  models: string[];
  /** One weight per base of `models` (on the log1p scale for 'log' and 'geometric', the raw scale for 'linear'). */
  weights: number[];
  scale: 'linear' | 'log' | 'geometric';
  /** 'log' only: added to the weighted sum. */
  intercept: number;
  /**
   * 'log': spend = scale · exp(power · s), s the weighted sum of log1p(base) plus the intercept;
   * 'geometric': spend = scale · (exp(s) − 1), power 1.
   */
  calibration: { scale: number; power: number } | null;
  /** What was fitted: 'geometric:<base>+<base>…' (the bases kept), or an older stack's name. */
  choice: string;
  /** Inner-fold RMSE and normalized Gini of each stack tried by the guard, and of each base. */
  inner?: Record<string, { rmse: number; normalized_gini: number }>;
}

type Columns = Record<string, ArrayLike<number>>;

const logOf = (values: ArrayLike<number>) => Float64Array.from(values as ArrayLike<number>, (v) => Math.log1p(Math.max(0, v)));

function logScore(e: Pick<StackedEnsemble, 'models' | 'weights' | 'intercept'>, logs: Record<string, ArrayLike<number>>): Float64Array {
  const n = logs[e.models[0]].length;
  const s = new Float64Array(n).fill(e.intercept);
  e.models.forEach((m, j) => {
    if (e.weights[j] === 0) return;
    const col = logs[m];
    for (let i = 0; i < n; i++) s[i] += e.weights[j] * col[i];
  });
  return s;
}

export function predictStackedEnsemble(ensemble: StackedEnsemble, columns: Columns, n: number): Float64Array {
  if (ensemble.scale === 'linear') {
    const out = new Float64Array(n);
    ensemble.models.forEach((m, j) => {
      if (ensemble.weights[j] === 0) return;
      const col = columns[m];
      for (let i = 0; i < n; i++) out[i] += ensemble.weights[j] * col[i];
    });
    return out;
  }
  const logs: Record<string, Float64Array> = {};
  for (const m of ensemble.models) logs[m] = logOf(columns[m]);
  const s = logScore(ensemble, logs);
  const { scale, power } = ensemble.calibration ?? { scale: 1, power: 1 };
  if (ensemble.scale === 'geometric') return Float64Array.from(s, (v) => scale * Math.expm1(v));
  return Float64Array.from(s, (v) => scale * Math.exp(power * v));
}

/** The geometric mean of the bases in `use`, before its scale: exp(mean log1p(ŷ)) − 1 per customer. */
function geometricMean(columns: Columns, use: readonly string[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (const m of use) {
    const col = columns[m];
    for (let i = 0; i < n; i++) out[i] += Math.log1p(Math.max(0, col[i])) / use.length;
  }
  return out.map((s) => Math.expm1(s));
}

/** The geometric stack over `use`, its scale fitted on `rows` so the predicted total equals the actual one. */
export function fitGeometricStack(columns: Columns, target: ArrayLike<number>, rows: ArrayLike<number>, use: readonly string[]): StackedEnsemble {
  const models = Object.keys(columns).sort();
  const n = target.length;
  const g = geometricMean(columns, use, n);
  let actual = 0;
  let predicted = 0;
  for (let r = 0; r < rows.length; r++) {
    actual += target[rows[r]];
    predicted += g[rows[r]];
  }
  const scale = predicted > 0 ? actual / predicted : 1;
  const kept = [...use].sort();
  return { models, weights: models.map((m) => (kept.includes(m) ? 1 / kept.length : 0)), scale: 'geometric', intercept: 0, calibration: { scale, power: 1 }, choice: `geometric:${kept.join('+')}` };
}

type Score = { rmse: number; normalized_gini: number };

/** Bootstrap resamples behind the guard's test of a base ranking better than the stack. */
export const GUARD_RESAMPLES = 100;

/** Whether `base` ranks `y` better than `stack` beyond the noise: 2.5% quantile of the paired bootstrap difference in normalized Gini above 0. */
function ranksBetter(y: Float64Array, base: Float64Array, stack: Float64Array, seed: number): boolean {
  const n = y.length;
  const rng = new Rng(seed);
  const diffs: number[] = [];
  const yb = new Float64Array(n);
  const bb = new Float64Array(n);
  const sb = new Float64Array(n);
  for (let b = 0; b < GUARD_RESAMPLES; b++) {
    for (let j = 0; j < n; j++) {
      const i = rng.int(n);
      yb[j] = y[i];
      bb[j] = base[i];
      sb[j] = stack[i];
    }
    const d = normalizedGini(yb, bb) - normalizedGini(yb, sb);
    if (Number.isFinite(d)) diffs.push(d);
  }
  if (diffs.length === 0) return false;
  diffs.sort((a, b) => a - b);
  return diffs[Math.floor(0.025 * diffs.length)] > 0;
}

function scoreOn(y: Float64Array, all: Int32Array, values: ArrayLike<number>): Score {
  const p = Float64Array.from(all, (i) => values[i]);
  return { rmse: rmse(y, p), normalized_gini: normalizedGini(y, p) };
}

/**
 * The guarded geometric stack (see the file's comment): fitted on `rows`, checked on `folds` (a
 * partition of `rows`; each fold scored by the stack fitted on the others).
 */
export function fitGuardedStack(columns: Columns, target: ArrayLike<number>, rows: ArrayLike<number>, folds: readonly ArrayLike<number>[]): StackedEnsemble {
  const n = target.length;
  const all = Int32Array.from(rows);
  const y = Float64Array.from(all, (i) => target[i]);
  const bases = Object.keys(columns).sort();
  const inner: Record<string, Score> = {};
  for (const m of bases) inner[`base:${m}`] = scoreOn(y, all, columns[m]);
  let use = [...bases];
  for (;;) {
    const oof = new Float64Array(n);
    for (const fold of folds) {
      const held = new Uint8Array(n);
      for (let r = 0; r < fold.length; r++) held[fold[r]] = 1;
      const pred = predictStackedEnsemble(fitGeometricStack(columns, target, all.filter((i) => !held[i]), use), columns, n);
      for (let r = 0; r < fold.length; r++) oof[fold[r]] = pred[fold[r]];
    }
    const stack = scoreOn(y, all, oof);
    inner[`geometric:${use.join('+')}`] = stack;
    if (use.length === 1) break;
    const stackValues = Float64Array.from(all, (i) => oof[i]);
    const better = bases.some(
      (m) => inner[`base:${m}`].normalized_gini > stack.normalized_gini && ranksBetter(y, Float64Array.from(all, (i) => columns[m][i]), stackValues, all.length + use.length),
    );
    if (!better) break;
    const gini = (m: string) => (Number.isFinite(inner[`base:${m}`].normalized_gini) ? inner[`base:${m}`].normalized_gini : -Infinity);
    const worst = use.reduce((a, b) => (gini(b) < gini(a) ? b : a));
    use = use.filter((m) => m !== worst);
  }
  return { ...fitGeometricStack(columns, target, all, use), inner };
}
