import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { ClvError, toErrorInfo } from '../src/core/errors';
import { protocolForBudget } from '../src/core/evaluate/protocolChoice';
import { evaluateModels, type EvaluationResult } from '../src/core/evaluate/evaluateModels';
import { bestBundleableModel, bundleFromEvaluation, checkBundle, explainFromBundle, predictFromBundle, unbundleableReason } from '../src/core/evaluate/modelBundle';
import { activateBackend, BACKEND_NAMES, chooseBackend, probeBackends, type BackendName } from '../src/core/nets/backendChoice';
import type { BackendInfo, ForecastRequest, ForecastSummary, ModelName, ModelWorkerApi, NetTrainingApi, TrainingInputs, TrainRequest, TrainResult } from './contracts';
import { IMPORTANCE_METRIC, IMPORTANCE_REPEATS } from '../src/core/evaluate/importanceStep';
import { disposeNets, type EvaluationData } from '../src/core/evaluate/evaluationTypes';
import { forecastCustomers, type CustomerForecast } from '../src/core/forecast/customerForecast';
import { forecastActions } from '../src/core/forecast/forecastOutput';
import { forecastTableBytes } from '../src/core/forecast/forecastExport';
import { forecastTerms } from '../src/core/forecast/forecastTerms';
import { fittedTransactionModels } from '../src/core/evaluate/customerOutputs';
import { fitCheckBuffers, fitCheckData } from '../src/core/models/fitCheckData';
import { serialQueue } from './serialQueue';
import { WASM_PATHS } from './wasmPaths';
import { workerFailure, workerPoolTrainer, type NetTrainer, type TrainingWorker, type WorkerPoolTrainer } from '../src/core/nets/netTrainer';

/**
 * On the CPU backends (wasm, cpu) the folds' nets train side by side in a pool of workers, one per
 * core (at most 5: the default run trains ten nets); on a GPU backend they train here, one after
 * another. The pool lives as long as the backend does.
 */
const MAX_TRAINING_WORKERS = 5;
let pool: { backend: BackendName; trainer: WorkerPoolTrainer } | null = null;

function spawnTrainingWorker(backend: 'wasm' | 'cpu'): TrainingWorker {
  const worker = new Worker(new URL('./netTraining.worker.ts', import.meta.url), { type: 'module', name: backend });
  const { failed, fail } = workerFailure();
  worker.addEventListener('error', (event) => fail(new Error(`a training worker failed: ${event.message}`)));
  return {
    api: Comlink.wrap<NetTrainingApi>(worker),
    failed,
    terminate() {
      worker.terminate();
      fail(new Error('the training worker was stopped'));
    },
  };
}

/** The trainer of the active backend: a pool on wasm/cpu with more than one core, else none (this thread). */
function netTrainer(backend: BackendName): NetTrainer | undefined {
  if (pool && pool.backend !== backend) {
    pool.trainer.dispose();
    pool = null;
  }
  const cores = Math.min(navigator.hardwareConcurrency || 1, MAX_TRAINING_WORKERS);
  if ((backend !== 'wasm' && backend !== 'cpu') || cores < 2) return undefined;
  pool ??= { backend, trainer: workerPoolTrainer(cores, () => spawnTrainingWorker(backend)) };
  return pool.trainer;
}

let active: BackendInfo | null = null;
let controller: AbortController | null = null;
let last: { result: EvaluationResult; request: TrainRequest } | null = null;
let deviceLost = false;
/**
 * Every tf.setBackend (probe, override, train, device-loss fallback, bundle scoring) and every job
 * that runs on the backend goes through this queue: a switch never interleaves with another switch,
 * and never lands in the middle of a training.
 */
const exclusive = serialQueue();

/** Probes and activates a backend; call only from inside `exclusive`. */
async function useBackend(override?: BackendName): Promise<BackendInfo> {
  const probe = await probeBackends(override);
  const choice = chooseBackend(probe);
  const activated = await activateBackend(choice.backend, { wasmPaths: WASM_PATHS });
  const available = BACKEND_NAMES.filter((b) =>
    b === 'cpu' ? true : b === 'wasm' ? probe.wasm.available : b === 'webgl' ? probe.webgl.available : probe.webgpu?.available === true,
  );
  deviceLost = false;
  if (activated.backend === 'webgpu') watchDevice();
  active = {
    backend: activated.backend,
    reason: activated.backend === choice.backend ? choice.reason : `${choice.reason}; ${activated.reason}`,
    available,
  };
  return active;
}

