import { ClvError } from '../core/errors';
import type { CliArgs } from '../cli';

export async function runFitCommand(_args: CliArgs): Promise<Record<string, unknown>> {
  throw new ClvError('BAD_ARGUMENT', 'fit is not available yet.');
}

export async function runPredictCommand(_args: CliArgs): Promise<Record<string, unknown>> {
  throw new ClvError('BAD_ARGUMENT', 'predict is not available yet.');
}
