/**
 * More deterministic generators of files shaped like real exports (issue 9 §5, continued): order
 * platforms, payment processors, CRM pipelines, an analytics event log and spreadsheet or report
 * files with an odd encoding or a footer. Same contract as test/support/exportShapes.ts: each
 * returns the file's bytes with its own list of logical transactions written down while the file
 * was generated, the mapping a careful analyst picks, the rows a person would drop, and the money
 * semantics chosen from the export's documentation (cited per generator).
 */
import { Rng } from '../../src/core/random';
import { Builder, DAY_S, FIRST, alnum, clock, dollars, dot, fixture, fromDay, grouped, pad2, pandasFloat as float, person, pick, price, toDay, visits, ymd, type ExportFixture } from './exportBuilder';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2023-01-05 10:15:00" (the clock cut to `clockLength` characters: 5 for "10:15"). */
function stamp(day: number, seconds: number, clockLength = 8): string {
  const { y, m, d } = ymd(day);
  return `${y}-${pad2(m)}-${pad2(d)} ${clock(seconds).slice(0, clockLength)}`;
}

const LETTERS_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** n digits, the first not 0. */
const digits = (rng: Rng, n: number) => String(1 + rng.int(9)) + alnum(rng, n - 1, '0123456789');

/** `count` distinct company names from word lists ("Globex Logistics, Inc."). */
function companies(rng: Rng, count: number): string[] {
  const a = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Cyberdyne', 'Hooli', 'Vandelay', 'Soylent', 'Wonka', 'Tyrell', 'Oceanic', 'Northwind', 'Contoso', 'Fabrikam'];
  const b = ['Industries', 'Logistics', 'Systems', 'Foods', 'Health', 'Media', 'Energy', 'Labs', 'Capital', 'Retail'];
  const c = [', Inc.', ' LLC', ' Corp.', ' Ltd.', ''];
  const all = a.flatMap((x) => b.flatMap((y) => c.map((z) => `${x} ${y}${z}`)));
  return Array.from(rng.permutation(all.length).slice(0, count), (k) => all[k]);
}

/** Throws unless one of the first `n` rows' `column` has a day-of-month above 12 (day-first vs month-first is then decidable early). */
function requireEarlyDayAbove12(b: Builder, column: string, dayOf: (v: string) => number, n = 20): void {
  const j = b.header.indexOf(column);
  if (!b.rows.slice(0, n).some((r) => dayOf(r[j]) > 12)) throw new Error(`${column}: no day above 12 in the first ${n} rows`);
}

// ---------------------------------------------------------------------------------------------
// BigCommerce

/**
 * BigCommerce control panel → Orders → Export, "Default" export template, CSV (BigCommerce Help
 * Center, "Exporting Orders" and the Order Export field reference): one row per order, Order ID,
 * Customer ID ("0" for a guest checkout, about 30% of orders here), Customer Name, Customer Email
 * (set for guests too), Order Date (dd/mm/yyyy, the store's date format), Order Status, the
 * "(inc tax)" / "(ex tax)" money columns, Tax Total, Gift Certificate Amount Redeemed, Order Total,
 * Total Quantity, Date Shipped, Order Source.
 *
 * Money: a customer's spend is Order Total (inc tax) (subtotal + shipping, tax included), what they
 * paid; customers are identified by e-mail (Customer ID is 0 for every guest). "Awaiting Payment"
 * orders have not been paid: no purchase (droppable). Subtotals, totals ex tax and Tax Total are
 * different (wrong) answers.
 */
