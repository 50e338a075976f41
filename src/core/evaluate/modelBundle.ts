import type { ModelInputs } from '../engine';
import { ClvError } from '../errors';
import type { BtydColumns, BtydForecast } from '../models/btydForecast';
import { forecastFromFit } from '../models/btydForecast';
import { forecastTransactionModel } from '../models/transactionForecast';
import { naiveRunRate } from '../models/naiveRunRate';
import type { GammaGammaFit } from '../models/gammaGamma';
import { BundleError, loadBundle, serializeBundle, validateBundle, type BundleInfo } from '../nets/bundle';
import { isSequenceBundle, loadSequenceBundle, serializeSequenceBundle } from '../nets/sequenceBundle';
import type { SequenceBatch } from '../nets/sequenceArchitecture';
import { UNIT_DAYS, type TimeUnit } from '../tables/period';
import { ENGINE_SEQUENCE_PERIOD, type SequenceLayout } from '../tables/sequenceLayout';
import { SEQUENCE_CHANNELS } from '../tables/sequences';
import { bestModel, canBeBest, type BestModelMetric } from './bestModel';
import { BUNDLEABLE_NETS, canBundle } from './bundleableModels';
import type { TrainedNet } from '../nets/trainFnn';
import { checkComposedBundle, encodeComposedBundle, hybridFeatureNames, isComposedBundle, predictComposed, readComposedBundle, type BaseRecipe, type PartScorer } from './composedBundle';
import { bestValueModel } from './customerActions';
import type { EvaluationResult } from './evaluateModels';
import { modelLabel } from './modelLabels';
import { LOGNORMAL_VALUE_BASE, PROBABILISTIC_MODELS, isModelName, type ModelName, type ProbabilisticModelName } from './modelNames';

export { canBundle, unbundleableReason } from './bundleableModels';
export { bundleSequenceLayout } from './bundleSequenceLayout';

/** The best bundleable net by the one rule (bestModel: normalized Gini unless `metric` says otherwise), or null if none ran (or none compared meaningfully). */
export function bestBundleableModel(result: EvaluationResult, metric?: BestModelMetric): ModelName | null {
  const bundleable = result.metrics.filter((m) => BUNDLEABLE_NETS.includes(m.model as ModelName) && result.nets[m.model as ModelName]);
  if (!bundleable.some((m) => canBeBest(m))) return null;
  return bestModel(bundleable, () => true, metric) as ModelName | null;
}

