/**
 * `sequence_fit_sample`: each sequence net (LSTM, CNN) trained and scored as a user starts it —
 * `fit --model NAME --eval split --epochs 5` on CDNOW_sample (2,357 customers, weekly sequences of
 * 52 periods), cutoff 1997-09-30, horizon to 1998-06-30, no backtest — in a fresh CLI process on the
 * WASM backend. Reports wall and CPU seconds per net (CPU from /proc on Linux; null elsewhere).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childrenCpuSeconds } from './fitDefault';

export const CDNOW_SAMPLE = process.env.CLV_CDNOW_SAMPLE ?? '/work/shared/datasets/cdnow/CDNOW_sample.txt';
const NETS = ['lstm', 'cnn'] as const;

export type SequenceFitResult = Record<(typeof NETS)[number], { seconds: number; cpu_seconds: number | null } | { error: string }> & { epochs: number };

export function runSequenceFit(root: string, epochs = 5): SequenceFitResult | { error: string } {
  if (!existsSync(CDNOW_SAMPLE)) return { error: `${CDNOW_SAMPLE} not found (set CLV_CDNOW_SAMPLE)` };
  const result = { epochs } as SequenceFitResult;
  for (const net of NETS) {
    const out = mkdtempSync(path.join(os.tmpdir(), `clv-sequence-${net}-`));
    const args = ['--import', 'tsx', path.join(root, 'src/cli.ts'), 'fit', CDNOW_SAMPLE, '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week', '--model', net, '--eval', 'split', '--epochs', String(epochs), '--backtest', 'off', '--out', out];
    console.log(`\nsequence: node ${args.join(' ')}`);
    const cpu0 = childrenCpuSeconds();
    const started = performance.now();
    const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = childrenCpuSeconds();
    rmSync(out, { recursive: true, force: true });
    result[net] = res.status === 0 ? { seconds, cpu_seconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null } : { error: `fit exited ${res.status ?? res.signal}: ${res.stderr.trim().split('\n').pop()}` };
  }
  return result;
}
