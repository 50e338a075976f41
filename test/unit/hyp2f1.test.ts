import { describe, expect, it } from 'vitest';
import { hyp2f1, Hyp2f1ConvergenceError } from '../../src/core/math/hyp2f1';
import { gamma, lgamma, logBeta } from '../../src/core/math/special';

/** |actual − expected| ≤ tol · max(1, |expected|). */
function expectClose(actual: number, expected: number, tol = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

describe('lgamma and logBeta', () => {
  it('matches factorials and Γ(½) = √π', () => {
    let factorial = 1;
    for (let n = 1; n <= 30; n++) {
      expectClose(lgamma(n + 1), Math.log((factorial *= n)), 1e-14);
    }
    expectClose(lgamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(2)).toBeCloseTo(0, 14);
  });

  it('uses reflection for negative arguments and is infinite at the poles', () => {
    // Γ(−½) = −2√π.
    expectClose(gamma(-0.5), -2 * Math.sqrt(Math.PI), 1e-13);
    // Γ(−1.5) = 4√π/3.
    expectClose(gamma(-1.5), (4 * Math.sqrt(Math.PI)) / 3, 1e-13);
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
  });

  it('follows Stirling for large arguments', () => {
    const x = 1e6;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
    expectClose(lgamma(x), stirling, 1e-14);
  });

  it('logBeta(a, b) equals log(Γ(a)Γ(b)/Γ(a+b))', () => {
    expectClose(logBeta(2, 3), Math.log(1 / 12), 1e-14);
    expectClose(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-14);
  });
});

describe('hyp2f1', () => {
  const logSeries = (z: number): number => -Math.log1p(-z) / z;

  it.each([0.001, 0.3, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999])('2F1(1,1;2;z) = −ln(1−z)/z at z = %s', (z) => {
    expectClose(hyp2f1(1, 1, 2, z), logSeries(z), 1e-13);
  });

  it.each([-0.2, -0.5, -1, -3, -50, -1e4])('2F1(1,1;2;z) = −ln(1−z)/z at negative z = %s', (z) => {
    expectClose(hyp2f1(1, 1, 2, z), logSeries(z), 1e-13);
  });

  it.each([
    [0.7, 2.5, 0.4],
    [3.2, 0.4, 0.95],
    [0.243, 2.426, 0.97],
    [12.5, 1.3, -0.8],
    [0.5, 40, -7],
    [-1.7, 3, 0.92],
  ])('2F1(a,b;b;z) = (1−z)^−a for a=%s, b=%s, z=%s', (a, b, z) => {
    expectClose(hyp2f1(a, b, b, z), (1 - z) ** -a, 1e-12);
  });

  it('2F1(½,½;3/2;z²) = arcsin(z)/z and 2F1(½,1;3/2;−z²) = arctan(z)/z', () => {
    for (const z of [0.1, 0.6, 0.97, 0.999]) {
      expectClose(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z, 1e-12);
    }
    for (const z of [0.1, 1, 3, 40]) {
      expectClose(hyp2f1(0.5, 1, 1.5, -z * z), Math.atan(z) / z, 1e-12);
    }
  });

  it('is a polynomial when a is a non-positive integer, for any z', () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
    const poly = (b: number, c: number, z: number) =>
      1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1));
    for (const z of [-20, -0.5, 0.3, 0.999, 5]) expectClose(hyp2f1(-2, 1.5, 3.5, z), poly(1.5, 3.5, z), 1e-13);
  });

  it("uses Gauss's theorem at z = 1", () => {
    // 2F1(a,b;c;1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)); with a=1,b=1,c=3: Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2.
    expectClose(hyp2f1(1, 1, 3, 1), 2, 1e-13);
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });

  it('is continuous across the switch to the 1−z formula at z = 0.9', () => {
    const [a, b, c] = [0.6, 2.3, 3.45];
    const below = hyp2f1(a, b, c, 0.9 - 1e-12);
    const above = hyp2f1(a, b, c, 0.9 + 1e-12);
    expectClose(below, above, 1e-10);
  });

  it('matches the quadratic closed form 2F1(a, a+½; 2a; z) near 1 and for negative z', () => {
    // 2F1(a, a+½; 2a; z) = (1−z)^−½ · ((1 + √(1−z))/2)^(1−2a). Here c−a−b = −½ is no
    // integer, so z near 1 goes through the 1−z formula.
    const a = 0.8;
    const closedForm = (z: number) => (1 - z) ** -0.5 * ((1 + Math.sqrt(1 - z)) / 2) ** (1 - 2 * a);
    for (const z of [0.2, 0.93, 0.97, 0.9999, -0.4, -5, -300]) {
      expectClose(hyp2f1(a, a + 0.5, 2 * a, z), closedForm(z), 1e-11);
    }
  });

  it.each([
    // Reference values from mpmath (30 digits), rounded.
    [30.5, 20.5, 60.3, 0.9, 6026718.2367086966536],
    [30.5, 20.5, 60.3, 0.95, 46779414.387748853337],
    [1.976, -0.207, 2.2189, 0.9999, 0.4753247308900291],
    [1.976, -0.207, 402.219, 0.97, 0.9990107534224177],
    [0.7, 1.3, 2.1, -1000, 0.015234371694899457],
    [-0.3, 2.5, 1.7, 0.995, -3.336486133691025],
    [2.5, 3.5, 1.5, 0.93, 352619.91651006734],
  ])('matches mpmath for 2F1(%s, %s; %s; %s)', (a, b, c, z, expected) => {
    // The first two make the 1−z formula cancel catastrophically (terms of ±1e21).
    expect(Math.abs(hyp2f1(a, b, c, z) / expected - 1)).toBeLessThan(1e-11);
  });

  it('does not stop early when the first terms vanish but later ones grow', () => {
    // The first term is 1e-19 · 200 · 0.5 = 1e-17, small enough to look converged, but the terms
    // then grow by ~b·z/n per step: 2F1(ε, 200; 1; 0.5) − 1 is about ε · 2^200 / 200.
    const excess = hyp2f1(1e-19, 200, 1, 0.5) - 1;
    expect(excess).toBeGreaterThan(1e-19 * 2 ** 150);
    // To first order in ε, (ε)_n ≈ ε (n−1)!, so the excess is ε Σ_{n≥1} (b)_n zⁿ / (n · n!).
    let term = 1;
    let sum = 0;
    for (let n = 1; n < 2000; n++) {
      term *= ((200 + n - 1) * 0.5) / n;
      sum += term / n;
    }
    expectClose(excess, 1e-19 * sum, 1e-12);
  });

  it('throws clearly when it cannot converge or the arguments are invalid', () => {
    expect(() => hyp2f1(1, 1, 2, 1 - 1e-12)).toThrow(Hyp2f1ConvergenceError);
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(/z ≤ 1/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/non-positive integer/);
    expect(() => hyp2f1(Number.NaN, 1, 2, 0.5)).toThrow(/finite/);
  });
});
