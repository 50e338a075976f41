import { statSync } from 'node:fs';
import { DataEngine } from '../core/engine';
import { ClvError } from '../core/errors';
import type { TimeUnit } from '../core/tables/period';
import { choiceFlag, flagValue, requireFlag, type CliArgs } from './cliArgs';
import { cleaningFromFlags, mappingFromFlags } from './mappingFlags';
import { isRejectionDetails, rejectsMessage } from './rejectsMessage';
import { nodeSourceFile } from './sourceFile';
import { openWasmDb } from './wasmDb';

/** The file argument as the engine wants it; a folder is named as one, not read. */
export function commandSourceFile(file: string) {
  let folder = false;
  try {
    folder = statSync(file).isDirectory();
  } catch {
    // A missing file: nodeSourceFile says so.
  }
  if (folder) throw new ClvError('BAD_ARGUMENT', `"${file}" is a folder. Give the path of a transaction file (CSV, TSV, Parquet or JSON).`);
  return nodeSourceFile(file);
}

/**
 * Opens the file, maps its columns (the guess, then the flags), cleans it with the flags' options
 * and builds every table for the period the flags give. The rejection guard's error comes back as
 * one line that names the flag that reads the rejected rows.
 */
export async function prepareEngine(args: CliArgs) {
  const source = commandSourceFile(args.file);
  const db = await openWasmDb();
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(source);
  const mapping = mappingFromFlags(inspection.mapping, inspection.columns.map((c) => ({ ...c, values: sampleValues(inspection.preview, c.name) })), args);
  const cleaning = cleaningFromFlags(args);
  let loaded;
  try {
    loaded = await engine.load(mapping, cleaning);
  } catch (error) {
    if (error instanceof ClvError && error.code === 'TOO_MANY_REJECTS' && isRejectionDetails(error.details)) {
      throw new ClvError('TOO_MANY_REJECTS', rejectsMessage(error.details, mapping), error.details);
    }
    throw error;
  }
  // predict scores customers as of the end of the data unless told otherwise.
  const cutoff = args.command === 'predict' ? (flagValue(args, 'cutoff') ?? loaded.quality.last_date!) : requireFlag(args, 'cutoff');
  const horizonEnd = flagValue(args, 'horizon-end') ?? null;
  const unit = choiceFlag<TimeUnit>(args, 'unit', 'day');
  const built = await engine.build({ period: { cutoff, horizonEnd }, unit });
  return { db, engine, inspection, mapping: engine.state.mapping ?? mapping, cleaning, loaded, built };
}

function sampleValues(preview: readonly Record<string, string | null>[], column: string): string[] {
  return preview.map((r) => r[column]).filter((v): v is string => v !== null && v !== undefined);
}
