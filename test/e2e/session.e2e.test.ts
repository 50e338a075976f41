/**
 * Nothing lost: a reload brings back the file, mapping, tables and trained results (from OPFS and
 * IndexedDB), and one click forgets all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample, openApp, screenshot, setQuickTraining, trainAndWait, type Session } from './browser';

describe('the session survives a reload and can be forgotten', () => {
  let s: Session;
  let metricsBefore: string;

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('restores data and results after a reload', async () => {
    const { page } = s;
    await loadSample(page);
    await setQuickTraining(page, 2, ['bgnbd-gg', 'naive', 'fnn']);
    await trainAndWait(page);
    metricsBefore = (await page.getByTestId('metrics').textContent()) ?? '';
    const importance = page.getByTestId('chart-importance').locator('svg');
    await importance.waitFor({ timeout: 30_000 });
    const importanceBefore = (await importance.textContent()) ?? '';
    expect(importanceBefore).toMatch(/[a-z_]{4,}/);
    const importanceModel = await page.getByTestId('importance-model').inputValue();
    expect(importanceModel).not.toBe('');
    await page.getByTestId('saved').waitFor();
    await page.reload();
    await page.getByTestId('metrics').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('notice').textContent()).toContain('Restored your session with “cdnow_sample.txt”');
    expect(await page.getByTestId('metrics').textContent()).toBe(metricsBefore);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor();
    await page.getByTestId('chart-gain').locator('svg').waitFor();
    // The explanations come back too: the feature importance of the trained models, as before.
    await importance.waitFor({ timeout: 30_000 });
    expect(await importance.textContent()).toBe(importanceBefore);
    expect(await page.getByTestId('importance-model').inputValue()).toBe(importanceModel);
    await page.getByTestId('lookup-id').fill('00004');
    await page.getByTestId('lookup-submit').click();
    await page.getByTestId('customer-profile').waitFor();
    expect(await page.getByTestId('profile-clv').textContent()).toMatch(/\d/);
    expect(await page.getByTestId('profile-palive').textContent()).toMatch(/\d/);
    // Per-customer attributions come back from the saved bundle, the nets being gone after a reload.
    const why = page.getByTestId('chart-why').locator('svg');
    await why.waitFor({ timeout: 60_000 });
    expect(await why.textContent()).toMatch(/[a-z_]{4,}/);
    expect(await page.getByTestId('why-unavailable').count()).toBe(0);
    expect(await page.getByTestId('export-bundle').count()).toBe(1);
    await screenshot(page, 'session-restored');
  });

  it('forgets everything in one click, also across a reload', async () => {
    const { page } = s;
    await page.getByTestId('forget').click();
    await page.getByTestId('forget-confirm').click();
    await page.getByTestId('sample').waitFor();
    expect(await page.getByTestId('notice').textContent()).toContain('Everything was deleted');
    const stored = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const files: string[] = [];
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) files.push(name);
      const databases = (await indexedDB.databases()).map((d) => d.name);
      return { files, databases };
    });
    expect(stored.files).toEqual([]);
    expect(stored.databases).not.toContain('clv-studio');
    await page.reload();
    await page.getByTestId('sample').waitFor();
    await page.waitForTimeout(1000);
    expect(await page.getByTestId('mapping').count()).toBe(0);
    expect(await page.getByTestId('notice').count()).toBe(0);
    expect(s.pageErrors).toEqual([]);
  });
});
