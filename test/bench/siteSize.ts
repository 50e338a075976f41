/**
 * Size of the production site and of what a visitor downloads, from the files of a build:
 *
 *   npm run build && npx tsx test/bench/siteSize.ts [--dist dist]
 *
 * Runs the real public service worker (dist/sw.js) in a Node VM against dist/ with a stub fetch and
 * Cache API (test/support/serviceWorkerHarness.ts), once as a browser with WebAssembly exception handling (Chromium, Firefox, Safari ≥ 15.2:
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
import { gzipSync } from 'node:zlib';
import { installServiceWorker } from '../support/serviceWorkerHarness';
import { argument } from './argument';

const dist = path.resolve(argument('dist') ?? 'dist');

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

/** The file of dist/ a path under the scope maps to ('' → index.html). */
function fileOf(relative: string): string {
  return path.join(dist, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative);
}

function read(relative: string): Buffer | null {
  const file = fileOf(relative);
  try {
    return statSync(file).isFile() ? readFileSync(file) : null;
  } catch {
    return null;
  }
}

/** Runs dist/sw.js's install; returns the files of dist/ it put in its cache. */
async function precached(wasmExceptions: boolean): Promise<string[]> {
  const sw = await installServiceWorker(readFileSync(path.join(dist, 'sw.js'), 'utf8'), read, wasmExceptions);
  return sw.cached().map(fileOf);
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