export function bigCommerceOrders(seed = 9201): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'Order ID', 'Customer ID', 'Customer Name', 'Customer Email', 'Customer Phone', 'Order Date', 'Order Status', 'Subtotal (inc tax)',
    'Subtotal (ex tax)', 'Tax Total', 'Shipping Cost (inc tax)', 'Shipping Cost (ex tax)', 'Ship Method', 'Store Credit Redeemed',
    'Gift Certificate Amount Redeemed', 'Coupon Details', 'Order Total (inc tax)', 'Order Total (ex tax)', 'Payment Method', 'Total Quantity',
    'Total Shipped', 'Date Shipped', 'Order Currency Code', 'Billing City', 'Billing Country', 'Order Source',
  ];
  const b = new Builder(header);
  const people = Array.from({ length: 230 }, (_, i) => ({ ...person(rng, i, 'outlook.com'), id: String(1 + 3 * i + rng.int(3)), phone: `04${digits(rng, 8)}` }));
  const dmy = (day: number) => (({ y, m, d }) => `${pad2(d)}/${pad2(m)}/${y}`)(ymd(day));
  let orderId = 100;
  for (const v of visits(rng, people.length, '2022-02-14', '2024-02-16', 45, 0.72)) {
    const p = people[v.customer];
    const qty = 1 + rng.int(4);
    const subEx = qty * price(rng, 24, 0.5);
    const shipEx = subEx >= 7500 ? 0 : 900;
    const [subInc, shipInc] = [Math.round(subEx * 1.1), Math.round(shipEx * 1.1)];
    const r = rng.uniform();
    const status = r < 0.08 ? 'Awaiting Payment' : r < 0.18 ? 'Awaiting Fulfillment' : r < 0.45 ? 'Shipped' : 'Completed';
    const shipped = status === 'Shipped' || status === 'Completed';
    const unpaid = status === 'Awaiting Payment';
    b.row(
      {
        'Order ID': String(orderId++),
        'Customer ID': rng.uniform() < 0.3 ? '0' : p.id,
        'Customer Name': p.name,
        'Customer Email': p.email,
        'Customer Phone': p.phone,
        'Order Date': dmy(v.day),
        'Order Status': status,
        'Subtotal (inc tax)': dot(subInc),
        'Subtotal (ex tax)': dot(subEx),
        'Tax Total': dot(subInc - subEx + shipInc - shipEx),
        'Shipping Cost (inc tax)': dot(shipInc),
        'Shipping Cost (ex tax)': dot(shipEx),
        'Ship Method': shipEx === 0 ? 'Free Shipping' : 'Australia Post',
        'Store Credit Redeemed': '0.00',
        'Gift Certificate Amount Redeemed': '0.00',
        'Order Total (inc tax)': dot(subInc + shipInc),
        'Order Total (ex tax)': dot(subEx + shipEx),
        'Payment Method': unpaid ? 'Bank Deposit' : pick(rng, ['Credit Card', 'PayPal', 'Afterpay']),
        'Total Quantity': String(qty),
        'Total Shipped': shipped ? String(qty) : '0',
        'Date Shipped': shipped ? dmy(v.day + 1 + rng.int(3)) : '',
        'Order Currency Code': 'AUD',
        'Billing City': pick(rng, ['Sydney', 'Melbourne', 'Brisbane', 'Perth']),
        'Billing Country': 'Australia',
        'Order Source': rng.uniform() < 0.9 ? 'www' : 'manual',
      },
      { droppable: unpaid },
    );
    if (!unpaid) b.money(p.email, v.day, subInc + shipInc);
  }
  requireEarlyDayAbove12(b, 'Order Date', (v) => Number(v.slice(0, 2)));
  return fixture(b, {
    name: 'BigCommerce orders export (dd/mm/yyyy, guests with Customer ID 0)',
    fileName: 'orders-2024-02-16.csv',
    cutoff: '2023-08-31',
    expected: { customer: 'Customer Email', date: ['Order Date'], amount: ['Order Total (inc tax)'], dateFormats: ['dmy'], decimalSeparator: '.' },
    money: 'Order Total (inc tax) per order, by e-mail; Awaiting Payment orders are no purchase',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// Mollie

/**
 * Mollie Dashboard → Payments → Export (CSV) (Mollie Help Center, "How do I export my payments?";
 * statuses as in docs.mollie.com/docs/status-change): ID ("tr_…"), Date ("YYYY-MM-DD HH:MM:SS"),
 * Payment method, Currency, Amount, Status (paid, open, canceled, expired, failed), Description,
 * Consumer name, Customer ID ("cst_…"), Order ID ("ord_…"), Refunded amount (empty unless money
 * went back; a refunded payment keeps its status "paid").
 *
 * Money: a paid payment's Amount on its day, less its Refunded amount the same day (the export
 * carries no refund date; a full refund nets the day to zero through a refund: no purchase). Open,
 * canceled, expired and failed payments moved no money: no purchase (droppable).
 */
export function mollieLikePayments(seed = 9202): ExportFixture {
  const rng = new Rng(seed);
  const header = ['ID', 'Date', 'Payment method', 'Currency', 'Amount', 'Status', 'Description', 'Consumer name', 'Customer ID', 'Order ID', 'Refunded amount'];
  const b = new Builder(header);
  const customers = Array.from({ length: 200 }, (_, i) => ({ id: `cst_${alnum(rng, 10, LETTERS_DIGITS)}`, name: person(rng, i).name }));
  let order = 10_400;
  for (const v of visits(rng, customers.length, '2022-05-02', '2024-04-30', 35, 0.75)) {
    const c = customers[v.customer];
    const amount = price(rng, 45, 0.7);
    const r = rng.uniform();
    const status = r < 0.04 ? 'open' : r < 0.09 ? 'canceled' : r < 0.15 ? 'expired' : r < 0.2 ? 'failed' : 'paid';
    const paid = status === 'paid';
    const q = rng.uniform();
    const refund = !paid ? 0 : q < 0.04 ? amount : q < 0.09 ? Math.max(1, Math.round(amount * (0.1 + 0.6 * rng.uniform()))) : 0;
    b.row(
      {
        ID: `tr_${alnum(rng, 10, LETTERS_DIGITS)}`,
        Date: stamp(v.day, v.seconds),
        'Payment method': pick(rng, ['iDEAL', 'iDEAL', 'Credit card', 'Bancontact', 'PayPal', 'SOFORT Banking']),
        Currency: 'EUR',
        Amount: dot(amount),
        Status: status,
        Description: `Order #${order}`,
        'Consumer name': c.name,
        'Customer ID': c.id,
        'Order ID': `ord_${alnum(rng, 6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
        'Refunded amount': refund > 0 ? dot(refund) : '',
      },
      { droppable: !paid },
    );
    order++;
    if (!paid) continue;
    b.money(c.id, v.day, amount);
    if (refund > 0) b.money(c.id, v.day, -refund);
  }
  return fixture(b, {
    name: 'Mollie payments export (statuses, refunded amount)',
    fileName: 'mollie-payments-export.csv',
    cutoff: '2023-10-31',
    expected: { customer: 'Customer ID', date: ['Date'], amount: ['Amount'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'Amount of paid payments less Refunded amount the same day; open, canceled, expired and failed are no purchase',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// Salesforce

/**
 * A Salesforce report of type "Opportunities", exported as "Details Only", CSV (Salesforce Help,
 * "Export a Report"; standard Opportunity fields and the default sales process stages): Opportunity
 * Name, Account Name, Stage, Amount (a plain number), Probability (%), Close Date (m/d/yyyy for an
 * English (United States) locale, "6/14/2023"), Lead Source, Type. Open deals carry the expected
 * close date.
 *
 * Money: only Closed Won opportunities are sales: Amount on Close Date, for the account. Closed
 * Lost and open stages (Prospecting, Qualification, Negotiation/Review) are no sale (droppable).
 */
export function salesforceOpportunities(seed = 9203): ExportFixture {
  const rng = new Rng(seed);
  const header = ['Opportunity Name', 'Account Name', 'Stage', 'Amount', 'Probability (%)', 'Close Date', 'Lead Source', 'Type'];
  const b = new Builder(header);
  const accounts = companies(rng, 170);
  const seen = new Set<number>();
  const end = toDay('2024-06-28');
  for (const v of visits(rng, accounts.length, '2022-01-17', '2024-06-28', 60, 0.78)) {
    const account = accounts[v.customer];
    const amount = 100 * Math.round(price(rng, 18_000, 0.8) / 100);
    const open = v.day > end - 120 && rng.uniform() < 0.6;
    const stage = open ? pick(rng, ['Prospecting', 'Qualification', 'Negotiation/Review']) : rng.uniform() < 0.62 ? 'Closed Won' : 'Closed Lost';
    const probability = { 'Closed Won': 100, 'Closed Lost': 0, Prospecting: 10, Qualification: 20, 'Negotiation/Review': 80 }[stage]!;
    const { y, m, d } = ymd(v.day);
    b.row(
      {
        'Opportunity Name': `${account} - ${pick(rng, ['Annual Licenses', 'Implementation', 'Support Renewal', 'Add-On Seats', 'Training'])}`,
        'Account Name': account,
        Stage: stage,
        Amount: dot(amount),
        'Probability (%)': String(probability),
        'Close Date': `${m}/${d}/${y}`,
        'Lead Source': pick(rng, ['Web', 'Phone Inquiry', 'Partner Referral', 'Trade Show', 'Word of mouth']),
        Type: seen.has(v.customer) ? pick(rng, ['Existing Customer - Upgrade', 'Existing Customer - Replacement']) : 'New Customer',
      },
      { droppable: stage !== 'Closed Won' },
    );
    seen.add(v.customer);
    if (stage === 'Closed Won') b.money(account, v.day, amount);
  }
  requireEarlyDayAbove12(b, 'Close Date', (v) => Number(v.split('/')[1]));
  return fixture(b, {
    name: 'Salesforce opportunities report (m/d/yyyy, stages)',
    fileName: 'report1718000000000.csv',
    cutoff: '2023-09-30',
    expected: { customer: 'Account Name', date: ['Close Date'], amount: ['Amount'], dateFormats: ['mdy'], decimalSeparator: '.' },
    money: 'Amount of Closed Won opportunities on Close Date; every other stage is no sale',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// HubSpot

/**
 * HubSpot CRM → Deals → Export, CSV (HubSpot Knowledge Base, "Export your records"; default deal
 * properties and the default sales pipeline's stages): Record ID (10 digits, one per deal), Deal
 * Name, Deal Stage (Appointment Scheduled, Qualified To Buy, Contract Sent, Closed Won, Closed
 * Lost), Pipeline, Close Date and Create Date ("YYYY-MM-DD HH:MM"), Deal owner, Amount, and the
 * association columns Associated Company (the name) and Associated Company IDs (the record id).
 * A few company names are shared by two different companies (two "Summit Dental" practices).
 *
 * Money: Closed Won deals only, Amount on Close Date; the customer is the company record
 * (Associated Company IDs), not its name. Every other stage is droppable.
 */
export function hubSpotDeals(seed = 9204): ExportFixture {
  const rng = new Rng(seed);
  const header = ['Record ID', 'Deal Name', 'Deal Stage', 'Pipeline', 'Close Date', 'Create Date', 'Deal owner', 'Amount', 'Associated Company', 'Associated Company IDs'];
  const b = new Builder(header);
  const names = companies(rng, 150);
  // Every tenth company takes the name of the one before it: same name, another company.
  const firms = names.map((name, i) => ({ name: i % 10 === 9 ? names[i - 1] : name, id: String(5_000_000_000 + 1000 * i + rng.int(1000)) }));
  const dealIds = new Set<string>();
  const end = toDay('2024-05-31');
  for (const v of visits(rng, firms.length, '2022-03-01', '2024-05-31', 50, 0.78)) {
    const firm = firms[v.customer];
    let id: string;
    do id = digits(rng, 10);
    while (dealIds.has(id));
    dealIds.add(id);
    const open = v.day > end - 90 && rng.uniform() < 0.6;
    const stage = open ? pick(rng, ['Appointment Scheduled', 'Qualified To Buy', 'Contract Sent']) : rng.uniform() < 0.6 ? 'Closed Won' : 'Closed Lost';
    const amount = 50 * Math.round(price(rng, 6_000, 0.7) / 50);
    b.row(
      {
        'Record ID': id,
        'Deal Name': `${firm.name} - ${pick(rng, ['New Business', 'Renewal', 'Upsell', 'Pilot'])}`,
        'Deal Stage': stage,
        Pipeline: 'Sales Pipeline',
        'Close Date': stamp(v.day, v.seconds, 5),
        'Create Date': stamp(v.day - 5 - rng.int(80), 7 * 3600 + rng.int(11 * 3600), 5),
        'Deal owner': pick(rng, ['Priya Shah', 'Marcus Bell', 'Elena Rossi', 'Tom Becker']),
        Amount: String(amount / 100),
        'Associated Company': firm.name,
        'Associated Company IDs': firm.id,
      },
      { droppable: stage !== 'Closed Won' },
    );
    if (stage === 'Closed Won') b.money(firm.id, v.day, amount);
  }
  return fixture(b, {
    name: 'HubSpot deals export (company ids, shared company names)',
    fileName: 'hubspot-crm-exports-all-deals-2024-06-03.csv',
    cutoff: '2023-10-31',
    expected: { customer: 'Associated Company IDs', date: ['Close Date'], amount: ['Amount'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'Amount of Closed Won deals on Close Date, per company record id',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// Google Analytics 4

/**
 * Google Analytics 4 BigQuery export (support.google.com/analytics/answer/7029846, "[GA4]
 * BigQuery Export schema"), one row per event, flattened to CSV: event_date ("YYYYMMDD", in the
 * property's reporting time zone, New York here), event_timestamp (microseconds, UTC, so late
 * evening events fall on the next UTC day), event_name, user_pseudo_id (the device,
 * "1425145869.1702730479", on every row), user_id (only for signed-in users, about 45%),
 * event_value_in_usd (the value of view_item, add_to_cart, begin_checkout, purchase and refund:
 * a refund's is written positive), ecommerce.purchase_revenue (purchase rows) and
 * ecommerce.transaction_id (purchase and refund rows).
 *
 * Money: purchase events are purchases (event_value_in_usd = the revenue), refund events are
 * returns (negative, on their event_date); session_start, page_view, view_item, add_to_cart and
 * begin_checkout are no purchase (droppable). The customer is user_pseudo_id.
 */
export function ga4Events(seed = 9205): ExportFixture {
  const rng = new Rng(seed);
  const header = ['event_date', 'event_timestamp', 'event_name', 'user_pseudo_id', 'user_id', 'event_value_in_usd', 'ecommerce.purchase_revenue', 'ecommerce.transaction_id'];
  const b = new Builder(header);
  const users = Array.from({ length: 150 }, () => ({ pseudo: `${digits(rng, 10)}.${1_640_000_000 + rng.int(40_000_000)}`, id: rng.uniform() < 0.45 ? `U${digits(rng, 6)}` : '' }));
  const refunds: { day: number; seconds: number; user: number; cents: number; tx: string }[] = [];
  const write = (day: number, seconds: number, user: number, event: string, cents: number | null, tx = '') => {
    const { y, m, d } = ymd(day);
    const offset = (m >= 4 && m <= 10 ? 4 : 5) * 3600;
    const u = users[user];
    b.row(
      {
        event_date: `${y}${pad2(m)}${pad2(d)}`,
        event_timestamp: String((day * DAY_S + seconds + offset) * 1_000_000 + rng.int(1_000_000)),
        event_name: event,
        user_pseudo_id: u.pseudo,
        user_id: u.id,
        event_value_in_usd: cents === null ? '' : float(cents),
        'ecommerce.purchase_revenue': event === 'purchase' ? float(cents!) : '',
        'ecommerce.transaction_id': tx,
      },
      { droppable: event !== 'purchase' && event !== 'refund' },
    );
    if (event === 'purchase') b.money(u.pseudo, day, cents!);
    if (event === 'refund') b.money(u.pseudo, day, -cents!);
  };
  for (const v of visits(rng, users.length, '2023-01-09', '2024-06-28', 40, 0.72)) {
    refunds.sort((a, c) => a.day - c.day || a.seconds - c.seconds);
    while (refunds.length > 0 && (refunds[0].day < v.day || (refunds[0].day === v.day && refunds[0].seconds < v.seconds))) {
      const r = refunds.shift()!;
      write(r.day, r.seconds, r.user, 'refund', r.cents, r.tx);
    }
    let t = v.seconds;
    const step = (event: string, cents: number | null, tx?: string) => write(v.day, (t = Math.min(DAY_S - 1, t + 5 + rng.int(120))), v.customer, event, cents, tx);
    step('session_start', null);
    step('page_view', null);
    const item = price(rng, 30, 0.5);
    step('view_item', item);
    if (rng.uniform() > 0.72) continue;
    const cart = item * (1 + rng.int(3));
    step('add_to_cart', cart);
    if (rng.uniform() > 0.85) continue;
    step('begin_checkout', cart);
    if (rng.uniform() > 0.85) continue;
    const revenue = cart + (cart >= 5000 ? 0 : 599);
    const tx = `T${digits(rng, 8)}`;
    step('purchase', revenue, tx);
    if (rng.uniform() < 0.07) {
      const day = rng.uniform() < 0.3 ? v.day : v.day + 1 + rng.int(20);
      refunds.push({ day, seconds: day === v.day ? Math.min(DAY_S - 1, t + 3600) : 9 * 3600 + rng.int(8 * 3600), user: v.customer, cents: rng.uniform() < 0.6 ? revenue : item, tx });
    }
  }
  for (const r of refunds.sort((a, c) => a.day - c.day || a.seconds - c.seconds)) write(r.day, r.seconds, r.user, 'refund', r.cents, r.tx);
  return fixture(b, {
    name: 'GA4 BigQuery events (yyyymmdd, event log with refunds)',
    fileName: 'bq-results-20240701-events.csv',
    cutoff: '2023-12-31',
    expected: { customer: 'user_pseudo_id', date: ['event_date'], amount: ['event_value_in_usd', 'ecommerce.purchase_revenue'], dateFormats: ['yyyymmdd'], decimalSeparator: '.' },
    money: 'event_value_in_usd of purchase events; refund events negative on their day; every other event is no purchase',
    text: { separator: ',' },
  });
}

// ---------------------------------------------------------------------------------------------
// French Excel, ANSI

/**
 * An invoice list saved by Excel in French as "CSV (séparateur : point-virgule)" (Microsoft
 * Support, "Import or export text (.txt or .csv) files": the non-UTF-8 CSV types are written in
 * the system's ANSI code page, Windows-1252 in France; the list separator is ";" where the
 * decimal mark is a comma; lines end in CRLF; no byte-order mark). Date dd/mm/yyyy, N° facture,
 * Code client, Client (accented names), Montant HT, TVA (20%), Montant TTC, the amounts formatted
 * as French currency cells: a no-break space (0xA0) between thousands, a decimal comma and " €"
 * (€ is 0x80), "1 250,00 €"; many are above 1,000.
 *
 * Money: Montant TTC, what the customer paid (HT + TVA).
 */
export function frenchExcelAnsi(seed = 9206): ExportFixture {
  const rng = new Rng(seed);
  const header = ['Date', 'N° facture', 'Code client', 'Client', 'Montant HT', 'TVA', 'Montant TTC'];
  const b = new Builder(header);
  const trades = ['Boulangerie', 'Pâtisserie', 'Café', 'Hôtel', 'Crêperie', 'Librairie', 'Épicerie', 'Brasserie', 'Société'];
  const names = ['Lefèvre', 'Hélène', "Côte d'Azur", 'Müller', 'Gérard', 'Bénédicte', 'des Châteaux', 'Saint-Étienne', 'Noël', 'Françoise', 'Façade'];
  const clients = Array.from({ length: 160 }, (_, i) => ({ code: `CLI${String(40 + 7 * i).padStart(5, '0')}`, name: `${pick(rng, trades)} ${pick(rng, names)} ${i + 1}` }));
  const euros = (cents: number) => `${grouped(cents, '\u00a0', ',')} €`;
  let invoice = 1;
  for (const v of visits(rng, clients.length, '2022-01-17', '2023-12-22', 40, 0.8)) {
    const c = clients[v.customer];
    const ht = price(rng, 900, 0.9);
    const tva = Math.round(ht * 0.2);
    const { y, m, d } = ymd(v.day);
    b.row({
      Date: `${pad2(d)}/${pad2(m)}/${y}`,
      'N° facture': `FA${y}-${String(invoice++).padStart(5, '0')}`,
      'Code client': c.code,
      Client: c.name,
      'Montant HT': euros(ht),
      TVA: euros(tva),
      'Montant TTC': euros(ht + tva),
    });
    b.money(c.code, v.day, ht + tva);
  }
  requireEarlyDayAbove12(b, 'Date', (v) => Number(v.slice(0, 2)));
  return fixture(b, {
    name: 'French Excel CSV (Windows-1252, ;, 1 250,00 €)',
    fileName: 'Factures 2022-2023.csv',
    cutoff: '2023-06-30',
    expected: { customer: 'Code client', date: ['Date'], amount: ['Montant TTC'], dateFormats: ['dmy'], decimalSeparator: ',' },
    money: 'Montant TTC (HT + TVA) per invoice',
    text: { separator: ';', crlf: true, encoding: 'windows-1252' },
  });
}

// ---------------------------------------------------------------------------------------------
// eBay

/**
 * eBay Seller Hub → Orders → Download report, "Orders report" CSV (eBay Seller Center, "Seller Hub
 * order reports"): a blank first line, then every field quoted: Sales Record Number, Order Number
 * ("12-12989-37243"), Buyer Username, Buyer Name, Buyer Email (an eBay relay address, different on
 * every order), Buyer City, Item Number (12 digits), Item Title, Quantity, Sold For ("$14.50", per
 * item), Shipping And Handling, Total Price ("$21.69"), Sale Date, Paid On Date and Shipped On
 * Date ("Jun-24-24"). Single-item orders only. After the data a blank line and one footer line,
 * "1,234 record(s) downloaded,from 06/01/2023 to 06/30/2024", a single quoted field: read as a
 * row, it has no buyer (droppable, no customer).
 *
 * Money: Total Price per order (Sold For × Quantity + Shipping And Handling) on Sale Date; the
 * customer is Buyer Username (the relay e-mail changes with every order).
 */
export function eBayOrdersReport(seed = 9207): ExportFixture {
  const rng = new Rng(seed);
  const header = [
    'Sales Record Number', 'Order Number', 'Buyer Username', 'Buyer Name', 'Buyer Email', 'Buyer City', 'Item Number', 'Item Title', 'Quantity',
    'Sold For', 'Shipping And Handling', 'Total Price', 'Sale Date', 'Paid On Date', 'Shipped On Date',
  ];
  const b = new Builder(header);
  const items = [['Vintage Pyrex Mixing Bowl 2.5 qt', 2450], ['Lego Technic 42115 Manual Only', 1450], ['Nikon 50mm f/1.8 AF-D Lens', 8900], ['Cast Iron Skillet 10"', 3200], ['Pokemon Card Lot (50)', 1999], ['USB-C Hub, 7-in-1', 1850]] as const;
  const listings = items.map((it) => ({ title: it[0], cents: it[1], number: digits(rng, 12) }));
  const buyers = Array.from({ length: 460 }, (_, i) => ({ ...person(rng, i), user: `${pick(rng, FIRST)}_${alnum(rng, 4, 'abcdefghijklmnopqrstuvwxyz')}${rng.int(100)}`, city: pick(rng, ['Columbus', 'Tucson', 'Raleigh', 'Omaha', 'Fresno']) }));
  const monthName = (day: number) => (({ y, m, d }) => `${MONTHS[m - 1]}-${pad2(d)}-${pad2(y % 100)}`)(ymd(day));
  const first = toDay('2023-06-01');
  const last = toDay('2024-06-30');
  let record = 1001;
  for (const v of visits(rng, buyers.length, fromDay(first), fromDay(last), 45, 0.68)) {
    const buyer = buyers[v.customer];
    const item = pick(rng, listings);
    const qty = rng.uniform() < 0.85 ? 1 : 2;
    const sold = Math.max(99, item.cents + 100 * Math.round(rng.normal() * 3));
    const shipping = rng.uniform() < 0.35 ? 0 : pick(rng, [499, 719, 895]);
    const total = sold * qty + shipping;
    const shipped = v.day + 1 + rng.int(3);
    b.row({
      'Sales Record Number': String(record++),
      'Order Number': `${pad2(10 + rng.int(20))}-${digits(rng, 5)}-${digits(rng, 5)}`,
      'Buyer Username': buyer.user,
      'Buyer Name': buyer.name,
      'Buyer Email': `${digits(rng, 10)}${alnum(rng, 3, 'abcdef')}@members.ebay.com`,
      'Buyer City': buyer.city,
      'Item Number': item.number,
      'Item Title': item.title,
      Quantity: String(qty),
      'Sold For': dollars(sold),
      'Shipping And Handling': dollars(shipping),
      'Total Price': dollars(total),
      'Sale Date': monthName(v.day),
      'Paid On Date': monthName(rng.uniform() < 0.9 ? v.day : v.day + 1),
      'Shipped On Date': shipped <= last ? monthName(shipped) : '',
    });
    b.money(buyer.user, v.day, total);
  }
  const mdy = (day: number) => (({ y, m, d }) => `${pad2(m)}/${pad2(d)}/${y}`)(ymd(day));
  b.footer('');
  b.footer(`"${String(b.rows.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} record(s) downloaded,from ${mdy(first)} to ${mdy(last)}"`, { noCustomer: true });
  return fixture(b, {
    name: 'eBay Seller Hub orders report (blank first line, footer, Jun-24-24)',
    fileName: 'eBay-OrdersReport-Jul-01-2024-09%3A14%3A02-0700-1234567890.csv',
    cutoff: '2024-01-31',
    expected: { customer: 'Buyer Username', date: ['Sale Date'], amount: ['Total Price'], dateFormats: ['month_name'], decimalSeparator: '.' },
    money: 'Total Price per order (Sold For × Quantity + Shipping And Handling) on Sale Date, by Buyer Username',
    text: { separator: ',', quoteAll: true, before: '\n' },
  });
}

// ---------------------------------------------------------------------------------------------
// Adyen

/**
 * Adyen Customer Area → Reports → "Payment accounting report" (docs.adyen.com/reporting/
 * payment-accounting-report; record types in docs.adyen.com/reporting/payment-accounting-report/
 * journal-types): one record per step of a payment's life, each with its Booking Date: Received,
 * Authorised, SentForSettle, Settled; or Received then Refused; a refund adds SentForRefund and
 * Refunded. Columns used: Company Account, Merchant Account, Psp Reference (16 digits), Merchant
 * Reference, Payment Method, Booking Date ("YYYY-MM-DD HH:MM:SS"), TimeZone (CET), Main Currency,
 * Main Amount (positive on every record, the record type gives the direction), Record Type,
 * Shopper Reference, Shopper Email. Settlement comes one to three days after authorisation.
 *
 * Money: the Settled record is the purchase (Main Amount on its booking day); Refunded is a return
 * (−Main Amount on its booking day); every other record type is a step that moves no money
 * (droppable).
 */
export function adyenPaymentAccounting(seed = 9208): ExportFixture {
  const rng = new Rng(seed);
  const header = ['Company Account', 'Merchant Account', 'Psp Reference', 'Merchant Reference', 'Payment Method', 'Booking Date', 'TimeZone', 'Main Currency', 'Main Amount', 'Record Type', 'Shopper Reference', 'Shopper Email'];
  const b = new Builder(header);
  const shoppers = Array.from({ length: 140 }, (_, i) => ({ ref: `SHOPPER-${String(10_000 + 13 * i)}`, email: person(rng, i, 'gmail.com').email }));
  const records: { at: number; type: string; psp: string; ref: string; method: string; cents: number; shopper: number }[] = [];
  let order = 4500;
  for (const v of visits(rng, shoppers.length, '2022-09-05', '2024-06-28', 40, 0.72)) {
    const base = { psp: digits(rng, 16), ref: `NW-${String(order++).padStart(7, '0')}`, method: pick(rng, ['visa', 'mc', 'amex', 'ideal', 'paypal']), cents: price(rng, 60, 0.6), shopper: v.customer };
    const t = v.day * DAY_S + v.seconds;
    records.push({ ...base, at: t, type: 'Received' });
    if (rng.uniform() < 0.06) {
      records.push({ ...base, at: t + 2, type: 'Refused' });
      continue;
    }
    records.push({ ...base, at: t + 2, type: 'Authorised' }, { ...base, at: t + 60 + rng.int(600), type: 'SentForSettle' });
    const settled = (v.day + 1 + rng.int(3)) * DAY_S + 2 * 3600 + rng.int(4 * 3600);
    records.push({ ...base, at: settled, type: 'Settled' });
    if (rng.uniform() < 0.08) {
      const refund = rng.uniform() < 0.6 ? base.cents : Math.round(base.cents * (0.2 + 0.6 * rng.uniform()));
      const sent = rng.uniform() < 0.3 ? settled + 3600 : settled + (1 + rng.int(20)) * DAY_S;
      records.push({ ...base, cents: refund, at: sent, type: 'SentForRefund' }, { ...base, cents: refund, at: sent + 1800, type: 'Refunded' });
    }
  }
  records.sort((a, c) => a.at - c.at || a.psp.localeCompare(c.psp));
  for (const r of records) {
    const day = Math.floor(r.at / DAY_S);
    const s = shoppers[r.shopper];
    b.row(
      {
        'Company Account': 'NorthwindCOM',
        'Merchant Account': 'NorthwindECOM',
        'Psp Reference': r.psp,
        'Merchant Reference': r.ref,
        'Payment Method': r.method,
        'Booking Date': stamp(day, r.at - day * DAY_S),
        TimeZone: 'CET',
        'Main Currency': 'EUR',
        'Main Amount': dot(r.cents),
        'Record Type': r.type,
        'Shopper Reference': s.ref,
        'Shopper Email': s.email,
      },
      { droppable: r.type !== 'Settled' && r.type !== 'Refunded' },
    );
    if (r.type === 'Settled') b.money(s.ref, day, r.cents);
    if (r.type === 'Refunded') b.money(s.ref, day, -r.cents);
  }
  return fixture(b, {
    name: 'Adyen payment accounting report (record types)',
    fileName: 'payments_accounting_report_2024_07_01.csv',
    cutoff: '2023-12-31',
    expected: { customer: 'Shopper Reference', date: ['Booking Date'], amount: ['Main Amount'], dateFormats: ['iso', 'native'], decimalSeparator: '.' },
    money: 'Main Amount of Settled records; Refunded records negative on their booking day; every other record type moves no money',
    text: { separator: ',' },
  });
}

/** Every generator of this file, with its default seed. */
export function paymentExportShapes(): ExportFixture[] {
  return [bigCommerceOrders(), mollieLikePayments(), salesforceOpportunities(), hubSpotDeals(), ga4Events(), frenchExcelAnsi(), eBayOrdersReport(), adyenPaymentAccounting()];
}
