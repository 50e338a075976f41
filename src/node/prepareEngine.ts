import { statSync } from 'node:fs';
import { DataEngine } from '../core/engine';
import { ClvError } from '../core/errors';
import type { TimeUnit } from '../core/tables/period';
import { choiceFlag, flagValue, requireFlag, type CliArgs } from './cliArgs';
import { cleaningFromFlags, mappingFromFlags } from './mappingFlags';
import { isRejectionDetails, rejectsMessage } from './rejectsMessage';
import { nodeSourceFile } from './sourceFile';
import { engineSettings, nativeSourceFile, openEngineDb, type EngineDb } from './engineChoice';

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
 * Opens the file on the engine the flags choose (--engine), maps its columns (the guess, then the
 * flags) and cleans it with the flags' options. The rejection guard's error comes back as one line
 * that names the flag that reads the rejected rows.
 */
export async function loadEngine(args: CliArgs) {
  const settings = engineSettings(args);
  const db = await openEngineDb(settings);
  return closedOnError(db, async () => {
    const source = settings.engine === 'native' ? await nativeSourceFile(db, args.file) : commandSourceFile(args.file);
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
    return { db, engine, engineName: settings.engine, inspection, mapping: engine.state.mapping ?? mapping, cleaning, loaded };
  });
}

/** loadEngine, then every table built for the period the flags give. */
export async function prepareEngine(args: CliArgs) {
  const prepared = await loadEngine(args);
  const { db, engine, loaded } = prepared;
  return closedOnError(db, async () => {
    // predict scores customers as of the end of the data unless told otherwise.
    const cutoff = args.command === 'predict' ? (flagValue(args, 'cutoff') ?? loaded.quality.last_date!) : requireFlag(args, 'cutoff');
    const horizonEnd = flagValue(args, 'horizon-end') ?? null;
    const unit = choiceFlag<TimeUnit>(args, 'unit', 'day');
    const built = await engine.build({ period: { cutoff, horizonEnd }, unit });
    return { ...prepared, mapping: engine.state.mapping ?? prepared.mapping, built };
  });
}

/** The database closed when a step fails (a native one's spill folder goes with it); on success the command closes it. */
async function closedOnError<T>(db: EngineDb, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    db.close();
    throw error;
  }
}

function sampleValues(preview: readonly Record<string, string | null>[], column: string): string[] {
  return preview.map((r) => r[column]).filter((v): v is string => v !== null && v !== undefined);
}
