import { beforeAll, describe, expect, it, vi } from 'vitest';
import { backtestModels, evaluateModels, type EvaluationData } from '../../src/core/evaluate/evaluateModels';
import { fitBgNbd, type BgNbdParams } from '../../src/core/models/bgnbd';
import { fitGammaGamma, type GammaGammaParams } from '../../src/core/models/gammaGamma';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { trainNet } from '../../src/core/nets/trainFnn';

// Counts BG/NBD fits (the real fit runs): one fit per window, reused, is part of the contract.
vi.mock('../../src/core/models/bgnbd', async (original) => {
  const actual = await original<typeof import('../../src/core/models/bgnbd')>();
  return { ...actual, fitBgNbd: vi.fn(actual.fitBgNbd) };
});
// Records what the ZILN nets (ziln, hybrid, ensemble bases) are trained on; the real training runs.
vi.mock('../../src/core/nets/trainFnn', async (original) => {
  const actual = await original<typeof import('../../src/core/nets/trainFnn')>();
  return { ...actual, trainNet: vi.fn(actual.trainNet) };
});
import { FEATURE_NAMES } from '../../src/core/featureNames';
import { Rng } from '../../src/core/random';
import { bgnbdConditionalExpectedReference, bgnbdProbabilityAliveReference } from '../support/btydReference';
import { sampleBeta, sampleGamma } from '../support/sampling';

/** Customers whose horizon spend follows their past spend rate, plus noise and many zeros. */
function syntheticCustomers(n: number, seed: number): EvaluationData {
  const rng = new Rng(seed);
  const d = FEATURE_NAMES.length;
  const X = new Float32Array(n * d);
  const spend = new Float64Array(n);
  const orders = new Float64Array(n);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tenure = 30 + Math.floor(rng.uniform(0, 300));
    const rate = Math.exp(rng.normal(-3.5, 0.8));
    const f = Math.floor(rate * tenure * rng.uniform(0.5, 1.5));
    const last = f === 0 ? tenure : Math.floor(rng.uniform(0, tenure / 2));
    const aov = Math.exp(rng.normal(3.3, 0.5));
    const alive = rng.uniform(0, 1) < Math.exp(-last / 120);
    const future = alive ? Math.round(rate * 180 * rng.uniform(0.3, 1.7)) : 0;
    const row = [last, tenure, f, f + 1, aov * (f + 1), aov, aov * 0.2, aov * 1.3, f ? tenure / f : 0, 3, last < 30 ? 1 : 0, last < 90 ? 1 : 0, last < 90 ? aov : 0, 0, Math.min(f + 1, 10), Math.exp(-last / 60)];
    X.set(row, i * d);
    orders[i] = future;
    spend[i] = future * aov * rng.uniform(0.8, 1.2);
    frequency[i] = f;
    recency[i] = (tenure - last) / 7;
    T[i] = tenure / 7;
    monetary[i] = f > 0 ? aov : 0;
  }
  return {
    customerIds: Array.from({ length: n }, (_, i) => `c${i}`),
    featureNames: [...FEATURE_NAMES],
    X,
    holdoutSpend: spend,
    holdoutOrders: orders,
    btyd: { frequency, recency, T, monetary },
    unitDays: 7,
    horizonDays: 180,
    visitanteScore: Float64Array.from({ length: n }, (_, i) => 100 * Math.exp(-X[i * d] / 60)),
  };
}

/** Pearson correlation, written out. */
function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Customers whose story is BG/NBD + Gamma-Gamma, with what a model cannot see kept as the truth. */
interface GeneratedCustomers {
  data: EvaluationData;
  /** Expected holdout purchases given each customer's hidden λ, p and whether they are still alive. */
  trueExpectedPurchases: Float64Array;
}

const TRUTH: BgNbdParams = { r: 0.6, alpha: 5, a: 0.7, b: 2.5 };
const SPEND_TRUTH: GammaGammaParams = { p: 5, q: 4, v: 60 };
const HORIZON_WEEKS = 26;

