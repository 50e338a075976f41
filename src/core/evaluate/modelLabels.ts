/**
 * Models by the names people read, for messages raised in core (errors, logs): the ids of
 * modelNames.ts ('bgnbd-gg', 'pnbd-gg') and the stack's extra base never reach a user as they
 * are. The UI's STRINGS.modelNames say the same (test/unit/modelLabels.test.ts holds them together).
 */
import { LOGNORMAL_VALUE_BASE, type ModelName } from './modelNames';

export const MODEL_LABELS: Record<ModelName, string> = {
  'bgnbd-gg': 'BG/NBD + Gamma-Gamma',
  'pnbd-gg': 'Pareto/NBD + Gamma-Gamma',
  'mbgnbd-gg': 'MBG/NBD + Gamma-Gamma',
  naive: 'Naive run rate',
  visitante: 'Visitante score',
  'fnn-seed': 'FNN (seed recipe)',
  fnn: 'FNN',
  ziln: 'ZILN network',
  hybrid: 'Hybrid (net + BTYD)',
  lstm: 'LSTM (sequences)',
  cnn: 'CNN (sequences)',
  ensemble: 'Stacked ensemble',
};

/** The stacked ensemble's columns that are not models of their own: BG/NBD's purchases × a learned order value, or × lognormal spend. */
const STACK_BASE_LABELS: Record<string, string> = {
  'btyd-order-value': 'BG/NBD purchases × learned order value',
  [LOGNORMAL_VALUE_BASE]: 'BG/NBD purchases × lognormal spend',
};

/** A model's (or a stack base's) name in words; an unknown id comes back as it is. */
export function modelLabel(id: string): string {
  return (MODEL_LABELS as Record<string, string>)[id] ?? STACK_BASE_LABELS[id] ?? id;
}