/** The finite regression metrics of `model` on the test customers, as a bundle records them. */
export function bundleMetrics(result: EvaluationResult, model: ModelName): Record<string, number> {
  const entry = result.metrics.find((m) => m.model === model);
  if (!entry) return {};
  return Object.fromEntries(Object.entries(entry.regression).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<string, number>;
}

/** What a training run knew about its data, beyond the evaluation result itself. */
export interface BundleContext {
  /** Feature names in the column order the nets were trained on. */
  featureNames: readonly string[];
  /** Calibration cutoff (ISO date); null when the caller did not say it. */
  cutoff: string | null;
  /** Time unit of the calibration summaries. */
  unit: string;
  horizonDays: number;
  seed: number;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Everything saved with the best net besides its weights, scaler and target transform (which come
 * from the predictor itself): features, cutoff, unit, horizon, seed and test metrics. The CLI and
 * the model worker both build their bundles from this, so the two carry the same fields.
 */
export function bundleInfo(result: EvaluationResult, model: ModelName, context: BundleContext): BundleInfo {
  if (context.cutoff !== null && !ISO_DAY.test(context.cutoff)) throw new RangeError(`cutoff must be an ISO date (YYYY-MM-DD), got "${context.cutoff}"`);
  if (!(context.horizonDays > 0)) throw new RangeError(`horizonDays must be positive, got ${context.horizonDays}`);
  return {
    features: [...context.featureNames],
    // The feature table's time-based columns (recency_days, tenure_days, …) are in days.
    timeUnit: 'day',
    cutoff: context.cutoff ?? '',
    unit: context.unit,
    horizonDays: context.horizonDays,
    seed: context.seed,
    metrics: { ...bundleMetrics(result, model), seed: context.seed },
  };
}

/**
 * The ★ model of `result` as bundle bytes: `model` (the app's choice), by default the best model
 * by the one rule (bestModel). Null when that model cannot be bundled (unbundleableReason) or did
 * not run. A net is saved with its recalibration and spend ceiling, a probabilistic model as its
 * fitted parameters: scoring the same file with the bundle gives the evaluation's predictions.
 */
export function bundleFromEvaluation(result: EvaluationResult, context: BundleContext, model: ModelName | null = bestValueModel(result)): Promise<Uint8Array> | null {
  if (!model || !canBundle(model)) return null;
  if (model === 'hybrid') return result.nets.hybrid && result.btyd ? hybridBundle(result, context) : null;
  if (model === 'ensemble') return result.ensemble ? ensembleBundle(result, context) : null;
  if (model === 'naive') return result.predictions.naive ? Promise.resolve(encodeParameterBundle(runRateBundle(result, context))) : null;
  if (Object.hasOwn(PROBABILISTIC_MODELS, model)) {
    const bytes = probabilisticBundle(result, model as ProbabilisticModelName, context);
    return bytes ? Promise.resolve(bytes) : null;
  }
  if (model === 'lstm' || model === 'cnn') return sequenceBundle(result, model, context);
  const net = result.nets[model];
  if (!net) return null;
  return serializeBundle(net.predictor, { ...bundleInfo(result, model, context), model });
}

/**
 * A sequence net (LSTM, CNN) as it scored: its first-fold model with that fold's recalibration and
 * spend ceiling (under the single split, the model that scored every customer), its preprocessing,
 * and the period layout the engine cut its sequences with, to cut them again from the file scored.
 */
function sequenceBundle(result: EvaluationResult, model: 'lstm' | 'cnn', context: BundleContext): Promise<Uint8Array> | null {
  const kept = result.sequenceNets?.[model];
  if (!kept) return null;
  const { model: trained } = kept;
  const layout: SequenceLayout = { period: ENGINE_SEQUENCE_PERIOD, periods: trained.shape.periods, alignment: 'cutoff', channels: [...SEQUENCE_CHANNELS] };
  return serializeSequenceBundle(
    { kind: model, model: trained.model, shape: trained.shape, config: trained.config, preprocessing: trained.preprocessing, calibration: kept.calibration, spendCeiling: kept.spendCeiling, staticFeatures: kept.staticFeatures },
    { model, layout, cutoff: context.cutoff ?? '', unit: context.unit, horizonDays: context.horizonDays, seed: context.seed, metrics: { ...bundleMetrics(result, model), seed: context.seed } },
  );
}

/** A kept net as a bundle part: its weights, recalibration and spend ceiling, reading `features`. */
function netPart(result: EvaluationResult, net: TrainedNet, model: ModelName, features: readonly string[], context: BundleContext): Promise<Uint8Array> {
  return serializeBundle(net.predictor, { ...bundleInfo(result, model, { ...context, featureNames: features }), model });
}

function composedTerms(result: EvaluationResult, model: ModelName, context: BundleContext) {
  return { unit: context.unit, horizonDays: context.horizonDays, cutoff: context.cutoff ?? '', seed: context.seed, metrics: bundleMetrics(result, model), createdAt: new Date().toISOString() };
}

/** The hybrid: its net and the BG/NBD + Gamma-Gamma fit whose outputs it reads next to the features. */
async function hybridBundle(result: EvaluationResult, context: BundleContext): Promise<Uint8Array> {
  const btyd = probabilisticBundle(result, 'bgnbd-gg', context)!;
  const net = await netPart(result, result.nets.hybrid!, 'hybrid', hybridFeatureNames(context.featureNames), context);
  const holds =
    result.split.kind === 'cross_fit'
      ? 'The hybrid net of the first fold (trained on the other folds), with the recalibration kept for new customers, and BG/NBD + Gamma-Gamma as fitted on every customer.'
      : 'The hybrid net as trained and recalibrated in the evaluation, and BG/NBD + Gamma-Gamma as fitted on the scored customers.';
  return encodeComposedBundle({ model: 'hybrid', holds, stack: null, btydPart: 0, bases: { hybrid: { kind: 'parts', parts: [1], inputs: 'hybrid', ceiling: null } }, ...composedTerms(result, 'hybrid', context) }, [btyd, net]);
}

/**
 * The stacked ensemble: the stack as fitted (saved whole) and every base it stacks, as kept for new
 * data. Cross-fitting: the stack refitted on every customer's out-of-fold predictions, over the
 * probabilistic models and run rate (fitted on everyone) and each net's first-fold model (with the
 * recalibration netStep.ts keeps for new customers). The
 * single split, backtest and forecast: the stack over the fold models it was fitted with
 * (result.stackBases: each stacked net's fold models averaged, and the learned spend per purchase),
 * which is how the evaluation scored its customers.
 */
async function ensembleBundle(result: EvaluationResult, context: BundleContext): Promise<Uint8Array> {
  const stack = result.ensemble!;
  const kept = result.stackBases;
  const parts: Uint8Array[] = [];
  const add = (bytes: Uint8Array) => parts.push(bytes) - 1;
  let btydPart: number | null = null;
  const bases: Record<string, BaseRecipe> = {};
  const hybridNames = hybridFeatureNames(context.featureNames);
  for (const [j, base] of stack.models.entries()) {
    let recipe: BaseRecipe | null = null;
    const foldNets = kept?.nets[base];
    if (foldNets && foldNets.length > 0) {
      const features = base === 'hybrid' ? hybridNames : context.featureNames;
      const indices: number[] = [];
      for (const net of foldNets) indices.push(add(await netPart(result, net, base as ModelName, features, context)));
      recipe = { kind: 'parts', parts: indices, inputs: base === 'hybrid' ? 'hybrid' : 'features', ceiling: kept!.ceiling };
    } else if (base === 'btyd-order-value' && kept?.orderValue) {
      const { scaler, beta, smear, lambda } = kept.orderValue;
      recipe = { kind: 'order-value', model: { scaler, beta: Array.from(beta), smear, lambda } };
    } else if (base === LOGNORMAL_VALUE_BASE && result.lognormalSpend) {
      const { mu0, tau2, sigma2 } = result.lognormalSpend;
      recipe = { kind: 'lognormal-spend', model: { mu0, tau2, sigma2 } };
    } else if (base === 'hybrid' && result.nets.hybrid) {
      recipe = { kind: 'parts', parts: [add(await netPart(result, result.nets.hybrid, 'hybrid', hybridNames, context))], inputs: 'hybrid', ceiling: null };
    } else if (base === 'naive') {
      recipe = { kind: 'parts', parts: [add(encodeParameterBundle(runRateBundle(result, context)))], inputs: 'features', ceiling: null };
    } else if (isModelName(base) && base !== 'ensemble' && base !== 'hybrid' && canBundle(base)) {
      const bytes = bundleFromEvaluation(result, context, base);
      if (bytes) recipe = { kind: 'parts', parts: [add(await bytes)], inputs: 'features', ceiling: null };
    }
    if (recipe) bases[base] = recipe;
    else if (stack.weights[j] !== 0 || base === stack.values) {
      throw unbundledBaseError(base);
    }
    if (recipe && (recipe.kind !== 'parts' || recipe.inputs === 'hybrid') && btydPart === null) btydPart = add(probabilisticBundle(result, 'bgnbd-gg', context)!);
  }
  const holds = kept
    ? `The stack (${stack.choice}) as fitted on the training customers' out-of-fold predictions, over its bases as the evaluation scored with them: the probabilistic models and the run rate as fitted, and each stacked net's ${Object.values(kept.nets)[0]?.length ?? 0} fold models averaged.`
    : `The stack (${stack.choice}) as refitted on every customer's out-of-fold predictions, over its bases as kept for new data: the probabilistic models and the run rate as fitted on every customer, and each net's first-fold model (trained on the other folds) with the recalibration kept for new customers.`;
  return encodeComposedBundle({ model: 'ensemble', holds, stack, btydPart, bases, ...composedTerms(result, 'ensemble', context) }, parts);
}

/** The stacked ensemble leans on a base (a model id or stack base id) that a bundle cannot hold: named in words. */
export function unbundledBaseError(base: string): ClvError {
  const name = modelLabel(base);
  return new ClvError('BAD_ARGUMENT', `The stacked ensemble leans on ${name}, which a model bundle cannot hold yet; export another model, or train the ensemble without ${name}.`);
}

/** The file name of a bundle: says which model it holds. */
export function bundleFileName(stem: string, model: string): string {
  return `${stem}-${model}.clvb`;
}

const PROBABILISTIC_MAGIC = 'CLVP';
export const PROBABILISTIC_BUNDLE_VERSION = 1;

/** The run rate's bundle: nothing is fitted, only the horizon it extrapolates to. */
interface RunRateBundle {
  formatVersion: number;
  model: 'naive';
  horizonDays: number;
  cutoff: string;
  seed: number;
  metrics: Record<string, number>;
  createdAt: string;
}

function runRateBundle(result: EvaluationResult, context: BundleContext): RunRateBundle {
  return { formatVersion: PROBABILISTIC_BUNDLE_VERSION, model: 'naive', horizonDays: context.horizonDays, cutoff: context.cutoff ?? '', seed: context.seed, metrics: bundleMetrics(result, 'naive'), createdAt: new Date().toISOString() };
}

function encodeParameterBundle(header: ProbabilisticBundle | RunRateBundle): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + json.byteLength);
  out.set(new TextEncoder().encode(PROBABILISTIC_MAGIC), 0);
  out.set(json, 4);
  return out;
}

