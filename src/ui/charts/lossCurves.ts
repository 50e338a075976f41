import * as Plot from '@observablehq/plot';
import { formatTick } from '../format';
import { seriesLegend } from './legend';
import { modelLabel } from './modelLabel';
import { seriesScale } from './palette';
import type { ChartElement, ChartSize } from './types';
import { STRINGS } from '../strings';

const C = STRINGS.charts;

export interface LossPoint {
  model: string;
  /** Cross-fitting: the fold this epoch belongs to (folds train side by side, their epochs interleave). */
  fold?: number;
  epoch: number;
  loss: number | null;
  valLoss: number | null;
}

interface Relative {
  model: string;
  /** One line per training run of a model: cross-fitting trains each net once per fold, restarting at epoch 1. */
  run: string;
  epoch: number;
  value: number;
}

/**
 * Each run's losses divided by its first epoch's (a model trained once per fold has one line per fold): nets with different losses (squared error,
 * lognormal likelihood) share one axis, and "is it still improving" reads the same for all.
 */
function relativeTo(points: readonly LossPoint[], key: 'loss' | 'valLoss'): Relative[] {
  const first = new Map<string, number>();
  const runs = new Map<string, { count: number; lastEpoch: number }>();
  const out: Relative[] = [];
  for (const p of points) {
    // A point that names its fold belongs to that fold's run. Without one, an epoch that does not
    // follow the model's last one starts a new run (the next fold, trained after this one).
    const seen = runs.get(p.model);
    const run = !seen ? { count: 0, lastEpoch: p.epoch } : p.epoch <= seen.lastEpoch ? { count: seen.count + 1, lastEpoch: p.epoch } : { count: seen.count, lastEpoch: p.epoch };
    if (p.fold === undefined) runs.set(p.model, run);
    const v = p[key];
    if (v === null || !Number.isFinite(v)) continue;
    const id = p.fold === undefined ? `${p.model}#${run.count}` : `${p.model}#fold${p.fold}`;
    if (!first.has(id)) first.set(id, Math.abs(v) > 1e-12 ? Math.abs(v) : 1);
    out.push({ model: modelLabel(p.model), run: id, epoch: p.epoch, value: v / first.get(id)! });
  }
  return out;
}

export function lossCurvesChart(points: readonly LossPoint[], { width }: ChartSize): ChartElement {
  const training = relativeTo(points, 'loss');
  const validation = relativeTo(points, 'valLoss');
  const models = [...new Set(points.map((p) => modelLabel(p.model)))];
  // Whole epochs only: at most about ten ticks, never 1.05.
  const last = Math.max(1, ...points.map((p) => p.epoch));
  const first = Math.min(last, ...points.map((p) => p.epoch));
  const step = Math.max(1, Math.ceil((last - first) / 10));
  const epochTicks: number[] = [];
  for (let e = first; e <= last; e += step) epochTicks.push(e);
  return Plot.plot({
    width,
    height: 240,
    x: { label: C.epoch, grid: true, ticks: epochTicks, tickFormat: formatTick },
    y: { label: C.relativeLoss, grid: true, tickFormat: formatTick },
    color: seriesScale(models),
    marks: [
      Plot.line(training, { x: 'epoch', y: 'value', z: 'run', stroke: 'model', strokeWidth: 2 }),
      Plot.line(validation, { x: 'epoch', y: 'value', z: 'run', stroke: 'model', strokeWidth: 2, strokeDasharray: '5,4' }),
      ...seriesLegend(models, 'top-right'),
    ],
  });
}
