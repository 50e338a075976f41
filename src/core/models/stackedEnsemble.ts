/**
 * The stacked ensemble over base models' out-of-fold predictions.
 *
 * Candidates, all fitted on the rows given (out-of-fold predictions of the bases, never the test
 * customers):
 * - 'mean:top-k': the k best bases on those rows (ranked by their larger relative shortfall
 *   against the best RMSE and the best normalized Gini), averaged with equal weights;
 * - 'linear-stack': non-negative least squares on the raw predictions (no intercept).
 * fitGuardedStack chooses among them on inner folds only (each candidate fitted without the fold
 * it predicts): the candidate whose larger relative shortfall against the best base, on RMSE and
 * on normalized Gini, is smallest.
 *
 * Why equal weights: on CDNOW_master (seeds 1–3, cross-fitted) least-squares weights, fitted on
 * ~19,000 customers whose RMSE a few dozen very large customers decide, lost 1–1.5 RMSE out of fold
 * to the plain mean of the same bases, and a log-scale stack with a monotone map back to spend lost
 * about 0.01 of normalized Gini and 1–2 RMSE (the map cannot place the very largest customers). The
 * "forecast combination puzzle": estimated weights carry more noise than they remove bias.
 * Scale 'log' (weights on log1p of the bases, then scale·exp(power·s)) is still read by
 * predictStackedEnsemble.
 */
import { normalizedGini, rmse } from '../eval/metrics';

export interface StackedEnsemble {
  /** The bases offered, sorted. */
  models: string[];
  /** One weight per base of `models` (on the log1p scale for 'log', the raw scale for 'linear'). */
  weights: number[];
  scale: 'linear' | 'log';
  /** Log scale only: added to the weighted sum. */
  intercept: number;
  /** Log scale only: spend = scale · exp(power · s), s the weighted sum of log1p(base) plus the intercept. */
  calibration: { scale: number; power: number } | null;
  /** The candidate chosen: 'log-stack', 'linear-stack', 'recalibrated:<base>' or 'base:<base>'. */
  choice: string;
  /** Inner-fold RMSE and normalized Gini of every candidate, when it was chosen on inner folds. */
  inner?: Record<string, { rmse: number; normalized_gini: number }>;
}

type Columns = Record<string, ArrayLike<number>>;

/** Non-negative least squares from the Gram matrix by cyclic coordinate descent. */
function nnls(gram: Float64Array[], xty: Float64Array): Float64Array {
  const k = xty.length;
  const w = new Float64Array(k).fill(k > 0 ? 1 / k : 0);
  for (let sweep = 0; sweep < 500; sweep++) {
    let change = 0;
    for (let a = 0; a < k; a++) {
      if (gram[a][a] <= 0) {
        w[a] = 0;
        continue;
      }
      let residual = xty[a];
      for (let b = 0; b < k; b++) if (b !== a) residual -= gram[a][b] * w[b];
      const next = Math.max(0, residual / gram[a][a]);
      change = Math.max(change, Math.abs(next - w[a]));
      w[a] = next;
    }
    if (change < 1e-10) break;
  }
  return w;
}

function gramOf(cols: ArrayLike<number>[], target: ArrayLike<number>, rows: ArrayLike<number>, centre: Float64Array | null, targetCentre: number): { gram: Float64Array[]; xty: Float64Array } {
  const k = cols.length;
  const gram = Array.from({ length: k }, () => new Float64Array(k));
  const xty = new Float64Array(k);
  const v = new Float64Array(k);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let a = 0; a < k; a++) v[a] = cols[a][i] - (centre ? centre[a] : 0);
    const t = target[i] - targetCentre;
    for (let a = 0; a < k; a++) {
      xty[a] += v[a] * t;
      for (let b = a; b < k; b++) gram[a][b] += v[a] * v[b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) gram[a][b] = gram[b][a];
  return { gram, xty };
}

/** Non-negative weights (no intercept) on the raw predictions, by least squares on the rows given. */
export function fitStackedEnsemble(columns: Columns, target: ArrayLike<number>, rows: ArrayLike<number>): StackedEnsemble {
  const models = Object.keys(columns).sort();
  const { gram, xty } = gramOf(
    models.map((m) => columns[m]),
    target,
    rows,
    null,
    0,
  );
  return { models, weights: Array.from(nnls(gram, xty)), scale: 'linear', intercept: 0, calibration: null, choice: 'linear-stack' };
}

const logOf = (values: ArrayLike<number>) => Float64Array.from(values as ArrayLike<number>, (v) => Math.log1p(Math.max(0, v)));

/** Powers tried by the recalibration (b in c·exp(b·s)). */
const POWERS = Array.from({ length: 57 }, (_, j) => 0.2 + 0.05 * j);

/**
 * The recalibration c·exp(b·s) of a log-scale score s (for one base, s = log1p(ŷ): c·(1+ŷ)^b),
 * least squares on the spend of the rows given: for each power b on a grid, c is closed-form.
 * Strictly increasing in s, so the ranking is kept exactly.
 */
