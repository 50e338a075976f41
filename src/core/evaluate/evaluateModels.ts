/**
 * The evaluation protocol, one file per step: probabilistic fits (probabilisticStep.ts), baselines
 * (baselineStep.ts), nets (netStep.ts), sequence nets (sequenceStep.ts), stacking
 * (stackingStep.ts), metrics (metricsStep.ts) and importance (importanceStep.ts), sharing the run's
 * state (evaluationRun.ts).
 */
import { randomSplit, temporalHoldoutSplit } from '../eval/split';
import { outcomeStrata, stratifiedFolds } from '../eval/stratifiedFolds';
import { Rng, deriveSeed } from '../random';
import type { FeatureImportance } from '../eval/permutationImportance';
import { ClvError } from '../errors';
import type { StackedEnsemble } from '../models/stackedEnsemble';
import { unionRows } from '../rows';
import { runBaselines } from './baselineStep';
import { startRun, type EvaluationRun } from './evaluationRun';
import { checkAborted, disposeNets, type EvaluationData, type EvaluationOptions, type EvaluationResult, type Protocol, type StackBases } from './evaluationTypes';
import { checkHorizonActivity } from './horizonActivity';
import { explainModels, importanceRows } from './importanceStep';
import { scoreModels } from './metricsStep';
import { LEARNED_MODELS, MODEL_NAMES, type ModelName } from './modelNames';
import { trainNets } from './netStep';
import { fitProbabilisticModels } from './probabilisticStep';
import { trainSequenceNets } from './sequenceStep';
import { crossFitStack, crossFittedStack } from './stackingStep';

export type { EvaluationData, EvaluationOptions, EvaluationProgress, EvaluationResult } from './evaluationTypes';
import { HYBRID_EXTRA_FEATURES } from './hybridInputs';
export { HYBRID_EXTRA_FEATURES };
export { STACK_FOLDS } from './stackingStep';

function checkData(data: EvaluationData): void {
  const n = data.customerIds.length;
  if (data.X.length !== n * data.featureNames.length) throw new RangeError('X does not match customers × features');
  if (n < 20) throw new ClvError('TOO_FEW_CUSTOMERS', `Only ${n} customer${n === 1 ? '' : 's'}: evaluation needs at least 20 (ideally thousands) to split into training and test sets.`);
  checkHorizonActivity(data.holdoutOrders, data);
}

/** Folds of the default cross-fitting. */
export const DEFAULT_FOLDS = 5;
/** Share of each fold model's training customers kept for early stopping and recalibration. */
const FOLD_VALIDATION_FRACTION = 0.1;

/**
 * K-fold cross-fitting over customers, stratified by the outcome (eval/stratifiedFolds.ts): fold
 * k's models learn from the other folds (a seeded 10% of them kept for early stopping and the
 * nets' recalibration) and predict fold k. Every customer is scored, once, by models that never
 * saw them.
 */
function crossFitProtocol(data: EvaluationData, k: number, seed: number): Protocol {
  const n = data.customerIds.length;
  const strata = stratifiedFolds(outcomeStrata(data.holdoutSpend, data.holdoutOrders), k, seed);
  const folds = strata.folds.map((test, f) => {
    const others = Int32Array.from({ length: n - test.length });
    let w = 0;
    for (let i = 0; i < n; i++) if (strata.foldOf[i] !== f) others[w++] = i;
    const order = new Rng(deriveSeed(seed, 'fold-validation', f)).permutation(others.length);
    const nVal = Math.max(1, Math.round(others.length * FOLD_VALIDATION_FRACTION));
    return {
      train: Int32Array.from(order.subarray(nVal), (j) => others[j]).sort(),
      validation: Int32Array.from(order.subarray(0, nVal), (j) => others[j]).sort(),
      test,
    };
  });
  const mean = (f: (x: (typeof folds)[number]) => number) => Math.round(folds.reduce((s, x) => s + f(x), 0) / k);
  const everyone = Int32Array.from({ length: n }, (_, i) => i);
  return {
    fit: data,
    score: data,
    train: folds[0].train,
    validation: folds[0].validation,
    test: everyone,
    folds,
    split: {
      kind: 'cross_fit',
      n,
      k,
      seed,
      strata: strata.descriptor.strata,
      foldSizes: strata.descriptor.foldSizes,
      validationFraction: FOLD_VALIDATION_FRACTION,
      sizes: { train: mean((x) => x.train.length), validation: mean((x) => x.validation.length), test: n },
    },
  };
}

