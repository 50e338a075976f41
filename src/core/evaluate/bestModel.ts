/**
 * Which model a comparison may put forward: the app's "Use for CLV" star, the CLI's segments and
 * the exported bundle all choose among the models whose comparison is meaningful. A model whose
 * comparison is degenerate (constant actuals or predictions, undefined metrics; see
 * compareModels) can score a perfect RMSE while knowing nothing, so it is never the best.
 */
import type { ComparisonDefect } from '../eval/compareModels';
import { RANK_ONLY_MODELS } from './modelNames';

/** What the rule needs of a comparison entry; both the core's and the app's records have it. */
export interface ComparedModel {
  model: string;
  regression: { rmse?: number | null };
  /** Absent in results saved before the rule existed: treated as not degenerate. */
  degenerate?: ComparisonDefect | string | null;
}

/** Whether `entry` may be chosen as the best model. */
export function canBeBest(entry: { degenerate?: ComparisonDefect | string | null }): boolean {
  return !entry.degenerate;
}

/**
 * The model for the predicted CLV column: the lowest RMSE among non-degenerate models that
 * predict spend (`hasPredictions`); failing that, the first non-degenerate model with predictions
 * (a run of rank-only scores); null when every comparison is degenerate.
 */
export function lowestRmseModel(metrics: readonly ComparedModel[], hasPredictions: (model: string) => boolean): string | null {
  let best: { model: string; rmse: number } | null = null;
  for (const m of metrics) {
    if (!canBeBest(m) || !hasPredictions(m.model) || (RANK_ONLY_MODELS as readonly string[]).includes(m.model)) continue;
    const rmse = m.regression.rmse;
    if (typeof rmse !== 'number' || !Number.isFinite(rmse)) continue;
    if (!best || rmse < best.rmse) best = { model: m.model, rmse };
  }
  return best?.model ?? metrics.find((m) => canBeBest(m) && hasPredictions(m.model))?.model ?? null;
}