/** What a probabilistic bundle holds: the fitted transaction model and Gamma-Gamma, and the terms they forecast in. */
interface ProbabilisticBundle {
  formatVersion: number;
  model: ProbabilisticModelName;
  kind: (typeof PROBABILISTIC_MODELS)[ProbabilisticModelName];
  params: Record<string, number>;
  gammaGamma: Pick<GammaGammaFit, 'p' | 'q' | 'v' | 'degenerate'> | null;
  populationSpend: number;
  unit: string;
  horizonDays: number;
  cutoff: string;
  seed: number;
  metrics: Record<string, number>;
  createdAt: string;
}

function probabilisticBundle(result: EvaluationResult, model: ProbabilisticModelName, context: BundleContext): Uint8Array | null {
  const kind = PROBABILISTIC_MODELS[model];
  let params: Record<string, number>;
  let gammaGamma: GammaGammaFit | null;
  let populationSpend: number;
  if (model === 'bgnbd-gg') {
    if (!result.btyd) return null;
    const { r, alpha, a, b } = result.btyd.bgnbd;
    params = { r, alpha, a, b };
    ({ gammaGamma, populationSpend } = result.btyd);
  } else {
    const fitted = result.transactionModels[model];
    if (!fitted) return null;
    params = { ...fitted.model.params };
    ({ gammaGamma, populationSpend } = fitted);
  }
  const header: ProbabilisticBundle = {
    formatVersion: PROBABILISTIC_BUNDLE_VERSION,
    model,
    kind,
    params,
    gammaGamma: gammaGamma && { p: gammaGamma.p, q: gammaGamma.q, v: gammaGamma.v, degenerate: gammaGamma.degenerate },
    populationSpend,
    unit: context.unit,
    horizonDays: context.horizonDays,
    cutoff: context.cutoff ?? '',
    seed: context.seed,
    metrics: bundleMetrics(result, model),
    createdAt: new Date().toISOString(),
  };
  return encodeParameterBundle(header);
}

