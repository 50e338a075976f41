/** A training worker served in this thread over a MessageChannel, as a real one is over postMessage (for the pool's tests). */
import * as Comlink from 'comlink';
import { workerFailure, type NetTrainingApi, type TrainingWorker } from '../../src/core/nets/netTrainer';
import { trainingWorkerApi } from '../../src/core/nets/trainingWorkerApi';

export function channelWorker(spawned: { count: number }, dies = false): TrainingWorker {
  spawned.count++;
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(trainingWorkerApi(Promise.resolve()), port2);
  const { failed, fail } = workerFailure();
  if (dies) setTimeout(() => fail(new Error('worker died')), 0);
  return {
    api: Comlink.wrap<NetTrainingApi>(port1),
    failed,
    terminate() {
      port1.close();
      port2.close();
      fail(new Error('stopped'));
    },
  };
}