export function fitPowerCalibration(s: ArrayLike<number>, y: ArrayLike<number>, rows: ArrayLike<number>): { scale: number; power: number } {
  let best = { scale: 1, power: 1, gain: -Infinity };
  for (const b of POWERS) {
    let sgy = 0;
    let sgg = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      const g = Math.exp(b * s[i]);
      sgy += g * y[i];
      sgg += g * g;
    }
    if (sgg === 0) continue;
    // SSE = Σy² − (Σgy)²/Σg² at the best c = Σgy/Σg² (kept ≥ 0).
    const c = Math.max(0, sgy / sgg);
    const gain = c * sgy;
    if (gain > best.gain) best = { scale: c, power: b, gain };
  }
  return { scale: best.scale, power: best.power };
}

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
  return Float64Array.from(s, (v) => scale * Math.exp(power * v));
}

/** Equal weights on the bases named, raw scale: the combination that needs no fitted weights. */
function equalMean(models: string[], use: readonly string[], choice: string): StackedEnsemble {
  return { models, weights: models.map((m) => (use.includes(m) ? 1 / use.length : 0)), scale: 'linear', intercept: 0, calibration: null, choice };
}

/**
 * The larger relative shortfall of a score against the best RMSE and the best normalized Gini
 * (0 for a score that is best on both): how the guarded stack compares candidates.
 */
function shortfallAgainst(best: { rmse: number; gini: number }) {
  return (s: { rmse: number; normalized_gini: number }) =>
    Math.max((s.rmse - best.rmse) / Math.max(best.rmse, 1e-12), Number.isFinite(s.normalized_gini) ? (best.gini - s.normalized_gini) / Math.max(Math.abs(best.gini), 1e-12) : Infinity);
}

/** Each base's RMSE and normalized Gini on the rows given. */
function baseScores(columns: Columns, target: ArrayLike<number>, rows: ArrayLike<number>): Record<string, { rmse: number; normalized_gini: number }> {
  const y = Float64Array.from(rows as ArrayLike<number>, (i) => target[i]);
  return Object.fromEntries(
    Object.keys(columns).map((m) => {
      const p = Float64Array.from(rows as ArrayLike<number>, (i) => columns[m][i]);
      return [m, { rmse: rmse(y, p), normalized_gini: normalizedGini(y, p) }];
    }),
  );
}

function bestOf(scores: Record<string, { rmse: number; normalized_gini: number }>): { rmse: number; gini: number } {
  const list = Object.values(scores);
  return { rmse: Math.min(...list.map((s) => s.rmse)), gini: Math.max(...list.map((s) => s.normalized_gini).filter(Number.isFinite)) };
}

/** The bases ranked on the rows given by their shortfall against the best base, best first. */
function ranked(columns: Columns, target: ArrayLike<number>, rows: ArrayLike<number>): string[] {
  const scores = baseScores(columns, target, rows);
  const shortfall = shortfallAgainst(bestOf(scores));
  return Object.keys(columns).sort((a, b) => shortfall(scores[a]) - shortfall(scores[b]) || (a < b ? -1 : 1));
}

function candidates(columns: Columns, target: ArrayLike<number>): Array<{ name: string; fit: (rows: ArrayLike<number>) => StackedEnsemble }> {
  const models = Object.keys(columns).sort();
  return [
    // The k most accurate bases on the rows the candidate learns from, averaged with equal weights.
    ...models.map((_, j) => ({ name: `mean:top-${j + 1}`, fit: (rows: ArrayLike<number>) => equalMean(models, ranked(columns, target, rows).slice(0, j + 1), `mean:top-${j + 1}`) })),
    { name: 'linear-stack', fit: (rows) => fitStackedEnsemble(columns, target, rows) },
  ];
}

/**
 * The guarded stack: candidates (see the file's comment) scored on `folds` (a partition of `rows`;
 * each candidate refitted without the fold it predicts), the one with the smallest worst relative
 * shortfall against the best base chosen, and refitted on all `rows`.
 */
export function fitGuardedStack(columns: Columns, target: ArrayLike<number>, rows: ArrayLike<number>, folds: readonly ArrayLike<number>[]): StackedEnsemble {
  const n = target.length;
  const list = candidates(columns, target);
  const inRows = new Uint8Array(n);
  for (let r = 0; r < rows.length; r++) inRows[rows[r]] = 1;
  const all = Int32Array.from(rows);
  const y = Float64Array.from(all, (i) => target[i]);
  const scores: Record<string, { rmse: number; normalized_gini: number }> = {};
  for (const c of list) {
    const oof = new Float64Array(n);
    for (const fold of folds) {
      const held = new Uint8Array(n);
      for (let r = 0; r < fold.length; r++) held[fold[r]] = 1;
      const others = all.filter((i) => !held[i]);
      const pred = predictStackedEnsemble(c.fit(others), columns, n);
      for (let r = 0; r < fold.length; r++) oof[fold[r]] = pred[fold[r]];
    }
    const p = Float64Array.from(all, (i) => oof[i]);
    scores[c.name] = { rmse: rmse(y, p), normalized_gini: normalizedGini(y, p) };
  }
  const shortfall = shortfallAgainst(bestOf(baseScores(columns, target, all)));
  let chosen = list[0];
  for (const c of list) if (shortfall(scores[c.name]) < shortfall(scores[chosen.name]) - 1e-12) chosen = c;
  return { ...chosen.fit(all), inner: scores };
}
