/**
 * Learned spend per purchase, for "BG/NBD purchases × learned order value".
 *
 * Gamma-Gamma estimates a customer's order value from the mean of their repeat purchases only: a
 * one-time buyer gets the population mean whatever the first order was, and the gamma mixture
 * shrinks everyone else by a fixed rule. Here the order value is learned from the horizon itself:
 * a ridge regression of log(horizon spend / horizon orders), over the customers who bought in the
 * horizon, on the log-compressed, standardised features (Gamma-Gamma's own estimate among them).
 * Each customer's log order value is averaged over their horizon orders, so rows are weighted by
 * their order count; the ridge penalty is chosen by K-fold cross-validation on the training rows;
 * and a smearing factor (Duan 1983, order-weighted) maps the log-scale fit back to the mean, so
 * Σ orders·predicted value matches the training buyers' total spend.
 */
import { Rng, deriveSeed } from '../random';
import { fitScaler, transformFeatures, type ScalerStats } from '../nets/scaler';

export interface SpendPerPurchaseModel {
  scaler: ScalerStats;
  /** Intercept first, then one coefficient per feature (standardised scale). */
  beta: Float64Array;
  /** exp(log fit) × smear = expected spend per purchase. */
  smear: number;
  lambda: number;
}

const LAMBDAS = [0.01, 0.1, 1, 10, 100, 1000];
const CV_FOLDS = 5;

/** Weighted ridge (intercept unpenalised) by the normal equations; d is small. */
function ridge(Z: Float32Array, d: number, t: Float64Array, w: Float64Array, rows: ArrayLike<number>, lambda: number): Float64Array {
  const k = d + 1;
  const A = Array.from({ length: k }, () => new Float64Array(k));
  const b = new Float64Array(k);
  const x = new Float64Array(k);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    x[0] = 1;
    for (let j = 0; j < d; j++) x[j + 1] = Z[i * d + j];
    for (let a = 0; a < k; a++) {
      b[a] += w[i] * x[a] * t[i];
      for (let c = a; c < k; c++) A[a][c] += w[i] * x[a] * x[c];
    }
  }
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < a; c++) A[a][c] = A[c][a];
    if (a > 0) A[a][a] += lambda;
  }
  // Cholesky-free Gaussian elimination with partial pivoting (k ≈ 20).
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(A[r][col]) > Math.abs(A[pivot][col])) pivot = r;
    [A[col], A[pivot]] = [A[pivot], A[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    const diag = A[col][col] || 1e-12;
    for (let r = col + 1; r < k; r++) {
      const f = A[r][col] / diag;
      if (f === 0) continue;
      for (let c = col; c < k; c++) A[r][c] -= f * A[col][c];
      b[r] -= f * b[col];
    }
  }
  const beta = new Float64Array(k);
  for (let r = k - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < k; c++) s -= A[r][c] * beta[c];
    beta[r] = s / (A[r][r] || 1e-12);
  }
  return beta;
}

function linear(Z: Float32Array, d: number, beta: Float64Array, i: number): number {
  let s = beta[0];
  for (let j = 0; j < d; j++) s += beta[j + 1] * Z[i * d + j];
  return s;
}

/**
 * Fits the order-value regression on `rows` of X (n × d raw features, row-major); only rows with
 * horizon orders and spend take part. Returns null when fewer than 20 such customers exist.
 */
export function fitSpendPerPurchase(
  X: Float32Array,
  d: number,
  spend: ArrayLike<number>,
  orders: ArrayLike<number>,
  rows: ArrayLike<number>,
  seed: number,
): SpendPerPurchaseModel | null {
  const buyers = Int32Array.from(Array.from(rows).filter((i) => orders[i] > 0 && spend[i] > 0));
  if (buyers.length < 20) return null;
  const scaler = fitScaler(X, d, buyers, true);
  const Z = transformFeatures(X, scaler);
  const n = X.length / d;
  const t = new Float64Array(n);
  const w = new Float64Array(n);
  for (const i of buyers) {
    t[i] = Math.log(spend[i] / orders[i]);
    w[i] = orders[i];
  }
  // Penalty by cross-validated order-weighted squared error on the log scale.
  const order = new Rng(deriveSeed(seed, 'spend-per-purchase', 'folds')).permutation(buyers.length);
  let best = { lambda: LAMBDAS[0], error: Infinity };
  for (const lambda of LAMBDAS) {
    let error = 0;
    for (let k = 0; k < CV_FOLDS; k++) {
      const held = buyers.filter((_, j) => order[j] % CV_FOLDS === k);
      const kept = buyers.filter((_, j) => order[j] % CV_FOLDS !== k);
      const beta = ridge(Z, d, t, w, kept, lambda);
      for (const i of held) error += w[i] * (t[i] - linear(Z, d, beta, i)) ** 2;
    }
    if (error < best.error) best = { lambda, error };
  }
  const beta = ridge(Z, d, t, w, buyers, best.lambda);
  let total = 0;
  let fitted = 0;
  for (const i of buyers) {
    total += spend[i];
    fitted += orders[i] * Math.exp(linear(Z, d, beta, i));
  }
  return { scaler, beta, smear: fitted > 0 ? total / fitted : 1, lambda: best.lambda };
}

/** Expected spend per purchase for every row of X (n × d raw features). */
export function predictSpendPerPurchase(model: SpendPerPurchaseModel, X: Float32Array): Float64Array {
  const d = model.scaler.mean.length;
  const Z = transformFeatures(X, model.scaler);
  const n = X.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = model.smear * Math.exp(Math.min(linear(Z, d, model.beta, i), 30));
  return out;
}
