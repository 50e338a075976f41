/**
 * The real command line, as a user runs it (a child process through tsx): a typo in a flag is one
 * line on stderr and a non-zero exit, an Id,Date,Price file loads with --amount Price, and
 * `features --help` prints the usage and exits 0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // node --import tsx rather than npm/npx: npm may add its own lines to stderr.
    execFile(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli.ts'), ...args], { cwd: REPO, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the CLI as a process', () => {
  it.concurrent('--cutof (a typo) exits non-zero with one stderr line naming it and the flag meant', async ({ expect }) => {
    const r = await cli(['features', 'whatever.csv', '--cutof', '1997-09-30', '--out', os.tmpdir()]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(/^BAD_ARGUMENT: Unknown flag --cutof for "features" \(did you mean --cutoff\?\)\. Valid flags: --cutoff, /);
  });

  it.concurrent('features --help exits 0 with the usage on stdout and nothing on stderr', async ({ expect }) => {
    const r = await cli(['features', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage: npm run clv -- features FILE --cutoff YYYY-MM-DD --out DIR/);
    for (const flag of ['--cutoff', '--amount', '--unit-price', '--date-format', '--decimal', '--allow-rejects', '--help']) expect(r.stdout).toContain(flag);
  });

  it.concurrent('an Id,Date,Price file loads with --amount Price: exit 0 and one JSON line', async ({ expect }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-cli-process-'));
    const lines = ['Id,Date,Price'];
    let spend = 0;
    for (let c = 0; c < 8; c++) {
      for (let v = 0; v <= c % 3; v++) {
        const price = 3 + c + v / 4;
        spend += price;
        lines.push(`${100 + c},2024-0${1 + v}-${String(10 + c).padStart(2, '0')},${price.toFixed(2)}`);
      }
    }
    const file = path.join(dir, 'purchases.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = path.join(dir, 'out');
    const r = await cli(['features', file, '--amount', 'Price', '--cutoff', '2024-03-31', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const stdoutLines = r.stdout.split('\n');
    expect(stdoutLines).toHaveLength(2);
    const summary = JSON.parse(stdoutLines[0]);
    expect(summary).toMatchObject({ command: 'features', rows_read: lines.length - 1, rows_rejected: 0, customers: 8 });
    const quality = JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8'));
    expect(quality.mapping).toMatchObject({ amount: 'Price', unitPrice: null });
    const rfm = readFileSync(path.join(out, 'rfm.csv'), 'utf8').trim().split('\n');
    const header = rfm[0].split(',');
    // Every purchase is on or before the cutoff: the total spend of the features is the file's.
    const features = readFileSync(path.join(out, 'features.csv'), 'utf8').trim().split('\n');
    const col = features[0].split(',').indexOf('total_spend');
    const total = features.slice(1).reduce((s, l) => s + Number(l.split(',')[col]), 0);
    expect(total).toBeCloseTo(spend, 6);
    expect(header).toContain('frequency');
  });
});
