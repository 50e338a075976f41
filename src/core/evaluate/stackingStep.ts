/**
 * The stacked ensemble (models/stackedEnsemble.ts fitGuardedStack).
 * - Cross-fitting (crossFitStack): every base already has an out-of-fold prediction for every
 *   customer; fold k's customers are predicted by a stack fitted (and its candidate chosen) on
 *   the other folds only.
 * - The single split and the backtest (crossFittedStack): the learned bases are cross-fitted on
 *   the fit customers to get out-of-fold predictions to stack.
 */
import { kFold } from '../eval/split';
import { Rng, deriveSeed } from '../random';
import { fitSpendPerPurchase, predictSpendPerPurchase } from '../models/spendPerPurchase';
import { fitGuardedStack, predictStackedEnsemble, type StackedEnsemble } from '../models/stackedEnsemble';
import type { NetTrainer } from '../nets/netTrainer';
import type { NetTrainingJob } from '../nets/netTrainingJob';
import type { EpochProgress } from '../nets/trainer';
import { gather } from '../rows';
import { checkAborted, type EvaluationData, type StackBases } from './evaluationTypes';
import type { EvaluationRun } from './evaluationRun';
import { LOGNORMAL_VALUE_BASE, PROBABILISTIC_MODELS, type ModelName } from './modelNames';

/**
 * The stack's BG/NBD base, whose predictions it also hands out in its blend's order
 * (models/stackedEnsemble.ts `values`): BG/NBD's expected purchases × the spend model the
 * calibration data support, settled before any target is seen. That is Gamma-Gamma (BG/NBD +
 * Gamma-Gamma), except where Gamma-Gamma is degenerate (no finite mean spend: its forecasts fall
 * back to each customer's raw mean, one-time buyers all getting the population's): there the
 * lognormal spend model (models/lognormalSpend.ts, probabilisticStep.ts) takes its place in the
 * stack, as a base and as the values.
 */
function withSpendModel<T>(columns: Record<string, T>, lognormal: T | null): { columns: Record<string, T>; values: string } {
  if (!lognormal || !columns['bgnbd-gg']) return { columns, values: 'bgnbd-gg' };
  const { 'bgnbd-gg': _replaced, ...others } = columns;
  return { columns: { ...others, [LOGNORMAL_VALUE_BASE]: lognormal }, values: LOGNORMAL_VALUE_BASE };
}

/** Bases of the stack: every probabilistic model and net that ran, and the run rate. */
const STACK_BASES: readonly ModelName[] = [...(Object.keys(PROBABILISTIC_MODELS) as ModelName[]), 'naive', 'fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn'];

/** `lognormal`: BG/NBD × lognormal spend on the scored customers, where Gamma-Gamma is degenerate (see withSpendModel). */
export function crossFitStack(run: EvaluationRun, lognormal: Float64Array | null): { ensemble: StackedEnsemble; foldEnsembles: StackedEnsemble[]; predictions: Float64Array } {
  const n = run.protocol.score.customerIds.length;
  const bases: Record<string, Float64Array> = {};
  for (const m of STACK_BASES) if (run.predictions[m]) bases[m] = run.predictions[m]!;
  const { columns, values } = withSpendModel(bases, lognormal);
  const folds = run.protocol.folds.map((f) => f.test);
  const predictions = new Float64Array(n);
  const foldEnsembles = folds.map((held, k) => {
    checkAborted(run.options.signal);
    const inner = folds.filter((_, j) => j !== k);
    const rows = Int32Array.from(inner.flatMap((f) => Array.from(f))).sort();
    const ensemble = fitGuardedStack(columns, run.y, rows, inner, values);
    // Fold k's customers are scored together, by fold k's stack, as a file's customers are by a bundle.
    const heldColumns = Object.fromEntries(Object.entries(columns).map(([m, c]) => [m, Float64Array.from(held, (i) => c[i])]));
    const pred = predictStackedEnsemble(ensemble, heldColumns, held.length);
    held.forEach((i, r) => (predictions[i] = pred[r]));
    return ensemble;
  });
  const everyone = Int32Array.from({ length: n }, (_, i) => i);
  return { ensemble: fitGuardedStack(columns, run.y, everyone, folds, values), foldEnsembles, predictions };
}

/** Folds of the cross-fitted stack: enough for out-of-fold predictions, few enough to stay quick. */
export const STACK_FOLDS = 3;
/** Share of the training folds each base net keeps aside for early stopping. */
const EARLY_STOPPING_SHARE = 0.125;

