/** Every model the evaluation can run, by the names used in metrics.json and predictions.csv. */
export const MODEL_NAMES = ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'naive', 'visitante', 'fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn', 'ensemble'] as const;

export type ModelName = (typeof MODEL_NAMES)[number];

/** Models that only rank customers: their regression metrics are not meaningful. */
export const RANK_ONLY_MODELS: readonly ModelName[] = ['visitante'];

/** Learned models need the horizon's targets to train. */
export const LEARNED_MODELS: readonly ModelName[] = ['fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn', 'ensemble'];

/**
 * Nets the ensemble stacks, trained for it even when not asked for themselves (the hybrid, when
 * asked for, is stacked too).
 */
export const ENSEMBLE_NETS: readonly ModelName[] = ['ziln'];

/**
 * The default run: the baselines, the ZILN net and the ensemble over them. The plain FNN (MSE on
 * raw spend) is not in it: cross-fitted on CDNOW_master (seeds 1–3) its RMSE was 95.9–98.5 against
 * the hybrid's 90.5–92.4, on a heavy-tailed log it ranked customers barely better than chance
 * (normalized Gini 0.45 against ZILN's 0.95), and it cost a third of the run's time; the ensemble
 * without it was as good (CDNOW seed 3: 91.4 / 0.722 without, 91.9 / 0.722 with).
 * Nor is the hybrid (ZILN on the features plus BG/NBD's outputs): it was half of the default run's
 * training (CDNOW_master: 118 s → 72 s in the CLI, 160–185 s → 90 s in the app without it), and
 * the ensemble without it was as good: CDNOW_master seeds 1–3 RMSE 91.52 / 91.99 / 91.96 against
 * 91.26 / 91.89 / 91.91 with it (BG/NBD 92.94), normalized Gini 0.7228 / 0.7230 / 0.7227 against
 * 0.7238 / 0.7235 / 0.7237 (BG/NBD 0.6721); on 16 heavy-tailed runs (6 logs, several seeds;
 * stacked on the same out-of-fold predictions) its RMSE was lower than with the hybrid on 6 and
 * higher on 10, from −186 (8117, seed 2) to +201 (5150, seed 1), its largest excess over BG/NBD's
 * +92 where it was +200 with the hybrid, and its Gini 0.0003–0.0012 lower.
 * Both stay one tick (or `--model fnn`, `--model hybrid`) away, and an ensemble run with the
 * hybrid asked for stacks it.
 */
export const DEFAULT_MODELS: readonly ModelName[] = ['bgnbd-gg', 'naive', 'visitante', 'ziln', 'ensemble'];

/** Nets a run of `models` trains, each once per fold: the nets asked for and those the ensemble stacks. */
export function trainedNets(models: readonly ModelName[]): ModelName[] {
  const nets = new Set(models.filter((m) => m !== 'ensemble' && LEARNED_MODELS.includes(m)));
  if (models.includes('ensemble')) ENSEMBLE_NETS.forEach((m) => nets.add(m));
  return [...nets];
}

/** The buy-till-you-die transaction models with Gamma-Gamma for spend, and the transaction model behind each. */
export const PROBABILISTIC_MODELS = { 'bgnbd-gg': 'bgnbd', 'pnbd-gg': 'pnbd', 'mbgnbd-gg': 'mbgnbd' } as const;

export type ProbabilisticModelName = keyof typeof PROBABILISTIC_MODELS;

/**
 * The stacked ensemble's values where Gamma-Gamma is degenerate: BG/NBD's expected purchases ×
 * the lognormal spend model (models/lognormalSpend.ts). A column the stack hands out, not a model of its own.
 */
export const LOGNORMAL_VALUE_BASE = 'bgnbd-lognormal';

export function isModelName(v: string): v is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(v);
}
