/**
 * BFGS minimisation with finite-difference gradients and a backtracking (Armijo) line search.
 * The probabilistic models use it to polish a Nelder-Mead estimate: the simplex is robust far from
 * the optimum, BFGS drives the gradient to zero near it, and its gradient norm is what "converged"
 * is judged by.
 */
import { norm, numericGradient, type ScalarFunction } from './numericDerivatives';

export interface BfgsOptions {
  /** Iteration budget. Default 200. */
  maxIterations?: number;
  /** Converged when the gradient's Euclidean norm is at most this. Default 1e-6. */
  gradientTolerance?: number;
}

export interface BfgsResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  gradientNorm: number;
  iterations: number;
  converged: boolean;
}

const ARMIJO = 1e-4;
const MAX_HALVINGS = 40;

export function bfgs(f: ScalarFunction, start: ArrayLike<number>, options: BfgsOptions = {}): BfgsResult {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.gradientTolerance ?? 1e-6;
  const n = start.length;
  const safe: ScalarFunction = (x) => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  let x = Float64Array.from(start);
  let value = safe(x);
  let gradient = numericGradient(safe, x);
  // Inverse Hessian approximation, starting from the identity.
  let H = identity(n);
  let iterations = 0;
  while (iterations < maxIterations && Number.isFinite(value) && gradient.every(Number.isFinite)) {
    if (norm(gradient) <= tolerance) break;
    iterations++;
    let direction = multiply(H, gradient).map((v) => -v);
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      // Lost descent (a poor curvature estimate): fall back to steepest descent.
      H = identity(n);
      direction = gradient.map((v) => -v);
      slope = dot(direction, gradient);
    }
    let step = 1;
    let next = x;
    let nextValue = value;
    let accepted = false;
    for (let k = 0; k < MAX_HALVINGS; k++) {
      next = x.map((v, i) => v + step * direction[i]);
      nextValue = safe(next);
      if (nextValue <= value + ARMIJO * step * slope) {
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
    const nextGradient = numericGradient(safe, next);
    const s = next.map((v, i) => v - x[i]);
    const y = nextGradient.map((v, i) => v - gradient[i]);
    const sy = dot(s, y);
    if (sy > 1e-12 * norm(s) * norm(y)) H = bfgsUpdate(H, s, y, sy);
    x = next;
    value = nextValue;
    gradient = nextGradient;
  }
  const gradientNorm = norm(gradient);
  return { x, value, gradient, gradientNorm, iterations, converged: Number.isFinite(value) && gradientNorm <= tolerance };
}

function identity(n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function multiply(A: Float64Array[], v: ArrayLike<number>): Float64Array {
  return Float64Array.from(A, (row) => dot(row, v));
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (yᵀs). */
function bfgsUpdate(H: Float64Array[], s: Float64Array, y: Float64Array, sy: number): Float64Array[] {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = multiply(H, y);
  const yHy = dot(y, Hy);
  return Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: n }, (_, j) => H[i][j] - rho * (s[i] * Hy[j] + Hy[i] * s[j]) + (rho * rho * yHy + rho) * s[i] * s[j]),
  );
}
