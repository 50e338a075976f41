import { STRINGS } from '../strings';

/** The name a person reads for a model id (ids stay in files only): 'bgnbd-gg' → 'BG/NBD + Gamma-Gamma'. */
export function modelLabel(id: string): string {
  return STRINGS.modelNames[id] ?? id;
}
