import { compareModels, type ModelEvaluation } from '../eval/compareModels';
import { kFold, randomSplit } from '../eval/split';
import { Rng, deriveSeed } from '../random';
import { trainFnnModel, trainZilnModel, type TrainedNet } from '../nets/trainFnn';

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

async function runFold(
  table: CustomerTable,
  train: Int32Array,
  validation: Int32Array,
  test: Int32Array,
  options: CustomerTableOptions,
): Promise<ModelEvaluation[]> {
  const d = table.featureNames.length;
  const y = Float32Array.from(table.target);
  const testX = new Float32Array(test.length * d);
  test.forEach((row, r) => testX.set(table.X.subarray(row * d, (row + 1) * d), r * d));
  const actual = Float64Array.from(test, (i) => table.target[i]);
  const scored = new Map<string, { predicted: Float64Array }>();
  for (const model of options.models) {
    if (model === 'mean') {
      let sum = 0;
      for (const i of train) sum += table.target[i];
      scored.set(model, { predicted: new Float64Array(test.length).fill(train.length ? sum / train.length : 0) });
      continue;
    }
    const common = { seed: options.seed, maxEpochs: options.maxEpochs, signal: options.signal, split: { train, validation } };
    let net: TrainedNet;
    if (model === 'ziln') net = await trainZilnModel(table.X, y, { ...common, config: 'default' });
    else net = await trainFnnModel(table.X, y, { ...common, config: model === 'fnn-seed' ? 'seed' : 'default' });
    try {
      scored.set(model, { predicted: Float64Array.from(net.predict(testX)) });
    } finally {
      net.predictor.dispose();
    }
  }
  return compareModels({ spend: actual }, scored);
}

export async function evaluateCustomerTable(table: CustomerTable, options: CustomerTableOptions): Promise<CustomerTableResult> {
  const n = table.customerIds.length;
  const folds: ModelEvaluation[][] = [];
  if (options.protocol.kind === 'random') {
    const split = randomSplit(n, options.protocol.fractions, options.seed);
    folds.push(await runFold(table, split.train, split.validation, split.test, options));
  } else {
    const { folds: parts } = kFold(n, options.protocol.k, options.seed);
    for (const [i, fold] of parts.entries()) {
      // Early stopping needs a validation slice: a seeded tenth of each fold's training rows.
      const shuffled = new Rng(deriveSeed(options.seed, 'fold-validation', i)).shuffle(fold.train.slice());
      const cut = Math.max(1, Math.round(shuffled.length * 0.9));
      folds.push(await runFold(table, shuffled.slice(0, cut).sort(), shuffled.slice(cut).sort(), fold.test, options));
    }
  }
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
