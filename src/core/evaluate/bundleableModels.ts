/**
 * Which models a model bundle can hold (light: the page imports it to label the export button
 * without loading TensorFlow.js).
 */
import { PROBABILISTIC_MODELS, type ModelName } from './modelNames';

/** Nets that score from the feature table alone, so a bundle can carry them to new data. */
export const BUNDLEABLE_NETS: readonly ModelName[] = ['ziln', 'fnn', 'fnn-seed'];

/**
 * Every model a bundle can hold: those nets, the probabilistic models (parameters only), the run
 * rate (nothing fitted), the hybrid (its net and BG/NBD + Gamma-Gamma) and the stacked ensemble
 * (the stack and its bases; see composedBundle.ts), and the sequence nets (LSTM, CNN: their weights,
 * preprocessing and the period layout to cut each customer's sequence from the file scored; see
 * nets/sequenceBundle.ts).
 */
export const BUNDLEABLE_MODELS: readonly ModelName[] = [...BUNDLEABLE_NETS, ...(Object.keys(PROBABILISTIC_MODELS) as ModelName[]), 'naive', 'hybrid', 'ensemble', 'lstm', 'cnn'];

/** Whether a bundle can hold `model`. */
export function canBundle(model: string): boolean {
  return (BUNDLEABLE_MODELS as readonly string[]).includes(model);
}

/** Why `model` cannot be saved as a bundle, or null when it can. */
export function unbundleableReason(model: string): string | null {
  if (canBundle(model)) return null;
  return `${model} cannot be saved as a model bundle yet (bundles hold ${BUNDLEABLE_MODELS.join(', ')}); use the forecast or the CLI's forecast command instead.`;
}
