/** `--workers N` of `fit` and `forecast`: how many nets train side by side on threads of their own. */
import { ClvError } from '../core/errors';
import { hasFlag, wholeNumberFlag, type CliArgs } from './cliArgs';
import { defaultTrainingThreads } from './netTrainingThreads';

/** N from --workers (at least 1; 1 trains on the main thread), else one per core up to the default cap. */
export function trainingThreadsFlag(args: CliArgs): number {
  const workers = hasFlag(args, 'workers') ? wholeNumberFlag(args, 'workers', 1) : defaultTrainingThreads();
  if (workers < 1) throw new ClvError('BAD_ARGUMENT', '--workers must be at least 1.');
  return workers;
}
