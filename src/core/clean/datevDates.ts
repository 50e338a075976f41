import { ClvError } from '../errors';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import type { DatevHeader } from '../source/datevHeader';

/** A DATEV Belegdatum as written: day and month only (TTMM), three or four digits. */
const DAY_MONTH = /^\d{3,4}$/;

/**
 * A DATEV posting batch gives each posting's date as day and month (Belegdatum "0201"), the year only
 * in its header line: no date reading here turns that into a day, so the load stops and says so —
 * where no date column was found, or the one chosen holds such values — instead of the general
 * advice to pick a date format, which no format would satisfy.
 */
export function refuseDatevDates(datev: DatevHeader, mapping: ColumnMapping, samples: readonly ColumnSample[]): void {
  const chosen = mapping.date ? samples.find((c) => c.name === mapping.date) : undefined;
  const dayMonth = samples.find((c) => /belegdatum|datum|date/i.test(c.name) && c.values.length > 0 && c.values.every((v) => DAY_MONTH.test(v.trim())));
  const values = chosen?.values.filter((v) => v.trim() !== '') ?? [];
  if (chosen && !(values.length > 0 && values.every((v) => DAY_MONTH.test(v.trim())))) return;
  const column = chosen?.name ?? dayMonth?.name;
  const period = datev.first && datev.last ? ` (${datev.first} to ${datev.last})` : '';
  throw new ClvError(
    'NO_PARSEABLE_DATES',
    `This is a DATEV export: its first line is DATEV's header, which holds the year${period}, and ${column ? `"${column}" gives` : 'the postings give'} each date as day and month only ("0201" for 2 January), which cannot be read as a day. Add the year to the dates (02.01.2023) in a copy of the file, keeping its first line, or export the postings with full dates, and open it again.`,
    { datev: true, ...(column ? { column } : {}), ...(datev.first ? { first: datev.first } : {}), ...(datev.last ? { last: datev.last } : {}) },
  );
}
