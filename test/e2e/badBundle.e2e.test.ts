/**
 * A bad model bundle costs nothing: a PNG or a truncated bundle chosen as the bundle is refused
 * with BUNDLE_CORRUPT before anything changes, so the trained results, the period and the stored
 * session are the same as before, also after a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, loadSample, openApp, screenshot, setQuickTraining, trainAndWait, type Session } from './browser';
import { storedSession } from './storedSession';

// The first bytes of a real PNG: signature, IHDR chunk of a 1×1 image.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a00000000049454e44ae426082', 'hex');

describe('a bad model bundle', () => {
  let s: Session;
  let metrics: string;
  let cutoff: string;
  let horizonEnd: string;

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  async function expectUnchanged(): Promise<void> {
    const { page } = s;
    expect(await page.getByTestId('metrics').textContent()).toBe(metrics);
    expect(await page.getByTestId('cutoff').inputValue()).toBe(cutoff);
    expect(await page.getByTestId('horizon-end').inputValue()).toBe(horizonEnd);
    expect(await page.getByRole('heading', { name: /Predictions from the saved model/ }).count()).toBe(0);
  }

  async function chooseBundle(name: string, buffer: Buffer): Promise<void> {
    const { page } = s;
    await page.getByTestId('bundle-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    const error = page.getByTestId('error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.getAttribute('data-code')).toBe('BUNDLE_CORRUPT');
    expect(await error.textContent()).toContain('This file is not a readable CLV Studio model bundle');
    await page.getByTestId('busy').waitFor({ state: 'detached', timeout: 30_000 });
  }

  it('keeps the trained results when a PNG is chosen as the bundle', async () => {
    const { page } = s;
    await loadSample(page);
    await setQuickTraining(page, 2, ['bgnbd-gg', 'naive', 'fnn']);
    await trainAndWait(page);
    await page.getByTestId('saved').waitFor({ timeout: 60_000 });
    metrics = (await page.getByTestId('metrics').textContent()) ?? '';
    cutoff = await page.getByTestId('cutoff').inputValue();
    horizonEnd = await page.getByTestId('horizon-end').inputValue();
    expect(horizonEnd).not.toBe('');
    await chooseBundle('photo.png', PNG);
    await expectUnchanged();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor();
    await screenshot(page, 'bad-bundle-png');
  });

  it('keeps them for a truncated bundle too', async () => {
    const { page } = s;
    await page.getByTestId('error').getByRole('button').click();
    const bundle = await download(page, () => page.getByTestId('export-bundle').click());
    // The starred model's bundle: a net's (CLVB) or a probabilistic model's parameters (CLVP).
    expect(['CLVB', 'CLVP']).toContain(bundle.bytes.subarray(0, 4).toString('latin1'));
    await chooseBundle(bundle.name, bundle.bytes.subarray(0, Math.floor(bundle.bytes.length * 0.9)));
    await expectUnchanged();
  });

  it('leaves the stored session as it was: a reload shows the same results and period', async () => {
    const { page } = s;
    const stored = await storedSession(page);
    expect(stored?.result).toBe('kept');
    expect(stored?.inProgress ?? null).toBeNull();
    await page.reload();
    await page.getByTestId('metrics').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('notice').textContent()).toContain('Restored your session');
    await expectUnchanged();
    expect(s.pageErrors).toEqual([]);
  });
});
