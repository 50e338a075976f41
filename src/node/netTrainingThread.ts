/**
 * A Node worker thread that trains nets for the CLI (see core/nets/netTrainer.ts): its own
 * TensorFlow.js backend (the one named in workerData), the NetTrainingApi over Comlink.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { activateBackend, type BackendName } from '../core/nets/backendChoice';
import { trainingWorkerApi } from '../core/nets/trainingWorkerApi';

if (!parentPort) throw new Error('netTrainingThread.ts runs only as a worker thread');
Comlink.expose(trainingWorkerApi(activateBackend((workerData as { backend: BackendName }).backend)), nodeEndpoint(parentPort));
