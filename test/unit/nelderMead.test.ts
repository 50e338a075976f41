import { describe, expect, it } from 'vitest';
import { nelderMead, type Objective } from '../../src/core/math/nelderMead';

/** Counts the objective's calls, so the reported evaluation count can be checked. */
function counted(f: Objective): { f: Objective; calls: () => number } {
  let calls = 0;
  return {
    f: (x) => {
      calls++;
      return f(x);
    },
    calls: () => calls,
  };
}

const rosenbrock: Objective = (x) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;

describe('nelderMead', () => {
  it('walks the Rosenbrock valley to its minimum at (1, 1) from the classic start (−1.2, 1)', () => {
    const { f, calls } = counted(rosenbrock);
    const result = nelderMead(f, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(Math.abs(result.x[0] - 1)).toBeLessThan(1e-5);
    expect(Math.abs(result.x[1] - 1)).toBeLessThan(1e-5);
    expect(result.value).toBeLessThan(1e-10);
    expect(result.value).toBe(rosenbrock(result.x));
    expect(result.evaluations).toBe(calls());
    expect(result.iterations).toBeGreaterThan(0);
    expect(result.iterations).toBeLessThanOrEqual(5000);
  });

  it('finds the minimum of the 4-D Rosenbrock function too (where a plain simplex tends to stall)', () => {
    const f: Objective = (x) => {
      let s = 0;
      for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
      return s;
    };
    const result = nelderMead(f, [-1, 0.5, -0.5, 2], { maxIterations: 20_000 });
    expect(result.converged).toBe(true);
    for (const v of result.x) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
  });

  it('finds the known minimum of a correlated quadratic', () => {
    // f(x) = (x − m)ᵀ A (x − m) + 7 with A positive definite (eigenvalues 1, 3 and 20 apart, plus a
    // coupling), so the minimum is m with value 7.
    const m = [3, -2, 0.5];
    const f: Objective = (x) => {
      const d = [x[0] - m[0], x[1] - m[1], x[2] - m[2]];
      return d[0] ** 2 + 3 * d[1] ** 2 + 20 * d[2] ** 2 + 1.5 * d[0] * d[1] + 7;
    };
    const result = nelderMead(f, [0, 0, 0]);
    expect(result.converged).toBe(true);
    m.forEach((v, i) => expect(Math.abs(result.x[i] - v)).toBeLessThan(1e-6));
    expect(result.value).toBeCloseTo(7, 10);
  });

  it('minimises in one dimension (shrinking a simplex of two points)', () => {
    const result = nelderMead((x) => (x[0] - Math.PI) ** 2, [10]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(Math.PI, 6);
  });

  it('solves a ridge with positive parameters on the log scale, as the BTYD fits use it', () => {
    // g(a, b) = 100(b − a)² + (a − 0.05)² for a, b > 0: a narrow ridge along a = b, minimum at
    // (0.05, 0.05), near the bound at 0. Optimised over θ = log(a, b), so a, b stay positive.
    const g = (a: number, b: number) => 100 * (b - a) ** 2 + (a - 0.05) ** 2;
    const result = nelderMead((theta) => g(Math.exp(theta[0]), Math.exp(theta[1])), [0, 0]);
    expect(result.converged).toBe(true);
    expect(Math.exp(result.x[0])).toBeCloseTo(0.05, 5);
    expect(Math.exp(result.x[1])).toBeCloseTo(0.05, 5);
  });

  it('reaches the bound of a box when the unconstrained minimum lies outside it (logistic transform)', () => {
    // g(x, y) = (x − 2)² + 100(y − x)² on the box (0, 1)²: the ridge leads to (2, 2), outside, so the
    // constrained infimum is the corner (1, 1) with value 1, approached as θ → ∞.
    const box = (t: number) => 1 / (1 + Math.exp(-t));
    const g = (x: number, y: number) => (x - 2) ** 2 + 100 * (y - x) ** 2;
    const result = nelderMead((theta) => g(box(theta[0]), box(theta[1])), [0, 0], { maxIterations: 2000 });
    const [x, y] = [box(result.x[0]), box(result.x[1])];
    expect(x).toBeGreaterThan(0.999);
    expect(y).toBeGreaterThan(0.999);
    expect(x).toBeLessThanOrEqual(1);
    expect(result.value).toBeGreaterThanOrEqual(1);
    expect(result.value - 1).toBeLessThan(1e-3);
  });

  it('never lets NaN (outside a domain) win a comparison', () => {
    // log-barrier: NaN for x ≤ 0; the minimum of x − log x is at x = 1.
    const f: Objective = (x) => (x[0] > 0 ? x[0] - Math.log(x[0]) : Number.NaN);
    const result = nelderMead(f, [0.3], { step: 2 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.value).toBeCloseTo(1, 12);
  });

  it('is deterministic and respects its iteration budget', () => {
    const a = nelderMead(rosenbrock, [-1.2, 1]);
    const b = nelderMead(rosenbrock, [-1.2, 1]);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(b.evaluations).toBe(a.evaluations);
    const short = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 10 });
    expect(short.converged).toBe(false);
    expect(short.iterations).toBeLessThanOrEqual(10);
    expect(short.value).toBeLessThan(rosenbrock(Float64Array.from([-1.2, 1])));
  });

  it('takes a step per axis and rejects an empty start', () => {
    // Axes on very different scales: a step of 1000 along the first, 0.001 along the second.
    const f: Objective = (x) => ((x[0] - 5000) / 1000) ** 2 + ((x[1] - 0.002) / 0.001) ** 2;
    const result = nelderMead(f, [0, 0], { step: [1000, 0.001], xTolerance: 1e-9 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(5000, 3);
    expect(result.x[1]).toBeCloseTo(0.002, 7);
    expect(() => nelderMead(f, [])).toThrow(RangeError);
  });
});
