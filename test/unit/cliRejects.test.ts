import { describe, expect, it } from 'vitest';
import type { RejectionDetails } from '../../src/core/clean/rejectionGuard';
import { REJECT_REASONS } from '../../src/core/clean/staging';
import { ClvError } from '../../src/core/errors';
import { errorLine } from '../../src/node/cliErrorLine';
import { isRejectionDetails, rejectsMessage } from '../../src/node/rejectsMessage';

const WINDOW = { first: '1970-01-01', last: '2026-12-07' };

describe('rejectsMessage', () => {
  it('names the column, the count and share, and the --date-format that reads the rows', () => {
    const details: RejectionDetails = {
      rows_read: 541_909,
      limit_share: 0.01,
      date_window: WINDOW,
      groups: [
        {
          reason: REJECT_REASONS.badDate,
          column: 'InvoiceDate',
          count: 234_047,
          examples: [{ line: 4_000, value: '12/13/2010 8:26' }],
          fixes: [
            { dateFormat: 'ymd', parses: 3 },
            { dateFormat: 'mdy', parses: 234_047 },
          ],
        },
      ],
    };
    const line = errorLine(new ClvError('TOO_MANY_REJECTS', rejectsMessage(details, { dateFormat: 'dmy', decimalSeparator: '.' })));
    expect(line).toBe(
      'TOO_MANY_REJECTS: 234,047 of 541,909 rows (43.2%) have a date in "InvoiceDate" that cannot be read as dmy; --date-format mdy reads 234,047 of them (or --allow-rejects to build without them).',
    );
  });

  it('rows without an amount name --amount: no reading fills an empty cell', () => {
    const details: RejectionDetails = {
      rows_read: 250,
      limit_share: 0.01,
      date_window: WINDOW,
      groups: [{ reason: REJECT_REASONS.missingAmount, column: 'Adjusted Order Total', count: 219, examples: [{ line: 1, value: null }], fixes: [] }],
    };
    expect(rejectsMessage(details, { dateFormat: 'iso', decimalSeparator: '.' })).toBe(
      '219 of 250 rows (87.6%) have a customer and a date but no amount in "Adjusted Order Total" (line 1), and belong to no order or purchase kept; if the column is filled only on some rows, choose the one that holds every row\'s amount (--amount COL) (or --allow-rejects to build without them).',
    );
  });

  it('an amount group names --decimal; the larger group comes first, in one line', () => {
    const details: RejectionDetails = {
      rows_read: 1_000,
      limit_share: 0.01,
      date_window: WINDOW,
      groups: [
        { reason: REJECT_REASONS.badDate, column: 'Datum', count: 20, examples: [{ line: 7, value: '31.02.2024' }], fixes: [] },
        { reason: REJECT_REASONS.badAmount, column: 'Betrag', count: 500, examples: [{ line: 2, value: '1.234,50' }], fixes: [{ decimalSeparator: ',', parses: 498 }] },
      ],
    };
    const message = rejectsMessage(details, { dateFormat: 'dmy', decimalSeparator: '.' });
    expect(message).toBe(
      '500 of 1,000 rows (50.0%) have an amount in "Betrag" that cannot be read as a number with "." as the decimal separator; --decimal , reads 498 of them; ' +
        '20 of 1,000 rows (2.0%) have a date in "Datum" that cannot be read as dmy (line 7: "31.02.2024"); no other date format reads them, check that it is the right column (--date COL) ' +
        '(or --allow-rejects to build without them).',
    );
    expect(message).not.toContain('\n');
  });

  it('dates outside the window point to --date-window when no other format reads them', () => {
    const details: RejectionDetails = {
      rows_read: 200,
      limit_share: 0.01,
      date_window: WINDOW,
      groups: [{ reason: REJECT_REASONS.dateOutOfRange, column: 'day', count: 3, examples: [{ line: 9, value: '0001-01-01' }, { line: 10, value: null }], fixes: [] }],
    };
    expect(rejectsMessage(details, { dateFormat: 'iso', decimalSeparator: '.' })).toBe(
      '3 of 200 rows (1.5%) have a date in "day" outside 1970-01-01..2026-12-07 when read as iso (line 9: "0001-01-01"); --date-window FIRST..LAST widens the window (or --allow-rejects to build without them).',
    );
  });

  it('recognises the guard\'s details and nothing else', () => {
    expect(isRejectionDetails({ rows_read: 10, limit_share: 0.01, groups: [{ reason: 'x', column: 'c', count: 2, examples: [], fixes: [] }] })).toBe(true);
    for (const bad of [null, 'text', {}, { rows_read: 10, groups: [] }, { rows_read: '10', groups: [{ reason: 'x', column: 'c', count: 2 }] }]) expect(isRejectionDetails(bad)).toBe(false);
  });
});

describe('errorLine', () => {
  it('prints one line: the code and the first line of the message', () => {
    expect(errorLine(new ClvError('BAD_PERIOD', 'first line\nsecond line'))).toBe('BAD_PERIOD: first line');
    // Engine text only with CLV_DEBUG; otherwise one plain sentence.
    const debug = process.env.CLV_DEBUG;
    delete process.env.CLV_DEBUG;
    expect(errorLine(new Error('boom\nstack'))).toBe('INTERNAL: something unexpected went wrong inside the engine. Run again with CLV_DEBUG=1 to see the technical details.');
    process.env.CLV_DEBUG = '1';
    expect(errorLine(new Error('boom\nstack'))).toBe('INTERNAL: something unexpected went wrong inside the engine. (boom)');
    if (debug === undefined) delete process.env.CLV_DEBUG;
    else process.env.CLV_DEBUG = debug;
  });

  it('never tells a command-line user to drop a file', () => {
    expect(errorLine(new ClvError('IMAGE_FILE', '"x.csv" is a PNG image, not a table of transactions. Drop a CSV, TSV, Parquet or JSON file.'))).toBe(
      'IMAGE_FILE: "x.csv" is a PNG image, not a table of transactions. Use a CSV, TSV, Parquet or JSON file.',
    );
    expect(errorLine(new ClvError('UNSUPPORTED_FORMAT', '"a.pdf" is a PDF. Export the transactions as CSV and drop that file.'))).toBe(
      'UNSUPPORTED_FORMAT: "a.pdf" is a PDF. Export the transactions as CSV and use that file.',
    );
    // A column name is quoted as it is.
    expect(errorLine(new ClvError('UNKNOWN_COLUMN', 'There is no column called "DROP TABLE t".'))).toBe('UNKNOWN_COLUMN: There is no column called "DROP TABLE t".');
  });

  it('adds the flag to an engine message written for the app', () => {
    expect(errorLine(new ClvError('AMBIGUOUS_DATES', 'The dates in "d" read both ways. Say which: choose the date format (dmy or mdy).'))).toBe(
      'AMBIGUOUS_DATES: The dates in "d" read both ways. Say which: choose the date format (dmy or mdy). Use --date-format dmy or --date-format mdy.',
    );
    expect(errorLine(new ClvError('AMBIGUOUS_DATES', 'Use --date-format mdy.'))).toBe('AMBIGUOUS_DATES: Use --date-format mdy.');
  });
});
