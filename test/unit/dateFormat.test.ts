import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateSql, detectDateFormat, spreadsheetDay, type DateFormat } from '../../src/core/mapping/dateFormat';
import { openWasmDb } from '../../src/node/wasmDb';

describe('detectDateFormat', () => {
  it('ISO dates', () => {
    expect(detectDateFormat(['2024-01-05', '2024-12-31', '2023-02-28'])).toEqual({ format: 'iso', ambiguous: false, share: 1 });
  });
  it('ISO timestamps with Z', () => {
    expect(detectDateFormat(['2024-01-05T10:00:00Z', '2024-01-06T23:30:00.123Z'])?.format).toBe('iso');
  });
  it('ISO timestamps with +02:00', () => {
    expect(detectDateFormat(['2024-01-05T10:00:00+02:00', '2024-01-06 23:30:00+02:00'])?.format).toBe('iso');
  });
  it('yyyymmdd', () => {
    expect(detectDateFormat(['19970101', '19970112', '19980630'])).toEqual({ format: 'yyyymmdd', ambiguous: false, share: 1 });
  });
  it('dd/mm/yyyy when some day is above 12', () => {
    expect(detectDateFormat(['05/01/2024', '13/01/2024', '01/02/2024'])).toEqual({ format: 'dmy', ambiguous: false, share: 1 });
  });
  it('mm/dd/yyyy when some second field is above 12', () => {
    expect(detectDateFormat(['01/05/2024', '01/13/2024', '02/01/2024'])).toEqual({ format: 'mdy', ambiguous: false, share: 1 });
  });
  it('mm/dd/yyyy with times (Online Retail "12/13/2010 8:26")', () => {
    expect(detectDateFormat(['12/1/2010 8:26', '12/13/2010 8:26'])?.format).toBe('mdy');
  });
  it('mm/dd/yyyy with a 12-hour clock, after a space or a comma (US spreadsheets and reports)', () => {
    expect(detectDateFormat(['1/5/2023 3:45:00 PM', '12/31/2023 11:59 am', '2/14/2024, 9:05 PM'])).toEqual({ format: 'mdy', ambiguous: false, share: 1 });
    expect(detectDateFormat(['25/12/2023 3:45PM'])?.format).toBe('dmy');
  });
  it('ISO dates with a 12-hour clock; month names with a comma before the clock or a zone after it', () => {
    expect(detectDateFormat(['2023-01-05 3:45 PM', '2023-01-06 03:45:12 am'])?.format).toBe('iso');
    expect(detectDateFormat(['2023-03-05 (Sun)', '2023-03-06 (Mon)', '2023-03-07 (Tue.)'])?.format).toBe('iso');
    expect(detectDateFormat(['Jan 5, 2023, 3:45 PM', 'Jan 1, 2023 12:03:45 AM PST', 'Mar 12, 2023 2:15:00 AM PDT', 'Jul 4, 2023 10:00 PM GMT+1'])?.format).toBe('month_name');
  });
  it('all parts ≤ 12: ambiguous, day-first by default', () => {
    expect(detectDateFormat(['01/02/2024', '05/06/2024', '12/11/2024'])).toEqual({ format: 'dmy', ambiguous: true, share: 1 });
  });
  it('epoch seconds', () => {
    expect(detectDateFormat(['1704412800', '1704499200'])).toEqual({ format: 'epoch_s', ambiguous: false, share: 1 });
  });
  it('ISO timestamps with UTC or GMT (BigQuery CSV exports)', () => {
    expect(detectDateFormat(['2023-01-05 10:15:00.000000 UTC', '2023-01-06 23:59:59 UTC', '2023-01-07 00:00:00 GMT'])).toEqual({ format: 'iso', ambiguous: false, share: 1 });
  });
  it('epoch microseconds (GA4 event_timestamp)', () => {
    expect(detectDateFormat(['1672913700000000', '1672999999123456'])).toEqual({ format: 'epoch_us', ambiguous: false, share: 1 });
  });
  it('epoch milliseconds', () => {
    expect(detectDateFormat(['1704412800000', '1704499200000'])).toEqual({ format: 'epoch_ms', ambiguous: false, share: 1 });
  });
  it('a DATE/TIMESTAMP column is native', () => {
    expect(detectDateFormat(['2024-01-05'], 'DATE')?.format).toBe('native');
    expect(detectDateFormat(['2024-01-05 10:00:00'], 'TIMESTAMP')?.format).toBe('native');
  });
  it('text, amounts and small ids are not dates', () => {
    expect(detectDateFormat(['alice', 'bob'])).toBeNull();
    expect(detectDateFormat(['12.50', '7.00'])).toBeNull();
    expect(detectDateFormat(['00042', '00043'])).toBeNull();
    expect(detectDateFormat([])).toBeNull();
  });
  it('a few bad values among good ones still detect (share ≥ 0.9)', () => {
    const values = [...Array.from({ length: 19 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`), 'n/a'];
    const guess = detectDateFormat(values);
    expect(guess?.format).toBe('iso');
    expect(guess?.share).toBeCloseTo(0.95, 10);
  });
});

describe('detectDateFormat: spreadsheet day numbers', () => {
  // Days since 1899-12-30 by JavaScript's calendar, the reference the SQL is checked against below.
  const serial = (day: string) => String((Date.parse(`${day}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
  const days = ['2023-01-01', '2023-02-14', '2024-02-29', '2024-12-31'].map(serial);
  it('are read as dates in a column named or chosen as the date', () => {
    expect(days[0]).toBe('44927');
    expect(detectDateFormat(days, 'BIGINT', 0.5, true)).toEqual({ format: 'excel_serial', ambiguous: false, share: 1 });
    expect(detectDateFormat(days.map((d, i) => `${d}.${i + 1}25`), 'DOUBLE', 0.5, true)?.format).toBe('excel_serial');
  });
  it('name the day they stand for, as the mapping editor shows it', () => {
    expect(spreadsheetDay('44927')).toBe('2023-01-01');
    expect(spreadsheetDay(' 45351.75 ')).toBe('2024-02-29');
    expect(spreadsheetDay('25568')).toBeNull();
    expect(spreadsheetDay('2023-01-01')).toBeNull();
  });
  it('are not dates by their values alone, nor outside 1970–2099', () => {
    expect(detectDateFormat(days, 'BIGINT')).toBeNull();
    expect(detectDateFormat(['12345', '25568', '73051', '99999'], 'BIGINT', 0.5, true)).toBeNull();
    expect(detectDateFormat(['4492', '449270'], 'BIGINT', 0.5, true)).toBeNull();
  });
});

describe('detectDateFormat: minShare', () => {
  const values = ['2024-01-05', '2024-01-06', 'nope', '2024-02-01'];
  it('by values alone 75% readable is not enough', () => {
    expect(detectDateFormat(values)).toBeNull();
  });
  it('with a lower bar (a date-named column) it is', () => {
    expect(detectDateFormat(values, 'VARCHAR', 0.5)).toEqual({ format: 'iso', ambiguous: false, share: 0.75 });
  });
  it('the day/month check uses the same bar', () => {
    expect(detectDateFormat(['13/01/2024', 'x', '01/02/2024'], 'VARCHAR', 0.5)).toMatchObject({ format: 'dmy', ambiguous: false });
  });
});

describe('dateSql in DuckDB-WASM', () => {
  let db: Awaited<ReturnType<typeof openWasmDb>>;
  beforeAll(async () => {
    db = await openWasmDb();
  });
  afterAll(() => db?.close());

  async function day(value: string, format: DateFormat): Promise<string | null> {
    const [row] = await db.query(`SELECT CAST(${dateSql('x', 'VARCHAR', format)} AS VARCHAR) AS d FROM (SELECT CAST(? AS VARCHAR) AS x)`, [value]);
    return row.d === null ? null : String(row.d);
  }

  const cases: [string, DateFormat, string | null][] = [
    ['2024-01-05', 'iso', '2024-01-05'],
    ['2024-1-5', 'iso', '2024-01-05'],
    ['2024-01-06T23:30:00Z', 'iso', '2024-01-06'],
    ['2024-01-06T23:30:00.123Z', 'iso', '2024-01-06'],
    // The calendar day as written, whatever the offset.
    ['2024-01-06T01:30:00+02:00', 'iso', '2024-01-06'],
    ['2024-01-06T23:30:00-05:00', 'iso', '2024-01-06'],
    ['2024-01-06T01:30:00+0200', 'iso', '2024-01-06'],
    // Accepted by the detector, so they must parse too.
    ['2024-01-06 01:30:00 +02:00', 'iso', '2024-01-06'],
    ['2024-01-06t23:30:00z', 'iso', '2024-01-06'],
    ['2024-01-06Z', 'iso', '2024-01-06'],
    ['2024-02-30', 'iso', null],
    ['not a date', 'iso', null],
    ['19970101', 'yyyymmdd', '1997-01-01'],
    ['19971301', 'yyyymmdd', null],
    ['2024/01/05', 'ymd', '2024-01-05'],
    ['2024.1.5 8:05', 'ymd', '2024-01-05'],
    ['13/01/2024', 'dmy', '2024-01-13'],
    ['13.01.2024 10:22:33', 'dmy', '2024-01-13'],
    ['13-01-2024', 'dmy', '2024-01-13'],
    ['01/13/2024', 'mdy', '2024-01-13'],
    ['12/1/2010 8:26', 'mdy', '2010-12-01'],
    // Two-digit years are 20xx, never the year 0024.
    ['05/01/24', 'dmy', '2024-01-05'],
    ['5.1.24', 'dmy', '2024-01-05'],
    ['1/5/24 13:45', 'mdy', '2024-01-05'],
    ['01/13/2024', 'dmy', null],
    ['1704412800', 'epoch_s', '2024-01-05'],
    ['1704499199.5', 'epoch_s', '2024-01-05'],
    ['1704412800000', 'epoch_ms', '2024-01-05'],
    ['2023-01-05 10:15:00.000000 UTC', 'iso', '2023-01-05'],
    ['2023-01-05 23:59:59 utc', 'iso', '2023-01-05'],
    ['2023-01-05T23:59:59GMT', 'iso', '2023-01-05'],
    // 2023-01-05 10:15:00 UTC and 23:59:59.999999 UTC, in microseconds.
    [String(Date.UTC(2023, 0, 5, 10, 15) * 1000), 'epoch_us', '2023-01-05'],
    [String(Date.UTC(2023, 0, 5, 23, 59, 59) * 1000 + 999_999), 'epoch_us', '2023-01-05'],
    // A 12-hour clock: the calendar day as written, noon and midnight included.
    ['1/5/2023 3:45:00 PM', 'mdy', '2023-01-05'],
    ['1/5/2023, 3:45 PM', 'mdy', '2023-01-05'],
    ['12/31/2023 11:59:59 pm', 'mdy', '2023-12-31'],
    ['1/5/2023 12:15 AM', 'mdy', '2023-01-05'],
    ['1/5/2023 12:15PM', 'mdy', '2023-01-05'],
    ['31/12/2023 11:59 PM', 'dmy', '2023-12-31'],
    ['1/5/2023 13:45 PM', 'mdy', null],
    // The day as written, whatever the clock and the zone.
    ['2023-01-05 3:45 PM', 'iso', '2023-01-05'],
    // A report's day with its weekday.
    ['2023-03-05 (Sun)', 'iso', '2023-03-05'],
    ['2023-03-06 10:15 (Monday)', 'iso', '2023-03-06'],
    ['2023-01-05 11:59:59 pm', 'iso', '2023-01-05'],
    ['Jan 5, 2023, 3:45 PM', 'month_name', '2023-01-05'],
    ['Jan 1, 2023 12:03:45 AM PST', 'month_name', '2023-01-01'],
    ['Dec 31, 2023 11:59:59 PM CEST', 'month_name', '2023-12-31'],
    ['5 Jan 2023 23:30 UTC-05:00', 'month_name', '2023-01-05'],
    // Microsoft's own example: January 1, 2008 is day 39448. A fraction is the time of that day.
    ['39448', 'excel_serial', '2008-01-01'],
    ['45351.999', 'excel_serial', '2024-02-29'],
    ['25569', 'excel_serial', '1970-01-01'],
    ['73050.5', 'excel_serial', '2099-12-31'],
    ['25568', 'excel_serial', null],
    ['73051', 'excel_serial', null],
    ['2023-01-01', 'excel_serial', null],
  ];
  for (const [value, format, expected] of cases) {
    it(`${format}: ${value} → ${expected}`, async () => {
      expect(await day(value, format)).toBe(expected);
    });
  }
});

describe('dates with the month as a word', () => {
  const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const pad = (n: number) => String(n).padStart(2, '0');
  /** Ways reports, spreadsheets and statements write a day; each gets every day of 2023 and of 2024 (a leap year). */
  const STYLES: Record<string, (d: Date) => string> = {
    'Jan 5, 2023': (d) => `${SHORT[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
    'January 5, 2023': (d) => `${LONG[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
    '05-Jan-2023': (d) => `${pad(d.getUTCDate())}-${SHORT[d.getUTCMonth()]}-${d.getUTCFullYear()}`,
    '05-JAN-23': (d) => `${pad(d.getUTCDate())}-${SHORT[d.getUTCMonth()].toUpperCase()}-${String(d.getUTCFullYear()).slice(2)}`,
    // eBay Seller Hub's orders report: month first, two-digit year.
    'Jun-24-24': (d) => `${SHORT[d.getUTCMonth()]}-${pad(d.getUTCDate())}-${String(d.getUTCFullYear()).slice(2)}`,
    '5 January 2023': (d) => `${d.getUTCDate()} ${LONG[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
    'Thu, 05 Jan 2023 10:15:00': (d) => `${WEEKDAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${SHORT[d.getUTCMonth()]} ${d.getUTCFullYear()} 10:15:00`,
    'Sept. 5th, 2023 9:05 p.m.': (d) => `${d.getUTCMonth() === 8 ? 'Sept' : SHORT[d.getUTCMonth()]}. ${d.getUTCDate()}${[1, 21, 31].includes(d.getUTCDate()) ? 'st' : [2, 22].includes(d.getUTCDate()) ? 'nd' : [3, 23].includes(d.getUTCDate()) ? 'rd' : 'th'}, ${d.getUTCFullYear()} 9:05 p.m.`,
  };
  const days: Date[] = [];
  for (let t = Date.UTC(2023, 0, 1); t <= Date.UTC(2024, 11, 31); t += 86_400_000) days.push(new Date(t));

  let db: Awaited<ReturnType<typeof openWasmDb>>;
  beforeAll(async () => {
    db = await openWasmDb();
  });
  afterAll(() => db?.close());

  for (const [style, write] of Object.entries(STYLES)) {
    it(`${style}: detected, never ambiguous, and every day of 2023–2024 read as written`, async () => {
      const values = days.map(write);
      expect(detectDateFormat(values)).toEqual({ format: 'month_name', ambiguous: false, share: 1 });
      const rows = await db.query(
        `SELECT x, CAST(${dateSql('x', 'VARCHAR', 'month_name')} AS VARCHAR) AS d FROM (SELECT unnest(string_split(?, '|')) AS x)`,
        [values.join('|')],
      );
      const got = new Map(rows.map((r) => [String(r.x), r.d === null ? null : String(r.d)]));
      const wrong = days.filter((d, i) => got.get(values[i]) !== d.toISOString().slice(0, 10)).map((d, i) => `${values[i]} → ${got.get(values[i])}`);
      expect(wrong.slice(0, 5)).toEqual([]);
    });
  }

  it('words that are not dates are not read as dates', async () => {
    expect(detectDateFormat(['March Street', 'May Ltd', 'Jan Novak', 'Dec'])).toBeNull();
    for (const v of ['Feb 30, 2023', 'Foo 5, 2023', 'March Street 5']) {
      const [row] = await db.query(`SELECT CAST(${dateSql('x', 'VARCHAR', 'month_name')} AS VARCHAR) AS d FROM (SELECT CAST(? AS VARCHAR) AS x)`, [v]);
      expect(row.d, v).toBeNull();
    }
  });
});
