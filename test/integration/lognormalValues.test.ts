/**
 * Where Gamma-Gamma is degenerate (heavy-tailed spend: no finite population mean), the stacked
 * ensemble hands out BG/NBD's expected purchases × the lognormal spend model's expected spend
 * (models/lognormalSpend.ts), in its blend's order; its bundle scores the same. Checked on a
 * generated heavy-tailed log through the real engine (DuckDB-WASM) and real tfjs, against
 * references computed here from the file itself: each customer's log spend per purchase day, the
 * posterior mean written out by hand, and the blend recomputed over the kept bases.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type ModelInputs } from '../../src/core/engine';
import { evaluateModels, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { disposeNets } from '../../src/core/evaluate/evaluationTypes';
import { bundleContextOf, bundleFromEvaluation, checkBundle, predictFromBundle } from '../../src/core/evaluate/modelBundle';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { daysBetween } from '../../src/core/tables/period';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { evaluationData } from '../../src/node/commands/fitModels';
import { writeSyntheticLog } from '../bench/syntheticLog';

const CUTOFF = '2022-12-31';
const HORIZON_END = '2023-12-31';

let dir: string;
let file: string;
let inputs: ModelInputs;
let result: EvaluationResult;
let close: () => Promise<void>;

beforeAll(async () => {
  await activateBackend('wasm');
  dir = mkdtempSync(path.join(tmpdir(), 'clv-lognormal-'));
  file = path.join(dir, 'heavy.csv');
  writeSyntheticLog(file, { rows: 8000, seed: 4242, spendLogMean: 3.4, spendLogSd: 2.0, purchaseLogSd: 0.5 });
  const db = await openWasmDb();
  close = async () => db.close();
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(file));
  await engine.load(inspection.mapping);
  await engine.build({ period: { cutoff: CUTOFF, horizonEnd: HORIZON_END }, unit: 'week' });
  inputs = await engine.modelInputs();
  result = await evaluateModels(evaluationData(inputs, daysBetween(CUTOFF, HORIZON_END)), { models: ['bgnbd-gg', 'naive', 'ziln', 'ensemble'], seed: 5, folds: 3, maxEpochs: 2, bootstrapResamples: 0 });
}, 600_000);

afterAll(async () => {
  if (result) disposeNets(result);
  await close?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Per customer, from the file: the log of each day's spend up to the cutoff, days with a positive spend only. */
function logSpendByHand(): Map<string, number[]> {
  const days = new Map<string, Map<string, number>>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const [id, day, amount] = line.split(',');
    if (day > CUTOFF) continue;
    const byDay = days.get(id) ?? new Map<string, number>();
    byDay.set(day, (byDay.get(day) ?? 0) + Number(amount));
    days.set(id, byDay);
  }
  return new Map([...days].map(([id, byDay]) => [id, [...byDay.values()].filter((v) => v > 0).map(Math.log)]));
}

