/**
 * A training worker of the model worker's pool (src/core/nets/netTrainer.ts): trains one net at a
 * time on its own TensorFlow.js backend, which the model worker names when it starts it (the
 * worker's name: wasm or cpu).
 */
import * as Comlink from 'comlink';
import { activateBackend, type BackendName } from '../src/core/nets/backendChoice';
import { trainingWorkerApi } from '../src/core/nets/trainingWorkerApi';
import { WASM_PATHS } from './wasmPaths';

const backend = (self.name === 'cpu' ? 'cpu' : 'wasm') satisfies BackendName;
Comlink.expose(trainingWorkerApi(activateBackend(backend, { wasmPaths: WASM_PATHS })));