/**
 * n customers from the BG/NBD process (λ ~ Gamma(r, α), dropout p ~ Beta(a, b) after each repeat
 * purchase), first purchase 10–52 weeks before the cutoff, followed for 26 weeks after it; every
 * purchase's spend ~ Gamma(p, ν) with ν ~ Gamma(q, v). Features are computed from the history up to
 * the cutoff, targets from the 26 weeks after.
 */
function btydCustomers(n: number, seed: number): GeneratedCustomers {
  const rng = new Rng(seed);
  const d = FEATURE_NAMES.length;
  const X = new Float32Array(n * d);
  const spend = new Float64Array(n);
  const orders = new Float64Array(n);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  const trueExpectedPurchases = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const age = (70 + rng.int(295)) / 7;
    const lambda = sampleGamma(rng, TRUTH.r, TRUTH.alpha);
    const p = sampleBeta(rng, TRUTH.a, TRUTH.b);
    const nu = sampleGamma(rng, SPEND_TRUTH.q, SPEND_TRUTH.v);
    // Purchase times after the first (time 0), in whole days as a log records them.
    const times: number[] = [];
    let t = 0;
    let alive = true;
    for (;;) {
      t += -Math.log(1 - rng.uniform()) / lambda;
      if (t > age + HORIZON_WEEKS) break;
      times.push(Math.min(Math.round(t * 7) / 7, age + HORIZON_WEEKS));
      if (rng.uniform() < p) {
        alive = false;
        break;
      }
    }
    const calibration = times.filter((x) => x <= age);
    const aliveAtCutoff = alive || times.length > calibration.length;
    const spends = times.map(() => sampleGamma(rng, SPEND_TRUTH.p, nu));
    const first = sampleGamma(rng, SPEND_TRUTH.p, nu);
    const x = calibration.length;
    const tx = x > 0 ? calibration[x - 1] : 0;
    const calSpends = [first, ...spends.slice(0, x)];
    const total = calSpends.reduce((a, b) => a + b, 0);
    frequency[i] = x;
    recency[i] = tx;
    T[i] = age;
    monetary[i] = x > 0 ? spends.slice(0, x).reduce((a, b) => a + b, 0) / x : 0;
    orders[i] = times.length - x;
    spend[i] = spends.slice(x).reduce((a, b) => a + b, 0);
    trueExpectedPurchases[i] = aliveAtCutoff ? -Math.expm1(-lambda * p * HORIZON_WEEKS) / p : 0;
    const days = [0, ...calibration].map((w) => w * 7);
    const gaps = days.slice(1).map((day, k) => day - days[k]);
    const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
    const sd = (v: number[]) => (v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)) : 0);
    const sinceLast = (age - tx) * 7;
    const within = (window: number) => days.filter((day) => age * 7 - day <= window).length;
    const spend90 = calSpends.filter((_, k) => age * 7 - days[k] <= 90).reduce((a, b) => a + b, 0);
    const spendBefore = calSpends.filter((_, k) => age * 7 - days[k] > 90 && age * 7 - days[k] <= 180).reduce((a, b) => a + b, 0);
    X.set(
      [sinceLast, age * 7, x, x + 1, total, total / (x + 1), sd(calSpends), Math.max(...calSpends), mean(gaps), sd(gaps), within(30), within(90), spend90, spend90 - spendBefore, new Set(days.map((day) => Math.floor(day / 30))).size, Math.exp(-sinceLast / 60)],
      i * d,
    );
  }
  return {
    data: {
      customerIds: Array.from({ length: n }, (_, i) => `g${i}`),
      featureNames: [...FEATURE_NAMES],
      X,
      holdoutSpend: spend,
      holdoutOrders: orders,
      btyd: { frequency, recency, T, monetary },
      unitDays: 7,
      horizonDays: HORIZON_WEEKS * 7,
    },
    trueExpectedPurchases,
  };
}

