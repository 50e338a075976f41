/**
 * Deterministic generators of transaction files shaped like the exports people actually drop
 * (issue 9 §5), each from the public column documentation of its source, cited per generator.
 *
 * Every generator returns the file's bytes together with its own list of logical transactions
 * (customer, calendar day, signed amount in cents) written down while the file was generated, so a
 * reference can be computed without reading the file back. It also says which columns a careful
 * analyst maps, which rows a person would drop anyway (no customer, a failed payment, the extra
 * line-item rows of an order whose money sits on its first row) and the money semantics it chose.
 */
import { Rng } from '../../src/core/random';
import { Builder, DAY_S, alnum, clock, dollars, dot, fixture, fromDay, grouped, hex, pad2, pandasFloat, person, pick, price, toDay, visits, ymd, type ExportFixture } from './exportBuilder';

export { fromDay, toDay, type ExportFixture, type ExpectedMapping, type LogicalTransaction } from './exportBuilder';

// ---------------------------------------------------------------------------------------------
// Shopify

/**
 * Shopify admin → Orders → Export → "Plain CSV file" (Shopify Help Center, "Exporting orders":
 * help.shopify.com/en/manual/fulfillment/managing-orders/exporting-orders). One row per line item;
 * order-level fields (Financial Status, Paid at, Currency, Subtotal, Shipping, Taxes, Total,
 * discounts, billing, payment, Id…) only on the first row of an order, while Name, Email,
 * Created at and the Lineitem columns repeat on every row. Timestamps are local time with the
 * shop's UTC offset ("2023-01-05 10:15:00 -0500"); the billing zip is written with a leading
 * apostrophe. POS orders without an email have no customer.
 *
 * Money: an order's spend is its Total (what the customer paid: subtotal after discounts, plus
 * shipping and taxes), read from the order's first row. Shipping and taxes are not zero, so
 * Subtotal and the sum of line items are different (wrong) answers. Every order is paid and nothing
 * is refunded (the engine has no rule for Financial Status or Refunded Amount, and issue 9 asks
 * for none).
 */
