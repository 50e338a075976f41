/**
 * What `fit` writes per customer and per model beyond the point prediction (issue 11 §3, §4), on
 * CDNOW_sample in weeks through the real CLI: the CLV terms in params.json, P(alive), P(no
 * purchase), expected purchases and discounted CLV per probabilistic model, the 90% intervals
 * (bootstrap for the probabilistic models, the predictive distribution's quantiles for ZILN) whose
 * coverage metrics.json reports, and the new-customer expectation. Every figure is checked against
 * closed forms evaluated here from the fitted parameters, or recounted from the written rows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdnowFile } from '../support/cdnowData';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const PROBABILISTIC = ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg'];
const HORIZON = 39;

/** 52.18 weeks a year: the weekly rate that compounds to `annual`. */
const weeklyRate = (annual: number) => Math.pow(1 + annual, 7 / 365.25) - 1;

describe('fit on CDNOW_sample: per-customer probabilities, intervals and CLV terms', () => {
  let out: string;
  let params: Record<string, any>;
  let metrics: Record<string, any>;
  let rows: Record<string, number>[];
  let header: string[];

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'clv-outputs-'));
    const sample = cdnowFile('CDNOW_sample.txt');
    await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'fit', sample, '--customer', 'column1', '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week', '--model', [...PROBABILISTIC, 'ziln'].join(','), '--epochs', '3', '--discount-rate', '0.12', '--backtest', 'off', '--out', out],
      { cwd: ROOT, maxBuffer: 1 << 26 },
    );
    params = JSON.parse(readFileSync(path.join(out, 'params.json'), 'utf8'));
    metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    const [head, ...lines] = readFileSync(path.join(out, 'predictions.csv'), 'utf8').trim().split('\n');
    header = head.split(',');
    rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], i === 0 ? NaN : Number(v)])));
  }, 400_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('states the CLV terms: unit, calendar horizon, the annual rate and its weekly equivalent', () => {
    expect(params.clv_terms).toMatchObject({ unit: 'week', unit_days: 7, horizon_start: '1997-10-01', horizon_end: '1998-06-30', horizon_days: 273, horizon_units: 39, annual_discount_rate: 0.12, discount_periods: 39 });
    expect(params.clv_terms.discount_rate_per_unit).toBeCloseTo(weeklyRate(0.12), 12);
    expect(params.clv_terms.description).toContain('1997-10-01');
  });

  it('writes the columns for every probabilistic model and ZILN', () => {
    expect(rows.length).toBe(2357);
    for (const m of PROBABILISTIC) for (const c of ['p_alive', 'p_no_purchase', 'expected_purchases', 'clv', 'low', 'high', 'clv_low', 'clv_high']) expect(header).toContain(`${m}_${c}`);
    expect(header).toContain('ziln_low');
    expect(header).toContain('ziln_high');
    expect(header).not.toContain('ziln_p_alive');
    expect(header.at(-1)).toBe('actual');
  });

  it('BG/NBD P(alive) and P(no purchase in 39 weeks) follow the closed forms for the fitted parameters', () => {
    const { r, alpha, a, b } = params.bgnbd as Record<string, number>;
    // Frequency, recency and T are not in predictions.csv: recounted here from the log (weeks, same-day purchases merged).
    const days = new Map<string, Set<number>>();
    for (const line of readFileSync(cdnowFile('CDNOW_sample.txt'), 'utf8').trim().split('\n')) {
      const [, id, date] = line.trim().split(/\s+/);
      const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) / 86_400_000;
      days.set(id, (days.get(id) ?? new Set()).add(day));
    }
    const cutoff = Date.UTC(1997, 8, 30) / 86_400_000;
    const ids = readFileSync(path.join(out, 'predictions.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    const summary = ids.map((id) => {
      const calibration = [...days.get(id)!].filter((d) => d <= cutoff);
      const first = Math.min(...calibration);
      return [0, calibration.length - 1, (Math.max(...calibration) - first) / 7, (cutoff - first) / 7];
    });
    summary.forEach(([, x, tx, T], i) => {
      const alive = x === 0 ? 1 : 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x));
      // Alive at T, no purchase in (T, T+t] means no Poisson event: E[e^{−λt}] with λ ~ Gamma(r+x, α+T).
      const none = 1 - alive + alive * Math.pow((alpha + T) / (alpha + T + HORIZON), r + x);
      expect(rows[i]['bgnbd-gg_p_alive']).toBeCloseTo(alive, 9);
      expect(rows[i]['bgnbd-gg_p_no_purchase']).toBeCloseTo(none, 9);
    });
  });

  it('discounted CLV lies between the undiscounted spend and that spend discounted over the whole horizon', () => {
    const whole = Math.pow(1.12, -273 / 365.25);
    for (const m of PROBABILISTIC) {
      for (const row of rows) {
        const ratio = row[`${m}_clv`] / row[m];
        expect(ratio).toBeLessThan(1);
        expect(ratio).toBeGreaterThan(whole);
        // The CLV interval is the spend interval scaled by the customer's discount factor.
        expect(row[`${m}_clv_low`]).toBeCloseTo(row[`${m}_low`] * ratio, 9);
        expect(row[`${m}_clv_high`]).toBeCloseTo(row[`${m}_high`] * ratio, 9);
      }
    }
  });

  it('interval_coverage_90 is the share of customers whose actual spend lies in [low, high], ZILN included', () => {
    for (const m of [...PROBABILISTIC, 'ziln']) {
      const inside = rows.filter((row) => row.actual >= row[`${m}_low`] && row.actual <= row[`${m}_high`]).length;
      // Cross-fitting scores every customer, so the written rows are the test customers.
      expect(metrics[m].interval_coverage_90).toBeCloseTo(inside / rows.length, 9);
      expect(metrics[m].interval_coverage_90).toBeGreaterThan(0.8);
    }
    // ZILN's bounds are quantiles of spend: 0 is the lower bound for anyone with P(no spend) ≥ 5%.
    expect(rows.filter((row) => row.ziln_low === 0).length).toBeGreaterThan(rows.length / 2);
    expect(rows.every((row) => row.ziln_high >= row.ziln_low)).toBe(true);
  });

  it('tracking.csv: weekly repeat transactions of the cohort, actual vs each model, cutoff on a week boundary', () => {
    const [head, ...lines] = readFileSync(path.join(out, 'tracking.csv'), 'utf8').trim().split('\n');
    const names = head.split(',');
    const table = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
    for (const m of PROBABILISTIC) expect(names).toContain(`${m}_cumulative_expected`);
    const calibration = table.filter((r) => r.phase === 'calibration');
    const horizon = table.filter((r) => r.phase === 'horizon');
    expect(calibration.at(-1)!.period_end).toBe('1997-09-30');
    expect(horizon.length).toBe(39);
    expect(horizon.at(-1)!.period_end).toBe('1998-06-30');
    // Recounted from the log: repeat purchase days up to the cutoff, and purchase days in the horizon.
    const days = new Map<string, Set<number>>();
    for (const line of readFileSync(cdnowFile('CDNOW_sample.txt'), 'utf8').trim().split('\n')) {
      const [, id, date] = line.trim().split(/\s+/);
      days.set(id, (days.get(id) ?? new Set()).add(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) / 86_400_000));
    }
    const cutoff = Date.UTC(1997, 8, 30) / 86_400_000;
    let repeats = 0;
    let holdout = 0;
    for (const set of days.values()) {
      repeats += [...set].filter((d) => d <= cutoff).length - 1;
      holdout += [...set].filter((d) => d > cutoff && d <= cutoff + 273).length;
    }
    const sum = (rows: Record<string, string>[], key: string) => rows.reduce((s, r) => s + Number(r[key]), 0);
    expect(sum(calibration, 'actual')).toBe(repeats);
    expect(sum(horizon, 'actual')).toBe(holdout);
    // Each model's cumulative expectation at the cutoff is close to what it was fitted to reproduce.
    for (const m of PROBABILISTIC) expect(Math.abs(Number(calibration.at(-1)![`${m}_cumulative_expected`]) / repeats - 1)).toBeLessThan(0.05);
  });

  it('new-customer expectation: Pareto/NBD E[X(39)] and BG/NBD P(X(39) = 0) in closed form, value at Gamma-Gamma\'s mean', () => {
    const { r, alpha, s, beta } = params.pareto_nbd as Record<string, number>;
    const purchases = ((r * beta) / (alpha * (s - 1))) * (1 - Math.pow(beta / (beta + HORIZON), s - 1));
    expect(params.pareto_nbd.new_customer.purchases).toBeCloseTo(purchases, 8);
    const { p, q, v } = params.gamma_gamma as Record<string, number>;
    expect(params.pareto_nbd.new_customer.spend_per_purchase).toBeCloseTo((p * v) / (q - 1), 8);
    expect(params.pareto_nbd.new_customer.value).toBeCloseTo((purchases * p * v) / (q - 1), 6);
    const bg = params.bgnbd as Record<string, number>;
    expect(params.bgnbd.new_customer.p_no_purchase).toBeCloseTo(Math.pow(bg.alpha / (bg.alpha + HORIZON), bg.r), 10);
    for (const key of ['bgnbd', 'pareto_nbd', 'mbg_nbd']) {
      const n = params[key].new_customer;
      expect(n.clv).toBeLessThan(n.value);
      expect(n.clv).toBeGreaterThan(n.value * Math.pow(1.12, -273 / 365.25));
    }
  });
});
