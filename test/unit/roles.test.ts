import { describe, expect, it } from 'vitest';
import { guessMapping, isConfidentMapping, ledgerSides, readsDebitAndCredit, refundCurrencyDoubt, type ColumnSample } from '../../src/core/mapping/roles';

const col = (name: string, values: string[], type = 'VARCHAR'): ColumnSample => ({ name, type, values });

const DATES = ['2024-01-05', '2024-01-06', '2024-02-01'];
const MONEY = ['12.50', '7.00', '3.10'];

describe('guessMapping by column name', () => {
  it('customer_id / date / amount', () => {
    const m = guessMapping([col('customer_id', ['1', '2', '3']), col('date', DATES), col('amount', MONEY)]);
    expect(m).toMatchObject({ customer: 'customer_id', date: 'date', amount: 'amount', order: null, quantity: null, unitPrice: null });
    expect(m).toMatchObject({ dateFormat: 'iso', dateFormatAmbiguous: false, decimalSeparator: '.' });
  });

  for (const name of ['customer_id', 'CustomerID', 'client', 'Client', 'Customer ID', 'user_id', 'cust_no']) {
    it(`"${name}" is the customer`, () => {
      const m = guessMapping([col('when', DATES), col(name, ['a', 'b', 'c']), col('spend', MONEY)]);
      expect(m.customer).toBe(name);
    });
  }

  for (const name of ['amount', 'revenue', 'Sales', 'total', 'dollar_value']) {
    it(`"${name}" is the amount`, () => {
      const m = guessMapping([col('customer_id', ['a', 'b', 'c']), col('date', DATES), col(name, MONEY)]);
      expect(m.amount).toBe(name);
    });
  }

  it('InvoiceDate is the date, InvoiceNo the order (Online Retail)', () => {
    const m = guessMapping([
      col('InvoiceNo', ['536365', '536366', 'C536379']),
      col('StockCode', ['85123A', '71053', 'D']),
      col('Description', ['WHITE HANGING HEART T-LIGHT HOLDER', 'WHITE METAL LANTERN', 'Discount']),
      col('Quantity', ['6', '6', '-1']),
      col('InvoiceDate', ['12/1/2010 8:26', '12/1/2010 8:28', '12/13/2010 9:41']),
      col('UnitPrice', ['2.55', '3.39', '27.50']),
      col('CustomerID', ['17850', '17850', '14527']),
      col('Country', ['United Kingdom', 'United Kingdom', 'France']),
    ]);
    expect(m).toMatchObject({ customer: 'CustomerID', date: 'InvoiceDate', order: 'InvoiceNo', dateFormat: 'mdy', dateFormatAmbiguous: false });
    // No amount column: quantity × unit price.
    expect(m.amount).toBeNull();
    expect(m.quantity).toBe('Quantity');
    expect(m.unitPrice).toBe('UnitPrice');
    expect(m.region).toBe('Country');
  });

  it('Online Retail II headers (Invoice, Price, "Customer ID")', () => {
    const m = guessMapping([
      col('Invoice', ['489434', '489435']),
      col('StockCode', ['85048', '79323P']),
      col('Quantity', ['12', '48']),
      col('InvoiceDate', ['2009-12-01 07:45:00', '2009-12-01 07:46:00']),
      col('Price', ['6.95', '2.10']),
      col('Customer ID', ['13085', '13085']),
      col('Country', ['United Kingdom', 'United Kingdom']),
    ]);
    expect(m).toMatchObject({ customer: 'Customer ID', date: 'InvoiceDate', amount: null, quantity: 'Quantity', unitPrice: 'Price', order: 'Invoice' });
  });

  it('order_id and order_date are told apart', () => {
    const m = guessMapping([col('order_id', ['o1', 'o2', 'o3']), col('order_date', DATES), col('customer', ['a', 'b', 'c']), col('revenue', MONEY)]);
    expect(m).toMatchObject({ order: 'order_id', date: 'order_date', customer: 'customer', amount: 'revenue' });
  });

  it('a date-named column that holds no dates is not the date', () => {
    const m = guessMapping([col('customer_id', ['a', 'b']), col('update_note', ['x', 'y']), col('date', ['n/a', 'soon']), col('ts', ['2024-01-05', '2024-01-06']), col('amount', ['1', '2'])]);
    expect(m.date).toBe('ts');
  });

  it('a date-named column with some unreadable values is still the date (they become rejected rows)', () => {
    const m = guessMapping([col('customer_id', ['a', 'b', 'c', 'd']), col('date', ['2024-01-05', '2024-01-06', 'nope', '2024-02-01']), col('amount', ['1', '2', '3', '4'])]);
    expect(m).toMatchObject({ date: 'date', dateFormat: 'iso' });
  });

  it('an amount-named column of text is not the amount', () => {
    const m = guessMapping([col('customer_id', ['a', 'b']), col('date', DATES.slice(0, 2)), col('total', ['free', 'gift']), col('paid_eur', ['1.50', '2.00'])]);
    expect(m.amount).toBe('paid_eur');
  });

  it('decimal comma and epoch seconds are reported in the mapping', () => {
    const m = guessMapping([col('user', ['a', 'b']), col('ts', ['1704412800', '1704499200']), col('total', ['1,50', '2,00'])]);
    expect(m).toMatchObject({ customer: 'user', date: 'ts', amount: 'total', dateFormat: 'epoch_s', decimalSeparator: ',' });
  });

  it('ambiguous day/month is flagged', () => {
    const m = guessMapping([col('customer_id', ['a', 'b']), col('date', ['01/02/2024', '03/04/2024']), col('amount', ['1', '2'])]);
    expect(m).toMatchObject({ dateFormat: 'dmy', dateFormatAmbiguous: true });
  });

  it('typed columns (Parquet/JSON) are native dates and numeric amounts', () => {
    const m = guessMapping([col('customer_id', ['1', '2'], 'BIGINT'), col('date', DATES.slice(0, 2), 'DATE'), col('amount', ['1.5', '2'], 'DOUBLE')]);
    expect(m).toMatchObject({ customer: 'customer_id', date: 'date', amount: 'amount', dateFormat: 'native' });
  });

  it('hostile names are just names', () => {
    const evil = 'x"; DROP TABLE t; --';
    const html = '<img src=x onerror=alert(1)>';
    const m = guessMapping([col(evil, ['a', 'b']), col('date', DATES.slice(0, 2)), col('amount', ['1.50', '2.00']), col(html, ['p', 'q'])]);
    expect(m.customer).toBe(evil);
  });
});

