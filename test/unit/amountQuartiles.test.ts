/**
 * The quartiles of the positive amounts read from counts by value (amountQuartiles.ts, the
 * extreme-amount fence of every load) equal the textbook interpolated quartiles of the sorted
 * values (R's type 7, DuckDB's quantile_cont), computed here in JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positiveAmountQuartiles } from '../../src/core/clean/amountQuartiles';
import type { SqlDb } from '../../src/core/db';
import { Rng } from '../../src/core/random';
import { openWasmDb } from '../../src/node/wasmDb';

let db: SqlDb & { close(): void };

beforeAll(async () => {
  db = await openWasmDb();
});

afterAll(() => db.close());

function type7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

async function quartilesOf(amounts: readonly number[]): Promise<[number, number] | null> {
  await db.exec('CREATE OR REPLACE TABLE amounts (amount DOUBLE)');
  for (let i = 0; i < amounts.length; i += 500) {
    const part = amounts.slice(i, i + 500);
    await db.exec(`INSERT INTO amounts VALUES ${part.map(() => '(?)').join(', ')}`, part);
  }
  return positiveAmountQuartiles(db, 'amounts');
}

describe('quartiles of the positive amounts', () => {
  const rng = new Rng(20240917);
  const random = () => rng.uniform();
  const logs: Record<string, number[]> = {
    one: [12.5],
    two: [3, 7],
    three: [3, -1, 7, 0, 11],
    four: [1, 2, 3, 4],
    five: [5, 1, 4, 2, 3],
    ties: [2, 2, 2, 9, 9, 1, 1, 1, 1, 30],
    'prices in cents': Array.from({ length: 1001 }, () => Math.round(Math.exp(random() * 6) * 100) / 100),
    'with returns and zeros': Array.from({ length: 777 }, () => Math.round((random() - 0.2) * 50000) / 100),
  };
  for (const [name, amounts] of Object.entries(logs)) {
    it(`as type-7 quantiles of the sorted values: ${name}`, async () => {
      const positive = amounts.filter((a) => a > 0).sort((a, b) => a - b);
      const [q1, q3] = (await quartilesOf(amounts))!;
      expect(q1).toBeCloseTo(type7(positive, 0.25), 12);
      expect(q3).toBeCloseTo(type7(positive, 0.75), 12);
    });
  }

  it('are null without a positive amount', async () => {
    expect(await quartilesOf([0, -3, -1.5])).toBeNull();
    expect(await quartilesOf([])).toBeNull();
  });
});