/** A lost GPU device is noticed here; training then restarts on the next backend. */
function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<unknown> } }).device;
  device?.lost?.then(() => {
    deviceLost = true;
  });
}

function disposeLast(): void {
  if (!last) return;
  disposeNets(last.result);
  last = null;
}

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);

/** The last forecast, kept whole for its CSV export (the page gets only a summary). */
let lastForecast: CustomerForecast | null = null;

/** A window of the data worker as the evaluation takes it (targets only where the window has a horizon). */
function windowData(inputs: TrainingInputs): EvaluationData {
  const { data } = inputs;
  const n = data.customerIds.length;
  const t = data.targetNames.length;
  const column = (name: string) => {
    const j = data.targetNames.indexOf(name);
    return j < 0 ? new Float64Array(n) : Float64Array.from({ length: n }, (_, i) => data.targets[i * t + j]);
  };
  return {
    customerIds: data.customerIds,
    featureNames: data.featureNames,
    X: data.features,
    holdoutSpend: column('holdout_spend'),
    holdoutOrders: column('holdout_orders'),
    btyd: inputs.btyd,
    unitDays: inputs.unit === 'week' ? 7 : 1,
    horizonDays: inputs.horizonDays ?? 1,
    visitanteScore: inputs.visitanteScore,
    sequences: inputs.sequences ?? undefined,
  };
}

async function runForecast(request: ForecastRequest, onProgress: Parameters<ModelWorkerApi['forecast']>[1]): Promise<CustomerForecast> {
  const { windows } = request;
  const terms = forecastTerms({
    lastDay: windows.lastDay,
    months: request.months,
    end: request.end,
    defaultDays: request.defaultDays,
    annualDiscountRate: request.annualDiscountRate,
    margin: request.margin,
    unit: windows.present.unit,
  });
  const present = windowData(windows.present);
  return forecastCustomers(
    {
      present: { ...present, lastDay: windows.lastDay },
      firstDay: windows.firstDay,
      past: async () => {
        if (!windows.past) throw new ClvError('BAD_ARGUMENT', `${request.model} learns from a training window, which was not built.`);
        return { ...windowData(windows.past), horizonDays: terms.days };
      },
    },
    { model: request.model, terms, seed: request.seed, maxEpochs: request.maxEpochs, onProgress: (p) => onProgress(p), netTrainer: netTrainer(active!.backend) },
  );
}

const TOP_ROWS = 20;

function forecastSummary(forecast: CustomerForecast): ForecastSummary {
  const sum = (values: Float64Array) => values.reduce((s, v) => s + v, 0);
  const order = Array.from(forecast.clv.keys()).sort((a, b) => forecast.clv[b] - forecast.clv[a]).slice(0, TOP_ROWS);
  return {
    model: forecast.model,
    description: forecast.terms.description,
    start: forecast.terms.start,
    end: forecast.terms.end,
    customers: forecast.customerIds.length,
    totals: { expectedPurchases: sum(forecast.expectedPurchases), expectedSpend: sum(forecast.expectedSpend), clv: sum(forecast.clv) },
    hasIntervals: forecast.clvLow !== null,
    top: order.map((i) => ({
      customerId: forecast.customerIds[i],
      expectedPurchases: forecast.expectedPurchases[i],
      pAlive: forecast.pAlive[i],
      churn: forecast.churn[i],
      expectedSpend: forecast.expectedSpend[i],
      clv: forecast.clv[i],
      clvLow: forecast.clvLow?.[i] ?? null,
      clvHigh: forecast.clvHigh?.[i] ?? null,
    })),
    ...listsOnThePage(forecast),
    warnings: forecast.warnings,
  };
}

/** Segments and the first rows of the action lists, from the forecast. */
function listsOnThePage(forecast: CustomerForecast): Pick<ForecastSummary, 'segments' | 'retention' | 'upsell'> {
  const actions = forecastActions(forecast, TOP_ROWS);
  return {
    segments: actions.segments.map(({ segment, count, customer_share, predicted_total, predicted_share }) => ({ segment, count, customer_share, predicted_total, predicted_share })),
    retention: actions.retention,
    upsell: actions.upsell,
  };
}