describe('guessMapping by values (headerless files)', () => {
  it('CDNOW: id with leading zeros, yyyymmdd, count of CDs, dollars', () => {
    const m = guessMapping([
      col('column0', ['00001', '00002', '00002', '00003']),
      col('column1', ['19970101', '19970112', '19970112', '19970102']),
      col('column2', ['1', '1', '5', '2']),
      col('column3', ['11.77', '12.00', '77.00', '20.76']),
    ]);
    expect(m).toMatchObject({ customer: 'column0', date: 'column1', quantity: 'column2', amount: 'column3', dateFormat: 'yyyymmdd', decimalSeparator: '.' });
  });

  it('CDNOW sample: two id columns; the first is the customer', () => {
    const m = guessMapping([
      col('column0', ['00004', '00004', '00018']),
      col('column1', ['0001', '0001', '0002']),
      col('column2', ['19970101', '19970118', '19970102']),
      col('column3', ['2', '2', '2']),
      col('column4', ['29.33', '29.73', '20.76']),
    ]);
    expect(m).toMatchObject({ customer: 'column0', date: 'column2', quantity: 'column3', amount: 'column4' });
  });

  it('a date before the id', () => {
    const m = guessMapping([col('column0', DATES), col('column1', ['C001', 'C002', 'C001']), col('column2', MONEY)]);
    expect(m).toMatchObject({ date: 'column0', customer: 'column1', amount: 'column2' });
  });

  it('ids that read as epoch seconds lose to a real date column', () => {
    const m = guessMapping([
      col('column0', ['1234567890', '1234567891', '1234567892']),
      col('column1', DATES),
      col('column2', MONEY),
    ]);
    expect(m).toMatchObject({ customer: 'column0', date: 'column1', amount: 'column2', dateFormat: 'iso' });
  });

  it('an epoch column is still found when it is the only date', () => {
    const m = guessMapping([col('column0', ['a', 'b']), col('column1', ['1704412800', '1704499200']), col('column2', ['1.50', '2.00'])]);
    expect(m).toMatchObject({ customer: 'column0', date: 'column1', amount: 'column2', dateFormat: 'epoch_s' });
  });

  it('decimal-comma amounts', () => {
    const m = guessMapping([col('column0', ['00042', '00043']), col('column1', ['13/01/2024', '05/02/2024']), col('column2', ['12,50', '1.234,50'])]);
    expect(m).toMatchObject({ customer: 'column0', date: 'column1', amount: 'column2', dateFormat: 'dmy', decimalSeparator: ',' });
  });

  it('nothing numeric: no amount; nothing datelike: no date', () => {
    const m = guessMapping([col('column0', ['a', 'b']), col('column1', ['x', 'y'])]);
    expect(m.date).toBeNull();
    expect(m.amount).toBeNull();
  });
});

describe('guessMapping: a name match whose values do not fit does not hide a later one', () => {
  it('"timezone" (text) before "order_date"', () => {
    const m = guessMapping([
      col('customer_id', ['a', 'b', 'c']),
      col('timezone', ['Europe/Paris', 'UTC', 'UTC']),
      col('shipped', ['2024-01-08', '2024-01-09', '2024-02-03']),
      col('order_date', DATES),
      col('amount', MONEY),
    ]);
    expect(m.date).toBe('order_date');
  });
  it('"total_note" (text) before "net_amount"', () => {
    const m = guessMapping([
      col('customer_id', ['a', 'b', 'c']),
      col('date', DATES),
      col('discount', ['0.10', '0.20', '0.05']),
      col('total_note', ['paid', 'paid', 'refund']),
      col('net_amount', MONEY),
    ]);
    expect(m.amount).toBe('net_amount');
  });
});

describe('isConfidentMapping', () => {
  const complete = guessMapping([col('customer_id', ['1', '2', '3']), col('date', DATES), col('amount', MONEY)]);
  it('loads at once when customer, date and amount are found and the date order is known', () => {
    expect(isConfidentMapping(complete)).toBe(true);
    expect(isConfidentMapping({ ...complete, amount: null, quantity: 'qty', unitPrice: 'price' })).toBe(true);
  });
  it('asks when a required role is missing or the day/month order is ambiguous', () => {
    expect(isConfidentMapping({ ...complete, customer: null })).toBe(false);
    expect(isConfidentMapping({ ...complete, date: null })).toBe(false);
    expect(isConfidentMapping({ ...complete, amount: null })).toBe(false);
    expect(isConfidentMapping({ ...complete, amount: null, quantity: 'qty' })).toBe(false);
    expect(isConfidentMapping({ ...complete, dateFormatAmbiguous: true })).toBe(false);
    const ambiguous = guessMapping([col('customer_id', ['1', '2', '3']), col('date', ['01/02/2024', '03/04/2024', '05/06/2024']), col('amount', MONEY)]);
    expect(ambiguous.dateFormatAmbiguous).toBe(true);
    expect(isConfidentMapping(ambiguous)).toBe(false);
  });
});

