/**
 * The training side of a pool worker (browser: workers/netTraining.worker.ts; Node:
 * src/node/netTrainingThread.ts): one net at a time, its state transferred back, cancel stops it.
 */
import * as Comlink from 'comlink';
import type { NetTrainingApi } from './netTrainer';
import { stateBuffers, trainJobState } from './netTrainingJob';

/** The API a training worker exposes, once `ready` (its backend activated) has settled. */
export function trainingWorkerApi(ready: Promise<unknown>): NetTrainingApi {
  let current: AbortController | null = null;
  return {
    async train(job, onProgress) {
      await ready;
      const controller = new AbortController();
      current = controller;
      try {
        // Progress travels on the callback's own channel, which is released below: the last report
        // is waited for (those before it arrive first, on the same channel) before the result goes back.
        let delivered: Promise<unknown> = Promise.resolve();
        const report = onProgress && ((p: Parameters<typeof onProgress>[0]) => void (delivered = Promise.resolve(onProgress(p)).catch(() => undefined)));
        const state = await trainJobState(job, { signal: controller.signal, onProgress: report });
        await delivered;
        return Comlink.transfer(state, stateBuffers(state));
      } finally {
        if (current === controller) current = null;
        // The progress callback is a proxy of the caller's function: release its channel.
        (onProgress as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
      }
    },
    cancel() {
      current?.abort();
    },
  };
}
