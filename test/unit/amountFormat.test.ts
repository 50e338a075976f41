import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountSql, detectDecimalSeparator, isNumericType, looksLikeMoney, type DecimalSeparator } from '../../src/core/mapping/amountFormat';
import { openWasmDb } from '../../src/node/wasmDb';

describe('looksLikeMoney', () => {
  it('accepts amounts with separators, signs, parentheses and currency markers', () => {
    for (const v of ['1.234,50', '€12,50', '$1,234.00', '(12.00)', '-5', '12 EUR', 'EUR 5', '12', '0.5', ' 7.00 ', "1'234.50", '1 234,50', '-€12,50', '1.000,64-', '12.50-']) {
      expect(looksLikeMoney(v), v).toBe(true);
    }
  });
  it('rejects text, empty cells and dates', () => {
    for (const v of ['abc', '', 'n/a', 'free', '-', '2024-01-05', '12-5', '12--', 'twelve euros']) expect(looksLikeMoney(v), v).toBe(false);
  });
  it('accepts the Accounting format: the mark outside the parentheses, a dash for zero', () => {
    for (const v of ['$ (125.89)', '$(125.89)', '($125.89)', '€ (12,50)', '(12,50) €', ' $ -   ', '€ -', '- €', 'EUR -']) expect(looksLikeMoney(v), v).toBe(true);
    for (const v of ['\u221212.50', '\u2013 5', '1.000,64\u2212']) expect(looksLikeMoney(v), v).toBe(true);
  });
  it('accepts the no-break, narrow no-break and thin spaces French and Swiss exports group thousands with', () => {
    for (const v of ['1\u202f250,00\u00a0€', '1\u00a0250,00 €', '12\u2009345,67', '1\u2019234.50', '€\u00a01\u00a0250,00', '-\u00a0€']) expect(looksLikeMoney(v), v).toBe(true);
  });
  it('still rejects words before a number, and a dash alone', () => {
    for (const v of ['Order 12', 'Invoice (12)', '-', ' - ', '$ - 5', '$$$$$ 5']) expect(looksLikeMoney(v), v).toBe(false);
  });
});

describe('detectDecimalSeparator', () => {
  it('dot-before-comma means decimal comma ("1.234,50")', () => {
    expect(detectDecimalSeparator(['1.234,50'])).toBe(',');
  });
  it('comma with one or two decimals means decimal comma ("€12,50", "12,5")', () => {
    expect(detectDecimalSeparator(['€12,50', '3,10'])).toBe(',');
    expect(detectDecimalSeparator(['12,5'])).toBe(',');
  });
  it('comma-before-dot means decimal dot ("$1,234.00")', () => {
    expect(detectDecimalSeparator(['$1,234.00'])).toBe('.');
  });
  it('"1,234" alone reads as thousands, so decimal dot', () => {
    expect(detectDecimalSeparator(['1,234', '2,500'])).toBe('.');
    expect(detectDecimalSeparator(['1,234,567'])).toBe('.');
  });
  it('"1.234.567" reads as thousands dots, so decimal comma', () => {
    expect(detectDecimalSeparator(['1.234.567'])).toBe(',');
  });
  it('plain numbers, parentheses, signs and suffixes default to dot', () => {
    expect(detectDecimalSeparator(['(12.00)', '-5', '12 EUR'])).toBe('.');
    expect(detectDecimalSeparator([])).toBe('.');
  });
  it('the majority decides a mixed column', () => {
    expect(detectDecimalSeparator(['12,50', '7,00', '3.10'])).toBe(',');
  });
});

describe('isNumericType', () => {
  it('knows DuckDB numeric types', () => {
    for (const t of ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL(18,2)', 'FLOAT', 'HUGEINT']) expect(isNumericType(t), t).toBe(true);
    for (const t of ['VARCHAR', 'DATE', 'TIMESTAMP', 'BOOLEAN']) expect(isNumericType(t), t).toBe(false);
  });
});

describe('amountSql in DuckDB-WASM', () => {
  let db: Awaited<ReturnType<typeof openWasmDb>>;
  beforeAll(async () => {
    db = await openWasmDb();
  });
  afterAll(() => db?.close());

  async function amount(value: string, decimal: DecimalSeparator): Promise<number | null> {
    const [row] = await db.query(`SELECT ${amountSql('x', 'VARCHAR', decimal)} AS a FROM (SELECT CAST(? AS VARCHAR) AS x)`, [value]);
    return row.a === null ? null : Number(row.a);
  }

  const cases: [string, DecimalSeparator, number | null][] = [
    ['1.234,50', ',', 1234.5],
    ['€12,50', ',', 12.5],
    ['12,50 €', ',', 12.5],
    ['$1,234.00', '.', 1234],
    ['(12.00)', '.', -12],
    ['-5', '.', -5],
    ['12 EUR', '.', 12],
    ['EUR 5', '.', 5],
    ['-€12,50', ',', -12.5],
    ["1'234.50", '.', 1234.5],
    ['1 234,50', ',', 1234.5],
    // A trailing minus (SAP, bank and mainframe exports) is a negative amount.
    ['1.000,64-', ',', -1000.64],
    ['12.50-', '.', -12.5],
    ['12,50 €-', ',', -12.5],
    // Excel's Accounting format and accounting packages: the mark outside the parentheses, a dash for zero.
    ['$ (125.89)', '.', -125.89],
    ['$(1,234.56)', '.', -1234.56],
    ['($125.89)', '.', -125.89],
    ['€ (12,50)', ',', -12.5],
    ['(1.234,50) €', ',', -1234.5],
    [' $ 1,234.50 ', '.', 1234.5],
    [' $ -   ', '.', 0],
    ['€ -', ',', 0],
    ['- €', ',', 0],
    ['-', '.', null],
    ['Order 12', '.', null],
    // Other minus signs: the typographic minus (Apple Numbers, typeset reports), an en dash, the full-width one.
    ['\u221212.50', '.', -12.5],
    ['\u2212$1,234.50', '.', -1234.5],
    ['1.000,64\u2212', ',', -1000.64],
    ['\u2013 5', '.', -5],
    ['\uff0d7.00', '.', -7],
    // French Excel (no-break or narrow no-break space between thousands and before €), Swiss typographic apostrophe.
    ['1\u202f250,00\u00a0€', ',', 1250],
    ['1\u00a0250,00 €', ',', 1250],
    ['\u22121\u202f250,00\u202f€', ',', -1250],
    ['12\u2009345,67', ',', 12345.67],
    ['1\u2019234.50', '.', 1234.5],
    ['€\u00a0-', ',', 0],
    ['abc', '.', null],
    ['n/a', '.', null],
    ['', '.', null],
    ['1.2.3', '.', null],
  ];
  for (const [value, decimal, expected] of cases) {
    it(`"${value}" with decimal "${decimal}" → ${expected}`, async () => {
      const got = await amount(value, decimal);
      if (expected === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(expected, 10);
    });
  }

  it('a numeric column is cast as it is', async () => {
    const [row] = await db.query(`SELECT ${amountSql('x', 'DECIMAL(10,2)', ',')} AS a FROM (SELECT CAST(12.5 AS DECIMAL(10,2)) AS x)`);
    expect(Number(row.a)).toBe(12.5);
  });
});
