/**
 * The forecast: the chosen model refitted on everything up to the file's last day, predicting each
 * customer over a calendar period after it (forecastTerms.ts). The probabilistic models are fitted
 * on the calibration summaries at the last day and give expected purchases, P(alive), spend and
 * bootstrap intervals; learned models train as in the strict backtest (features at the last day −
 * the period, targets up to the last day) and predict from the features at the last day, with
 * expected purchases and P(alive) from BG/NBD fitted on the same summaries.
 */
import { ClvError } from '../errors';
import { forecastModels } from '../evaluate/evaluateModels';
import { disposeNets, type EvaluationData, type EvaluationProgress } from '../evaluate/evaluationTypes';
import { DEFAULT_MODELS, PROBABILISTIC_MODELS, RANK_ONLY_MODELS, type ModelName, type ProbabilisticModelName } from '../evaluate/modelNames';
import type { BtydColumns } from '../models/btydForecast';
import { discountedValue } from '../models/clv';
import { naiveRunRate } from '../models/naiveRunRate';
import { fitTransactionModel, forecastIntervals, forecastTransactionModel, type TransactionForecast } from '../models/transactionForecast';
import { TRANSACTION_MODELS } from '../models/transactionModels';
import type { NetTrainer } from '../nets/netTrainer';
import type { SequenceBatch } from '../nets/sequenceArchitecture';
import { deriveSeed } from '../random';
import { formatDay, parseDay } from '../tables/period';
import type { ForecastTerms } from './forecastTerms';

/** The customers as of the file's last day: features and calibration summaries, no horizon. */
export interface ForecastWindow {
  customerIds: readonly string[];
  featureNames: readonly string[];
  /** Row-major n × d features at the last day. */
  X: Float32Array;
  btyd: BtydColumns;
  unitDays: number;
  /** The file's last day (ISO date). */
  lastDay: string;
  visitanteScore?: ArrayLike<number>;
  sequences?: SequenceBatch;
}

/** Where the data come from: the engine (CLI, data worker) builds both windows. */
export interface ForecastSource {
  present: ForecastWindow;
  /** The file's first day (ISO date): a learned model's training window must start after it. */
  firstDay: string;
  /** Features at `cutoff` with targets up to the last day: the learned models' training window. */
  past(cutoff: string): Promise<EvaluationData>;
}

export interface ForecastOptions {
  model: ModelName;
  terms: ForecastTerms;
  seed: number;
  maxEpochs?: number;
  signal?: AbortSignal;
  onProgress?: (p: EvaluationProgress) => void;
  /** Bootstrap intervals of the probabilistic models (default on). */
  intervals?: boolean;
  /** Trains the nets (a pool trains them side by side; see nets/netTrainer.ts); default: this thread. */
  netTrainer?: NetTrainer;
}

export interface CustomerForecast {
  model: ModelName;
  terms: ForecastTerms;
  customerIds: readonly string[];
  expectedPurchases: Float64Array;
  pAlive: Float64Array;
  /** The one churn definition (evaluate/churn.ts): P(no purchase in the period), from the model that gives the purchases. */
  churn: Float64Array;
  /** Expected spend over the period, undiscounted, before margin. */
  expectedSpend: Float64Array;
  /** Margin × discounted expected spend (revenue when no margin is given). */
  clv: Float64Array;
  /** 90% interval of the CLV (parameter uncertainty), when the model gives one. */
  clvLow: Float64Array | null;
  clvHigh: Float64Array | null;
  intervalLevel: number | null;
  /** The model behind expected purchases and P(alive): the model itself, or BG/NBD for the others. */
  purchasesFrom: string;
  /** How the discounted CLV spreads spend over the period. */
  discounting: string;
  params: Record<string, unknown>;
  warnings: string[];
}

/** The models a learned model is trained with (the ensemble stacks the default bases). */
function trainedWith(model: ModelName): ModelName[] {
  if (model === 'ensemble') return DEFAULT_MODELS.filter((m) => !(RANK_ONLY_MODELS as readonly string[]).includes(m));
  if (model === 'hybrid') return ['bgnbd-gg', 'hybrid'];
  return [model];
}