/**
 * The default protocol is cross-fitting (crossFitProtocol); options.protocol 'split' keeps the
 * single split: features come from calibration only, targets from the horizon;
 * learned models train on a seeded 70% of customers (validation carved from it), and every model
 * — BG/NBD + Gamma-Gamma too, fitted on calibration data alone — is scored on the same 30%.
 */
export async function evaluateModels(data: EvaluationData, options: EvaluationOptions): Promise<EvaluationResult> {
  checkData(data);
  if (options.protocol === 'split') {
    const split = temporalHoldoutSplit(data.customerIds.length, { seed: options.seed, testFraction: 0.3, validationFraction: 0.1 });
    const everyone = Int32Array.from({ length: data.customerIds.length }, (_, i) => i);
    return runProtocol({ fit: data, score: data, train: split.train, validation: split.validation, test: split.test, split: split.descriptor, folds: [{ train: split.train, validation: split.validation, test: everyone }] }, options);
  }
  return runProtocol(crossFitProtocol(data, options.folds ?? DEFAULT_FOLDS, options.seed), options);
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
  return runProtocol({ fit: past, score: present, train: split.train, validation: split.validation, test: everyone, split: split.descriptor, folds: [{ train: split.train, validation: split.validation, test: everyone }] }, options);
}

/**
 * The forecast: learned models train as in the strict backtest (past window: features at the last
 * day − horizon, targets up to the last day) and predict every customer of `present`, whose
 * horizon lies after the file's end. Nothing is scored or explained (there is nothing to compare
 * with yet); `present`'s holdout columns are not read.
 */
export async function forecastModels(past: EvaluationData, present: EvaluationData, options: EvaluationOptions): Promise<EvaluationResult> {
  checkData(past);
  const split = randomSplit(past.customerIds.length, [0.9, 0.1, 0], options.seed);
  const everyone = Int32Array.from({ length: present.customerIds.length }, (_, i) => i);
  return runProtocol({ fit: past, score: present, train: split.train, validation: split.validation, test: everyone, split: split.descriptor, folds: [{ train: split.train, validation: split.validation, test: everyone }], unscored: true }, options);
}

async function runProtocol(protocol: Protocol, options: EvaluationOptions): Promise<EvaluationResult> {
  if (protocol.fit.featureNames.join() !== protocol.score.featureNames.join()) throw new Error('past and present windows must have the same features');
  const run = startRun(protocol, options);
  const held: { stackBases: StackBases | null } = { stackBases: null };
  try {
    return await runSteps(protocol, options, run, held);
  } catch (error) {
    // A cancel (or any failure) leaves none of the nets trained so far behind.
    disposeNets({ nets: run.nets, sequenceNets: run.sequenceNets, stackBases: held.stackBases });
    throw error;
  }
}

/**
 * A per-model record in MODEL_NAMES order: nets training side by side finish in any order, and the
 * order they were written in must not reach predictions.csv's columns or params.json.
 */
function inModelOrder<T>(byModel: Partial<Record<ModelName, T>>): Partial<Record<ModelName, T>> {
  return Object.fromEntries(MODEL_NAMES.filter((m) => byModel[m] !== undefined).map((m) => [m, byModel[m]])) as Partial<Record<ModelName, T>>;
}

