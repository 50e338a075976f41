/**
 * Feature standardisation and target transforms for the neural models. Both are plain data so a
 * trained model's preprocessing can be saved in its bundle and replayed exactly at prediction time.
 */

/** Per-column mean and standard deviation, JSON-serialisable. */
export interface ScalerStats {
  mean: number[];
  std: number[];
  /**
   * Whether every feature first goes through sign(x)·log1p(|x|). Spend and count features are
   * heavy-tailed: standardising alone leaves a few customers dozens of deviations out, where a
   * ReLU network extrapolates linearly. Mean and std are those of the compressed values.
   */
  logCompress: boolean;
}

/** sign(x)·log1p(|x|): log-like for large |x|, about x near 0, defined for negative values. */
function compress(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/**
 * Column means and population standard deviations (as scikit-learn's StandardScaler, which the
 * seed used) of the rows `rows` (all rows when omitted) of a row-major n×d matrix, after the
 * optional log compression. Constant columns get std 1 so they transform to 0 instead of dividing
 * by zero.
 */
export function fitScaler(X: Float32Array, d: number, rows?: ArrayLike<number>, logCompress = false): ScalerStats {
  const n = rows ? rows.length : X.length / d;
  if (!Number.isInteger(X.length / d)) throw new RangeError(`X has ${X.length} values, not a multiple of d=${d}`);
  if (n === 0) throw new RangeError('cannot fit a scaler on zero rows');
  // Float64 accumulators and a two-pass variance: spend columns reach 1e6 and float32 sums drift.
  const value = logCompress ? (i: number) => compress(X[i]) : (i: number) => X[i];
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const base = (rows ? rows[r] : r) * d;
    for (let j = 0; j < d; j++) mean[j] += value(base + j);
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const sq = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const base = (rows ? rows[r] : r) * d;
    for (let j = 0; j < d; j++) {
      const e = value(base + j) - mean[j];
      sq[j] += e * e;
    }
  }
  const std = Array.from(sq, (s) => {
    const sd = Math.sqrt(s / n);
    return sd > 1e-12 && Number.isFinite(sd) ? sd : 1;
  });
  return { mean: Array.from(mean), std, logCompress };
}

/** (compressed x − mean) / std column by column; returns a new row-major matrix. */
export function transformFeatures(X: Float32Array, stats: ScalerStats): Float32Array {
  const d = stats.mean.length;
  if (X.length % d !== 0) throw new RangeError(`X has ${X.length} values, not a multiple of d=${d}`);
  const inv = stats.std.map((s) => 1 / s);
  const out = new Float32Array(X.length);
  for (let i = 0; i < X.length; i += d) {
    for (let j = 0; j < d; j++) {
      const x = stats.logCompress ? compress(X[i + j]) : X[i + j];
      out[i + j] = (x - stats.mean[j]) * inv[j];
    }
  }
  return out;
}

/** Inverse of transformFeatures: raw feature values for standardised ones. */
export function untransformFeatures(Z: Float32Array, stats: ScalerStats): Float32Array {
  const d = stats.mean.length;
  if (Z.length % d !== 0) throw new RangeError(`Z has ${Z.length} values, not a multiple of d=${d}`);
  const out = new Float32Array(Z.length);
  for (let i = 0; i < Z.length; i += d) {
    for (let j = 0; j < d; j++) {
      const x = Z[i + j] * stats.std[j] + stats.mean[j];
      out[i + j] = !stats.logCompress ? x : x < 0 ? -Math.expm1(-x) : Math.expm1(x);
    }
  }
  return out;
}

/**
 * How the target is reshaped before the loss sees it. 'log1p' compresses heavy-tailed spend so a
 * few whales do not dominate a squared-error loss; predictions are mapped back with expm1.
 */
export type TargetTransform = 'none' | 'log1p';

export function applyTargetTransform(y: ArrayLike<number>, transform: TargetTransform): Float32Array {
  const out = Float32Array.from(y);
  if (transform === 'log1p') for (let i = 0; i < out.length; i++) out[i] = Math.log1p(Math.max(0, out[i]));
  return out;
}

/** Maps model outputs back to spend. The log1p inverse is floored at 0: spend is never negative. */
export function invertTargetTransform(z: ArrayLike<number>, transform: TargetTransform): Float32Array {
  const out = Float32Array.from(z);
  if (transform === 'log1p') for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.expm1(out[i]));
  return out;
}