export interface StackInputs {
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
  /** BG/NBD × lognormal spend on fit and scored customers, where Gamma-Gamma is degenerate (see withSpendModel). */
  lognormal: [Float64Array, Float64Array] | null;
  /** Features plus BTYD outputs: BG/NBD's order-value base, and the hybrid net's inputs. */
  hybrid: { fitX: Float32Array; scoreX: Float32Array } | null;
  /** The hybrid net is a base too (it was asked for; modelNames.ts ENSEMBLE_NETS). */
  stackHybridNet: boolean;
  /** BG/NBD's expected horizon purchases on fit and scored customers. */
  purchases: { fit: Float64Array; score: Float64Array } | null;
  /** Trains the base nets (a pool trains them side by side; see nets/netTrainer.ts). */
  trainer: NetTrainer;
  /** Epoch progress of training j of n (every base net's every fold), and its end. */
  progress?: { epoch(j: number, n: number): (p: EpochProgress) => void; trained(j: number, n: number): void };
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
export async function crossFittedStack(s: StackInputs): Promise<{ ensemble: StackedEnsemble; predictions: Float64Array; kept: Omit<StackBases, 'ceiling'> }> {
  const nFit = s.fit.customerIds.length;
  const nScore = s.score.customerIds.length;
  const fitColumns: Record<string, Float64Array> = {};
  const scoreColumns: Record<string, Float64Array> = {};
  // The models that score the scored customers, kept for the ensemble's bundle (modelBundle.ts).
  const kept: Omit<StackBases, 'ceiling'> = { nets: {}, orderValue: null };
  const { columns: fixed, values } = withSpendModel(s.fixed, s.lognormal);
  for (const [name, [fitValues, scoreValues]] of Object.entries(fixed)) {
    if (fitValues && scoreValues) {
      fitColumns[name] = fitValues;
      scoreColumns[name] = scoreValues;
    }
  }
  const folds = kFold(s.rows.length, STACK_FOLDS, deriveSeed(s.seed, 'ensemble', 'folds')).folds.map((f) => ({
    held: Int32Array.from(f.test, (j) => s.rows[j]).sort(),
    others: Int32Array.from(f.train, (j) => s.rows[j]).sort(),
  }));
  // The hybrid net (asked for, and BG/NBD's outputs available) sees them next to the features.
  const netBases = [{ name: 'ziln', fitX: s.fit.X, scoreX: s.score.X }, ...(s.hybrid && s.stackHybridNet ? [{ name: 'hybrid', fitX: s.hybrid.fitX, scoreX: s.hybrid.scoreX }] : [])];
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
      kept.orderValue = model;
    }
  }
  // Every base's every fold is asked for at once (a pool trains them side by side), used in order.
  const jobs = netBases.flatMap((base) =>
    folds.map(({ others }, k) => {
      // Early stopping watches a slice of the training folds, never the held fold: its predictions
      // must not have been chosen by its own targets.
      const seed = deriveSeed(s.seed, 'ensemble', base.name, k);
      const order = new Rng(deriveSeed(seed, 'early-stopping')).permutation(others.length);
      const stopRows = Math.max(1, Math.round(others.length * EARLY_STOPPING_SHARE));
      const job: NetTrainingJob = {
        kind: 'ziln',
        recipe: 'default',
        X: base.fitX,
        y: s.y,
        train: Int32Array.from(order.subarray(stopRows), (j) => others[j]).sort(),
        validation: Int32Array.from(order.subarray(0, stopRows), (j) => others[j]).sort(),
        seed,
        maxEpochs: s.maxEpochs,
      };
      return job;
    }),
  );
  checkAborted(s.signal);
  const trainings = jobs.map((job, j) => s.trainer.train(job, { signal: s.signal, onProgress: s.progress?.epoch(j, jobs.length) }));
  // A failure is handled below, once every training has settled; no rejection goes unobserved.
  trainings.forEach((t, j) => t.then(() => s.progress?.trained(j, jobs.length), () => undefined));
  const used = new Set<number>();
  // A cancel (checked inside training and between folds) or any failure leaves no kept net behind.
  try {
    netBases.forEach((base) => (kept.nets[base.name] = []));
    for (const [b, base] of netBases.entries()) {
      const width = base.fitX.length / nFit;
      const oof = new Float64Array(nFit);
      const mean = new Float64Array(nScore);
      for (let k = 0; k < STACK_FOLDS; k++) {
        const j = b * STACK_FOLDS + k;
        const net = await trainings[j];
        used.add(j);
        kept.nets[base.name].push(net);
        checkAborted(s.signal);
        const { held } = folds[k];
        const heldPred = s.clip(net.predict(gather(base.fitX, width, held)));
        held.forEach((i, r) => (oof[i] = heldPred[r]));
        const scorePred = s.clip(net.predict(base.scoreX));
        for (let i = 0; i < nScore; i++) mean[i] += scorePred[i] / STACK_FOLDS;
      }
      fitColumns[base.name] = oof;
      scoreColumns[base.name] = mean;
    }
  } catch (error) {
    for (const net of Object.values(kept.nets).flat()) net.predictor.dispose();
    // Nets that finished but were never used would leak: dispose them once all have settled.
    const settled = await Promise.allSettled(trainings);
    settled.forEach((r, j) => r.status === 'fulfilled' && !used.has(j) && r.value.predictor.dispose());
    throw error;
  }
  const ensemble = fitGuardedStack(fitColumns, s.y, s.rows, folds.map((f) => f.held), values);
  return { ensemble, predictions: predictStackedEnsemble(ensemble, scoreColumns, nScore), kept };
}

