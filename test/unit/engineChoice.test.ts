/**
 * --engine native without the optional package: one line saying how to install it (the package
 * is replaced here by a module that fails to load as a missing one does).
 */
import { describe, expect, it, vi } from 'vitest';
import { ClvError } from '../../src/core/errors';
import { parseCliArgs, type CliArgs } from '../../src/node/cliArgs';
import { engineSettings, openEngineDb } from '../../src/node/engineChoice';

vi.mock('../../src/node/nativeDb', () => {
  const error = new Error("Cannot find package '@duckdb/node-api' imported from src/node/nativeDb.ts");
  (error as Error & { code: string }).code = 'ERR_MODULE_NOT_FOUND';
  throw error;
});

function args(argv: string[]): CliArgs {
  const request = parseCliArgs(argv);
  if (request.kind !== 'run') throw new Error('expected a command');
  return request.args;
}

describe('engine choice', () => {
  it('says how to install @duckdb/node-api when it is missing', async () => {
    const settings = engineSettings(args(['features', 'log.csv', '--engine', 'native', '--threads', '4', '--memory-limit', '4GB']));
    expect(settings).toEqual({ engine: 'native', threads: 4, memoryLimit: '4GB' });
    const error = await openEngineDb(settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClvError);
    expect((error as ClvError).code).toBe('NATIVE_ENGINE_MISSING');
    expect((error as ClvError).message).toContain('npm install @duckdb/node-api');
  });

  it('defaults to DuckDB-WASM', () => {
    expect(engineSettings(args(['features', 'log.csv']))).toEqual({ engine: 'wasm' });
  });
});