describe('the ensemble on heavy-tailed spend, where Gamma-Gamma is degenerate', () => {
  it('the engine hands the models each customer\'s count, mean and squared deviations of log day-spend', () => {
    const byHand = logSpendByHand();
    const { days, mean, squares } = inputs.btyd.logSpend;
    expect(inputs.customerIds.length).toBe(byHand.size);
    inputs.customerIds.forEach((id, i) => {
      const logs = byHand.get(id)!;
      const m = logs.reduce((a, b) => a + b, 0) / logs.length;
      expect(days[i]).toBe(logs.length);
      expect(mean[i]).toBeCloseTo(m, 9);
      expect(squares[i]).toBeCloseTo(logs.reduce((a, x) => a + (x - m) ** 2, 0), 7);
    });
  });

  it('hands out BG/NBD purchases × lognormal spend in the blend\'s order, and its bundle scores the same', async () => {
    expect(result.btyd!.gammaGamma?.degenerate, 'Gamma-Gamma should be degenerate on this log').toBe(true);
    const fit = result.lognormalSpend!;
    expect(fit).toBeTruthy();
    const stack = result.ensemble!;
    // In BG/NBD + Gamma-Gamma's place: a base of the blend, and the values it hands out.
    expect(stack.values).toBe('bgnbd-lognormal');
    expect(stack.models).toContain('bgnbd-lognormal');
    expect(stack.models).not.toContain('bgnbd-gg');
    expect(result.warnings.some((w) => /lognormal spend model/.test(w))).toBe(true);

    // The values by hand: E[spend per day | days] = exp(μ̂ + v/2 + σ²/2), times BG/NBD's expected purchases.
    const byHand = logSpendByHand();
    const purchases = result.btyd!.expectedPurchases;
    const values = inputs.customerIds.map((id, i) => {
      const logs = byHand.get(id)!;
      const v = 1 / (1 / fit.tau2 + logs.length / fit.sigma2);
      const mu = v * (fit.mu0 / fit.tau2 + logs.reduce((a, b) => a + b, 0) / fit.sigma2);
      return purchases[i] * Math.exp(mu + v / 2 + fit.sigma2 / 2);
    });
    // The kept bases for new data: BG/NBD and the run rate as evaluated, ZILN's first-fold net clipped.
    const net = result.nets.ziln!;
    const ziln = Float64Array.from(net.predict(inputs.X), (p) => Math.min(Math.max(p, 0), net.predictor.spendCeiling ?? Number.POSITIVE_INFINITY));
    const base = (m: string): ArrayLike<number> => (m === 'ziln' ? ziln : m === 'bgnbd-lognormal' ? values : result.predictions[m as 'naive']!);
    const n = inputs.customerIds.length;
    const blend = Float64Array.from({ length: n }, (_, i) => {
      let s = 0;
      stack.models.forEach((m, j) => (s += stack.weights[j] * Math.log1p(Math.max(0, base(m)[i]))));
      return stack.calibration!.scale * Math.expm1(s);
    });
    const byBlend = Array.from({ length: n }, (_, i) => i).sort((a, b) => blend[a] - blend[b] || values[a] - values[b]);
    const sorted = [...values].sort((a, b) => a - b);
    const expected = new Float64Array(n);
    byBlend.forEach((i, k) => (expected[i] = sorted[k]));

    const bytes = (await bundleFromEvaluation(result, bundleContextOf(inputs, daysBetween(CUTOFF, HORIZON_END), 5), 'ensemble'))!;
    expect((await checkBundle(bytes, inputs.featureNames)).model).toBe('ensemble');
    const scored = await predictFromBundle(bytes, inputs);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(scored.values[i] - expected[i]) / Math.max(1, expected[i]));
    expect(worst).toBeLessThan(1e-5);
    // Without the customers' log spend the bundle says what is missing.
    await expect(predictFromBundle(bytes, { ...inputs, btyd: { ...inputs.btyd, logSpend: undefined as never } })).rejects.toThrow(/log spend/);
  });

  it('the single split does the same: the stack fitted on the fit customers, and the bundle scores the evaluation\'s own predictions', async () => {
    const split = await evaluateModels(evaluationData(inputs, daysBetween(CUTOFF, HORIZON_END)), { models: ['bgnbd-gg', 'naive', 'ziln', 'ensemble'], seed: 5, protocol: 'split', maxEpochs: 2, bootstrapResamples: 0 });
    try {
      expect(split.ensemble!.values).toBe('bgnbd-lognormal');
      expect(split.ensemble!.models).toContain('bgnbd-lognormal');
      expect(split.ensemble!.models).not.toContain('bgnbd-gg');
      const bytes = (await bundleFromEvaluation(split, bundleContextOf(inputs, daysBetween(CUTOFF, HORIZON_END), 5), 'ensemble'))!;
      const scored = await predictFromBundle(bytes, inputs);
      const expected = split.predictions.ensemble!;
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(scored.values[i] - expected[i]) / Math.max(1, expected[i]));
      expect(worst).toBeLessThan(1e-5);
    } finally {
      disposeNets(split);
    }
  });
});
