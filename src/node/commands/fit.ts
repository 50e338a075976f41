import { toCsv } from '../../core/csv';
import { ClvError } from '../../core/errors';
import { bundleContextOf, bundleFromEvaluation } from '../../core/evaluate/modelBundle';
import { bestValueModel, customerActions } from '../../core/evaluate/customerActions';
import { clusterCustomers } from '../../core/evaluate/customerClusters';
import { backtestModels, evaluateModels, type EvaluationData, type EvaluationOptions, type EvaluationResult } from '../../core/evaluate/evaluateModels';
import { disposeNets } from '../../core/evaluate/evaluationTypes';
import type { ModelName } from '../../core/evaluate/modelNames';
import { compareTransactionModels, type ComparedFit } from '../../core/models/modelComparison';
import { clvTerms, clvTermsJson, DEFAULT_ANNUAL_DISCOUNT_RATE, describeClvTerms } from '../../core/models/clvTerms';
import { customerOutputColumns, fittedTransactionModels, newCustomerExpectation } from '../../core/evaluate/customerOutputs';
import { trackingCounts } from '../../core/tables/trackingCounts';
import { trackingFromCounts } from '../../core/models/trackingExpectation';
import { activateBackend } from '../../core/nets/backendChoice';
import type { NetTrainer } from '../../core/nets/netTrainer';
import { daysBetween, formatDay, parseDay, UNIT_DAYS } from '../../core/tables/period';
import { engineSequenceLayoutAt } from '../../core/tables/sequenceLayout';
import { choiceFlag, flagValue, hasFlag, requireFlag, wholeNumberFlag, type CliArgs } from '../cliArgs';
import { checkOutputPath, outputFolder } from '../outputFolder';
import { withTrainingThreads } from '../trainingThreadsFlag';
import { prepareEngine } from '../prepareEngine';
import { customerTableFitCommand } from './customerTableFit';
import { evaluationData, metricsJson, parseModels, parseSeeds, transactionModelParams, withSeedSummary } from './fitModels';

/** Errors of the evaluation that, raised by the backtest, are about its own (earlier) window. */
const WINDOW_ERRORS = new Set(['TOO_FEW_CUSTOMERS', 'DEGENERATE_HORIZON']);

/**
 * The strict backtest learns one horizon before the cutoff. When that window holds too few
 * customers (or buyers), the error says it comes from the backtest and how to turn it off.
 */
export async function strictBacktest(past: EvaluationData, present: EvaluationData, options: EvaluationOptions, pastCutoff: string): Promise<EvaluationResult> {
  try {
    return await backtestModels(past, present, options);
  } catch (error) {
    if (!(error instanceof ClvError) || !WINDOW_ERRORS.has(error.code)) throw error;
    const n = past.customerIds.length;
    const backtest = `The strict backtest (learning from the data up to ${pastCutoff}, one horizon before the cutoff)`;
    const tooFew = /^Only \d+ customers?: /;
    const what = tooFew.test(error.message) ? `${backtest} has only ${n} customer${n === 1 ? '' : 's'}; ${error.message.replace(tooFew, '')}` : `${backtest} cannot run: ${error.message}`;
    throw new ClvError(error.code, `${what} Turn the backtest off with --backtest off, or choose a later cutoff.`, error.details);
  }
}

/** `fit`: evaluates the chosen models on the temporal holdout and writes params, predictions, metrics, bundle. */
export async function fitCommand(args: CliArgs): Promise<Record<string, unknown>> {
  // The nets' trainings (one per model and fold) run side by side on worker threads; 1: on this thread.
  if (hasFlag(args, 'target')) return withTrainingThreads(args, (trainer) => customerTableFitCommand(args, trainer));
  return withTrainingThreads(args, (trainer) => fitTransactions(args, trainer));
}

