/**
 * The RFM heatmap's empty score columns explained: scores computed here with the rule of
 * core/tables/rfm.ts (1 + ⌊5 · percent_rank⌋, ties sharing a score) on a population where 62% of
 * customers never bought again, so frequency scores 2 and 3 are given to no one.
 */
import { describe, expect, it } from 'vitest';
import type { HeatCell } from '../../workers/contracts';
import { skippedScores } from '../../src/ui/skippedScores';

/** Quintile scores by the rfm.ts rule: percent_rank = customers ranked strictly below / (n − 1). */
function scores(values: number[]): number[] {
  const n = values.length;
  return values.map((v) => Math.min(5, 1 + Math.floor((5 * values.filter((w) => w < v).length) / (n - 1))));
}

function cellsOf(r: number[], f: number[]): HeatCell[] {
  const counts = new Map<string, number>();
  r.forEach((rs, i) => counts.set(`${rs},${f[i]}`, (counts.get(`${rs},${f[i]}`) ?? 0) + 1));
  return [...counts].map(([k, customers]) => {
    const [rs, fs] = k.split(',').map(Number);
    return { r_score: rs, f_score: fs, customers, avg_spend: 0 };
  });
}

describe('skippedScores', () => {
  // 100 customers: 62 with no repeat purchase, the rest with 1–6; recency all distinct.
  const frequency = Array.from({ length: 100 }, (_, i) => (i < 62 ? 0 : 1 + (i % 6)));
  const recency = Array.from({ length: 100 }, (_, i) => i);
  const f = scores(frequency);
  const r = scores(recency);
  const cells = cellsOf(r, f);

  it('finds the frequency scores the tie at zero repeat purchases left empty, and the tied share', () => {
    const expectedMissing = [1, 2, 3, 4, 5].filter((s) => !f.includes(s));
    expect(expectedMissing).toEqual([2, 3]);
    const skipped = skippedScores(cells, 'f_score');
    expect(skipped).toEqual({ axis: 'f_score', missing: expectedMissing, tiedScore: 1, tiedShare: 0.62 });
  });

  it('says nothing for an axis without ties', () => {
    expect(skippedScores(cells, 'r_score')).toBeNull();
    expect(skippedScores([], 'f_score')).toBeNull();
  });
});