const isProbabilisticBundle = (bytes: Uint8Array) => bytes.byteLength >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) === PROBABILISTIC_MAGIC;

const CORRUPT = 'This file is not a readable CLV Studio model bundle; export the model again from CLV Studio.';

function readProbabilisticBundle(bytes: Uint8Array): ProbabilisticBundle | RunRateBundle {
  let header: ProbabilisticBundle | RunRateBundle;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4)));
  } catch {
    throw new ClvError('BUNDLE_CORRUPT', CORRUPT);
  }
  if (header?.formatVersion !== PROBABILISTIC_BUNDLE_VERSION) {
    throw new ClvError('BUNDLE_VERSION', `This model bundle has format version ${String(header?.formatVersion)} but this CLV Studio reads version ${PROBABILISTIC_BUNDLE_VERSION} of probabilistic bundles; export the model again.`);
  }
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (header.model === 'naive') {
    if (!finite(header.horizonDays)) throw new ClvError('BUNDLE_CORRUPT', CORRUPT);
    return header;
  }
  const kind = PROBABILISTIC_MODELS[header.model];
  const isFinitePositive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const ok =
    kind === header.kind &&
    Object.keys(header.params ?? {}).length === 4 &&
    Object.values(header.params).every(isFinitePositive) &&
    (header.gammaGamma === null || [header.gammaGamma.p, header.gammaGamma.q, header.gammaGamma.v].every(isFinitePositive)) &&
    Number.isFinite(header.populationSpend) &&
    (header.unit === 'day' || header.unit === 'week') &&
    isFinitePositive(header.horizonDays);
  if (!ok) throw new ClvError('BUNDLE_CORRUPT', CORRUPT);
  return header;
}

