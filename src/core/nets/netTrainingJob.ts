/**
 * One net training as plain data, so it can run on another thread (a Web Worker, a Node worker
 * thread; see netTrainer.ts) and come back as weights: the job (inputs, targets, rows, seed, recipe)
 * goes in, the trained net's state (weights in FnnNet.stateWeights order, preprocessing, history)
 * comes out, and restoreTrainedNet rebuilds a TrainedNet from it on the caller's side.
 *
 * A net trained from a job is the net trainNet would have trained in place: the same seed, rows
 * and recipe give the same weights on the same backend (test/unit/netTrainingPool.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { FnnConfig } from './fnn';
import type { ScalerStats, TargetTransform } from './scaler';
import { NetPredictor, netOutputs, recipeConfig, trainNet, type ModelKind, type Recipe, type TrainedNet } from './trainFnn';
import { buildFnnModel } from './fnn';
import type { EpochProgress, TrainResult } from './trainer';

export interface NetTrainingJob {
  kind: ModelKind;
  recipe: Recipe;
  /** Raw features, row-major n × d. */
  X: Float32Array;
  /** Targets (horizon spend), one per row. */
  y: Float32Array;
  train: Int32Array;
  validation: Int32Array;
  seed: number;
  maxEpochs?: number;
}

export interface TrainedNetState extends Pick<TrainResult, 'history' | 'bestEpoch' | 'stopReason'> {
  kind: ModelKind;
  inputDim: number;
  config: FnnConfig;
  /** The seed the net was built with (its initialisers, saved in its topology, name it). */
  seed: number;
  scaler: ScalerStats;
  targetTransform: TargetTransform;
  /** Every state weight (FnnNet.stateWeights order), flat. */
  weights: Float32Array[];
}

export interface JobControl {
  signal?: AbortSignal;
  onProgress?: (progress: EpochProgress) => void;
}

/** Trains the job's net on this thread and returns it. */
export function trainJob(job: NetTrainingJob, control: JobControl = {}): Promise<TrainedNet> {
  return trainNet(job.kind, job.X, job.y, {
    config: job.recipe,
    seed: job.seed,
    maxEpochs: job.maxEpochs,
    split: { train: job.train, validation: job.validation },
    signal: control.signal,
    onProgress: control.onProgress,
  });
}

/** Trains the job's net on this thread and hands back its state; the net itself is disposed. */
export async function trainJobState(job: NetTrainingJob, control: JobControl = {}): Promise<TrainedNetState> {
  const net = await trainJob(job, control);
  try {
    const { predictor } = net;
    return {
      kind: predictor.kind,
      inputDim: predictor.featureCount,
      config: recipeConfig(job.kind, job.recipe),
      seed: job.seed,
      scaler: predictor.scaler,
      targetTransform: predictor.targetTransform,
      // Copies: dataSync may hand out the backend's own storage, which must not be transferred away.
      weights: predictor.net.stateWeights.map((w) => Float32Array.from(w.dataSync())),
      history: net.history,
      bestEpoch: net.bestEpoch,
      stopReason: net.stopReason,
    };
  } finally {
    net.predictor.dispose();
  }
}

/** The buffers of a state, to transfer rather than copy between threads. */
export function stateBuffers(state: TrainedNetState): ArrayBuffer[] {
  return state.weights.map((w) => w.buffer as ArrayBuffer);
}

/** Rebuilds the trained net of a state on this thread's backend. */
export function restoreTrainedNet(state: TrainedNetState): TrainedNet {
  // The initial weights are overwritten below; the seed keeps the topology as trained.
  const model = buildFnnModel(state.inputDim, state.config, netOutputs(state.kind), state.seed);
  const predictor = new NetPredictor(state.kind, model, state.scaler, state.targetTransform);
  const weights = predictor.net.stateWeights;
  if (weights.length !== state.weights.length || weights.some((w, i) => w.size !== state.weights[i].length)) {
    predictor.dispose();
    throw new Error('a trained net came back with weights of another shape');
  }
  tf.tidy(() => weights.forEach((w, i) => w.assign(tf.tensor(state.weights[i], w.shape))));
  return {
    predictor,
    predict: (X) => predictor.predict(X),
    history: state.history,
    bestEpoch: state.bestEpoch,
    stopReason: state.stopReason,
  };
}
