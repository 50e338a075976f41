/**
 * The measured flow, as the app runs it: inspect → load(guessed mapping) → build(default period,
 * unit 'day'). Shared by the Node runs (wasm and native); the browser page does the same calls
 * through the data worker.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DataEngine } from '../../src/core/engine';

/** The engine calls the flow makes (DataEngine, or the prototype copy in test/bench/proto). */
export type FlowEngine = Pick<DataEngine, 'inspect' | 'load' | 'build'>;

export interface FlowTimes {
  inspect_ms: number;
  load_ms: number;
  build_ms: number;
  total_ms: number;
}

export interface FlowSummary {
  rows_read: number;
  rows_kept: number;
  customers: number;
  rfm_customers: number;
  feature_customers: number;
  cutoff: string;
  horizon_end: string | null;
}

export function readHead(file: string): { head: Uint8Array; size: number } {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(Math.min(size, 4096));
    readSync(fd, head, 0, head.length, 0);
    return { head, size };
  } finally {
    closeSync(fd);
  }
}

export async function runFlow(engine: FlowEngine, file: string, onPhase?: (phase: 'inspect' | 'load' | 'build') => void): Promise<{ times: FlowTimes; summary: FlowSummary }> {
  const { head, size } = readHead(file);
  const t0 = performance.now();
  onPhase?.('inspect');
  const inspection = await engine.inspect({ fileName: path.basename(file), path: file, head, size });
  const t1 = performance.now();
  onPhase?.('load');
  const loaded = await engine.load(inspection.mapping);
  const t2 = performance.now();
  onPhase?.('build');
  const built = await engine.build({ period: loaded.period, unit: 'day' });
  const t3 = performance.now();
  return {
    times: { inspect_ms: t1 - t0, load_ms: t2 - t1, build_ms: t3 - t2, total_ms: t3 - t0 },
    summary: {
      rows_read: loaded.quality.rows_read,
      rows_kept: loaded.quality.rows_kept,
      customers: loaded.quality.customers,
      rfm_customers: built.rfmCustomers,
      feature_customers: built.features.customers,
      cutoff: built.period.cutoff,
      horizon_end: built.period.horizonEnd,
    },
  };
}
