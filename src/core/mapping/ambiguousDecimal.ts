import { ClvError } from '../errors';
import type { ColumnMapping } from './roles';

/**
 * The whole money column reads as whole numbers grouped by "." and as three decimals after a "."
 * alike ("26.956": 26956 or 26.956), and no value settles it: only the user can say which. The
 * error carries the counts the decision was based on.
 */
export function ambiguousDecimal(mapping: ColumnMapping): ClvError {
  const column = mapping.amount ?? mapping.unitPrice;
  const decision = mapping.decisions?.find((d) => d.setting === 'decimalSeparator');
  const grouped = decision?.evidence['grouped by "."'];
  const values = grouped === undefined ? '' : ` (${grouped.toLocaleString('en-US')} values are written like that, and none has a decimal part that settles it)`;
  return new ClvError(
    'AMBIGUOUS_DECIMAL',
    `The amounts in "${column}" read two ways: "1.234" is 1,234 with "." grouping thousands (decimal separator ",") or 1.234 with "." as the decimal point${values}. Say which: choose the decimal separator ("," or ".").`,
    { column, evidence: decision?.evidence ?? null, undecided: decision?.undecided ?? null },
  );
}
