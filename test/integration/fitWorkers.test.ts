/**
 * `fit --workers N`: the nets' trainings (one per model and fold) run side by side on Node worker
 * threads, and the outputs do not depend on it: the default run (ZILN and hybrid cross-fitted, the
 * ensemble over them) on CDNOW_sample writes the same predictions and metrics, byte for byte, with
 * one worker (the main thread) and with two threads. `forecast --workers N` likewise: the
 * ensemble's nets and its stack's fold nets in the pool, the same forecast as on the main thread.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
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
    const one = await fit('1');
    const two = await fit('2');
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
    for (const net of ['ziln', 'hybrid', 'ensemble']) expect(header).toContain(net);
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
    const one = await forecast('1');
    const two = await forecast('2');
    expect(one.summary.training_threads).toBe(1);
    expect(two.summary.training_threads).toBe(2);
    // The stack was trained on its nets (their names are in its parameters) and the forecast varies across customers.
    const params = JSON.parse(two.json).params as { trained_with: string[]; ensemble: { models: string[] } };
    expect(params.trained_with).toContain('ensemble');
    expect(params.ensemble.models).toEqual(expect.arrayContaining(['ziln', 'hybrid']));
    const header = two.csv.split('\n')[0].split(',');
    const spend = two.csv.trim().split('\n').slice(1).map((l) => l.split(',')[header.indexOf('expected_spend')]);
    expect(new Set(spend).size).toBeGreaterThan(100);
    expect(two.csv).toBe(one.csv);
    expect(two.json).toBe(one.json);
  }, 240_000);

  it('refuses zero workers with a clear error', async () => {
    const r = await fit('0');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--workers must be at least 1/);
  });
});
