/**
 * The feed-forward nets (FNN seed recipe, FNN, ZILN, and the hybrid: ZILN fed BG/NBD's outputs
 * next to the features), trained once per fold of the protocol (see FoldRows): on the fold's
 * training customers, early-stopped on its validation customers, scored on the fold's test
 * customers only, and recalibrated (below) without the customers it scores.
 *
 * Recalibration: nets trained on heavy-tailed spend come out over-spread (on a wholesale-style log
 * ZILN's calibration slope was about 0.6). A monotone map c·(1+ŷ)^b, c and b fitted by least
 * squares (models/powerCalibration.ts), puts the level and spread right.
 * - Cross-fitting: fold k's map is fitted on the out-of-fold predictions of the other folds (about
 *   19,000 customers on CDNOW_master), never on fold k. Fitted on each fold's own 10% validation
 *   slice (about 1,900 customers) instead, the power swung from 0.8 to 1.5 with whether one or two
 *   very large customers fell in the slice, and on CDNOW_master seed 2 that cost the nets 6–10 RMSE
 *   (ZILN 92.7 raw, 98.6 per-slice; 93.0 cross-fitted) and 0.01 of normalized Gini.
 * - One split (and the backtest): fitted on the validation customers, the only held-out targets.
 */
import { fitPowerCalibration } from '../models/powerCalibration';
import type { ModelKind, Recipe } from '../nets/trainFnn';
import { deriveSeed } from '../random';
import { gather } from '../rows';
import { zilnDistribution, zilnIntervals } from '../nets/zilnIntervals';
import type { EvaluationRun } from './evaluationRun';
import { checkAborted, type FoldRows } from './evaluationTypes';
import { hybridInputs } from './hybridInputs';
import { ENSEMBLE_NETS, type ModelName } from './modelNames';
import type { ProbabilisticFits } from './probabilisticStep';

export interface NetInputs {
  /** Features plus BTYD outputs on the fit and scored customers, when the hybrid or ensemble needs them. */
  hybrid: { fitX: Float32Array; scoreX: Float32Array } | null;
  /** Clips predictions to [0, twice the largest training spend of fold k]. */
  clip: (values: ArrayLike<number>, k?: number) => Float64Array;
}

/** A guard rail on heavy tails: no net may predict beyond twice the largest spend it trained on. */
export function spendCeiling(y: ArrayLike<number>, train: ArrayLike<number>): number {
  let ceiling = 0;
  for (let r = 0; r < train.length; r++) ceiling = Math.max(ceiling, y[train[r]]);
  return 2 * ceiling;
}

/** The seed of fold k's models: the run's own seed for the first (so one split reproduces the old runs). */
export const foldSeed = (seed: number, k: number) => (k === 0 ? seed : deriveSeed(seed, 'fold', k));

/** Recalibration of a net's predictions on fold rows (fit customers): c·(1+ŷ)^b. */
export function calibrateOn(raw: ArrayLike<number>, y: ArrayLike<number>, rows: ArrayLike<number>): { scale: number; power: number } {
  const s = Float64Array.from(rows as ArrayLike<number>, (i) => Math.log1p(Math.max(0, raw[i])));
  const target = Float64Array.from(rows as ArrayLike<number>, (i) => y[i]);
  return fitPowerCalibration(s, target, Int32Array.from({ length: rows.length }, (_, r) => r));
}

/**
 * Cross-fitting's recalibration (see the file comment) from every fold's uncalibrated out-of-fold
 * predictions `raw` (clipped, indexed by scored customer): fold k's customers mapped by the map
 * fitted on the other folds' customers, one map per fold, and the map fitted on every out-of-fold
 * prediction, with which the kept first-fold model scores new customers.
 */
