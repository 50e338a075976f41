import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from '../../src/core/random';

function draws(rng: Rng, count: number, draw: (r: Rng) => number): number[] {
  return Array.from({ length: count }, () => draw(rng));
}

/** Pearson chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
}

describe('Rng reproducibility', () => {
  it('gives identical streams for the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect(draws(a, 50, (r) => r.nextUint32())).toEqual(draws(b, 50, (r) => r.nextUint32()));
    expect(draws(a, 50, (r) => r.normal())).toEqual(draws(b, 50, (r) => r.normal()));
    expect(Array.from(a.permutation(100))).toEqual(Array.from(b.permutation(100)));
  });

  it('gives different streams for different seeds, including adjacent and large ones', () => {
    const first = (seed: number) => draws(new Rng(seed), 4, (r) => r.nextUint32());
    expect(first(1)).not.toEqual(first(2));
    expect(first(0)).not.toEqual(first(2 ** 32)); // the high half of the seed matters
    expect(first(-1)).not.toEqual(first(1));
  });

  it('decorrelates adjacent seeds (first uniform over seeds 0..9999 has mean ~0.5, lag correlation ~0)', () => {
    const u = Array.from({ length: 10_000 }, (_, s) => new Rng(s).uniform());
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.015);
    let cov = 0;
    let v = 0;
    for (let i = 0; i + 1 < u.length; i++) {
      cov += (u[i] - mean) * (u[i + 1] - mean);
      v += (u[i] - mean) ** 2;
    }
    expect(Math.abs(cov / v)).toBeLessThan(0.05);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });
});

describe('Rng distributions', () => {
  it('uniform lies in [0, 1) and is flat (chi-square over 20 bins)', () => {
    const rng = new Rng(7);
    const bins = new Array(20).fill(0);
    let outside = 0;
    for (let i = 0; i < 200_000; i++) {
      const u = rng.uniform();
      if (u < 0 || u >= 1) outside++;
      else bins[Math.floor(u * 20)]++;
    }
    expect(outside).toBe(0);
    // 99.9th percentile of chi-square with 19 degrees of freedom is 43.8.
    expect(chiSquare(bins)).toBeLessThan(43.8);
  });

  it('uniform(min, max) stays in range with the right mean', () => {
    const values = draws(new Rng(3), 50_000, (r) => r.uniform(-2, 6));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...values)).toBeLessThan(6);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(2, 1);
  });

  it('int(n) covers 0..n-1 evenly and rejects bad n', () => {
    const rng = new Rng(11);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(chiSquare(counts)).toBeLessThan(22.5); // 99.9th percentile, 6 dof
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  it('normal has mean 0, sd 1 and ~95% within ±1.96; mean/sd arguments shift and scale', () => {
    const z = draws(new Rng(5), 200_000, (r) => r.normal());
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sd - 1)).toBeLessThan(0.01);
    const inside = z.filter((x) => Math.abs(x) < 1.96).length / z.length;
    expect(Math.abs(inside - 0.95)).toBeLessThan(0.004);
    expect(z.every(Number.isFinite)).toBe(true);

    // Box-Muller yields pairs: consecutive draws (within and across pairs) must be uncorrelated.
    let lagProduct = 0;
    for (let i = 0; i + 1 < z.length; i++) lagProduct += (z[i] - mean) * (z[i + 1] - mean);
    expect(Math.abs(lagProduct / (z.length - 1))).toBeLessThan(0.01);

    const scaled = draws(new Rng(5), 10, (r) => r.normal(10, 3));
    const unit = draws(new Rng(5), 10, (r) => r.normal());
    scaled.forEach((x, i) => expect(x).toBeCloseTo(10 + 3 * unit[i], 12));
  });
});

describe('Rng shuffle and permutation', () => {
  it('shuffles arrays and typed arrays in place into a permutation', () => {
    const rng = new Rng(9);
    const plain = Array.from({ length: 50 }, (_, i) => `c${i}`);
    const shuffled = rng.shuffle([...plain]);
    expect(shuffled).not.toEqual(plain);
    expect([...shuffled].sort()).toEqual([...plain].sort());

    const typed = Float64Array.from({ length: 50 }, (_, i) => i);
    const same = rng.shuffle(typed);
    expect(same).toBe(typed);
    expect(Array.from(typed).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('makes all 6 orderings of 3 items equally likely', () => {
    const rng = new Rng(13);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = rng.shuffle([0, 1, 2]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquare([...counts.values()])).toBeLessThan(20.5); // 99.9th percentile, 5 dof
  });

  it('permutation(n) contains each index once', () => {
    const p = new Rng(1).permutation(1000);
    expect(p).toBeInstanceOf(Int32Array);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(new Rng(1).permutation(0).length).toBe(0);
  });
});

describe('child seeds', () => {
  it('children depend on the seed and labels, not on how far the parent has advanced', () => {
    const fresh = new Rng(100);
    const advanced = new Rng(100);
    draws(advanced, 17, (r) => r.uniform());
    expect(draws(fresh.child('init'), 5, (r) => r.uniform())).toEqual(draws(advanced.child('init'), 5, (r) => r.uniform()));
    expect(draws(fresh.child('init'), 5, (r) => r.uniform())).not.toEqual(draws(fresh.child('split'), 5, (r) => r.uniform()));
    expect(draws(fresh.child('fold', 1), 5, (r) => r.uniform())).not.toEqual(draws(fresh.child('fold', 2), 5, (r) => r.uniform()));
  });

  it('deriveSeed is a deterministic 32-bit value that separates labels', () => {
    const seeds = [
      deriveSeed(1),
      deriveSeed(1, 'a'),
      deriveSeed(1, 'b'),
      deriveSeed(1, 1),
      deriveSeed(1, '1'),
      deriveSeed(1, 'ab', 'c'),
      deriveSeed(1, 'a', 'bc'),
      deriveSeed(2, 'a'),
    ];
    expect(new Set(seeds).size).toBe(seeds.length);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(deriveSeed(1, 'a')).toBe(deriveSeed(1, 'a'));
    expect(new Rng(1).child('a').seed).toBe(deriveSeed(1, 'a'));
  });
});
