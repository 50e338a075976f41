/*
 * CLV Studio's service worker: after one visit the whole app works offline.
 *
 * - Install precaches the page, every asset it references (found by following the `assets/…`
 *   references from index.html through the scripts, so workers and wasm files are included
 *   without a build-time list), the sample and the manifest.
 * - Of DuckDB's two wasm builds (93% of the site) only the one this browser will run is precached:
 *   duckdb-wasm picks `eh` when WebAssembly exception handling validates and `mvp` otherwise
 *   (selectBundle; the `coi` build needs cross-origin isolation, which the app never has), and the
 *   same check decides here. Should the engine ever ask for the other one, it is fetched then and
 *   kept (cache-first below), so nothing breaks if the two decisions ever disagree.
 * - Pages are network-first (a new deploy is picked up when online), everything else cache-first
 *   (asset names carry a content hash). Only this origin, under this scope, is ever touched.
 * - Responses are passed through unchanged. Adding cross-origin isolation headers here would give
 *   the workers WASM threads on GitHub Pages, but training the sample's nets was not faster with
 *   them (2 cores: 25–27 s threaded vs 17–25 s single-threaded), so the page stays as Pages serves it.
 */
// The build (vite.config.ts) replaces v1 with a hash of the build's files: each deploy gets its own cache.
const CACHE = 'clv-studio-v1';
const SCOPE = new URL(self.registration.scope);
const ENTRY_POINTS = ['./', 'samples/cdnow_sample.txt', 'manifest.webmanifest', 'icons/icon.svg', 'icons/icon-maskable.svg'];
/** `assets/x-hash.wasm` (relative to the site) and `./x-hash.js` (chunk to chunk, relative to the file). */
const ASSET_REFERENCE = /assets\/[\w.-]+\.(?:js|mjs|css|wasm|svg|png|json|txt)/g;
const CHUNK_REFERENCE = /["'`]\.\/([\w.-]+\.(?:js|mjs|css|wasm))["'`]/g;
const SCANNED = /(\/|\.html|\.js|\.mjs|\.css)$/;
/** `assets/duckdb-eh-<hash>.wasm` or `assets/duckdb-mvp-<hash>.wasm`, as the build names them. */
const DUCKDB_BUILD = /\/duckdb-(eh|mvp)-[\w-]+\.wasm$/;

/**
 * WebAssembly exception handling, detected as duckdb-wasm's getPlatformFeatures does (the module
 * below, from wasm-feature-detect, uses a `try` block): it then runs duckdb-eh, otherwise duckdb-mvp.
 */
function supportsWasmExceptions() {
  try {
    return WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11]));
  } catch {
    return false;
  }
}

/** True for the DuckDB build this browser will not run: it is left to the runtime cache. */
function unusedDuckDbBuild(url) {
  const build = DUCKDB_BUILD.exec(url.pathname)?.[1];
  return build !== undefined && build !== (supportsWasmExceptions() ? 'eh' : 'mvp');
}

function inScope(url) {
  return url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);
}

async function precache() {
  const cache = await caches.open(CACHE);
  const seen = new Set();
  const entries = new Set(ENTRY_POINTS.map((path) => new URL(path, SCOPE).href));
  let wave = [...entries];
  while (wave.length > 0) {
    const next = [];
    await Promise.all(
      wave.map(async (href) => {
        if (seen.has(href)) return;
        seen.add(href);
        const response = await fetch(href, { cache: 'no-cache' });
        if (!response.ok) {
          // A reference found by scanning may be a false match; only the entry points are required.
          if (entries.has(href)) throw new Error(`precache: ${href} answered ${response.status}`);
          return;
        }
        await cache.put(href, response.clone());
        if (!SCANNED.test(new URL(href).pathname)) return;
        const text = await response.text();
        const found = [
          ...[...text.matchAll(ASSET_REFERENCE)].map((m) => new URL(m[0], SCOPE)),
          ...[...text.matchAll(CHUNK_REFERENCE)].map((m) => new URL(m[1], href)),
        ];
        for (const url of found) if (inScope(url) && !unusedDuckDbBuild(url)) next.push(url.href);
      }),
    );
    wave = next;
  }
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const key = new URL('./', SCOPE).href;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('clv-studio-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!inScope(url) || url.pathname === new URL('sw.js', SCOPE).pathname) return;
  event.respondWith(request.mode === 'navigate' ? networkFirst(request) : cacheFirst(request));
});
