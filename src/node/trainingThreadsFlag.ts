/** `--workers N` of `fit` and `forecast`: how many nets train side by side on threads of their own. */
import { ClvError } from '../core/errors';
import type { NetTrainer } from '../core/nets/netTrainer';
import { choiceFlag, hasFlag, wholeNumberFlag, type CliArgs } from './cliArgs';
import { defaultTrainingThreads, threadTrainer } from './netTrainingThreads';

/** N from --workers (at least 1; 1 trains on the main thread), else one per core up to the default cap. */
export function trainingThreadsFlag(args: CliArgs): number {
  const workers = hasFlag(args, 'workers') ? wholeNumberFlag(args, 'workers', 1) : defaultTrainingThreads();
  if (workers < 1) throw new ClvError('BAD_ARGUMENT', '--workers must be at least 1.');
  return workers;
}

/**
 * Runs a command's work with a pool of --workers training threads on --backend (none for 1: the
 * nets then train on this thread), ends the threads afterwards, and adds `training_threads` to the
 * command's summary.
 */
export async function withTrainingThreads(args: CliArgs, work: (trainer: NetTrainer | undefined) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const workers = trainingThreadsFlag(args);
  const trainer = workers > 1 ? threadTrainer(workers, choiceFlag<'wasm' | 'cpu'>(args, 'backend', 'wasm')) : undefined;
  try {
    return { ...(await work(trainer)), training_threads: workers };
  } finally {
    trainer?.dispose();
  }
}