describe('guessMapping on real export headers', () => {
  const money = ['10.00', '25.50', '7.25'];
  it('Shopify: Email is the customer, Total (not Subtotal) the amount, refunds netted', () => {
    const m = guessMapping([
      col('Name', ['#1001', '#1002', '#1003']),
      col('Email', ['a@x.com', 'b@x.com', 'a@x.com']),
      col('Financial Status', ['paid', 'paid', 'refunded']),
      col('Subtotal', money),
      col('Shipping', ['5.99', '0.00', '5.99']),
      col('Total', money),
      col('Created at', ['2023-01-05 10:15:00 -0500', '2023-01-06 11:00:00 -0500', '2023-02-01 09:00:00 -0500']),
      col('Lineitem quantity', ['1', '2', '1']),
      col('Refunded Amount', ['0.00', '0.00', '7.25']),
    ]);
    expect(m).toMatchObject({ customer: 'Email', amount: 'Total', date: 'Created at', status: 'Financial Status', refund: 'Refunded Amount' });
  });
  it('Olist: customer_unique_id over the per-order customer_id, payment_value over payment_sequential', () => {
    const m = guessMapping([
      col('order_id', ['o1', 'o2', 'o3']),
      col('customer_id', ['k1', 'k2', 'k3']),
      col('customer_unique_id', ['u1', 'u2', 'u1']),
      col('order_purchase_timestamp', ['2017-10-02 10:56:33', '2018-07-24 20:41:37', '2018-08-08 08:38:49']),
      col('payment_sequential', ['1', '1', '2']),
      col('payment_value', ['18.12', '141.46', '179.12']),
    ]);
    expect(m).toMatchObject({ customer: 'customer_unique_id', amount: 'payment_value', order: 'order_id', quantity: null });
  });
  it('an empty contact column is not the customer; the payer e-mail is', () => {
    const m = guessMapping([
      col('Date', ['01/02/2024', '15/02/2024', '20/03/2024']),
      col('Name', ['Ann Lee', 'Bo Chan', 'Ann Lee']),
      col('Contact Phone Number', []),
      col('From Email Address', ['ann@x.com', 'bo@x.com', 'ann@x.com']),
      col('Gross', money),
    ]);
    expect(m).toMatchObject({ customer: 'From Email Address', amount: 'Gross', date: 'Date', dateFormat: 'dmy' });
  });
  it('Stripe charges: integer amounts beside a currency and epoch seconds are cents; amount_refunded is not a quantity', () => {
    const m = guessMapping([
      col('customer', ['cus_a', 'cus_b', 'cus_a']),
      col('amount', ['1900', '2900', '4900']),
      col('amount_refunded', ['0', '0', '1900']),
      col('created', ['1677150419', '1686756004', '1699879366']),
      col('currency', ['usd', 'usd', 'usd']),
      col('status', ['succeeded', 'failed', 'succeeded']),
    ]);
    expect(m).toMatchObject({ customer: 'customer', amount: 'amount', refund: 'amount_refunded', currency: 'currency', status: 'status', amountMinorUnits: true, quantity: null, dateFormat: 'epoch_s' });
  });
  it('the same integers with calendar dates stay major units', () => {
    const m = guessMapping([col('customer', ['a', 'b']), col('amount', ['1900', '2900']), col('date', ['2024-01-05', '2024-02-01']), col('currency', ['usd', 'usd'])]);
    expect(m.amountMinorUnits).toBeUndefined();
  });
  it('an amount named in cents holds cents, whatever the dates; not when it holds decimals', () => {
    for (const name of ['amount_cents', 'total_in_cents', 'AmountInCents', 'Amount (cents)', 'price_pence', 'amount_minor']) {
      const m = guessMapping([col('customer', ['a', 'b']), col('date', ['2024-01-05', '2024-02-01']), col(name, ['1900', '2950'])]);
      expect([m.amount, m.amountMinorUnits], name).toEqual([name, true]);
    }
    expect(guessMapping([col('customer', ['a', 'b']), col('date', ['2024-01-05', '2024-02-01']), col('amount_cents', ['19.00', '29.50'])]).amountMinorUnits).toBeUndefined();
    expect(guessMapping([col('customer', ['a', 'b']), col('date', ['2024-01-05', '2024-02-01']), col('amount', ['1900', '2950']), col('discount_percent', ['5', '10'])]).amountMinorUnits).toBeUndefined();
  });
  it('Olist order items: the price is the amount, not the item number or the freight', () => {
    const m = guessMapping([
      col('order_id', ['e481f51c', '53cdb2fc', '53cdb2fc']),
      col('order_item_id', ['1', '1', '2']),
      col('customer_unique_id', ['861eff47', '290c77bc', '290c77bc']),
      col('shipping_limit_date', ['2017-09-19 09:45:35', '2017-05-03 11:05:13', '2017-05-03 11:05:13']),
      col('price', ['58.90', '239.90', '239.90']),
      col('freight_value', ['13.29', '19.93', '19.93']),
    ]);
    expect(m).toMatchObject({ customer: 'customer_unique_id', amount: 'price', order: 'order_id', quantity: null, unitPrice: null });
  });
  it('a total named with its tax is still the amount by its values; a freight or fee column is not', () => {
    const base = [col('Customer', ['a', 'b']), col('Date', ['2024-01-05', '2024-02-01'])];
    expect(guessMapping([...base, col('Total incl. tax', ['12.50', '3.10'])]).amount).toBe('Total incl. tax');
    expect(guessMapping([...base, col('Freight', ['2.50', '3.10']), col('Item Cost', ['12.50', '3.10'])]).amount).toBe('Item Cost');
  });
  it('an order id named with a space or a number sign ("Order ID", "Invoice No", "Order #")', () => {
    const base = [col('Customer', ['a', 'b']), col('Date', ['2024-01-05', '2024-02-01']), col('Total', ['12.50', '3.10'])];
    for (const name of ['Order ID', 'Invoice No', 'Order #', 'Transaction Number']) expect(guessMapping([...base, col(name, ['A-1', 'A-2'])]).order, name).toBe(name);
  });
  it('a transaction kind column: by its name and a known kind among its words', () => {
    const base = [col('Customer Email', ['a@x.com', 'b@x.com', 'c@x.com']), col('Created At', ['2024-01-05', '2024-02-01', '2024-02-03']), col('Amount', ['12.50', '3.10', '7.00'])];
    expect(guessMapping([...base, col('Kind', ['sale', 'refund', 'authorization'])]).kind).toBe('Kind');
    expect(guessMapping([...base, col('Transaction Type', ['Invoice', 'Payment', 'Credit Memo'])]).kind).toBe('Transaction Type');
    expect(guessMapping([...base, col('Type', ['Website Payment', 'Payment Refund', 'Website Payment'])]).kind).toBe('Type');
    // A product type, codes, or a kind-named column of other words is not a transaction kind.
    expect(guessMapping([...base, col('Type', ['Book', 'DVD', 'Music'])]).kind).toBeUndefined();
    expect(guessMapping([...base, col('type', ['1', '2', '1'])]).kind).toBeUndefined();
    expect(guessMapping([...base, col('Notes', ['refund', 'sale', 'sale'])]).kind).toBeUndefined();
  });
});

