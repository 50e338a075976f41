import { compareModels, type ModelEvaluation, type ModelPredictions } from '../eval/compareModels';
import { permutationImportance, type FeatureImportance } from '../eval/permutationImportance';
import { kFold, randomSplit, temporalHoldoutSplit, type SplitDescriptor } from '../eval/split';
import { ClvError } from '../errors';
import { Rng, deriveSeed } from '../random';
import { fitBtyd, forecastFromFit, type BtydColumns, type BtydFit, type BtydForecast } from '../models/btydForecast';
import { naiveRunRate } from '../models/naiveRunRate';
import { fitSpendPerPurchase, predictSpendPerPurchase } from '../models/spendPerPurchase';
import { fitStackedEnsemble, predictStackedEnsemble, type StackedEnsemble } from '../models/stackedEnsemble';
import { trainFnnModel, trainZilnModel, type TrainedNet } from '../nets/trainFnn';
import { trainSequenceModel, type SequenceBatch, type TrainedSequenceModel } from '../nets/sequenceModels';
import { checkHorizonActivity } from './horizonActivity';
import { fitTransactionModel, forecastIntervals, forecastTransactionModel, intervalCoverage, type CustomerIntervals, type TransactionForecast } from '../models/transactionForecast';
import { LEARNED_MODELS, PROBABILISTIC_MODELS, RANK_ONLY_MODELS, type ModelName, type ProbabilisticModelName } from './modelNames';

export interface EvaluationData {
  customerIds: readonly string[];
  featureNames: readonly string[];
  /** Row-major n × d features at the cutoff. */
  X: Float32Array;
  holdoutSpend: ArrayLike<number>;
  holdoutOrders: ArrayLike<number>;
  /** Calibration summaries in the BTYD time unit, aligned with customerIds. */
  btyd: BtydColumns;
  unitDays: number;
  horizonDays: number;
  /** Calibration cutoff (ISO date), when known: errors about the horizon then name its dates. */
  cutoff?: string;
  visitanteScore?: ArrayLike<number>;
  /** Per-period spend and purchase days before the cutoff (n × periods × 2), for LSTM/CNN. */
  sequences?: SequenceBatch;
}

export interface EvaluationProgress {
  model: ModelName;
  stage: string;
  epoch: number;
  epochs: number;
  loss: number | null;
  valLoss: number | null;
  samplesPerSec: number | null;
  etaMs: number | null;
  fraction: number;
}

export interface EvaluationOptions {
  models: readonly ModelName[];
  seed: number;
  signal?: AbortSignal;
  onProgress?: (p: EvaluationProgress) => void;
  maxEpochs?: number;
  /** Test rows used for permutation importance (a seeded sample keeps it quick). */
  importanceRows?: number;
  discount?: { periods: number; unitsPerPeriod: number; discountRate: number };
  /**
   * BG/NBD + Gamma-Gamma already fitted on the calibration summaries of the scored customers
   * (e.g. `result.btyd` of evaluateModels on the same window), reused instead of fitted again.
   */
  btydFit?: BtydFit;
}

export interface EvaluationResult {
  split: SplitDescriptor;
  testIndices: Int32Array;
  metrics: ModelEvaluation[];
  predictions: Partial<Record<ModelName, Float64Array>>;
  churnScores: Partial<Record<ModelName, Float64Array>>;
  btyd: BtydForecast | null;
  /** Pareto/NBD and MBG/NBD (each with Gamma-Gamma) on the scored customers, when asked for. */
  transactionModels: Partial<Record<'pnbd-gg' | 'mbgnbd-gg', TransactionForecast>>;
  /** Per-customer 90% intervals of the probabilistic models (parametric bootstrap), scored customers. */
  intervals: Partial<Record<ProbabilisticModelName, CustomerIntervals>>;
  /** Share of test customers whose actual holdout spend lies in the model's 90% predictive interval. */
  intervalCoverage: Partial<Record<ProbabilisticModelName, number>>;
  ensemble: StackedEnsemble | null;
  importance: Partial<Record<ModelName, FeatureImportance[]>>;
  /** The trained nets, for explanations and bundles; the caller disposes them. */
  nets: Partial<Record<ModelName, TrainedNet>>;
  hybridFeatureNames: string[];
  warnings: string[];
}

