/**
 * The sequence models' inputs, fitted on the training rows: each sequence value goes through a
 * signed log1p (spend can be negative after returns), then is standardised per channel; static
 * features are standardised per column; the target is log1p(spend).
 *
 * The trainer sees one row-major matrix, so each row is [sequence flattened (periods × channels),
 * static features]; the forward pass slices it back into the model's two inputs.
 */
import type { SequenceBatch } from './sequenceArchitecture';
import { transformFeatures, type ScalerStats } from './scaler';

/** Per-channel standardisation of the log-compressed sequence values. */
export interface SequenceScaler {
  mean: number[];
  std: number[];
}

/** Signed log1p: compresses spend's heavy tail and keeps net returns (negative spend) finite. */
function slog1p(v: number): number {
  return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

export function fitSequenceScaler(seqs: SequenceBatch, rows: ArrayLike<number>): SequenceScaler {
  const { periods: P, channels: C, values } = seqs;
  const sum = new Float64Array(C);
  const sq = new Float64Array(C);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * P * C;
    for (let t = 0; t < P; t++) for (let c = 0; c < C; c++) sum[c] += slog1p(values[base + t * C + c]);
  }
  const count = rows.length * P;
  const mean = Array.from(sum, (s) => s / count);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * P * C;
    for (let t = 0; t < P; t++) for (let c = 0; c < C; c++) sq[c] += (slog1p(values[base + t * C + c]) - mean[c]) ** 2;
  }
  const std = Array.from(sq, (s) => {
    const sd = Math.sqrt(s / count);
    return sd > 1e-12 && Number.isFinite(sd) ? sd : 1;
  });
  return { mean, std };
}

export interface SequencePreprocessing {
  sequence: SequenceScaler;
  /** Null for a sequence-only model. */
  static: ScalerStats | null;
  target: 'log1p';
}

/** The trainer's row layout: [scaled sequence (periods·channels), scaled static features]. */
export function packRows(seqs: SequenceBatch, staticX: Float32Array | null, prep: SequencePreprocessing): { X: Float32Array; d: number } {
  const { periods: P, channels: C, values } = seqs;
  const seqWidth = P * C;
  const n = values.length / seqWidth;
  if (!Number.isInteger(n)) throw new RangeError(`sequence values (${values.length}) are not a multiple of periods × channels (${seqWidth})`);
  const staticDim = prep.static ? prep.static.mean.length : 0;
  if (prep.static === null && staticX !== null) throw new RangeError('this model was trained without static features');
  if (prep.static !== null && (staticX === null || staticX.length !== n * staticDim)) {
    throw new RangeError(`static features must be ${n} × ${staticDim}, got ${staticX === null ? 'none' : staticX.length + ' values'}`);
  }
  const d = seqWidth + staticDim;
  const X = new Float32Array(n * d);
  const { mean, std } = prep.sequence;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < P; t++) {
      for (let c = 0; c < C; c++) {
        const k = t * C + c;
        X[i * d + k] = (slog1p(values[i * seqWidth + k]) - mean[c]) / std[c];
      }
    }
  }
  if (prep.static && staticX) {
    const scaled = transformFeatures(staticX, prep.static);
    for (let i = 0; i < n; i++) X.set(scaled.subarray(i * staticDim, (i + 1) * staticDim), i * d + seqWidth);
  }
  return { X, d };
}
