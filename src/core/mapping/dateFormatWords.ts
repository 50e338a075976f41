import type { DateFormat } from './dateFormat';

/** Date formats in words, for messages and the mapping editor (ids like `mdy` stay in files and flags). */
const FORMAT_WORDS: Record<DateFormat, string> = {
  native: 'the file’s own date type',
  iso: 'year-month-day (ISO)',
  yyyymmdd: 'yyyymmdd',
  ymd: 'year/month/day',
  dmy: 'day/month/year',
  mdy: 'month/day/year',
  month_name: 'month name (Jan 5, 2023)',
  epoch_s: 'seconds since 1970',
  epoch_ms: 'milliseconds since 1970',
  epoch_us: 'microseconds since 1970',
  excel_serial: 'spreadsheet day number (44927 = 2023-01-01)',
};

export function describeDateFormat(format: DateFormat): string {
  return FORMAT_WORDS[format];
}
