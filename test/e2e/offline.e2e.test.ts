/**
 * Offline: after one visit the service worker has precached the app, its workers, the wasm files
 * and the sample, so with the network gone a reload still brings the app up and the whole flow,
 * training included, completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample, openApp, outsideOrigin, screenshot, setQuickTraining, trainAndWait, type Session } from './browser';

describe('offline after one visit', () => {
  let s: Session;

  beforeAll(async () => {
    s = await openApp({ serviceWorkers: true });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('installs the service worker with everything precached', async () => {
    const { page } = s;
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const keys = await caches.keys();
      const urls = (await Promise.all(keys.map(async (k) => (await caches.open(k)).keys()))).flat().map((r) => new URL(r.url).pathname);
      return { keys, urls };
    });
    // One cache, named after this build (a new deploy installs a new worker and a new cache).
    expect(cached.keys).toHaveLength(1);
    expect(cached.keys[0]).toMatch(/^clv-studio-[0-9a-f]{12}$/);
    const { urls } = cached;
    expect(urls.some((u) => u.endsWith('/clv-studio/'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/samples/cdnow_sample.txt'))).toBe(true);
    // Only the DuckDB build this browser runs (Chromium handles wasm exceptions: eh), not mvp too.
    expect(urls.filter((u) => /duckdb-.*\.wasm$/.test(u)).map((u) => u.replace(/^.*\/(duckdb-[a-z]+)-.*$/, '$1'))).toEqual(['duckdb-eh']);
    expect(urls.some((u) => /tfjs-backend-wasm-simd-.*\.wasm$/.test(u))).toBe(true);
    expect(urls.some((u) => /model\.worker-.*\.js$/.test(u))).toBe(true);
  });

  it('reloads and completes the flow with the network gone', async () => {
    const { page, context } = s;
    await context.setOffline(true);
    await page.reload();
    // The network is gone (navigator.onLine is not a reliable witness under Chromium's emulation:
    // it stays true): the page came from the service worker, and a file it never cached is out of reach.
    const offline = await page.evaluate(async () => ({
      controlled: navigator.serviceWorker.controller !== null,
      uncached: await fetch('./not-in-the-cache.txt').then(
        (r) => `answered ${r.status}`,
        () => 'unreachable',
      ),
    }));
    expect(offline).toEqual({ controlled: true, uncached: 'unreachable' });
    await loadSample(page);
    await setQuickTraining(page, 2, ['bgnbd-gg', 'naive', 'fnn']);
    await trainAndWait(page);
    await page.getByTestId('chart-gain').locator('svg').waitFor();
    await screenshot(page, 'offline-results');
    expect(s.pageErrors).toEqual([]);
    expect(outsideOrigin(s)).toEqual([]);
  });
});
