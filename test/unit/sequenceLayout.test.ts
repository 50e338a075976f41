/**
 * The sequence layout: the weeks the engine gives the sequence nets for a history (every started
 * week, at least 4, at most 52), and the refusal of a history shorter than a saved model's layout.
 */
import { describe, expect, it } from 'vitest';
import { checkSequenceHistory, engineSequenceLayout } from '../../src/core/tables/sequenceLayout';

describe('sequence layout', () => {
  it('counts the started weeks of history, from 4 to 52', () => {
    const cases: Array<[number, number]> = [
      [1, 4],
      [28, 4],
      [29, 5],
      [70, 10],
      [71, 11],
      [364, 52],
      [365, 52],
      [3000, 52],
    ];
    for (const [days, weeks] of cases) {
      expect(engineSequenceLayout(days)).toEqual({ period: 'week', periods: weeks, alignment: 'cutoff', channels: ['spend', 'purchase_days'] });
    }
  });

  it('accepts any history at least as long as the layout, the same file included', () => {
    for (const days of [1, 20, 70, 200, 364, 2000]) {
      const layout = engineSequenceLayout(days);
      expect(() => checkSequenceHistory(layout, days, '2024-03-01')).not.toThrow();
      expect(() => checkSequenceHistory(layout, days + 400, '2024-03-01')).not.toThrow();
    }
  });

  it('refuses a shorter history, naming the weeks it needs and the weeks the file has', () => {
    const layout = engineSequenceLayout(364);
    let error: unknown = null;
    try {
      checkSequenceHistory(layout, 63, '2024-03-01');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'BUNDLE_HISTORY_SHORT', details: { periods: 52, period: 'week', available: 9 } });
    expect((error as Error).message).toBe(
      "This model reads each customer's last 52 weeks of purchases before the cutoff, but this file covers only 9 weeks up to 2024-03-01. Score a file with at least 52 weeks of history before the cutoff, or train a model on this file.",
    );
    expect(() => checkSequenceHistory(layout, 357, '2024-03-01')).toThrow(/only 51 weeks/);
    expect(() => checkSequenceHistory({ ...layout, period: 'month', periods: 6 }, 150, '2024-03-01')).toThrow(/last 6 months of purchases.*only 5 months/);
  });
});
