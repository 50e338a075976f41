/**
 * Whether a bundle reads per-period purchase sequences (an LSTM or CNN, alone or as a base of a
 * composed bundle), and with which layout: the caller asks the data engine for the sequences cut
 * that way (DataEngine.sequences(layout)) before it scores. Light: reads only the headers, without
 * TensorFlow.js, so the page can ask before it hands the bundle to the model worker.
 */
import { ClvError } from '../errors';
import type { SequenceLayout } from '../tables/sequenceLayout';
import { isComposedBundle, readComposedBundle } from './composedBundle';

const SEQUENCE_MAGIC = 'CLVS';
const CORRUPT = 'This file is not a readable CLV Studio model bundle; export the model again from CLV Studio.';

function layoutOfSequenceBundle(bytes: Uint8Array): SequenceLayout {
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  let layout: SequenceLayout | undefined;
  try {
    layout = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length)))?.metadata?.layout;
  } catch {
    layout = undefined;
  }
  const ok =
    typeof layout === 'object' &&
    layout !== null &&
    (layout.period === 'week' || layout.period === 'month') &&
    Number.isSafeInteger(layout.periods) &&
    layout.periods > 0 &&
    layout.alignment === 'cutoff' &&
    Array.isArray(layout.channels);
  if (!ok) throw new ClvError('BUNDLE_CORRUPT', CORRUPT);
  return layout!;
}

/** The sequence layout a bundle scores with, or null when it reads no sequences. Throws BUNDLE_CORRUPT on an unreadable header. */
export function bundleSequenceLayout(bytes: Uint8Array): SequenceLayout | null {
  if (bytes.byteLength >= 8 && new TextDecoder().decode(bytes.subarray(0, 4)) === SEQUENCE_MAGIC) return layoutOfSequenceBundle(bytes);
  if (!isComposedBundle(bytes)) return null;
  const layouts = readComposedBundle(bytes)
    .parts.map(bundleSequenceLayout)
    .filter((l): l is SequenceLayout => l !== null);
  if (layouts.length === 0) return null;
  // The bases of one run were trained on the same sequences.
  const key = (l: SequenceLayout) => `${l.period}/${l.periods}/${l.channels.join()}`;
  if (layouts.some((l) => key(l) !== key(layouts[0]))) throw new ClvError('BUNDLE_CORRUPT', CORRUPT);
  return layouts[0];
}
