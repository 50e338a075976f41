/**
 * The service worker's install on a miniature site (public/sw.js run in a VM, test/support/
 * serviceWorkerHarness.ts): it follows the asset references from the page, and of DuckDB's two
 * wasm builds precaches only the one the browser will run; the other is fetched and kept only when
 * asked for. The real browser check is test/e2e/offline.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { installServiceWorker, publicServiceWorker } from '../support/serviceWorkerHarness';

const SITE: Record<string, string> = {
  '': '<script type="module" crossorigin src="/app/assets/index-Ab1.js"></script><link rel="stylesheet" href="/app/assets/index-Cd2.css">',
  'assets/index-Ab1.js': 'import "./chunk-Ef3.js"; new Worker(new URL("/app/assets/data.worker-Gh4.js", import.meta.url));',
  'assets/index-Cd2.css': 'body{}',
  'assets/chunk-Ef3.js': 'export const x = 1;',
  'assets/data.worker-Gh4.js': 'const mvp = "/app/assets/duckdb-mvp-BP0pRkMH.wasm", eh = "/app/assets/duckdb-eh-9ubY-jlA.wasm", tf = "/app/assets/tfjs-backend-wasm-simd-Ij5.wasm";',
  'assets/duckdb-mvp-BP0pRkMH.wasm': 'mvp',
  'assets/duckdb-eh-9ubY-jlA.wasm': 'eh',
  'assets/tfjs-backend-wasm-simd-Ij5.wasm': 'tf',
  'samples/cdnow_sample.txt': 'sample',
  'manifest.webmanifest': '{}',
  'icons/icon.svg': '<svg/>',
  'icons/icon-maskable.svg': '<svg/>',
};
const files = (relative: string) => (relative in SITE ? Buffer.from(SITE[relative]) : null);
const COMMON = Object.keys(SITE).filter((f) => !f.includes('duckdb-')).sort();

describe('service worker install', () => {
  it('precaches the page, its assets and only duckdb-eh where wasm exception handling validates', async () => {
    const sw = await installServiceWorker(publicServiceWorker(), files, true);
    expect(sw.cached()).toEqual([...COMMON, 'assets/duckdb-eh-9ubY-jlA.wasm'].sort());
    expect(sw.fetched).not.toContain('assets/duckdb-mvp-BP0pRkMH.wasm');
  });

  it('precaches only duckdb-mvp where it does not', async () => {
    const sw = await installServiceWorker(publicServiceWorker(), files, false);
    expect(sw.cached()).toEqual([...COMMON, 'assets/duckdb-mvp-BP0pRkMH.wasm'].sort());
    expect(sw.fetched).not.toContain('assets/duckdb-eh-9ubY-jlA.wasm');
  });

  it('still serves the other build when it is asked for, from the network once, then from the cache', async () => {
    const sw = await installServiceWorker(publicServiceWorker(), files, true);
    const before = sw.fetched.length;
    expect(await sw.request('assets/duckdb-mvp-BP0pRkMH.wasm')).toBe('assets/duckdb-mvp-BP0pRkMH.wasm');
    expect(sw.fetched.slice(before)).toEqual(['assets/duckdb-mvp-BP0pRkMH.wasm']);
    expect(sw.cached()).toContain('assets/duckdb-mvp-BP0pRkMH.wasm');
    await sw.request('assets/duckdb-mvp-BP0pRkMH.wasm');
    await sw.request('assets/duckdb-eh-9ubY-jlA.wasm');
    expect(sw.fetched.slice(before)).toEqual(['assets/duckdb-mvp-BP0pRkMH.wasm']);
  });
});
