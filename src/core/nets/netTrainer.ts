/**
 * Who trains the nets of an evaluation: this thread, one net after another, or a pool of worker
 * threads, several at once. Cross-fitting trains each net once per fold (ten trainings for the
 * default models' ZILN and hybrid), and the folds are independent: on a machine with several cores
 * they train side by side, each on its own thread with its own TensorFlow.js backend.
 *
 * Results do not depend on the trainer: a job's seed, rows and recipe fix its net (see
 * netTrainingJob.ts), and every caller consumes the nets in the order it asked for them.
 */
import * as Comlink from 'comlink';
import { restoreTrainedNet, trainJob, type JobControl, type NetTrainingJob, type TrainedNetState } from './netTrainingJob';
import type { TrainedNet } from './trainFnn';
import type { EpochProgress } from './trainer';

export interface NetTrainer {
  /** How many nets train at the same time. */
  readonly parallel: number;
  /** Trains the job's net; jobs asked for together may train at once. */
  train(job: NetTrainingJob, control?: JobControl): Promise<TrainedNet>;
}

/** The API a training worker exposes over Comlink (browser: workers/netTraining.worker.ts; Node: src/node/netTrainingThread.ts). */
export interface NetTrainingApi {
  train(job: NetTrainingJob, onProgress?: (progress: EpochProgress) => void): Promise<TrainedNetState>;
  /** Stops the current training (it rejects with an abort). */
  cancel(): void;
}

/** A started worker, as the pool sees it. */
export interface TrainingWorker {
  api: Comlink.Remote<NetTrainingApi>;
  /** Rejects when the worker dies (an uncaught error, out of memory) or is terminated; never resolves. */
  failed: Promise<never>;
  terminate(): void;
}

/** A worker's `failed` promise and the function that rejects it (a spawner calls it on error, exit or terminate). */
export function workerFailure(): { failed: Promise<never>; fail(error: Error): void } {
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Observed here: a worker that dies between jobs must not be an unhandled rejection.
  failed.catch(() => undefined);
  return { failed, fail: (error) => fail(error) };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Training was cancelled.', 'AbortError');
}

/** Trains on this thread, one net at a time, in the order the jobs were asked for. */
export function inProcessTrainer(): NetTrainer {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    parallel: 1,
    train(job, control = {}) {
      const training = tail.then(() => trainJob(job, control));
      tail = training.catch(() => undefined);
      return training;
    },
  };
}

export interface WorkerPoolTrainer extends NetTrainer {
  /** Stops every worker; jobs still queued or training reject. */
  dispose(): void;
}

interface QueuedJob {
  job: NetTrainingJob;
  control: JobControl;
  resolve(net: TrainedNet): void;
  reject(error: unknown): void;
}

/**
 * Up to `size` workers (started when first needed, kept for later jobs), each training one net at
 * a time; jobs wait in the order asked for. A cancelled job stops its worker's training; a dead
 * worker fails its job and is replaced by the next job that needs one.
 */
export function workerPoolTrainer(size: number, spawn: () => TrainingWorker): WorkerPoolTrainer {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`a training pool needs at least one worker, got ${size}`);
  const idle: TrainingWorker[] = [];
  const all = new Set<TrainingWorker>();
  const queue: QueuedJob[] = [];
  let disposed = false;

  const run = (worker: TrainingWorker, queued: QueuedJob) => {
    const { job, control, resolve, reject } = queued;
    const signal = control.signal;
    const cancel = () => void worker.api.cancel().catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    const progress = control.onProgress ? Comlink.proxy(control.onProgress) : undefined;
    let dead = false;
    Promise.race([worker.api.train(job, progress), worker.failed.catch((error: unknown) => ((dead = true), Promise.reject(error)))])
      .then(
        (state) => {
          try {
            resolve(restoreTrainedNet(state));
          } catch (error) {
            reject(error);
          }
        },
        (error: unknown) => reject(signal?.aborted ? abortReason(signal) : error),
      )
      .finally(() => {
        signal?.removeEventListener('abort', cancel);
        if (dead || disposed) {
          all.delete(worker);
          worker.terminate();
        } else idle.push(worker);
        dispatch();
      });
  };

  const dispatch = () => {
    while (queue.length > 0 && !disposed) {
      const queued = queue[0];
      if (queued.control.signal?.aborted) {
        queue.shift();
        queued.reject(abortReason(queued.control.signal));
        continue;
      }
      let worker = idle.pop();
      if (!worker && all.size < size) {
        worker = spawn();
        all.add(worker);
      }
      if (!worker) return;
      queue.shift();
      run(worker, queued);
    }
  };

  return {
    parallel: size,
    train(job, control = {}) {
      if (disposed) return Promise.reject(new Error('the training pool was shut down'));
      return new Promise<TrainedNet>((resolve, reject) => {
        queue.push({ job, control, resolve, reject });
        dispatch();
      });
    },
    dispose() {
      disposed = true;
      for (const queued of queue.splice(0)) queued.reject(new Error('the training pool was shut down'));
      for (const worker of all) worker.terminate();
      all.clear();
      idle.length = 0;
    },
  };
}