const pick = (values: ArrayLike<number>, rows: ArrayLike<number>) => Float64Array.from(rows, (i) => values[i]);

function column(X: Float32Array, d: number, j: number): Float64Array {
  const n = X.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = X[i * d + j];
  return out;
}

/** Features plus the BG/NBD + Gamma-Gamma outputs: the "deep + econometric" hybrid's inputs. */
function hybridInputs(X: Float32Array, d: number, btyd: BtydForecast): Float32Array {
  const n = X.length / d;
  const extra = 4;
  const out = new Float32Array(n * (d + extra));
  for (let i = 0; i < n; i++) {
    out.set(X.subarray(i * d, (i + 1) * d), i * (d + extra));
    const o = i * (d + extra) + d;
    out[o] = Math.log1p(Math.max(0, btyd.horizonSpend[i]));
    out[o + 1] = btyd.pAlive[i];
    out[o + 2] = Math.log1p(btyd.expectedPurchases[i]);
    out[o + 3] = Math.log1p(Math.max(0, btyd.expectedSpendPerPurchase[i]));
  }
  return out;
}

export const HYBRID_EXTRA_FEATURES = ['btyd_log_spend', 'btyd_p_alive', 'btyd_log_purchases', 'gg_log_spend_per_purchase'];

function sampleRows(rows: Int32Array, max: number): Int32Array {
  if (rows.length <= max) return rows;
  const step = rows.length / max;
  return Int32Array.from({ length: max }, (_, k) => rows[Math.floor(k * step)]);
}

function gather(X: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(X.subarray(rows[r] * d, (rows[r] + 1) * d), r * d);
  return out;
}

function gatherSequences(seqs: SequenceBatch, rows: ArrayLike<number>): SequenceBatch {
  const width = seqs.periods * seqs.channels;
  const values = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) values.set(seqs.values.subarray(rows[r] * width, (rows[r] + 1) * width), r * width);
  return { periods: seqs.periods, channels: seqs.channels, values };
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ClvError('BAD_ARGUMENT', 'Training was cancelled.');
}

interface Protocol {
  /** Customers the learned models train on (features and targets). */
  fit: EvaluationData;
  /** Customers every model is scored on; the same object as `fit` for the temporal holdout. */
  score: EvaluationData;
  train: Int32Array;
  validation: Int32Array;
  /** Rows of `score` used for the metrics. */
  test: Int32Array;
  split: SplitDescriptor;
}

function checkData(data: EvaluationData): void {
  const n = data.customerIds.length;
  if (data.X.length !== n * data.featureNames.length) throw new RangeError('X does not match customers × features');
  if (n < 20) throw new ClvError('TOO_FEW_CUSTOMERS', `Only ${n} customer${n === 1 ? '' : 's'}: evaluation needs at least 20 (ideally thousands) to split into training and test sets.`);
  checkHorizonActivity(data.holdoutOrders, data);
}

/**
 * One protocol for every model: features come from calibration only, targets from the horizon;
 * learned models train on a seeded 70% of customers (validation carved from it), and every model
 * — BG/NBD + Gamma-Gamma too, fitted on calibration data alone — is scored on the same 30%.
 */
export async function evaluateModels(data: EvaluationData, options: EvaluationOptions): Promise<EvaluationResult> {
  checkData(data);
  const split = temporalHoldoutSplit(data.customerIds.length, { seed: options.seed, testFraction: 0.3, validationFraction: 0.1 });
  return runProtocol({ fit: data, score: data, train: split.train, validation: split.validation, test: split.test, split: split.descriptor }, options);
}

/**
 * The strict backtest: learned models train on the past window (features at cutoff − horizon,
 * targets up to the cutoff) and predict the next horizon for every customer of the present window.
 */
export async function backtestModels(past: EvaluationData, present: EvaluationData, options: EvaluationOptions): Promise<EvaluationResult> {
  checkData(past);
  checkData(present);
  const split = randomSplit(past.customerIds.length, [0.9, 0.1, 0], options.seed);
  const everyone = Int32Array.from({ length: present.customerIds.length }, (_, i) => i);
  return runProtocol({ fit: past, score: present, train: split.train, validation: split.validation, test: everyone, split: split.descriptor }, options);
}