describe('guessMapping on exports first tried after the real-files work (payment processors, CRMs, analytics, marketplaces)', () => {
  const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
  const DAYS = n(24, (i) => `2024-01-${String(1 + i).padStart(2, '0')}`);
  const AMOUNTS = n(24, (i) => `${10 + i}.50`);
  it('a status named "state" or "Order Payment State" is the status, not the region; a deal stage too', () => {
    const base = [col('account_code', n(24, (i) => `acc${i % 7}`)), col('created_at', DAYS), col('total', AMOUNTS)];
    const recurly = guessMapping([...base, col('state', n(24, (i) => ['paid', 'failed', 'past_due'][i % 3]))]);
    expect({ status: recurly.status, region: recurly.region }).toEqual({ status: 'state', region: null });
    expect(guessMapping([...base, col('Order Payment State', n(24, (i) => ['Paid', 'Open', 'Refunded'][i % 3]))]).status).toBe('Order Payment State');
    expect(guessMapping([...base, col('Deal Stage', n(24, (i) => ['Closed Won', 'Closed Lost', 'Contract Sent'][i % 3]))]).status).toBe('Deal Stage');
    // A US state is a region still.
    expect(guessMapping([...base, col('state', n(24, (i) => ['CA', 'NY', 'TX'][i % 3]))])).toMatchObject({ region: 'state' });
    expect(guessMapping([...base, col('TimeZone', n(24, () => 'CET'))]).region).toBeNull();
  });
  it('the total with tax is the amount, over the same without tax, the tax alone and a gift certificate', () => {
    const base = [col('Customer Email', n(24, (i) => `c${i % 9}@x.com`)), col('Order Date', DAYS)];
    const money = (name: string) => col(name, AMOUNTS);
    const bigCommerce = guessMapping([...base, money('Subtotal (inc tax)'), money('Tax Total'), money('Order Total (inc tax)'), money('Order Total (ex tax)'), money('Gift Certificate Amount Redeemed')]);
    expect(bigCommerce.amount).toBe('Order Total (inc tax)');
    expect(guessMapping([...base, money('Nettobetrag'), money('MwSt'), money('Bruttobetrag')]).amount).toBe('Bruttobetrag');
    expect(guessMapping([...base, money('Montant HT'), money('TVA'), money('Montant TTC')]).amount).toBe('Montant TTC');
    expect(guessMapping([...base, money('Gift Certificate Amount Redeemed'), money('Store Credit Redeemed'), money('Grand Total')]).amount).toBe('Grand Total');
  });
  it('not a customer: money named for the customer, one value on every row, a deal or payment id only when nothing else is', () => {
    const stripe = guessMapping([col('id', n(24, (i) => `txn_${i}`)), col('Amount', AMOUNTS), col('Created (UTC)', DAYS), col('Customer Facing Amount', AMOUNTS), col('Customer Email', n(24, (i) => `c${i % 9}@x.com`))]);
    expect(stripe.customer).toBe('Customer Email');
    const adyen = guessMapping([col('Company Account', n(24, () => 'AcmeCom')), col('Merchant Account', n(24, () => 'AcmeShopEU')), col('Booking Date', DAYS), col('Main Amount', AMOUNTS), col('Shopper Reference', n(24, (i) => String(1000 + (i % 8))))]);
    expect(adyen.customer).toBe('Shopper Reference');
    const hubspot = guessMapping([col('Record ID', n(24, (i) => String(9080791572 + i))), col('Deal Name', n(24, (i) => `deal ${i}`)), col('Close Date', DAYS), col('Amount', AMOUNTS), col('Associated Company', n(24, (i) => `Silver Labs ${i % 5}`)), col('Associated Company IDs', n(24, (i) => String(5000 + (i % 6))))]);
    expect(hubspot.customer).toBe('Associated Company IDs');
  });
  it('the customer column that identifies: filled on every row, e-mails over names, a user name over a relay e-mail, ids over a guest placeholder', () => {
    const ga4 = guessMapping([col('event_date', n(24, (i) => `202401${String(1 + i).padStart(2, '0')}`)), col('user_pseudo_id', n(24, (i) => `14251${i % 9}.17027`)), col('user_id', n(10, (i) => `u${i}`)), col('event_value_in_usd', AMOUNTS)]);
    expect(ga4.customer).toBe('user_pseudo_id');
    const sheet = guessMapping([col('Customer', n(24, (i) => ['Lena Jones', 'Noah Smith', 'Ava Brown'][i % 3])), col('Email', n(24, (i) => `c${i % 7}@example.com`)), col('Order date', DAYS), col('Amount', AMOUNTS)]);
    expect(sheet.customer).toBe('Email');
    const ebay = guessMapping([col('Buyer Email', n(24, (i) => `${8265526343 + i}abc@members.ebay.com`)), col('Buyer Username', n(24, (i) => `felix_lee${i % 6}`)), col('Sale Date', n(24, (i) => `Jun-${String(1 + i).padStart(2, '0')}-24`)), col('Total Price', AMOUNTS)]);
    expect(ebay).toMatchObject({ customer: 'Buyer Username', date: 'Sale Date', dateFormat: 'month_name' });
    const guests = guessMapping([col('Customer ID', n(24, (i) => (i % 3 === 0 ? '0' : String(100 + i)))), col('Customer Email', n(24, (i) => `c${i % 11}@x.com`)), col('Order Date', DAYS), col('Order Total', AMOUNTS)]);
    expect(guests.customer).toBe('Customer Email');
    expect(guessMapping([col('Belegdatum', DAYS), col('Kundennr.', n(24, (i) => String(1100 + (i % 9)))), col('Kunde', n(24, (i) => ['Greta Schmidt', 'Jonas Weber'][i % 2])), col('Betrag', AMOUNTS)]).customer).toBe('Kundennr.');
  });
  it('a 12-digit item number is not a date; a customer\'s own count and a probability are not a quantity', () => {
    const m = guessMapping([col('Buyer Username', n(24, (i) => `b${i % 5}`)), col('Item Number', n(24, (i) => String(245737567406 + i))), col('Sale Date', n(24, (i) => `Jun-${String(1 + i).padStart(2, '0')}-24`)), col('Total Price', AMOUNTS)]);
    expect(m.date).toBe('Sale Date');
    const nested = guessMapping([col('customer.id', n(24, (i) => `K${i % 7}`)), col('customer.orders_count', n(24, (i) => String(1 + (i % 4)))), col('created_at', DAYS), col('total', AMOUNTS)]);
    expect({ customer: nested.customer, quantity: nested.quantity }).toEqual({ customer: 'customer.id', quantity: null });
    const sfdc = guessMapping([col('Account Name', n(24, (i) => `Acct ${i % 5}`)), col('Amount', AMOUNTS), col('Probability (%)', n(24, (i) => ['0', '100', '60'][i % 3])), col('Close Date', DAYS)]);
    expect(sfdc.quantity).toBeNull();
  });
  it('an event log: the event column is the kind', () => {
    const m = guessMapping([col('event_date', n(24, (i) => `202401${String(1 + i).padStart(2, '0')}`)), col('event_name', n(24, (i) => ['page_view', 'add_to_cart', 'purchase'][i % 3])), col('user_pseudo_id', n(24, (i) => `u${i % 5}`)), col('event_value_in_usd', AMOUNTS)]);
    expect(m.kind).toBe('event_name');
  });
});