async function fitTransactions(args: CliArgs, netTrainer: NetTrainer | undefined): Promise<Record<string, unknown>> {
  const tableOnly = ['id', 'split', 'kfold'].find((f) => hasFlag(args, f));
  if (tableOnly) throw new ClvError('BAD_ARGUMENT', `--${tableOnly} applies only to a customer table with --target COL.`);
  const out = requireFlag(args, 'out');
  requireFlag(args, 'cutoff');
  requireFlag(args, 'horizon-end');
  const modelFlag = requireFlag(args, 'model');
  checkOutputPath(out);
  const models = parseModels(modelFlag);
  const seeds = parseSeeds(args);
  const seed = seeds[0];
  const protocol = choiceFlag<'cv' | 'split'>(args, 'eval', 'cv') === 'split' ? ('split' as const) : ('cross-fit' as const);
  const maxEpochs = hasFlag(args, 'epochs') ? wholeNumberFlag(args, 'epochs', 50) : undefined;
  const annualDiscountRate = discountRateFlag(args);
  const backend = await activateBackend(choiceFlag<'wasm' | 'cpu'>(args, 'backend', 'wasm'));
  const { db, engine, engineName, built, loaded } = await prepareEngine(args);
  const inputs = await engine.modelInputs();
  const horizonDays = daysBetween(built.period.cutoff, built.period.horizonEnd!);
  const started = Date.now();
  const options: EvaluationOptions = {
    models,
    seed,
    protocol,
    maxEpochs,
    netTrainer,
    onProgress: (p) => {
      if (process.env.CLV_VERBOSE) process.stderr.write(`${p.model} ${p.stage} ${p.epoch}/${p.epochs} ${p.valLoss ?? ''}\n`);
    },
  };
  const needsSequences = models.includes('lstm') || models.includes('cnn');
  const present = evaluationData(inputs, horizonDays, needsSequences ? await engine.sequences() : undefined);
  const result = await evaluateModels(present, options);
  // --seeds: the whole evaluation again with each further seed; only its metrics are kept.
  const perSeed = [result.metrics];
  for (const other of seeds.slice(1)) {
    const again = await evaluateModels(present, { ...options, seed: other });
    perSeed.push(again.metrics);
    disposeNets(again);
  }
  const folder = outputFolder(out);
  // The strict backtest needs a full horizon of history before the cutoff.
  const pastCutoff = formatDay(parseDay(built.period.cutoff, 'cutoff') - horizonDays);
  let backtest: EvaluationResult | null = null;
  if (flagValue(args, 'backtest') !== 'off' && loaded.quality.first_date! < pastCutoff) {
    // The sequence nets learn on the past window and score the present one: both cut with the past window's layout.
    const layout = needsSequences ? engineSequenceLayoutAt(loaded.quality.first_date!, pastCutoff) : undefined;
    const scored = needsSequences ? { ...present, sequences: await engine.sequences(layout) } : present;
    await engine.build({ period: { cutoff: pastCutoff, horizonEnd: built.period.cutoff }, unit: built.unit });
    const past = evaluationData(await engine.modelInputs(), horizonDays, needsSequences ? await engine.sequences(layout) : undefined);
    // The present window's BG/NBD + Gamma-Gamma were fitted above; the backtest reuses them.
    backtest = await strictBacktest(past, scored, { ...options, btydFit: result.btyd ?? undefined }, pastCutoff);
    folder.json('backtest_metrics.json', metricsJson(backtest));
    disposeNets(backtest);
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
  const compared: ComparedFit[] = result.btyd ? [{ model: 'bgnbd', parameterCount: 4, customers: inputs.customerIds.length, logLikelihood: result.btyd.bgnbd.logLikelihood, converged: result.btyd.bgnbd.converged }] : [];
  for (const [name, key] of [['pnbd-gg', 'pareto_nbd'], ['mbgnbd-gg', 'mbg_nbd']] as const) {
    const fitted = result.transactionModels[name]?.model;
    if (fitted) params[key] = transactionModelParams(fitted);
    if (fitted) compared.push({ model: key, logLikelihood: fitted.logLikelihood, parameterCount: fitted.parameterCount, customers: fitted.customers, converged: fitted.converged });
  }
  // Log-likelihood, AIC, BIC side by side, each model tested against the NBD (no dropout) it nests.
  if (Object.keys(result.transactionModels).length > 0) params.model_comparison = compareTransactionModels(present.btyd, compared);
  if (result.ensemble) params.ensemble = { ...result.ensemble, ...(result.foldEnsembles.length > 0 && { per_fold: result.foldEnsembles }) };
  if (Object.keys(result.netCalibration).length > 0) params.net_calibration = result.netCalibration;
  // The CLV columns' terms: model unit, calendar horizon, annual rate converted for the unit.
  const terms = clvTerms({ unit: inputs.unit, cutoff: built.period.cutoff, horizonEnd: built.period.horizonEnd!, annualDiscountRate });
  params.clv_terms = { ...clvTermsJson(terms), description: describeClvTerms(terms) };
  const paramsKey = { 'bgnbd-gg': 'bgnbd', 'pnbd-gg': 'pareto_nbd', 'mbgnbd-gg': 'mbg_nbd' } as const;
  for (const model of fittedTransactionModels(result)) {
    const entry = params[paramsKey[model.name]] as Record<string, unknown> | undefined;
    if (entry) entry.new_customer = newCustomerExpectation(model, terms);
  }
  params.split = result.split;
  params.unit = inputs.unit;
  params.period = built.period;
  params.horizon_days = horizonDays;
  folder.json('params.json', params);

  const predicted = Object.keys(result.predictions) as ModelName[];
  const extra = customerOutputColumns(result, present, terms);
  const rows = inputs.customerIds.map((id, i) => {
    const row: Record<string, unknown> = { customer_id: id };
    for (const m of predicted) row[m] = result.predictions[m]![i];
    for (const [name, values] of extra) row[name] = values[i];
    row.actual = inputs.holdoutSpend![i];
    return row;
  });
  folder.write('predictions.csv', toCsv(rows, ['customer_id', ...predicted, ...extra.keys(), 'actual']));
  // The tracking chart's data: weekly repeat transactions of the calibration cohort, actual vs each model.
  const fitted = fittedTransactionModels(result).filter((m) => result.predictions[m.name]);
  if (fitted.length > 0) {
    const counts = await trackingCounts(db, { cutoff: built.period.cutoff, horizonEnd: built.period.horizonEnd, periodDays: 7 });
    const series = fitted.map((m) => [m.name, trackingFromCounts(m.kind, m.params, counts, UNIT_DAYS[inputs.unit])] as const);
    const origin = parseDay(counts.origin, 'origin');
    const trackingRows = Array.from(counts.repeatTransactions, (actual, k) => {
      const row: Record<string, unknown> = { period_end: formatDay(origin + (k + 1) * counts.periodDays), phase: k < counts.calibrationPeriods ? 'calibration' : 'horizon', actual, cumulative_actual: series[0][1].cumulativeActual[k] };
      for (const [name, s] of series) {
        row[`${name}_expected`] = s.expected[k];
        row[`${name}_cumulative_expected`] = s.cumulativeExpected[k];
      }
      return row;
    });
    folder.write('tracking.csv', toCsv(trackingRows));
  }
  folder.json('metrics.json', seeds.length > 1 ? withSeedSummary(metricsJson(result), seeds, perSeed) : metricsJson(result));
  if (modelFlag === 'all' || hasFlag(args, 'clusters')) {
    const clusters = await clusterCustomers(inputs.X, inputs.featureNames.length, { seed, maxEpochs });
    const clusterRows = inputs.customerIds.map((id, i) => {
      const row: Record<string, unknown> = { customer_id: id, cluster: clusters.labels[i], anomaly_score: clusters.anomaly[i] };
      for (let j = 0; j < clusters.latentDim; j++) row[`latent_${j}`] = clusters.latent[i * clusters.latentDim + j];
      return row;
    });
    folder.write('clusters.csv', toCsv(clusterRows));
  }
  const actions = customerActions(result);
  if (actions) {
    const pAlive = result.btyd?.pAlive ?? null;
    // The one churn definition (P(no purchase in the horizon)), with P(alive) beside it by name.
    const churn = result.churnScores['bgnbd-gg'] ?? result.churnScores.ziln ?? null;
    const segmentRows = inputs.customerIds.map((id, i) => ({
      customer_id: id,
      predicted_clv: result.predictions[actions.model]![i],
      segment: actions.segmentation.labels[i],
      p_alive: pAlive ? pAlive[i] : null,
      churn: churn ? churn[i] : null,
    }));
    folder.write('segments.csv', toCsv(segmentRows));
    const withIds = <T extends { index: number }>(list: T[]) => list.map(({ index, ...rest }) => ({ customer_id: inputs.customerIds[index], ...rest }));
    folder.write('retention.csv', toCsv(withIds(actions.retention)));
    folder.write('upsell.csv', toCsv(withIds(actions.upsell)));
  }
  // The bundle holds the best model by the one rule (the segments' model), and its name says which.
  const bundleModel = bestValueModel(result);
  const bundle = bundleFromEvaluation(result, bundleContextOf(inputs, horizonDays, seed), bundleModel);
  const bundlePath = bundle ? folder.write(`model-${bundleModel}.clvbundle`, await bundle) : null;
  disposeNets(result);
  const headline = Object.fromEntries(result.metrics.map((m) => [m.model, { rmse: m.regression.rmse, normalized_gini: m.regression.normalized_gini, spearman: m.regression.spearman }]));
  return {
    command: 'fit',
    engine: engineName,
    customers: inputs.customerIds.length,
    test_customers: result.testIndices.length,
    protocol: result.split.kind === 'cross_fit' ? `${result.split.k}-fold cross-fitting` : 'split',
    seeds,
    backtest: backtest ? { past_cutoff: pastCutoff, customers: backtest.testIndices.length } : null,
    backend: backend.backend,
    seconds: (Date.now() - started) / 1000,
    bundle: bundlePath,
    bundle_model: bundle ? bundleModel : null,
    clv_terms: describeClvTerms(terms),
    metrics: headline,
    warnings: result.warnings,
    out,
  };
}

/** `--discount-rate R`: the annual rate of the CLV columns (default 10% a year). */
function discountRateFlag(args: CliArgs): number {
  const value = flagValue(args, 'discount-rate');
  if (value === undefined) return DEFAULT_ANNUAL_DISCOUNT_RATE;
  const rate = Number(value);
  if (value.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate >= 10) {
    throw new ClvError('BAD_ARGUMENT', `--discount-rate takes an annual rate from 0 to 10, e.g. --discount-rate 0.1 for 10% a year; got "${value}".`);
  }
  return rate;
}