/** The rows learned models may learn from: training and validation together, ascending. */
function fitRows(train: Int32Array, validation: Int32Array): Int32Array {
  const rows = new Int32Array(train.length + validation.length);
  rows.set(train);
  rows.set(validation, train.length);
  return rows.sort();
}

/** Folds of the cross-fitted stack: enough for out-of-fold predictions, few enough to stay quick. */
export const STACK_FOLDS = 3;
/** Share of the training folds each base net keeps aside for early stopping. */
const EARLY_STOPPING_SHARE = 0.125;

interface StackInputs {
  fit: EvaluationData;
  score: EvaluationData;
  y: Float32Array;
  /** Rows of `fit` the stack learns from (training and validation customers). */
  rows: Int32Array;
  seed: number;
  signal?: AbortSignal;
  maxEpochs?: number;
  clip: (values: Float32Array) => Float64Array;
  /** Base models that never saw the targets: [predictions on fit rows, on scored rows]. */
  fixed: Record<string, [Float64Array | undefined, Float64Array | undefined]>;
  /** Features plus BTYD outputs, for the hybrid base. */
  hybrid: { fitX: Float32Array; scoreX: Float32Array } | null;
  /** BG/NBD's expected horizon purchases on fit and scored customers. */
  purchases: { fit: Float64Array; score: Float64Array } | null;
}

/**
 * The stacked ensemble, cross-fitted: the fit customers are cut into STACK_FOLDS folds; each
 * learned base model (ZILN, hybrid) is trained STACK_FOLDS times, each time without one fold (early
 * stopping watches a slice of the other folds), and predicts the fold it did not see. The stacking weights are
 * then fitted on these out-of-fold predictions of every fit customer, not on the small validation
 * slice alone, and the scored customers get the mean of the fold models' predictions. BG/NBD +
 * Gamma-Gamma and the run rate never see the targets, so their own predictions are already
 * out-of-sample.
 */
async function crossFittedStack(s: StackInputs): Promise<{ ensemble: StackedEnsemble; predictions: Float64Array }> {
  const nFit = s.fit.customerIds.length;
  const nScore = s.score.customerIds.length;
  const fitColumns: Record<string, Float64Array> = {};
  const scoreColumns: Record<string, Float64Array> = {};
  for (const [name, [fitValues, scoreValues]] of Object.entries(s.fixed)) {
    if (fitValues && scoreValues) {
      fitColumns[name] = fitValues;
      scoreColumns[name] = scoreValues;
    }
  }
  const folds = kFold(s.rows.length, STACK_FOLDS, deriveSeed(s.seed, 'ensemble', 'folds')).folds.map((f) => ({
    held: Int32Array.from(f.test, (j) => s.rows[j]).sort(),
    others: Int32Array.from(f.train, (j) => s.rows[j]).sort(),
  }));
  // The nets see BG/NBD's outputs next to the features when they are available (the hybrid's inputs).
  const netBases = [{ name: 'ziln', fitX: s.fit.X, scoreX: s.score.X }, ...(s.hybrid ? [{ name: 'hybrid', fitX: s.hybrid.fitX, scoreX: s.hybrid.scoreX }] : [])];
  if (s.hybrid && s.purchases) {
    // BG/NBD's expected purchases × a learned order value (models/spendPerPurchase.ts): closed form,
    // so cross-fitting it costs nothing. Used only if every fold could fit it.
    const { fitX, scoreX } = s.hybrid;
    const width = fitX.length / nFit;
    const oof = new Float64Array(nFit);
    const foldModels = folds.map(({ others }, k) => fitSpendPerPurchase(fitX, width, s.fit.holdoutSpend, s.fit.holdoutOrders, others, deriveSeed(s.seed, 'ensemble', 'order-value', k)));
    const model = fitSpendPerPurchase(fitX, width, s.fit.holdoutSpend, s.fit.holdoutOrders, s.rows, deriveSeed(s.seed, 'ensemble', 'order-value'));
    if (model && foldModels.every((m) => m !== null)) {
      folds.forEach(({ held }, k) => {
        const value = predictSpendPerPurchase(foldModels[k]!, gather(fitX, width, held));
        held.forEach((i, r) => (oof[i] = s.purchases!.fit[i] * value[r]));
      });
      const value = predictSpendPerPurchase(model, scoreX);
      fitColumns['btyd-order-value'] = oof;
      scoreColumns['btyd-order-value'] = Float64Array.from(value, (v, i) => s.purchases!.score[i] * v);
    }
  }
  for (const base of netBases) {
    const width = base.fitX.length / nFit;
    const oof = new Float64Array(nFit);
    const mean = new Float64Array(nScore);
    for (let k = 0; k < STACK_FOLDS; k++) {
      checkAborted(s.signal);
      const { held, others } = folds[k];
      // Early stopping watches a slice of the training folds, never the held fold: its predictions
      // must not have been chosen by its own targets.
      const seed = deriveSeed(s.seed, 'ensemble', base.name, k);
      const order = new Rng(deriveSeed(seed, 'early-stopping')).permutation(others.length);
      const stopRows = Math.max(1, Math.round(others.length * EARLY_STOPPING_SHARE));
      const net = await trainZilnModel(base.fitX, s.y, {
        config: 'default',
        seed,
        signal: s.signal,
        maxEpochs: s.maxEpochs,
        split: {
          train: Int32Array.from(order.subarray(stopRows), (j) => others[j]).sort(),
          validation: Int32Array.from(order.subarray(0, stopRows), (j) => others[j]).sort(),
        },
      });
      try {
        const heldPred = s.clip(net.predict(gather(base.fitX, width, held)));
        held.forEach((i, r) => (oof[i] = heldPred[r]));
        const scorePred = s.clip(net.predict(base.scoreX));
        for (let i = 0; i < nScore; i++) mean[i] += scorePred[i] / STACK_FOLDS;
      } finally {
        net.predictor.dispose();
      }
    }
    fitColumns[base.name] = oof;
    scoreColumns[base.name] = mean;
  }
  const ensemble = fitStackedEnsemble(fitColumns, s.y, s.rows);
  return { ensemble, predictions: predictStackedEnsemble(ensemble, scoreColumns, nScore) };
}

