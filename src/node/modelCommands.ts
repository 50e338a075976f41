import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../cli';
import { prepareEngine, requireFlag } from '../cli';
import { nodeSourceFile } from './sourceFile';
import { DataEngine } from '../core/engine';
import { openWasmDb } from './wasmDb';
import { evaluateCustomerTable, type CustomerTableModel, type CustomerTableProtocol } from '../core/evaluate/customerTableEvaluation';
import { toCsv } from '../core/csv';
import { ClvError } from '../core/errors';
import { backtestModels, evaluateModels, type EvaluationData, type EvaluationResult } from '../core/evaluate/evaluateModels';
import type { ModelInputs } from '../core/engine';
import type { CustomerSequences } from '../core/tables/sequences';
import { DEFAULT_MODELS, MODEL_NAMES, isModelName, type ModelName } from '../core/evaluate/modelNames';
import { activateBackend } from '../core/nets/backendChoice';
import { UNIT_DAYS, daysBetween, formatDay, parseDay } from '../core/tables/period';
import { bundleContextOf, bundleFromEvaluation, predictFromBundle } from '../core/evaluate/modelBundle';
import { customerActions } from '../core/evaluate/customerActions';
import { clusterCustomers } from '../core/evaluate/customerClusters';

const CLI_MODELS: Record<string, readonly ModelName[]> = {
  'bgnbd-gg': ['bgnbd-gg', 'naive', 'visitante'],
  fnn: ['fnn-seed', 'fnn', 'naive', 'bgnbd-gg'],
  ziln: ['ziln', 'naive', 'bgnbd-gg'],
  lstm: ['lstm', 'naive', 'bgnbd-gg'],
  cnn: ['cnn', 'naive', 'bgnbd-gg'],
  hybrid: ['hybrid', 'naive', 'bgnbd-gg'],
  default: DEFAULT_MODELS,
  all: MODEL_NAMES,
};

function parseModels(value: string): readonly ModelName[] {
  if (CLI_MODELS[value]) return CLI_MODELS[value];
  const list = value.split(',').map((s) => s.trim());
  const bad = list.filter((m) => !isModelName(m));
  if (bad.length > 0) throw new ClvError('BAD_ARGUMENT', `Unknown model "${bad[0]}". Use one of: ${Object.keys(CLI_MODELS).join(', ')}, or a comma-separated list of ${MODEL_NAMES.join(', ')}.`);
  return list as ModelName[];
}

function parseIntFlag(args: CliArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ClvError('BAD_ARGUMENT', `--${name} must be a whole number, not "${v}".`);
  return n;
}

function evaluationData(inputs: ModelInputs, horizonDays: number, sequences?: CustomerSequences): EvaluationData {
  if (sequences && sequences.customerIds.join('\n') !== inputs.customerIds.join('\n')) throw new Error('sequences and features are not aligned');
  return {
    sequences,
    customerIds: inputs.customerIds,
    featureNames: inputs.featureNames,
    X: inputs.X,
    holdoutSpend: inputs.holdoutSpend!,
    holdoutOrders: inputs.holdoutOrders!,
    btyd: inputs.btyd,
    unitDays: UNIT_DAYS[inputs.unit],
    horizonDays,
    visitanteScore: inputs.visitanteScore,
  };
}

/** metrics.json: one entry per model name with the headline metrics at the top level. */
function metricsJson(result: EvaluationResult): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const m of result.metrics) {
    metrics[m.model] = { ...m.regression, n: m.n, top_value: m.top_value, churn: m.churn, deciles: m.deciles, importance: result.importance[m.model as ModelName] ?? null };
  }
  return metrics;
}

