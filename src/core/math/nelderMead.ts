/**
 * Derivative-free minimisation (Nelder & Mead 1965) with the dimension-adaptive coefficients of
 * Gao & Han (2012), which behave better than the classic 1, 2, ½, ½ beyond two or three dimensions.
 *
 * A simplex can flatten onto a subspace and stall short of the optimum. So a convergence is only
 * accepted after probing the best point a little way along every axis (2n evaluations, far cheaper
 * than a fresh simplex that must shrink all the way down again); if a probe improves, the search
 * restarts there with a full-size simplex. Everything is bounded by an iteration budget, and the
 * procedure is deterministic: the same inputs always give the same path.
 */

export interface NelderMeadOptions {
  /** Initial simplex edge along each axis; a number applies to all. Default 0.5. */
  step?: number | readonly number[];
  /** Total iteration budget across all restarts. Default 5000. */
  maxIterations?: number;
  /** Fresh simplexes allowed after failed convergence checks. Default 10. */
  maxRestarts?: number;
  /** Converged when the simplex's values differ by at most fTolerance·(1 + |best|). Default 1e-12. */
  fTolerance?: number;
  /** …and its vertices lie within xTolerance of the best along every axis. Default 1e-7. */
  xTolerance?: number;
  /** Distance of the post-convergence probes along each axis. Default 100 · xTolerance. */
  probeStep?: number;
}

export interface NelderMeadResult {
  /** The best point found. */
  x: Float64Array;
  /** The objective at x. */
  value: number;
  /** Iterations used, over all restarts. */
  iterations: number;
  /** Objective evaluations used. */
  evaluations: number;
  /** True when the simplex met both tolerances and no axis probe around x improved on it. */
  converged: boolean;
}

export type Objective = (x: Float64Array) => number;

interface RunResult {
  x: Float64Array;
  value: number;
  converged: boolean;
}

export function nelderMead(
  objective: Objective,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = start.length;
  if (n === 0) throw new RangeError('nelderMead needs at least one parameter');
  const steps = Float64Array.from({ length: n }, (_, i) => {
    const s = options.step ?? 0.5;
    return typeof s === 'number' ? s : s[i];
  });
  const settings = {
    maxIterations: options.maxIterations ?? 5000,
    fTolerance: options.fTolerance ?? 1e-12,
    xTolerance: options.xTolerance ?? 1e-7,
  };
  const maxRestarts = options.maxRestarts ?? 10;
  const probeStep = options.probeStep ?? 100 * settings.xTolerance;

  let evaluations = 0;
  // NaN (e.g. a likelihood evaluated outside its domain) must never win a comparison.
  const f = (x: Float64Array): number => {
    evaluations++;
    const value = objective(x);
    return Number.isNaN(value) ? Infinity : value;
  };

  const budget = { used: 0 };
  let best = runSimplex(f, Float64Array.from(start), steps, settings, budget);
  for (let restart = 0; best.converged && restart <= maxRestarts; restart++) {
    const better = probeAxes(f, best, probeStep, settings.fTolerance);
    if (better === null) return { ...best, iterations: budget.used, evaluations, converged: true };
    if (restart === maxRestarts || budget.used >= settings.maxIterations) {
      best = { ...better, converged: false };
      break;
    }
    best = runSimplex(f, better.x, steps, settings, budget);
    if (better.value < best.value) best = { ...better, converged: best.converged };
  }
  return { x: best.x, value: best.value, iterations: budget.used, evaluations, converged: false };
}

/** The best point a probe step away along ±each axis, if it beats `at` by more than the tolerance. */
function probeAxes(
  f: Objective,
  at: RunResult,
  step: number,
  fTolerance: number,
): { x: Float64Array; value: number } | null {
  const threshold = at.value - fTolerance * (1 + Math.abs(at.value));
  let found: { x: Float64Array; value: number } | null = null;
  for (let j = 0; j < at.x.length; j++) {
    for (const direction of [-1, 1]) {
      const x = Float64Array.from(at.x);
      x[j] += direction * step;
      const value = f(x);
      if (value < threshold && (found === null || value < found.value)) found = { x, value };
    }
  }
  return found;
}

function runSimplex(
  f: Objective,
  start: Float64Array,
  steps: Float64Array,
  settings: { maxIterations: number; fTolerance: number; xTolerance: number },
  budget: { used: number },
): RunResult {
  const n = start.length;
  const reflection = 1;
  const expansion = 1 + 2 / n;
  const contraction = 0.75 - 1 / (2 * n);
  // Gao & Han's 1 − 1/n would collapse a one-dimensional simplex to a point.
  const shrinkage = n > 1 ? 1 - 1 / n : 0.5;

  const vertices: Float64Array[] = [Float64Array.from(start)];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(start);
    v[i] += steps[i];
    vertices.push(v);
  }
  const values = vertices.map(f);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const along = (coefficient: number): Float64Array => {
    const worst = vertices[order[n]];
    const point = new Float64Array(n);
    for (let j = 0; j < n; j++) point[j] = centroid[j] + coefficient * (centroid[j] - worst[j]);
    return point;
  };

  while (budget.used < settings.maxIterations) {
    // Stable sort on value, ties broken by index, keeps runs reproducible.
    order.sort((i, j) => values[i] - values[j] || i - j);
    const bestIndex = order[0];
    const worstIndex = order[n];
    if (hasConverged(vertices, values, bestIndex, settings)) {
      return { x: vertices[bestIndex], value: values[bestIndex], converged: true };
    }
    budget.used++;

    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const v = vertices[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += v[j] / n;
    }

    const reflected = along(reflection);
    const reflectedValue = f(reflected);
    if (reflectedValue < values[bestIndex]) {
      const expanded = along(reflection * expansion);
      const expandedValue = f(expanded);
      if (expandedValue < reflectedValue) replace(worstIndex, expanded, expandedValue);
      else replace(worstIndex, reflected, reflectedValue);
      continue;
    }
    if (reflectedValue < values[order[n - 1]]) {
      replace(worstIndex, reflected, reflectedValue);
      continue;
    }
    const outside = reflectedValue < values[worstIndex];
    const contracted = along(outside ? reflection * contraction : -contraction);
    const contractedValue = f(contracted);
    if (contractedValue < (outside ? reflectedValue : values[worstIndex])) {
      replace(worstIndex, contracted, contractedValue);
      continue;
    }
    const bestVertex = vertices[bestIndex];
    for (let k = 1; k <= n; k++) {
      const v = vertices[order[k]];
      for (let j = 0; j < n; j++) v[j] = bestVertex[j] + shrinkage * (v[j] - bestVertex[j]);
      values[order[k]] = f(v);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[bestIndex]) bestIndex = i;
  return { x: vertices[bestIndex], value: values[bestIndex], converged: false };

  function replace(index: number, point: Float64Array, value: number): void {
    vertices[index] = point;
    values[index] = value;
  }
}

function hasConverged(
  vertices: Float64Array[],
  values: number[],
  bestIndex: number,
  settings: { fTolerance: number; xTolerance: number },
): boolean {
  const bestValue = values[bestIndex];
  if (!Number.isFinite(bestValue)) return false;
  const best = vertices[bestIndex];
  for (let i = 0; i < vertices.length; i++) {
    if (Math.abs(values[i] - bestValue) > settings.fTolerance * (1 + Math.abs(bestValue))) return false;
    const v = vertices[i];
    for (let j = 0; j < best.length; j++) {
      if (Math.abs(v[j] - best[j]) > settings.xTolerance) return false;
    }
  }
  return true;
}