/** What scoring needs of the data: the features (nets) and the calibration summaries in their unit (probabilistic models). */
/**
 * `sequences`: the customers' per-period purchases, cut with the bundle's layout
 * (bundleSequenceLayout, DataEngine.sequences(layout)), for a bundle that reads them (LSTM, CNN).
 */
export type BundleInputs = Pick<ModelInputs, 'featureNames' | 'X'> & { btyd?: BtydColumns; unit?: TimeUnit; sequences?: SequenceBatch };

function predictProbabilistic(bundle: ProbabilisticBundle | RunRateBundle, inputs: BundleInputs): Float64Array {
  if (bundle.model === 'naive') {
    const column = (name: string) => {
      const j = inputs.featureNames.indexOf(name);
      if (j < 0) throw new ClvError('BUNDLE_FEATURES_MISSING', `The run rate needs the feature ${name}, which the current data lacks; build the feature table first.`);
      const d = inputs.featureNames.length;
      return Float64Array.from({ length: inputs.X.length / d }, (_, i) => inputs.X[i * d + j]);
    };
    return naiveRunRate(column('total_spend'), column('tenure_days'), bundle.horizonDays);
  }
  if (!inputs.btyd || !inputs.unit) throw new ClvError('BUNDLE_FEATURES_MISSING', `This bundle holds ${bundle.model}, which scores from the customers' purchase summaries; build the tables first.`);
  if (inputs.unit !== bundle.unit) {
    throw new ClvError('BUNDLE_FEATURES_MISSING', `This bundle's ${bundle.model} was fitted with time in ${bundle.unit}s, but the tables are built in ${inputs.unit}s; build them in ${bundle.unit}s to score with it.`);
  }
  const horizon = bundle.horizonDays / UNIT_DAYS[inputs.unit];
  const gammaGamma = bundle.gammaGamma && { ...bundle.gammaGamma, logLikelihood: Number.NaN, converged: true, warnings: [], customersUsed: 0 } as unknown as GammaGammaFit;
  if (bundle.kind === 'bgnbd') return bgnbdForecast(bundle, inputs.btyd, horizon, gammaGamma).horizonSpend;
  const model = { params: bundle.params } as unknown as Parameters<typeof forecastTransactionModel>[0]['model'];
  return forecastTransactionModel({ kind: bundle.kind, model, gammaGamma, populationSpend: bundle.populationSpend, warnings: [] }, inputs.btyd, { horizon }).horizonSpend;
}

