import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectGroupRow, detectHeader, detectPreamble, detectTextLayout, looksLikeValue, splitLine } from '../../src/core/source/textLayout';

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
  it("title lines above a report grouped by customer (Xero's Receivable Invoice Detail: each name alone on a heading line, one invoice under it) are skipped", () => {
    const text = ['"Receivable Invoice Detail"', '"Harbour Design Pty Ltd"', '"For the period 1 January 2022 to 31 December 2023"', '"Contact","Invoice Date","Invoice Total"'];
    // Each group: its heading line (one filled cell), one invoice, its total — a third of the lines are headings.
    for (const name of ['Bluth Inc.', 'Acme Co', 'Initech']) text.push(`"${name}","",""`, `"${name}","23 Jan 2022","309.33"`, `"Total ${name}","","309.33"`);
    expect(detectTextLayout(text)).toEqual({ delimiter: ',', header: true, fieldCount: 3, skip: 3 });
    // More headings than that is no table below the title.
    const sparse = ['"Report"', '"Contact","Invoice Date","Invoice Total"', '"A","",""', '"B","",""', '"C","",""', '"A","2022-01-23","1.00"'];
    expect(detectPreamble(sparse, ',')).toBe(0);
  });
  it("DATEV's EXTF header line is skipped, its period and account length kept", () => {
    const text = ['"EXTF";700;21;"Buchungsstapel";13;20240115093012345;;"RE";"";"";29098;55003;20230701;5;20230701;20240630;"Rechnungen";"";1;0;0;"EUR"', 'Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;Konto;Belegdatum', '12,50;"S";100001;0201', '7,00;"H";100002;3112'];
    expect(detectTextLayout(text)).toEqual({ delimiter: ';', header: true, fieldCount: 4, skip: 1, datev: { first: '2023-07-01', last: '2024-06-30', ledgerDigits: 5 } });
    // A first cell "EXTF" in an ordinary table is no DATEV header.
    expect(detectTextLayout(['EXTF;b;c', 'x;1;2', 'y;3;4']).datev).toBeUndefined();
  });
  it('"Start date","Jan 01, 2022" notes above a wide table (eBay\'s Transaction report) are skipped; above a narrow one, two cells are data', () => {
    const header = 'Transaction creation date,Type,Order number,Buyer username,Net amount,Payout date';
    const rows = ['"Dec 27, 2023",Order,19-1,isla,25.50,"Dec 29, 2023"', '"Dec 26, 2023",Order,27-7,zoe,135.35,"Dec 28, 2023"', '"Dec 20, 2023",Refund,27-7,zoe,-10.00,"Dec 22, 2023"'];
    expect(detectPreamble(['"Transaction report"', '"Start date","Jan 01, 2022"', '"End date","Dec 31, 2023"', '"Currency","USD"', header, ...rows], ',')).toBe(4);
    expect(detectPreamble(['a,b', 'customer_id,date,amount', 'c1,2024-01-05,12.5', 'c2,2024-01-06,7'], ',')).toBe(0);
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

describe('detectGroupRow: a group header row above the header', () => {
  const GROUPS = ['Customer', '', 'Invoice', '', 'Amounts', ''];
  const NAMES = ['Customer No.', 'Customer Name', 'Invoice No.', 'Invoice Date', 'Net Amount', 'Gross Amount'];
  const DATA = [
    ['C10462', 'Tyrell Inc', 'INV-100000', '2023-01-02', '374.48', '445.63'],
    ['C10392', 'Acme Ltd', 'INV-100001', '2023-01-02', '65.74', '78.23'],
    ['C10462', 'Tyrell Inc', 'INV-100002', '2023-01-05', '288.94', '343.84'],
  ];
  const CARRIED = ['Customer', 'Customer', 'Invoice', 'Invoice', 'Amounts', 'Amounts'];
  const report = (d: string, above: string[] = []) => [...above, ...[GROUPS, NAMES, ...DATA].map((r) => r.join(d))];

  it('the group row (merged cells exported as a name and blanks) is skipped and its names kept', () => {
    expect(detectTextLayout(report(','))).toEqual({ delimiter: ',', header: true, fieldCount: 6, skip: 1, groups: CARRIED });
  });
  it('below a title line both are skipped', () => {
    expect(detectTextLayout(report(',', ['Sales by customer 2023']))).toEqual({ delimiter: ',', header: true, fieldCount: 6, skip: 2, groups: CARRIED });
    expect(detectTextLayout(report(',', ['Sales by customer 2023,,,,,']))).toMatchObject({ skip: 2, groups: CARRIED });
  });
  it('semicolon- and tab-separated reports', () => {
    expect(detectTextLayout(report(';'))).toEqual({ delimiter: ';', header: true, fieldCount: 6, skip: 1, groups: CARRIED });
    expect(detectTextLayout(report('\t', ['Sales by customer 2023']))).toEqual({ delimiter: '\t', header: true, fieldCount: 6, skip: 2, groups: CARRIED });
  });
  it('names the header repeats get their group; columns before the first group have none', () => {
    const text = [',,Net,,Gross,', 'Customer,Date,Amount,Tax,Amount,Tax', 'a,2024-01-05,10.00,1.90,11.90,1.90', 'b,2024-01-06,20.00,3.80,23.80,3.80'];
    expect(detectTextLayout(text)).toEqual({ delimiter: ',', header: true, fieldCount: 6, skip: 1, groups: ['', '', 'Net', 'Net', 'Gross', 'Gross'] });
    // A group row not padded to the table's width: the missing cells are blanks.
    expect(detectGroupRow(['Net,,Gross', 'Amount,Tax,Amount,Tax', '10.00,1.90,11.90,1.90', '20.00,3.80,23.80,3.80'], ',')).toEqual(['Net', 'Net', 'Gross', 'Gross']);
  });
  it("a report's heading repeated on every page does not hide the group row", () => {
    const text = report(',');
    expect(detectTextLayout([...text, text[0], text[1], ...text.slice(2)])).toMatchObject({ skip: 1, groups: CARRIED });
  });

  it('near miss: an ordinary header above data is untouched', () => {
    expect(detectTextLayout([NAMES, ...DATA].map((r) => r.join(',')))).toEqual({ delimiter: ',', header: true, fieldCount: 6, skip: 0 });
  });
  it('near miss: a header with blank names above data rows (a spacer, a pandas index) stays the header', () => {
    expect(detectTextLayout(['customer,,date,amount', 'a,x,2024-01-05,12.5', 'b,y,2024-01-06,7', 'a,x,2024-02-01,3'])).toEqual({ delimiter: ',', header: true, fieldCount: 4, skip: 0 });
    expect(detectTextLayout([',customer,date,amount', '0,a,2024-01-05,12.5', '1,b,2024-01-06,7', '2,a,2024-02-01,3'])).toEqual({ delimiter: ',', header: true, fieldCount: 4, skip: 0 });
  });
  it('near miss: a headerless table is untouched', () => {
    expect(detectTextLayout(['a,,2024-01-05,12.5', 'b,x,2024-01-06,7', 'c,y,2024-01-07,8'])).toEqual({ delimiter: ',', header: false, fieldCount: 4, skip: 0 });
  });
  it('near miss: a header with a blank name above a first data row of text stays the header', () => {
    // The first row's customer comes back below: a data row, not a header.
    const repeat = ['customer,,date,amount', 'alice,web,pending,open', 'bob,shop,2024-01-05,12.50', 'alice,web,2024-01-06,7.00', 'carol,web,2024-01-07,3.00', 'erin,shop,2024-01-08,9.00'];
    expect(detectTextLayout(repeat)).toEqual({ delimiter: ',', header: true, fieldCount: 4, skip: 0 });
    // Placeholders over the date and amount columns: a row with its values missing.
    const missing = ['customer,,date,amount', 'dave,web,n/a,-', 'bob,shop,2024-01-05,12.50', 'alice,web,2024-01-06,7.00', 'carol,web,2024-01-07,3.00', 'erin,shop,2024-01-08,9.00'];
    expect(detectTextLayout(missing)).toEqual({ delimiter: ',', header: true, fieldCount: 4, skip: 0 });
  });
  it('near miss: a header with blank names above rows of text only (no column of values) stays the header', () => {
    const text = ['id,,name,', 'alice,x,bob,y', 'carol,z,dan,w', 'erin,q,fay,v'];
    expect(detectGroupRow(text, ',')).toBeNull();
    expect(detectTextLayout(text)).toMatchObject({ skip: 0 });
  });
  it('near miss: a second line naming a column twice within one group is no header', () => {
    expect(detectGroupRow(['Amounts,,,', 'Amount,Tax,Amount,Tax', '10.00,1.90,11.90,1.90', '20.00,3.80,23.80,3.80'], ',')).toBeNull();
  });
  it('whitespace-separated lines have no blank cells to read groups from', () => {
    expect(detectGroupRow(['Net Gross', 'Amount Tax Amount Tax', '10.00 1.90 11.90 1.90', '20.00 3.80 23.80 3.80'], 'whitespace')).toBeNull();
  });
});