/** `fit --target COL`: a customer table with a CLV column, random split or k-fold. */
async function runCustomerTableFit(args: CliArgs): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  const target = requireFlag(args, 'target');
  const seed = parseIntFlag(args, 'seed', 42);
  const maxEpochs = args.flags.has('epochs') ? parseIntFlag(args, 'epochs', 50) : undefined;
  const modelFlag = args.flags.get('model') ?? 'fnn';
  const models: CustomerTableModel[] =
    modelFlag === 'all' ? ['mean', 'fnn-seed', 'fnn', 'ziln'] : modelFlag === 'fnn' ? ['mean', 'fnn-seed', 'fnn'] : modelFlag === 'ziln' ? ['mean', 'ziln'] : [];
  if (models.length === 0) throw new ClvError('BAD_ARGUMENT', `With --target, --model must be fnn, ziln or all, not "${modelFlag}".`);
  let protocol: CustomerTableProtocol;
  if (args.flags.has('kfold')) {
    protocol = { kind: 'kfold', k: parseIntFlag(args, 'kfold', 5) };
  } else {
    const parts = (args.flags.get('split') ?? '72/8/20').split('/').map(Number);
    if (parts.length !== 3 || parts.some((p) => !(p >= 0)) || Math.abs(parts[0] + parts[1] + parts[2] - 100) > 1e-9) {
      throw new ClvError('BAD_ARGUMENT', '--split must be three percentages that add up to 100, e.g. 72/8/20 or 70/15/15.');
    }
    protocol = { kind: 'random', fractions: [parts[0] / 100, parts[1] / 100, parts[2] / 100] };
  }
  await activateBackend('wasm');
  const db = await openWasmDb();
  const engine = new DataEngine(db);
  await engine.inspect(nodeSourceFile(args.file));
  const table = await engine.customerTable(target, args.flags.get('id'));
  const result = await evaluateCustomerTable(table, { models, protocol, seed, maxEpochs });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'metrics.json'), `${JSON.stringify({ ...result.summary, protocol: result.protocol, seed, folds: result.folds }, null, 2)}\n`);
  return { command: 'fit', mode: 'customer_table', customers: table.customerIds.length, features: table.featureNames, protocol, metrics: result.summary, out };
}

