/**
 * A reload in the middle of long work restores what it can and says what was cut short: a
 * training (the data come back, no half-trained results) and a load (the file comes back with its
 * columns to confirm). The notice is shown once: the marker is cleared when it has been read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticLog } from '../bench/syntheticLog';
import { loadSample, openApp, screenshot, setQuickTraining, type Session } from './browser';
import { storedSession } from './storedSession';

describe('a reload during long work', () => {
  let s: Session;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clv-interrupted-'));
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('during training: restores the data and says training was interrupted', async () => {
    const { page } = s;
    await loadSample(page);
    // Many epochs: the run is still going when the page reloads.
    await setQuickTraining(page, 500, ['naive', 'fnn', 'ziln']);
    await page.getByTestId('train').click();
    await page.getByTestId('train-progress').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await storedSession(page))?.inProgress?.work ?? null, { timeout: 30_000 }).toBe('training');
    expect(await page.getByTestId('metrics').count()).toBe(0);
    await page.reload();
    const notice = page.getByTestId('notice');
    await notice.filter({ hasText: 'Training was interrupted by the reload; press Train to run it again.' }).waitFor({ timeout: 90_000 });
    expect(await notice.textContent()).toContain('Restored your session with “cdnow_sample.txt”.');
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('metrics').count()).toBe(0);
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
    await screenshot(page, 'interrupted-training');
    // Said once: the marker is gone, so the next reload only says the session was restored.
    await expect.poll(async () => (await storedSession(page))?.inProgress ?? null).toBeNull();
    await page.reload();
    await notice.filter({ hasText: 'Restored your session' }).waitFor({ timeout: 90_000 });
    expect(await notice.textContent()).not.toContain('interrupted');
  });

  it('during a load: brings the file back with its columns and says loading was interrupted', async () => {
    const { page } = s;
    const file = path.join(dir, 'large.csv');
    // Large enough that cleaning and building take several seconds on any machine.
    writeSyntheticLog(file, { rows: 1_500_000, seed: 5 });
    await page.getByRole('button', { name: 'Open another file' }).click();
    await page.locator('input[type=file]').first().setInputFiles(file);
    await page.getByTestId('cancel-load').waitFor({ timeout: 60_000 });
    // The marker is written first, then the copy of the file is kept: reload once both are stored.
    await expect
      .poll(async () => {
        const stored = await storedSession(page);
        return stored ? [stored.fileName, stored.inProgress?.work ?? null, stored.inProgress?.fileName ?? null] : null;
      }, { timeout: 60_000 })
      .toEqual(['large.csv', 'load', 'large.csv']);
    expect(await page.getByTestId('rfm-table').count()).toBe(0);
    await page.reload();
    const notice = page.getByTestId('notice');
    await notice.filter({ hasText: 'Loading the file was interrupted by the reload' }).waitFor({ timeout: 90_000 });
    expect(await notice.textContent()).toContain('Restored your session with “large.csv”.');
    await page.getByTestId('mapping').waitFor();
    expect(await page.getByTestId('rfm-table').count()).toBe(0);
    await screenshot(page, 'interrupted-load');
    expect(s.pageErrors).toEqual([]);
  });
});
