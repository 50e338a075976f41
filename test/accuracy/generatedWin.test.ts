/**
 * Learned models against BG/NBD + Gamma-Gamma on data nobody tuned on: three synthetic BTYD-style
 * transaction logs (test/bench/syntheticLog.ts, deterministic) with different seeds and parameter
 * sets, run through the real data engine and the same evaluation as the CLI's `fit`: features and
 * BTYD summaries up to the cutoff, targets from the horizon after it, every model scored on the
 * same 30% of customers held out from training. Models run with their defaults (no settings picked
 * for these data); the third log and split were only generated after those defaults were fixed.
 *
 * The log's purchasing follows BG/NBD's own story, which favours BG/NBD; spend per purchase is
 * lognormal, not Gamma-Gamma's gamma mixture. Asserted: the stacked ensemble beats BG/NBD +
 * Gamma-Gamma on RMSE and normalized Gini, and the run rate and visitante on every rank metric.
 * Whether the best learned model also beats BG/NBD on Spearman and top-decile share (the wider
 * goal) is printed, not asserted: it does not on every log.
 *
 * CLV_GENERATED_REPORT=FILE writes the metric tables as JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { evaluateModels, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { MODEL_NAMES, type ModelName } from '../../src/core/evaluate/modelNames';
import { UNIT_DAYS, daysBetween } from '../../src/core/tables/period';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { writeSyntheticLog, type SyntheticLogOptions } from '../bench/syntheticLog';

interface GeneratedCase {
  name: string;
  log: Partial<SyntheticLogOptions> & { rows: number; seed: number };
  cutoff: string;
  horizonEnd: string;
  /** Evaluation seed (split and net initialisation). */
  seed: number;
}

// Sizes: 11–15k customers each, so the 30% test slice (3.3–4.5k customers) is large enough for
// differences of a few percent to mean something. At 3k customers (a 950-customer test slice,
// 60–75% of them spending nothing) the ranking of models flipped from one seed to the next.
const CASES: GeneratedCase[] = [
  {
    name: 'BG/NBD defaults of the bench generator',
    // Mean λ ≈ 5 purchases a year, dropout p ≈ 0.17 after each purchase; lognormal spend.
    log: { rows: 63_000, seed: 101 },
    cutoff: '2022-12-31',
    horizonEnd: '2023-12-31',
    seed: 42,
  },
  {
    name: 'fewer, more heterogeneous buyers with heavy-tailed spend',
    log: { rows: 49_000, seed: 20_250_707, r: 0.5, alpha: 40, a: 1.0, b: 2.0, spendLogMean: 3.0, spendLogSd: 1.0, purchaseLogSd: 0.6 },
    cutoff: '2022-12-31',
    horizonEnd: '2023-12-31',
    seed: 7,
  },
  {
    // Not looked at while the models' defaults were chosen: a fresh log and a fresh split.
    name: 'held out: BG/NBD defaults, another log and split',
    log: { rows: 63_000, seed: 202 },
    cutoff: '2022-12-31',
    horizonEnd: '2023-12-31',
    seed: 5,
  },
];

/**
 * Every model of the CLI's `--model all` except the sequence nets (LSTM, CNN), which take several
 * minutes here on two CPU cores; evaluateModels.test.ts and sequenceModels.test.ts cover them.
 */
const MODELS: ModelName[] = MODEL_NAMES.filter((m) => m !== 'lstm' && m !== 'cnn');
/** The learned models that compete for "best learned model". */
const LEARNED: ModelName[] = ['fnn-seed', 'fnn', 'ziln', 'hybrid', 'ensemble'];
/** The learned model the checks below hold to (see there why it is fixed in advance). */
const OURS: ModelName = 'ensemble';
const BASELINES: ModelName[] = ['bgnbd-gg', 'naive', 'visitante'];
const RANK_METRICS = ['normalized_gini', 'spearman', 'top_decile_share'] as const;

interface Row {
  model: string;
  rmse: number | null;
  normalized_gini: number;
  spearman: number;
  top_decile_share: number;
}

interface CaseReport {
  name: string;
  customers: number;
  test: number;
  zeroShare: number;
  gammaGamma: Record<string, unknown> | null;
  bgnbd: Record<string, number>;
  warnings: string[];
  table: Row[];
}

