/** What the evaluation takes and gives back, shared by its steps (see evaluateModels.ts). */
import type { NetTrainer } from '../nets/netTrainer';
import type { FeatureImportance } from '../eval/permutationImportance';
import type { ModelEvaluation } from '../eval/compareModels';
import type { SplitDescriptor, SplitSizes } from '../eval/split';
import type { BtydColumns, BtydFit, BtydForecast } from '../models/btydForecast';
import type { StackedEnsemble } from '../models/stackedEnsemble';
import type { LognormalSpendFit } from '../models/lognormalSpend';
import type { SpendPerPurchaseModel } from '../models/spendPerPurchase';
import type { TrainedNet } from '../nets/trainFnn';
import type { SequenceBatch } from '../nets/sequenceArchitecture';
import type { TrainedSequenceModel } from '../nets/trainSequenceModel';
import type { CustomerIntervals, TransactionForecast } from '../models/transactionForecast';
import type { SpendInterval } from '../nets/zilnIntervals';
import type { ModelName, ProbabilisticModelName } from './modelNames';
import { ClvError } from '../errors';

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
  /** Cross-fitting: the fold being trained (1 … folds). */
  fold?: number;
  folds?: number;
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
  /** 'cross-fit' (default): K-fold cross-fitting over customers; 'split': one seeded 70/30 split. */
  protocol?: 'cross-fit' | 'split';
  /** Folds of the cross-fitting (default 5). */
  folds?: number;
  /** Bootstrap resamples of the metrics' intervals (default 200; 0 turns them off). */
  bootstrapResamples?: number;
  /** Who trains the feed-forward nets (e.g. a pool of worker threads, one fold each); default this thread, one at a time. */
  netTrainer?: NetTrainer;
}

export interface EvaluationResult {
  split: SplitDescriptor | CrossFitDescriptor;
  testIndices: Int32Array;
  metrics: ModelEvaluation[];
  predictions: Partial<Record<ModelName, Float64Array>>;
  churnScores: Partial<Record<ModelName, Float64Array>>;
  btyd: BtydForecast | null;
  /** Pareto/NBD and MBG/NBD (each with Gamma-Gamma) on the scored customers, when asked for. */
  transactionModels: Partial<Record<'pnbd-gg' | 'mbgnbd-gg', TransactionForecast>>;
  /** Per-customer 90% intervals of the probabilistic models (parametric bootstrap), scored customers. */
  intervals: Partial<Record<ProbabilisticModelName, CustomerIntervals>>;
  /**
   * 90% predictive interval of each customer's horizon spend, per model that has one: the
   * probabilistic models' (`intervals[m].actualSpend`) and the ZILN-headed nets' (their
   * distribution's 5% and 95% quantiles), scored customers.
   */
  spendIntervals: Partial<Record<ModelName, SpendInterval>>;
  /** Share of test customers whose actual holdout spend lies in the model's 90% predictive interval. */
  intervalCoverage: Partial<Record<ModelName, number>>;
  ensemble: StackedEnsemble | null;
  /** The lognormal spend model whose values the ensemble hands out, fitted on the scored customers' calibration data (only where Gamma-Gamma was degenerate). */
  lognormalSpend?: LognormalSpendFit | null;
  /**
   * Single split, backtest and forecast: the models the stack scored its customers with
   * (stackingStep.ts crossFittedStack: each stacked net's fold models, their clip ceiling, the learned
   * spend per purchase), kept for the ensemble's bundle; the caller disposes the nets. Null under
   * cross-fitting, whose stack is kept over the first-fold nets of `nets`.
   */
  stackBases: StackBases | null;
  /** Cross-fitting: the stack each fold's customers were predicted by (fitted on the other folds). */
  foldEnsembles: StackedEnsemble[];
  /** Per net: the recalibration c·(1+ŷ)^b of each fold (cross-fitting: fitted on the other folds' out-of-fold predictions; one split: on the validation customers). */
  netCalibration: Partial<Record<ModelName, Array<{ scale: number; power: number }>>>;
  importance: Partial<Record<ModelName, FeatureImportance[]>>;
  /** The trained nets, for explanations and bundles; the caller disposes them. */
  nets: Partial<Record<ModelName, TrainedNet>>;
  /** The sequence nets (LSTM, CNN) as kept for bundles: each first-fold model; the caller disposes them. */
  sequenceNets?: Partial<Record<SequenceNetName, KeptSequenceNet>>;
  hybridFeatureNames: string[];
  warnings: string[];
}

export type SequenceNetName = 'lstm' | 'cnn';

/**
 * A sequence net as it scored the evaluation's customers (the first fold's model under
 * cross-fitting): the model, its recalibration (one split: fitted on the validation customers;
 * cross-fitting: on every out-of-fold prediction, as the feed-forward nets), the spend
 * ceiling, and the static features it reads (in its column order).
 */
export interface KeptSequenceNet {
  model: TrainedSequenceModel;
  calibration: { scale: number; power: number };
  spendCeiling: number;
  staticFeatures: string[];
}

/** The fold models a cross-fitted stack scored new customers with (see EvaluationResult.stackBases). */
export interface StackBases {
  /** Per stacked net, its fold models; a customer's base prediction is their mean, each clipped to [0, ceiling]. */
  nets: Record<string, TrainedNet[]>;
  ceiling: number;
  /** The learned spend per purchase of the 'btyd-order-value' base, when the stack has it. */
  orderValue: SpendPerPurchaseModel | null;
}

/** Which customers the learned models train on and which customers every model is scored on. */
export interface Protocol {
  /** Customers the learned models train on (features and targets). */
  fit: EvaluationData;
  /** Customers every model is scored on; the same object as `fit` for the temporal holdout. */
  score: EvaluationData;
  train: Int32Array;
  validation: Int32Array;
  /** Rows of `score` used for the metrics. */
  test: Int32Array;
  split: SplitDescriptor | CrossFitDescriptor;
  /**
   * How the learned models are trained and who each one predicts: one entry per model fitted.
   * Cross-fitting has K (each predicts the customers of its own fold); the single split and the
   * backtest have one, predicting every scored customer.
   */
  folds: FoldRows[];
  /** The forecast: the scored customers have no horizon yet, so nothing is scored or explained. */
  unscored?: boolean;
}

export interface FoldRows {
  /** Rows of `fit` the nets train on. */
  train: Int32Array;
  /** Rows of `fit` for early stopping and the nets' recalibration. */
  validation: Int32Array;
  /** Rows of `score` this fold's models predict. */
  test: Int32Array;
}

export interface CrossFitDescriptor {
  kind: 'cross_fit';
  n: number;
  k: number;
  seed: number;
  strata: string;
  foldSizes: number[];
  /** Share of each fold's training customers kept aside for early stopping and recalibration. */
  validationFraction: number;
  /** Mean customers per fold model: trained on, validated on; test = every customer (each scored once). */
  sizes: SplitSizes;
}

export function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ClvError('BAD_ARGUMENT', 'Training was cancelled.');
}

/** Frees every net a result holds: the reported models' and the stack's fold models. */
export function disposeNets(result: Pick<EvaluationResult, 'nets' | 'stackBases' | 'sequenceNets'>): void {
  for (const net of Object.values(result.nets)) net?.predictor.dispose();
  for (const kept of Object.values(result.sequenceNets ?? {})) kept?.model.dispose();
  for (const net of Object.values(result.stackBases?.nets ?? {}).flat()) net.predictor.dispose();
}
