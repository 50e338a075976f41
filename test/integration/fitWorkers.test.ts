/**
 * `fit --workers N`: the nets' trainings (one per model and fold) run side by side on Node worker
 * threads, and the outputs do not depend on it: the default run (ZILN cross-fitted, the ensemble
 * over it and the probabilistic models) on CDNOW_sample writes the same predictions and metrics, byte for byte, with
 * one worker (the main thread) and with two threads. `forecast --workers N` likewise: the
 * ensemble's nets and its stack's fold nets in the pool, the same forecast as on the main thread.
 * And a customer table (`fit --target`): every fold's nets in the pool, the same metrics.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.resolve(ROOT, '../shared/datasets/cdnow/CDNOW_sample.txt');

async function fit(workers: string): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const out = mkdtempSync(path.join(os.tmpdir(), `clv-workers-${workers}-`));
  const args = ['src/cli.ts', 'fit', SAMPLE, '--customer', 'column1', '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week', '--model', 'default', '--epochs', '4', '--backtest', 'off', '--workers', workers, '--out', out];
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr, out };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out };
  }
}

describe('fit --workers', () => {
  it('two training threads give the same predictions and metrics as the main thread alone', async () => {
    // Side by side: the outputs must not depend on the load either.
    const [one, two] = await Promise.all([fit('1'), fit('2')]);
    for (const r of [one, two]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(JSON.parse(one.stdout).training_threads).toBe(1);
    expect(JSON.parse(two.stdout).training_threads).toBe(2);
    const read = (r: { out: string }, name: string) => readFileSync(path.join(r.out, name), 'utf8');
    const predictions = read(two, 'predictions.csv');
    // The nets really were trained: their columns are there and not constant.
    const header = predictions.split('\n')[0].split(',');
    for (const net of ['ziln', 'ensemble']) expect(header).toContain(net);
    // The hybrid is not in the default run (core/evaluate/modelNames.ts DEFAULT_MODELS).
    expect(header).not.toContain('hybrid');
    const ziln = predictions.trim().split('\n').slice(1).map((l) => l.split(',')[header.indexOf('ziln')]);
    expect(new Set(ziln).size).toBeGreaterThan(100);
    expect(predictions).toBe(read(one, 'predictions.csv'));
    expect(read(two, 'metrics.json')).toBe(read(one, 'metrics.json'));
    expect(read(two, 'params.json')).toBe(read(one, 'params.json'));
  }, 240_000);

  it('forecast: two training threads give the same ensemble forecast as the main thread alone', async () => {
    const forecast = async (workers: string) => {
      const out = mkdtempSync(path.join(os.tmpdir(), `clv-forecast-workers-${workers}-`));
      const args = ['src/cli.ts', 'forecast', SAMPLE, '--customer', 'column1', '--model', 'ensemble', '--horizon-months', '6', '--unit', 'week', '--epochs', '3', '--intervals', 'off', '--workers', workers, '--out', out];
      const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, maxBuffer: 1 << 26 });
      expect(stderr).toBe('');
      return { summary: JSON.parse(stdout), csv: readFileSync(path.join(out, 'forecast.csv'), 'utf8'), json: readFileSync(path.join(out, 'forecast.json'), 'utf8') };
    };
    const [one, two] = await Promise.all([forecast('1'), forecast('2')]);
    expect(one.summary.training_threads).toBe(1);
    expect(two.summary.training_threads).toBe(2);
    // The stack was trained on its nets (their names are in its parameters) and the forecast varies across customers.
    const params = JSON.parse(two.json).params as { trained_with: string[]; ensemble: { models: string[] } };
    expect(params.trained_with).toContain('ensemble');
    expect(params.ensemble.models).toContain('ziln');
    expect(params.ensemble.models).not.toContain('hybrid');
    const header = two.csv.split('\n')[0].split(',');
    const spend = two.csv.trim().split('\n').slice(1).map((l) => l.split(',')[header.indexOf('expected_spend')]);
    expect(new Set(spend).size).toBeGreaterThan(100);
    expect(two.csv).toBe(one.csv);
    expect(two.json).toBe(one.json);
  }, 240_000);

  it('customer table (--target): two training threads give the same k-fold metrics as the main thread alone', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-table-workers-'));
    const file = path.join(dir, 'customers.csv');
    const lines = ['customer_id,recency,frequency,monetary,clv'];
    for (let c = 0; c < 600; c++) {
      const f = c % 11;
      const m = 5 + ((c * 37) % 120);
      const rec = (c * 53) % 365;
      lines.push(`u${c},${rec},${f},${m},${((c % 4 === 0 ? 0 : 1) * f * m * Math.exp(-rec / 180)).toFixed(2)}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const table = async (workers: string) => {
      const out = path.join(dir, `workers-${workers}`);
      const args = ['src/cli.ts', 'fit', file, '--target', 'clv', '--kfold', '3', '--model', 'all', '--epochs', '3', '--workers', workers, '--out', out];
      const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, maxBuffer: 1 << 26 });
      expect(stderr).toBe('');
      return { summary: JSON.parse(stdout), metrics: readFileSync(path.join(out, 'metrics.json'), 'utf8') };
    };
    const [one, two] = await Promise.all([table('1'), table('2')]);
    expect(one.summary.training_threads).toBe(1);
    expect(two.summary.training_threads).toBe(2);
    const metrics = JSON.parse(two.metrics) as { folds: { model: string }[][] } & Record<string, { rmse: { mean: number } }>;
    // Every fold scored every model, and the nets learned something: not the mean's RMSE.
    expect(metrics.folds.map((f) => f.map((e) => e.model).sort())).toEqual(Array(3).fill(['fnn', 'fnn-seed', 'mean', 'ziln']));
    for (const net of ['fnn-seed', 'fnn', 'ziln']) expect(metrics[net].rmse.mean).not.toBe(metrics.mean.rmse.mean);
    expect(two.metrics).toBe(one.metrics);
  }, 240_000);

  it('refuses zero workers with a clear error', async () => {
    const r = await fit('0');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--workers must be at least 1/);
  });
});