async function runProtocol(protocol: Protocol, options: EvaluationOptions): Promise<EvaluationResult> {
  const { fit, score, train, validation, test } = protocol;
  const sameData = fit === score;
  const d = score.featureNames.length;
  if (fit.featureNames.join() !== score.featureNames.join()) throw new Error('past and present windows must have the same features');
  const n = score.customerIds.length;
  const models = [...new Set(options.models)];
  const warnings: string[] = [];
  /** Predictions on the scored customers, and (for the ensemble's fixed bases) on the fit customers. */
  const predictions: Partial<Record<ModelName, Float64Array>> = {};
  const fitPredictions: Partial<Record<ModelName, Float64Array>> = {};
  const churnScores: Partial<Record<ModelName, Float64Array>> = {};
  const nets: Partial<Record<ModelName, TrainedNet>> = {};
  const y = Float32Array.from(fit.holdoutSpend);
  const steps = models.length + 1;
  let done = 0;
  const report = (model: ModelName, stage: string, extra: Partial<EvaluationProgress> = {}) =>
    options.onProgress?.({ model, stage, epoch: 0, epochs: 0, loss: null, valLoss: null, samplesPerSec: null, etaMs: null, fraction: done / steps, ...extra });
  const netOptions = (model: ModelName) => ({
    seed: options.seed,
    signal: options.signal,
    maxEpochs: options.maxEpochs,
    split: { train, validation },
    onProgress: (p: { epoch: number; maxEpochs: number; loss: number; valLoss: number; samplesPerSec: number; etaMs: number }) =>
      report(model, 'training', {
        epoch: p.epoch,
        epochs: p.maxEpochs,
        loss: p.loss,
        valLoss: p.valLoss,
        samplesPerSec: p.samplesPerSec,
        etaMs: p.etaMs,
        fraction: (done + p.epoch / p.maxEpochs) / steps,
      }),
  });
  const needsBtyd = models.some((m) => m === 'bgnbd-gg' || m === 'hybrid' || m === 'ensemble');
  let btyd: BtydForecast | null = null;
  let fitWindowBtyd: BtydForecast | null = null;
  if (needsBtyd) {
    report('bgnbd-gg', 'fitting BG/NBD + Gamma-Gamma');
    // One fit per window: the scored window's may come in ready-made; the past window (backtest
    // only) needs its own, fitted on data before its cutoff, for the ensemble's and hybrid's training rows.
    const forecast = (data: EvaluationData, fitted: BtydFit) =>
      forecastFromFit(fitted, data.btyd, { horizon: data.horizonDays / data.unitDays, discount: options.discount });
    btyd = forecast(score, options.btydFit ?? fitBtyd(score.btyd));
    fitWindowBtyd = sameData ? btyd : forecast(fit, fitBtyd(fit.btyd));
    warnings.push(...btyd.warnings);
    predictions['bgnbd-gg'] = btyd.horizonSpend;
    fitPredictions['bgnbd-gg'] = fitWindowBtyd.horizonSpend;
    // 1 − P(alive) ranks one-time buyers as safe (BG/NBD gives them P(alive) = 1), although they
    // are the likeliest to stay away; P(no purchase in the horizon) ≈ exp(−E[purchases]) does not.
    churnScores['bgnbd-gg'] = btyd.expectedPurchases.map((e) => Math.exp(-e));
  }
  // Pareto/NBD and MBG/NBD with Gamma-Gamma (reused from BG/NBD's fit when there is one), scored like BG/NBD.
  const transactionModels: EvaluationResult['transactionModels'] = {};
  const horizonOf = (data: EvaluationData) => data.horizonDays / data.unitDays;
  for (const name of ['pnbd-gg', 'mbgnbd-gg'] as const) {
    if (!models.includes(name)) continue;
    checkAborted(options.signal);
    const kind = PROBABILISTIC_MODELS[name];
    report(name, `fitting ${kind === 'pnbd' ? 'Pareto/NBD' : 'MBG/NBD'} + Gamma-Gamma`);
    const forecast = (data: EvaluationData, spend: BtydForecast | null) =>
      forecastTransactionModel(fitTransactionModel(kind, data.btyd, spend ?? undefined), data.btyd, { horizon: horizonOf(data), discount: options.discount });
    const scored = forecast(score, btyd);
    transactionModels[name] = scored;
    warnings.push(...scored.warnings);
    predictions[name] = scored.horizonSpend;
    fitPredictions[name] = sameData ? scored.horizonSpend : models.includes('ensemble') ? forecast(fit, fitWindowBtyd).horizonSpend : undefined;
    churnScores[name] = scored.probabilityNoPurchase;
  }
  const intervals: EvaluationResult['intervals'] = {};
  for (const name of Object.keys(PROBABILISTIC_MODELS) as ProbabilisticModelName[]) {
    if (!models.includes(name)) continue;
    const source = name === 'bgnbd-gg' ? btyd && { kind: 'bgnbd' as const, model: { params: { r: btyd.bgnbd.r, alpha: btyd.bgnbd.alpha, a: btyd.bgnbd.a, b: btyd.bgnbd.b }, customers: score.customerIds.length }, gammaGamma: btyd.gammaGamma, populationSpend: btyd.populationSpend } : transactionModels[name];
    if (!source) continue;
    checkAborted(options.signal);
    report(name, 'intervals');
    const { intervals: bounds, warning } = forecastIntervals(source, score.btyd, score.btyd, { horizon: horizonOf(score), discount: options.discount, seed: deriveSeed(options.seed, 'intervals', name) });
    if (warning) warnings.push(warning);
    if (bounds) intervals[name] = bounds;
  }
  const total = score.featureNames.indexOf('total_spend');
  const tenure = score.featureNames.indexOf('tenure_days');
  const runRate = (data: EvaluationData, X = data.X) => naiveRunRate(column(X, d, total), column(X, d, tenure), data.horizonDays);
  if (models.includes('naive') || models.includes('ensemble')) {
    if (total < 0 || tenure < 0) throw new Error('naive run-rate needs total_spend and tenure_days features');
    predictions.naive = runRate(score);
    fitPredictions.naive = sameData ? predictions.naive : runRate(fit);
  }
  if (models.includes('visitante') && score.visitanteScore) predictions.visitante = Float64Array.from(score.visitanteScore);
  done++;

  const importance: Partial<Record<ModelName, FeatureImportance[]>> = {};
  const importanceRows = sampleRows(test, options.importanceRows ?? 2000);
  const yRows = pick(score.holdoutSpend, importanceRows);
  const importanceX = gather(score.X, d, importanceRows);
  const importanceOf = async (X: Float32Array, names: readonly string[], predict: (X: Float32Array) => Promise<Float64Array | Float32Array>) =>
    (await permutationImportance(X, yRows, predict, names, { seed: options.seed, repeats: 2, metric: 'rmse' })).features;

  // A guard rail on heavy tails: no net may predict beyond twice the largest spend it trained on.
  let ceiling = 0;
  for (let r = 0; r < train.length; r++) ceiling = Math.max(ceiling, y[train[r]]);
  ceiling *= 2;
  const clipped = (values: Float32Array) => Float64Array.from(values, (v) => Math.min(Math.max(v, 0), ceiling));
  const trainNet = async (model: ModelName, scoreX: Float32Array, run: () => Promise<TrainedNet>) => {
    checkAborted(options.signal);
    report(model, 'training');
    const net = await run();
    nets[model] = net;
    predictions[model] = clipped(net.predict(scoreX));
    done++;
    return net;
  };
  if (models.includes('fnn-seed')) {
    await trainNet('fnn-seed', score.X, () => trainFnnModel(fit.X, y, { ...netOptions('fnn-seed'), config: 'seed' }));
  }
  if (models.includes('fnn')) {
    await trainNet('fnn', score.X, () => trainFnnModel(fit.X, y, { ...netOptions('fnn'), config: 'default' }));
  }
  if (models.includes('ziln')) {
    const net = await trainNet('ziln', score.X, () => trainZilnModel(fit.X, y, { ...netOptions('ziln'), config: 'default' }));
    churnScores.ziln = Float64Array.from(net.predictor.returnProbability(score.X), (p) => 1 - p);
  }
  let hybridX: Float32Array | null = null;
  let fitHybridX: Float32Array | null = null;
  if ((models.includes('hybrid') || models.includes('ensemble')) && btyd && fitWindowBtyd) {
    hybridX = hybridInputs(score.X, d, btyd);
    fitHybridX = sameData ? hybridX : hybridInputs(fit.X, d, fitWindowBtyd);
  }
  if (models.includes('hybrid') && hybridX && fitHybridX) {
    // "Deep + econometric": the ZILN net sees BG/NBD's P(alive) and expected purchases and
    // Gamma-Gamma's spend per purchase next to the features, so it starts from what the
    // econometric model knows and learns where the data depart from its story.
    const X = hybridX;
    const fX = fitHybridX;
    await trainNet('hybrid', X, () => trainZilnModel(fX, y, { ...netOptions('hybrid'), config: 'default' }));
  }
  for (const kind of ['lstm', 'cnn'] as const) {
    if (!models.includes(kind)) continue;
    if (!fit.sequences || !score.sequences) {
      warnings.push(`${kind} needs per-period purchase sequences, which were not provided; it is left out.`);
      continue;
    }
    checkAborted(options.signal);
    report(kind, 'training');
    const fitSeqs = fit.sequences;
    const model: TrainedSequenceModel = await trainSequenceModel(kind, fitSeqs, fit.X, y, {
      seed: options.seed,
      signal: options.signal,
      maxEpochs: options.maxEpochs,
      trainIdx: train,
      valIdx: validation,
      onProgress: netOptions(kind).onProgress,
    });
    try {
      const sequences = score.sequences;
      predictions[kind] = clipped(model.predict(sequences, score.X));
      // Importance of the static features, the customer's sequence held fixed.
      const seqRows = gatherSequences(sequences, importanceRows);
      importance[kind] = await importanceOf(importanceX, score.featureNames, async (X) => model.predict(seqRows, X));
    } finally {
      model.dispose();
    }
    done++;
  }
  let ensemble: StackedEnsemble | null = null;
  if (models.includes('ensemble')) {
    checkAborted(options.signal);
    report('ensemble', 'cross-fitting');
    const stack = await crossFittedStack({
      fit,
      score,
      y,
      rows: fitRows(train, validation),
      seed: options.seed,
      signal: options.signal,
      maxEpochs: options.maxEpochs,
      clip: clipped,
      fixed: {
        'bgnbd-gg': [fitPredictions['bgnbd-gg'], predictions['bgnbd-gg']],
        naive: [fitPredictions.naive, predictions.naive],
        'pnbd-gg': [fitPredictions['pnbd-gg'], predictions['pnbd-gg']],
        'mbgnbd-gg': [fitPredictions['mbgnbd-gg'], predictions['mbgnbd-gg']],
      },
      hybrid: fitHybridX && hybridX ? { fitX: fitHybridX, scoreX: hybridX } : null,
      purchases: btyd && fitWindowBtyd ? { fit: fitWindowBtyd.expectedPurchases, score: btyd.expectedPurchases } : null,
    });
    ensemble = stack.ensemble;
    predictions.ensemble = stack.predictions;
    done++;
  }
  for (const m of models) {
    if (!predictions[m] && m !== 'lstm' && m !== 'cnn') warnings.push(`${m} produced no predictions and is left out.`);
  }
  // Models computed only as inputs to others are not reported.
  for (const m of Object.keys(predictions) as ModelName[]) if (!models.includes(m)) delete predictions[m];

  const actual = { spend: pick(score.holdoutSpend, test), orders: pick(score.holdoutOrders, test) };
  const scored = new Map<string, ModelPredictions>();
  for (const m of models) {
    const p = predictions[m];
    if (!p) continue;
    const churn = churnScores[m];
    scored.set(m, { predicted: pick(p, test), churnScore: churn ? pick(churn, test) : undefined });
  }
  const metrics = compareModels(actual, scored);
  const coverage: EvaluationResult['intervalCoverage'] = {};
  for (const [name, bounds] of Object.entries(intervals) as [ProbabilisticModelName, CustomerIntervals][]) coverage[name] = intervalCoverage(score.holdoutSpend, bounds.actualSpend, test);
  for (const entry of metrics) {
    if ((RANK_ONLY_MODELS as readonly string[]).includes(entry.model)) {
      for (const key of ['mse', 'rmse', 'mae', 'r2', 'mape'] as const) (entry.regression as unknown as Record<string, number | null>)[key] = null;
    }
  }

  report('ensemble', 'explaining');
  const rows = importanceRows;
  const XRows = importanceX;
  for (const m of ['fnn-seed', 'fnn', 'ziln'] as const) {
    const net = nets[m];
    if (net && models.includes(m)) importance[m] = await importanceOf(XRows, score.featureNames, async (X) => net.predict(X));
  }
  if (nets.hybrid && hybridX && models.includes('hybrid')) {
    const net = nets.hybrid;
    importance.hybrid = await importanceOf(gather(hybridX, d + HYBRID_EXTRA_FEATURES.length, rows), [...score.featureNames, ...HYBRID_EXTRA_FEATURES], async (X) => net.predict(X));
  }
  if (models.includes('naive')) importance.naive = await importanceOf(XRows, score.featureNames, async (X) => runRate(score, X));
  if (btyd && models.includes('bgnbd-gg')) {
    const fitted = btyd;
    const B = new Float32Array(rows.length * 4);
    rows.forEach((i, r) => B.set([score.btyd.frequency[i], score.btyd.recency[i], score.btyd.T[i], score.btyd.monetary[i]], r * 4));
    importance['bgnbd-gg'] = await importanceOf(B, ['frequency', 'recency', 'T', 'monetary_value'], async (X) =>
      forecastFromFit(fitted, { frequency: column(X, 4, 0), recency: column(X, 4, 1), T: column(X, 4, 2), monetary: column(X, 4, 3) }, { horizon: score.horizonDays / score.unitDays })
        .horizonSpend,
    );
  }
  done = steps;
  report('ensemble', 'done', { fraction: 1 });
  for (const m of LEARNED_MODELS) {
    if (nets[m] && !models.includes(m)) {
      nets[m]!.predictor.dispose();
      delete nets[m];
    }
  }
  return {
    split: protocol.split,
    testIndices: test,
    metrics,
    predictions,
    churnScores,
    btyd,
    transactionModels,
    intervals,
    intervalCoverage: coverage,
    ensemble,
    importance,
    nets,
    hybridFeatureNames: [...score.featureNames, ...HYBRID_EXTRA_FEATURES],
    warnings,
  };
}
