/**
 * The default models on heavy-tailed, wholesale-style logs (issue 12 §2–3): spend per customer
 * lognormal with σ = 2 (test/bench/syntheticLog.ts), plus a few wholesale customers who buy every
 * week or two for about 100× the median order, some of whom stop before the cutoff. Each log runs
 * through the real data engine and the default evaluation (5-fold cross-fitting, every customer
 * scored out of fold). The third and fourth logs' seeds were chosen only after the defaults were
 * fixed (the fourth a session later); the fifth and sixth after the ensemble's values were made
 * BG/NBD + Gamma-Gamma's (models/stackedEnsemble.ts), before that was measured on them; the seventh
 * after the hybrid left the default run (modelNames.ts DEFAULT_MODELS); the eighth and ninth once
 * BG/NBD × lognormal spend took BG/NBD + Gamma-Gamma's place in the stack where Gamma-Gamma is
 * degenerate (evaluate/stackingStep.ts withSpendModel), before that was run on any log.
 *
 * Asserted per log: the stacked ensemble (the default, named in advance) beats the run rate and
 * BG/NBD + Gamma-Gamma on RMSE, and matches (within 0.005) or beats its best base on normalized
 * Gini; every net's predictions are finite and its calibration slope lies within 0.5 … 1.5.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { evaluateModels, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { DEFAULT_MODELS, trainedNets } from '../../src/core/evaluate/modelNames';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { Rng } from '../../src/core/random';
import { UNIT_DAYS, daysBetween } from '../../src/core/tables/period';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { writeSyntheticLog } from '../bench/syntheticLog';

const CUTOFF = '2022-12-31';
/** The nets of the default run (ZILN; the hybrid left the default, see modelNames.ts). */
const NETS = trainedNets(DEFAULT_MODELS);
const HORIZON_END = '2023-12-31';
/** Log seeds; all but the first two were picked after the defaults were fixed (held out). */
const CASES = [
  { name: 'heavy tail, seed 301', seed: 301 },
  { name: 'heavy tail, seed 302', seed: 302 },
  { name: 'held out: heavy tail, seed 8117', seed: 8117 },
  // Drawn from the date (2026-12-06), after the defaults were last changed; never used to choose anything.
  { name: 'held out: heavy tail, seed 61206', seed: 61206 },
  // Picked when the ensemble's values became BG/NBD's (2026-12-06), to check that change on logs it was not chosen on.
  { name: 'held out: heavy tail, seed 5150', seed: 5150 },
  { name: 'held out: heavy tail, seed 90210', seed: 90210 },
  // Drawn from the date and hour (2026-12-06, 20:45 UTC) after the hybrid left the default run, before it was run.
  { name: 'held out: heavy tail, seed 61220', seed: 61220 },
  // Drawn from the date and time (2026-12-07, 06:37 UTC) once the lognormal spend model took BG/NBD + Gamma-Gamma's
  // place in the stack where Gamma-Gamma is degenerate, before that change was run on any log.
  { name: 'held out: heavy tail, seed 61207', seed: 61207 },
  { name: 'held out: heavy tail, seed 20637', seed: 20637 },
];

/** Wholesale customers: weekly-ish orders of ~100× the median, a third of them gone before the cutoff. */
function appendWholesale(file: string, seed: number): void {
  const rng = new Rng(seed);
  const start = Date.UTC(2021, 0, 1);
  const end = Date.UTC(2023, 11, 31);
  let text = '';
  for (let w = 0; w < 12; w++) {
    const gone = w % 3 === 0 ? Date.UTC(2022, 6 + (w % 6), 1) : end;
    const size = Math.exp(rng.normal(Math.log(3000), 0.7));
    for (let t = start + rng.int(14) * 86_400_000; t < gone; t += (7 + rng.int(10)) * 86_400_000) {
      const amount = size * Math.exp(rng.normal(0, 0.4));
      text += `W${seed}_${w},${new Date(t).toISOString().slice(0, 10)},${amount.toFixed(2)}\n`;
    }
  }
  appendFileSync(file, text);
}