async function runSteps(protocol: Protocol, options: EvaluationOptions, run: EvaluationRun, held: { stackBases: StackBases | null }): Promise<EvaluationResult> {
  const { fit, score, train, validation, test } = protocol;
  const { models, predictions, fitPredictions, warnings, nets } = run;
  const fits = fitProbabilisticModels(run);
  const runRate = runBaselines(run);
  run.complete('fits');

  const importance: Partial<Record<ModelName, FeatureImportance[]>> = {};
  const sample = importanceRows(run);
  const { hybrid, clip } = await trainNets(run, fits);
  await trainSequenceNets(run, clip, sample, importance);
  let ensemble: StackedEnsemble | null = null;
  let foldEnsembles: StackedEnsemble[] = [];
  let stackBases: StackBases | null = null;
  if (models.includes('ensemble') && protocol.split.kind === 'cross_fit') {
    checkAborted(options.signal);
    run.report('ensemble', 'stacking out-of-fold predictions');
    const stack = crossFitStack(run, fits.lognormal?.score ?? null);
    ensemble = stack.ensemble;
    foldEnsembles = stack.foldEnsembles;
    predictions.ensemble = stack.predictions;
    run.complete('ensemble');
  } else if (models.includes('ensemble')) {
    checkAborted(options.signal);
    run.report('ensemble', 'cross-fitting');
    const stack = await crossFittedStack({
      fit,
      score,
      y: run.y,
      rows: unionRows(train, validation),
      seed: options.seed,
      signal: options.signal,
      maxEpochs: options.maxEpochs,
      clip,
      fixed: {
        'bgnbd-gg': [fitPredictions['bgnbd-gg'], predictions['bgnbd-gg']],
        naive: [fitPredictions.naive, predictions.naive],
        'pnbd-gg': [fitPredictions['pnbd-gg'], predictions['pnbd-gg']],
        'mbgnbd-gg': [fitPredictions['mbgnbd-gg'], predictions['mbgnbd-gg']],
      },
      hybrid,
      stackHybridNet: models.includes('hybrid'),
      purchases: fits.btyd && fits.fitWindowBtyd ? { fit: fits.fitWindowBtyd.expectedPurchases, score: fits.btyd.expectedPurchases } : null,
      lognormal: fits.lognormal && [fits.lognormal.fitWindow, fits.lognormal.score],
      trainer: run.trainer,
      progress: { epoch: (j, n) => run.epochProgress('ensemble', j, n), trained: (j, n) => run.foldDone('ensemble', j, n) },
    });
    ensemble = stack.ensemble;
    predictions.ensemble = stack.predictions;
    stackBases = { ...stack.kept, ceiling: clip([Number.POSITIVE_INFINITY])[0] };
    held.stackBases = stackBases;
    run.complete('ensemble');
  }
  for (const m of models) {
    if (!predictions[m] && m !== 'lstm' && m !== 'cnn') warnings.push(`${m} produced no predictions and is left out.`);
  }
  // Models computed only as inputs to others are not reported.
  for (const m of Object.keys(predictions) as ModelName[]) if (!models.includes(m)) delete predictions[m];
  const { metrics, coverage } = protocol.unscored ? { metrics: [], coverage: {} } : scoreModels(run, fits.intervals);

  if (!protocol.unscored) {
    run.report('ensemble', 'explaining');
    await explainModels(run, sample, importance, { btyd: fits.btyd, hybridScoreX: hybrid?.scoreX ?? null, runRate });
  }
  run.progress.done = run.progress.steps;
  run.report('ensemble', 'done', { fraction: 1 });
  for (const m of LEARNED_MODELS) {
    // A net the cross-fitted stack stacks is kept for the ensemble's bundle.
    if (nets[m] && !models.includes(m) && !(protocol.split.kind === 'cross_fit' && ensemble?.models.includes(m))) {
      nets[m]!.predictor.dispose();
      delete nets[m];
    }
  }
  return {
    split: protocol.split,
    testIndices: test,
    metrics,
    predictions: inModelOrder(predictions),
    churnScores: inModelOrder(run.churnScores),
    btyd: fits.btyd,
    transactionModels: fits.transactionModels,
    intervals: fits.intervals,
    spendIntervals: {
      ...Object.fromEntries(Object.entries(fits.intervals).map(([m, bounds]) => [m, bounds.actualSpend])),
      ...Object.fromEntries(Object.entries(inModelOrder(run.spendIntervals)).filter(([m]) => models.includes(m as ModelName))),
    },
    intervalCoverage: coverage,
    ensemble,
    lognormalSpend: fits.lognormal?.fit ?? null,
    stackBases,
    foldEnsembles,
    netCalibration: inModelOrder(run.netCalibration),
    importance,
    nets,
    sequenceNets: run.sequenceNets,
    hybridFeatureNames: [...score.featureNames, ...HYBRID_EXTRA_FEATURES],
    warnings,
  };
}
