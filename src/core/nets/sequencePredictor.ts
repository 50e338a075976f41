/**
 * A sequence model's predictions from its weights and preprocessing: the trained model
 * (trainSequenceModel.ts) and the one loaded from a bundle (sequenceBundle.ts) score through this
 * same code, so a saved model gives the numbers it gave in the evaluation. Then the evaluation's
 * recalibration and spend ceiling (sequenceSpend) turn them into the spend it reported.
 */
import * as tf from '@tensorflow/tfjs';
import { invertTargetTransform } from './scaler';
import type { SequenceBatch, SequenceModelKind, SequenceModelShape } from './sequenceArchitecture';
import { packedForward } from './sequenceForward';
import { packRows, type SequencePreprocessing } from './sequencePreprocessing';

const PREDICT_CHUNK = 4096;

/** Predictions on the log1p scale the model was trained on, one per row of `seqs`. */
export function sequencePredictLog(
  model: tf.LayersModel,
  kind: SequenceModelKind,
  shape: SequenceModelShape,
  preprocessing: SequencePreprocessing,
): (seqs: SequenceBatch, staticX: Float32Array | null) => Float32Array {
  const forward = packedForward(model, kind, shape);
  return (s, sx) => {
    if (s.periods !== shape.periods || s.channels !== shape.channels) {
      throw new RangeError(`the model expects ${shape.periods} periods × ${shape.channels} channels, got ${s.periods} × ${s.channels}`);
    }
    const packed = packRows(s, sx, preprocessing);
    const rows = packed.X.length / packed.d;
    const out = new Float32Array(rows);
    for (let start = 0; start < rows; start += PREDICT_CHUNK) {
      const count = Math.min(PREDICT_CHUNK, rows - start);
      const chunk = tf.tidy(() => forward(tf.tensor2d(packed.X.subarray(start * packed.d, (start + count) * packed.d), [count, packed.d])));
      out.set(chunk.dataSync() as Float32Array, start);
      chunk.dispose();
    }
    return out;
  };
}

/** Predicted horizon spend: expm1 of the log1p output, floored at 0. */
export const spendOfLog = (log: Float32Array): Float32Array => invertTargetTransform(log, 'log1p');

/**
 * The evaluation's spend from a sequence model's raw spend: mapped by the recalibration
 * spend = scale · (1 + ŷ)^power (none: unchanged), then clipped to [0, ceiling].
 */
export function sequenceSpend(raw: ArrayLike<number>, calibration: { scale: number; power: number } | null, ceiling: number): Float64Array {
  return Float64Array.from(raw as ArrayLike<number>, (v) => {
    const mapped = calibration ? calibration.scale * (1 + Math.max(0, v)) ** calibration.power : v;
    return Math.min(Math.max(mapped, 0), ceiling);
  });
}
