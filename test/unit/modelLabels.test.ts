/**
 * Model names in messages raised by the core (src/core/evaluate/modelLabels.ts): every model and
 * the stack's extra base read in words, the same words as the app's STRINGS.modelNames, and the
 * bundle export's refusal of an ensemble base names it so (no 'btyd-order-value' or 'pnbd-gg').
 */
import { describe, expect, it } from 'vitest';
import { MODEL_LABELS, modelLabel } from '../../src/core/evaluate/modelLabels';
import { MODEL_NAMES } from '../../src/core/evaluate/modelNames';
import { unbundledBaseError } from '../../src/core/evaluate/modelBundle';
import { STRINGS } from '../../src/ui/strings';

describe('model labels for core messages', () => {
  it('names every model as the app does', () => {
    for (const name of MODEL_NAMES) {
      expect(MODEL_LABELS[name]).toBe(STRINGS.modelNames[name]);
      expect(modelLabel(name)).not.toBe(name);
    }
    expect(modelLabel('btyd-order-value')).toMatch(/^BG\/NBD purchases × learned order value$/);
    expect(modelLabel('bgnbd-lognormal')).toBe('BG/NBD purchases × lognormal spend');
    expect(modelLabel('something-new')).toBe('something-new');
  });

  it("the ensemble bundle's refusal of a base says its name in words", () => {
    for (const [base, words] of [
      ['btyd-order-value', 'BG/NBD purchases × learned order value'],
      ['pnbd-gg', 'Pareto/NBD + Gamma-Gamma'],
      ['lstm', 'LSTM (sequences)'],
    ]) {
      const error = unbundledBaseError(base);
      expect(error.code).toBe('BAD_ARGUMENT');
      expect(error.message).toBe(`The stacked ensemble leans on ${words}, which a model bundle cannot hold yet; export another model, or train the ensemble without ${words}.`);
      expect(error.message).not.toContain(base);
    }
  });
});