async function runEvaluation(request: TrainRequest, onProgress: Parameters<ModelWorkerApi['train']>[1], signal: AbortSignal) {
  const { data } = request;
  const n = data.customerIds.length;
  const t = data.targetNames.length;
  const spendCol = data.targetNames.indexOf('holdout_spend');
  const ordersCol = data.targetNames.indexOf('holdout_orders');
  if (spendCol < 0 || ordersCol < 0) {
    throw new ClvError('BAD_PERIOD', 'Training needs a horizon: set a horizon end after the cutoff so there is something to predict.');
  }
  const holdoutSpend = Float64Array.from({ length: n }, (_, i) => data.targets[i * t + spendCol]);
  const holdoutOrders = Float64Array.from({ length: n }, (_, i) => data.targets[i * t + ordersCol]);
  const trainer = netTrainer(active!.backend);
  return evaluateModels(
    {
      customerIds: data.customerIds,
      featureNames: data.featureNames,
      X: data.features,
      holdoutSpend,
      holdoutOrders,
      btyd: request.btyd,
      unitDays: request.unit === 'week' ? 7 : 1,
      horizonDays: request.horizonDays,
      cutoff: request.cutoff,
      visitanteScore: request.visitanteScore,
      sequences: request.sequences ?? undefined,
    },
    {
      models: request.models,
      seed: request.seed,
      // Cross-fitting within the app's time budget; a large file gets one split (the page says which).
      protocol: protocolForBudget(n, request.models, trainer?.parallel),
      netTrainer: trainer,
      signal,
      maxEpochs: request.maxEpochs,
      onProgress: (p) => onProgress(p),
      discount: request.discount
        ? {
            periods: Math.max(1, Math.round(request.horizonDays / request.discount.daysPerPeriod)),
            unitsPerPeriod: request.discount.daysPerPeriod / (request.unit === 'week' ? 7 : 1),
            discountRate: request.discount.ratePerPeriod,
          }
        : undefined,
    },
  );
}

/** Each model's 90% intervals for every customer, as the page keeps them (Float32, transferred). */
function intervalColumns(result: EvaluationResult): NonNullable<TrainResult['intervals']> {
  const pair = (bounds: { lower: ArrayLike<number>; upper: ArrayLike<number> }) => ({ low: f32(bounds.lower), high: f32(bounds.upper) });
  const out: NonNullable<TrainResult['intervals']> = {};
  for (const [model, spend] of Object.entries(result.spendIntervals) as [ModelName, { lower: Float64Array; upper: Float64Array } | undefined][]) {
    if (!spend) continue;
    const full = model in result.intervals ? result.intervals[model as keyof typeof result.intervals] : undefined;
    out[model] = { spend: pair(spend), purchases: full ? pair(full.expectedPurchases) : null, discountedClv: full?.discountedClv ? pair(full.discountedClv) : null };
  }
  return out;
}

