/**
 * `clv forecast` on the whole CDNOW log with the cutoff at the file's end: BG/NBD + Gamma-Gamma's
 * forecast for hand-computed customers equals the closed-form expectations of the published
 * formulas (Fader, Hardie & Lee 2005, eq. 10 and the P(alive) of their note; Fader, Hardie & Lee
 * 2005 "RFM and CLV", the Gamma-Gamma conditional mean), evaluated here from the raw file and
 * the parameters forecast.json reports, with the Gauss hypergeometric function summed as a series.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const MASTER = path.resolve(ROOT, '../shared/datasets/cdnow/CDNOW_master.txt');

/** 2F1(a, b; c; z) for |z| < 1 by its power series. */
function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 200_000; k++) {
    term *= ((a + k) * (b + k)) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum) && k > 10) break;
  }
  return sum;
}

interface Bg {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

function aliveOdds({ r, alpha, a, b }: Bg, x: number, tx: number, T: number): number {
  return x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0;
}

/** E[Y(t) | x, t_x, T]: BG/NBD's conditional expectation (FHL 2005, eq. 10). */
function expectedPurchases(p: Bg, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const head = (a + b + x - 1) / (a - 1);
  const tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  return (head * tail) / (1 + aliveOdds(p, x, tx, T));
}

/** Parses CDNOW_master (id, yyyymmdd, cds, dollars) into each customer's spend per day. */
function purchaseDays(): Map<string, Map<number, number>> {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const line of readFileSync(MASTER, 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 4 || !/^\d{8}$/.test(parts[1])) continue;
    const d = parts[1];
    const day = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) / 86_400_000;
    const days = byCustomer.get(parts[0]) ?? new Map<number, number>();
    days.set(day, (days.get(day) ?? 0) + Number(parts[3]));
    byCustomer.set(parts[0], days);
  }
  return byCustomer;
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

describe('clv forecast on CDNOW_master, cutoff at the file end', () => {
  it('BG/NBD + Gamma-Gamma: expected purchases, P(alive), spend and discounted margin equal the closed form', { timeout: 600_000 }, async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'clv-forecast-'));
    const { stdout, stderr } = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'forecast', MASTER, '--model', 'bgnbd-gg', '--unit', 'week', '--horizon-months', '12', '--discount-rate', '10%', '--margin', '30%', '--out', out],
      { cwd: ROOT, maxBuffer: 1 << 26 },
    );
    expect(stderr).toBe('');
    const summary = JSON.parse(stdout.trim());
    expect(summary.customers).toBe(23570);
    const json = JSON.parse(readFileSync(path.join(out, 'forecast.json'), 'utf8'));
    expect(json.model).toBe('bgnbd-gg');
    expect(json.unit).toBe('week');
    expect(json.period).toMatchObject({ start: '1998-07-01', end: '1999-06-30', days: 365, months: 12 });
    expect(json.description).toBe('expected gross margin (30% of spend), 1 Jul 1998 – 30 Jun 1999, discounted at 10%/yr');
    expect(json.margin).toBe(0.3);
    expect(json.discount.annual_rate).toBe(0.1);
    const bg: Bg = json.params.bgnbd;
    const gg: { p: number; q: number; v: number } = json.params.gamma_gamma;

    const text = readFileSync(path.join(out, 'forecast.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('customer_id,expected_purchases,p_alive,churn,expected_spend,clv,clv_low,clv_high,value_segment');
    const rows = new Map(parseCsv(text).map((r) => [r.customer_id, r]));
    expect(rows.size).toBe(23570);

    // The file's last day is the cutoff; the forecast runs 365 days after it.
    const cutoff = Date.UTC(1998, 5, 30) / 86_400_000;
    const customers = purchaseDays();
    const heaviest = [...customers].sort((l, r) => r[1].size - l[1].size)[0][0];
    const chosen = ['00001', '00003', '00004', '00010', '01000', '05000', '12345', '20000', '23570', heaviest];
    const t = 365 / 7;
    const monthWeeks = 365 / 12 / 7;
    const monthlyRate = 1.1 ** (365 / 12 / 365.25) - 1;
    for (const id of chosen) {
      const days = [...customers.get(id)!.entries()].sort((l, r) => l[0] - r[0]);
      const first = days[0][0];
      const x = days.length - 1;
      const tx = (days[days.length - 1][0] - first) / 7;
      const T = (cutoff - first) / 7;
      const mbar = x > 0 ? days.slice(1).reduce((s, d) => s + d[1], 0) / x : 0;
      const spend = (gg.p * (gg.v + x * mbar)) / (gg.p * x + gg.q - 1);
      const purchases = expectedPurchases(bg, t, x, tx, T);
      let clv = 0;
      for (let k = 1; k <= 12; k++) {
        const inMonth = expectedPurchases(bg, k * monthWeeks, x, tx, T) - expectedPurchases(bg, (k - 1) * monthWeeks, x, tx, T);
        clv += (0.3 * inMonth * spend) / (1 + monthlyRate) ** k;
      }
      const row = rows.get(id)!;
      const alive = 1 / (1 + aliveOdds(bg, x, tx, T));
      expect(Number(row.p_alive), id).toBeCloseTo(alive, 8);
      // churn = P(no purchase in the period): dead, or alive with no purchase at rate λ ~ Gamma(r + x, α + T).
      expect(Number(row.churn), id).toBeCloseTo(1 - alive + alive * ((bg.alpha + T) / (bg.alpha + T + t)) ** (bg.r + x), 8);
      expect(Number(row.expected_purchases) / purchases - 1, id).toBeCloseTo(0, 6);
      expect(Number(row.expected_spend) / (purchases * spend) - 1, id).toBeCloseTo(0, 6);
      expect(Number(row.clv) / clv - 1, id).toBeCloseTo(0, 6);
      expect(Number(row.clv_low)).toBeLessThanOrEqual(Number(row.clv_high));
    }
    // The 90% interval of each CLV surrounds its point value for nearly every customer.
    let inside = 0;
    for (const r of rows.values()) if (Number(r.clv_low) <= Number(r.clv) && Number(r.clv) <= Number(r.clv_high)) inside++;
    expect(inside / rows.size).toBeGreaterThan(0.9);
    // Segments and the action lists come from the forecast, and say its period.
    const segments = parseCsv(readFileSync(path.join(out, 'segments.csv'), 'utf8'));
    expect(segments.map((r) => r.segment)).toEqual(['high', 'medium', 'low']);
    expect(segments.reduce((n, r) => n + Number(r.count), 0)).toBe(23570);
    const byClv = [...rows.values()].sort((l, r) => Number(r.clv) - Number(l.clv));
    const retention = parseCsv(readFileSync(path.join(out, 'retention.csv'), 'utf8'));
    expect(retention.length).toBeGreaterThan(0);
    for (const r of retention) {
      const row = rows.get(r.customer_id)!;
      expect(row.value_segment).toBe('high');
      expect(Number(r.churn_risk)).toBeCloseTo(Number(row.churn), 8);
      expect(Number(r.churn_risk)).toBeGreaterThanOrEqual(0.5);
      expect(r.period_start).toBe('1998-07-01');
    }
    expect(Number(byClv[0].clv)).toBeGreaterThanOrEqual(Number(retention[0].predicted_clv));
    const upsell = parseCsv(readFileSync(path.join(out, 'upsell.csv'), 'utf8'));
    for (const r of upsell) expect(rows.get(r.customer_id)!.value_segment).toBe('medium');
  });
});
