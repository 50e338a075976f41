/**
 * The default model on CDNOW_master through the real command line, as a user runs it:
 * `fit --model default` (5-fold cross-fitting over all 23,570 customers, every model scored
 * out-of-fold on every customer), cutoff 1997-09-30, horizon to 1998-06-30, weeks, for seeds 1, 2
 * and 3 — three child processes run side by side.
 *
 * Asserted, per seed, on metrics.json: the stacked ensemble (named as the default in advance,
 * never chosen by these numbers) beats BG/NBD + Gamma-Gamma on all-customer RMSE and normalized
 * Gini, and is not worse than its best base on either (the paired bootstrap interval over
 * customers of the difference reaches the ensemble's side of zero). Its bases are every model it stacks
 * (params.json lists them); the nets it trains only as bases are not in metrics.json, and are
 * held to through the models that are. Every model carries ci95, vs_btyd (all but BG/NBD) and
 * calibration_slope; the headline RMSE and Gini are recomputed here from predictions.csv.
 * CLV_ACCURACY_OUT=DIR keeps the three runs' output folders there (for the README's tables).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, trainedNets } from '../../src/core/evaluate/modelNames';

const REPO = path.resolve(import.meta.dirname, '../..');
const CDNOW = '/work/shared/datasets/cdnow/CDNOW_master.txt';
const SEEDS = [1, 2, 3];

interface Run {
  seed: number;
  seconds: number;
  metrics: Record<string, Record<string, unknown> & { rmse: number | null; normalized_gini: number }>;
  params: { ensemble: { models: string[]; weights: number[]; choice: string } };
  predictions: { header: string[]; rows: number[][] };
}

function fit(seed: number, out: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', path.join(REPO, 'src/cli.ts'), 'fit', CDNOW, '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week', '--model', 'default', '--seed', String(seed), '--out', out];
    execFile(process.execPath, args, { cwd: REPO, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`fit --seed ${seed} failed: ${stderr}`));
      const summary = JSON.parse(stdout) as { seconds: number };
      const lines = readFileSync(path.join(out, 'predictions.csv'), 'utf8').trim().split('\n');
      resolve({
        seed,
        seconds: summary.seconds,
        metrics: JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')),
        params: JSON.parse(readFileSync(path.join(out, 'params.json'), 'utf8')),
        predictions: { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').slice(1).map(Number)) },
      });
    });
  });
}

describe('fit --model default on CDNOW_master, seeds 1, 2, 3 (real CLI, cross-fitted)', () => {
  let dir: string;
  let runs: Run[] = [];

  beforeAll(async () => {
    dir = process.env.CLV_ACCURACY_OUT ?? mkdtempSync(path.join(os.tmpdir(), 'clv-cdnow-default-'));
    runs = await Promise.all(SEEDS.map((s) => fit(s, path.join(dir, `seed${s}`))));
    for (const r of runs) {
      const line = (m: string) => `${m} ${r.metrics[m]?.rmse?.toFixed(2)} / ${r.metrics[m]?.normalized_gini.toFixed(3)}`;
      console.log(`seed ${r.seed} (${r.seconds.toFixed(0)} s): ${Object.keys(r.metrics).map(line).join('; ')}; stack ${r.params.ensemble.choice}`);
    }
  }, 3_600_000);

  afterAll(() => {
    if (dir && !process.env.CLV_ACCURACY_OUT) rmSync(dir, { recursive: true, force: true });
  });

  it('scores all 23,570 customers out of fold, with intervals, paired differences and calibration slopes', () => {
    for (const r of runs) {
      const actual = r.predictions.header.indexOf('actual') - 1;
      const col = r.predictions.header.indexOf('ensemble') - 1;
      expect(r.predictions.rows).toHaveLength(23_570);
      const rmse = Math.sqrt(r.predictions.rows.reduce((a, row) => a + (row[col] - row[actual]) ** 2, 0) / r.predictions.rows.length);
      expect(r.metrics.ensemble.rmse).toBeCloseTo(rmse, 2);
      const everyone = Int32Array.from({ length: r.predictions.rows.length }, (_, i) => i);
      const column = (c: number) => r.predictions.rows.map((row) => row[c]);
      expect(r.metrics.ensemble.normalized_gini).toBeCloseTo(giniOf(column(actual), column(col), everyone), 6);
      for (const [model, m] of Object.entries(r.metrics)) {
        expect(m.n, model).toBe(23_570);
        expect(m.ci95, model).toBeDefined();
        if (model !== 'bgnbd-gg') expect(m.vs_btyd, model).toBeDefined();
        if (model !== 'visitante') expect(typeof m.calibration_slope, model).toBe('number');
      }
      for (const net of trainedNets(DEFAULT_MODELS)) expect(Math.abs((r.metrics[net].calibration_slope as number) - 1), `${net} calibration slope`).toBeLessThan(0.25);
    }
  });

  it('the ensemble beats BG/NBD + Gamma-Gamma on RMSE and normalized Gini for every seed', () => {
    for (const r of runs) {
      expect(r.metrics.ensemble.rmse!, `seed ${r.seed} RMSE`).toBeLessThan(r.metrics['bgnbd-gg'].rmse!);
      expect(r.metrics.ensemble.normalized_gini, `seed ${r.seed} Gini`).toBeGreaterThan(r.metrics['bgnbd-gg'].normalized_gini);
    }
  });

  it('the ensemble is not worse than its best base on RMSE or on normalized Gini, for every seed (paired bootstrap over customers)', () => {
    // "Not worse": the paired 95% interval of (ensemble − best base), 400 resamples of customers
    // drawn here, reaches the ensemble's side of zero, and the point deficit, if any, is small.
    // A deficit within the noise of the comparison (one or two very large customers decide
    // CDNOW's RMSE) is printed, not hidden.
    for (const r of runs) {
      const bases = r.params.ensemble.models.filter((m) => r.metrics[m]);
      // Every model of the default run that predicts spend, and only those.
      expect([...bases].sort()).toEqual(DEFAULT_MODELS.filter((m) => m !== 'ensemble' && m !== 'visitante').sort());
      const column = (m: string) => {
        const c = r.predictions.header.indexOf(m) - 1;
        return r.predictions.rows.map((row) => row[c]);
      };
      const actual = column('actual');
      const ens = column('ensemble');
      const bestRmseBase = bases.reduce((a, b) => (r.metrics[b].rmse! < r.metrics[a].rmse! ? b : a));
      const bestGiniBase = bases.reduce((a, b) => (r.metrics[b].normalized_gini > r.metrics[a].normalized_gini ? b : a));
      const rmseDiff = pairedBootstrap(actual, ens, column(bestRmseBase), rootMeanSquaredError, r.seed);
      const giniDiff = pairedBootstrap(actual, ens, column(bestGiniBase), giniOf, r.seed);
      console.log(`seed ${r.seed}: ensemble − ${bestRmseBase} RMSE ${rmseDiff.point.toFixed(2)} [${rmseDiff.low.toFixed(2)}, ${rmseDiff.high.toFixed(2)}]; ensemble − ${bestGiniBase} Gini ${giniDiff.point.toFixed(4)} [${giniDiff.low.toFixed(4)}, ${giniDiff.high.toFixed(4)}]`);
      expect(rmseDiff.low, `seed ${r.seed}: RMSE against ${bestRmseBase}`).toBeLessThanOrEqual(0);
      expect(giniDiff.high, `seed ${r.seed}: Gini against ${bestGiniBase}`).toBeGreaterThanOrEqual(0);
      // And any point deficit stays small: under 1% of the best RMSE, under 0.005 of Gini (the
      // heavy-tail test's tolerance), so a wide interval alone cannot carry the claim.
      expect(rmseDiff.point, `seed ${r.seed}: RMSE point deficit against ${bestRmseBase}`).toBeLessThanOrEqual(0.01 * r.metrics[bestRmseBase].rmse!);
      expect(giniDiff.point, `seed ${r.seed}: Gini point deficit against ${bestGiniBase}`).toBeGreaterThanOrEqual(-0.005);
    }
  });
});

function rootMeanSquaredError(actual: number[], predicted: number[], rows: Int32Array): number {
  let s = 0;
  for (const i of rows) s += (predicted[i] - actual[i]) ** 2;
  return Math.sqrt(s / rows.length);
}

/** Normalized Gini (Kaggle), ties in the prediction sharing their spend evenly, written here apart from the engine's. */
function giniOf(actual: number[], predicted: number[], rows: Int32Array): number {
  const raw = (order: number[], key: number[]) => {
    const n = order.length;
    const values = new Float64Array(n);
    for (let a = 0; a < n; ) {
      let b = a;
      let sum = 0;
      while (b < n && key[order[b]] === key[order[a]]) sum += actual[order[b++]];
      for (let j = a; j < b; j++) values[j] = sum / (b - a);
      a = b;
    }
    const total = values.reduce((x, v) => x + v, 0);
    let cum = 0;
    let area = 0;
    for (let j = 0; j < n; j++) area += (cum += values[j]) / total;
    return (area - (n + 1) / 2) / n;
  };
  const byPrediction = Array.from(rows).sort((a, b) => predicted[b] - predicted[a]);
  const byActual = Array.from(rows).sort((a, b) => actual[b] - actual[a]);
  return raw(byPrediction, predicted) / raw(byActual, actual);
}

/** The paired difference metric(ensemble) − metric(base): point value and 2.5%/97.5% bootstrap quantiles. */
function pairedBootstrap(actual: number[], ensemble: number[], base: number[], metric: (a: number[], p: number[], rows: Int32Array) => number, seed: number) {
  const n = actual.length;
  const everyone = Int32Array.from({ length: n }, (_, i) => i);
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const diffs: number[] = [];
  for (let b = 0; b < 400; b++) {
    const rows = Int32Array.from({ length: n }, () => Math.floor(next() * n));
    diffs.push(metric(actual, ensemble, rows) - metric(actual, base, rows));
  }
  diffs.sort((a, b) => a - b);
  return { point: metric(actual, ensemble, everyone) - metric(actual, base, everyone), low: diffs[Math.floor(0.025 * 400)], high: diffs[Math.ceil(0.975 * 400) - 1] };
}