const isProbabilistic = (model: ModelName): model is ProbabilisticModelName => Object.hasOwn(PROBABILISTIC_MODELS, model);

/** The cutoff of a learned model's training window: `days` (the forecast period) before the file's last day. */
export function forecastPastCutoff(lastDay: string, days: number): string {
  return formatDay(parseDay(lastDay, 'last day') - days);
}

/** Forecasts every customer of `source.present` with `options.model` over `options.terms`. */
export async function forecastCustomers(source: ForecastSource, options: ForecastOptions): Promise<CustomerForecast> {
  const { model, terms } = options;
  if ((RANK_ONLY_MODELS as readonly string[]).includes(model)) {
    throw new ClvError('BAD_ARGUMENT', `${model} only ranks customers and predicts no spend, so it cannot forecast CLV. Choose another model.`);
  }
  if (isProbabilistic(model)) return probabilisticForecast(model, source.present, options);
  return learnedForecast(model, source, options);
}

function probabilisticForecast(name: ProbabilisticModelName, present: ForecastWindow, options: ForecastOptions): CustomerForecast {
  const { terms } = options;
  const kind = PROBABILISTIC_MODELS[name];
  const definition = TRANSACTION_MODELS[kind];
  options.onProgress?.(progress(name, `fitting ${definition.label} + Gamma-Gamma`, 0));
  const fit = fitTransactionModel(kind, present.btyd);
  const forecast = forecastTransactionModel(fit, present.btyd, { horizon: terms.horizonUnits, discount: terms.discount });
  const revenue = forecast.discountedClv ?? discountedWithoutSpendModel(forecast, present.btyd, terms);
  const margin = terms.margin ?? 1;
  let clvLow: Float64Array | null = null;
  let clvHigh: Float64Array | null = null;
  let level: number | null = null;
  const warnings = [...forecast.warnings];
  if (options.intervals !== false) {
    options.onProgress?.(progress(name, 'intervals', 0.5));
    const { intervals, warning } = forecastIntervals(fit, present.btyd, present.btyd, { horizon: terms.horizonUnits, discount: terms.discount, seed: deriveSeed(options.seed, 'forecast-intervals', name) });
    if (warning) warnings.push(warning);
    if (intervals?.discountedClv) {
      clvLow = intervals.discountedClv.lower.map((v) => v * margin);
      clvHigh = intervals.discountedClv.upper.map((v) => v * margin);
      level = intervals.level;
    }
  }
  options.onProgress?.(progress(name, 'done', 1));
  const gg = forecast.gammaGamma;
  return {
    model: name,
    terms,
    customerIds: present.customerIds,
    expectedPurchases: forecast.expectedPurchases,
    pAlive: forecast.pAlive,
    churn: forecast.probabilityNoPurchase,
    expectedSpend: forecast.horizonSpend,
    clv: revenue.map((v) => v * margin),
    clvLow,
    clvHigh,
    intervalLevel: level,
    purchasesFrom: name,
    discounting: 'purchases expected in each month valued at its end',
    params: {
      [kind]: { ...fit.model.params, logLikelihood: fit.model.logLikelihood, converged: fit.model.converged },
      gamma_gamma: gg ? { p: gg.p, q: gg.q, v: gg.v, degenerate: gg.degenerate } : null,
      customers: present.customerIds.length,
    },
    warnings,
  };
}

/** Each customer's discounted spend when Gamma-Gamma is unusable: their mean spend (the population's for one-time buyers) per purchase. */
function discountedWithoutSpendModel(forecast: TransactionForecast, data: BtydColumns, terms: ForecastTerms): Float64Array {
  const definition = TRANSACTION_MODELS[forecast.kind];
  const params = forecast.model.params;
  return Float64Array.from({ length: data.frequency.length }, (_, i) => {
    const x = data.frequency[i];
    const tx = x === 0 ? 0 : data.recency[i];
    return discountedValue((t) => definition.expectedPurchases(params, t, x, tx, data.T[i]), forecast.expectedSpendPerPurchase[i], terms.discount);
  });
}

