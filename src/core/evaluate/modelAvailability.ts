/**
 * Which models can run on the data at hand, and why not when they cannot: the Train panel disables
 * a model's checkbox and says the reason beside it (light: no TensorFlow.js).
 */
import { MIN_PERIODS } from '../tables/sequenceLayout';
import type { ModelName } from './modelNames';

/** The sequence nets read per-period purchase sequences (tables/sequences.ts), which the data worker builds on request. */
export const SEQUENCE_MODELS: readonly ModelName[] = ['lstm', 'cnn'];

export function usesSequences(model: string): boolean {
  return (SEQUENCE_MODELS as readonly string[]).includes(model);
}

/** Weeks of history the sequence nets need before the cutoff (the sequence layout's minimum): fewer gives them sequences of mostly zeros. */
export const MIN_SEQUENCE_WEEKS = MIN_PERIODS;

/** What the page knows about the built tables. */
export interface AvailabilityFacts {
  /** Days from the file's first purchase to the cutoff, both included. */
  calibrationDays: number;
}

/** Why `model` cannot run on these data, in a sentence for beside its checkbox; null when it can. */
export function whyModelCannotRun(model: string, facts: AvailabilityFacts): string | null {
  if (usesSequences(model) && facts.calibrationDays < MIN_SEQUENCE_WEEKS * 7) {
    return `Needs at least ${MIN_SEQUENCE_WEEKS} weeks of purchases before the cutoff for its weekly sequences; these data have ${facts.calibrationDays} days. Move the cutoff later.`;
  }
  return null;
}
