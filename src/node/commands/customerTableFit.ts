import { DataEngine } from '../../core/engine';
import { ClvError } from '../../core/errors';
import { evaluateCustomerTable, type CustomerTableModel, type CustomerTableProtocol } from '../../core/evaluate/customerTableEvaluation';
import { activateBackend } from '../../core/nets/backendChoice';
import type { NetTrainer } from '../../core/nets/netTrainer';
import { flagValue, hasFlag, requireFlag, wholeNumberFlag, type CliArgs } from '../cliArgs';
import { checkOutputPath, outputFolder } from '../outputFolder';
import { commandSourceFile } from '../prepareEngine';
import { openWasmDb } from '../wasmDb';

const TABLE_MODELS: Record<string, CustomerTableModel[]> = {
  fnn: ['mean', 'fnn-seed', 'fnn'],
  ziln: ['mean', 'ziln'],
  all: ['mean', 'fnn-seed', 'fnn', 'ziln'],
};

/** `--split 72/8/20` or `--kfold K`: how the customer table is divided for evaluation. */
export function tableProtocol(args: CliArgs): CustomerTableProtocol {
  if (hasFlag(args, 'kfold')) {
    const k = wholeNumberFlag(args, 'kfold', 5);
    if (k < 2) throw new ClvError('BAD_ARGUMENT', `--kfold needs at least 2 folds, not ${k}.`);
    return { kind: 'kfold', k };
  }
  const parts = (flagValue(args, 'split') ?? '72/8/20').split('/').map(Number);
  if (parts.length !== 3 || parts.some((p) => !(p >= 0)) || Math.abs(parts[0] + parts[1] + parts[2] - 100) > 1e-9) {
    throw new ClvError('BAD_ARGUMENT', '--split must be three percentages that add up to 100, e.g. 72/8/20 or 70/15/15.');
  }
  return { kind: 'random', fractions: [parts[0] / 100, parts[1] / 100, parts[2] / 100] };
}

/** The flags a customer-table fit reads; any other is refused rather than silently ignored. */
const TABLE_FLAGS = new Set(['target', 'id', 'split', 'kfold', 'model', 'seed', 'epochs', 'workers', 'out']);

/**
 * `fit --target COL`: the file is a customer table with a CLV column; random split or k-fold. The
 * nets of every fold train side by side on `trainer`'s threads (`--workers`), else on this thread.
 */
export async function customerTableFitCommand(args: CliArgs, trainer: NetTrainer | undefined): Promise<Record<string, unknown>> {
  const foreign = [...args.flags.keys()].filter((f) => !TABLE_FLAGS.has(f));
  if (foreign.length > 0) {
    throw new ClvError('BAD_ARGUMENT', `--${foreign[0]} does not apply to a customer table (--target); it takes ${[...TABLE_FLAGS].map((f) => `--${f}`).join(', ')}.`);
  }
  const out = requireFlag(args, 'out');
  const target = requireFlag(args, 'target');
  checkOutputPath(out);
  const seed = wholeNumberFlag(args, 'seed', 42);
  const maxEpochs = hasFlag(args, 'epochs') ? wholeNumberFlag(args, 'epochs', 50) : undefined;
  const modelFlag = flagValue(args, 'model') ?? 'fnn';
  const models = TABLE_MODELS[modelFlag];
  if (!models) throw new ClvError('BAD_ARGUMENT', `With --target, --model must be fnn, ziln or all, not "${modelFlag}".`);
  if (hasFlag(args, 'kfold') && hasFlag(args, 'split')) throw new ClvError('BAD_ARGUMENT', 'Give --split or --kfold, not both.');
  const protocol = tableProtocol(args);
  const source = commandSourceFile(args.file);
  await activateBackend('wasm');
  const db = await openWasmDb();
  const engine = new DataEngine(db);
  await engine.inspect(source);
  const table = await engine.customerTable(target, flagValue(args, 'id'));
  const result = await evaluateCustomerTable(table, { models, protocol, seed, maxEpochs, trainer });
  outputFolder(out).json('metrics.json', { ...result.summary, protocol: result.protocol, seed, folds: result.folds });
  return { command: 'fit', mode: 'customer_table', customers: table.customerIds.length, features: table.featureNames, protocol, metrics: result.summary, out };
}