describe('evaluateModels on customers generated by BG/NBD + Gamma-Gamma (the truth is known)', () => {
  beforeAll(async () => {
    await activateBackend('wasm');
  });

  it('forecasts what the hidden parameters imply, and scores churn the right way round', async () => {
    const { data, trueExpectedPurchases } = btydCustomers(4000, 31);
    const result = await evaluateModels(data, { models: ['bgnbd-gg', 'naive'], seed: 5, importanceRows: 200 });
    const btyd = result.btyd!;
    // The fit finds the generating process (sampling error for 4,000 customers: a few percent on r, α).
    expect(Math.abs(btyd.bgnbd.r / TRUTH.r - 1)).toBeLessThan(0.2);
    expect(Math.abs(btyd.bgnbd.alpha / TRUTH.alpha - 1)).toBeLessThan(0.25);
    // Each customer's forecast follows the expectation given their hidden λ, p and state.
    expect(pearson(btyd.expectedPurchases, trueExpectedPurchases)).toBeGreaterThan(0.6);
    // In total it matches what actually happened in the horizon (within sampling error).
    const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(btyd.expectedPurchases) / sum(data.holdoutOrders) - 1)).toBeLessThan(0.08);
    // Metrics are those of the test slice, recomputed here from the returned predictions.
    const test = Array.from(result.testIndices);
    const bgnbd = result.metrics.find((m) => m.model === 'bgnbd-gg')!;
    const predicted = result.predictions['bgnbd-gg']!;
    const rmse = Math.sqrt(test.reduce((a, i) => a + (predicted[i] - data.holdoutSpend[i]) ** 2, 0) / test.length);
    expect(bgnbd.n).toBe(test.length);
    expect(bgnbd.regression.rmse).toBeCloseTo(rmse, 6);
    // Churn = no purchase in the horizon. A score that ranks churners first has ROC-AUC well above
    // ½; an inverted one would sit well below. Compare with the share of pairs ranked right, by hand.
    expect(bgnbd.churn).not.toBeNull();
    const churnScore = result.churnScores['bgnbd-gg']!;
    const churners = test.filter((i) => data.holdoutOrders[i] === 0);
    const buyers = test.filter((i) => data.holdoutOrders[i] > 0);
    let right = 0;
    for (const c of churners) for (const b of buyers) right += churnScore[c] > churnScore[b] ? 1 : churnScore[c] === churnScore[b] ? 0.5 : 0;
    const auc = right / (churners.length * buyers.length);
    expect(auc).toBeGreaterThan(0.7);
    expect(bgnbd.churn!.roc_auc).toBeCloseTo(auc, 9);
    expect(result.metrics.find((m) => m.model === 'naive')!.churn).toBeNull();
    // On BG/NBD's home ground the model ranks the horizon's spend better than the run rate.
    const naive = result.metrics.find((m) => m.model === 'naive')!;
    expect(bgnbd.regression.spearman).toBeGreaterThan(naive.regression.spearman);
  });

  it("feeds the hybrid each window's own BG/NBD + Gamma-Gamma outputs, in the named columns", async () => {
    // A backtest: the hybrid trains on the past window and predicts the present one, so a forecast
    // of one window handed to the other, or two columns swapped, shows up in the training inputs.
    const past = btydCustomers(1500, 41).data;
    const present = btydCustomers(1200, 42).data;
    const trainings = vi.mocked(trainNet);
    trainings.mockClear();
    const result = await backtestModels(past, present, { models: ['hybrid'], seed: 3, maxEpochs: 1, importanceRows: 50 });
    const d = FEATURE_NAMES.length;
    expect(result.hybridFeatureNames.slice(d)).toEqual(['btyd_log_spend', 'btyd_p_alive', 'btyd_log_purchases', 'gg_log_spend_per_purchase']);
    expect(trainings.mock.calls).toHaveLength(1);
    const [kind, X, y] = trainings.mock.calls[0];
    expect(kind).toBe('ziln');
    const width = d + 4;
    expect(X.length).toBe(past.customerIds.length * width);
    expect(Array.from(y)).toEqual(Array.from(past.holdoutSpend, Math.fround));
    // References for the past window: its own fit, P(alive) in closed form, expected purchases by
    // numerical integration, the Gamma-Gamma posterior mean by hand.
    const bgnbd = fitBgNbd(past.btyd);
    const { p, q, v } = fitGammaGamma(past.btyd);
    const horizon = past.horizonDays / past.unitDays;
    for (const i of [0, 1, 2, 10, 100, 500, 1499]) {
      const [x, tx, T, m] = [past.btyd.frequency[i], past.btyd.recency[i], past.btyd.T[i], past.btyd.monetary[i]];
      const purchases = bgnbdConditionalExpectedReference(bgnbd, horizon, x, tx, T);
      const perPurchase = x === 0 ? (p * v) / (q - 1) : (p * (v + x * m)) / (p * x + q - 1);
      const row = X.subarray(i * width, (i + 1) * width);
      expect(Array.from(row.subarray(0, d))).toEqual(Array.from(past.X.subarray(i * d, (i + 1) * d)));
      expect(row[d], `btyd_log_spend, customer ${i}`).toBeCloseTo(Math.log1p(purchases * perPurchase), 4);
      expect(row[d + 1], `btyd_p_alive, customer ${i}`).toBeCloseTo(bgnbdProbabilityAliveReference(bgnbd, x, tx, T), 5);
      expect(row[d + 2], `btyd_log_purchases, customer ${i}`).toBeCloseTo(Math.log1p(purchases), 5);
      expect(row[d + 3], `gg_log_spend_per_purchase, customer ${i}`).toBeCloseTo(Math.log1p(perPurchase), 4);
    }
    for (const net of Object.values(result.nets)) net!.predictor.dispose();
  }, 120_000);
});

