import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateSql, detectDateFormat, type DateFormat } from '../../src/core/mapping/dateFormat';
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
  it('all parts ≤ 12: ambiguous, day-first by default', () => {
    expect(detectDateFormat(['01/02/2024', '05/06/2024', '12/11/2024'])).toEqual({ format: 'dmy', ambiguous: true, share: 1 });
  });
  it('epoch seconds', () => {
    expect(detectDateFormat(['1704412800', '1704499200'])).toEqual({ format: 'epoch_s', ambiguous: false, share: 1 });
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
  ];
  for (const [value, format, expected] of cases) {
    it(`${format}: ${value} → ${expected}`, async () => {
      expect(await day(value, format)).toBe(expected);
    });
  }
});
