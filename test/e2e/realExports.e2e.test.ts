/**
 * Issue 9 §5 in the app: three real export shapes (test/support/exportShapes.ts) dropped on the
 * production build load with no questions, and the RFM panel shows as many customers as the
 * plain-TypeScript reference finds for the cutoff the page chose (and says how many were first
 * seen after it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { europeanExcel, shopifyOrders, toDay, uciOnlineRetail, type ExportFixture } from '../support/exportShapes';
import { rfmReference } from '../support/rfmReference';
import { openApp, screenshot, type Session } from './browser';

const SHAPES: { label: string; make: () => ExportFixture }[] = [
  { label: 'UCI Online Retail style invoices', make: uciOnlineRetail },
  { label: 'Shopify orders export', make: shopifyOrders },
  { label: 'European Excel export', make: europeanExcel },
];

const count = (text: string) => Number(text.replaceAll(',', ''));

describe('real export shapes dropped on the app', () => {
  let s: Session;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clv-e2e-exports-'));
    s = await openApp();
  });

  afterAll(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(SHAPES)('$label: loads with no questions and the RFM panel counts the reference customers', async ({ make }) => {
    const { page } = s;
    const fixture = make();
    const file = path.join(dir, fixture.fileName);
    writeFileSync(file, fixture.content);

    const again = page.getByRole('button', { name: 'Open another file' });
    if ((await again.count()) > 0) await again.click();
    await page.locator('input[type=file]').setInputFiles(file);
    // The RFM table, or whatever stopped the way to it: an error, or a question at the mapping step.
    await page.locator('[data-testid="rfm-table"] tbody tr, [data-testid="error"], [data-testid="mapping"] [role="alert"]').first().waitFor({ timeout: 120_000 });
    await screenshot(page, `real-export-${fixture.fileName.replace(/\W+/g, '-')}`);
    const error = page.getByTestId('error');
    expect((await error.count()) > 0 ? `${await error.getAttribute('data-code')}: ${await error.textContent()}` : null).toBeNull();
    const question = page.getByTestId('mapping').getByRole('alert');
    expect((await question.count()) > 0 ? await question.first().textContent() : null).toBeNull();
    await page.locator('[data-testid="rfm-table"] tbody tr').first().waitFor({ timeout: 120_000 });

    const summary = (await page.locator('#rfm p.muted').first().textContent()) ?? '';
    const shown = /([\d,]+) customers? · cutoff (\d{4}-\d{2}-\d{2})/.exec(summary);
    expect(shown, summary).not.toBeNull();
    const reference = rfmReference(fixture.transactions, toDay(shown![2]));
    expect(count(shown![1])).toBe(reference.customers.size);

    if (reference.customersAfterCutoff > 0) {
      const leftOut = (await page.getByTestId('rfm-left-out').textContent()) ?? '';
      const after = /([\d,]+) customers? (?:is|are) first seen after the cutoff/.exec(leftOut);
      expect(after, leftOut).not.toBeNull();
      expect(count(after![1])).toBe(reference.customersAfterCutoff);
    }

    // Only rows a person would drop anyway were rejected, and every row without a customer was.
    const rejected = count((await page.getByTestId('rows-rejected').textContent()) ?? '');
    expect(rejected).toBeGreaterThanOrEqual(fixture.missingCustomerRows);
    expect(rejected).toBeLessThanOrEqual(fixture.droppableRows.size);
  });

  it('never requests anything outside its own origin', () => {
    const origin = new URL(s.url).origin;
    expect(s.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  });
});
