/**
 * A large file through the real app, with the main thread watched:
 *   npx tsx test/bench/appLoad.ts [--rows 10000000] [--out FILE.json]
 *
 * Builds the production site (as the end-to-end tests do), opens it in headless Chromium, hands
 * the generated log to the page's file input and waits for the RFM table, the heatmap, the segment
 * chart and the first page of the features table, while a probe on the page's main thread records
 * the longest task (Long Tasks API) and the longest gap between 50 ms timer ticks. The e2e suite
 * checks the same on 300k rows; 10M rows take minutes, so they are measured here.
 */
import { writeFileSync } from 'node:fs';
import { buildSite, openApp, startResponsivenessProbe, stopResponsivenessProbe, type Responsiveness } from '../e2e/browser';
import { ensureSyntheticLog } from './syntheticLog';
import { argument } from './argument';
import { STRINGS } from '../../src/ui/strings';

export interface AppLoadResult {
  rows: number;
  file_mb: number;
  /** From handing over the file to the first RFM row on screen (open, load, build, first render). */
  ms_to_rfm_table: number;
  /** Until the heatmap, segment chart and features table are drawn too. */
  ms_to_all_panels: number;
  /** Steps the page showed while the data worker was busy. */
  steps_seen: string[];
  main_thread: Responsiveness;
  error?: string;
}

export async function runAppLoad(rows: number): Promise<AppLoadResult> {
  const log = ensureSyntheticLog(rows);
  buildSite();
  const s = await openApp();
  try {
    const { page } = s;
    const steps = new Set<string>();
    await startResponsivenessProbe(page);
    const start = Date.now();
    await page.locator('input[type=file]').first().setInputFiles(log.path);
    const busy = page.getByTestId('busy');
    const rfm = page.locator('[data-testid="rfm-table"] tbody tr').first();
    // Poll the busy line (what the user reads) until the table is there.
    while (!(await rfm.isVisible())) {
      // The busy line without its Cancel button.
      const text = ((await busy.textContent({ timeout: 1000 }).catch(() => null)) ?? '').replace(STRINGS.cancelLoad, '').trim();
      if (text) steps.add(text);
      const error = page.getByTestId('error');
      if ((await error.count()) > 0) throw new Error(await error.innerText());
      if (Date.now() - start > 20 * 60_000) throw new Error('no RFM table after 20 minutes');
      await page.waitForTimeout(250);
    }
    const toRfm = Date.now() - start;
    await page.getByTestId('chart-heatmap').locator('svg').waitFor({ timeout: 300_000 });
    await page.getByTestId('chart-segments').locator('svg').waitFor({ timeout: 300_000 });
    await page.locator('[data-testid="features-table"] tbody tr').first().waitFor({ timeout: 300_000 });
    const toAll = Date.now() - start;
    const probe = await stopResponsivenessProbe(page);
    if (s.pageErrors.length > 0) throw new Error(`page errors: ${s.pageErrors.join(' / ')}`);
    return { rows, file_mb: Math.round(log.bytes / 1e5) / 10, ms_to_rfm_table: toRfm, ms_to_all_panels: toAll, steps_seen: [...steps], main_thread: probe };
  } finally {
    await s.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(argument('rows') ?? 10_000_000);
  const result = await runAppLoad(rows);
  console.log(JSON.stringify(result, null, 2));
  const out = argument('out');
  if (out) writeFileSync(out, `${JSON.stringify({ [`app_load_${rows}`]: result }, null, 2)}\n`);
}
