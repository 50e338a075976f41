import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.resolve(ROOT, '../shared/datasets/cdnow/CDNOW_sample.txt');

describe('clv fit --model btyd on CDNOW_sample (weeks)', () => {
  it('writes Pareto/NBD and MBG/NBD next to BG/NBD in params.json, and their metrics with interval coverage', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'clv-btyd-'));
    const { stdout, stderr } = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'fit', SAMPLE, '--customer', 'column1', '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week', '--model', 'btyd', '--backtest', 'off', '--out', out],
      { cwd: ROOT, maxBuffer: 1 << 26 },
    );
    expect(stderr).toBe('');
    expect(JSON.parse(stdout.trim()).customers).toBe(2357);
    const params = JSON.parse(readFileSync(path.join(out, 'params.json'), 'utf8'));
    // Published CDNOW estimates (Fader & Hardie; Batislam et al. as BTYDplus reports them).
    const published = {
      bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      pareto_nbd: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
      mbg_nbd: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
    } as Record<string, Record<string, number>>;
    for (const [model, values] of Object.entries(published)) {
      for (const [k, v] of Object.entries(values)) expect(Math.abs(params[model][k] / v - 1)).toBeLessThan(0.01);
    }
    expect(params.pareto_nbd.logLikelihood).toBeCloseTo(-9595.0, 0);
    for (const model of ['pareto_nbd', 'mbg_nbd']) {
      const p = params[model];
      expect(p.converged).toBe(true);
      expect(p.message).toBeNull();
      expect(p.aic).toBeCloseTo(8 - 2 * p.logLikelihood, 6);
      expect(p.bic).toBeCloseTo(4 * Math.log(2357) - 2 * p.logLikelihood, 6);
      for (const k of Object.keys(published[model])) {
        expect(p.se[k]).toBeGreaterThan(0);
        expect(p.ci95[k][0]).toBeLessThan(p[k]);
        expect(p.ci95[k][1]).toBeGreaterThan(p[k]);
      }
    }
    // One table: NBD and the three models by AIC, each tested against the NBD it nests.
    const table = params.model_comparison as { model: string; logLikelihood: number; aic: number; versusNbd: { statistic: number; pValue: number } | null }[];
    expect(table.map((r) => r.model).sort()).toEqual(['NBD', 'bgnbd', 'mbg_nbd', 'pareto_nbd']);
    expect(table.find((r) => r.model === 'pareto_nbd')!.aic).toBeCloseTo(params.pareto_nbd.aic, 6);
    expect(table.find((r) => r.model === 'bgnbd')!.logLikelihood).toBeCloseTo(params.bgnbd.logLikelihood, 6);
    for (const row of table) if (row.model !== 'NBD') expect(row.versusNbd!.pValue).toBeLessThan(1e-6);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    for (const model of ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg']) {
      for (const key of ['rmse', 'mae', 'normalized_gini', 'spearman']) expect(Number.isFinite(metrics[model][key])).toBe(true);
      expect(metrics[model].interval_coverage_90).toBeGreaterThan(0.5);
      expect(metrics[model].interval_coverage_90).toBeLessThanOrEqual(1);
    }
    expect(metrics.naive.interval_coverage_90).toBeUndefined();
  });
});