function toTrainResult(result: EvaluationResult, backend: BackendInfo, trainingWorkers: number): TrainResult {
  const predictions: TrainResult['predictions'] = {};
  for (const [model, values] of Object.entries(result.predictions)) predictions[model as keyof typeof predictions] = f32(values!);
  const importance: TrainResult['importance'] = {};
  for (const [model, list] of Object.entries(result.importance)) {
    importance[model as keyof typeof importance] = list!.map((f) => ({ feature: f.feature, importance: f.importance, std: f.std }));
  }
  const btyd = result.btyd;
  const out: TrainResult = {
    backend,
    trainingWorkers,
    split:
      result.split.kind === 'cross_fit'
        ? { kind: 'cross_fit', folds: result.split.k, n: result.split.n, seed: result.split.seed, ...result.split.sizes }
        : { kind: 'split', n: result.split.n, seed: result.split.seed, ...result.split.sizes },
    bestNet: bestBundleableModel(result),
    testIndices: Int32Array.from(result.testIndices),
    metrics: result.metrics.map((m) => ({
      model: m.model as ModelName,
      n: m.n,
      regression: { ...m.regression },
      deciles: m.deciles.map((d) => ({ ...d })),
      top_value: { ...m.top_value },
      churn: m.churn ? { ...m.churn } : null,
      degenerate: m.degenerate,
      // 95% intervals and the paired differences against BG/NBD + Gamma-Gamma (bootstrap over customers).
      ...(m.ci95 && { ci95: structuredClone(m.ci95) }),
      ...(m.vs_btyd && { vs_btyd: structuredClone(m.vs_btyd) }),
    })),
    predictions,
    pAlive: btyd ? f32(btyd.pAlive) : null,
    expectedPurchases: btyd ? f32(btyd.expectedPurchases) : null,
    discountedClv: btyd?.discountedClv ? f32(btyd.discountedClv) : null,
    churn: result.churnScores['bgnbd-gg'] ? f32(result.churnScores['bgnbd-gg']) : null,
    intervals: intervalColumns(result),
    transactionParams: Object.fromEntries(
      fittedTransactionModels(result)
        .filter((m) => result.predictions[m.name])
        .map((m) => [m.name, { kind: m.kind, params: { ...m.params } }]),
    ),
    params: {
      bgnbd: btyd ? { r: btyd.bgnbd.r, alpha: btyd.bgnbd.alpha, a: btyd.bgnbd.a, b: btyd.bgnbd.b } : undefined,
      gammaGamma: btyd?.gammaGamma
        ? { p: btyd.gammaGamma.p, q: btyd.gammaGamma.q, v: btyd.gammaGamma.v, degenerate: btyd.gammaGamma.degenerate }
        : undefined,
    },
    importance,
    importanceMetric: IMPORTANCE_METRIC,
    importanceRepeats: IMPORTANCE_REPEATS,
    warnings: result.warnings,
  };
  const buffers = [out.testIndices.buffer, ...Object.values(out.predictions).map((p) => p!.buffer)];
  for (const a of [out.pAlive, out.expectedPurchases, out.discountedClv, out.churn]) if (a) buffers.push(a.buffer);
  for (const i of Object.values(out.intervals ?? {})) for (const p of [i?.spend, i?.purchases, i?.discountedClv]) if (p) buffers.push(p.low.buffer, p.high.buffer);
  return Comlink.transfer(out, buffers as ArrayBuffer[]);
}

async function trainExclusive(request: TrainRequest, onProgress: Parameters<ModelWorkerApi['train']>[1], signal: AbortSignal): Promise<TrainResult> {
  if (signal.aborted) throw new ClvError('BAD_ARGUMENT', 'Training was cancelled.');
  if (!active || (request.backend && request.backend !== active.backend)) await useBackend(request.backend);
  disposeLast();
  let backend = active!;
  let result: EvaluationResult;
  try {
    result = await runEvaluation(request, onProgress, signal);
  } catch (error) {
    if (signal.aborted || backend.backend !== 'webgpu' || !(deviceLost || /device|lost|gpu/i.test(String(error)))) throw error;
    // The GPU went away mid-training: carry on with the next backend from the start.
    const fallback = await activateBackend('wasm', { wasmPaths: WASM_PATHS });
    backend = { ...backend, backend: fallback.backend, reason: `WebGPU device was lost; restarted on ${fallback.backend}` };
    active = backend;
    result = await runEvaluation(request, onProgress, signal);
    result.warnings.push(backend.reason);
  }
  last = { result, request };
  return toTrainResult(result, backend, netTrainer(backend.backend)?.parallel ?? 1);
}