function bgnbdForecast(bundle: ProbabilisticBundle, btyd: BtydColumns, horizon: number, gammaGamma: GammaGammaFit | null): BtydForecast {
  const { r, alpha, a, b } = bundle.params;
  const fit = { bgnbd: { r, alpha, a, b, logLikelihood: Number.NaN, converged: true, iterations: 0 }, gammaGamma, populationSpend: bundle.populationSpend, warnings: [] };
  return forecastFromFit(fit, btyd, { horizon });
}

/** BG/NBD + Gamma-Gamma's whole forecast from a BG/NBD bundle (a composed bundle's part), on the inputs' summaries. */
function btydForecastOfBundle(bytes: Uint8Array, inputs: BundleInputs): BtydForecast {
  const bundle = isProbabilisticBundle(bytes) ? readProbabilisticBundle(bytes) : null;
  if (!bundle || bundle.model === 'naive' || bundle.kind !== 'bgnbd') throw new ClvError('BUNDLE_CORRUPT', CORRUPT);
  if (!inputs.btyd || !inputs.unit) throw new ClvError('BUNDLE_FEATURES_MISSING', "This bundle's model reads BG/NBD's outputs, computed from the customers' purchase summaries; build the tables first.");
  if (inputs.unit !== bundle.unit) {
    throw new ClvError('BUNDLE_FEATURES_MISSING', `This bundle's BG/NBD was fitted with time in ${bundle.unit}s, but the tables are built in ${inputs.unit}s; build them in ${bundle.unit}s to score with it.`);
  }
  const gammaGamma = bundle.gammaGamma && { ...bundle.gammaGamma, logLikelihood: Number.NaN, converged: true, warnings: [], customersUsed: 0 } as unknown as GammaGammaFit;
  return bgnbdForecast(bundle, inputs.btyd, bundle.horizonDays / UNIT_DAYS[inputs.unit], gammaGamma);
}

/** The bundle context of a CLI run on engine inputs. */
export function bundleContextOf(inputs: Pick<ModelInputs, 'featureNames' | 'period' | 'unit'>, horizonDays: number, seed: number): BundleContext {
  return { featureNames: inputs.featureNames, cutoff: inputs.period.cutoff, unit: inputs.unit, horizonDays, seed };
}

/** A bundle that cannot be used, as the error the CLI and the app report (same code, same sentence). */
function asClvError(error: unknown): unknown {
  return error instanceof BundleError ? new ClvError(error.code, error.message) : error;
}

/**
 * Checks a bundle completely (every part, and one run of its model) against the feature columns it
 * will score, without keeping anything: throws the ClvError that scoring would, before scoring.
 */
export async function checkBundle(bytes: Uint8Array, featureNames: readonly string[]): Promise<{ model: string }> {
  if (isProbabilisticBundle(bytes)) return { model: readProbabilisticBundle(bytes).model };
  if (isComposedBundle(bytes)) return checkComposedBundle(bytes, featureNames, PART_SCORER);
  try {
    if (isSequenceBundle(bytes)) {
      const loaded = await loadSequenceBundle(bytes, { features: featureNames });
      loaded.dispose();
      return { model: loaded.metadata.model };
    }
    const metadata = await validateBundle(bytes, { features: featureNames });
    return { model: metadata.model ?? metadata.modelKind };
  } catch (error) {
    throw asClvError(error);
  }
}

/** Loads a bundle and predicts horizon spend for the customers of `inputs`. */
export async function predictFromBundle(bytes: Uint8Array, inputs: BundleInputs): Promise<{ model: string; values: Float32Array }> {
  const { model, values } = await scoreBundle(bytes, inputs);
  return { model, values: Float32Array.from(values) };
}

