/**
 * A stacked-ensemble bundle scoring a file where a base model gives no number for some customers
 * (src/core/evaluate/composedBundle.ts): the bundle is fine, so the error is not "export the model
 * again" (BUNDLE_CORRUPT) but BUNDLE_NO_SCORE, naming the base in words, how many customers, and
 * what to check in the file. The bundle is the real format (a run-rate part under a linear stack),
 * scored by the real predictFromBundle.
 */
import { describe, expect, it } from 'vitest';
import { encodeComposedBundle } from '../../src/core/evaluate/composedBundle';
import { PROBABILISTIC_BUNDLE_VERSION, predictFromBundle } from '../../src/core/evaluate/modelBundle';
import { ClvError } from '../../src/core/errors';

const HORIZON_DAYS = 90;

/** The run rate's parameter bundle: 'CLVP' then its JSON header. */
function runRatePart(): Uint8Array {
  const json = JSON.stringify({ formatVersion: PROBABILISTIC_BUNDLE_VERSION, model: 'naive', horizonDays: HORIZON_DAYS, cutoff: '2020-01-01', seed: 1, metrics: {}, createdAt: '2020-01-02T00:00:00Z' });
  return new TextEncoder().encode(`CLVP${json}`);
}

function ensembleOverRunRate(): Uint8Array {
  return encodeComposedBundle(
    {
      model: 'ensemble',
      holds: 'A linear stack over the run rate.',
      stack: { models: ['fnn', 'naive'], weights: [0, 1], scale: 'linear', intercept: 0, calibration: null, choice: 'linear:naive' },
      btydPart: null,
      bases: { naive: { kind: 'parts', parts: [0], inputs: 'features', ceiling: null } },
      unit: 'week',
      horizonDays: HORIZON_DAYS,
      cutoff: '2020-01-01',
      seed: 1,
      metrics: {},
      createdAt: '2020-01-02T00:00:00Z',
    },
    [runRatePart()],
  );
}

/** Customers as (total_spend, tenure_days) feature rows. */
const inputs = (rows: [number, number][]) => ({ featureNames: ['total_spend', 'tenure_days'], X: Float32Array.from(rows.flat()) });

describe('a stacked ensemble bundle on customers its base cannot score', () => {
  it('scores good rows as the run rate does (spend / tenure × horizon)', async () => {
    const { model, values } = await predictFromBundle(ensembleOverRunRate(), inputs([[100, 200], [30, 60]]));
    expect(model).toBe('ensemble');
    expect(values[0]).toBeCloseTo((100 / 200) * HORIZON_DAYS, 4);
    expect(values[1]).toBeCloseTo((30 / 60) * HORIZON_DAYS, 4);
  });

  it('says which base gave no number, for how many customers, and what to check, not that the bundle is broken', async () => {
    const error = await predictFromBundle(ensembleOverRunRate(), inputs([[100, 200], [Number.NaN, 60], [30, 60], [Number.NaN, 10]])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClvError);
    const { code, message, details } = error as ClvError;
    expect(code).toBe('BUNDLE_NO_SCORE');
    expect(details).toEqual({ model: 'naive', customers: 2, of: 4 });
    expect(message).toContain('Naive run rate');
    expect(message).toContain('2 of the 4 customers');
    expect(message).toMatch(/Check those customers' rows in the file/);
    expect(message).not.toMatch(/export the model again/i);
    expect(message).not.toMatch(/\bnaive\b|NaN/);
  });
});
