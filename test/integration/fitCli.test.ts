import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CDNOW = path.resolve(ROOT, '../shared/datasets/cdnow');

async function clv(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', ...args], { cwd: ROOT, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('clv fit / predict', () => {
  it('fits BG/NBD + Gamma-Gamma on CDNOW_sample to the published parameters (1%)', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'clv-fit-'));
    const r = await clv(['fit', path.join(CDNOW, 'CDNOW_sample.txt'), '--customer', 'column1', '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week', '--model', 'bgnbd-gg', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim());
    expect(summary.customers).toBe(2357);
    const params = JSON.parse(readFileSync(path.join(out, 'params.json'), 'utf8'));
    const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const [k, v] of Object.entries(published)) expect(Math.abs(params.bgnbd[k] / v - 1)).toBeLessThan(0.01);
    for (const [k, v] of Object.entries({ p: 6.25, q: 3.74, v: 15.44 })) expect(Math.abs(params.gamma_gamma[k] / v - 1)).toBeLessThan(0.01);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    for (const model of ['bgnbd-gg', 'naive']) {
      for (const key of ['rmse', 'mae', 'r2', 'spearman', 'normalized_gini', 'top_decile_share']) expect(Number.isFinite(metrics[model][key])).toBe(true);
    }
    expect(metrics.visitante.rmse).toBeNull();
    expect(Number.isFinite(metrics.visitante.normalized_gini)).toBe(true);
    const predictions = parseCsv(readFileSync(path.join(out, 'predictions.csv'), 'utf8'));
    expect(predictions).toHaveLength(2357);
    expect(Object.keys(predictions[0])).toEqual([
      'customer_id',
      'bgnbd-gg',
      'naive',
      'visitante',
      ...['p_alive', 'p_no_purchase', 'expected_purchases', 'clv', 'low', 'high', 'clv_low', 'clv_high'].map((c) => `bgnbd-gg_${c}`),
      'actual',
    ]);
    const segments = parseCsv(readFileSync(path.join(out, 'segments.csv'), 'utf8'));
    expect(segments).toHaveLength(2357);
    const counts = { high: 0, medium: 0, low: 0 } as Record<string, number>;
    for (const row of segments) counts[row.segment]++;
    expect(counts.high).toBeGreaterThan(0);
    expect(counts.high).toBeLessThanOrEqual(Math.round(2357 * 0.2));
    expect(counts.high + counts.medium + counts.low).toBe(2357);
    const retention = parseCsv(readFileSync(path.join(out, 'retention.csv'), 'utf8'));
    expect(retention.every((r) => segments.find((s) => s.customer_id === r.customer_id)!.segment === 'high')).toBe(true);
    // One churn definition: the segments' and the retention list's churn is the exported P(no purchase in the horizon).
    const noPurchase = new Map(predictions.map((r) => [r.customer_id, Number(r['bgnbd-gg_p_no_purchase'])]));
    for (const row of segments) expect(Number(row.churn)).toBeCloseTo(noPurchase.get(row.customer_id)!, 6);
    for (const r of retention) expect(Number(r.churn_risk)).toBeCloseTo(noPurchase.get(r.customer_id)!, 6);
  });

  it('trains a net, writes a bundle, predicts a new file with it, and refuses a broken bundle', { timeout: 400_000 }, async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'clv-fit-'));
    const file = path.join(CDNOW, 'CDNOW_sample.txt');
    const r = await clv(['fit', file, '--customer', 'column1', '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--model', 'ziln', '--epochs', '2', '--seed', '7', '--clusters', 'on', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics).sort()).toEqual(['bgnbd-gg', 'naive', 'ziln']);
    const clusters = parseCsv(readFileSync(path.join(out, 'clusters.csv'), 'utf8'));
    expect(clusters).toHaveLength(2357);
    expect(new Set(clusters.map((c) => c.cluster)).size).toBeGreaterThan(1);
    expect(clusters.every((c) => Number(c.anomaly_score) >= 0)).toBe(true);
    // The bundle holds the best model by normalized Gini, and its file name says which.
    const star = Object.entries(metrics as Record<string, { normalized_gini: number }>).sort((a, b) => b[1].normalized_gini - a[1].normalized_gini)[0][0];
    expect(JSON.parse(r.stdout.trim()).bundle_model).toBe(star);
    const bundle = path.join(out, `model-${star}.clvbundle`);
    expect(existsSync(bundle)).toBe(true);
    const bytes = readFileSync(bundle);
    if (star === 'ziln') {
      const header = JSON.parse(bytes.subarray(8, 8 + bytes.readUInt32LE(4)).toString('utf8'));
      expect(header.metadata).toMatchObject({ modelKind: 'ziln', model: 'ziln', cutoff: '1997-09-30', unit: 'day', horizonDays: 273, seed: 7, metrics: { seed: 7 } });
      expect(header.metadata.metrics.normalized_gini).toBe(metrics.ziln.normalized_gini);
    } else {
      const header = JSON.parse(bytes.subarray(4).toString('utf8'));
      expect(header).toMatchObject({ model: star, cutoff: '1997-09-30', horizonDays: 273, seed: 7 });
      expect(header.metrics.normalized_gini).toBe(metrics[star].normalized_gini);
    }
    const predictOut = path.join(out, 'predict');
    const p = await clv(['predict', file, '--customer', 'column1', '--bundle', bundle, '--out', predictOut]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const rows = parseCsv(readFileSync(path.join(predictOut, 'predictions.csv'), 'utf8'));
    expect(rows).toHaveLength(2357);
    expect(rows.every((row) => Number.isFinite(Number(row.predicted_clv)) && Number(row.predicted_clv) >= 0)).toBe(true);
    const broken = path.join(out, 'broken.clvbundle');
    writeFileSync(broken, 'not a bundle');
    const b = await clv(['predict', file, '--bundle', broken, '--out', predictOut]);
    expect(b.code).not.toBe(0);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/BUNDLE_CORRUPT/);
  });

  it('rejects an unknown model with one line on stderr', async () => {
    const r = await clv(['fit', path.join(CDNOW, 'CDNOW_sample.txt'), '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--model', 'magic', '--out', os.tmpdir()]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Unknown model "magic"/);
  });

  it('evaluates a customer table with a CLV column by random split and by k-fold', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-table-'));
    const file = path.join(dir, 'customers.csv');
    const lines = ['customer_id,recency,frequency,monetary,clv'];
    for (let c = 0; c < 300; c++) {
      const f = c % 9;
      const m = 10 + ((c * 37) % 90);
      const rec = (c * 53) % 300;
      lines.push(`u${c},${rec},${f},${m},${(f * m * Math.exp(-rec / 200)).toFixed(2)}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const split = await clv(['fit', file, '--target', 'clv', '--split', '70/15/15', '--model', 'fnn', '--epochs', '2', '--out', path.join(dir, 'split')]);
    expect(split.stderr).toBe('');
    const splitSummary = JSON.parse(split.stdout.trim());
    expect(splitSummary.features).toEqual(['recency', 'frequency', 'monetary']);
    expect(splitSummary.protocol).toEqual({ kind: 'random', fractions: [0.7, 0.15, 0.15] });
    const splitMetrics = JSON.parse(readFileSync(path.join(dir, 'split', 'metrics.json'), 'utf8'));
    expect(splitMetrics.folds).toHaveLength(1);
    expect(splitMetrics.folds[0][0].n).toBe(45);
    const kfold = await clv(['fit', file, '--target', 'clv', '--kfold', '3', '--model', 'fnn', '--epochs', '2', '--out', path.join(dir, 'kfold')]);
    expect(kfold.stderr).toBe('');
    const kfoldMetrics = JSON.parse(readFileSync(path.join(dir, 'kfold', 'metrics.json'), 'utf8'));
    expect(kfoldMetrics.folds).toHaveLength(3);
    expect(kfoldMetrics.folds.map((f: { n: number }[]) => f[0].n)).toEqual([100, 100, 100]);
    for (const model of ['mean', 'fnn-seed', 'fnn']) expect(Number.isFinite(kfoldMetrics[model].rmse.mean)).toBe(true);
    const bad = await clv(['fit', file, '--target', 'nope', '--out', dir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no column called "nope"/);
  });
});