async function runCase(c: GeneratedCase, dir: string): Promise<CaseReport> {
  const file = path.join(dir, `generated_${c.log.seed}.csv`);
  writeSyntheticLog(file, c.log);
  const db = await openWasmDb();
  let result: EvaluationResult | null = null;
  try {
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(file));
    await engine.load(inspection.mapping);
    await engine.build({ period: { cutoff: c.cutoff, horizonEnd: c.horizonEnd }, unit: 'week' });
    const inputs = await engine.modelInputs();
    const spend = inputs.holdoutSpend!;
    result = await evaluateModels(
      {
        customerIds: inputs.customerIds,
        featureNames: inputs.featureNames,
        X: inputs.X,
        holdoutSpend: spend,
        holdoutOrders: inputs.holdoutOrders!,
        btyd: inputs.btyd,
        unitDays: UNIT_DAYS[inputs.unit],
        horizonDays: daysBetween(c.cutoff, c.horizonEnd),
        visitanteScore: inputs.visitanteScore,
      },
      // The single seeded 70/30 split these figures (and the README table) were produced with; the
      // cross-fitted default is checked by the accuracy project (npm run test:accuracy).
      { models: MODELS, seed: c.seed, protocol: 'split' },
    );
    const table = result.metrics.map((m) => ({
      model: m.model,
      rmse: m.regression.rmse,
      normalized_gini: m.regression.normalized_gini,
      spearman: m.regression.spearman,
      top_decile_share: m.regression.top_decile_share,
    }));
    const { r, alpha, a, b } = result.btyd!.bgnbd;
    const gg = result.btyd!.gammaGamma;
    return {
      name: c.name,
      customers: inputs.customerIds.length,
      test: result.testIndices.length,
      zeroShare: Array.from(result.testIndices).filter((i) => spend[i] === 0).length / result.testIndices.length,
      bgnbd: { r, alpha, a, b },
      gammaGamma: gg ? { p: gg.p, q: gg.q, v: gg.v, degenerate: gg.degenerate } : null,
      warnings: result.warnings,
      table,
    };
  } finally {
    for (const net of Object.values(result?.nets ?? {})) net?.predictor.dispose();
    db.close();
  }
}

const fmt = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));

function printReport(report: CaseReport): void {
  const lines = [
    `${report.name}: ${report.customers} customers, ${report.test} scored, ${(100 * report.zeroShare).toFixed(0)}% spend nothing in the horizon`,
    `  BG/NBD ${JSON.stringify(report.bgnbd)}  Gamma-Gamma ${JSON.stringify(report.gammaGamma)}`,
    '  model       rmse       gini    spearman  top10%',
    ...report.table.map((r) => `  ${r.model.padEnd(10)} ${fmt(r.rmse, 2).padStart(8)}  ${fmt(r.normalized_gini)}   ${fmt(r.spearman)}    ${fmt(r.top_decile_share)}`),
  ];
  console.log(lines.join('\n'));
}

const row = (report: CaseReport, model: string) => report.table.find((r) => r.model === model)!;

/** The learned model with the best normalized Gini on the test slice (printed for information only). */
function bestLearned(report: CaseReport): Row {
  return LEARNED.map((m) => row(report, m)).reduce((best, r) => (r.normalized_gini > best.normalized_gini ? r : best));
}

/** Prints where the best learned model (by test Gini) wins and loses: the wider goal, not asserted. */
function printWins(report: CaseReport): void {
  const best = bestLearned(report);
  const btyd = row(report, 'bgnbd-gg');
  const lost = [
    ...(best.rmse! < btyd.rmse! ? [] : ['rmse vs bgnbd-gg']),
    ...BASELINES.flatMap((b) => RANK_METRICS.filter((m) => !(best[m] > row(report, b)[m])).map((m) => `${m} vs ${b}`)),
  ];
  console.log(`${report.name}: best learned model ${best.model}; ${lost.length === 0 ? 'wins everywhere' : `does not win on ${lost.join(', ')}`}`);
}

describe('learned models against BG/NBD + Gamma-Gamma on generated data', () => {
  let dir: string;
  const reports: CaseReport[] = [];

  beforeAll(async () => {
    await activateBackend('wasm');
    dir = mkdtempSync(path.join(tmpdir(), 'clv-generated-'));
    for (const c of CASES) reports.push(await runCase(c, dir));
    for (const r of reports) printReport(r);
    for (const r of reports) printWins(r);
    if (process.env.CLV_GENERATED_REPORT) writeFileSync(process.env.CLV_GENERATED_REPORT, `${JSON.stringify(reports, null, 2)}\n`);
  }, 1_800_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scores every model on a few thousand customers of each data set', () => {
    for (const report of reports) {
      expect(report.customers).toBeGreaterThan(2500);
      expect(report.table.map((r) => r.model).sort()).toEqual([...MODELS].sort());
      for (const r of report.table) expect(Number.isFinite(r.normalized_gini)).toBe(true);
    }
  });

  // The model we stand behind is named in advance, not picked by its score on these test slices
  // (that choice would favour the learned side): the stacked ensemble, which combines the learned
  // bases with BG/NBD + Gamma-Gamma and the run rate.
  it('the ensemble beats BG/NBD + Gamma-Gamma on normalized Gini and RMSE on every data set', () => {
    for (const report of reports) {
      const ours = row(report, OURS);
      const btyd = row(report, 'bgnbd-gg');
      expect(ours.normalized_gini, `${report.name}: ${OURS} Gini`).toBeGreaterThan(btyd.normalized_gini);
      expect(ours.rmse!, `${report.name}: ${OURS} RMSE`).toBeLessThan(btyd.rmse!);
    }
  });

  it('the ensemble beats the run rate and the visitante score on every rank metric', () => {
    for (const report of reports) {
      const ours = row(report, OURS);
      for (const baseline of ['naive', 'visitante'] as const) {
        for (const metric of RANK_METRICS) {
          expect(ours[metric], `${report.name}: ${OURS} vs ${baseline} on ${metric}`).toBeGreaterThan(row(report, baseline)[metric]);
        }
      }
    }
  });
});
