import { describe, expect, it } from 'vitest';
import { MODEL_NAMES } from '../../src/core/evaluate/modelNames';
import { usesSequences, whyModelCannotRun } from '../../src/core/evaluate/modelAvailability';

describe('which models can run, and why not', () => {
  it('LSTM and CNN need four weeks before the cutoff; nothing else is held back', () => {
    for (const model of MODEL_NAMES) expect(whyModelCannotRun(model, { calibrationDays: 28 }), model).toBeNull();
    expect(whyModelCannotRun('lstm', { calibrationDays: 27 })).toMatch(/at least 4 weeks .* 27 days/);
    expect(whyModelCannotRun('cnn', { calibrationDays: 10 })).toMatch(/Move the cutoff later/);
    expect(whyModelCannotRun('ziln', { calibrationDays: 10 })).toBeNull();
    expect(MODEL_NAMES.filter(usesSequences)).toEqual(['lstm', 'cnn']);
  });
});
