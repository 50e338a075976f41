/** The sequence nets (LSTM, CNN) on per-period spend and purchase days before the cutoff. */
import type { FeatureImportance } from '../eval/permutationImportance';
import type { SequenceBatch } from '../nets/sequenceArchitecture';
import { sequenceSpend } from '../nets/sequencePredictor';
import { trainSequenceModel, type TrainedSequenceModel } from '../nets/trainSequenceModel';
import type { EvaluationRun } from './evaluationRun';
import { checkAborted, type SequenceNetName } from './evaluationTypes';
import type { ImportanceRows } from './importanceStep';
import type { ModelName } from './modelNames';
import { calibrateOn, crossFitCalibration, foldSeed } from './netStep';
import { gather } from '../rows';

function gatherSequences(seqs: SequenceBatch, rows: ArrayLike<number>): SequenceBatch {
  const width = seqs.periods * seqs.channels;
  const values = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) values.set(seqs.values.subarray(rows[r] * width, (rows[r] + 1) * width), r * width);
  return { periods: seqs.periods, channels: seqs.channels, values };
}

export async function trainSequenceNets(
  run: EvaluationRun,
  clip: (values: ArrayLike<number>, k?: number) => Float64Array,
  importanceRows: ImportanceRows,
  importance: Partial<Record<ModelName, FeatureImportance[]>>,
): Promise<void> {
  try {
    for (const kind of ['lstm', 'cnn'] as const) await trainSequenceNet(run, kind, clip, importanceRows, importance);
  } catch (error) {
    // A cancel (or any failure) leaves no kept model behind.
    for (const kept of Object.values(run.sequenceNets)) kept?.model.dispose();
    run.sequenceNets = {};
    throw error;
  }
}

/**
 * One sequence net per fold, recalibrated as the feed-forward nets are (netStep.ts): under
 * cross-fitting by the maps fitted on the other folds' out-of-fold predictions, under one split on
 * the validation customers.
 */
async function trainSequenceNet(
  run: EvaluationRun,
  kind: SequenceNetName,
  clip: (values: ArrayLike<number>, k?: number) => Float64Array,
  importanceRows: ImportanceRows,
  importance: Partial<Record<ModelName, FeatureImportance[]>>,
): Promise<void> {
  const { fit, score, folds } = run.protocol;
  const { models, options, y, d } = run;
  const nScore = score.customerIds.length;
  if (!models.includes(kind)) return;
  if (!fit.sequences || !score.sequences) {
    run.warnings.push(`${kind} needs per-period purchase sequences, which were not provided; it is left out.`);
    return;
  }
  const predictions = new Float64Array(nScore);
  const calibrations: Array<{ scale: number; power: number }> = [];
  const crossFit = folds.length > 1;
  // Cross-fitting: each fold's uncalibrated predictions first; the maps come once every fold is in.
  const raw = crossFit ? new Float64Array(nScore) : null;
  for (let k = 0; k < folds.length; k++) {
    checkAborted(options.signal);
    const fold = folds[k];
    run.report(kind, crossFit ? `training fold ${k + 1}/${folds.length}` : 'training', crossFit ? { fold: k + 1, folds: folds.length } : {});
    const model: TrainedSequenceModel = await trainSequenceModel(kind, fit.sequences, fit.X, y, {
      seed: foldSeed(options.seed, k),
      signal: options.signal,
      maxEpochs: options.maxEpochs,
      trainIdx: fold.train,
      valIdx: fold.validation,
      onProgress: run.epochProgress(kind, k, folds.length),
    });
    run.foldDone(kind, k, folds.length);
    try {
      const ceiling = clip([Number.POSITIVE_INFINITY], k)[0];
      const rows = crossFit ? fold.test : Int32Array.from({ length: nScore }, (_, i) => i);
      const scored = () => model.predict(crossFit ? gatherSequences(score.sequences!, rows) : score.sequences!, crossFit ? gather(score.X, d, rows) : score.X);
      // Under one split: recalibrated on the validation customers.
      let calibration = { scale: 1, power: 1 };
      if (raw) {
        const pred = clip(scored(), k);
        rows.forEach((i, r) => (raw[i] = pred[r]));
      } else {
        const validationRaw = clip(model.predict(gatherSequences(fit.sequences, fold.validation), gather(fit.X, d, fold.validation)), k);
        calibration = calibrateOn(validationRaw, Float64Array.from(fold.validation, (i) => y[i]), Int32Array.from({ length: fold.validation.length }, (_, r) => r));
        calibrations.push(calibration);
        const pred = sequenceSpend(scored(), calibration, ceiling);
        rows.forEach((i, r) => (predictions[i] = pred[r]));
      }
      // The first fold's model is kept for the bundle, as it scored (recalibrated, clipped); under
      // cross-fitting its map is set once every fold is in.
      if (k === 0) run.sequenceNets[kind] = { model, calibration, spendCeiling: ceiling, staticFeatures: [...score.featureNames] };
    } finally {
      if (run.sequenceNets[kind]?.model !== model) model.dispose();
    }
  }
  const kept = run.sequenceNets[kind]!;
  if (raw) {
    const crossFitted = crossFitCalibration(raw, y, folds, clip);
    predictions.set(crossFitted.predictions);
    calibrations.push(...crossFitted.calibrations);
    // The kept model scores new customers with the map fitted on every out-of-fold prediction.
    kept.calibration = crossFitted.kept;
  }
  // Importance of the static features, the customer's sequence held fixed, for the kept model as it scores.
  const seqRows = gatherSequences(score.sequences, importanceRows.rows);
  importance[kind] = await importanceRows.of(importanceRows.X, score.featureNames, async (X) => sequenceSpend(kept.model.predict(seqRows, X), kept.calibration, kept.spendCeiling));
  run.predictions[kind] = predictions;
  run.netCalibration[kind] = calibrations;
  run.complete(kind);
}
