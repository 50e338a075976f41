import { compareModels, type ModelEvaluation } from '../eval/compareModels';
import { kFold, randomSplit } from '../eval/split';
import { Rng, deriveSeed } from '../random';
import { inProcessTrainer, type NetTrainer } from '../nets/netTrainer';
import type { NetTrainingJob } from '../nets/netTrainingJob';
import type { TrainedNet } from '../nets/trainFnn';

/**
 * The seeds' own setting: a customer table that already holds a CLV column. No time axis, so the
 * split is random (72/8/20 or 70/15/15, configurable) or k-fold cross-validation.
 */
export interface CustomerTable {
  customerIds: readonly string[];
  featureNames: readonly string[];
  /** Row-major n × d. */
  X: Float32Array;
  target: Float64Array;
}

export type CustomerTableModel = 'fnn-seed' | 'fnn' | 'ziln' | 'mean';

export type CustomerTableProtocol = { kind: 'random'; fractions: [number, number, number] } | { kind: 'kfold'; k: number };

export interface CustomerTableOptions {
  models: readonly CustomerTableModel[];
  protocol: CustomerTableProtocol;
  seed: number;
  maxEpochs?: number;
  signal?: AbortSignal;
  /** Who trains the nets (default: this thread, one after another); a pool trains every fold's nets side by side. */
  trainer?: NetTrainer;
}

export interface CustomerTableResult {
  protocol: CustomerTableProtocol;
  seed: number;
  /** One evaluation per fold (a single entry for the random split). */
  folds: ModelEvaluation[][];
  /** Mean and standard deviation over folds of each headline metric, per model. */
  summary: Record<string, Record<string, { mean: number; std: number }>>;
}

const HEADLINE = ['rmse', 'mae', 'r2', 'spearman', 'normalized_gini', 'top_decile_share'] as const;

/** One fold of the protocol: rows that train, early-stop and are scored. */
interface FoldRows {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

type NetModel = Exclude<CustomerTableModel, 'mean'>;

/** The net a model trains on a fold's rows: FNN seed recipe, FNN, or ZILN (default recipes). */
function netJob(model: NetModel, table: CustomerTable, y: Float32Array, fold: FoldRows, options: CustomerTableOptions): NetTrainingJob {
  return {
    kind: model === 'ziln' ? 'ziln' : 'fnn',
    recipe: model === 'fnn-seed' ? 'seed' : 'default',
    X: table.X,
    y,
    train: fold.train,
    validation: fold.validation,
    seed: options.seed,
    maxEpochs: options.maxEpochs,
  };
}

function scoreFold(table: CustomerTable, fold: FoldRows, options: CustomerTableOptions, nets: ReadonlyMap<NetModel, TrainedNet>): ModelEvaluation[] {
  const d = table.featureNames.length;
  const { train, test } = fold;
  const testX = new Float32Array(test.length * d);
  test.forEach((row, r) => testX.set(table.X.subarray(row * d, (row + 1) * d), r * d));
  const actual = Float64Array.from(test, (i) => table.target[i]);
  const scored = new Map<string, { predicted: Float64Array }>();
  for (const model of options.models) {
    if (model === 'mean') {
      let sum = 0;
      for (const i of train) sum += table.target[i];
      scored.set(model, { predicted: new Float64Array(test.length).fill(train.length ? sum / train.length : 0) });
    } else {
      scored.set(model, { predicted: Float64Array.from(nets.get(model)!.predict(testX)) });
    }
  }
  return compareModels({ spend: actual }, scored);
}

/**
 * Every fold's nets are asked for at once (a pool trains them side by side) and used in fold
 * order, so the result does not depend on the trainer; every net is disposed at the end, failed run or not.
 */
async function evaluateFolds(table: CustomerTable, folds: readonly FoldRows[], options: CustomerTableOptions): Promise<ModelEvaluation[][]> {
  const y = Float32Array.from(table.target);
  const trainer = options.trainer ?? inProcessTrainer();
  const netModels = options.models.filter((m): m is NetModel => m !== 'mean');
  const trainings = folds.map((fold) => netModels.map((model) => trainer.train(netJob(model, table, y, fold, options), { signal: options.signal })));
  const all = trainings.flat();
  try {
    const evaluations: ModelEvaluation[][] = [];
    for (const [k, fold] of folds.entries()) {
      const nets = new Map<NetModel, TrainedNet>();
      for (const [j, model] of netModels.entries()) nets.set(model, await trainings[k][j]);
      evaluations.push(scoreFold(table, fold, options, nets));
    }
    return evaluations;
  } finally {
    // Every net is disposed here, once all trainings have settled (a failed one must not leak the others).
    const settled = await Promise.allSettled(all);
    settled.forEach((s) => s.status === 'fulfilled' && s.value.predictor.dispose());
  }
}

export async function evaluateCustomerTable(table: CustomerTable, options: CustomerTableOptions): Promise<CustomerTableResult> {
  const n = table.customerIds.length;
  const rows: FoldRows[] = [];
  if (options.protocol.kind === 'random') {
    rows.push(randomSplit(n, options.protocol.fractions, options.seed));
  } else {
    const { folds: parts } = kFold(n, options.protocol.k, options.seed);
    for (const [i, fold] of parts.entries()) {
      // Early stopping needs a validation slice: a seeded tenth of each fold's training rows.
      const shuffled = new Rng(deriveSeed(options.seed, 'fold-validation', i)).shuffle(fold.train.slice());
      const cut = Math.max(1, Math.round(shuffled.length * 0.9));
      rows.push({ train: shuffled.slice(0, cut).sort(), validation: shuffled.slice(cut).sort(), test: fold.test });
    }
  }
  const folds = await evaluateFolds(table, rows, options);
  const summary: CustomerTableResult['summary'] = {};
  for (const model of options.models) {
    summary[model] = {};
    for (const key of HEADLINE) {
      const values = folds.map((f) => f.find((e) => e.model === model)!.regression[key]);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
      summary[model][key] = { mean, std };
    }
  }
  return { protocol: options.protocol, seed: options.seed, folds, summary };
}
