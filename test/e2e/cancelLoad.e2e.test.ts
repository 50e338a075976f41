/**
 * Cancel a long load: the data worker (DuckDB runs blocking inside it) is ended at once, the file
 * is closed and not restored on reload, and the next file loads in a fresh worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticLog } from '../bench/syntheticLog';
import { loadSample, openApp, screenshot, type Session } from './browser';

describe('cancel a load', () => {
  let s: Session;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clv-cancel-load-'));
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops cleaning a large file at once, closes it and keeps nothing', async () => {
    const { page } = s;
    const file = path.join(dir, 'large.csv');
    // Large enough that opening, cleaning and building take several seconds on any machine.
    writeSyntheticLog(file, { rows: 1_500_000, seed: 3 });
    await page.locator('input[type=file]').first().setInputFiles(file);
    const cancel = page.getByTestId('cancel-load');
    await cancel.waitFor({ timeout: 60_000 });
    await screenshot(page, 'cancel-load-running');
    await cancel.click();
    const notice = page.getByTestId('notice');
    await notice.filter({ hasText: 'Loading was cancelled' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('busy').count()).toBe(0);
    expect(await page.getByTestId('rfm-table').count()).toBe(0);
    await page.getByTestId('sample').waitFor();
    await screenshot(page, 'cancel-load-done');
    // Forgotten: no stored copy of the file or session, so a reload does not load it again.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const root = await navigator.storage.getDirectory();
          const files: string[] = [];
          for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) files.push(name);
          return { files, databases: (await indexedDB.databases()).map((d) => d.name) };
        }),
      )
      .toEqual({ files: [], databases: [] });
    await page.reload();
    await page.getByTestId('sample').waitFor();
    expect(await page.getByTestId('mapping').count()).toBe(0);
  });

  it('loads the next file in a fresh data worker, and a reload restores that one', async () => {
    const { page } = s;
    await loadSample(page);
    expect(await page.getByTestId('quality').textContent()).toContain('6,919');
    await page.reload();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('quality').textContent()).toContain('6,919');
    expect(s.pageErrors).toEqual([]);
  });
});
