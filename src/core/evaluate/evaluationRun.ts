/**
 * The state one evaluation run shares between its steps (probabilistic fits, baselines, nets,
 * sequences, stacking, metrics, importance): the protocol, the predictions so far, progress.
 */
import { inProcessTrainer, type NetTrainer } from '../nets/netTrainer';
import type { TrainedNet } from '../nets/trainFnn';
import type { SpendInterval } from '../nets/zilnIntervals';
import type { EvaluationOptions, EvaluationProgress, KeptSequenceNet, Protocol, SequenceNetName } from './evaluationTypes';
import { ENSEMBLE_NETS, type ModelName } from './modelNames';

export interface EvaluationRun {
  protocol: Protocol;
  options: EvaluationOptions;
  /** The models asked for, each once. */
  models: ModelName[];
  /** Whether the learned models train on the scored customers themselves (not a past window). */
  sameData: boolean;
  /** Feature count. */
  d: number;
  /** Targets of the fit customers (horizon spend). */
  y: Float32Array;
  warnings: string[];
  /** Predictions on the scored customers. */
  predictions: Partial<Record<ModelName, Float64Array>>;
  /** Predictions on the fit customers of the models that never saw the targets (ensemble bases). */
  fitPredictions: Partial<Record<ModelName, Float64Array>>;
  churnScores: Partial<Record<ModelName, Float64Array>>;
  nets: Partial<Record<ModelName, TrainedNet>>;
  /** The sequence nets kept for bundles (see sequenceStep.ts). */
  sequenceNets: Partial<Record<SequenceNetName, KeptSequenceNet>>;
  /** Per net, the recalibration of each fold (see netStep.ts). */
  netCalibration: Partial<Record<ModelName, Array<{ scale: number; power: number }>>>;
  /** 90% intervals of the ZILN-headed nets' spend, from their predictive distribution (see netStep.ts). */
  spendIntervals: Partial<Record<ModelName, SpendInterval>>;
  /** Trains the feed-forward nets: options.netTrainer, else this thread, one after another. */
  trainer: NetTrainer;
  /**
   * Work done and to do, in units of one quick step (see stepWeight); `training`: each net in
   * training, the share of its epochs each fold has run, 1 once the fold is trained (folds train side
   * by side in a pool, so the fraction counts all of them, and never goes back).
   */
  progress: { done: number; steps: number; training: Map<ModelName, number[]> };
  /** A step is over: the probabilistic fits and baselines ('fits'), or a model's training or stacking. */
  complete(step: ModelName | 'fits'): void;
  /** Fold k of K of a net is trained (early stopping may end it long before its last epoch). */
  foldDone(model: ModelName, k: number, folds: number): void;
  report(model: ModelName, stage: string, extra?: Partial<EvaluationProgress>): void;
  /** Epoch progress of a net (of fold k of K), as the run reports it. */
  epochProgress(model: ModelName, k?: number, folds?: number): (p: { epoch: number; maxEpochs: number; loss: number; valLoss: number; samplesPerSec: number; etaMs: number }) => void;
}

/**
 * A net's training, all its folds, against one quick step (the probabilistic fits, stacking
 * out-of-fold predictions, the scores and explanations) in the progress fraction. Measured on
 * CDNOW_master's default run: the fits take ~2 s, stacking ~5 s, scoring and explaining ~8 s, each
 * net's five folds ~50 s on two workers in Node, ~80 s in Chromium; with equal steps the bar stood at 14–43% for the whole
 * training, and the time left read "almost done" for two minutes.
 */
const TRAINING_WEIGHT = 30;
const TRAINED: ReadonlySet<ModelName> = new Set(['fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn']);

/** The share of the progress bar of a step: a trained net, the split protocol's stack (it trains its own nets), or a quick step. */
function stepWeight(step: ModelName | 'fits' | 'scores', protocol: Pick<Protocol, 'folds'>): number {
  if (step === 'ensemble') return protocol.folds.length > 1 ? 1 : TRAINING_WEIGHT;
  return step !== 'fits' && step !== 'scores' && TRAINED.has(step) ? TRAINING_WEIGHT : 1;
}

export function startRun(protocol: Protocol, options: EvaluationOptions): EvaluationRun {
  const models = [...new Set(options.models)];
  const weight = (step: ModelName | 'fits' | 'scores') => stepWeight(step, protocol);
  // The fits, every net trained (those the cross-fitted stack needs too) and the stack, then the scores and explanations.
  const planned = new Set(models.filter((m) => m === 'ensemble' || TRAINED.has(m)));
  if (planned.has('ensemble') && protocol.folds.length > 1) ENSEMBLE_NETS.forEach((m) => planned.add(m));
  const steps = weight('fits') + [...planned].reduce((sum, m) => sum + weight(m), 0) + weight('scores');
  const progress: EvaluationRun['progress'] = { done: 0, steps, training: new Map() };
  const fraction = () => {
    let partial = 0;
    for (const [model, folds] of progress.training) partial += (weight(model) * folds.reduce((a, b) => a + b, 0)) / folds.length;
    return Math.min(1, (progress.done + partial) / progress.steps);
  };
  const sharesOf = (model: ModelName, folds: number) => {
    const shares = progress.training.get(model) ?? new Array<number>(folds).fill(0);
    progress.training.set(model, shares);
    return shares;
  };
  const report: EvaluationRun['report'] = (model, stage, extra = {}) =>
    options.onProgress?.({ model, stage, epoch: 0, epochs: 0, loss: null, valLoss: null, samplesPerSec: null, etaMs: null, fraction: fraction(), ...extra });
  return {
    protocol,
    options,
    models,
    sameData: protocol.fit === protocol.score,
    d: protocol.score.featureNames.length,
    y: Float32Array.from(protocol.fit.holdoutSpend),
    warnings: [],
    predictions: {},
    fitPredictions: {},
    churnScores: {},
    nets: {},
    sequenceNets: {},
    netCalibration: {},
    spendIntervals: {},
    trainer: options.netTrainer ?? inProcessTrainer(),
    progress,
    report,
    complete: (step) => {
      if (step !== 'fits') progress.training.delete(step);
      progress.done = Math.min(progress.steps, progress.done + (step === 'fits' || planned.has(step) ? weight(step) : 0));
    },
    foldDone: (model, k, folds) => {
      sharesOf(model, folds)[k] = 1;
    },
    epochProgress: (model, k = 0, folds = 1) => (p) => {
      const shares = sharesOf(model, folds);
      shares[k] = Math.max(shares[k], p.epoch / p.maxEpochs);
      report(model, folds > 1 ? `training fold ${k + 1}/${folds}` : 'training', {
        ...(folds > 1 && { fold: k + 1, folds }),
        epoch: p.epoch,
        epochs: p.maxEpochs,
        loss: p.loss,
        valLoss: p.valLoss,
        samplesPerSec: p.samplesPerSec,
        etaMs: p.etaMs,
        fraction: fraction(),
      });
    },
  };
}
