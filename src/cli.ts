import { mkdirSync, writeFileSync } from 'node:fs';
import { nodeSourceFile } from './node/sourceFile';
import path from 'node:path';
import { ClvError } from './core/errors';
import { DataEngine } from './core/engine';
import { toCsv } from './core/csv';
import { FEATURE_NAMES } from './core/featureNames';
import { openWasmDb } from './node/wasmDb';
import type { TimeUnit } from './core/tables/period';
import { runFitCommand, runPredictCommand } from './node/modelCommands';

const USAGE = `usage:
  npm run clv -- features FILE --cutoff YYYY-MM-DD [--horizon-end YYYY-MM-DD] [--unit day|week]
                 [--customer COL --date COL --amount COL] [--returns net|drop] [--duplicates auto|remove|keep] --out DIR
  npm run clv -- fit FILE --cutoff D --horizon-end D [--unit day|week] --model bgnbd-gg|fnn|ziln|lstm|cnn|hybrid|all [--seed N] --out DIR
  npm run clv -- predict FILE --bundle PATH --out DIR`;

export interface CliArgs {
  command: string;
  file: string;
  flags: Map<string, string>;
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, file, ...rest] = argv;
  if (!command || !file || file.startsWith('--')) throw new ClvError('BAD_ARGUMENT', `Missing command or file.\n${USAGE}`);
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i];
    if (!key.startsWith('--')) throw new ClvError('BAD_ARGUMENT', `Unexpected argument "${key}". Flags look like --cutoff 1997-09-30.`);
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new ClvError('BAD_ARGUMENT', `The flag ${key} needs a value.`);
    flags.set(key.slice(2), value);
    i++;
  }
  return { command, file, flags };
}

export function requireFlag(args: CliArgs, name: string): string {
  const v = args.flags.get(name);
  if (!v) throw new ClvError('BAD_ARGUMENT', `--${name} is required for "${args.command}".`);
  return v;
}

export function readUnit(args: CliArgs): TimeUnit {
  const unit = args.flags.get('unit') ?? 'day';
  if (unit !== 'day' && unit !== 'week') throw new ClvError('BAD_ARGUMENT', `--unit must be day or week, not "${unit}".`);
  return unit;
}

/** Opens, maps (auto + overrides), cleans and builds all tables for a CLI command. */
export async function prepareEngine(args: CliArgs) {
  const db = await openWasmDb();
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(args.file));
  const mapping = { ...inspection.mapping };
  for (const role of ['customer', 'date', 'amount'] as const) {
    const v = args.flags.get(role);
    if (v !== undefined) mapping[role] = v;
  }
  const returns = args.flags.get('returns') ?? 'net';
  if (returns !== 'net' && returns !== 'drop') throw new ClvError('BAD_ARGUMENT', `--returns must be net or drop, not "${returns}".`);
  const duplicates = args.flags.get('duplicates') ?? 'auto';
  if (duplicates !== 'auto' && duplicates !== 'remove' && duplicates !== 'keep') {
    throw new ClvError('BAD_ARGUMENT', `--duplicates must be auto, remove or keep, not "${duplicates}".`);
  }
  const loaded = await engine.load(mapping, { returns, duplicates });
  // predict scores customers as of the end of the data unless told otherwise.
  const cutoff = args.command === 'predict' ? (args.flags.get('cutoff') ?? loaded.quality.last_date!) : requireFlag(args, 'cutoff');
  const horizonEnd = args.flags.get('horizon-end') ?? null;
  const built = await engine.build({ period: { cutoff, horizonEnd }, unit: readUnit(args) });
  return { db, engine, inspection, mapping, loaded, built };
}

async function featuresCommand(args: CliArgs): Promise<Record<string, unknown>> {
  const out = requireFlag(args, 'out');
  const { engine, loaded, built, mapping } = await prepareEngine(args);
  mkdirSync(out, { recursive: true });
  const rfm = await engine.rows('rfm');
  writeFileSync(path.join(out, 'rfm.csv'), toCsv(rfm));
  const features = await engine.rows('features');
  const featureCols = ['customer_id', ...built.features.featureColumns, ...built.features.targetColumns];
  writeFileSync(path.join(out, 'features.csv'), toCsv(features, featureCols));
  writeFileSync(path.join(out, 'visitante.csv'), toCsv(await engine.rows('visitante')));
  const quality = { ...loaded.quality, customers_after_cutoff: built.features.customersAfterCutoff, mapping, period: built.period, unit: built.unit };
  writeFileSync(path.join(out, 'quality.json'), `${JSON.stringify(quality, null, 2)}\n`);
  const rejected = await engine.rows('rejected');
  if (rejected.length > 0) writeFileSync(path.join(out, 'rejected.csv'), toCsv(rejected));
  return {
    command: 'features',
    rows_read: loaded.quality.rows_read,
    rows_rejected: loaded.quality.rows_rejected,
    customers: built.features.customers,
    customers_after_cutoff: built.features.customersAfterCutoff,
    features: FEATURE_NAMES.length,
    cutoff: built.period.cutoff,
    horizon_end: built.period.horizonEnd,
    unit: built.unit,
    out,
  };
}

async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    let summary: Record<string, unknown>;
    if (args.command === 'features') summary = await featuresCommand(args);
    else if (args.command === 'fit') summary = await runFitCommand(args);
    else if (args.command === 'predict') summary = await runPredictCommand(args);
    else throw new ClvError('BAD_ARGUMENT', `Unknown command "${args.command}".\n${USAGE}`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof ClvError ? `${error.code}: ${error.message}` : `INTERNAL: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${message.split('\n')[0]}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
