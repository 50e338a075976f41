import { describe, expect, it } from 'vitest';
import type { ModelEvaluation } from '../../src/core/eval/compareModels';
import type { CliArgs } from '../../src/node/cliArgs';
import { parseSeeds, withSeedSummary } from '../../src/node/commands/fitModels';

const args = (flags: Record<string, string>): CliArgs => ({ command: 'fit', file: 'x.csv', flags: new Map(Object.entries(flags)) }) as CliArgs;

describe('fit --seeds', () => {
  it('reads whole numbers separated by commas, else --seed, else 42', () => {
    expect(parseSeeds(args({ seeds: '1,2, 3' }))).toEqual([1, 2, 3]);
    expect(parseSeeds(args({ seed: '7' }))).toEqual([7]);
    expect(parseSeeds(args({}))).toEqual([42]);
  });

  it('refuses a bad list, a repeated seed, and --seed with --seeds, naming the flag', () => {
    expect(() => parseSeeds(args({ seeds: '1,x' }))).toThrow(/--seeds takes whole numbers/);
    expect(() => parseSeeds(args({ seeds: '1,,2' }))).toThrow(/--seeds takes whole numbers/);
    expect(() => parseSeeds(args({ seeds: '2,2' }))).toThrow(/twice/);
    expect(() => parseSeeds(args({ seeds: '1,2', seed: '3' }))).toThrow(/either --seed/);
  });

  it('adds each metric per seed with its mean and sample standard deviation', () => {
    const run = (rmse: number, slope: number) => [{ model: 'm', regression: { rmse, normalized_gini: 0.5 }, calibration_slope: slope } as unknown as ModelEvaluation];
    const out = withSeedSummary({ m: { rmse: 10 } }, [1, 2, 3], [run(10, 0.9), run(12, 1), run(14, 1.1)]) as Record<string, { rmse: number; seeds: { values: Record<string, number[]>; mean: Record<string, number>; sd: Record<string, number> } }>;
    expect(out.m.rmse).toBe(10);
    expect(out.m.seeds.values.rmse).toEqual([10, 12, 14]);
    expect(out.m.seeds.mean.rmse).toBeCloseTo(12, 12);
    expect(out.m.seeds.sd.rmse).toBeCloseTo(2, 12);
    expect(out.m.seeds.mean.calibration_slope).toBeCloseTo(1, 12);
    expect(out.m.seeds.sd.normalized_gini).toBe(0);
    expect(out.m.seeds.mean.spearman).toBeNull();
  });
});
