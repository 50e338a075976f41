import { describe, expect, it } from 'vitest';
import type { ColumnMapping, ColumnSample } from '../../src/core/mapping/roles';
import { parseCliArgs, type CliArgs } from '../../src/node/cliArgs';
import { cleaningFromFlags, mappingFromFlags, parseDateWindow } from '../../src/node/mappingFlags';

function args(...flags: string[]): CliArgs {
  const request = parseCliArgs(['features', 'file.csv', ...flags]);
  if (request.kind !== 'run') throw new Error('expected a command');
  return request.args;
}

const COLUMNS: ColumnSample[] = [
  { name: 'Id', type: 'VARCHAR', values: ['c1', 'c2', 'c3'] },
  { name: 'Date', type: 'VARCHAR', values: ['2024-01-05', '2024-02-01', '2024-03-09'] },
  { name: 'Price', type: 'VARCHAR', values: ['12,50', '3,10', '7,00'] },
  { name: 'Invoice', type: 'VARCHAR', values: ['A1', 'A2', 'A3'] },
  { name: 'Shipped', type: 'VARCHAR', values: ['13/01/2024', '02/02/2024', '25/03/2024'] },
  { name: 'Total', type: 'VARCHAR', values: ['1.234,50', '7,25', '3,00'] },
  { name: 'none', type: 'VARCHAR', values: ['x'] },
];

/** A guess as the engine could make it for COLUMNS: Price taken as a unit price, nothing as the amount. */
const GUESS: ColumnMapping = {
  customer: 'Id',
  date: 'Date',
  amount: null,
  order: 'Invoice',
  quantity: null,
  unitPrice: 'Price',
  category: null,
  channel: null,
  region: null,
  dateFormat: 'iso',
  dateFormatAmbiguous: false,
  decimalSeparator: '.',
};

describe('mappingFromFlags', () => {
  it('without flags the guess stands', () => {
    expect(mappingFromFlags(GUESS, COLUMNS, args())).toEqual(GUESS);
  });

  it('--amount Price makes Price the amount and clears the unit price the guess had given it', () => {
    const m = mappingFromFlags(GUESS, COLUMNS, args('--amount', 'Price', '--decimal', '.'));
    expect(m.amount).toBe('Price');
    expect(m.unitPrice).toBeNull();
    expect({ ...m, amount: GUESS.amount, unitPrice: GUESS.unitPrice }).toEqual(GUESS);
  });

  it('a column given to any role leaves the role the guess had given it', () => {
    const m = mappingFromFlags(GUESS, COLUMNS, args('--customer', 'Invoice'));
    expect(m.customer).toBe('Invoice');
    expect(m.order).toBeNull();
    const swapped = mappingFromFlags(GUESS, COLUMNS, args('--customer', 'Invoice', '--order', 'Id'));
    expect([swapped.customer, swapped.order]).toEqual(['Invoice', 'Id']);
    const region = mappingFromFlags(GUESS, COLUMNS, args('--region', 'Id', '--customer', 'Invoice'));
    expect([region.region, region.customer, region.order]).toEqual(['Id', 'Invoice', null]);
  });

  it('one column for two roles by flags is an error', () => {
    expect(() => mappingFromFlags(GUESS, COLUMNS, args('--amount', 'Price', '--unit-price', 'Price'))).toThrow(/"Price" is given to both --amount and --unit-price/);
  });

  it('an unknown column names the flag and the columns; a column differing only in case is found', () => {
    expect(() => mappingFromFlags(GUESS, COLUMNS, args('--amount', 'Pryce'))).toThrow(/--amount "Pryce": there is no column called "Pryce".*Id, Date, Price/);
    expect(mappingFromFlags(GUESS, COLUMNS, args('--amount', 'price')).amount).toBe('Price');
  });

  it('"none" empties a role, unless a column has that name', () => {
    const cleared = mappingFromFlags(GUESS, COLUMNS.filter((c) => c.name !== 'none'), args('--order', 'none'));
    expect(cleared.order).toBeNull();
    expect(mappingFromFlags(GUESS, COLUMNS, args('--category', 'none')).category).toBe('none');
  });

  it('--date-format sets the format and settles the ambiguity; --decimal sets the separator', () => {
    const m = mappingFromFlags({ ...GUESS, dateFormat: 'dmy', dateFormatAmbiguous: true }, COLUMNS, args('--date-format', 'mdy', '--decimal', ','));
    expect([m.dateFormat, m.dateFormatAmbiguous, m.decimalSeparator]).toEqual(['mdy', false, ',']);
  });

  it('a date or money column moved by a flag has its format read again from its values', () => {
    const m = mappingFromFlags(GUESS, COLUMNS, args('--date', 'Shipped', '--amount', 'Total'));
    expect([m.date, m.dateFormat, m.dateFormatAmbiguous]).toEqual(['Shipped', 'dmy', false]);
    expect([m.amount, m.decimalSeparator]).toEqual(['Total', ',']);
    // A format flag wins over what the values say.
    expect(mappingFromFlags(GUESS, COLUMNS, args('--date', 'Shipped', '--date-format', 'iso')).dateFormat).toBe('iso');
  });

  it('--decimal settles amounts that read both ways; the guess stays asked without it', () => {
    const asked = { ...GUESS, decimalSeparatorAmbiguous: true };
    expect(mappingFromFlags(asked, COLUMNS, args('--decimal', ',')).decimalSeparatorAmbiguous).toBeUndefined();
    expect(mappingFromFlags(asked, COLUMNS, args('--decimal', ',')).decimalSeparator).toBe(',');
    expect(mappingFromFlags(asked, COLUMNS, args()).decimalSeparatorAmbiguous).toBe(true);
  });

  it('a column chosen with --date may hold spreadsheet day numbers, whatever its name', () => {
    const columns = [...COLUMNS, { name: 'When', type: 'BIGINT', values: ['44927', '45000', '45351'] }];
    expect(mappingFromFlags(GUESS, columns, args('--date', 'When')).dateFormat).toBe('excel_serial');
  });

  it('keeps what the engine decided from the whole file (decisions) as it is', () => {
    const decisions = [{ setting: 'dateFormat' as const, column: 'Date', chosen: 'mdy', evidence: { dmy: 0, mdy: 12 }, undecided: 30 }];
    expect(mappingFromFlags({ ...GUESS, decisions }, COLUMNS, args('--amount', 'Price')).decisions).toEqual(decisions);
  });
});