describe('evaluateModels: cross-fitting (the default protocol)', () => {
  beforeAll(async () => {
    await activateBackend('wasm');
  });

  it('scores every customer once, each by fold models that never saw them, folds balanced by outcome', async () => {
    const data = syntheticCustomers(500, 21);
    const n = 500;
    const trainings = vi.mocked(trainNet);
    trainings.mockClear();
    const result = await evaluateModels(data, { models: ['bgnbd-gg', 'naive', 'ziln', 'ensemble'], seed: 6, maxEpochs: 2, importanceRows: 50, bootstrapResamples: 50 });
    expect(result.split.kind).toBe('cross_fit');
    expect(result.testIndices).toHaveLength(n);
    for (const m of result.metrics) expect(m.n).toBe(n);
    // ZILN, the ensemble's one net, is trained once per fold: 5 trainings (the hybrid, not asked
    // for, is not trained). The customers a training did not see (neither trained nor validated
    // on) are its fold; the five folds partition the customers.
    const calls = trainings.mock.calls;
    expect(calls).toHaveLength(5);
    expect(calls.every(([kind]) => kind === 'ziln')).toBe(true);
    const heldOut = calls.slice(0, 5).map(([, , , o]) => {
      const seen = new Set([...Array.from(o!.split!.train), ...Array.from(o!.split!.validation)]);
      return Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
    });
    expect(heldOut.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const fold of heldOut) expect(Math.abs(fold.length - n / 5)).toBeLessThanOrEqual(1);
    // Stratified: the customers who buy nothing, and the top tenth of spenders, spread evenly.
    const zeros = (fold: number[]) => fold.filter((i) => data.holdoutOrders[i] === 0).length;
    const zeroCounts = heldOut.map(zeros);
    expect(Math.max(...zeroCounts) - Math.min(...zeroCounts)).toBeLessThanOrEqual(1);
    const buyers = Array.from({ length: n }, (_, i) => i).filter((i) => data.holdoutOrders[i] > 0).sort((a, b) => data.holdoutSpend[b] - data.holdoutSpend[a]);
    const top = new Set(buyers.slice(0, Math.floor(buyers.length / 10)));
    const topCounts = heldOut.map((f) => f.filter((i) => top.has(i)).length);
    expect(Math.max(...topCounts) - Math.min(...topCounts)).toBeLessThanOrEqual(2);
    // Each fold's ZILN prediction for its own customers comes from the net that never saw them:
    // the ensemble's per-fold stacks exist, one per fold, and every metric carries its interval.
    expect(result.foldEnsembles).toHaveLength(5);
    expect(result.netCalibration.ziln).toHaveLength(5);
    const ziln = result.metrics.find((m) => m.model === 'ziln')!;
    const actual = Array.from(data.holdoutSpend);
    const predicted = Array.from(result.predictions.ziln!);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mp = mean(predicted);
    const my = mean(actual);
    const slope = predicted.reduce((a, p, i) => a + (p - mp) * (actual[i] - my), 0) / predicted.reduce((a, p) => a + (p - mp) ** 2, 0);
    expect(ziln.calibration_slope).toBeCloseTo(slope, 9);
    for (const m of result.metrics) {
      const [lo, hi] = m.ci95!.normalized_gini;
      expect(lo).toBeLessThanOrEqual(m.regression.normalized_gini);
      expect(hi).toBeGreaterThanOrEqual(m.regression.normalized_gini);
    }
    const bgnbd = result.metrics.find((m) => m.model === 'bgnbd-gg')!;
    expect(bgnbd.vs_btyd).toBeUndefined();
    expect(ziln.vs_btyd!.rmse.difference).toBeCloseTo(ziln.regression.rmse - bgnbd.regression.rmse, 9);
    expect(ziln.vs_naive!.normalized_gini.difference).toBeCloseTo(ziln.regression.normalized_gini - result.metrics.find((m) => m.model === 'naive')!.regression.normalized_gini, 9);
    expect(result.ensemble!.weights.every((w) => w >= 0)).toBe(true);
    for (const net of Object.values(result.nets)) net!.predictor.dispose();
  }, 240_000);

  it('draws different folds for a different seed', async () => {
    const data = syntheticCustomers(200, 3);
    const a = await evaluateModels(data, { models: ['naive', 'fnn'], seed: 1, maxEpochs: 1, bootstrapResamples: 0 });
    const b = await evaluateModels(data, { models: ['naive', 'fnn'], seed: 2, maxEpochs: 1, bootstrapResamples: 0 });
    expect(Array.from(a.predictions.fnn!)).not.toEqual(Array.from(b.predictions.fnn!));
    expect(Array.from(a.predictions.naive!)).toEqual(Array.from(b.predictions.naive!));
    for (const r of [a, b]) for (const net of Object.values(r.nets)) net!.predictor.dispose();
  }, 120_000);
});

