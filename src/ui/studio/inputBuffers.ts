import type { FeatureArrays, ForecastWindows, TrainingInputs } from '../../../workers/contracts';
import type { SequenceBatch } from '../../core/nets/sequenceArchitecture';

type Arrays = { buffer: ArrayBufferLike } | null | undefined;

/** Each distinct buffer once (a list naming one twice cannot be transferred). */
function distinct(arrays: readonly Arrays[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a) out.add(a.buffer as ArrayBuffer);
  return [...out];
}

/**
 * The buffers behind a customer table's arrays (features, targets, purchase summaries) and its
 * per-period sequences, to hand to the model worker with Comlink.transfer instead of copying them:
 * only for arrays the page no longer reads afterwards, since a transferred buffer is emptied here.
 */
export function featureBuffers(data: FeatureArrays, sequences?: SequenceBatch | null): ArrayBuffer[] {
  const b = data.btyd;
  return distinct([data.features, data.targets, b?.frequency, b?.recency, b?.T, b?.monetary, b?.logSpend?.days, b?.logSpend?.mean, b?.logSpend?.squares, sequences?.values]);
}

/** Every buffer of one window's inputs (see featureBuffers). */
export function trainingInputBuffers(inputs: TrainingInputs): ArrayBuffer[] {
  const b = inputs.btyd;
  const log = b.logSpend;
  return distinct([...featureBuffers(inputs.data, inputs.sequences).map((buffer) => ({ buffer })), b.frequency, b.recency, b.T, b.monetary, log.days, log.mean, log.squares, inputs.visitanteScore]);
}

/** Every buffer of the forecast's windows, the present one and the past one (n × 52 × 2 floats each with sequences). */
export function forecastWindowBuffers(windows: ForecastWindows): ArrayBuffer[] {
  return distinct([windows.present, ...(windows.past ? [windows.past] : [])].flatMap(trainingInputBuffers).map((buffer) => ({ buffer })));
}