const api: ModelWorkerApi = {
  async ping() {
    return 'pong';
  },

  async probeBackend(override) {
    try {
      return await exclusive(() => useBackend(override));
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async train(request, onProgress) {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    try {
      // Waits for a probe or an earlier (now cancelled) training to finish before touching the backend.
      return await exclusive(() => trainExclusive(request, onProgress, signal));
    } catch (error) {
      if (signal.aborted) throw toErrorInfo(new ClvError('CANCELLED', 'Training was cancelled. Nothing was kept from the stopped run.'));
      throw toErrorInfo(error);
    } finally {
      if (controller?.signal === signal) controller = null;
    }
  },

  async cancel() {
    controller?.abort();
  },

  async explain(customerIndex) {
    try {
      if (!last) throw new ClvError('NO_DATA_LOADED', 'Train a model first; explanations come from the trained nets.');
      const model = bestBundleableModel(last.result);
      if (!model) throw new ClvError('BAD_ARGUMENT', 'No neural model was trained, so there is nothing to explain per customer.');
      const { data } = last.request;
      const d = data.featureNames.length;
      const row = data.features.slice(customerIndex * d, (customerIndex + 1) * d);
      const attributions = last.result.nets[model]!.predictor.attributions(row);
      return data.featureNames.map((feature, j) => ({ feature, attribution: attributions[j] })).sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async explainWithBundle(bundle, featureNames, row) {
    try {
      return await exclusive(async () => {
        if (!active) await useBackend();
        return explainFromBundle(bundle, featureNames, row);
      });
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async forecast(request, onProgress) {
    try {
      // In the queue, like training: the nets it trains use the same backend.
      const forecast = await exclusive(async () => {
        if (!active) await useBackend();
        return runForecast(request, onProgress);
      });
      lastForecast = forecast;
      return forecastSummary(forecast);
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async forecastCsv() {
    try {
      if (!lastForecast) throw new ClvError('NO_DATA_LOADED', 'Run a forecast first, then export it.');
      const bytes = forecastTableBytes(lastForecast, 'forecast', 'csv');
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async forecastExport(table, format) {
    try {
      if (!lastForecast) throw new ClvError('NO_DATA_LOADED', 'Run a forecast first, then export it.');
      const bytes = forecastTableBytes(lastForecast, table, format);
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async exportBundle(options) {
    try {
      // In the queue: a training that starts meanwhile disposes these nets, so it waits for the export.
      const bytes = await exclusive(() => {
        if (!last) throw new ClvError('NO_DATA_LOADED', 'Train a model first, then export it.');
        const { result, request } = last;
        const model = options?.model ?? bestBundleableModel(result);
        const reason = model ? unbundleableReason(model) : null;
        if (reason) throw new ClvError('BAD_ARGUMENT', reason);
        const bundle = bundleFromEvaluation(
          result,
          {
            featureNames: request.data.featureNames,
            cutoff: request.cutoff ?? options?.cutoff ?? null,
            unit: request.unit,
            horizonDays: request.horizonDays,
            seed: request.seed,
          },
          model,
        );
        if (!bundle) throw new ClvError('BAD_ARGUMENT', `${model ?? 'No model'} did not run in this training, so there is no model bundle to export; train it first.`);
        return bundle;
      });
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async checkBundle(bundle, featureNames) {
    try {
      return await exclusive(async () => {
        if (!active) await useBackend();
        return checkBundle(bundle, featureNames);
      });
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async predictWithBundle(bundle, data, sequences) {
    try {
      const { values } = await exclusive(async () => {
        if (!active) await useBackend();
        return predictFromBundle(bundle, { featureNames: data.featureNames, X: data.features, btyd: data.btyd, unit: data.unit, sequences: sequences ?? undefined });
      });
      return Comlink.transfer(values, [values.buffer as ArrayBuffer]);
    } catch (error) {
      throw toErrorInfo(error);
    }
  },

  async fitChecks(counts) {
    try {
      if (!last) throw new ClvError('NO_DATA_LOADED', 'Train the models first; the fit checks compare their fits with the data.');
      const { result, request } = last;
      const { data, btyd } = request;
      const orders = data.targetNames.indexOf('holdout_orders');
      const t = data.targetNames.length;
      const checks = fitCheckData({
        models: fittedTransactionModels(result).filter((m) => result.predictions[m.name]),
        customers: { ...btyd, holdoutPurchases: Float64Array.from({ length: btyd.frequency.length }, (_, i) => data.targets[i * t + orders]) },
        counts,
        unitDays: request.unit === 'week' ? 7 : 1,
        horizon: request.horizonDays / (request.unit === 'week' ? 7 : 1),
        cutoff: request.cutoff,
      });
      return Comlink.transfer(checks, fitCheckBuffers(checks));
    } catch (error) {
      throw toErrorInfo(error);
    }
  },
};

Comlink.expose(api);