describe('evaluateModels', () => {
  beforeAll(async () => {
    await activateBackend('wasm');
  });

  it('scores every model on the same seeded test slice, and a re-run gives identical numbers', async () => {
    const data = syntheticCustomers(600, 3);
    const options = { models: ['bgnbd-gg', 'naive', 'visitante', 'fnn', 'ziln', 'ensemble'] as const, seed: 11, maxEpochs: 3, importanceRows: 100, protocol: 'split' as const };
    const first = await evaluateModels(data, { ...options, models: [...options.models] });
    const second = await evaluateModels(data, { ...options, models: [...options.models] });
    expect(first.split.sizes).toEqual({ train: 378, validation: 42, test: 180 });
    expect(first.metrics.map((m) => m.model)).toEqual(['bgnbd-gg', 'ensemble', 'fnn', 'naive', 'visitante', 'ziln']);
    for (const m of first.metrics) expect(m.n).toBe(180);
    expect(first.metrics.map((m) => m.regression)).toEqual(second.metrics.map((m) => m.regression));
    expect(first.metrics.find((m) => m.model === 'visitante')!.regression.rmse).toBeNull();
    expect(first.ensemble!.weights.every((w) => w >= 0)).toBe(true);
    expect(first.importance.fnn).toHaveLength(FEATURE_NAMES.length);
    expect(first.importance['bgnbd-gg']!.map((f) => f.feature).sort()).toEqual(['T', 'frequency', 'monetary_value', 'recency']);
    for (const r of [first, second]) for (const net of Object.values(r.nets)) net!.predictor.dispose();
  }, 240_000);

  it('uses a different split for a different seed', async () => {
    const data = syntheticCustomers(200, 3);
    const a = await evaluateModels(data, { models: ['naive'], seed: 1, protocol: 'split' });
    const b = await evaluateModels(data, { models: ['naive'], seed: 2, protocol: 'split' });
    expect(Array.from(a.testIndices)).not.toEqual(Array.from(b.testIndices));
  });

  it('stops when the signal is aborted', async () => {
    const data = syntheticCustomers(300, 5);
    const controller = new AbortController();
    const run = evaluateModels(data, {
      models: ['fnn'],
      seed: 1,
      maxEpochs: 50,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.epoch >= 1) controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    expect(controller.signal.aborted).toBe(true);
  }, 120_000);

  it('backtests: learns on the past window and scores every customer of the present one', async () => {
    const past = syntheticCustomers(300, 8);
    const present = syntheticCustomers(250, 9);
    const result = await backtestModels(past, present, { models: ['naive', 'bgnbd-gg', 'fnn'], seed: 4, maxEpochs: 2, importanceRows: 50 });
    expect(result.split.sizes).toEqual({ train: 270, validation: 30, test: 0 });
    expect(result.testIndices).toHaveLength(250);
    for (const m of result.metrics) expect(m.n).toBe(250);
    expect(result.predictions.fnn).toHaveLength(250);
    for (const net of Object.values(result.nets)) net!.predictor.dispose();
  }, 120_000);

  it('backtest reuses a BG/NBD + Gamma-Gamma fit of the present window: same numbers, one fit per window', async () => {
    const past = syntheticCustomers(300, 8);
    const present = syntheticCustomers(250, 9);
    // The hybrid trains on the past window's BG/NBD forecasts, so its numbers check that fit too.
    const options = { models: ['naive', 'bgnbd-gg', 'hybrid'] as ('naive' | 'bgnbd-gg' | 'hybrid')[], seed: 4, maxEpochs: 1, importanceRows: 50 };
    const fits = vi.mocked(fitBgNbd);
    fits.mockClear();
    const evaluated = await evaluateModels(present, { models: ['bgnbd-gg'], seed: 4, importanceRows: 50 });
    const fitsOfOneWindow = fits.mock.calls.length;
    expect(fitsOfOneWindow).toBeGreaterThan(0);
    const fresh = await backtestModels(past, present, options);
    // Without a fit handed in: the present window and the past window are fitted.
    expect(fits.mock.calls.length - fitsOfOneWindow).toBeGreaterThan(fitsOfOneWindow);
    fits.mockClear();
    const reused = await backtestModels(past, present, { ...options, btydFit: evaluated.btyd! });
    // Handed in: only the past window is fitted, on the past window's summaries.
    expect(fits.mock.calls.every(([data]) => data === past.btyd)).toBe(true);
    expect(fits.mock.calls.length).toBeGreaterThan(0);
    expect(reused.btyd!.bgnbd).toBe(evaluated.btyd!.bgnbd);
    expect(reused.metrics.map((m) => [m.model, m.regression])).toEqual(fresh.metrics.map((m) => [m.model, m.regression]));
    expect(Array.from(reused.predictions['bgnbd-gg']!)).toEqual(Array.from(evaluated.predictions['bgnbd-gg']!));
    expect(reused.importance['bgnbd-gg']).toEqual(fresh.importance['bgnbd-gg']);
    for (const r of [fresh, reused, evaluated]) for (const net of Object.values(r.nets)) net!.predictor.dispose();
  }, 180_000);
});
