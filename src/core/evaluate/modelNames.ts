/** Every model the evaluation can run, by the names used in metrics.json and predictions.csv. */
export const MODEL_NAMES = ['bgnbd-gg', 'naive', 'visitante', 'fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn', 'ensemble'] as const;

export type ModelName = (typeof MODEL_NAMES)[number];

/** Models that only rank customers: their regression metrics are not meaningful. */
export const RANK_ONLY_MODELS: readonly ModelName[] = ['visitante'];

/** Learned models need the horizon's targets to train. */
export const LEARNED_MODELS: readonly ModelName[] = ['fnn-seed', 'fnn', 'ziln', 'hybrid', 'lstm', 'cnn', 'ensemble'];

/** The default run: the baselines and the nets that are fast on a CPU. */
export const DEFAULT_MODELS: readonly ModelName[] = ['bgnbd-gg', 'naive', 'visitante', 'fnn', 'ziln', 'hybrid', 'ensemble'];

export function isModelName(v: string): v is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(v);
}