/** predictFromBundle at full precision: composed bundles combine their parts' predictions as the evaluation did. */
async function scoreBundle(bytes: Uint8Array, inputs: BundleInputs): Promise<{ model: string; values: Float64Array }> {
  if (isProbabilisticBundle(bytes)) {
    const bundle = readProbabilisticBundle(bytes);
    return { model: bundle.model, values: predictProbabilistic(bundle, inputs) };
  }
  if (isComposedBundle(bytes)) return predictComposed(bytes, inputs, PART_SCORER);
  if (isSequenceBundle(bytes)) return scoreSequenceBundle(bytes, inputs);
  try {
    const loaded = await loadBundle(bytes, { features: inputs.featureNames });
    try {
      // Clipped as the evaluation clipped them: at 0, and at the spend ceiling when the bundle has one.
      const ceiling = loaded.metadata.spendCeiling ?? Number.POSITIVE_INFINITY;
      const values = Float64Array.from(loaded.predictor.predict(loaded.selectFeatures(inputs.X)), (v) => Math.min(Math.max(v, 0), ceiling));
      return { model: loaded.metadata.model ?? loaded.metadata.modelKind, values };
    } finally {
      loaded.predictor.dispose();
    }
  } catch (error) {
    throw asClvError(error);
  }
}

async function scoreSequenceBundle(bytes: Uint8Array, inputs: BundleInputs): Promise<{ model: string; values: Float64Array }> {
  try {
    const loaded = await loadSequenceBundle(bytes, { features: inputs.featureNames });
    try {
      const { model, layout } = loaded.metadata;
      if (!inputs.sequences) {
        throw new ClvError('BUNDLE_FEATURES_MISSING', `This bundle holds the ${model}, which reads each customer's last ${layout.periods} ${layout.period}s of purchases before the cutoff; build them from the file with the bundle's layout to score with it.`);
      }
      return { model, values: loaded.predict(inputs.sequences, inputs.featureNames, inputs.X) };
    } finally {
      loaded.dispose();
    }
  } catch (error) {
    throw asClvError(error);
  }
}

const PART_SCORER: PartScorer<BundleInputs> = {
  spend: async (bytes, inputs) => (await scoreBundle(bytes, inputs)).values,
  btyd: btydForecastOfBundle,
  logSpend: (inputs) => {
    if (!inputs.btyd?.logSpend) throw new ClvError('BUNDLE_FEATURES_MISSING', "This bundle's ensemble sizes its predictions from the log spend of each customer's purchase days; build the tables from the transactions to score with it.");
    return inputs.btyd.logSpend;
  },
  check: async (bytes, featureNames) => {
    await checkBundle(bytes, featureNames);
  },
};

/**
 * Per-feature attributions (integrated gradients) of one customer's prediction by a saved
 * bundle: the same explanation as from the trained net, available after a reload. `row` holds
 * the customer's raw feature values in `featureNames` order; the result is sorted by magnitude.
 */
export async function explainFromBundle(bytes: Uint8Array, featureNames: readonly string[], row: Float32Array): Promise<{ feature: string; attribution: number }[]> {
  if (isProbabilisticBundle(bytes)) throw new ClvError('BUNDLE_KIND', 'This bundle holds a probabilistic model, which has no per-feature explanation; the explanations need a neural model.');
  if (isSequenceBundle(bytes)) throw new ClvError('BUNDLE_KIND', 'This bundle holds a sequence model (LSTM, CNN), whose per-customer explanation after a reload is not available; the explanations after a reload need a bundle of one net (fnn, ziln).');
  if (isComposedBundle(bytes)) throw new ClvError('BUNDLE_KIND', `This bundle holds the ${readComposedBundle(bytes).header.model}, whose per-customer explanation needs the trained models; the explanations after a reload need a bundle of one net (fnn, ziln).`);
  if (row.length !== featureNames.length) throw new ClvError('BAD_ARGUMENT', `Expected ${featureNames.length} feature values, got ${row.length}.`);
  try {
    const loaded = await loadBundle(bytes, { features: featureNames });
    try {
      const attributions = loaded.predictor.attributions(loaded.selectFeatures(row));
      return loaded.metadata.features
        .map((feature, j) => ({ feature, attribution: attributions[j] }))
        .sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
    } finally {
      loaded.predictor.dispose();
    }
  } catch (error) {
    throw asClvError(error);
  }
}
