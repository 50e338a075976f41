import { ClvError, type ClvErrorCode } from '../core/errors';

/**
 * Flags that act on an engine error whose message speaks the app's language ("choose the date
 * format"): the CLI adds them so that the one line says what to type.
 */
const FLAG_HINTS: Partial<Record<ClvErrorCode, { unless: RegExp; hint: string }>> = {
  AMBIGUOUS_DATES: { unless: /--date-format/, hint: 'Use --date-format dmy or --date-format mdy.' },
  AMBIGUOUS_DECIMAL: { unless: /--decimal/, hint: 'Use --decimal , (thousands grouped by ".") or --decimal . (a decimal point).' },
  // A DATEV export's day-and-month dates: no flag reads them (clean/datevDates.ts).
  NO_PARSEABLE_DATES: { unless: /--date\b|DATEV export/, hint: 'Use --date COL and --date-format FORMAT.' },
  NO_NUMERIC_AMOUNTS: { unless: /--amount/, hint: 'Use --amount COL (or --quantity COL --unit-price COL), and --decimal , for decimal commas.' },
  // The app has no control for returns; on the command line leaving them out is one more way on (clean/ledgerCredits.ts).
  LEDGER_PAYMENTS: { unless: /--returns/, hint: 'If every negative row is a payment, --returns drop leaves them out.' },
  MISSING_ROLE: { unless: /--(customer|amount|quantity)/, hint: 'Name the columns with --customer COL, --amount COL (or --quantity COL --unit-price COL).' },
};

/** App wording that makes no sense on a command line: nobody drops a file on a terminal. */
function commandLineWording(message: string): string {
  return message.replace(/\b([Dd])rop (a|an|the|that|this|your|another)\b/g, (_, d: string, article: string) => `${d === 'D' ? 'Use' : 'use'} ${article}`);
}

/** The one stderr line for a failed command: CODE: message, first line only, with the flag to use. */
export function errorLine(error: unknown): string {
  if (error instanceof ClvError) {
    const first = commandLineWording(error.message.split('\n')[0]);
    const hint = FLAG_HINTS[error.code];
    const text = hint && !hint.unless.test(first) ? `${first} ${hint.hint}` : first;
    return `${error.code}: ${text}`;
  }
  // Engine text (DuckDB, tfjs, Node) is not the user's language: it is shown only when asked for.
  const message = error instanceof Error ? error.message : String(error);
  const technical = process.env.CLV_DEBUG ? ` (${message.split('\n')[0]})` : ' Run again with CLV_DEBUG=1 to see the technical details.';
  return `INTERNAL: something unexpected went wrong inside the engine.${technical}`;
}
