import { literal } from '../sql';

/** How the date/time column is written; decided from sample values, overridable by the user. */
export type DateFormat = 'native' | 'iso' | 'yyyymmdd' | 'ymd' | 'dmy' | 'mdy' | 'month_name' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'excel_serial';

export const DATE_FORMATS: readonly DateFormat[] = ['native', 'iso', 'yyyymmdd', 'ymd', 'dmy', 'mdy', 'month_name', 'epoch_s', 'epoch_ms', 'epoch_us', 'excel_serial'];

export interface DateFormatGuess {
  format: DateFormat;
  /** Day-first vs month-first could not be told apart from the values: the user should say. */
  ambiguous: boolean;
  /** Share of non-empty samples that parse. */
  share: number;
}

/** ISO days and timestamps, the time on a 24- or 12-hour clock; the zone may be Z, an offset, or UTC/GMT as BigQuery writes it ("2023-01-05 10:15:00.000000 UTC"); a report may add the weekday ("2023-03-05 (Sun)"). */
const ISO = /^\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[ap]m)?)?\s*(Z|UTC|GMT|[+-]\d{2}(:?\d{2})?)?(\s*\((mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\))?$/i;
const YMD = /^\d{4}[/.]\d{1,2}[/.]\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?$/;
/**
 * Day and month as numbers, in either order, with a time that may follow after a space or a comma:
 * a 24-hour clock ("13/01/2024 10:22") or a 12-hour one, as US spreadsheets and reports write it
 * ("1/5/2023 3:45:00 PM", "1/5/2023, 3:45 PM").
 */
const DAY_MONTH = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(,? \d{1,2}:\d{2}(:\d{2})?(\s*[ap]m)?)?$/i;
const TEMPORAL_TYPE = /^(DATE|TIMESTAMP)/i;

/**
 * Dates with the month as an English word, as reports, spreadsheets and bank statements write them:
 * "5 Jan 2023", "05-Jan-23", "January 5, 2023", "Jun-24-24", "Thu, 05 Jan 2023", "Jan. 5, 2023 10:15 AM". The
 * month is named, so day and month are never ambiguous.
 */
const MONTH_WORD = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?';
/** A time zone written after a clock: UTC, GMT or Z with an optional offset, or an abbreviation ending in T (PST, CEST). */
const ZONE_WORD = '(?:utc|gmt|z|[a-z]{1,4}t)(?:[+-]\\d{1,2}(?::?\\d{2})?)?';
/** The clock after a month-name date, after a space or a comma ("Jan 5, 2023, 3:45 PM"), with a zone as Amazon's reports write it ("… 3:45:12 PM PST"). */
const CLOCK = `(?:,?\\s+\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s*[ap]\\.?m\\.?)?(?:\\s+${ZONE_WORD})?)?`;
const MONTH_NAME = new RegExp(
  `^${WEEKDAY}(?:\\d{1,2}\\.?[\\s-]+${MONTH_WORD}\\.?[\\s-]+(?:\\d{4}|\\d{2})|${MONTH_WORD}\\.?[\\s-]+\\d{1,2}(?:st|nd|rd|th)?,?[\\s-]+(?:\\d{4}|\\d{2}))${CLOCK}$`,
  'i',
);

function isYyyymmdd(v: string): boolean {
  if (!/^\d{8}$/.test(v)) return false;
  const y = +v.slice(0, 4);
  const m = +v.slice(4, 6);
  const d = +v.slice(6, 8);
  return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/**
 * Spreadsheet day numbers (Excel's 1900 date system, which Google Sheets and LibreOffice share):
 * days since 1899-12-30, a fraction for the time of day. A date column saved from a sheet whose
 * cells lost their date format is written this way ("44927" is 2023-01-01). Only 1970-01-01
 * (25569) to 2099-12-31 (73050) are read as days: a purchase log outside them is not one.
 */
const EXCEL_SERIAL = /^\d{5}(\.\d+)?$/;
const EXCEL_SERIAL_FIRST = 25569;
const EXCEL_SERIAL_LAST = 73050;

function isExcelSerial(v: string): boolean {
  if (!EXCEL_SERIAL.test(v)) return false;
  const n = Number(v);
  return n >= EXCEL_SERIAL_FIRST && n < EXCEL_SERIAL_LAST + 1;
}

/** The ISO day a spreadsheet day number stands for ("45141" → "2023-08-03"), or null outside 1970–2099. */
export function spreadsheetDay(value: string): string | null {
  const v = value.trim();
  if (!isExcelSerial(v)) return null;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(v)) * 86_400_000).toISOString().slice(0, 10);
}