export function shopifyOrders(seed = 9101): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Accepts Marketing', 'Currency', 'Subtotal',
    'Shipping', 'Taxes', 'Total', 'Discount Code', 'Discount Amount', 'Shipping Method', 'Created at', 'Lineitem quantity', 'Lineitem name',
    'Lineitem price', 'Lineitem compare at price', 'Lineitem sku', 'Lineitem requires shipping', 'Lineitem taxable', 'Lineitem fulfillment status',
    'Billing Name', 'Billing City', 'Billing Zip', 'Billing Country', 'Notes', 'Payment Method', 'Refunded Amount', 'Vendor', 'Id', 'Tags',
    'Risk Level', 'Source', 'Lineitem discount',
  ];
  const b = new Builder(header);
  const products = [
    ['Organic Cotton Tee', 2400, 'TEE-ORG'], ['Wool Beanie', 1800, 'BEANIE-W'], ['Canvas Tote Bag', 1500, 'TOTE-CNV'], ['Ceramic Mug, 12oz', 1400, 'MUG-12'],
    ['Hoodie - Forest Green', 5400, 'HOOD-FG'], ['Sticker Pack', 600, 'STK-PK'], ['Denim Jacket', 8900, 'JKT-DNM'], ['Socks (3 pairs)', 1200, 'SOCK-3'],
  ] as const;
  const people = Array.from({ length: 240 }, (_, i) => person(rng, i));
  const cities = [['Boston', "'02134", 'US'], ['Portland', "'97201", 'US'], ['Austin', "'73301", 'US'], ['Toronto', 'M5V 2T6', 'CA']] as const;
  let orderNo = 1001;
  for (const v of visits(rng, people.length, '2022-01-03', '2023-12-29', 60, 0.7)) {
    const p = people[v.customer];
    const pos = rng.uniform() < 0.015;
    const { y, m, d } = ymd(v.day);
    const offset = m >= 4 && m <= 10 ? '-0400' : '-0500';
    const created = `${y}-${pad2(m)}-${pad2(d)} ${clock(v.seconds)} ${offset}`;
    const fulfilled = ymd(v.day + 1 + rng.int(3));
    const lines = rng.permutation(products.length).slice(0, 1 + rng.int(4));
    const items = Array.from(lines, (k) => ({ product: products[k], qty: 1 + (rng.uniform() < 0.25 ? rng.int(3) : 0) }));
    const lineSum = items.reduce((s, it) => s + it.qty * it.product[1], 0);
    const discount = rng.uniform() < 0.15 ? Math.round(lineSum * 0.1) : 0;
    const subtotal = lineSum - discount;
    const shipping = subtotal >= 5000 || pos ? 0 : 599;
    const taxes = Math.round((subtotal + shipping) * 0.0625);
    const total = subtotal + shipping + taxes;
    const name = `#${orderNo++}`;
    const email = pos ? '' : p.email;
    const city = cities[v.customer % cities.length];
    items.forEach((it, i) => {
      const common = {
        Name: name,
        Email: email,
        'Created at': created,
        'Lineitem quantity': String(it.qty),
        'Lineitem name': it.product[0],
        'Lineitem price': dot(it.product[1]),
        'Lineitem compare at price': '',
        'Lineitem sku': it.product[2],
        'Lineitem requires shipping': 'true',
        'Lineitem taxable': 'true',
        'Lineitem fulfillment status': 'fulfilled',
        Vendor: 'Northwind Apparel',
        'Lineitem discount': '0.00',
      };
      const first: Record<string, string> =
        i === 0
          ? {
              'Financial Status': 'paid',
              'Paid at': created,
              'Fulfillment Status': 'fulfilled',
              'Fulfilled at': `${fulfilled.y}-${pad2(fulfilled.m)}-${pad2(fulfilled.d)} 09:12:44 ${offset}`,
              'Accepts Marketing': rng.uniform() < 0.4 ? 'yes' : 'no',
              Currency: 'USD',
              Subtotal: dot(subtotal),
              Shipping: dot(shipping),
              Taxes: dot(taxes),
              Total: dot(total),
              'Discount Code': discount > 0 ? 'WELCOME10' : '',
              'Discount Amount': dot(discount),
              'Shipping Method': pos ? '' : 'Standard',
              'Billing Name': pos ? '' : p.name,
              'Billing City': city[0],
              'Billing Zip': city[1],
              'Billing Country': city[2],
              'Payment Method': pos ? 'Cash' : 'Shopify Payments',
              'Refunded Amount': '0.00',
              Id: String(5_012_345_678_901 + orderNo * 7919),
              Tags: '',
              'Risk Level': 'Low',
              Source: pos ? 'pos' : 'web',
            }
          : {};
      b.row({ ...common, ...first }, { droppable: i > 0, noCustomer: pos });
    });
    if (!pos) b.money(p.email, v.day, total);
  }
  return fixture(b, {
    name: 'Shopify orders export',
    fileName: 'orders_export_1.csv',
    cutoff: '2023-06-30',
    expected: { customer: 'Email', date: ['Created at', 'Paid at'], amount: ['Total'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: "Total of the order's first row (subtotal after discounts + shipping + taxes)",
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// WooCommerce

/**
 * WooCommerce "Customer / Order / Coupon Export", default CSV format, one row per order
 * (woocommerce.com/document/ordercustomer-csv-exporter/ → "Order CSV columns"): order_id,
 * order_number, order_date ("Y-m-d H:i:s", shop time), status, the *_total money columns
 * (shipping_total before order_total), customer_id, billing_* fields and line_items packed as
 * "name:…|sku:…|quantity:…|total:…" joined by ";".
 *
 * Money: order_total (items after discounts + shipping + tax), what the customer paid; statuses are
 * completed and processing only and refunded_total is 0.00 (no rule for refunds or statuses).
 */
export function wooCommerceOrders(seed = 9102): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'order_id', 'order_number', 'order_date', 'status', 'shipping_total', 'shipping_tax_total', 'fee_total', 'fee_tax_total', 'tax_total',
    'cart_discount', 'order_discount', 'discount_total', 'order_total', 'refunded_total', 'order_currency', 'payment_method', 'shipping_method',
    'customer_id', 'billing_first_name', 'billing_last_name', 'billing_company', 'billing_email', 'billing_phone', 'billing_address_1',
    'billing_postcode', 'billing_city', 'billing_country', 'customer_note', 'line_items', 'shipping_items', 'coupon_items',
  ];
  const b = new Builder(header);
  const products = [
    ['Blue Mug, Large', 'MUG-BLU-L', 1200], ['Tea Sampler', 'TEA-SMP', 1850], ['Loose Leaf Earl Grey 100g', 'TEA-EG100', 695],
    ['Infuser', 'INF-01', 450], ['Gift Box', 'GIFT-BOX', 3500],
  ] as const;
  const ids = new Set<number>();
  while (ids.size < 260) ids.add(2 + rng.int(5000));
  const customerIds = [...ids];
  const people = customerIds.map((id) => person(rng, id, 'mail.co.uk'));
  let orderId = 1380;
  for (const v of visits(rng, customerIds.length, '2022-03-01', '2024-02-28', 45, 0.72)) {
    const p = people[v.customer];
    const id = customerIds[v.customer];
    const lines = Array.from(rng.permutation(products.length).slice(0, 1 + rng.int(3)), (k) => ({ p: products[k], q: 1 + rng.int(2) }));
    const items = lines.reduce((s, l) => s + l.q * l.p[2], 0);
    const discount = rng.uniform() < 0.2 ? Math.round(items * 0.15) : 0;
    const shipping = items - discount >= 4000 ? 0 : 395;
    const tax = Math.round((items - discount + shipping) * 0.2);
    const total = items - discount + shipping + tax;
    const { y, m, d } = ymd(v.day);
    orderId += 1 + rng.int(3);
    b.row({
      order_id: String(orderId),
      order_number: String(orderId),
      order_date: `${y}-${pad2(m)}-${pad2(d)} ${clock(v.seconds)}`,
      status: rng.uniform() < 0.9 ? 'completed' : 'processing',
      shipping_total: dot(shipping),
      shipping_tax_total: '0.00',
      fee_total: '0.00',
      fee_tax_total: '0.00',
      tax_total: dot(tax),
      cart_discount: dot(discount),
      order_discount: '0.00',
      discount_total: dot(discount),
      order_total: dot(total),
      refunded_total: '0.00',
      order_currency: 'GBP',
      payment_method: rng.uniform() < 0.7 ? 'stripe' : 'paypal',
      shipping_method: shipping === 0 ? 'Free shipping' : 'Royal Mail 2nd Class',
      customer_id: String(id),
      billing_first_name: p.first,
      billing_last_name: p.last,
      billing_company: '',
      billing_email: p.email,
      billing_phone: `07${String(100_000_000 + id * 37).slice(0, 9)}`,
      billing_address_1: `${1 + (id % 120)} High Street`,
      billing_postcode: 'SW1A 1AA',
      billing_city: 'London',
      billing_country: 'GB',
      customer_note: '',
      line_items: lines.map((l, i) => `id:${orderId * 10 + i}|name:${l.p[0]}|sku:${l.p[1]}|quantity:${l.q}|total:${dot(l.q * l.p[2])}`).join(';'),
      shipping_items: `method:${shipping === 0 ? 'free_shipping' : 'flat_rate'}|total:${dot(shipping)}`,
      coupon_items: discount > 0 ? `code:spring15|amount:${dot(discount)}` : '',
    });
    b.money(String(id), v.day, total);
  }
  return fixture(b, {
    name: 'WooCommerce orders export',
    fileName: 'woocommerce-orders-export.csv',
    cutoff: '2023-08-31',
    expected: { customer: 'customer_id', date: ['order_date'], amount: ['order_total'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'order_total (items after discounts + shipping + tax)',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// Stripe

/**
 * Stripe charges as the API and Sigma give them (docs.stripe.com/api/charges/object): id
 * ("ch_…"), amount / amount_captured / amount_refunded in the smallest currency unit (cents),
 * captured, created (Unix epoch seconds, UTC), currency (lower-case ISO code), customer ("cus_…",
 * empty for a guest card payment), failure_code, paid, refunded, status (succeeded | failed).
 *
 * Money: what a succeeded charge brought in, in the currency's major unit: amount ÷ 100 (USD has
 * two decimals) on the charge's UTC day, less amount_refunded ÷ 100 on the same day (the export
 * carries no refund date). A fully refunded charge nets to zero because of a refund, so by issue
 * 9 §3 it is not a purchase; a failed charge moved no money and is no purchase at all.
 */
export function stripePayments(seed = 9103): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'id', 'amount', 'amount_captured', 'amount_refunded', 'captured', 'created', 'currency', 'customer', 'description', 'failure_code', 'paid',
    'payment_method_details_type', 'receipt_email', 'refunded', 'status',
  ];
  const b = new Builder(header);
  const customers = Array.from({ length: 200 }, (_, i) => ({ id: `cus_${alnum(rng, 14, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`, email: person(rng, i).email }));
  const plans = [1900, 2900, 4900, 9900];
  for (const v of visits(rng, customers.length, '2022-06-01', '2024-05-31', 30, 0.8)) {
    const c = customers[v.customer];
    const guest = rng.uniform() < 0.03;
    const amount = rng.uniform() < 0.7 ? pick(rng, plans) : price(rng, 35);
    const r = rng.uniform();
    const failed = r < 0.06;
    const refund = failed ? 0 : r < 0.11 ? amount : r < 0.15 ? Math.round(amount * (0.2 + 0.5 * rng.uniform())) : 0;
    // Epoch seconds for the visit's moment in UTC: the day is the UTC calendar day.
    const created = v.day * DAY_S + v.seconds;
    b.row(
      {
        id: `ch_3${alnum(rng, 23, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
        amount: String(amount),
        amount_captured: String(failed ? 0 : amount),
        amount_refunded: String(refund),
        captured: failed ? 'false' : 'true',
        created: String(created),
        currency: 'usd',
        customer: guest ? '' : c.id,
        description: amount === 1900 || amount === 2900 || amount === 4900 || amount === 9900 ? 'Subscription update' : `Payment for Invoice ${alnum(rng, 8)}-0001`,
        failure_code: failed ? pick(rng, ['card_declined', 'insufficient_funds', 'expired_card']) : '',
        paid: failed ? 'false' : 'true',
        payment_method_details_type: 'card',
        receipt_email: guest ? '' : c.email,
        refunded: refund === amount && !failed ? 'true' : 'false',
        status: failed ? 'failed' : 'succeeded',
      },
      { noCustomer: guest, droppable: failed },
    );
    if (guest || failed) continue;
    b.money(c.id, v.day, amount);
    if (refund > 0) b.money(c.id, v.day, -refund);
  }
  return fixture(b, {
    name: 'Stripe payments (epoch seconds, cents)',
    fileName: 'stripe_charges.csv',
    cutoff: '2023-11-30',
    expected: { customer: 'customer', date: ['created'], amount: ['amount', 'amount_captured'], dateFormats: ['epoch_s'], decimalSeparator: '.' },
    money: 'amount ÷ 100 for succeeded charges, less amount_refunded ÷ 100 the same day; failed charges are no purchase',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// Square

/**
 * Square Dashboard → Transactions → Export "Transactions CSV" (Square Support Center, "Export
 * transaction and item details"): Date, Time, Time Zone, then money columns written with a
 * currency sign ("$12.50", refunds "-$12.50"): Gross Sales, Discounts, Service Charges, Net Sales,
 * Gift Card Sales, Tax, Tip, Partial Refunds, Total Collected, …, Fees, Net Total, Transaction ID,
 * Payment ID, …, Description ("1 x Latte, 1 x Croissant"), Event Type (Payment | Refund), Location,
 * Customer ID (26 characters, empty for walk-ins, about a third of payments), Customer Name, ….
 *
 * Money: sales, not what the till collected: Net Sales = Gross Sales − Discounts (no discounts are
 * given, so Gross Sales holds the same values); Tax and Tip are not the customer's spend with the
 * shop. A refund is its own row with negative amounts, on the day it happened.
 */
export function squareTransactions(seed = 9104): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'Date', 'Time', 'Time Zone', 'Gross Sales', 'Discounts', 'Service Charges', 'Net Sales', 'Gift Card Sales', 'Tax', 'Tip', 'Partial Refunds',
    'Total Collected', 'Source', 'Card', 'Card Entry Methods', 'Cash', 'Square Gift Card', 'Other Tender', 'Other Tender Type', 'Other Tender Note',
    'Fees', 'Net Total', 'Transaction ID', 'Payment ID', 'Card Brand', 'PAN Suffix', 'Device Name', 'Staff Name', 'Staff ID', 'Details',
    'Description', 'Event Type', 'Location', 'Dining Option', 'Customer ID', 'Customer Name', 'Customer Reference ID', 'Device Nickname',
    'Deposit ID', 'Deposit Date', 'Deposit Details', 'Fee Percentage Rate', 'Fee Fixed Rate', 'Refund Reason', 'Discount Name',
    'Transaction Status', 'Cash App', 'Order Reference ID', 'Fulfillment Note', 'Free Processing Applied', 'Channel',
  ];
  const b = new Builder(header);
  const menu = [['Latte', 475], ['Cappuccino', 450], ['Croissant', 395], ['Bagel', 325], ['Cold Brew', 525], ['Muffin', 350]] as const;
  const customers = Array.from({ length: 180 }, (_, i) => ({ id: alnum(rng, 26, 'ABCDEFGHJKMNPQRSTVWXYZ0123456789'), name: person(rng, i).name }));
  const refundsDue: { customer: number; day: number; cents: number; description: string }[] = [];
  const write = (day: number, seconds: number, customer: number | null, net: number, description: string, refund: boolean) => {
    const { y, m, d } = ymd(day);
    const tax = refund ? -Math.round(Math.abs(net) * 0.08875) : Math.round(net * 0.08875);
    const tip = refund || rng.uniform() < 0.5 ? 0 : Math.round(net * 0.15);
    const total = net + tax + tip;
    const cash = !refund && rng.uniform() < 0.2;
    const fees = cash ? 0 : -Math.round(Math.abs(total) * 0.026 + 10) * Math.sign(total);
    const c = customer === null ? null : customers[customer];
    b.row(
      {
        Date: `${y}-${pad2(m)}-${pad2(d)}`,
        Time: clock(seconds),
        'Time Zone': 'Eastern Time (US & Canada)',
        'Gross Sales': dollars(net),
        Discounts: dollars(0),
        'Service Charges': dollars(0),
        'Net Sales': dollars(net),
        'Gift Card Sales': dollars(0),
        Tax: dollars(tax),
        Tip: dollars(tip),
        'Partial Refunds': dollars(0),
        'Total Collected': dollars(total),
        Source: 'Point of Sale',
        Card: dollars(cash ? 0 : total),
        'Card Entry Methods': cash ? '' : 'Contactless',
        Cash: dollars(cash ? total : 0),
        'Square Gift Card': dollars(0),
        'Other Tender': dollars(0),
        Fees: dollars(fees),
        'Net Total': dollars(total + fees),
        'Transaction ID': alnum(rng, 28, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
        'Payment ID': alnum(rng, 28, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
        'Card Brand': cash ? '' : pick(rng, ['Visa', 'MasterCard', 'American Express']),
        'PAN Suffix': cash ? '' : String(1000 + rng.int(9000)),
        'Device Name': 'Counter 1',
        'Staff Name': pick(rng, ['Dana Cole', 'Sam Ortiz']),
        Details: 'https://squareup.com/dashboard/sales/transactions',
        Description: description,
        'Event Type': refund ? 'Refund' : 'Payment',
        Location: 'Main Street Café',
        'Dining Option': pick(rng, ['For Here', 'To Go']),
        'Customer ID': c ? c.id : '',
        'Customer Name': c ? c.name : '',
        'Fee Percentage Rate': cash ? '0' : '2.6',
        'Fee Fixed Rate': cash ? '$0.00' : '$0.10',
        'Refund Reason': refund ? 'Returned goods' : '',
        'Transaction Status': 'Complete',
        'Free Processing Applied': 'false',
        Channel: 'Main Street Café',
      },
      { noCustomer: c === null },
    );
    if (c) b.money(c.id, day, net);
  };
  const all = visits(rng, customers.length + 120, '2023-01-02', '2024-06-28', 12, 0.9);
  let pending = 0;
  for (const v of all) {
    // Refunds fall due on their day, before that day's payments.
    while (pending < refundsDue.length && refundsDue[pending].day <= v.day) {
      const r = refundsDue[pending++];
      write(r.day, 6 * 3600 + 60 * pending, r.customer < customers.length ? r.customer : null, -r.cents, r.description, true);
    }
    const items = Array.from(rng.permutation(menu.length).slice(0, 1 + rng.int(3)), (k) => ({ item: menu[k], qty: 1 + (rng.uniform() < 0.2 ? 1 : 0) }));
    const net = items.reduce((s, it) => s + it.qty * it.item[1], 0);
    const description = items.map((it) => `${it.qty} x ${it.item[0]}`).join(', ');
    // Customers beyond the directory are walk-ins: no Customer ID.
    const known = v.customer < customers.length;
    write(v.day, v.seconds, known ? v.customer : null, net, description, false);
    if (rng.uniform() < 0.04) {
      const later = rng.uniform() < 0.3 ? v.day : v.day + 1 + rng.int(20);
      refundsDue.push({ customer: v.customer, day: later, cents: net, description });
      refundsDue.sort((a, c) => a.day - c.day);
    }
  }
  return fixture(b, {
    name: 'Square transactions export',
    fileName: 'transactions-2023-01-01-2024-07-01.csv',
    cutoff: '2023-12-31',
    expected: { customer: 'Customer ID', date: ['Date'], amount: ['Net Sales', 'Gross Sales'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'Net Sales (= Gross Sales here); tax and tips excluded; refunds are negative rows',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// PayPal

/**
 * PayPal → Activity → Statements → "Activity download", CSV, all transactions (PayPal Help Center,
 * "How do I download my transaction history?" and the Activity Download column guide): every field
 * quoted, a UTF-8 byte-order mark, "Date" as dd/mm/yyyy for a UK account, "Time", "TimeZone",
 * "Name", "Type", "Status", "Currency", "Gross", "Fee" (negative), "Net", "From Email Address"
 * (the payer), "To Email Address" (the merchant), "Transaction ID", …, "Balance", "Balance Impact".
 * Amounts of 1,000 and more carry a thousands comma.
 *
 * Money: Gross, what the customer paid (Net is after PayPal's fee, the merchant's cost, not the
 * customer's spend). Completed payments received, now and then a partial refund the merchant sends
 * the same day ("Payment Refund", Gross negative): written from the account's side, its "From Email
 * Address" is the merchant's own and the customer is in "To Email Address"; and the merchant's
 * withdrawals to the bank ("General Withdrawal", from the merchant, to no one), which are no purchase.
 */
export function paypalActivity(seed = 9105): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'Date', 'Time', 'TimeZone', 'Name', 'Type', 'Status', 'Currency', 'Gross', 'Fee', 'Net', 'From Email Address', 'To Email Address',
    'Transaction ID', 'Shipping Address', 'Address Status', 'Item Title', 'Item ID', 'Shipping and Handling Amount', 'Insurance Amount',
    'Sales Tax', 'Option 1 Name', 'Option 1 Value', 'Option 2 Name', 'Option 2 Value', 'Reference Txn ID', 'Invoice Number', 'Custom Number',
    'Quantity', 'Receipt ID', 'Balance', 'Address Line 1', 'Address Line 2/District/Neighborhood', 'Town/City',
    'State/Province/Region/County/Territory/Prefecture/Republic', 'Zip/Postal Code', 'Country', 'Contact Phone Number', 'Subject', 'Note',
    'Country Code', 'Balance Impact',
  ];
  const b = new Builder(header);
  const people = Array.from({ length: 220 }, (_, i) => person(rng, i, 'mail.co.uk'));
  let balance = 125_000;
  for (const v of visits(rng, people.length, '2022-04-01', '2024-03-29', 40, 0.75)) {
    const p = people[v.customer];
    const gross = rng.uniform() < 0.05 ? 100_000 + rng.int(250_000) : price(rng, 28);
    const fee = -Math.round(gross * 0.029 + 30);
    balance += gross + fee;
    const { y, m, d } = ymd(v.day);
    b.row({
      Date: `${pad2(d)}/${pad2(m)}/${y}`,
      Time: clock(v.seconds),
      TimeZone: m >= 4 && m <= 10 ? 'BST' : 'GMT',
      Name: p.name,
      Type: pick(rng, ['Express Checkout Payment', 'Website Payment', 'Mobile Payment']),
      Status: 'Completed',
      Currency: 'GBP',
      Gross: grouped(gross, ',', '.'),
      Fee: grouped(fee, ',', '.'),
      Net: grouped(gross + fee, ',', '.'),
      'From Email Address': p.email,
      'To Email Address': 'orders@kettleandcrumb.co.uk',
      'Transaction ID': alnum(rng, 17),
      'Shipping Address': `${p.name}, 12 Mill Lane, Leeds, LS1 4AP, United Kingdom`,
      'Address Status': 'Confirmed',
      'Item Title': pick(rng, ['Hand-thrown Teapot', 'Stoneware Set (4)', 'Gift Voucher']),
      'Shipping and Handling Amount': '0.00',
      'Insurance Amount': '',
      'Sales Tax': '0.00',
      'Invoice Number': `INV-${String(10_000 + b.rows.length)}`,
      Quantity: '1',
      'Receipt ID': '',
      Balance: grouped(balance, ',', '.'),
      'Town/City': 'Leeds',
      'Zip/Postal Code': 'LS1 4AP',
      Country: 'United Kingdom',
      'Country Code': 'GB',
      'Balance Impact': 'Credit',
    });
    b.money(p.email, v.day, gross);
    const merchant = 'orders@kettleandcrumb.co.uk';
    const movement = (type: string, to: string, amount: number, name: string, droppable = false) => {
      balance += amount;
      b.row({
        Date: `${pad2(d)}/${pad2(m)}/${y}`, Time: clock(Math.min(86_399, v.seconds + 3600)), TimeZone: m >= 4 && m <= 10 ? 'BST' : 'GMT', Name: name, Type: type, Status: 'Completed', Currency: 'GBP',
        Gross: grouped(amount, ',', '.'), Fee: '0.00', Net: grouped(amount, ',', '.'), 'From Email Address': merchant, 'To Email Address': to, 'Transaction ID': alnum(rng, 17),
        'Reference Txn ID': '', Balance: grouped(balance, ',', '.'), 'Country Code': 'GB', 'Balance Impact': 'Debit',
      }, { droppable });
    };
    if (rng.uniform() < 0.08) {
      const refund = Math.round(gross / 2);
      movement('Payment Refund', p.email, -refund, p.name);
      b.money(p.email, v.day, -refund);
    }
    if (rng.uniform() < 0.03) movement('General Withdrawal', '', -Math.min(balance, 50_000), 'Bank Account', true);
  }
  return fixture(b, {
    name: 'PayPal activity download (dd/mm/yyyy)',
    fileName: 'Download.CSV',
    cutoff: '2023-09-30',
    expected: { customer: 'From Email Address', date: ['Date'], amount: ['Gross'], dateFormats: ['dmy'], decimalSeparator: '.' },
    money: 'Gross (before the PayPal fee); completed payments received, less refunds sent (whose customer is the To address)',
    text: { separator: ',', quoteAll: true, bom: true },
  });
}

// ---------------------------------------------------------------------------------------------
// Amazon

/**
 * Amazon Seller Central "All Orders Report" flat file, tab-separated and unquoted (SP-API report
 * type GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL, developer-docs.amazon.com/sp-api/docs/
 * order-tracking-reports-attributes), one row per order item, plus buyer-email and buyer-name as
 * the merchant-fulfilled Order Report (GET_FLAT_FILE_ORDER_REPORT_DATA) carries them.
 * purchase-date is ISO 8601 with an offset ("2023-01-05T18:15:32+00:00"); product names may hold
 * commas and an inch mark (").
 *
 * Money: item-price, which Amazon documents as the price of the order item for its whole quantity
 * (selling price × quantity, shipping and gift wrap excluded): so quantity × item-price is wrong.
 */
export function amazonOrders(seed = 9106): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'amazon-order-id', 'merchant-order-id', 'purchase-date', 'last-updated-date', 'order-status', 'fulfillment-channel', 'sales-channel',
    'order-channel', 'url', 'ship-service-level', 'product-name', 'sku', 'asin', 'item-status', 'quantity', 'currency', 'item-price', 'item-tax',
    'shipping-price', 'shipping-tax', 'gift-wrap-price', 'gift-wrap-tax', 'item-promotion-discount', 'ship-promotion-discount', 'ship-city',
    'ship-state', 'ship-postal-code', 'ship-country', 'promotion-ids', 'is-business-order', 'purchase-order-number', 'price-designation',
    'buyer-email', 'buyer-name',
  ];
  const b = new Builder(header);
  const catalogue = [
    ['Bamboo Monitor Stand 27" Wide', 'BMS-27', 'B07XYZ1234', 3499], ['USB-C Cable, 2m, Braided', 'USBC-2M', 'B08ABC5678', 1299],
    ['Desk Lamp with Clamp', 'LAMP-CLP', 'B09DEF9012', 2999], ['Laptop Sleeve 14"', 'SLV-14', 'B06GHI3456', 1999], ['Cable Ties (100 pack)', 'TIE-100', 'B01JKL7890', 699],
  ] as const;
  const buyers = Array.from({ length: 250 }, (_, i) => ({ email: `${alnum(rng, 14, 'abcdefghijklmnopqrstuvwxyz0123456789')}@marketplace.amazon.com`, name: person(rng, i).name }));
  const states = [['Seattle', 'WA', '98101-1234'], ['Springfield', 'MA', '01103'], ['Denver', 'CO', '80202']] as const;
  for (const v of visits(rng, buyers.length, '2022-09-01', '2024-08-30', 50, 0.7)) {
    const buyer = buyers[v.customer];
    const { y, m, d } = ymd(v.day);
    const when = `${y}-${pad2(m)}-${pad2(d)}T${clock(v.seconds)}+00:00`;
    const upd = ymd(v.day + 2);
    const orderId = `${100 + rng.int(900)}-${String(rng.int(10_000_000)).padStart(7, '0')}-${String(rng.int(10_000_000)).padStart(7, '0')}`;
    const place = states[v.customer % states.length];
    const afn = rng.uniform() < 0.6;
    for (const k of rng.permutation(catalogue.length).slice(0, 1 + (rng.uniform() < 0.25 ? 1 + rng.int(2) : 0))) {
      const item = catalogue[k];
      const qty = rng.uniform() < 0.8 ? 1 : 2 + rng.int(2);
      const linePrice = qty * item[3];
      b.row({
        'amazon-order-id': orderId,
        'purchase-date': when,
        'last-updated-date': `${upd.y}-${pad2(upd.m)}-${pad2(upd.d)}T08:02:11+00:00`,
        'order-status': 'Shipped',
        'fulfillment-channel': afn ? 'Amazon' : 'Merchant',
        'sales-channel': 'Amazon.com',
        'ship-service-level': afn ? 'Expedited' : 'Standard',
        'product-name': item[0],
        sku: item[1],
        asin: item[2],
        'item-status': 'Shipped',
        quantity: String(qty),
        currency: 'USD',
        'item-price': dot(linePrice),
        'item-tax': dot(Math.round(linePrice * 0.1)),
        'shipping-price': afn ? '0.00' : '5.99',
        'shipping-tax': '0.00',
        'gift-wrap-price': '0.00',
        'gift-wrap-tax': '0.00',
        'item-promotion-discount': '0.00',
        'ship-promotion-discount': '0.00',
        'ship-city': place[0],
        'ship-state': place[1],
        'ship-postal-code': place[2],
        'ship-country': 'US',
        'is-business-order': 'false',
        'buyer-email': buyer.email,
        'buyer-name': buyer.name,
      });
      b.money(buyer.email, v.day, linePrice);
    }
  }
  return fixture(b, {
    name: 'Amazon seller order report (TSV)',
    fileName: 'All-Orders-Report.txt',
    cutoff: '2024-02-29',
    expected: { customer: 'buyer-email', date: ['purchase-date'], amount: ['item-price'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'item-price, already the price of the whole quantity',
    text: { separator: '\t', quote: false },
  });
}

// ---------------------------------------------------------------------------------------------
// UCI Online Retail

/** Named customers of the UCI-style file whose days exercise the purchase rule of issue 9 §3. */
export const UCI_EDGE_CUSTOMERS = {
  /** A day whose cancellations (of an earlier order) exceed that day's purchases. */
  cancelExceedsDay: '12680',
  /** A day whose purchase is cancelled in full the same day (two float-priced lines). */
  cancelEqualsDay: '12681',
  /** A free order (UnitPrice 0.0) alone on its day. */
  freeOrder: '12682',
  /** A day with only a cancellation, after the purchase. */
  returnOnlyDay: '12683',
  /** The only day nets to zero through a same-day cancellation: never a buyer. */
  onlyDayNetsZero: '12684',
} as const;

/**
 * UCI Machine Learning Repository, "Online Retail" (archive.ics.uci.edu/dataset/352/online+retail),
 * as its CSV copies are written (pandas): InvoiceNo (6 digits; "C" + digits for a cancellation),
 * StockCode (including the non-product codes POST, M, BANK CHARGES), Description, Quantity
 * (negative on cancellations), InvoiceDate as m/d/yyyy h:mm ("12/1/2010 8:26"), UnitPrice,
 * CustomerID as a float ("17850.0", empty when unknown: about a fifth of the lines), Country.
 * Like the real file it starts on 1 December 2010: its first 20,000+ rows are December 1–12, where
 * day and month are both ≤ 12, and the first deciding value (12/13/2010) comes after them.
 *
 * Money: Quantity × UnitPrice per line; a cancellation line is negative; POST, M and BANK CHARGES
 * lines are charged to the customer's invoice and count. Customer ids are "17850", not "17850.0".
 */
export function uciOnlineRetail(seed = 9107): ExportFixture {
  const rng = new Rng(seed);
  const header = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];
  const b = new Builder(header);
  const products: [string, string, number][] = [
    ['85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', 255], ['71053', 'WHITE METAL LANTERN', 339], ['84406B', 'CREAM CUPID HEARTS COAT HANGER', 275],
    ['84029G', 'KNITTED UNION FLAG HOT WATER BOTTLE', 339], ['84029E', 'RED WOOLLY HOTTIE WHITE HEART.', 339], ['22752', 'SET 7 BABUSHKA NESTING BOXES', 765],
    ['21730', 'GLASS STAR FROSTED T-LIGHT HOLDER', 425], ['22633', 'HAND WARMER UNION JACK', 185], ['22632', 'HAND WARMER RED POLKA DOT', 185],
    ['84879', 'ASSORTED COLOUR BIRD ORNAMENT', 169], ['22745', "POPPY'S PLAYHOUSE BEDROOM ", 210], ['22748', "POPPY'S PLAYHOUSE KITCHEN", 210],
    ['22749', 'FELTCRAFT PRINCESS CHARLOTTE DOLL', 375], ['22310', 'IVORY KNITTED MUG COSY ', 165], ['84969', 'BOX OF 6 ASSORTED COLOUR TEASPOONS', 425],
    ['22623', 'BOX OF VINTAGE JIGSAW BLOCKS ', 495], ['22622', 'BOX OF VINTAGE ALPHABET BLOCKS', 995], ['21754', 'HOME BUILDING BLOCK WORD', 595],
    ['21755', 'LOVE BUILDING BLOCK WORD', 595], ['21777', 'RECIPE BOX WITH METAL HEART', 795], ['48187', 'DOORMAT NEW ENGLAND', 795],
    ['22960', 'JAM MAKING SET WITH JARS', 425], ['22913', 'RED COAT RACK PARIS FASHION', 495], ['22912', 'YELLOW COAT RACK PARIS FASHION', 495],
    ['22914', 'BLUE COAT RACK PARIS FASHION', 495], ['21756', 'BATH BUILDING BLOCK WORD', 595], ['85099B', 'JUMBO BAG RED RETROSPOT', 165],
    ['20725', 'LUNCH BAG RED RETROSPOT', 165], ['21212', 'PACK OF 72 RETROSPOT CAKE CASES', 55], ['22197', 'SMALL POPCORN HOLDER', 85],
    ['84991', '60 TEATIME FAIRY CAKE CASES', 55], ['22386', 'JUMBO BAG PINK POLKADOT', 165], ['21931', 'JUMBO STORAGE BAG SUKI', 165],
    ['85014B', 'RED RETROSPOT UMBRELLA', 595], ['22720', 'SET OF 3 CAKE TINS PANTRY DESIGN ', 495], ['23084', 'RABBIT NIGHT LIGHT', 208],
    ['22423', 'REGENCY CAKESTAND 3 TIER', 1275], ['47566', 'PARTY BUNTING', 495], ['85152', 'HAND OVER THE CHOCOLATE   SIGN ', 210],
    ['22469', 'HEART OF WICKER SMALL', 165], ['23203', 'JUMBO BAG DOILEY PATTERNS', 208], ['22086', "PAPER CHAIN KIT 50'S CHRISTMAS ", 295],
    ['20727', 'LUNCH BAG  BLACK SKULL.', 165], ['22383', 'LUNCH BAG SUKI DESIGN ', 165], ['21034', 'REX CASH+CARRY JUMBO SHOPPER', 95],
    ['22411', 'JUMBO SHOPPER VINTAGE RED PAISLEY', 195], ['82482', 'WOODEN PICTURE FRAME WHITE FINISH', 255], ['82494L', 'WOODEN FRAME ANTIQUE WHITE ', 295],
    ['21871', 'SAVE THE PLANET MUG', 125], ['22139', 'RETROSPOT TEA SET CERAMIC 11 PC ', 495], ['84997B', 'CHILDRENS CUTLERY RETROSPOT RED, BLUE', 415],
  ];
  const countries = ['United Kingdom', 'United Kingdom', 'United Kingdom', 'United Kingdom', 'United Kingdom', 'United Kingdom', 'France', 'Germany', 'EIRE', 'Spain', 'Netherlands'];
  const ids = new Set<number>();
  while (ids.size < 700) ids.add(12_346 + 20 + rng.int(5_940));
  for (const edge of Object.values(UCI_EDGE_CUSTOMERS)) ids.delete(Number(edge));
  const customerIds = [...ids].map(String);
  const countryOf = new Map(customerIds.map((c) => [c, pick(rng, countries)]));
  let invoiceNo = 536_365;
  const stamp = (day: number, minutes: number) => {
    const { y, m, d } = ymd(day);
    return `${m}/${d}/${y} ${Math.floor(minutes / 60)}:${pad2(minutes % 60)}`;
  };
  interface Line {
    code: string;
    description: string;
    qty: number;
    cents: number;
  }
  const writeInvoice = (invoice: string, day: number, minutes: number, customer: string | null, country: string, lines: Line[]) => {
    for (const l of lines) {
      b.row(
        {
          InvoiceNo: invoice,
          StockCode: l.code,
          Description: l.description,
          Quantity: String(l.qty),
          InvoiceDate: stamp(day, minutes),
          UnitPrice: pandasFloat(l.cents),
          CustomerID: customer === null ? '' : `${customer}.0`,
          Country: country,
        },
        { noCustomer: customer === null },
      );
      if (customer !== null) b.money(customer, day, l.qty * l.cents);
    }
  };
  const randomLines = (n: number, country: string): Line[] => {
    const lines: Line[] = Array.from(rng.permutation(products.length).slice(0, Math.min(n, products.length)), (k) => {
      const [code, description, cents] = products[k];
      return { code, description, qty: pick(rng, [1, 2, 3, 4, 6, 6, 8, 10, 12, 12, 24, 48]), cents };
    });
    if (country !== 'United Kingdom' && rng.uniform() < 0.6) lines.push({ code: 'POST', description: 'POSTAGE', qty: 1 + rng.int(3), cents: 1800 });
    if (rng.uniform() < 0.01) lines.push({ code: 'M', description: 'Manual', qty: 1, cents: 50 + rng.int(3000) });
    if (rng.uniform() < 0.005) lines.push({ code: 'BANK CHARGES', description: 'Bank Charges', qty: 1, cents: 1500 });
    return lines;
  };
  const customerFor = () => (rng.uniform() < 0.18 ? null : customerIds[Math.floor(customerIds.length * rng.uniform() ** 1.6)]);
  const cancellations: { day: number; customer: string; country: string; lines: Line[] }[] = [];
  const invoice = (day: number, minutes: number) => {
    const customer = customerFor();
    const country = customer === null ? 'United Kingdom' : countryOf.get(customer)!;
    const lines = randomLines(1 + rng.int(36), country);
    writeInvoice(String(invoiceNo++), day, minutes, customer, country, lines);
    if (customer !== null && rng.uniform() < 0.08) {
      const cancelled = lines.slice(0, 1 + rng.int(Math.min(3, lines.length))).map((l) => ({ ...l, qty: -l.qty }));
      cancellations.push({ day: rng.uniform() < 0.4 ? day : day + 1 + rng.int(40), customer, country, lines: cancelled });
    }
  };
  const flushCancellations = (upTo: number, minutes: number) => {
    cancellations.sort((a, c) => a.day - c.day);
    while (cancellations.length > 0 && cancellations[0].day <= upTo) {
      const c = cancellations.shift()!;
      writeInvoice(`C${invoiceNo++}`, c.day, minutes, c.customer, c.country, c.lines);
    }
  };

  // December 1–12, 2010: day and month both ≤ 12; enough invoices for 20,000+ rows.
  const dec1 = toDay('2010-12-01');
  for (let d = 0; d < 12; d++) {
    for (let k = 0; k < 96; k++) invoice(dec1 + d, 8 * 60 + 26 + Math.floor((k * 540) / 96));
    flushCancellations(dec1 + d, 19 * 60 + 50);
  }
  if (b.rows.length < 20_000) throw new Error(`UCI generator: only ${b.rows.length} rows in December 1–12`);
  const ambiguousRows = b.rows.length;
  // From 12/13/2010 on, as the real file goes on to 12/9/2011. Cancellations of early-December
  // invoices due by now are written first, on the 13th.
  const dec13 = toDay('2010-12-13');
  for (const c of cancellations) c.day = Math.max(c.day, dec13);
  const last = toDay('2011-12-09');
  const edgeDays = new Map<number, () => void>();
  const edge = (iso: string, write: () => void) => edgeDays.set(toDay(iso), write);
  const L = (code: string, qty: number, cents: number): Line => ({ code, description: code === 'POST' ? 'POSTAGE' : products.find((p) => p[0] === code)![1], qty, cents });
  const E = UCI_EDGE_CUSTOMERS;
  edge('2011-01-10', () => {
    writeInvoice(String(invoiceNo++), toDay('2011-01-10'), 600, E.cancelExceedsDay, 'United Kingdom', [L('22423', 8, 1275)]);
    writeInvoice(String(invoiceNo++), toDay('2011-01-10'), 610, E.cancelEqualsDay, 'United Kingdom', [L('22752', 2, 765)]);
    writeInvoice(String(invoiceNo++), toDay('2011-01-10'), 620, E.returnOnlyDay, 'France', [L('22960', 6, 425), L('POST', 1, 1800)]);
    writeInvoice(String(invoiceNo++), toDay('2011-01-10'), 630, E.freeOrder, 'United Kingdom', [L('85123A', 6, 255)]);
  });
  edge('2011-02-14', () => {
    // 8 × 12.75 = 102.00 bought on 1/10; today 2 × 2.55 bought and 6 cake stands cancelled: −71.40.
    writeInvoice(String(invoiceNo++), toDay('2011-02-14'), 700, E.cancelExceedsDay, 'United Kingdom', [L('85123A', 2, 255)]);
    writeInvoice(`C${invoiceNo++}`, toDay('2011-02-14'), 705, E.cancelExceedsDay, 'United Kingdom', [L('22423', -6, 1275)]);
    // Bought and cancelled the same day, three float-priced lines (6 × 2.55, 12 × 1.69, 24 × 0.55).
    writeInvoice(String(invoiceNo++), toDay('2011-02-14'), 710, E.cancelEqualsDay, 'United Kingdom', [L('85123A', 6, 255), L('84879', 12, 169), L('21212', 24, 55)]);
    writeInvoice(`C${invoiceNo++}`, toDay('2011-02-14'), 715, E.cancelEqualsDay, 'United Kingdom', [L('85123A', -6, 255), L('84879', -12, 169), L('21212', -24, 55)]);
    writeInvoice(String(invoiceNo++), toDay('2011-02-14'), 720, E.freeOrder, 'United Kingdom', [L('23084', 1, 0)]);
    writeInvoice(String(invoiceNo++), toDay('2011-02-14'), 725, E.onlyDayNetsZero, 'Germany', [L('22086', 12, 295), L('POST', 1, 1800)]);
    writeInvoice(`C${invoiceNo++}`, toDay('2011-02-14'), 730, E.onlyDayNetsZero, 'Germany', [L('22086', -12, 295), L('POST', -1, 1800)]);
  });
  edge('2011-03-21', () => {
    writeInvoice(`C${invoiceNo++}`, toDay('2011-03-21'), 800, E.returnOnlyDay, 'France', [L('22960', -3, 425)]);
    writeInvoice(String(invoiceNo++), toDay('2011-03-21'), 805, E.cancelExceedsDay, 'United Kingdom', [L('22633', 12, 185)]);
    writeInvoice(String(invoiceNo++), toDay('2011-03-21'), 810, E.cancelEqualsDay, 'United Kingdom', [L('71053', 4, 339)]);
    writeInvoice(String(invoiceNo++), toDay('2011-03-21'), 815, E.freeOrder, 'United Kingdom', [L('21871', 6, 125)]);
  });
  edge('2011-04-18', () => {
    writeInvoice(String(invoiceNo++), toDay('2011-04-18'), 900, E.returnOnlyDay, 'France', [L('21730', 6, 425), L('POST', 1, 1800)]);
  });
  for (let day = dec13; day <= last; day++) {
    const weekday = new Date(day * DAY_S * 1000).getUTCDay();
    if (weekday === 6) continue; // the shop never invoiced on Saturdays
    const n = rng.int(3);
    for (let k = 0; k < n; k++) invoice(day, 9 * 60 + rng.int(8 * 60));
    edgeDays.get(day)?.();
    flushCancellations(day, 18 * 60 + 5);
  }
  // The first rows are the December 1–12 block, and every date in it is ambiguous.
  for (let i = 0; i < ambiguousRows; i++) {
    const m = /^(\d+)\/(\d+)\//.exec(b.rows[i][4])!;
    if (+m[1] > 12 || +m[2] > 12) throw new Error('UCI generator: an early row is not ambiguous');
  }
  return fixture(b, {
    name: 'UCI Online Retail style invoices (m/d/yyyy h:mm, float ids, C cancellations)',
    fileName: 'Online Retail.csv',
    cutoff: '2011-06-30',
    expected: {
      customer: 'CustomerID',
      date: ['InvoiceDate'],
      amount: [],
      quantityTimesPrice: { quantity: 'Quantity', unitPrice: 'UnitPrice' },
      dateFormats: ['mdy'],
      decimalSeparator: '.',
    },
    money: 'Quantity × UnitPrice per line; cancellations negative; POST/M/BANK CHARGES count',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// Olist

/**
 * The Olist Brazilian e-commerce public data set (kaggle.com/datasets/olistbr/brazilian-ecommerce),
 * olist_orders_dataset joined with olist_customers_dataset (on customer_id) and
 * olist_order_payments_dataset (on order_id), columns in that order: order_id, customer_id (a new
 * id for every order), order_status, order_purchase_timestamp ("2017-10-02 10:56:33"),
 * order_approved_at, order_delivered_carrier_date, order_delivered_customer_date,
 * order_estimated_delivery_date, customer_unique_id (the person), customer_zip_code_prefix,
 * customer_city, customer_state, payment_sequential, payment_type, payment_installments,
 * payment_value. An order paid with vouchers and a card has one row per payment.
 *
 * Money: the order's spend is the sum of its payment_value rows; the customer is
 * customer_unique_id (customer_id never repeats, so every order would be a new customer).
 */
export function olistOrdersPayments(seed = 9108): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'order_id', 'customer_id', 'order_status', 'order_purchase_timestamp', 'order_approved_at', 'order_delivered_carrier_date',
    'order_delivered_customer_date', 'order_estimated_delivery_date', 'customer_unique_id', 'customer_zip_code_prefix', 'customer_city',
    'customer_state', 'payment_sequential', 'payment_type', 'payment_installments', 'payment_value',
  ];
  const b = new Builder(header);
  const people = Array.from({ length: 900 }, () => ({ id: hex(rng, 32), zip: String(1000 + rng.int(99_000)).padStart(5, '0'), city: pick(rng, ['sao paulo', 'rio de janeiro', 'belo horizonte', 'curitiba']) }));
  const ts = (day: number, seconds: number) => {
    const { y, m, d } = ymd(day);
    return `${y}-${pad2(m)}-${pad2(d)} ${clock(seconds)}`;
  };
  for (const v of visits(rng, people.length, '2017-01-05', '2018-08-29', 70, 0.35)) {
    const p = people[v.customer];
    const total = price(rng, 120, 0.8);
    const split = total >= 2000 && rng.uniform() < 0.06;
    const payments: { type: string; installments: number; cents: number }[] = [];
    if (split) {
      const vouchers = 1 + rng.int(3);
      let left = total;
      for (let i = 0; i < vouchers; i++) {
        const cents = Math.min(left - 100, Math.round(total * 0.2 * rng.uniform()) + 100);
        payments.push({ type: 'voucher', installments: 1, cents });
        left -= cents;
      }
      payments.push({ type: 'credit_card', installments: 1 + rng.int(6), cents: left });
    } else {
      const type = pick(rng, ['credit_card', 'credit_card', 'credit_card', 'boleto', 'debit_card']);
      payments.push({ type, installments: type === 'credit_card' ? 1 + rng.int(10) : 1, cents: total });
    }
    const orderId = hex(rng, 32);
    const customerId = hex(rng, 32);
    const delivered = rng.uniform() < 0.95;
    payments.forEach((pay, i) => {
      b.row({
        order_id: orderId,
        customer_id: customerId,
        order_status: delivered ? 'delivered' : 'shipped',
        order_purchase_timestamp: ts(v.day, v.seconds),
        order_approved_at: ts(v.day, Math.min(DAY_S - 1, v.seconds + 900)),
        order_delivered_carrier_date: ts(v.day + 2, 50_000),
        order_delivered_customer_date: delivered ? ts(v.day + 9, 60_000) : '',
        order_estimated_delivery_date: ts(v.day + 20, 0),
        customer_unique_id: p.id,
        customer_zip_code_prefix: p.zip,
        customer_city: p.city,
        customer_state: p.city === 'sao paulo' ? 'SP' : p.city === 'rio de janeiro' ? 'RJ' : p.city === 'curitiba' ? 'PR' : 'MG',
        payment_sequential: String(i + 1),
        payment_type: pay.type,
        payment_installments: String(pay.installments),
        payment_value: (pay.cents / 100).toString(),
      });
      b.money(p.id, v.day, pay.cents);
    });
  }
  return fixture(b, {
    name: 'Olist joined orders/payments',
    fileName: 'olist_orders_payments.csv',
    cutoff: '2018-03-31',
    expected: { customer: 'customer_unique_id', date: ['order_purchase_timestamp'], amount: ['payment_value'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'sum of payment_value rows per order',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// European Excel

/**
 * A German invoice list saved by Excel as "CSV UTF-8 (durch Trennzeichen getrennt)" (Microsoft
 * Support, "Import or export text (.txt or .csv) files": the list separator of the regional
 * settings, ";" where the decimal mark is a comma; the UTF-8 variant writes a byte-order mark;
 * lines end in CRLF). Dates dd.mm.yyyy, money "1.234,56" with a dot for thousands, customer
 * numbers with leading zeros ("004711"), credit notes (Gutschrift) as negative quantities and
 * amounts, umlauts in names and headers.
 *
 * Money: Betrag, which is Menge × Einzelpreis on every line, so either reading is right.
 */
export function europeanExcel(seed = 9109): ExportFixture {
  const rng = new Rng(seed);
  const header = ['Kundennummer', 'Kunde', 'Rechnungsnummer', 'Rechnungsdatum', 'Artikelnummer', 'Bezeichnung', 'Menge', 'Einzelpreis', 'Betrag', 'Währung', 'Ort'];
  const b = new Builder(header);
  const articles = [['A-1001', 'Kaffeebohnen 1 kg', 1890], ['A-1002', 'Milchaufschäumer', 4990], ['A-2001', 'Espressomaschine „Barista“', 34900], ['A-3001', 'Entkalker, 500 ml', 895]] as const;
  const companies = ['Müller GmbH', 'Bäckerei Schäfer', 'Café Größenwahn', 'Weiß & Söhne KG', 'Hofmann AG'];
  const customers = Array.from({ length: 150 }, (_, i) => ({ no: String(1000 + i * 37).padStart(6, '0'), name: `${pick(rng, companies)} ${i}`, city: pick(rng, ['München', 'Köln', 'Düsseldorf', 'Nürnberg']) }));
  const euro = (cents: number) => grouped(cents, '.', ',');
  let rechnung = 1;
  let gutschrift = 1;
  const credits: { day: number; c: number; lines: { a: (typeof articles)[number]; q: number }[] }[] = [];
  const writeDoc = (day: number, c: number, lines: { a: (typeof articles)[number]; q: number }[], credit: boolean) => {
    const { y, m, d } = ymd(day);
    const no = credit ? `GS-${y}-${String(gutschrift++).padStart(4, '0')}` : `RE-${y}-${String(rechnung++).padStart(5, '0')}`;
    for (const l of lines) {
      const q = credit ? -l.q : l.q;
      b.row({
        Kundennummer: customers[c].no,
        Kunde: customers[c].name,
        Rechnungsnummer: no,
        Rechnungsdatum: `${pad2(d)}.${pad2(m)}.${y}`,
        Artikelnummer: l.a[0],
        Bezeichnung: l.a[1],
        Menge: String(q),
        Einzelpreis: euro(l.a[2]),
        Betrag: euro(q * l.a[2]),
        Währung: 'EUR',
        Ort: customers[c].city,
      });
      b.money(customers[c].no, day, q * l.a[2]);
    }
  };
  for (const v of visits(rng, customers.length, '2022-01-03', '2023-12-29', 35, 0.85)) {
    credits.sort((a, c) => a.day - c.day);
    while (credits.length > 0 && credits[0].day <= v.day) {
      const cr = credits.shift()!;
      writeDoc(cr.day, cr.c, cr.lines, true);
    }
    const lines = Array.from(rng.permutation(articles.length).slice(0, 1 + rng.int(3)), (k) => ({ a: articles[k], q: rng.uniform() < 0.3 ? 5 + rng.int(40) : 1 + rng.int(3) }));
    writeDoc(v.day, v.customer, lines, false);
    if (rng.uniform() < 0.05) credits.push({ day: rng.uniform() < 0.3 ? v.day : v.day + 1 + rng.int(30), c: v.customer, lines: [{ a: lines[0].a, q: 1 }] });
  }
  return fixture(b, {
    name: 'European Excel export (;, decimal comma, BOM, dd.mm.yyyy)',
    fileName: 'Rechnungen_2022-2023.csv',
    cutoff: '2023-03-31',
    expected: {
      customer: 'Kundennummer',
      date: ['Rechnungsdatum'],
      amount: ['Betrag'],
      quantityTimesPrice: { quantity: 'Menge', unitPrice: 'Einzelpreis' },
      dateFormats: ['dmy'],
      decimalSeparator: ',',
    },
    money: 'Betrag (= Menge × Einzelpreis); credit notes negative',
    text: { separator: ';', bom: true, crlf: true },
  });
}

// ---------------------------------------------------------------------------------------------
// Id,Date,Price

/**
 * The smallest log people share: `Id,Date,Price`, one row per purchase (as in the first
 * report), ISO dates and a plain numeric price written as it came ("23.5", "40", "12.99").
 *
 * Money: Price is the purchase's amount (a lone price column with no quantity is the amount).
 */
export function idDatePrice(seed = 9110): ExportFixture {
  const rng = new Rng(seed);
  const b = new Builder(['Id', 'Date', 'Price']);
  for (const v of visits(rng, 400, '2018-01-01', '2019-12-31', 50, 0.7)) {
    const cents = rng.uniform() < 0.3 ? 100 * (5 + rng.int(60)) : rng.uniform() < 0.5 ? 10 * (50 + rng.int(900)) : price(rng, 25);
    b.row({ Id: String(v.customer + 1), Date: fromDay(v.day), Price: String(cents / 100) });
    b.money(String(v.customer + 1), v.day, cents);
  }
  return fixture(b, {
    name: 'Id,Date,Price',
    fileName: 'purchases.csv',
    cutoff: '2019-06-30',
    expected: { customer: 'Id', date: ['Date'], amount: ['Price'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'Price per row',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// Ambiguous first 20,000 rows

/**
 * A point-of-sale export written dd/mm/yyyy whose first 20,000+ rows are a launch fortnight, 1–12
 * January 2023: every one of them reads as a date both ways (05/01/2023 is 5 January or 1 May). The
 * first value that settles it (13/01/2023) comes after them; the file then runs to December.
 *
 * Money: amount per row (no order id: identical lines are separate purchases, kept).
 */
export function ambiguousDates(seed = 9111): ExportFixture {
  const rng = new Rng(seed);
  const b = new Builder(['client_id', 'order_date', 'amount']);
  const write = (day: number, client: number) => {
    const { y, m, d } = ymd(day);
    const cents = rng.uniform() < 0.1 ? 1000 : price(rng, 18);
    b.row({ client_id: `CL${String(client).padStart(5, '0')}`, order_date: `${pad2(d)}/${pad2(m)}/${y}`, amount: dot(cents) });
    b.money(`CL${String(client).padStart(5, '0')}`, day, cents);
  };
  const jan1 = toDay('2023-01-01');
  for (let d = 0; d < 12; d++) for (let k = 0; k < 1700; k++) write(jan1 + d, 1 + Math.floor(3000 * rng.uniform() ** 1.3));
  if (b.rows.length < 20_000) throw new Error('ambiguous generator: too few early rows');
  for (let day = toDay('2023-01-13'); day <= toDay('2023-12-31'); day++) {
    const n = 3 + rng.int(12);
    for (let k = 0; k < n; k++) write(day, 1 + Math.floor(3000 * rng.uniform() ** 1.3));
  }
  return fixture(b, {
    name: 'first 20,000 rows date-ambiguous (dd/mm/yyyy)',
    fileName: 'pos_export_2023.csv',
    cutoff: '2023-06-30',
    expected: { customer: 'client_id', date: ['order_date'], amount: ['amount'], dateFormats: ['dmy'], decimalSeparator: '.' },
    money: 'amount per row',
    text: { separator: ',' },
  });
}

/** Every export shape of issue 9 §5, generated with its default seed. */
export function allExportShapes(): ExportFixture[] {
  return [
    shopifyOrders(),
    wooCommerceOrders(),
    stripePayments(),
    squareTransactions(),
    paypalActivity(),
    amazonOrders(),
    uciOnlineRetail(),
    olistOrdersPayments(),
    europeanExcel(),
    idDatePrice(),
    ambiguousDates(),
  ];
}
