import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currencyOfMark, currencySource, normalisedCurrency, rowCurrencySql } from '../../src/core/clean/currencies';
import type { ColumnMapping } from '../../src/core/mapping/roles';
import { openWasmDb } from '../../src/node/wasmDb';

const MAPPING = { customer: 'c', date: 'd', amount: 'a', unitPrice: null, currency: null } as unknown as ColumnMapping;

describe('currencySource', () => {
  it('a mapped currency column first, else the amount when it is text; a number column has no marks', () => {
    const columns = [
      { name: 'a', type: 'VARCHAR', values: [] },
      { name: 'cur', type: 'VARCHAR', values: [] },
    ];
    expect(currencySource({ ...MAPPING, currency: 'cur' }, columns)).toEqual({ column: 'cur', kind: 'column' });
    expect(currencySource(MAPPING, columns)).toEqual({ column: 'a', kind: 'mark' });
    expect(currencySource(MAPPING, [{ name: 'a', type: 'DOUBLE', values: [] }])).toBeNull();
    expect(currencySource({ ...MAPPING, amount: null, unitPrice: 'p' } as ColumnMapping, [{ name: 'p', type: 'VARCHAR', values: [] }])).toEqual({ column: 'p', kind: 'mark' });
  });
  it('a one-currency mark is its code; "$" and "¥" stay as written', () => {
    expect(['€', 'eur', ' EUR ', '£', 'R$', 'us$', '$', '¥'].map(normalisedCurrency)).toEqual(['EUR', 'EUR', 'EUR', 'GBP', 'BRL', 'USD', '$', '¥']);
  });
});

describe('rowCurrencySql through DuckDB-WASM, then currencyOfMark', () => {
  let db: Awaited<ReturnType<typeof openWasmDb>>;
  beforeAll(async () => {
    db = await openWasmDb();
  });
  afterAll(() => db?.close());

  async function currencyOf(value: string, kind: 'column' | 'mark' = 'mark'): Promise<string | null> {
    const [row] = await db.query(`SELECT ${rowCurrencySql({ column: 'x', kind })} AS c FROM (SELECT CAST(? AS VARCHAR) AS x)`, [value]);
    // The SQL gives the mark as written; currencyOfMark reads the few distinct ones.
    return currencyOfMark(row.c === null ? null : String(row.c));
  }

  it('reads the mark before or after the amount, with signs, parentheses and separators around it', async () => {
    const cases: [string, string | null][] = [
      ['$12.00', '$'],
      ['-$1,234.50', '$'],
      ['($12.00)', '$'],
      ['12,50 €', 'EUR'],
      ['€12,50', 'EUR'],
      ['EUR 5', 'EUR'],
      ['5 usd', 'USD'],
      ['£9.99', 'GBP'],
      ['R$ 1.234,56', 'BRL'],
      ["CHF 1'234.50", 'CHF'],
      ['1\u202f234,50 €', 'EUR'],
      ['¥1500', '¥'],
      ['\u2212$12.00', '$'],
      ['$ (125.89)', '$'],
      ['$ -', '$'],
    ];
    for (const [value, want] of cases) expect(await currencyOf(value), value).toBe(want);
  });

  it('a plain number, a trailing minus and a ledger credit or debit carry no currency', async () => {
    for (const value of ['12.50', ' 7 ', '1.000,64-', '12.50-', '1,234.56', '12.50 CR', '3.00 DR', '']) expect(await currencyOf(value), value).toBeNull();
    // A typographic minus, an en dash or a full-width minus is a sign, not a mark.
    for (const value of ['\u221212.50', '\u20135', '1.000,64\u2212', '\uff0d7.00']) expect(await currencyOf(value), value).toBeNull();
  });

  it('a currency column is read as written, upper case, blanks as none', async () => {
    expect(await currencyOf(' usd ', 'column')).toBe('USD');
    expect(await currencyOf('jpy', 'column')).toBe('JPY');
    expect(await currencyOf('', 'column')).toBeNull();
  });
});
