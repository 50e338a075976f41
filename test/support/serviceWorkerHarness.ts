/**
 * Runs the app's service worker script (public/sw.js, or a build's dist/sw.js) in a Node VM with a
 * stub network and Cache API, so its install (what it precaches) and its fetch handler can be
 * checked without a browser. `files` answers the network: a path under the scope → its bytes.
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

export const SCOPE = 'https://example.test/app/';

export interface ServiceWorkerRun {
  /** Paths (relative to the scope) in the cache after install, sorted. */
  cached(): string[];
  /** Paths the worker asked the network for, in order. */
  fetched: string[];
  /** Dispatches a GET for `relative` to the fetch handler; resolves with the path it was answered from. */
  request(relative: string): Promise<string>;
}

interface StubResponse {
  ok: boolean;
  status: number;
  type: 'basic';
  path: string;
  clone(): StubResponse;
  text(): Promise<string>;
}

/** Installs the worker in `script` against `files`; `wasmExceptions` is what WebAssembly.validate answers. */
export async function installServiceWorker(script: string, files: (relative: string) => Buffer | null, wasmExceptions: boolean): Promise<ServiceWorkerRun> {
  const store = new Map<string, StubResponse>();
  const fetched: string[] = [];
  const relativeOf = (href: string) => decodeURIComponent(new URL(href).pathname.slice(new URL(SCOPE).pathname.length));
  const network = async (input: string | { url: string }): Promise<StubResponse> => {
    const relative = relativeOf(typeof input === 'string' ? input : input.url);
    fetched.push(relative);
    const bytes = files(relative);
    const response: StubResponse = {
      ok: bytes !== null,
      status: bytes === null ? 404 : 200,
      type: 'basic',
      path: relative,
      clone: () => response,
      text: async () => (bytes ?? Buffer.alloc(0)).toString('utf8'),
    };
    return response;
  };
  const cache = {
    put: async (key: string | { url: string }, response: StubResponse) => void store.set(relativeOf(typeof key === 'string' ? key : key.url), response),
    match: async (key: string | { url: string }) => store.get(relativeOf(typeof key === 'string' ? key : key.url)),
  };
  const listeners: Record<string, (event: unknown) => void> = {};
  const context = vm.createContext({
    self: {
      registration: { scope: SCOPE },
      addEventListener: (type: string, listener: (event: unknown) => void) => (listeners[type] = listener),
      skipWaiting: async () => undefined,
    },
    caches: { open: async () => cache },
    fetch: network,
    WebAssembly: { validate: () => wasmExceptions },
    URL,
    Set,
    Map,
    Promise,
    Error,
    Uint8Array,
  });
  vm.runInContext(script, context, { filename: 'sw.js' });
  let installed: Promise<unknown> = Promise.resolve();
  listeners.install({ waitUntil: (p: Promise<unknown>) => (installed = p) });
  await installed;
  return {
    cached: () => [...store.keys()].sort(),
    fetched,
    async request(relative: string) {
      let answer: Promise<StubResponse> | null = null;
      listeners.fetch({ request: { method: 'GET', mode: 'no-cors', url: new URL(relative, SCOPE).href }, respondWith: (p: Promise<StubResponse>) => (answer = p) });
      if (!answer) throw new Error(`the service worker did not answer ${relative}`);
      return (await answer as StubResponse).path;
    },
  };
}

/** The service worker script of the repository (public/sw.js). */
export function publicServiceWorker(): string {
  return readFileSync(new URL('../../public/sw.js', import.meta.url), 'utf8');
}