export function crossFitCalibration(
  raw: Float64Array,
  y: ArrayLike<number>,
  folds: readonly FoldRows[],
  clip: NetInputs['clip'],
): { predictions: Float64Array; calibrations: Array<{ scale: number; power: number }>; kept: { scale: number; power: number } } {
  const predictions = new Float64Array(raw.length);
  const calibrations = folds.map((fold, k) => {
    const others = Int32Array.from(folds.flatMap((f, j) => (j === k ? [] : Array.from(f.test)))).sort();
    const c = calibrateOn(raw, y, others);
    const calibrated = clip(Float64Array.from(fold.test, (i) => c.scale * (1 + raw[i]) ** c.power), k);
    fold.test.forEach((i, r) => (predictions[i] = calibrated[r]));
    return c;
  });
  return { predictions, calibrations, kept: calibrateOn(raw, y, Int32Array.from({ length: raw.length }, (_, i) => i)) };
}

/** Which net a fold trains: its kind, recipe and inputs (the fold's rows and seed come from the fold). */
interface NetRecipe {
  kind: ModelKind;
  recipe: Recipe;
  X: Float32Array;
}

/**
 * Trains one net per fold and writes each fold's recalibrated predictions for its test customers.
 * Every fold's training is asked for at once (a worker pool trains them side by side; see
 * nets/netTrainer.ts); the results are used in fold order, so they do not depend on the trainer.
 */
async function crossFitNet(
  run: EvaluationRun,
  model: ModelName,
  X: { fit: Float32Array; score: Float32Array },
  clip: NetInputs['clip'],
  recipe: NetRecipe,
  churn: boolean,
): Promise<void> {
  const { folds, score } = run.protocol;
  const nScore = score.customerIds.length;
  const fitWidth = X.fit.length / run.protocol.fit.customerIds.length;
  const predictions = new Float64Array(nScore);
  const churnScores = churn ? new Float64Array(nScore) : null;
  const intervals = { lower: new Float64Array(nScore), upper: new Float64Array(nScore) };
  let hasIntervals = true;
  const calibrations: Array<{ scale: number; power: number }> = [];
  const crossFit = folds.length > 1;
  // Cross-fitting: each fold's uncalibrated predictions first; the maps come once every fold is in.
  const raw = crossFit ? new Float64Array(nScore) : null;
  checkAborted(run.options.signal);
  run.report(model, crossFit ? `training ${folds.length} folds` : 'training', crossFit ? { fold: 1, folds: folds.length } : {});
  const trainings = folds.map((fold, k) =>
    run.trainer.train(
      { ...recipe, y: run.y, train: Int32Array.from(fold.train), validation: Int32Array.from(fold.validation), seed: foldSeed(run.options.seed, k), maxEpochs: run.options.maxEpochs },
      { signal: run.options.signal, onProgress: run.epochProgress(model, k, folds.length) },
    ),
  );
  // A failure is handled below, once every training has settled; no rejection goes unobserved.
  trainings.forEach((t, k) => t.then(() => run.foldDone(model, k, folds.length), () => undefined));
  const used = new Set<number>();
  try {
    for (let k = 0; k < folds.length; k++) {
      const fold = folds[k];
      const net = await trainings[k];
      // A cancel as this fold finished: the net is not used, and the catch below disposes it.
      checkAborted(run.options.signal);
      used.add(k);
      const testX = crossFit ? gather(X.score, fitWidth, fold.test) : X.score;
      const rows = crossFit ? fold.test : Int32Array.from({ length: nScore }, (_, i) => i);
      // The first fold's net is kept for explanations and the bundle (the caller disposes it); the others are done here.
      if (k === 0) run.nets[model] = net;
      try {
        if (raw) {
          const pred = clip(net.predict(testX), k);
          rows.forEach((i, r) => (raw[i] = pred[r]));
        } else {
          const validationRaw = clip(net.predict(gather(X.fit, fitWidth, fold.validation)), k);
          const validationY = Float64Array.from(fold.validation, (i) => run.y[i]);
          const calibration = calibrateOn(validationRaw, validationY, Int32Array.from({ length: fold.validation.length }, (_, r) => r));
          net.predictor.calibration = calibration;
          calibrations.push(calibration);
          const pred = clip(net.predict(testX), k);
          rows.forEach((i, r) => (predictions[i] = pred[r]));
        }
        net.predictor.spendCeiling = clip([Number.POSITIVE_INFINITY], k)[0];
        if (churnScores) {
          const p = net.predictor.returnProbability(testX);
          rows.forEach((i, r) => (churnScores[i] = 1 - p[r]));
        }
        // A ZILN head predicts a distribution: its 5% and 95% quantiles bound each customer's spend.
        hasIntervals &&= net.predictor.kind === 'ziln';
        if (hasIntervals) {
          const bounds = zilnIntervals(zilnDistribution(net.predictor, testX));
          rows.forEach((i, r) => {
            intervals.lower[i] = bounds.lower[r];
            intervals.upper[i] = bounds.upper[r];
          });
        }
      } finally {
        if (k > 0) net.predictor.dispose();
      }
    }
  } catch (error) {
    // Nets that finished but were never used would leak: dispose them once all have settled.
    const settled = await Promise.allSettled(trainings);
    settled.forEach((s, k) => s.status === 'fulfilled' && !used.has(k) && s.value.predictor.dispose());
    throw error;
  }
  if (raw) {
    const crossFitted = crossFitCalibration(raw, run.y, folds, clip);
    predictions.set(crossFitted.predictions);
    calibrations.push(...crossFitted.calibrations);
    // The kept net scores new customers with the map fitted on every out-of-fold prediction.
    const kept = run.nets[model];
    if (kept) kept.predictor.calibration = crossFitted.kept;
  }
  run.predictions[model] = predictions;
  if (churnScores) run.churnScores[model] = churnScores;
  if (hasIntervals) run.spendIntervals[model] = intervals;
  run.netCalibration[model] = calibrations;
  run.complete(model);
}

