/**
 * `fit` on a horizon where (almost) nobody buys exits non-zero with DEGENERATE_HORIZON on one line,
 * instead of writing metrics with RMSE 0 and a best model.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.resolve(ROOT, '../shared/datasets/cdnow/CDNOW_sample.txt');

async function clv(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', ...args], { cwd: ROOT, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('clv fit on a degenerate horizon', () => {
  it('refuses a cutoff at the last date (nobody can buy in the horizon)', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'clv-degenerate-'));
    // CDNOW_sample ends on 1998-06-30 and holds 2,357 customers.
    const r = await clv(['fit', SAMPLE, '--customer', 'column1', '--cutoff', '1998-06-30', '--horizon-end', '1998-12-31', '--model', 'bgnbd-gg', '--out', out]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const minimum = Math.max(20, Math.ceil(2357 / 100));
    expect(r.stderr).toBe(
      `DEGENERATE_HORIZON: No customer buys in the horizon (1998-07-01 – 1998-12-31); at least ${minimum} are needed to compare models. Choose an earlier cutoff or a longer horizon.\n`,
    );
    expect(existsSync(path.join(out, 'metrics.json'))).toBe(false);
  });

  it('refuses a horizon where one customer buys', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-one-buyer-'));
    const lines = ['customer_id,date,amount'];
    for (let c = 0; c < 60; c++) {
      lines.push(`c${c},2024-0${1 + (c % 5)}-1${c % 10},${10 + c}`);
      lines.push(`c${c},2024-05-2${c % 8},${20 + c}`);
    }
    lines.push('c7,2024-08-15,99');
    const file = path.join(dir, 'one_buyer.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await clv(['fit', file, '--cutoff', '2024-06-30', '--horizon-end', '2024-12-31', '--model', 'bgnbd-gg', '--out', path.join(dir, 'out')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(
      'DEGENERATE_HORIZON: Only 1 customer buys in the horizon (2024-07-01 – 2024-12-31); at least 20 are needed to compare models. Choose an earlier cutoff or a longer horizon.\n',
    );
  });
});