/** The mean discount factor of spend spread evenly over the period's months. */
function evenDiscountFactor(terms: ForecastTerms): number {
  const { periods, discountRate } = terms.discount;
  let sum = 0;
  for (let k = 1; k <= periods; k++) sum += (1 + discountRate) ** -k;
  return sum / periods;
}

async function learnedForecast(model: ModelName, source: ForecastSource, options: ForecastOptions): Promise<CustomerForecast> {
  const { terms } = options;
  const present = source.present;
  const n = present.customerIds.length;
  const warnings: string[] = [];
  let spend: Float64Array;
  const params: Record<string, unknown> = {};
  if (model === 'naive') {
    const total = present.featureNames.indexOf('total_spend');
    const tenure = present.featureNames.indexOf('tenure_days');
    if (total < 0 || tenure < 0) throw new Error('the run rate needs total_spend and tenure_days features');
    const d = present.featureNames.length;
    const column = (j: number) => Float64Array.from({ length: n }, (_, i) => present.X[i * d + j]);
    spend = naiveRunRate(column(total), column(tenure), terms.days);
  } else {
    const pastCutoff = forecastPastCutoff(present.lastDay, terms.days);
    if (pastCutoff < source.firstDay) {
      throw new ClvError(
        'BAD_PERIOD',
        `${model} learns a ${terms.days}-day forecast from the ${terms.days} days before the file's end (${present.lastDay}), but the file starts on ${source.firstDay}. Choose a shorter horizon, or a probabilistic model (bgnbd-gg, pnbd-gg, mbgnbd-gg), which needs no such window.`,
      );
    }
    options.onProgress?.(progress(model, 'building the training window', 0));
    const past = await source.past(pastCutoff);
    const zeros = new Float64Array(n);
    const scored: EvaluationData = { ...present, holdoutSpend: zeros, holdoutOrders: zeros, horizonDays: terms.days, cutoff: present.lastDay };
    const models = trainedWith(model);
    const result = await forecastModels(past, scored, {
      models,
      seed: options.seed,
      maxEpochs: options.maxEpochs,
      signal: options.signal,
      onProgress: options.onProgress,
      bootstrapResamples: 0,
      netTrainer: options.netTrainer,
    });
    try {
      const predicted = result.predictions[model];
      if (!predicted) throw new ClvError('BAD_ARGUMENT', `${model} could not be trained for this forecast: ${result.warnings.join(' ') || 'it produced no predictions.'}`);
      spend = Float64Array.from(predicted, (v) => Math.max(0, v));
    } finally {
      disposeNets(result);
    }
    warnings.push(...result.warnings);
    params.training_window = { cutoff: pastCutoff, horizon_end: present.lastDay, customers: past.customerIds.length };
    params.trained_with = models;
    params.seed = options.seed;
    if (model === 'ensemble' && result.ensemble) params.ensemble = result.ensemble;
  }
  // Purchases and P(alive) come from BG/NBD fitted on the same summaries.
  const bgnbd = fitTransactionModel('bgnbd', present.btyd);
  const purchases = forecastTransactionModel(bgnbd, present.btyd, { horizon: terms.horizonUnits });
  warnings.push(...purchases.warnings);
  params.bgnbd = { ...bgnbd.model.params };
  const factor = evenDiscountFactor(terms) * (terms.margin ?? 1);
  options.onProgress?.(progress(model, 'done', 1));
  return {
    model,
    terms,
    customerIds: present.customerIds,
    expectedPurchases: purchases.expectedPurchases,
    pAlive: purchases.pAlive,
    churn: purchases.probabilityNoPurchase,
    expectedSpend: spend,
    clv: spend.map((v) => v * factor),
    clvLow: null,
    clvHigh: null,
    intervalLevel: null,
    purchasesFrom: 'bgnbd',
    discounting: 'spend spread evenly over the months of the period, each month valued at its end',
    params,
    warnings,
  };
}

function progress(model: ModelName, stage: string, fraction: number): EvaluationProgress {
  return { model, stage, epoch: 0, epochs: 0, loss: null, valLoss: null, samplesPerSec: null, etaMs: null, fraction };
}