function isEpoch(v: string, digits: RegExp, lo: number, hi: number): boolean {
  if (!digits.test(v)) return false;
  const n = Number(v);
  return n >= lo && n <= hi;
}

/**
 * The format most sample values are written in, or null when fewer than `minShare` of the non-empty
 * values fit any one format (0.9 when a column is judged by its values alone; a column whose name
 * says it holds dates needs only a majority, and the rest become rejected rows). Spreadsheet day
 * numbers are tried only with `serials` (a column named as a date, or chosen as the date by the
 * user): by its values alone a column of five-digit numbers is as often an amount, a code or a count.
 */
export function detectDateFormat(samples: readonly string[], columnType = 'VARCHAR', minShare = 0.9, serials = false): DateFormatGuess | null {
  if (TEMPORAL_TYPE.test(columnType)) return { format: 'native', ambiguous: false, share: 1 };
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) return null;
  const share = (test: (v: string) => boolean) => values.filter(test).length / values.length;
  const candidates: [DateFormat, number][] = [
    ['iso', share((v) => ISO.test(v))],
    ['yyyymmdd', share(isYyyymmdd)],
    ['ymd', share((v) => YMD.test(v))],
    ['month_name', share((v) => MONTH_NAME.test(v))],
    ['epoch_ms', share((v) => isEpoch(v, /^\d{12,13}$/, 1e11, 1e13))],
    // Microseconds, as Google Analytics 4's BigQuery export writes event_timestamp.
    ['epoch_us', share((v) => isEpoch(v, /^\d{15,16}$/, 1e14, 1e16))],
    ['epoch_s', share((v) => isEpoch(v, /^\d{9,10}(\.\d+)?$/, 1e8, 1e10))],
    ['excel_serial', serials ? share(isExcelSerial) : 0],
  ];
  const dayMonth = values.map((v) => DAY_MONTH.exec(v)).filter((m): m is RegExpExecArray => m !== null);
  if (dayMonth.length / values.length >= minShare) {
    const firstOver12 = dayMonth.some((m) => +m[1] > 12);
    const secondOver12 = dayMonth.some((m) => +m[2] > 12);
    if (!(firstOver12 && secondOver12)) {
      const format: DateFormat = secondOver12 ? 'mdy' : 'dmy';
      return { format, ambiguous: !firstOver12 && !secondOver12, share: dayMonth.length / values.length };
    }
  }
  const best = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] >= minShare ? { format: best[0], ambiguous: false, share: best[1] } : null;
}

const TIME_SUFFIXES = ['', ' %H:%M', ' %H:%M:%S'];
/** Clock times a month-name date may carry (12-hour ones from reports written for people). */
const MONTH_NAME_TIMES = [...TIME_SUFFIXES, ' %I:%M %p', ' %I:%M:%S %p'];

function strptimeList(datePatterns: string[]): string {
  const formats = datePatterns.flatMap((p) => TIME_SUFFIXES.map((t) => p + t));
  return `[${formats.map(literal).join(', ')}]`;
}

/**
 * Two-digit years are tried first: `%Y` would also accept "24" and give the year 0024, while `%y`
 * rejects "2024" (it reads two digits and leaves "24" over), so each value gets the right one.
 */
function dayMonthPatterns(order: 'dmy' | 'mdy'): string[] {
  const out: string[] = [];
  for (const sep of ['/', '.', '-']) {
    for (const year of ['%y', '%Y']) out.push(order === 'dmy' ? `%d${sep}%m${sep}${year}` : `%m${sep}%d${sep}${year}`);
  }
  return out;
}

/** 12-hour clock times a day/month date may carry, with AM/PM after a space or not. */
const TWELVE_HOUR_TIMES = [' %I:%M %p', ' %I:%M:%S %p', ' %I:%M%p', ' %I:%M:%S%p'];

/**
 * Day/month formats for strptime, which tries them in order: the 24-hour ones first, so the common
 * forms cost what they did before the 12-hour clock was read; then the 12-hour ones; then both
 * with a comma between the date and its time ("1/5/2023, 3:45 PM").
 */
function dayMonthSql(v: string, order: 'dmy' | 'mdy'): string {
  const dates = dayMonthPatterns(order);
  const withTimes = (times: readonly string[]) => dates.flatMap((d) => times.map((t) => d + t));
  const formats = [...withTimes(TIME_SUFFIXES), ...withTimes(TWELVE_HOUR_TIMES), ...withTimes([...TIME_SUFFIXES.slice(1), ...TWELVE_HOUR_TIMES].map((t) => `,${t}`))];
  return `CAST(try_strptime(${v}, [${formats.map(literal).join(', ')}]) AS DATE)`;
}

