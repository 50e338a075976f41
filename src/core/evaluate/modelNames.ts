/** Every model the evaluation can run, by the names used in metrics.json and predictions.csv. */
export const MODEL_NAMES = ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'naive', 'visitante', 'fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn', 'ensemble'] as const;

export type ModelName = (typeof MODEL_NAMES)[number];

/** Models that only rank customers: their regression metrics are not meaningful. */
export const RANK_ONLY_MODELS: readonly ModelName[] = ['visitante'];

/** Learned models need the horizon's targets to train. */
export const LEARNED_MODELS: readonly ModelName[] = ['fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn', 'ensemble'];

/** The default run: the baselines and the nets that are fast on a CPU. */
export const DEFAULT_MODELS: readonly ModelName[] = ['bgnbd-gg', 'naive', 'visitante', 'fnn', 'ziln', 'hybrid', 'ensemble'];

/** The buy-till-you-die transaction models with Gamma-Gamma for spend, and the transaction model behind each. */
export const PROBABILISTIC_MODELS = { 'bgnbd-gg': 'bgnbd', 'pnbd-gg': 'pnbd', 'mbgnbd-gg': 'mbgnbd' } as const;

export type ProbabilisticModelName = keyof typeof PROBABILISTIC_MODELS;

export function isModelName(v: string): v is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(v);
}