describe('guessMapping on accounting, ERP and API exports (second hunt)', () => {
  const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
  const DAYS = n(24, (i) => `2024-01-${String(1 + i).padStart(2, '0')}`);
  const AMOUNTS = n(24, (i) => `${10 + i}.50`);
  it('the customer named as a ledger names it: "Name" (NetSuite), "Partner" (Odoo), "Debitorennr." (Business Central); the kind column is not the customer', () => {
    const netsuite = guessMapping([col('Type', n(24, (i) => ['Invoice', 'Payment', 'Cash Sale'][i % 3])), col('Date', DAYS), col('Document Number', n(24, (i) => `INV-${i}`)), col('Name', n(24, (i) => `1039${i % 7} Tyrell Inc`)), col('Amount', AMOUNTS)]);
    expect({ customer: netsuite.customer, kind: netsuite.kind }).toEqual({ customer: 'Name', kind: 'Type' });
    expect(guessMapping([col('Number', n(24, (i) => `INV/2023/${i}`)), col('Partner', n(24, (i) => `Tyrell ${i % 6}`)), col('Invoice/Bill Date', DAYS), col('Total', AMOUNTS)]).customer).toBe('Partner');
    const bc = guessMapping([col('Buchungsdatum', DAYS), col('Belegart', n(24, (i) => ['Rechnung', 'Zahlung', 'Gutschrift'][i % 3])), col('Debitorennr.', n(24, (i) => String(10000 + (i % 9)))), col('Debitorenname', n(24, (i) => `Firma ${i % 9}`)), col('Betrag', AMOUNTS)]);
    expect({ customer: bc.customer, kind: bc.kind }).toEqual({ customer: 'Debitorennr.', kind: 'Belegart' });
    // With no customer-named column, neither a kind nor a constant column is taken by position.
    const apple = guessMapping([col('Provider', n(24, () => 'APPLE')), col('SKU', n(24, (i) => `sku${i % 4}`)), col('Customer Price', AMOUNTS), col('Begin Date', DAYS), col('Developer Proceeds', AMOUNTS)]);
    expect(apple.customer).not.toBe('Customer Price');
  });
  it('API names in camelCase: a status, a refunded amount (Shopify GraphQL)', () => {
    const m = guessMapping([col('id', n(24, (i) => `gid://shopify/Order/${i}`)), col('createdAt', DAYS), col('customer.id', n(24, (i) => `gid://shopify/Customer/${i % 8}`)), col('totalPriceSet.shopMoney.amount', AMOUNTS), col('totalRefundedSet.shopMoney.amount', n(24, () => '0.0')), col('displayFinancialStatus', n(24, (i) => ['PAID', 'PENDING', 'REFUNDED'][i % 3]))]);
    expect({ customer: m.customer, amount: m.amount, status: m.status, refund: m.refund }).toEqual({ customer: 'customer.id', amount: 'totalPriceSet.shopMoney.amount', status: 'displayFinancialStatus', refund: 'totalRefundedSet.shopMoney.amount' });
  });
  it('an item\'s status over its order\'s; sales after discounts; the company\'s own currency, without the rows\' currency; a currency named for the transaction', () => {
    const base = [col('buyer-email', n(24, (i) => `b${i % 7}@x.com`)), col('purchase-date', DAYS)];
    expect(guessMapping([...base, col('order-status', n(24, () => 'Shipped')), col('item-status', n(24, (i) => ['Shipped', 'Cancelled'][i % 2])), col('item-price', AMOUNTS)]).status).toBe('item-status');
    expect(guessMapping([...base, col('Gross Sales', AMOUNTS), col('Discounts', AMOUNTS), col('Net Sales', AMOUNTS)]).amount).toBe('Net Sales');
    const bc = guessMapping([...base, col('Currency Code', n(24, (i) => (i % 5 === 0 ? 'EUR' : 'USD'))), col('Amount', AMOUNTS), col('Amount (LCY)', AMOUNTS)]);
    expect({ amount: bc.amount, currency: bc.currency ?? null }).toEqual({ amount: 'Amount (LCY)', currency: null });
    expect(guessMapping([...base, col('Amount', AMOUNTS), col('Transaction Currency', n(24, (i) => ['EUR', 'USD'][i % 2]))]).currency).toBe('Transaction Currency');
    // Each order's total also converted to one named currency: that total, no row currency, and a refund in the same currency when there is one.
    const rowCurrency = col('Currency', n(24, (i) => ['USD', 'EUR', 'GBP'][i % 3]));
    const lemon = guessMapping([...base, rowCurrency, col('Total', AMOUNTS), col('Total (USD)', AMOUNTS), col('Refunded Amount', AMOUNTS), col('Refunded Amount (USD)', AMOUNTS)]);
    expect({ amount: lemon.amount, currency: lemon.currency ?? null, refund: lemon.refund }).toEqual({ amount: 'Total (USD)', currency: null, refund: 'Refunded Amount (USD)' });
    expect(guessMapping([...base, rowCurrency, col('amount', AMOUNTS), col('amount_in_eur', AMOUNTS)]).amount).toBe('amount_in_eur');
    // Near misses: a code that is no currency, and a currency column that is not an amount.
    expect(guessMapping([...base, col('Total', AMOUNTS), col('Total ABC', AMOUNTS)]).amount).toBe('Total');
    expect(guessMapping([...base, rowCurrency, col('Total', AMOUNTS), col('Currency (USD)', AMOUNTS)]).amount).toBe('Total');
  });
  it('never takes as the customer what names no one: yes/no, times, PO numbers, staff, masked cards, a category, a mostly empty column', () => {
    const rows = 30;
    const dates = col('Date', n(rows, (i) => `2023-0${1 + (i % 9)}-1${i % 9}`));
    const total = col('Total', n(rows, (i) => `${10 + i}.50`));
    // By name: "Nouveau client" (Oui/Non) before "Client"; "Customer PO #" before MYOB's "Co./Last Name".
    expect(guessMapping([dates, col('Nouveau client', n(rows, (i) => (i % 3 ? 'Non' : 'Oui'))), col('Client', n(rows, (i) => `K. Client${i % 9}`)), total]).customer).toBe('Client');
    expect(guessMapping([dates, col('Customer PO #', n(rows, (i) => `PO${100 + i}`)), col('Co./Last Name', n(rows, (i) => `Firm ${i % 6}`)), total]).customer).toBe('Co./Last Name');
    // By position, with no column named for the customer (Zettle's purchases): none of these, so none at all.
    const zettle = guessMapping([dates, col('Time', n(rows, (i) => `${10 + (i % 12)}:${10 + i}`)), col('Staff', n(rows, (i) => ['Owner', 'Sophie'][i % 2])), col('Payment method', n(rows, (i) => ['Card', 'Cash', 'Apple Pay'][i % 3])), col('Card number', n(rows, (i) => (i % 3 === 1 ? '' : `**** ${3000 + (i % 7)}`))), col('Reference to original purchase', n(rows, (i) => (i % 10 === 0 ? `R${i}` : ''))), total]);
    expect(zettle.customer).toBeNull();
    // The same with a column of ids: taken.
    expect(guessMapping([dates, col('Time', n(rows, (i) => `${10 + (i % 12)}:${10 + i}`)), col('Shopper', n(rows, (i) => `s${i % 17}`)), total]).customer).toBe('Shopper');
  });
  it('reads prefixed report names and a German document type', () => {
    const base = [col('Account: Account Number', n(24, (i) => `A${i % 7}`)), col('Invoice: Invoice Date', n(24, (i) => `2023-01-${10 + (i % 9)}`)), col('Invoice: Amount', AMOUNTS)];
    const zuora = guessMapping([...base, col('Invoice: Refund Amount', n(24, (i) => (i % 5 ? '0.00' : '3.50'))), col('Account: Currency', n(24, (i) => ['USD', 'EUR'][i % 2]))]);
    expect({ refund: zuora.refund, currency: zuora.currency }).toEqual({ refund: 'Invoice: Refund Amount', currency: 'Account: Currency' });
    const lex = guessMapping([col('Kundennummer', n(24, (i) => `K${i % 5}`)), col('Belegdatum', n(24, (i) => `0${1 + (i % 9)}.03.2023`)), col('Belegtyp', n(24, (i) => (i % 4 ? 'Rechnung' : 'Gutschrift'))), col('Betrag (brutto)', AMOUNTS)]);
    expect(lex.kind).toBe('Belegtyp');
    // A kind of "Credit" alone is a refund's; a payment method's "Credit Card" makes no kind column.
    expect(guessMapping([...base, col('Transaction Type', n(24, (i) => (i % 4 ? 'sale' : 'credit')))]).kind).toBe('Transaction Type');
    expect(guessMapping([...base, col('Type', n(24, (i) => (i % 2 ? 'Credit Card' : 'Debit Card')))]).kind).toBeUndefined();
  });
  it('says when refunds may be in another currency than an amount named for one', () => {
    const columns = ['Order ID', 'Currency', 'Total', 'Total (USD)', 'Refunded Amount', 'Created At'];
    expect(refundCurrencyDoubt({ amount: 'Total (USD)', refund: 'Refunded Amount' }, columns)).toBe('Currency');
    expect(refundCurrencyDoubt({ amount: 'Total (USD)', refund: 'Refunded Amount (USD)' }, [...columns, 'Refunded Amount (USD)'])).toBeNull();
    expect(refundCurrencyDoubt({ amount: 'Total', refund: 'Refunded Amount' }, columns)).toBeNull();
    expect(refundCurrencyDoubt({ amount: 'Total (USD)', refund: 'Refunded Amount' }, columns.filter((c) => c !== 'Currency'))).toBeNull();
    expect(refundCurrencyDoubt({ amount: 'Amount (LCY)', refund: 'Amount Refunded' }, ['Amount (LCY)', 'Amount Refunded', 'Currency Code'])).toBe('Currency Code');
  });
  it('the day a row happened over the day it was last updated (Mailchimp)', () => {
    const m = guessMapping([col('id', n(24, (i) => `o${i}`)), col('customer.email_address', n(24, (i) => `c${i % 5}@x.com`)), col('updated_at_foreign', DAYS), col('processed_at_foreign', DAYS), col('order_total', AMOUNTS)]);
    expect(m.date).toBe('processed_at_foreign');
  });
});