/**
 * Month-name text reduced to "5 jan 2023[ 10:15[ am]]" or "jan 5 2023[ …]" for strptime: lower
 * case, no time zone, no weekday, no periods after abbreviations or in a.m./p.m., "sept" as
 * "sep", no day suffixes (5th), commas and hyphens as single spaces. Two-digit years are tried
 * before four.
 */
function monthNameSql(v: string): string {
  let x = `lower(${v})`;
  // The zone goes first, while an offset's minus is still a minus; the calendar day is kept as written.
  x = `regexp_replace(${x}, '\\s+${ZONE_WORD}$', '')`;
  x = `regexp_replace(${x}, '^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+', '')`;
  x = `regexp_replace(${x}, '\\.', '', 'g')`;
  x = `regexp_replace(${x}, '\\bsept\\b', 'sep')`;
  x = `regexp_replace(${x}, '(\\d)(st|nd|rd|th)\\b', '\\1')`;
  x = `trim(regexp_replace(${x}, '[\\s,-]+', ' ', 'g'))`;
  // eBay's Seller Hub writes "Jun-24-24": month first with a two-digit year.
  const dates = ['%d %b %y', '%d %b %Y', '%d %B %y', '%d %B %Y', '%b %d %y', '%b %d %Y', '%B %d %y', '%B %d %Y'];
  const formats = dates.flatMap((d) => MONTH_NAME_TIMES.map((t) => d + t));
  return `CAST(try_strptime(${x}, [${formats.map(literal).join(', ')}]) AS DATE)`;
}

/**
 * ISO text reduced to what DuckDB's TIMESTAMP cast reads in every build: date, a space, the time,
 * and no UTC offset. Dropping the offset is what keeps the calendar day as written; it also makes
 * forms the detector accepts but the cast rejects readable ("…10:00:00 +02:00", lower-case t/z).
 */
const ISO_SQL_PATTERN = '^(\\d{4}-\\d{1,2}-\\d{1,2})(?:[Tt ](\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)(?:\\s*(?i:[ap]m))?)?\\s*(?:[Zz]|(?i:utc|gmt)|[+-]\\d{2}(?::?\\d{2})?)?(?:\\s*\\((?i:mon|tue|wed|thu|fri|sat|sun)[a-zA-Z]*\\.?\\))?$';

/**
 * SQL turning the column into a DATE, NULL where a value cannot be read. Timestamps keep the
 * calendar day as written (a purchase at 23:30+02:00 belongs to that local day); epochs are UTC.
 */
export function dateSql(column: string, columnType: string, format: DateFormat): string {
  if (format === 'native' && TEMPORAL_TYPE.test(columnType)) return `CAST(${column} AS DATE)`;
  const v = `trim(CAST(${column} AS VARCHAR))`;
  const iso = `CAST(try_cast(trim(regexp_replace(${v}, ${literal(ISO_SQL_PATTERN)}, '\\1 \\2')) AS TIMESTAMP) AS DATE)`;
  // A written date's column may hold a few ISO dates too (a sheet kept by hand, "3/14/2023" beside
  // "2023-03-15"): year first with hyphens, they read one way only, whatever the column's order.
  const orIso = (sql: string) => `coalesce(${sql}, CASE WHEN regexp_matches(${v}, '^\\d{4}-\\d{1,2}-\\d{1,2}') THEN ${iso} END)`;
  switch (format) {
    case 'native':
    case 'iso':
      return iso;
    case 'yyyymmdd':
      return `CAST(try_strptime(${v}, '%Y%m%d') AS DATE)`;
    case 'ymd':
      return orIso(`CAST(try_strptime(${v}, ${strptimeList(['%Y/%m/%d', '%Y.%m.%d'])}) AS DATE)`);
    case 'dmy':
    case 'mdy':
      return orIso(dayMonthSql(v, format));
    case 'month_name':
      return orIso(monthNameSql(v));
    case 'epoch_s':
      return `CAST(epoch_ms(CAST(try_cast(${v} AS DOUBLE) * 1000 AS BIGINT)) AS DATE)`;
    case 'epoch_ms':
      return `CAST(epoch_ms(try_cast(${v} AS BIGINT)) AS DATE)`;
    case 'epoch_us':
      return `CAST(epoch_ms(try_cast(${v} AS BIGINT) // 1000) AS DATE)`;
    case 'excel_serial': {
      const day = `floor(try_cast(${v} AS DOUBLE))`;
      return `CASE WHEN ${day} BETWEEN ${EXCEL_SERIAL_FIRST} AND ${EXCEL_SERIAL_LAST} THEN DATE '1899-12-30' + CAST(${day} AS INTEGER) END`;
    }
  }
}
