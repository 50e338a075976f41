/**
 * `app_fit_default_cdnow`: the default run as a user starts it in the app — CDNOW_master handed to
 * the page's file input, period 1997-09-30 → 1998-06-30 in weeks, Train with the default models —
 * in headless Chromium on the production build. Reports the seconds from the click on Train to the
 * metrics on screen, and what the page says it did: the protocol (cross-fitting or one split) and
 * how many workers trained the nets. The CLI's `fit_default_cdnow` (fitDefault.ts) runs the same
 * evaluation in Node.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { buildSite, openApp } from '../e2e/browser';
import { CDNOW_MASTER } from './fitDefault';

export interface AppFitDefaultResult {
  seconds: number;
  customers: number;
  protocol: string;
  folds: number | null;
  training_workers: number;
  backend: string;
  loadavg_1m: { before: number; after: number; cores: number };
}

export async function runAppFitDefault(): Promise<AppFitDefaultResult | { error: string }> {
  if (!existsSync(CDNOW_MASTER)) return { error: `${CDNOW_MASTER} not found (set CLV_CDNOW_MASTER)` };
  buildSite();
  const s = await openApp();
  try {
    const { page } = s;
    await page.locator('input[type=file]').first().setInputFiles(CDNOW_MASTER);
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 300_000 });
    await page.getByTestId('cutoff').fill('1997-09-30');
    await page.getByTestId('horizon-end').fill('1998-06-30');
    await page.getByTestId('period').locator('select').first().selectOption('week');
    await page.getByTestId('rebuild').click();
    await page.getByTestId('train').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'), undefined, { timeout: 300_000 });
    const before = os.loadavg()[0];
    const started = performance.now();
    await page.getByTestId('train').click();
    await page.getByTestId('metrics').waitFor({ timeout: 900_000 });
    const seconds = (performance.now() - started) / 1000;
    const after = os.loadavg()[0];
    const protocol = (await page.getByTestId('protocol').getAttribute('data-protocol')) ?? 'split';
    const trained = page.getByTestId('trained-backend');
    const text = (await page.getByTestId('protocol').textContent()) ?? '';
    const customers = Number(/([\d,]+) customers/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
    if (s.pageErrors.length > 0) return { error: `page errors: ${s.pageErrors.join(' / ')}` };
    return {
      seconds,
      customers,
      protocol,
      folds: protocol === 'cross_fit' ? Number(/in (\d+) folds/.exec(text)?.[1] ?? NaN) : null,
      training_workers: Number((await trained.getAttribute('data-training-workers')) ?? 1),
      backend: (await trained.getAttribute('data-backend')) ?? '?',
      loadavg_1m: { before, after, cores: os.cpus().length },
    };
  } finally {
    await s.close();
  }
}
