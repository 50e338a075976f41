/**
 * The forecast in the app: sample file → Train (quick settings) → Forecast 12 months at 10% a year
 * → the period on screen and in the exported CSV, for every customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, loadSample, openApp, setQuickTraining, trainAndWait, type Session } from './browser';

describe('forecast after the backtest', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('forecasts 12 months discounted at 10%/yr, states the period and exports it', { timeout: 600_000 }, async () => {
    const { page } = s;
    await loadSample(page);
    await setQuickTraining(page, 3);
    await trainAndWait(page);
    // The sample's last day is 30 Jun 1998 (CDNOW): the forecast covers the next twelve months.
    await page.getByTestId('forecast-months').selectOption('12');
    await page.getByTestId('forecast-discount').fill('10');
    await page.getByTestId('forecast').click();
    const table = page.getByTestId('forecast-table');
    await table.waitFor({ timeout: 480_000 });
    const period = 'expected revenue, 1 Jul 1998 – 30 Jun 1999, discounted at 10%/yr';
    expect(await page.getByTestId('forecast-period').textContent()).toContain(period);
    // The model is named in words (e.g. "Hybrid (net + BTYD)"), not by its id ('hybrid', 'bgnbd-gg').
    const shownModel = (await page.getByTestId('forecast-period').locator('strong').textContent()) ?? '';
    expect(shownModel).toMatch(/[A-Z]/);
    expect(await table.locator('caption').textContent()).toContain(period);
    expect(await table.locator('tbody tr').count()).toBe(20);

    const file = await download(page, () => page.getByTestId('export-forecast-csv').click());
    expect(file.name).toMatch(/forecast-.+-1998-07-01-to-1999-06-30\.csv$/);
    const [header, ...lines] = file.bytes.toString('utf8').trim().split('\n');
    const columns = header.split(',');
    expect(columns.slice(0, 6)).toEqual(['customer_id', 'expected_purchases', 'p_alive', 'churn', 'expected_spend', 'clv']);
    expect(columns).toContain('period_start');
    expect(columns).toContain('period_end');
    expect(lines).toHaveLength(2357);
    const start = columns.indexOf('period_start');
    const end = columns.indexOf('period_end');
    const clv = columns.indexOf('clv');
    for (const line of lines) {
      const cells = line.split(',');
      expect(cells[start]).toBe('1998-07-01');
      expect(cells[end]).toBe('1999-06-30');
      expect(Number(cells[clv])).toBeGreaterThanOrEqual(0);
    }
    expect(file.bytes.toString('utf8')).toContain(period);

    // Exports, segments and action lists now come from the forecast, and the page says so.
    expect(await page.getByTestId('exports-source').textContent()).toContain(period);
    expect(await page.getByTestId('exports-source').textContent()).toContain(`the forecast: ${shownModel},`);
    expect(await page.getByTestId('forecast-lists-source').textContent()).toContain('1998-07-01 – 1999-06-30');
    expect(await page.getByTestId('churn-definition').textContent()).toContain('P(no purchase)');
    expect(await page.getByTestId('forecast-segments').locator('tbody tr').count()).toBe(3);
    const exported = await download(page, () => page.getByTestId('export-predictions-csv').click());
    expect(exported.name).toMatch(/forecast-.+-1998-07-01-to-1999-06-30\.csv$/);
    const [exportHeader, ...exportLines] = exported.bytes.toString('utf8').trim().split('\n');
    const exportColumns = exportHeader.split(',');
    expect(exportColumns).toEqual(expect.arrayContaining(['customer_id', 'clv', 'churn', 'p_alive', 'value_segment', 'period_start', 'period_end']));
    expect(exportLines).toHaveLength(2357);
    for (const line of exportLines) {
      const cells = line.split(',');
      expect(cells[exportColumns.indexOf('period_start')]).toBe('1998-07-01');
      expect(cells[exportColumns.indexOf('period_end')]).toBe('1999-06-30');
    }
    const retention = await download(page, () => page.getByTestId('export-retention-csv').click());
    const [retentionHeader, ...retentionLines] = retention.bytes.toString('utf8').trim().split('\n');
    expect(retentionHeader.split(',')).toEqual(['customer_id', 'predicted_clv', 'p_alive', 'churn_risk', 'value_at_risk', 'period_start', 'period_end', 'clv_is']);
    for (const line of retentionLines) expect(Number(line.split(',')[3])).toBeGreaterThanOrEqual(0.5);

    // The bundle button and its file hold the ★ model, whichever it is (the ensemble and hybrid included).
    const star = await page.locator('[data-testid="metrics"] tbody tr.primary').getAttribute('data-model');
    expect(star).toBeTruthy();
    expect(await page.getByTestId('export-bundle').textContent()).toContain(`(${star})`);
    const bundle = await download(page, () => page.getByTestId('export-bundle').click());
    expect(bundle.name).toMatch(new RegExp(`-${star}\\.clvb$`));
    const magic = bundle.bytes.subarray(0, 4).toString('latin1');
    expect(magic).toBe(star === 'ensemble' || star === 'hybrid' ? 'CLVC' : ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'naive'].includes(star!) ? 'CLVP' : 'CLVB');
  });
});