describe('a constant column in the sample', () => {
  const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
  it('is the merchant beside a customer column that varies, and the customer when it is the only one (a file sorted by customer)', () => {
    const adyen = guessMapping([col('Company Account', n(30, () => 'AcmeCom')), col('Booking Date', n(30, (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`)), col('Main Amount', n(30, (i) => `${i}.50`)), col('Shopper Email', n(30, (i) => `s${i % 9}@x.com`))]);
    expect(adyen.customer).toBe('Shopper Email');
    const sorted = guessMapping([col('customer_id', n(30, () => 'heavy')), col('order_date', n(30, (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`)), col('amount', n(30, (i) => `${i}.50`))]);
    expect(sorted.customer).toBe('customer_id');
    // By position: the first column that varies, before a constant one.
    const byPosition = guessMapping([col('Provider', n(30, () => 'APPLE')), col('Title', n(30, (i) => `app ${i % 7}`)), col('Begin Date', n(30, (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`)), col('Proceeds', n(30, (i) => `${i}.50`))]);
    expect(byPosition.customer).toBe('Title');
  });
});

describe('rules that must not overreach', () => {
  const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
  const DAYS = n(30, (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`);
  it('a customer code blank on walk-in sales is not traded for a column filled because it is constant (the till user)', () => {
    const m = guessMapping([col('Date', DAYS), col('Line Type', n(30, (i) => ['Sale', 'Sale Line', 'Payment'][i % 3])), col('Customer Code', n(20, (i) => `hans-kim-${i % 6}`)), col('Total', n(30, (i) => `${i}.50`)), col('User', n(30, () => 'jane'))]);
    expect(m.customer).toBe('Customer Code');
  });
  it("a refund event's own value is not an amount refunded from the row (GA4's ecommerce.refund_value)", () => {
    const m = guessMapping([col('event_date', n(30, (i) => `202401${String(1 + (i % 28)).padStart(2, '0')}`)), col('event_name', n(30, (i) => ['purchase', 'refund', 'view_item'][i % 3])), col('user_pseudo_id', n(30, (i) => `u${i % 5}`)), col('event_value_in_usd', n(30, (i) => `${i}.50`)), col('ecommerce.refund_value', n(10, (i) => `${i}.50`))]);
    expect(m.refund ?? null).toBeNull();
  });
});

describe('ledgers: Sage codes, debit and credit sides, a D/C flag', () => {
  const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
  const DAYS = n(30, (i) => `${String(1 + (i % 28)).padStart(2, '0')}/01/2024`);
  const MONEY30 = n(30, (i) => `${i + 1}.50`);
  it("Sage 50's audit trail: its two-letter Type is the kind, Net the amount (not Amount Paid), Dept and Nominal no quantity", () => {
    const m = guessMapping([
      col('No', n(30, (i) => String(i + 1))),
      col('Type', n(30, (i) => ['SI', 'SR', 'SC', 'PI', 'BR'][i % 5])),
      col('Account', n(30, (i) => `C${100 + (i % 7)}`)),
      col('Nominal', n(30, (i) => ['4000', '1200'][i % 2])),
      col('Dept', n(30, () => '0')),
      col('Date', DAYS),
      col('Net', MONEY30),
      col('Tax', MONEY30),
      col('Amount Paid', n(30, (i) => (i % 3 === 0 ? '0.00' : `${i}.80`))),
    ]);
    expect({ customer: m.customer, amount: m.amount, kind: m.kind, quantity: m.quantity }).toEqual({ customer: 'Account', amount: 'Net', kind: 'Type', quantity: null });
  });
  it('two-letter values are a kind only when every one is a Sage code and a sales invoice is among them', () => {
    const m = guessMapping([col('Type', n(30, (i) => ['SI', 'XL', 'SC'][i % 3])), col('Account', n(30, (i) => `C${i % 7}`)), col('Date', DAYS), col('Net', MONEY30)]);
    expect(m.kind ?? null).toBeNull();
    const noInvoice = guessMapping([col('Type', n(30, (i) => ['SR', 'SC'][i % 2])), col('Account', n(30, (i) => `C${i % 7}`)), col('Date', DAYS), col('Net', MONEY30)]);
    expect(noInvoice.kind ?? null).toBeNull();
  });
  it('Debit Amount is the amount and Credit Amount is subtracted, whichever comes first; Soll and Haben too', () => {
    const blanks = (k: number) => n(k, (i) => `${i + 2}.25`);
    const bc = guessMapping([col('Posting Date', DAYS), col('Customer No.', n(30, (i) => `C${i % 7}`)), col('Credit Amount', blanks(9)), col('Debit Amount', blanks(21))]);
    expect({ amount: bc.amount, refund: bc.refund }).toEqual({ amount: 'Debit Amount', refund: 'Credit Amount' });
    const de = guessMapping([col('Buchungsdatum', DAYS), col('Debitorennr.', n(30, (i) => `D${i % 7}`)), col('Soll', blanks(21)), col('Haben', blanks(9))]);
    expect({ amount: de.amount, refund: de.refund }).toEqual({ amount: 'Soll', refund: 'Haben' });
    // A signed Amount beside them is read as it is.
    const signed = guessMapping([col('Posting Date', DAYS), col('Customer No.', n(30, (i) => `C${i % 7}`)), col('Amount', MONEY30), col('Debit Amount', blanks(21)), col('Credit Amount', blanks(9))]);
    expect({ amount: signed.amount, refund: signed.refund ?? null }).toEqual({ amount: 'Amount', refund: null });
  });
  it('two columns named alike but for debit and credit are a ledger\'s two sides; cards, notes and limits are not', () => {
    for (const [a, b] of [['Gross Debit (GC)', 'Gross Credit (GC)'], ['Debit Amount (Two Column Approach)', 'Credit Amount (Two Column Approach)'], ['Betrag Soll', 'Betrag Haben'], ['Net Credit (NC)', 'Net Debit (NC)'], ['Dr Amount', 'Cr Amount'], ['Débit', 'Crédit']]) {
      expect(ledgerSides(a, b), `${a} / ${b}`).toBe(true);
      expect(readsDebitAndCredit({ amount: a, refund: b }), `${a} / ${b}`).toBe(true);
    }
    for (const [a, b] of [['Debit Card Sales', 'Credit Card Sales'], ['Credit Note Amount', 'Debit Note Amount'], ['Credit Limit', 'Debit Limit'], ['Gross Debit (GC)', 'Net Credit (NC)'], ['Gross Debit (GC)', 'Gross Debit (GC)'], ['Amount', 'Refund']]) {
      expect(ledgerSides(a, b), `${a} / ${b}`).toBe(false);
    }
  });
  it("a settlement report's Gross Debit is read with its Gross Credit; an Exchange Rate or an Attempt Count is no quantity", () => {
    const m = guessMapping([
      col('Creation Date', n(30, (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`)),
      col('Type', n(30, (i) => (i % 6 === 0 ? 'Refunded' : 'Settled'))),
      col('Gross Debit (GC)', n(30, (i) => (i % 6 === 0 ? `${i + 1}.50` : ''))),
      col('Gross Credit (GC)', n(30, (i) => (i % 6 === 0 ? '' : `${i + 1}.50`))),
      col('Exchange Rate', n(30, () => '1')),
      col('Attempt Count', n(30, (i) => String(1 + (i % 3)))),
      col('Shopper Reference', n(30, (i) => `S${i % 7}`)),
    ]);
    // The guess takes the debit side first; the whole file settles which side is the sale (wholeFileEvidence.ts).
    expect({ amount: m.amount, refund: m.refund, quantity: m.quantity }).toEqual({ amount: 'Gross Debit (GC)', refund: 'Gross Credit (GC)', quantity: null });
  });
  it('a D/C or Dr/Cr flag beside an unsigned amount is the kind; a column of other letters is not', () => {
    for (const [name, flags] of [['D/C', ['D', 'C']], ['Dr/Cr', ['Dr', 'Cr']], ['S/H', ['S', 'H']]] as const) {
      const m = guessMapping([col('Date', DAYS), col('Customer Account', n(30, (i) => `C${i % 7}`)), col('Amount', MONEY30), col(name, n(30, (i) => flags[i % 5 === 0 ? 1 : 0]))]);
      expect(m.kind, name).toBe(name);
    }
    const other = guessMapping([col('Date', DAYS), col('Customer Account', n(30, (i) => `C${i % 7}`)), col('Amount', MONEY30), col('D/C', n(30, (i) => ['D', 'X'][i % 2]))]);
    expect(other.kind ?? null).toBeNull();
  });
});

describe('an order number written with a full stop', () => {
  it('"Invoice No." is the order, as "Invoice No" is', () => {
    const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
    const m = guessMapping([col('Customer No.', n(30, (i) => `C${i % 7}`)), col('Invoice No.', n(30, (i) => `INV-${1000 + i}`)), col('Invoice Date', n(30, (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`)), col('Gross Amount', n(30, (i) => `${i}.50`))]);
    expect(m.order).toBe('Invoice No.');
  });
});

describe('platform exports: fees beside the money, refund and test flags', () => {
  const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
  const DAYS = n(30, (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`);
  const MONEY30 = n(30, (i) => `${i + 1}.50`);
  const YESNO = n(30, (i) => (i % 7 === 0 ? 'true' : 'false'));
  it('beside a fee column, what the buyer paid wins over the net the seller kept; a net of discounts still wins over gross', () => {
    const gumroad = guessMapping([col('Purchase Email', n(30, (i) => `b${i % 9}@x.com`)), col('Purchase Date', DAYS), col('Sale Price ($)', MONEY30), col('Fees ($)', MONEY30), col('Net Total ($)', MONEY30)]);
    expect(gumroad.amount).toBe('Sale Price ($)');
    const paypal = guessMapping([col('Date', DAYS), col('From Email Address', n(30, (i) => `b${i % 9}@x.com`)), col('Net', MONEY30), col('Fee', MONEY30), col('Gross', MONEY30)]);
    expect(paypal.amount).toBe('Gross');
    const square = guessMapping([col('Date', DAYS), col('Customer ID', n(30, (i) => `c${i % 9}`)), col('Gross Sales', MONEY30), col('Net Sales', MONEY30), col('Fees', MONEY30), col('Net Total', MONEY30)]);
    expect(square.amount).toBe('Net Sales');
    // Without fees a net column is read as before (Sage's Net beside Tax).
    expect(guessMapping([col('Account', n(30, (i) => `c${i % 9}`)), col('Date', DAYS), col('Net', MONEY30), col('Tax', MONEY30)]).amount).toBe('Net');
  });
  it('"Fully Refunded?" is a status of two values; a bare "Refunded?" (set for partial refunds too) is not', () => {
    const full = guessMapping([col('Purchase Email', n(30, (i) => `b${i % 9}@x.com`)), col('Purchase Date', DAYS), col('Sale Price ($)', MONEY30), col('Refunded?', YESNO), col('Fully Refunded?', YESNO)]);
    expect(full.status).toBe('Fully Refunded?');
    const bare = guessMapping([col('Purchase Email', n(30, (i) => `b${i % 9}@x.com`)), col('Purchase Date', DAYS), col('Sale Price ($)', MONEY30), col('Refunded?', YESNO)]);
    expect(bare.status ?? null).toBeNull();
  });
  it('a yes/no test or authorization column is the test flag (Test Mode, livemode, Pre-order authorization?); other yes/no columns are not', () => {
    for (const name of ['Test Mode', 'livemode', 'Pre-order authorization?', 'is_test']) {
      const m = guessMapping([col('Customer Email', n(30, (i) => `b${i % 9}@x.com`)), col('Created At', DAYS), col('Total', MONEY30), col(name, YESNO)]);
      expect(m.testFlag, name).toBe(name);
    }
    const other = guessMapping([col('Customer Email', n(30, (i) => `b${i % 9}@x.com`)), col('Created At', DAYS), col('Total', MONEY30), col('Recurring Charge?', YESNO), col('Test Mode', n(30, (i) => `note ${i}`))]);
    expect(other.testFlag ?? null).toBeNull();
  });
  it('a yes/no cancelled column is the flag too (Cancelled, is_canceled, Storniert, SAP\'s CANCELED with Y/N/C); a cancellation date is not', () => {
    for (const [name, values] of [['Cancelled', YESNO], ['is_canceled', YESNO], ['Storniert', n(30, (i) => (i % 4 ? 'nein' : 'ja'))], ['CANCELED', n(30, (i) => 'NYC'[i % 3])]] as const) {
      const m = guessMapping([col('Customer Email', n(30, (i) => `b${i % 9}@x.com`)), col('Created At', DAYS), col('Total', MONEY30), col(name, [...values])]);
      expect(m.testFlag, name).toBe(name);
    }
    const dated = guessMapping([col('Customer Email', n(30, (i) => `b${i % 9}@x.com`)), col('Created At', DAYS), col('Total', MONEY30), col('Cancelled at', n(30, (i) => (i % 5 ? '' : DAYS[i])))]);
    expect(dated.testFlag ?? null).toBeNull();
    // C alone is no yes/no column.
    const letters = guessMapping([col('Customer Email', n(30, (i) => `b${i % 9}@x.com`)), col('Created At', DAYS), col('Total', MONEY30), col('Cancelled', n(30, () => 'C'))]);
    expect(letters.testFlag ?? null).toBeNull();
  });
  it("SAP Business One's ObjType is the kind column when every value is an object code and an A/R invoice (13) is among them", () => {
    const sap = (values: string[]) => guessMapping([col('DocEntry', n(30, (i) => String(i + 1)), 'BIGINT'), col('ObjType', values, 'BIGINT'), col('DocDate', DAYS), col('CardCode', n(30, (i) => `C${i % 9}`)), col('DocTotal', MONEY30)]);
    const m = sap(n(30, (i) => ['13', '13', '14', '17', '15'][i % 5]));
    expect(m.kind).toBe('ObjType');
    expect(m.quantity ?? null).toBeNull();
    expect(sap(n(30, (i) => ['17', '15'][i % 2])).kind ?? null).toBeNull();
    expect(sap(n(30, (i) => ['13', '99'][i % 2])).kind ?? null).toBeNull();
  });
});

describe('accounting and POS exports from the third hunt', () => {
  const n = (k: number, f: (i: number) => string) => Array.from({ length: k }, (_, i) => f(i));
  const DAYS = n(60, (i) => `2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`);
  const MONEY60 = n(60, (i) => `${i + 3}.25`);
  it('the customer is never a date, a payout, settlement, shipment or checkout, nor a ledger account', () => {
    const payouts = guessMapping([col('Transaction Date', DAYS), col('Payout Date', n(60, (i) => DAYS[(i * 7) % 60])), col('Payout ID', n(60, (i) => `po_${i}`)), col('Checkout', n(60, (i) => `c${i}`)), col('Amount', MONEY60)]);
    expect(payouts.customer).toBeNull();
    const ledger = guessMapping([col('Date', DAYS), col('Account', n(60, (i) => (i % 2 ? 'Accounts Receivable (A/R)' : 'Undeposited Funds'))), col('Amount', MONEY60)]);
    expect(ledger.customer).toBeNull();
  });
  it('a handful of values named as the customer gives way to a column with many (NetSuite: Account beside Name)', () => {
    const m = guessMapping([col('Date', DAYS), col('Name', n(60, (i) => `CUST000${i % 30} Firm ${i % 30}`)), col('Account', n(60, (i) => ['11000 Accounts Payable Clearing', 'Deferred', 'Misc'][i % 3])), col('Amount', MONEY60)]);
    expect(m.customer).toBe('Name');
  });
  it("the customer by its names in ERPs: Business Central's Verk. an Deb.-Nr., SAP's CardCode, Exact's Debiteur", () => {
    for (const name of ['Verk. an Deb.-Nr.', 'CardCode', 'Debiteur']) {
      const m = guessMapping([col('Belegnr.', n(60, (i) => `VR22-${1000 + Math.floor(i / 2)}`)), col(name, n(60, (i) => `K${i % 17}`)), col('Datum', DAYS), col('Total', MONEY60)]);
      expect(m.customer, name).toBe(name);
    }
  });
  it('a customer blank on the further lines of a document, as its date is (Odoo), is still the customer', () => {
    const blankEvery = (values: string[]) => values.map((v, i) => (i % 3 === 0 ? v : ''));
    const m = guessMapping([col('Number', blankEvery(n(60, (i) => `INV/2022/${i}`))), col('Partner', blankEvery(n(60, (i) => `Firm ${i % 9}`))), col('Invoice Date', blankEvery(DAYS)), col('Total', blankEvery(MONEY60))]);
    expect(m.customer).toBe('Partner');
  });
  it("the amount: tax in over tax out and a unit price by its German and Dutch names; Square's Net Sales stays the amount (tax and tip are not the shop's sales) and its PAN Suffix is no quantity", () => {
    const square = guessMapping([col('Date', DAYS), col('Customer ID', n(60, (i) => `C${i % 9}`)), col('Gross Sales', MONEY60), col('Net Sales', MONEY60), col('Total Collected', MONEY60), col('PAN Suffix', n(60, (i) => String(1000 + i)))]);
    expect({ amount: square.amount, quantity: square.quantity }).toEqual({ amount: 'Net Sales', quantity: null });
    const bc = guessMapping([col('Kunde', n(60, (i) => `K${i % 9}`)), col('Buchungsdatum', DAYS), col('VK-Preis ohne MwSt.', MONEY60), col('Zeilenbetrag ohne MwSt.', MONEY60), col('Betrag inkl. MwSt.', MONEY60)]);
    expect(bc.amount).toBe('Betrag inkl. MwSt.');
    const nl = guessMapping([col('Debiteur', n(60, (i) => `D${i % 9}`)), col('Factuurdatum', DAYS), col('Bedrag excl. btw', MONEY60), col('Bedrag incl. btw', MONEY60)]);
    expect(nl.amount).toBe('Bedrag incl. btw');
    const sevdesk = guessMapping([col('Kundennummer', n(60, (i) => String(1000 + (i % 9)))), col('Rechnungsdatum', DAYS), col('Netto', MONEY60), col('Steuer', MONEY60), col('Brutto', MONEY60)]);
    expect(sevdesk.amount).toBe('Brutto');
  });
  it("Odoo's invoice list: the document's Status over its Payment Status, and Total (beside Total in Currency) in the company's currency", () => {
    const m = guessMapping([
      col('Number', n(60, (i) => `INV/2022/${i}`)),
      col('Customer', n(60, (i) => `Firm ${i % 9}`)),
      col('Invoice Date', DAYS),
      col('Due Date', DAYS),
      col('Total', MONEY60),
      col('Total in Currency', MONEY60),
      col('Currency', n(60, (i) => (i % 10 ? 'USD' : 'EUR'))),
      col('Payment Status', n(60, (i) => (i % 3 ? 'Paid' : 'Not Paid'))),
      col('Status', n(60, (i) => (i % 7 ? 'Posted' : 'Draft'))),
    ]);
    expect({ amount: m.amount, status: m.status, currency: m.currency ?? null }).toEqual({ amount: 'Total', status: 'Status', currency: null });
    // Not a list of invoices (no due date): the payment's status, as before.
    const orders = guessMapping([col('Order', n(60, (i) => `#${i}`)), col('Customer', n(60, (i) => `Firm ${i % 9}`)), col('Date', DAYS), col('Total', MONEY60), col('Payment Status', n(60, (i) => (i % 3 ? 'Paid' : 'Pending'))), col('Status', n(60, () => 'Completed'))]);
    expect(orders.status).toBe('Payment Status');
  });
  it("SAP's ObjType and DocEntry are no quantity; WooCommerce's Order Refund is the refunded amount", () => {
    const sap = guessMapping([col('DocEntry', n(60, (i) => String(i + 1))), col('ObjType', n(60, (i) => (i % 5 ? '13' : '14'))), col('CardCode', n(60, (i) => `C${i % 9}`)), col('DocDate', DAYS), col('DocTotal', MONEY60)]);
    expect(sap.quantity).toBeNull();
    const woo = guessMapping([col('Order Date', DAYS), col('Billing Email', n(60, (i) => `b${i % 9}@example.com`)), col('Order Total', MONEY60), col('Order Refund', n(60, (i) => (i % 7 ? '0.00' : '2.50')))]);
    expect(woo.refund).toBe('Order Refund');
  });
});
