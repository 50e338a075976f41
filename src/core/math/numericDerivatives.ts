/**
 * Finite-difference derivatives of a smooth scalar function, for optimisers and for the observed
 * information at a maximum-likelihood estimate. Central differences throughout: their error is
 * O(h²), against O(h) for one-sided ones, at twice the evaluations.
 */

export type ScalarFunction = (x: Float64Array) => number;

/** Step for the gradient: balances truncation (h²) against rounding (ε/h) for |x| ≈ 1. */
const GRADIENT_STEP = 1e-5;
/** Step for the Hessian: second differences divide by h², so a larger step keeps rounding small. */
const HESSIAN_STEP = 1e-4;

/** Step along axis j, scaled with |x_j| so that large coordinates are not perturbed below their precision. */
function stepFor(value: number, base: number): number {
  return base * Math.max(1, Math.abs(value));
}

/** ∇f(x) by central differences. */
export function numericGradient(f: ScalarFunction, x: ArrayLike<number>, step = GRADIENT_STEP): Float64Array {
  const n = x.length;
  const point = Float64Array.from(x);
  const gradient = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = stepFor(x[j], step);
    point[j] = x[j] + h;
    const up = f(point);
    point[j] = x[j] - h;
    const down = f(point);
    point[j] = x[j];
    gradient[j] = (up - down) / (2 * h);
  }
  return gradient;
}

/**
 * ∇²f(x) by central differences: the diagonal from f(x ± h eⱼ), off-diagonal entries from the four
 * points f(x ± hᵢ eᵢ ± hⱼ eⱼ). The result is exactly symmetric (each pair is computed once).
 */
export function numericHessian(f: ScalarFunction, x: ArrayLike<number>, step = HESSIAN_STEP): Float64Array[] {
  const n = x.length;
  const point = Float64Array.from(x);
  const h = Float64Array.from(x, (v) => stepFor(v, step));
  const center = f(point);
  const hessian = Array.from({ length: n }, () => new Float64Array(n));
  const at = (i: number, di: number, j: number, dj: number): number => {
    point[i] += di;
    point[j] += dj;
    const value = f(point);
    point[i] = x[i];
    point[j] = x[j];
    return value;
  };
  for (let i = 0; i < n; i++) {
    const up = at(i, h[i], i, 0);
    const down = at(i, -h[i], i, 0);
    hessian[i][i] = (up - 2 * center + down) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const pp = at(i, h[i], j, h[j]);
      const pm = at(i, h[i], j, -h[j]);
      const mp = at(i, -h[i], j, h[j]);
      const mm = at(i, -h[i], j, -h[j]);
      const value = (pp - pm - mp + mm) / (4 * h[i] * h[j]);
      hessian[i][j] = value;
      hessian[j][i] = value;
    }
  }
  return hessian;
}

/** Euclidean norm. */
export function norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  return Math.sqrt(sum);
}
