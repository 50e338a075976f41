import { ALL_CURRENCIES, listCurrencies } from '../core/clean/currencies';
import type { RejectFix, RejectGroup, RejectionDetails } from '../core/clean/rejectionGuard';
import { REJECT_REASONS } from '../core/clean/staging';
import type { ColumnMapping } from '../core/mapping/roles';

/** Whether an error's details have the rejection guard's shape (they cross a boundary untyped). */
export function isRejectionDetails(details: unknown): details is RejectionDetails {
  if (typeof details !== 'object' || details === null) return false;
  const d = details as Partial<RejectionDetails>;
  return (
    typeof d.rows_read === 'number' &&
    Array.isArray(d.groups) &&
    d.groups.length > 0 &&
    d.groups.every((g) => typeof g?.count === 'number' && typeof g.column === 'string' && typeof g.reason === 'string' && Array.isArray(g.fixes ?? []))
  );
}

const count = new Intl.NumberFormat('en-US');

function share(part: number, whole: number): string {
  return `${whole > 0 ? ((100 * part) / whole).toFixed(1) : '0.0'}%`;
}

function fixFlags(fix: RejectFix): string {
  const flags: string[] = [];
  if (fix.dateFormat) flags.push(`--date-format ${fix.dateFormat}`);
  if (fix.decimalSeparator) flags.push(`--decimal ${fix.decimalSeparator}`);
  return flags.join(' ');
}

function example(group: RejectGroup): string {
  const first = group.examples?.[0];
  if (!first) return '';
  return ` (line ${count.format(first.line)}: ${first.value === null ? 'empty' : JSON.stringify(first.value)})`;
}

type MappingReadings = Pick<ColumnMapping, 'dateFormat' | 'decimalSeparator'>;

/** What is wrong with one group of rejected rows, and the flag that reads them. */
function groupSentence(group: RejectGroup, details: RejectionDetails, mapping: MappingReadings): string {
  const rowsRead = details.rows_read;
  const rows = `${count.format(group.count)} of ${count.format(rowsRead)} rows (${share(group.count, rowsRead)})`;
  if (group.reason === REJECT_REASONS.extraFields) {
    // No flag reads a row split in the wrong place: the note says why it happened and how to fix the file.
    return `${rows} have more fields than the header${example(group)}${group.note ? `: ${group.note.replace(/\.$/, '')}` : ''}`;
  }
  if (group.reason === REJECT_REASONS.otherCurrency) {
    // No reading turns one currency into another: the user keeps one, or says the amounts add up.
    const others = listCurrencies((group.fixes ?? []).filter((f) => f.currency && f.currency !== ALL_CURRENCIES).map((f) => ({ currency: f.currency!, rows: f.parses })));
    const instead = group.convertedAmount ? `, --amount ${JSON.stringify(group.convertedAmount)} reads the amounts converted to one currency` : '';
    return `${rows} are in another currency than ${group.kept ?? 'the most common'} in "${group.column}" (${others}), and sums across currencies mean nothing; --keep-currency CODE keeps another one${instead}, --keep-currency all adds them up as one`;
  }
  if (group.reason === REJECT_REASONS.missingDate) {
    // No reading fills an empty cell: another column, or the file itself, holds the day.
    const line = group.examples?.[0] ? ` (line ${count.format(group.examples[0].line)})` : '';
    return `${rows} have no date in "${group.column}" but an amount${line}; check that it is the right column (--date COL)`;
  }
  if (group.reason === REJECT_REASONS.missingAmount) {
    // No reading fills an empty cell: the amount is in another column.
    const line = group.examples?.[0] ? ` (line ${count.format(group.examples[0].line)})` : '';
    return `${rows} have a customer and a date but no amount in "${group.column}"${line}, and belong to no order or purchase kept; if the column is filled only on some rows, choose the one that holds every row's amount (--amount COL)`;
  }
  const isDate = group.reason === REJECT_REASONS.badDate;
  const isOutside = group.reason === REJECT_REASONS.dateOutOfRange;
  const isAmount = group.reason === REJECT_REASONS.badAmount;
  const window = details.date_window;
  const problem = isDate
    ? `have a date in "${group.column}" that cannot be read as ${mapping.dateFormat}`
    : isOutside
      ? `have a date in "${group.column}" outside ${window ? `${window.first}..${window.last}` : 'the plausible window'} when read as ${mapping.dateFormat}`
      : isAmount
        ? `have an amount in "${group.column}" that cannot be read as a number with "${mapping.decimalSeparator}" as the decimal separator`
        : `are rejected as "${group.reason}" in "${group.column}"`;
  const best = (group.fixes ?? []).filter((f) => f.parses > 0 && fixFlags(f) !== '').sort((a, b) => b.parses - a.parses)[0];
  if (best) return `${rows} ${problem}; ${fixFlags(best)} reads ${count.format(best.parses)} of them`;
  if (isOutside) return `${rows} ${problem}${example(group)}; --date-window FIRST..LAST widens the window`;
  const reading = isDate ? 'no other date format reads them' : isAmount ? 'no other decimal separator reads them' : 'no other reading parses them';
  const flag = isDate ? '--date' : isAmount ? '--amount' : null;
  return `${rows} ${problem}${example(group)}; ${reading}${flag ? `, check that it is the right column (${flag} COL)` : ''}`;
}

/**
 * One line for TOO_MANY_REJECTS, built from the guard's details: per column the count and share
 * of rows that cannot be read, the flag that reads them, and --allow-rejects to go on without them.
 */
export function rejectsMessage(details: RejectionDetails, mapping: MappingReadings): string {
  const groups = [...details.groups].sort((a, b) => b.count - a.count);
  return `${groups.map((g) => groupSentence(g, details, mapping)).join('; ')} (or --allow-rejects to build without them).`;
}