describe('cleaningFromFlags', () => {
  it('defaults, and every cleaning flag', () => {
    expect(cleaningFromFlags(args())).toEqual({ returns: 'net', duplicates: 'auto', allowRejects: false });
    expect(cleaningFromFlags(args('--returns', 'drop', '--duplicates', 'keep', '--allow-rejects', '--date-window', '1960-01-01..2030-12-31', '--keep-currency', 'EUR'))).toEqual({
      returns: 'drop',
      duplicates: 'keep',
      allowRejects: true,
      dateWindow: { first: '1960-01-01', last: '2030-12-31' },
      currency: 'EUR',
    });
  });

  it('a date window must be two real days in order', () => {
    expect(parseDateWindow('2000-02-29..2000-03-01')).toEqual({ first: '2000-02-29', last: '2000-03-01' });
    for (const bad of ['1960-01-01', '1960-01-01..', '2001-02-29..2002-01-01', '1960-1-1..2000-01-01', 'a..b']) expect(() => parseDateWindow(bad)).toThrow(/--date-window must be two days/);
    expect(() => parseDateWindow('2030-01-01..2020-01-01')).toThrow(/starts after it ends/);
  });
});

describe('payment-export flags', () => {
  it('--status, --refund, --currency name columns; --amount-unit minor reads cents', () => {
    const m = mappingFromFlags(GUESS, COLUMNS, args('--status', 'Shipped', '--refund', 'Total', '--currency', 'invoice', '--amount-unit', 'minor'));
    expect(m).toMatchObject({ status: 'Shipped', refund: 'Total', currency: 'Invoice', amountMinorUnits: true });
    const withoutNone = COLUMNS.filter((c) => c.name !== 'none');
    const off = mappingFromFlags({ ...GUESS, status: 'Shipped', amountMinorUnits: true }, withoutNone, args('--status', 'none', '--amount-unit', 'major'));
    expect(off).toMatchObject({ status: null, amountMinorUnits: false });
  });
  it('an unknown payment column is an error naming the flag', () => {
    expect(() => mappingFromFlags(GUESS, COLUMNS, args('--refund', 'refunds'))).toThrow(/--refund "refunds"/);
  });
});

describe('a column the flags take the customer off', () => {
  const ledger: ColumnSample[] = [
    { name: 'Type', type: 'VARCHAR', values: ['Invoice', 'Payment', 'Credit Memo', 'Invoice'] },
    { name: 'Date', type: 'VARCHAR', values: ['2024-01-05', '2024-02-01', '2024-03-09', '2024-03-10'] },
    { name: 'Name', type: 'VARCHAR', values: ['10392 Tyrell', '10462 Wayne', '10392 Tyrell', '10462 Wayne'] },
    { name: 'Stage', type: 'VARCHAR', values: ['Closed Won', 'Closed Lost', 'Closed Won', 'Prospecting'] },
    { name: 'Amount', type: 'VARCHAR', values: ['12.50', '-12.50', '-3.00', '7.00'] },
  ];
  const guess: ColumnMapping = { ...GUESS, customer: 'Type', amount: 'Amount', unitPrice: null, order: null };
  it('becomes the kind when it says what kind of row each is (NetSuite\'s Type), or the status when it holds statuses', () => {
    expect(mappingFromFlags(guess, ledger, args('--customer', 'Name'))).toMatchObject({ customer: 'Name', kind: 'Type' });
    expect(mappingFromFlags({ ...guess, customer: 'Stage' }, ledger, args('--customer', 'Name'))).toMatchObject({ customer: 'Name', status: 'Stage' });
  });
  it('a flag still wins, and a column of names stays unmapped', () => {
    expect(mappingFromFlags(guess, ledger, args('--customer', 'Name', '--kind', 'none')).kind ?? null).toBeNull();
    const m = mappingFromFlags({ ...guess, customer: 'Name' }, ledger, args('--customer', 'Type'));
    expect({ kind: m.kind ?? null, status: m.status ?? null }).toEqual({ kind: null, status: null });
  });
});