interface Report {
  name: string;
  customers: number;
  table: Record<string, { rmse: number | null; gini: number; slope: number | undefined }>;
  bases: string[];
  choice: string;
}

async function runCase(c: (typeof CASES)[number], dir: string): Promise<Report> {
  const file = path.join(dir, `heavy_${c.seed}.csv`);
  writeSyntheticLog(file, { rows: 30_000, seed: c.seed, spendLogMean: 3.4, spendLogSd: 2.0, purchaseLogSd: 0.5 });
  appendWholesale(file, c.seed);
  const db = await openWasmDb();
  let result: EvaluationResult | null = null;
  try {
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(file));
    await engine.load(inspection.mapping);
    await engine.build({ period: { cutoff: CUTOFF, horizonEnd: HORIZON_END }, unit: 'week' });
    const inputs = await engine.modelInputs();
    result = await evaluateModels(
      {
        customerIds: inputs.customerIds,
        featureNames: inputs.featureNames,
        X: inputs.X,
        holdoutSpend: inputs.holdoutSpend!,
        holdoutOrders: inputs.holdoutOrders!,
        btyd: inputs.btyd,
        unitDays: UNIT_DAYS[inputs.unit],
        horizonDays: daysBetween(CUTOFF, HORIZON_END),
        visitanteScore: inputs.visitanteScore,
      },
      { models: [...DEFAULT_MODELS], seed: 42 },
    );
    for (const m of NETS) expect(result.predictions[m]!.every(Number.isFinite), `${c.name}: ${m} finite`).toBe(true);
    return {
      name: c.name,
      customers: inputs.customerIds.length,
      table: Object.fromEntries(result.metrics.map((m) => [m.model, { rmse: m.regression.rmse, gini: m.regression.normalized_gini, slope: m.calibration_slope }])),
      bases: result.ensemble!.models,
      choice: result.ensemble!.choice,
    };
  } finally {
    for (const net of Object.values(result?.nets ?? {})) net?.predictor.dispose();
    db.close();
  }
}

describe('the default models on heavy-tailed wholesale-style logs', () => {
  let dir: string;
  const reports: Report[] = [];

  beforeAll(async () => {
    await activateBackend('wasm');
    dir = mkdtempSync(path.join(tmpdir(), 'clv-heavy-'));
    for (const c of CASES) reports.push(await runCase(c, dir));
    for (const r of reports) {
      const rows = Object.entries(r.table).map(([m, v]) => `  ${m.padEnd(10)} ${v.rmse === null ? '—' : v.rmse.toFixed(1)} / ${v.gini.toFixed(3)} slope ${v.slope?.toFixed(2) ?? '—'}`);
      console.log(`${r.name}: ${r.customers} customers; stack ${r.choice}\n${rows.join('\n')}`);
    }
  }, 3_600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the ensemble beats the run rate and BG/NBD + Gamma-Gamma on RMSE', () => {
    for (const r of reports) {
      expect(r.table.ensemble.rmse!, `${r.name} vs naive`).toBeLessThan(r.table.naive.rmse!);
      expect(r.table.ensemble.rmse!, `${r.name} vs bgnbd-gg`).toBeLessThan(r.table['bgnbd-gg'].rmse!);
    }
  });

  it('the ensemble matches or beats its best base on normalized Gini', () => {
    for (const r of reports) {
      const best = Math.max(...r.bases.filter((m) => r.table[m]).map((m) => r.table[m].gini));
      expect(r.table.ensemble.gini, `${r.name}: best base ${best}`).toBeGreaterThanOrEqual(best - 0.005);
    }
  });

  it('every net is recalibrated to a slope near 1', () => {
    for (const r of reports) for (const m of NETS) expect(Math.abs(r.table[m].slope! - 1), `${r.name}: ${m}`).toBeLessThan(0.5);
  });
});
