import { statSync } from 'node:fs';
import path from 'node:path';
import type { SqlDb } from '../core/db';
import type { SourceFile } from '../core/engine';
import { ClvError } from '../core/errors';
import { isGlob } from '../core/source/nativeRelation';
import { choiceFlag, flagValue, hasFlag, wholeNumberFlag, type CliArgs } from './cliArgs';
import { duckdbMemoryLimit, isMemoryAmount } from './nativeMemory';
import { nodeSourceFile } from './sourceFile';
import { openWasmDb } from './wasmDb';

/** Which DuckDB runs the pipeline: the browser's (WebAssembly, the default) or the native library. */
export type EngineName = 'wasm' | 'native';

export interface EngineSettings {
  engine: EngineName;
  threads?: number;
  memoryLimit?: string;
  tempDir?: string;
}

/** An engine's database, with what the commands need besides SQL. */
export type EngineDb = SqlDb & { close(): void };

const NATIVE_ONLY = ['threads', 'memory-limit', 'temp-dir'] as const;
const NATIVE_PACKAGE = '@duckdb/node-api';

/** --engine and the native engine's settings, checked. */
export function engineSettings(args: CliArgs): EngineSettings {
  const engine = choiceFlag<EngineName>(args, 'engine', 'wasm');
  if (engine === 'wasm') {
    const nativeFlag = NATIVE_ONLY.find((f) => hasFlag(args, f));
    if (nativeFlag) throw new ClvError('BAD_ARGUMENT', `--${nativeFlag} applies to the native engine only: add --engine native (DuckDB-WASM runs one thread in the memory Node gives it).`);
    return { engine };
  }
  const settings: EngineSettings = { engine };
  if (hasFlag(args, 'threads')) {
    const threads = wholeNumberFlag(args, 'threads', 0);
    if (threads < 1) throw new ClvError('BAD_ARGUMENT', '--threads must be at least 1.');
    settings.threads = threads;
  }
  const memoryLimit = flagValue(args, 'memory-limit');
  if (memoryLimit !== undefined) {
    if (!isMemoryAmount(memoryLimit)) throw new ClvError('BAD_ARGUMENT', `--memory-limit must be an amount of memory such as 4GB or 512MB, not "${memoryLimit}".`);
    settings.memoryLimit = memoryLimit.trim();
    duckdbMemoryLimit(settings.memoryLimit); // refuses a limit too small for the process, before any work
  }
  const tempDir = flagValue(args, 'temp-dir');
  if (tempDir !== undefined) settings.tempDir = path.resolve(tempDir);
  return settings;
}

function missingNative(): ClvError {
  return new ClvError(
    'NATIVE_ENGINE_MISSING',
    `--engine native needs the optional package ${NATIVE_PACKAGE}, which is not installed. Install it with "npm install ${NATIVE_PACKAGE}" (or leave out --engine native to run on DuckDB-WASM).`,
  );
}

/** A failed import of the native module because its package is not installed (the error, or one it wraps). */
function isMissingPackage(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const text = `${(e as { code?: string }).code ?? ''} ${e.message}`;
    if (/MODULE_NOT_FOUND|Cannot find (module|package)/i.test(text) && text.includes(NATIVE_PACKAGE)) return true;
  }
  return false;
}

/** Opens the chosen engine; the native one is loaded only when asked for, and its absence is said plainly. */
export async function openEngineDb(settings: EngineSettings): Promise<EngineDb> {
  if (settings.engine === 'wasm') return openWasmDb();
  let native: typeof import('./nativeDb');
  try {
    native = await import('./nativeDb');
  } catch (error) {
    if (isMissingPackage(error)) throw missingNative();
    throw error;
  }
  try {
    // --memory-limit is the whole process's; DuckDB's own limit covers its buffer pool only.
    const memoryLimit = settings.memoryLimit === undefined ? undefined : duckdbMemoryLimit(settings.memoryLimit);
    return await native.openNativeDb({ threads: settings.threads, memoryLimit, tempDir: settings.tempDir });
  } catch {
    throw new ClvError('BAD_ARGUMENT', `Native DuckDB could not start with these settings (--threads, --memory-limit, --temp-dir). Check that the temporary folder can be created and written, and that the memory limit is an amount such as 4GB.`);
  }
}

/**
 * The input for native DuckDB: a file, a glob ('exports/*.csv.gz', 'lake/**\/*.parquet') or a
 * folder of Parquet files (read as FOLDER/**\/*.parquet). The first matching file is sniffed for the
 * format; DuckDB reads every match.
 */
export async function nativeSourceFile(db: SqlDb, input: string): Promise<SourceFile> {
  let pattern = input;
  let folder = false;
  try {
    folder = statSync(input).isDirectory();
  } catch {
    // Not a path on disk: a glob, or a missing file (said below).
  }
  if (folder) pattern = path.join(input, '**', '*.parquet');
  if (!folder && !isGlob(pattern)) return nodeSourceFile(input);
  const matches = await db.query('SELECT file FROM glob(?) ORDER BY file', [path.resolve(pattern)]);
  if (matches.length === 0) {
    throw new ClvError('BAD_ARGUMENT', folder ? `The folder "${input}" holds no Parquet files (*.parquet, in it or below). Give a folder of Parquet files, a file, or a glob such as 'exports/*.csv.gz'.` : `No file matches "${input}". Check the pattern (quote it so the shell does not expand it).`);
  }
  const first = nodeSourceFile(String(matches[0].file));
  // The first file's bytes stand for all (encoding, gzip check); the pattern names them in messages.
  return { ...first, fileName: matches.length === 1 ? first.fileName : path.basename(pattern), path: path.resolve(pattern) };
}
