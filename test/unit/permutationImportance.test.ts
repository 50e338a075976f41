import { describe, expect, it } from 'vitest';
import { permutationImportance } from '../../src/core/eval/permutationImportance';
import { Rng } from '../../src/core/random';

const NAMES = ['recency_days', 'tenure_days', 'frequency', 'total_spend'];
const D = NAMES.length;

function randomMatrix(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * D }, () => rng.uniform());
}

/** A linear model over the row-major matrix. */
function linear(weights: number[]) {
  return async (X: Float32Array) => {
    const n = X.length / D;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) out[i] += weights[j] * X[i * D + j];
    return out;
  };
}

describe('permutationImportance', () => {
  const n = 2000;
  const X = randomMatrix(n, 1);

  it('finds the only feature the model uses; the others score exactly 0', async () => {
    const predict = linear([3, 0, 0, 0]);
    const y = await predict(X); // the model is exact: baseline RMSE 0
    const result = await permutationImportance(X, y, predict, NAMES, { seed: 7, repeats: 3 });
    expect(result.metric).toBe('rmse');
    expect(result.baseline).toBe(0);
    expect(result.features[0].feature).toBe('recency_days');
    expect(result.features[0].index).toBe(0);
    // Shuffling x0 ~ U(0,1): RMSE = 3·sqrt(E[(x − x')²]) = 3·sqrt(2/12) ≈ 1.2247
    expect(result.features[0].importance).toBeCloseTo(3 * Math.sqrt(2 / 12), 1);
    expect(result.features[0].std).toBeGreaterThan(0);
    for (const f of result.features.slice(1)) {
      expect(f.importance).toBe(0);
      expect(f.std).toBe(0);
    }
    // ties (the unused features) keep column order
    expect(result.features.slice(1).map((f) => f.index)).toEqual([1, 2, 3]);
  });

  it('ranks features by how much the model relies on them, with noisy targets', async () => {
    const rng = new Rng(2);
    const predict = linear([0, 1, 4, 0.3]);
    const clean = await predict(X);
    const y = clean.map((v) => v + rng.normal(0, 0.1));
    const result = await permutationImportance(X, y, predict, NAMES, { seed: 3, repeats: 5, metric: 'mae' });
    expect(result.features.map((f) => f.feature)).toEqual(['frequency', 'tenure_days', 'total_spend', 'recency_days']);
    expect(result.features[3].importance).toBe(0);
    expect(result.baseline).toBeGreaterThan(0);
  });

  it('reports higher-is-better metrics as a drop, so important features are still positive', async () => {
    const predict = linear([2, 0, 0, 0]);
    const y = await predict(X);
    const result = await permutationImportance(X, y, predict, NAMES, { seed: 1, repeats: 2, metric: 'r2' });
    expect(result.baseline).toBe(1);
    expect(result.features[0].index).toBe(0);
    // R² after shuffling an exact linear feature: 1 − 2·var/var = −1, so the drop is about 2
    expect(result.features[0].importance).toBeCloseTo(2, 0);
  });

  it('reports the mean and the sample standard deviation (n − 1) of the drops it measured', async () => {
    // Record every matrix predict is given: the first is the baseline, then `repeats` shuffles per
    // feature in column order. Recompute each drop in RMSE here and summarise them by hand.
    const model = linear([3, 1, 0.5, 0]);
    const rng = new Rng(8);
    const y = Float64Array.from(await model(X), (v) => v + rng.normal(0, 0.2));
    const seen: Float32Array[] = [];
    const recording = async (input: Float32Array) => {
      seen.push(input.slice());
      return model(input);
    };
    const repeats = 3;
    const result = await permutationImportance(X, y, recording, NAMES, { seed: 5, repeats, metric: 'rmse' });
    expect(seen).toHaveLength(1 + D * repeats);
    const rmseOf = async (input: Float32Array) => {
      const p = await model(input);
      return Math.sqrt(p.reduce((acc, v, i) => acc + (v - y[i]) ** 2, 0) / n);
    };
    const baseline = await rmseOf(seen[0]);
    expect(result.baseline).toBeCloseTo(baseline, 12);
    for (let j = 0; j < D; j++) {
      const drops: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const shuffled = seen[1 + j * repeats + r];
        // Only column j was shuffled, and it holds the same values as before.
        for (let i = 0; i < n; i++) for (let k = 0; k < D; k++) if (k !== j) expect(shuffled[i * D + k]).toBe(X[i * D + k]);
        drops.push((await rmseOf(shuffled)) - baseline);
      }
      const mean = drops.reduce((a, b) => a + b, 0) / repeats;
      const sampleSd = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / (repeats - 1));
      const feature = result.features.find((f) => f.index === j)!;
      expect(feature.importance).toBeCloseTo(mean, 12);
      expect(feature.std, NAMES[j]).toBeCloseTo(sampleSd, 12);
      if (j < 3) expect(feature.std).toBeGreaterThan(0);
    }
  });

  it('is reproducible for a seed and changes with the seed', async () => {
    const predict = linear([1, 1, 0, 0]);
    const y = await predict(X);
    const run = (seed: number) => permutationImportance(X, y, predict, NAMES, { seed, repeats: 2 });
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(a).toEqual(b);
    expect(a.features[0].importance).not.toBe(c.features[0].importance);
    expect(a.seed).toBe(11);
    expect(a.repeats).toBe(2);
  });

  it('hands predict a copy, so the caller’s matrix is never changed', async () => {
    const before = X.slice();
    const destructive = async (input: Float32Array) => {
      const out = await linear([1, 0, 0, 0])(input);
      input.fill(-1);
      return out;
    };
    await permutationImportance(X, new Float64Array(n), destructive, NAMES, { seed: 1, repeats: 1 });
    expect(X).toEqual(before);
  });

  it('validates shapes and options', async () => {
    const predict = linear([1, 0, 0, 0]);
    await expect(permutationImportance(X, new Float64Array(n - 1), predict, NAMES, { seed: 1 })).rejects.toThrow(RangeError);
    await expect(permutationImportance(X, new Float64Array(n), predict, NAMES, { seed: 1, repeats: 0 })).rejects.toThrow(RangeError);
    const short = async () => new Float64Array(3);
    await expect(permutationImportance(X, new Float64Array(n), short, NAMES, { seed: 1 })).rejects.toThrow(RangeError);
  });
});
