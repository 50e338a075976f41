import { ClvError } from '../errors';
import type { ColumnMapping } from './roles';

/**
 * The whole date column reads as day/month and as month/day alike (no day above 12 anywhere):
 * only the user can say which. The error carries the counts the decision was based on.
 */
export function ambiguousDates(mapping: ColumnMapping): ClvError {
  const decision = mapping.decisions?.find((d) => d.setting === 'dateFormat');
  const values = decision ? ` (all ${decision.undecided.toLocaleString('en-US')} values have day and month of 12 or less)` : '';
  return new ClvError(
    'AMBIGUOUS_DATES',
    `The dates in "${mapping.date}" read both as day/month/year and as month/day/year${values}. Say which: choose the date format (dmy or mdy).`,
    { column: mapping.date, evidence: decision?.evidence ?? null, undecided: decision?.undecided ?? null },
  );
}
