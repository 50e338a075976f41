/**
 * Integrated gradients (Sundararajan, Taly & Yan 2017): per-customer, per-feature attributions of a
 * network's prediction. Attribution_j = (x_j − x'_j) · ∫₀¹ ∂f/∂x_j (x' + α(x − x')) dα, with the
 * baseline x' = the feature means, so each customer's attributions sum to f(x) − f(mean customer)
 * ("completeness"). The integral is approximated with the trapezoidal rule on `steps` intervals.
 *
 * The attributions are invariant to per-feature affine rescaling, so computing them on
 * standardised inputs gives the attributions of the raw features.
 */
import * as tf from '@tensorflow/tfjs';

export interface IntegratedGradientsOptions {
  /** Baseline input (length d); defaults to the column means of X. */
  baseline?: ArrayLike<number>;
  /** Trapezoid intervals along the path from baseline to input. */
  steps?: number;
  /** Upper bound on interpolated rows per gradient call (memory versus call overhead). */
  maxPointsPerCall?: number;
}

function columnMeans(X: Float32Array, d: number): Float64Array {
  const n = X.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < X.length; i += d) for (let j = 0; j < d; j++) mean[j] += X[i + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/**
 * Attributions (n × d, row-major) of `f` at each row of X (n × d, row-major). `f` maps rows × d
 * inputs to one output per row (rows or rows × 1) and must treat rows independently, i.e. a
 * network in inference mode.
 */
export function integratedGradients(
  f: (x: tf.Tensor2D) => tf.Tensor,
  X: Float32Array,
  d: number,
  options: IntegratedGradientsOptions = {},
): Float32Array {
  const steps = options.steps ?? 50;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const n = X.length / d;
  if (!Number.isInteger(n)) throw new RangeError(`X has ${X.length} values, not a multiple of d=${d}`);
  const baselineValues = Float32Array.from(options.baseline ?? columnMeans(X, d));
  if (baselineValues.length !== d) throw new RangeError(`baseline has ${baselineValues.length} values, expected ${d}`);
  const points = steps + 1;
  const chunkRows = Math.max(1, Math.floor((options.maxPointsPerCall ?? 16384) / points));
  // Trapezoid weights: ½, 1, …, 1, ½, over the interval count.
  const weights = Float32Array.from({ length: points }, (_, k) => (k === 0 || k === steps ? 0.5 : 1) / steps);
  const alphas = Float32Array.from({ length: points }, (_, k) => k / steps);

  const out = new Float32Array(n * d);
  const baseline = tf.tensor2d(baselineValues, [1, d]);
  const alpha = tf.tensor3d(alphas, [points, 1, 1]);
  const weight = tf.tensor3d(weights, [points, 1, 1]);
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(f(x as tf.Tensor2D)));
  try {
    for (let start = 0; start < n; start += chunkRows) {
      const rows = Math.min(chunkRows, n - start);
      const chunk = tf.tidy(() => {
        const x = tf.tensor2d(X.subarray(start * d, (start + rows) * d), [rows, d]);
        const delta = tf.sub(x, baseline);
        // Path points for every row at every alpha: (steps + 1) × rows × d.
        const path = tf.add(baseline, tf.mul(alpha, delta)).reshape([points * rows, d]);
        const grads = gradient(path).reshape([points, rows, d]);
        return tf.mul(delta, tf.sum(tf.mul(grads, weight), 0));
      });
      out.set(chunk.dataSync() as Float32Array, start * d);
      chunk.dispose();
    }
  } finally {
    tf.dispose([baseline, alpha, weight]);
  }
  return out;
}