/** `fit`: evaluates the chosen models on the temporal holdout and writes params, predictions, metrics, bundle. */
export async function runFitCommand(args: CliArgs): Promise<Record<string, unknown>> {
  if (args.flags.has('target')) return runCustomerTableFit(args);
  const out = requireFlag(args, 'out');
  requireFlag(args, 'horizon-end');
  const models = parseModels(requireFlag(args, 'model'));
  const seed = parseIntFlag(args, 'seed', 42);
  const maxEpochs = args.flags.has('epochs') ? parseIntFlag(args, 'epochs', 50) : undefined;
  if (args.flags.has('clusters') && args.flags.get('clusters') !== 'on') throw new ClvError('BAD_ARGUMENT', '--clusters takes the value on.');
  const backend = await activateBackend((args.flags.get('backend') as 'wasm' | 'cpu' | undefined) ?? 'wasm');
  const { engine, built, loaded } = await prepareEngine(args);
  const inputs = await engine.modelInputs();
  const horizonDays = daysBetween(built.period.cutoff, built.period.horizonEnd!);
  const started = Date.now();
  const options = {
    models,
    seed,
    maxEpochs,
    onProgress: (p: { model: string; stage: string; epoch: number; epochs: number; valLoss: number | null }) => {
      if (process.env.CLV_VERBOSE) process.stderr.write(`${p.model} ${p.stage} ${p.epoch}/${p.epochs} ${p.valLoss ?? ''}\n`);
    },
  };
  const needsSequences = models.includes('lstm') || models.includes('cnn');
  const present = evaluationData(inputs, horizonDays, needsSequences ? await engine.sequences() : undefined);
  const result = await evaluateModels(present, options);
  mkdirSync(out, { recursive: true });
  // The strict backtest needs a full horizon of history before the cutoff.
  const pastCutoff = formatDay(parseDay(built.period.cutoff, 'cutoff') - horizonDays);
  let backtest: EvaluationResult | null = null;
  if (args.flags.get('backtest') !== 'off' && loaded.quality.first_date! < pastCutoff) {
    await engine.build({ period: { cutoff: pastCutoff, horizonEnd: built.period.cutoff }, unit: built.unit });
    const past = evaluationData(await engine.modelInputs(), horizonDays, needsSequences ? await engine.sequences() : undefined);
    // The present window's BG/NBD + Gamma-Gamma were fitted above; the backtest reuses them.
    backtest = await backtestModels(past, present, { ...options, btydFit: result.btyd ?? undefined });
    writeFileSync(path.join(out, 'backtest_metrics.json'), `${JSON.stringify(metricsJson(backtest), null, 2)}\n`);
    for (const net of Object.values(backtest.nets)) net?.predictor.dispose();
  }
  const params: Record<string, unknown> = {};
  if (result.btyd) {
    const { r, alpha, a, b, logLikelihood, converged } = result.btyd.bgnbd;
    params.bgnbd = { r, alpha, a, b, logLikelihood, converged };
    if (result.btyd.gammaGamma) {
      const { p, q, v, logLikelihood: ll, converged: c, degenerate, degenerateReason } = result.btyd.gammaGamma;
      params.gamma_gamma = { p, q, v, logLikelihood: ll, converged: c, degenerate, degenerateReason: degenerateReason ?? null };
    }
  }
  if (result.ensemble) params.ensemble = result.ensemble;
  params.split = result.split;
  params.unit = inputs.unit;
  params.period = built.period;
  params.horizon_days = horizonDays;
  writeFileSync(path.join(out, 'params.json'), `${JSON.stringify(params, null, 2)}\n`);

  const predicted = Object.keys(result.predictions) as ModelName[];
  const rows = inputs.customerIds.map((id, i) => {
    const row: Record<string, unknown> = { customer_id: id };
    for (const m of predicted) row[m] = result.predictions[m]![i];
    row.actual = inputs.holdoutSpend![i];
    return row;
  });
  writeFileSync(path.join(out, 'predictions.csv'), toCsv(rows, ['customer_id', ...predicted, 'actual']));

  writeFileSync(path.join(out, 'metrics.json'), `${JSON.stringify(metricsJson(result), null, 2)}\n`);
  if (args.flags.get('model') === 'all' || args.flags.has('clusters')) {
    const clusters = await clusterCustomers(inputs.X, inputs.featureNames.length, { seed, maxEpochs });
    const rows = inputs.customerIds.map((id, i) => {
      const row: Record<string, unknown> = { customer_id: id, cluster: clusters.labels[i], anomaly_score: clusters.anomaly[i] };
      for (let j = 0; j < clusters.latentDim; j++) row[`latent_${j}`] = clusters.latent[i * clusters.latentDim + j];
      return row;
    });
    writeFileSync(path.join(out, 'clusters.csv'), toCsv(rows));
  }
  const actions = customerActions(result);
  if (actions) {
    const pAlive = result.btyd?.pAlive ?? null;
    const segmentRows = inputs.customerIds.map((id, i) => ({
      customer_id: id,
      predicted_clv: result.predictions[actions.model]![i],
      segment: actions.segmentation.labels[i],
      p_alive: pAlive ? pAlive[i] : null,
    }));
    writeFileSync(path.join(out, 'segments.csv'), toCsv(segmentRows));
    const withIds = <T extends { index: number }>(list: T[]) => list.map(({ index, ...rest }) => ({ customer_id: inputs.customerIds[index], ...rest }));
    writeFileSync(path.join(out, 'retention.csv'), toCsv(withIds(actions.retention)));
    writeFileSync(path.join(out, 'upsell.csv'), toCsv(withIds(actions.upsell)));
  }
  const bundle = bundleFromEvaluation(result, bundleContextOf(inputs, horizonDays, seed));
  let bundlePath: string | null = null;
  if (bundle) {
    bundlePath = path.join(out, 'model.clvbundle');
    writeFileSync(bundlePath, await bundle);
  }
  for (const net of Object.values(result.nets)) net?.predictor.dispose();
  const headline = Object.fromEntries(result.metrics.map((m) => [m.model, { rmse: m.regression.rmse, normalized_gini: m.regression.normalized_gini, spearman: m.regression.spearman }]));
  return { command: 'fit', customers: inputs.customerIds.length, test_customers: result.testIndices.length, backtest: backtest ? { past_cutoff: pastCutoff, customers: backtest.testIndices.length } : null, backend: backend.backend, seconds: (Date.now() - started) / 1000, bundle: bundlePath, metrics: headline, warnings: result.warnings, out };
}

/** `predict`: scores a new file's customers with a saved bundle. */
export async function runPredictCommand(args: CliArgs): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  const bundlePath = requireFlag(args, 'bundle');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(bundlePath));
  } catch {
    throw new ClvError('BAD_ARGUMENT', `The bundle "${bundlePath}" cannot be read. Check the path.`);
  }
  await activateBackend('wasm');
  const { engine, built } = await prepareEngine(args);
  const inputs = await engine.modelInputs();
  const predictions = await predictFromBundle(bytes, inputs);
  mkdirSync(out, { recursive: true });
  const rows = inputs.customerIds.map((id, i) => ({ customer_id: id, predicted_clv: predictions.values[i] }));
  writeFileSync(path.join(out, 'predictions.csv'), toCsv(rows));
  return { command: 'predict', customers: rows.length, model: predictions.model, cutoff: built.period.cutoff, out };
}
