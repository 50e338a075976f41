import { describe, expect, it } from 'vitest';
import { chooseK, kmeans, silhouette } from '../../src/core/eval/kmeans';
import { Rng } from '../../src/core/random';

/** `perBlob` points around each centre with standard deviation `sd`; returns rows and true blob ids. */
function blobs(centres: number[][], perBlob: number, sd: number, seed: number): { X: Float32Array; truth: Int32Array; d: number } {
  const d = centres[0].length;
  const rng = new Rng(seed);
  const n = centres.length * perBlob;
  const X = new Float32Array(n * d);
  const truth = new Int32Array(n);
  // Interleave blobs so the row order carries no information.
  for (let i = 0; i < n; i++) {
    const b = i % centres.length;
    truth[i] = b;
    for (let j = 0; j < d; j++) X[i * d + j] = centres[b][j] + rng.normal(0, sd);
  }
  return { X, truth, d };
}

const CENTRES = [
  [0, 0, 0, 0],
  [10, 0, 0, 0],
  [0, 10, 0, 0],
  [0, 0, 10, 10],
];

/** True when `labels` equals `truth` up to renaming the clusters. */
function samePartition(labels: Int32Array, truth: Int32Array): boolean {
  const map = new Map<number, number>();
  const used = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const m = map.get(truth[i]);
    if (m === undefined) {
      if (used.has(labels[i])) return false;
      map.set(truth[i], labels[i]);
      used.add(labels[i]);
    } else if (m !== labels[i]) return false;
  }
  return true;
}

describe('kmeans', () => {
  it('recovers well-separated blobs exactly', () => {
    const { X, truth, d } = blobs(CENTRES, 60, 0.8, 1);
    const result = kmeans(X, d, 4, { seed: 7 });
    expect(samePartition(result.labels, truth)).toBe(true);
    expect(Array.from(result.sizes)).toEqual([60, 60, 60, 60]);
    // Each centroid lies near one true centre.
    for (let c = 0; c < 4; c++) {
      const centroid = Array.from(result.centroids.subarray(c * d, (c + 1) * d));
      const nearest = Math.min(...CENTRES.map((t) => Math.hypot(...t.map((v, j) => v - centroid[j]))));
      expect(nearest).toBeLessThan(0.5);
    }
    // Inertia ≈ n · d · sd².
    expect(result.inertia / (240 * d * 0.64)).toBeGreaterThan(0.7);
    expect(result.inertia / (240 * d * 0.64)).toBeLessThan(1.3);
  });

  it('is deterministic for a seed', () => {
    const { X, d } = blobs(CENTRES, 40, 3, 2); // overlapping: starts matter
    const a = kmeans(X, d, 5, { seed: 11, nInit: 1 });
    const b = kmeans(X, d, 5, { seed: 11, nInit: 1 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(a.inertia).toBe(b.inertia);
    const seeds = [12, 13, 14, 15, 16].map((seed) => Array.from(kmeans(X, d, 5, { seed, nInit: 1 }).centroids).join());
    expect(new Set([Array.from(a.centroids).join(), ...seeds]).size).toBeGreaterThan(1);
  });

  it('never leaves a cluster empty, even with duplicated rows', () => {
    const X = new Float32Array([0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 9, 9]);
    const result = kmeans(X, 2, 3, { seed: 1 });
    expect(Array.from(result.sizes).every((s) => s > 0)).toBe(true);
    expect(result.inertia).toBeCloseTo(0, 10);
  });

  it('rejects k outside 1 … n', () => {
    expect(() => kmeans(new Float32Array(6), 2, 4, { seed: 1 })).toThrow(RangeError);
    expect(() => kmeans(new Float32Array(6), 2, 0, { seed: 1 })).toThrow(RangeError);
  });
});

describe('silhouette and chooseK', () => {
  it('scores a perfect partition near 1 and a random one near 0', () => {
    const { X, truth, d } = blobs(CENTRES, 30, 0.5, 3);
    expect(silhouette(X, d, truth, 4)).toBeGreaterThan(0.85);
    const rng = new Rng(4);
    const random = Int32Array.from(truth, () => rng.int(4));
    expect(Math.abs(silhouette(X, d, random, 4))).toBeLessThan(0.1);
  });

  it('picks the true number of blobs', () => {
    const { X, truth, d } = blobs(CENTRES, 50, 0.8, 5);
    const chosen = chooseK(X, d, { seed: 3, sampleSize: 120 });
    expect(chosen.k).toBe(4);
    expect(chosen.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(samePartition(chosen.result.labels, truth)).toBe(true);
    const again = chooseK(X, d, { seed: 3, sampleSize: 120 });
    expect(again.scores).toEqual(chosen.scores);
  });

  it('finds 3 blobs in a 2-D layout too', () => {
    const { X, d } = blobs([[0, 0], [6, 0], [3, 6]], 40, 0.6, 6);
    expect(chooseK(X, d, { seed: 1 }).k).toBe(3);
  });
});
