import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectHeader, detectPreamble, detectTextLayout, looksLikeValue, splitLine } from '../../src/core/source/textLayout';

/** Lines as rawRelation hands them over: split on LF, CR stripped, blank lines dropped. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
}

const HEADER = ['customer_id', 'date', 'amount'];
const ROWS = [
  ['00042', '2024-01-05', '12.50'],
  ['00043', '2024-01-06', '7.00'],
  ['00044', '2024-02-01', '3.10'],
  ['00042', '2024-03-01', '20.00'],
];

function table(delimiter: string, header: boolean): string[] {
  return [...(header ? [HEADER] : []), ...ROWS].map((r) => r.join(delimiter));
}

describe('detectTextLayout: delimiters', () => {
  const cases: [string, string, string][] = [
    ['comma', ',', ','],
    ['tab', '\t', '\t'],
    ['semicolon', ';', ';'],
    ['pipe', '|', '|'],
  ];
  for (const [name, char, expected] of cases) {
    it(`${name} with a header`, () => {
      expect(detectTextLayout(table(char, true))).toEqual({ delimiter: expected, header: true, fieldCount: 3, skip: 0 });
    });
    it(`${name} without a header`, () => {
      expect(detectTextLayout(table(char, false))).toEqual({ delimiter: expected, header: false, fieldCount: 3, skip: 0 });
    });
  }

  it('semicolon with decimal commas is not mistaken for comma-separated', () => {
    const text = ['Kunde;Datum;Betrag', '00042;05.01.2024;12,50', '00043;06.01.2024;1.234,50', '00044;01.02.2024;3,10'];
    expect(detectTextLayout(text)).toEqual({ delimiter: ';', header: true, fieldCount: 3, skip: 0 });
  });

  it('comma-separated with quoted thousands ("1,234.00") keeps three fields', () => {
    const text = ['customer,date,amount', 'a,2024-01-05,"1,234.00"', 'b,2024-01-06,"2,000.50"', 'c,2024-01-07,12.00'];
    expect(detectTextLayout(text)).toEqual({ delimiter: ',', header: true, fieldCount: 3, skip: 0 });
  });

  it('tab-separated with commas inside text stays tab-separated', () => {
    const text = ['customer\tdate\tamount\tnote', 'a\t2024-01-05\t12.5\tred, large', 'b\t2024-01-06\t7\tblue, small, new'];
    expect(detectDelimiter(text)).toEqual({ delimiter: '\t', fieldCount: 4 });
  });

  it('whitespace-padded like CDNOW (leading spaces, runs of spaces, CRLF), no header', () => {
    const text = '   00001 19970101  1  11.77\r\n   00002 19970112  1  12.00\r\n   00002 19970112  5  77.00\r\n   00003 19970102  2  20.76\r\n';
    expect(detectTextLayout(lines(text))).toEqual({ delimiter: 'whitespace', header: false, fieldCount: 4, skip: 0 });
  });

  it('whitespace-padded with a header line (CDNOW_master.txt)', () => {
    const text = ' customer_id date number_of_cds dollar_value\r\n    00001 19970101  1  11.77\r\n    00002 19970112  1  12.00\r\n    00002 19970112  5  77.00\r\n';
    expect(detectTextLayout(lines(text))).toEqual({ delimiter: 'whitespace', header: true, fieldCount: 4, skip: 0 });
  });

  it('the CDNOW sample layout (two id columns) has five fields', () => {
    const text = '    00004    0001 19970101  2  29.33\r\n    00004    0001 19970118  2  29.73\r\n    00018    0002 19970102  2  20.76\r\n';
    expect(detectTextLayout(lines(text))).toEqual({ delimiter: 'whitespace', header: false, fieldCount: 5, skip: 0 });
  });

  it('a file of one column reports one field', () => {
    expect(detectDelimiter(['amount', '1', '2', '3']).fieldCount).toBe(1);
  });
});

describe('detectHeader', () => {
  it('a name above values is a header', () => {
    expect(detectHeader(['id,amount', '1,2.5', '2,3.5'], ',')).toBe(true);
  });
  it('a first row of values is data', () => {
    expect(detectHeader(['1,2.5', '2,3.5'], ',')).toBe(false);
  });
  it('a text id column plus a date column: first row of data is not a header', () => {
    expect(detectHeader(['alice,2024-01-05,12.50', 'bob,2024-01-06,7.00'], ',')).toBe(false);
  });
  it('a header-only file (one line of names) is a header', () => {
    expect(detectHeader(['customer_id,date,amount'], ',')).toBe(true);
  });
  it('a single line of values is not a header', () => {
    expect(detectHeader(['00042,2024-01-05,12.50'], ',')).toBe(false);
  });
  it('quoted header cells with delimiters and quotes inside are one cell each', () => {
    const text = ['"x""; DROP TABLE t; --",date,amount', 'a,2024-01-05,1.00', 'b,2024-01-06,2.00'];
    expect(detectTextLayout(text)).toEqual({ delimiter: ',', header: true, fieldCount: 3, skip: 0 });
  });
});

describe('splitLine and looksLikeValue', () => {
  it('splits quoted cells and unescapes doubled quotes', () => {
    expect(splitLine('"a,b","say ""hi""",3', ',')).toEqual(['a,b', 'say "hi"', '3']);
  });
  it('splits on runs of whitespace and ignores padding', () => {
    expect(splitLine('   00001 19970101  1  11.77', 'whitespace')).toEqual(['00001', '19970101', '1', '11.77']);
    expect(splitLine('   ', 'whitespace')).toEqual([]);
  });
  it('numbers, money and dates look like values; names do not', () => {
    for (const v of ['12', '-5', '1.234,50', '$1,234.00', '(12.00)', '12 EUR', '2024-01-05', '13/01/2024', '2024-01-05T10:00:00Z']) {
      expect(looksLikeValue(v), v).toBe(true);
    }
    for (const v of ['customer_id', 'InvoiceDate', 'amount', 'dollar_value', '']) expect(looksLikeValue(v), v).toBe(false);
  });
});

describe('detectPreamble: title lines above the table', () => {
  it('a title line above a header is skipped', () => {
    expect(detectTextLayout(['Sales export', 'customer_id,date,amount', 'a,2024-01-05,12.5', 'b,2024-01-06,7', 'a,2024-02-01,3'])).toEqual({
      delimiter: ',',
      header: true,
      fieldCount: 3,
      skip: 1,
    });
  });
  it('spreadsheet-padded title and note lines ("Sales report,,") are skipped', () => {
    const text = ['Sales report,,', 'Exported 2024-05-01,,', 'customer_id,date,amount', 'a,2024-01-05,12.5', 'b,2024-01-06,7'];
    expect(detectPreamble(text, ',')).toBe(2);
  });
  it('a header with fewer names than the data has cells stays the header', () => {
    expect(detectPreamble(['customer_id,date,amount', 'a,2024-01-05,12.5,', 'b,2024-01-06,7,'], ',')).toBe(0);
  });
  it('a sparse first data row of a headerless file is not a title', () => {
    expect(detectPreamble(['a,,', 'b,2024-01-06,7', 'c,2024-01-07,8'], ',')).toBe(0);
  });
  it('nothing to skip in an ordinary file', () => {
    expect(detectPreamble(['customer_id,date,amount', 'a,2024-01-05,12.5'], ',')).toBe(0);
    expect(detectPreamble(['   00001 19970101  1  11.77', '   00002 19970112  1  12.00'], 'whitespace')).toBe(0);
  });
});
