/**
 * The training benchmark's synthetic data, shared by the Node run (trainSpeed.ts) and the
 * Chromium worker (train.worker.ts) so both train on exactly the same rows.
 */
import type { TrainData } from '../../src/core/nets/trainer';
import { Rng } from '../../src/core/random';

export const TRAIN_BATCHES = [64, 512];
export const TRAIN_FEATURES = 16;

/** Standard-normal features and a heavy-tailed, partly zero target; the last 1000 rows validate. */
export function syntheticRows(n: number): TrainData {
  const rng = new Rng(1);
  const X = Float32Array.from({ length: n * TRAIN_FEATURES }, () => rng.normal());
  const y = Float32Array.from({ length: n }, (_, i) =>
    rng.uniform() < 0.5 ? 0 : Math.exp(3 + 0.8 * X[i * TRAIN_FEATURES] - 0.4 * X[i * TRAIN_FEATURES + 1] + 0.5 * rng.normal()),
  );
  const nVal = Math.min(1000, Math.floor(n / 10));
  return {
    X,
    y,
    d: TRAIN_FEATURES,
    train: Int32Array.from({ length: n - nVal }, (_, i) => i),
    validation: Int32Array.from({ length: nVal }, (_, i) => n - nVal + i),
  };
}

/** The first `rows` training rows. */
export function firstRows(data: TrainData, rows: number): TrainData {
  return { ...data, train: Array.from({ length: Math.min(rows, data.train.length) }, (_, i) => data.train[i]) };
}
