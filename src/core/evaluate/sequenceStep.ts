/** The sequence nets (LSTM, CNN) on per-period spend and purchase days before the cutoff. */
import type { FeatureImportance } from '../eval/permutationImportance';
import type { SequenceBatch } from '../nets/sequenceArchitecture';
import { sequenceSpend } from '../nets/sequencePredictor';
import { trainSequenceModel, type TrainedSequenceModel } from '../nets/trainSequenceModel';
import type { EvaluationRun } from './evaluationRun';
import { checkAborted } from './evaluationTypes';
import type { ImportanceRows } from './importanceStep';
import type { ModelName } from './modelNames';
import { calibrateOn, foldSeed } from './netStep';
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
  const { fit, score, folds } = run.protocol;
  const { models, options, y, d } = run;
  const nScore = score.customerIds.length;
  for (const kind of ['lstm', 'cnn'] as const) {
    if (!models.includes(kind)) continue;
    if (!fit.sequences || !score.sequences) {
      run.warnings.push(`${kind} needs per-period purchase sequences, which were not provided; it is left out.`);
      continue;
    }
    const predictions = new Float64Array(nScore);
    const calibrations: Array<{ scale: number; power: number }> = [];
    for (let k = 0; k < folds.length; k++) {
      checkAborted(options.signal);
      const fold = folds[k];
      run.report(kind, folds.length > 1 ? `training fold ${k + 1}/${folds.length}` : 'training', folds.length > 1 ? { fold: k + 1, folds: folds.length } : {});
      const model: TrainedSequenceModel = await trainSequenceModel(kind, fit.sequences, fit.X, y, {
        seed: foldSeed(options.seed, k),
        signal: options.signal,
        maxEpochs: options.maxEpochs,
        trainIdx: fold.train,
        valIdx: fold.validation,
        onProgress: run.epochProgress(kind, k, folds.length),
      });
      try {
        // Recalibrated on the fold's validation customers, like the feed-forward nets (netStep.ts).
        const validationRaw = clip(model.predict(gatherSequences(fit.sequences, fold.validation), gather(fit.X, d, fold.validation)), k);
        const calibration = calibrateOn(validationRaw, Float64Array.from(fold.validation, (i) => y[i]), Int32Array.from({ length: fold.validation.length }, (_, r) => r));
        calibrations.push(calibration);
        const ceiling = clip([Number.POSITIVE_INFINITY], k)[0];
        const recalibrate = (values: ArrayLike<number>) => sequenceSpend(values, calibration, ceiling);
        const rows = folds.length > 1 ? fold.test : Int32Array.from({ length: nScore }, (_, i) => i);
        const pred = recalibrate(model.predict(folds.length > 1 ? gatherSequences(score.sequences, rows) : score.sequences, folds.length > 1 ? gather(score.X, d, rows) : score.X));
        rows.forEach((i, r) => (predictions[i] = pred[r]));
        if (k === 0) {
          // Importance of the static features, the customer's sequence held fixed.
          const seqRows = gatherSequences(score.sequences, importanceRows.rows);
          importance[kind] = await importanceRows.of(importanceRows.X, score.featureNames, async (X) => recalibrate(model.predict(seqRows, X)));
        }
        // The first fold's model is kept for the bundle, as it scored (recalibrated, clipped).
        if (k === 0) run.sequenceNets[kind] = { model, calibration, spendCeiling: ceiling, staticFeatures: [...score.featureNames] };
      } finally {
        if (run.sequenceNets[kind]?.model !== model) model.dispose();
      }
    }
    run.predictions[kind] = predictions;
    run.netCalibration[kind] = calibrations;
    run.progress.done++;
  }
}
