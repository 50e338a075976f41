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
    expect(urls.some((u) => /duckdb-eh-.*\.wasm$/.test(u))).toBe(true);
    expect(urls.some((u) => /tfjs-backend-wasm-simd-.*\.wasm$/.test(u))).toBe(true);
    expect(urls.some((u) => /model\.worker-.*\.js$/.test(u))).toBe(true);
  });

  it('reloads and completes the flow with the network gone', async () => {
    const { page, context } = s;
    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await loadSample(page);
    await setQuickTraining(page, 2, ['bgnbd-gg', 'naive', 'fnn']);
    await trainAndWait(page);
    await page.getByTestId('chart-gain').locator('svg').waitFor();
    await screenshot(page, 'offline-results');
    expect(s.pageErrors).toEqual([]);
    expect(outsideOrigin(s)).toEqual([]);
  });
});