/** Runs steps side by side; rejects with the first failure once all of them have settled. */
async function settleAll(steps: Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}

export async function trainNets(run: EvaluationRun, fits: ProbabilisticFits): Promise<NetInputs> {
  const { fit, score, folds } = run.protocol;
  const { models, y, d } = run;
  const ceilings = folds.map((f) => spendCeiling(y, f.train));
  const clip: NetInputs['clip'] = (values, k = 0) => Float64Array.from(values as ArrayLike<number>, (v) => Math.min(Math.max(v, 0), ceilings[k]));
  const crossFit = run.protocol.split.kind === 'cross_fit';
  const wanted = (m: ModelName) => models.includes(m) || (crossFit && models.includes('ensemble') && ENSEMBLE_NETS.includes(m));
  const steps: Promise<void>[] = [];
  if (wanted('fnn-seed')) steps.push(crossFitNet(run, 'fnn-seed', { fit: fit.X, score: score.X }, clip, { kind: 'fnn', recipe: 'seed', X: fit.X }, false));
  if (wanted('fnn')) steps.push(crossFitNet(run, 'fnn', { fit: fit.X, score: score.X }, clip, { kind: 'fnn', recipe: 'default', X: fit.X }, false));
  if (wanted('ziln')) steps.push(crossFitNet(run, 'ziln', { fit: fit.X, score: score.X }, clip, { kind: 'ziln', recipe: 'default', X: fit.X }, true));
  let hybrid: NetInputs['hybrid'] = null;
  if ((models.includes('hybrid') || models.includes('ensemble')) && fits.btyd && fits.fitWindowBtyd) {
    const scoreX = hybridInputs(score.X, d, fits.btyd);
    hybrid = { scoreX, fitX: run.sameData ? scoreX : hybridInputs(fit.X, d, fits.fitWindowBtyd) };
  }
  if (wanted('hybrid') && hybrid) {
    // "Deep + econometric": the ZILN net sees BG/NBD's P(alive) and expected purchases and
    // Gamma-Gamma's spend per purchase next to the features, so it starts from what the
    // econometric model knows and learns where the data depart from its story.
    const { fitX, scoreX } = hybrid;
    steps.push(crossFitNet(run, 'hybrid', { fit: fitX, score: scoreX }, clip, { kind: 'ziln', recipe: 'default', X: fitX }, false));
  }
  // Every net's folds are asked for before any is awaited, so a pool trains them side by side.
  await settleAll(steps);
  return { hybrid, clip };
}
