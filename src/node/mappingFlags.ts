import { DEFAULT_CLEANING, type CleaningOptions, type DateWindow, type DuplicatesPolicy, type ReturnsPolicy } from '../core/clean/staging';
import { ClvError } from '../core/errors';
import { detectDecimalSeparator, type DecimalSeparator } from '../core/mapping/amountFormat';
import { detectDateFormat, type DateFormat } from '../core/mapping/dateFormat';
import { type ColumnMapping, type ColumnSample, type Role } from '../core/mapping/roles';
import { freedColumnRole } from '../core/mapping/freedColumn';
import { choiceFlag, flagValue, hasFlag, type CliArgs } from './cliArgs';
import { PAYMENT_FLAGS, ROLE_FLAGS } from './cliOptions';

/** A role flag with this value leaves the role empty (unless the file has a column of that name). */
const NO_COLUMN = 'none';

/** The share of readable sample dates a column chosen by the user needs for its format to be taken from them. */
const CHOSEN_DATE_MIN_SHARE = 0.5;

function resolveColumn(flag: string, value: string, columns: readonly ColumnSample[]): string | null {
  if (columns.some((c) => c.name === value)) return value;
  if (value.toLowerCase() === NO_COLUMN) return null;
  const folded = columns.filter((c) => c.name.toLowerCase() === value.toLowerCase());
  if (folded.length === 1) return folded[0].name;
  throw new ClvError('UNKNOWN_COLUMN', `--${flag} "${value}": there is no column called "${value}" in this file. Pick one of: ${columns.map((c) => c.name).join(', ')}.`);
}

/**
 * The mapping a command runs with: the engine's guess, then every role, format and separator the
 * flags name. A column given to a role is taken from any other role the guess had given it
 * (`--amount Price` clears a guessed unit price `Price`); two flags naming one column is an error.
 * When a flag moves the date or the money column and no format flag says how it is written, the
 * format is read again from the new column's sample values; when it moves the customer off a column
 * that says what kind of row it is (or its status), that column becomes the kind (or the status).
 */
export function mappingFromFlags(guess: ColumnMapping, columns: readonly ColumnSample[], args: CliArgs): ColumnMapping {
  const mapping: ColumnMapping = { ...guess };
  const given = new Map<string, Role>();
  for (const [role, flag] of Object.entries(ROLE_FLAGS) as [Role, string][]) {
    const value = flagValue(args, flag);
    if (value === undefined) continue;
    const column = resolveColumn(flag, value, columns);
    if (column !== null) {
      const other = given.get(column);
      if (other) throw new ClvError('BAD_ARGUMENT', `The column "${column}" is given to both --${ROLE_FLAGS[other]} and --${flag}; a column has one role.`);
      given.set(column, role);
    }
    mapping[role] = column;
  }
  for (const [column, role] of given) {
    for (const other of Object.keys(ROLE_FLAGS) as Role[]) {
      if (other !== role && mapping[other] === column) mapping[other] = null;
    }
  }

  const dateFormat = flagValue(args, 'date-format') as DateFormat | undefined;
  if (dateFormat !== undefined) {
    mapping.dateFormat = dateFormat;
    mapping.dateFormatAmbiguous = false;
  } else if (mapping.date !== guess.date && mapping.date !== null) {
    const sample = columns.find((c) => c.name === mapping.date)!;
    const read = detectDateFormat(sample.values, sample.type, CHOSEN_DATE_MIN_SHARE, true);
    if (read) {
      mapping.dateFormat = read.format;
      mapping.dateFormatAmbiguous = read.ambiguous;
    }
  }

  // A column the flags took the customer off (NetSuite's "Type", guessed as the customer) may be
  // what the guess would have read as the kind or the status had it been free: read it so, unless a flag says otherwise.
  const freed = guess.customer !== null && !Object.keys(ROLE_FLAGS).some((r) => mapping[r as Role] === guess.customer) ? columns.find((c) => c.name === guess.customer) : undefined;
  const becomes = freed ? freedColumnRole(mapping, freed) : null;
  if (freed && becomes) mapping[becomes] = freed.name;
  for (const [key, flag] of Object.entries(PAYMENT_FLAGS) as [keyof typeof PAYMENT_FLAGS, string][]) {
    const value = flagValue(args, flag);
    if (value !== undefined) mapping[key] = resolveColumn(flag, value, columns);
  }
  const unit = flagValue(args, 'amount-unit');
  if (unit !== undefined) mapping.amountMinorUnits = unit === 'minor';

  const decimal = flagValue(args, 'decimal') as DecimalSeparator | undefined;
  const money = mapping.amount ?? mapping.unitPrice;
  if (decimal !== undefined) {
    mapping.decimalSeparator = decimal;
    delete mapping.decimalSeparatorAmbiguous;
  } else if (money !== null && money !== (guess.amount ?? guess.unitPrice)) {
    // Another money column: the whole-file doubt was about the guessed one.
    mapping.decimalSeparator = detectDecimalSeparator(columns.find((c) => c.name === money)!.values);
    delete mapping.decimalSeparatorAmbiguous;
  }
  return mapping;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function isRealDay(day: string): boolean {
  return ISO_DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

/** `--date-window 1960-01-01..2030-12-31`: the first and last plausible purchase day. */
export function parseDateWindow(value: string): DateWindow {
  const [first, last, ...more] = value.split('..');
  if (more.length > 0 || !first || !last || !isRealDay(first) || !isRealDay(last)) {
    throw new ClvError('BAD_ARGUMENT', `--date-window must be two days FIRST..LAST, e.g. 1960-01-01..2030-12-31, not "${value}".`);
  }
  if (first > last) throw new ClvError('BAD_ARGUMENT', `--date-window starts after it ends (${first} > ${last}); write the earlier day first.`);
  return { first, last };
}

/** Returns, duplicates, the date window and the rejection guard, as the flags say. */
export function cleaningFromFlags(args: CliArgs): CleaningOptions {
  const window = flagValue(args, 'date-window');
  const currency = flagValue(args, 'keep-currency');
  return {
    returns: choiceFlag<ReturnsPolicy>(args, 'returns', DEFAULT_CLEANING.returns),
    duplicates: choiceFlag<DuplicatesPolicy>(args, 'duplicates', DEFAULT_CLEANING.duplicates),
    allowRejects: hasFlag(args, 'allow-rejects'),
    ...(window !== undefined ? { dateWindow: parseDateWindow(window) } : {}),
    ...(currency !== undefined ? { currency } : {}),
  };
}
