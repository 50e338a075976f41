/**
 * LSTM and CNN bundles: the bundle holds the model's weights, preprocessing, recalibration, spend
 * ceiling and the period layout its sequences were cut with, not the sequences. Scoring a file
 * with it rebuilds each customer's sequence from that file (a fresh engine, the CLI's predict) and
 * gives the evaluation's own predictions; a file whose history before the cutoff is shorter than
 * the layout is refused with a clear error.
 * Real data path: a generated transaction log through the real engine (DuckDB-WASM) and real tfjs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type ModelInputs } from '../../src/core/engine';
import { evaluateModels, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { disposeNets } from '../../src/core/evaluate/evaluationTypes';
import { bundleContextOf, bundleFromEvaluation, bundleSequenceLayout, canBundle, checkBundle, explainFromBundle, predictFromBundle } from '../../src/core/evaluate/modelBundle';
import type { StackedEnsemble } from '../../src/core/models/stackedEnsemble';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { daysBetween } from '../../src/core/tables/period';
import type { CustomerSequences } from '../../src/core/tables/sequences';
import { parseCliArgs, type CliArgs } from '../../src/node/cliArgs';
import { predictCommand } from '../../src/node/commands/predict';
import { evaluationData } from '../../src/node/commands/fitModels';
import { openWasmDb } from '../../src/node/wasmDb';
import { DEFAULT_GENERATOR, generateTransactions, toDay, writeCsv, type GeneratedDataset, type WrittenFile } from '../support/transactionGenerator';

const KINDS = ['lstm', 'cnn'] as const;
const SEED = 5;
const data: GeneratedDataset = generateTransactions({ ...DEFAULT_GENERATOR, randomCustomers: 120, withOrders: false });
const horizonDays = daysBetween(data.cutoff, data.horizonEnd);
let file: WrittenFile;
let inputs: ModelInputs;
let sequences: CustomerSequences;
let result: EvaluationResult;
const closers: Array<() => Promise<void>> = [];

async function engineOn(written: WrittenFile, period = { cutoff: data.cutoff, horizonEnd: data.horizonEnd as string | null }): Promise<DataEngine> {
  const db = await openWasmDb();
  closers.push(async () => db.close());
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(written);
  await engine.load(inspection.mapping);
  await engine.build({ period, unit: 'week' });
  return engine;
}

beforeAll(async () => {
  await activateBackend('wasm');
  file = writeCsv(data);
  const engine = await engineOn(file);
  inputs = await engine.modelInputs();
  sequences = await engine.sequences();
  result = await evaluateModels(evaluationData(inputs, horizonDays, sequences), { models: [...KINDS, 'naive'], seed: SEED, protocol: 'split', maxEpochs: 2, bootstrapResamples: 0 });
}, 120_000);

afterAll(async () => {
  if (result) disposeNets(result);
  for (const close of closers) await close();
});

const worstGap = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
};

describe('sequence model bundles', () => {
  it('the generated log gives the nets a year of weekly history and varied predictions to reproduce', () => {
    // Customers since 2022, cutoff 2024-03-01: the engine's layout is its 52-week maximum.
    expect(sequences.periods).toBe(52);
    for (const kind of KINDS) {
      const values = result.predictions[kind]!;
      expect(values.length).toBe(inputs.customerIds.length);
      expect(new Set(Array.from(values, (v) => v.toFixed(6))).size).toBeGreaterThan(10);
    }
  });

  it.each(KINDS)('%s: saved, loaded on a fresh engine over the same file and scored, it gives the evaluation\'s predictions', async (kind) => {
    expect(canBundle(kind)).toBe(true);
    const bytes = (await bundleFromEvaluation(result, bundleContextOf(inputs, horizonDays, SEED), kind))!;
    expect(bytes).not.toBeNull();
    expect((await checkBundle(bytes, inputs.featureNames)).model).toBe(kind);
    // The bundle carries the layout, not the sequences: far smaller than the customers' sequences.
    expect(bytes.byteLength).toBeLessThan(sequences.values.byteLength);
    const layout = bundleSequenceLayout(bytes)!;
    expect(layout).toEqual({ period: 'week', periods: 52, alignment: 'cutoff', channels: ['spend', 'purchase_days'] });

    const fresh = await engineOn(file);
    const freshInputs = await fresh.modelInputs();
    expect(freshInputs.customerIds).toEqual(inputs.customerIds);
    const scored = await predictFromBundle(bytes, { ...freshInputs, sequences: await fresh.sequences(layout) });
    expect(scored.model).toBe(kind);
    expect(scored.values.length).toBe(inputs.customerIds.length);
    expect(worstGap(scored.values, result.predictions[kind]!)).toBeLessThan(1e-5);

    // Without the sequences it says what it needs; it explains nothing after a reload.
    await expect(predictFromBundle(bytes, freshInputs)).rejects.toMatchObject({ code: 'BUNDLE_FEATURES_MISSING', message: expect.stringMatching(/last 52 weeks of purchases/) });
    await expect(explainFromBundle(bytes, inputs.featureNames, inputs.X.subarray(0, inputs.featureNames.length))).rejects.toMatchObject({ code: 'BUNDLE_KIND' });
  }, 60_000);

  it('an ensemble stacking LSTM and CNN carries them: its bundle asks for their sequences and scores the stack, recomputed by hand', async () => {
    const stack: StackedEnsemble = { models: ['cnn', 'lstm', 'naive'], weights: [0.5, 0.3, 0.4], scale: 'linear', intercept: 0, calibration: null, choice: 'by hand' };
    const bytes = (await bundleFromEvaluation({ ...result, ensemble: stack, stackBases: null }, bundleContextOf(inputs, horizonDays, SEED), 'ensemble'))!;
    expect((await checkBundle(bytes, inputs.featureNames)).model).toBe('ensemble');
    const layout = bundleSequenceLayout(bytes)!;
    expect(layout.periods).toBe(52);
    const [cnn, lstm, naive] = (['cnn', 'lstm', 'naive'] as const).map((m) => result.predictions[m]!);
    // The run rate goes in as the evaluation has it, negative after net returns.
    expect(naive.some((v) => v < 0)).toBe(true);
    const expected = Float64Array.from(cnn, (_, i) => 0.5 * cnn[i] + 0.3 * lstm[i] + 0.4 * naive[i]);
    const scored = await predictFromBundle(bytes, { ...inputs, sequences });
    expect(scored.model).toBe('ensemble');
    expect(worstGap(scored.values, expected)).toBeLessThan(1e-5);
  }, 60_000);

  it('the CLI predict rebuilds the sequences from the file and writes the evaluation\'s predictions', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-sequence-bundle-'));
    const bundlePath = path.join(dir, 'model-lstm.clvb');
    writeFileSync(bundlePath, (await bundleFromEvaluation(result, bundleContextOf(inputs, horizonDays, SEED), 'lstm'))!);
    const out = path.join(dir, 'out');
    const summary = await predictCommand(args(['predict', file.path, '--bundle', bundlePath, '--cutoff', data.cutoff, '--unit', 'week', '--out', out]));
    expect(summary.model).toBe('lstm');
    const [header, ...lines] = readFileSync(path.join(out, 'predictions.csv'), 'utf8').trim().split('\n');
    expect(header).toBe('customer_id,predicted_clv');
    const written = new Map(lines.map((l) => [l.split(',')[0], Number(l.split(',')[1])]));
    expect(written.size).toBe(inputs.customerIds.length);
    const expected = result.predictions.lstm!;
    const got = Float64Array.from(inputs.customerIds, (id) => written.get(id) ?? Number.NaN);
    expect(worstGap(got, expected)).toBeLessThan(1e-5);
  }, 60_000);

  it('a file with fewer weeks of history before the cutoff than the bundle reads is refused, saying how many it needs', async () => {
    const bytes = (await bundleFromEvaluation(result, bundleContextOf(inputs, horizonDays, SEED), 'cnn'))!;
    // The same customers' purchases from 10 weeks before the cutoff on.
    const from = toDay(data.cutoff) - 70;
    const short = writeCsv({ ...data, rows: data.rows.filter((r) => r.day > from) }, { name: 'short.csv' });
    const engine = await engineOn(short);
    const layout = bundleSequenceLayout(bytes)!;
    await expect(engine.sequences(layout)).rejects.toMatchObject({
      code: 'BUNDLE_HISTORY_SHORT',
      message: expect.stringMatching(/last 52 weeks of purchases before the cutoff, but this file covers only (9|10) weeks up to 2024-03-01/),
    });
    const bundlePath = path.join(mkdtempSync(path.join(os.tmpdir(), 'clv-sequence-bundle-')), 'model-cnn.clvb');
    writeFileSync(bundlePath, bytes);
    await expect(predictCommand(args(['predict', short.path, '--bundle', bundlePath, '--cutoff', data.cutoff, '--unit', 'week', '--out', path.join(path.dirname(bundlePath), 'out')]))).rejects.toMatchObject({ code: 'BUNDLE_HISTORY_SHORT' });
  }, 60_000);

  it('a cut or edited sequence bundle is refused as corrupt, never scored', async () => {
    const bytes = (await bundleFromEvaluation(result, bundleContextOf(inputs, horizonDays, SEED), 'lstm'))!;
    await expect(checkBundle(bytes.subarray(0, bytes.length - 8), inputs.featureNames)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT' });
    const edited = bytes.slice();
    edited[12] ^= 0xff;
    await expect(checkBundle(edited, inputs.featureNames)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT' });
    await expect(checkBundle(bytes, inputs.featureNames.slice(1))).rejects.toMatchObject({ code: 'BUNDLE_FEATURES_MISSING' });
  });
});

function args(argv: string[]): CliArgs {
  const request = parseCliArgs(argv);
  if (request.kind !== 'run') throw new Error('expected a command');
  return request.args;
}
