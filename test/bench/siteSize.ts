/**
 * Size of the production site and of what a visitor downloads, from the files of a build:
 *
 *   npm run build && npx tsx test/bench/siteSize.ts [--dist dist]
 *
 * Runs the real public service worker (dist/sw.js) in a Node VM against dist/ with a stub fetch and
 * Cache API, once as a browser with WebAssembly exception handling (Chromium, Firefox, Safari ≥ 15.2:
 * DuckDB's `eh` build) and once without (`mvp`), and records what its install precaches. Sizes are
 * bytes on disk and gzip (zlib level 6, what static hosts such as GitHub Pages send for text; wasm is
 * gzipped as well when the host compresses application/wasm, so the gzip total is a lower bound of
 * the transfer on hosts that do not).
 *
 * - site: every file of dist/.
 * - offline cache: what the service worker's install stores, i.e. the second download a first
 *   visit causes (the page's own requests are mostly served again from the HTTP cache, so the first
 *   visit transfers about this much once, plus the page itself).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { argument } from './argument';

const dist = path.resolve(argument('dist') ?? 'dist');
const SCOPE = 'https://example.test/app/';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const gzipBytes = new Map<string, number>();
function sizes(files: string[]): { files: number; bytes: number; gzip: number } {
  let bytes = 0;
  let gzip = 0;
  for (const f of files) {
    bytes += statSync(f).size;
    if (!gzipBytes.has(f)) gzipBytes.set(f, gzipSync(readFileSync(f), { level: 6 }).length);
    gzip += gzipBytes.get(f)!;
  }
  return { files: files.length, bytes, gzip };
}

/** The file of dist/ a URL under the scope maps to ('' → index.html). */
function fileOf(href: string): string {
  const relative = decodeURIComponent(new URL(href).pathname.slice(new URL(SCOPE).pathname.length));
  return path.join(dist, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative);
}

/** Runs dist/sw.js's install in a VM; returns the files it put in its cache. */
async function precached(wasmExceptions: boolean): Promise<string[]> {
  const stored = new Set<string>();
  const response = (file: string | null) => ({
    ok: file !== null,
    status: file === null ? 404 : 200,
    type: 'basic',
    clone() {
      return this;
    },
    async text() {
      return readFileSync(file!, 'utf8');
    },
  });
  const listeners: Record<string, (event: unknown) => void> = {};
  let installed: Promise<unknown> = Promise.resolve();
  const context = vm.createContext({
    self: {
      registration: { scope: SCOPE },
      addEventListener: (type: string, listener: (event: unknown) => void) => (listeners[type] = listener),
      skipWaiting: async () => undefined,
    },
    caches: { open: async () => ({ put: async (href: string) => void stored.add(fileOf(href)) }) },
    fetch: async (href: string) => {
      const file = fileOf(href);
      let exists = false;
      try {
        exists = statSync(file).isFile();
      } catch {
        exists = false;
      }
      return response(exists ? file : null);
    },
    WebAssembly: { validate: () => wasmExceptions },
    URL,
    Set,
    Promise,
    Error,
    Uint8Array,
  });
  vm.runInContext(readFileSync(path.join(dist, 'sw.js'), 'utf8'), context, { filename: 'sw.js' });
  listeners.install({ waitUntil: (p: Promise<unknown>) => (installed = p) });
  await installed;
  return [...stored].sort();
}

const site = sizes(filesUnder(dist));
const eh = await precached(true);
const mvp = await precached(false);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const row = (name: string, s: { files: number; bytes: number; gzip: number }) => `| ${name} | ${s.files} | ${mb(s.bytes)} | ${mb(s.gzip)} |`;
console.log('| what | files | bytes | gzip |');
console.log('| --- | --- | --- | --- |');
console.log(row('site (dist/)', site));
console.log(row('offline cache, exception handling (eh)', sizes(eh)));
console.log(row('offline cache, without (mvp)', sizes(mvp)));
const duck = (files: string[]) => files.filter((f) => /duckdb-.*\.wasm$/.test(f)).map((f) => path.basename(f));
console.log(`\nDuckDB wasm precached: eh browser ${JSON.stringify(duck(eh))}, mvp browser ${JSON.stringify(duck(mvp))}`);
