/**
 * Feature importance is the drop of the metric the comparison ranks by (normalized Gini) when a
 * feature is shuffled, with its spread over the repeats. On the sample, the drop for two features is
 * recomputed here with shuffles of our own and a normalized Gini written out in the test, on the
 * net's predictions clipped as the metrics table clips them; it falls within the stated spread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { evaluateModels, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { IMPORTANCE_METRIC, IMPORTANCE_REPEATS } from '../../src/core/evaluate/importanceStep';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { daysBetween } from '../../src/core/tables/period';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { evaluationData } from '../../src/node/commands/fitModels';
import type { EvaluationData } from '../../src/core/evaluate/evaluationTypes';
import { cdnowFile } from '../support/cdnowData';

/** Gini of `actual` ordered by `predicted` (largest first), over the Gini of the perfect order. */
function normalizedGini(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const gini = (order: ArrayLike<number>) => {
    const idx = Array.from({ length: actual.length }, (_, i) => i).sort((a, b) => order[b] - order[a] || a - b);
    const total = idx.reduce((s, i) => s + actual[i], 0);
    let cumulative = 0;
    let area = 0;
    for (const i of idx) {
      cumulative += actual[i];
      area += cumulative / total;
    }
    const n = actual.length;
    return area / n - (n + 1) / (2 * n);
  };
  return gini(predicted) / gini(actual);
}

/** A small seeded generator of our own (not the engine's). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

let data: EvaluationData;
let result: EvaluationResult;
let close: () => void;

beforeAll(async () => {
  await activateBackend('wasm');
  const db = await openWasmDb();
  close = () => db.close();
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(cdnowFile('CDNOW_sample.txt')));
  await engine.load({ ...inspection.mapping, customer: 'column1' });
  await engine.build({ period: { cutoff: '1997-09-30', horizonEnd: '1998-06-30' }, unit: 'week' });
  data = evaluationData(await engine.modelInputs(), daysBetween('1997-09-30', '1998-06-30'));
  result = await evaluateModels(data, { models: ['ziln'], seed: 3, protocol: 'split', maxEpochs: 6, bootstrapResamples: 0 });
}, 600_000);

afterAll(() => {
  for (const net of Object.values(result?.nets ?? {})) net?.predictor.dispose();
  close?.();
});

describe('permutation importance on the ranking metric', () => {
  it('recomputed drops of normalized Gini for two features lie within the stated spread', () => {
    expect(IMPORTANCE_METRIC).toBe('normalized_gini');
    expect(IMPORTANCE_REPEATS).toBeGreaterThanOrEqual(10);
    const stated = result.importance.ziln!;
    const net = result.nets.ziln!;
    const d = data.featureNames.length;
    const rows = Array.from(result.testIndices);
    const X = new Float32Array(rows.length * d);
    rows.forEach((i, r) => X.set(data.X.subarray(i * d, (i + 1) * d), r * d));
    const y = rows.map((i) => data.holdoutSpend[i]);
    const ceiling = net.predictor.spendCeiling ?? Infinity;
    const score = (M: Float32Array) => normalizedGini(y, Array.from(net.predict(M), (v) => Math.min(Math.max(v, 0), ceiling)));
    const baseline = score(X);
    const random = lcg(99);
    for (const feature of ['total_spend', 'recency_days']) {
      const j = data.featureNames.indexOf(feature);
      const drops: number[] = [];
      for (let k = 0; k < 30; k++) {
        const shuffled = X.slice();
        const order = rows.map((_, r) => r);
        for (let r = order.length - 1; r > 0; r--) {
          const s = Math.floor(random() * (r + 1));
          [order[r], order[s]] = [order[s], order[r]];
        }
        order.forEach((from, to) => (shuffled[to * d + j] = X[from * d + j]));
        drops.push(baseline - score(shuffled));
      }
      const mean = drops.reduce((a, b) => a + b, 0) / drops.length;
      const entry = stated.find((f) => f.feature === feature)!;
      expect(entry.std).toBeGreaterThan(0);
      expect(Math.abs(mean - entry.importance), feature).toBeLessThanOrEqual(entry.std);
    }
  });
});
