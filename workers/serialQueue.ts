/**
 * Runs async tasks strictly one after another, in the order they were queued: a task starts only
 * once every earlier one has settled. A task that fails rejects its own caller and does not stop
 * the ones queued after it. The model worker runs backend activation and the jobs that use the
 * backend through one such queue, so two tf.setBackend calls (or a switch during a training) can
 * never interleave.
 */
export type SerialQueue = <T>(task: () => Promise<T> | T) => Promise<T>;

export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T> | T): Promise<T> => {
    const run = tail.then(task, task) as Promise<T>;
    tail = run.catch(() => undefined);
    return run;
  };
}
