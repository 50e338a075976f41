/**
 * The state one evaluation run shares between its steps (probabilistic fits, baselines, nets,
 * sequences, stacking, metrics, importance): the protocol, the predictions so far, progress.
 */
import { inProcessTrainer, type NetTrainer } from '../nets/netTrainer';
import type { TrainedNet } from '../nets/trainFnn';
import type { SpendInterval } from '../nets/zilnIntervals';
import type { EvaluationOptions, EvaluationProgress, KeptSequenceNet, Protocol, SequenceNetName } from './evaluationTypes';
import type { ModelName } from './modelNames';

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
   * Steps done and to do; `training`: each net in training, the share of its epochs each fold has
   * run (folds train side by side in a pool, so the fraction counts all of them, and never goes back).
   */
  progress: { done: number; steps: number; training: Map<ModelName, number[]> };
  report(model: ModelName, stage: string, extra?: Partial<EvaluationProgress>): void;
  /** Epoch progress of a net (of fold k of K), as the run reports it. */
  epochProgress(model: ModelName, k?: number, folds?: number): (p: { epoch: number; maxEpochs: number; loss: number; valLoss: number; samplesPerSec: number; etaMs: number }) => void;
}

export function startRun(protocol: Protocol, options: EvaluationOptions): EvaluationRun {
  const models = [...new Set(options.models)];
  const progress: EvaluationRun['progress'] = { done: 0, steps: models.length + 1, training: new Map() };
  const fraction = () => {
    let partial = 0;
    for (const folds of progress.training.values()) partial += folds.reduce((a, b) => a + b, 0) / folds.length;
    return Math.min(1, (progress.done + partial) / progress.steps);
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
    epochProgress: (model, k = 0, folds = 1) => (p) => {
      const shares = progress.training.get(model) ?? new Array<number>(folds).fill(0);
      progress.training.set(model, shares);
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
