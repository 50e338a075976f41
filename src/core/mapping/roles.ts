import { detectDateFormat, type DateFormat } from './dateFormat';
import { detectDecimalSeparator, isNumericType, looksLikeMoney, type DecimalSeparator } from './amountFormat';
import { normalisedName } from './columnNames';
import { findKindColumn } from './transactionKinds';
import { isKnownStatus, isRefundFlag, isTestFlag } from './paymentStatus';
import { betterIdentified, isConstant } from './customerColumn';
import { listsInvoices } from './invoiceList';

/** What a column means for CLV. Customer, date and amount (or quantity × unit price) are required. */
export type Role = 'customer' | 'date' | 'amount' | 'order' | 'quantity' | 'unitPrice' | 'category' | 'channel' | 'region';

export const REQUIRED_ROLES: readonly Role[] = ['customer', 'date', 'amount'];
export const OPTIONAL_ROLES: readonly Role[] = ['order', 'quantity', 'unitPrice', 'category', 'channel', 'region'];
/** Optional roles whose values become encoded features. */
export const CATEGORICAL_ROLES = ['category', 'channel', 'region'] as const;

export interface ColumnSample {
  name: string;
  type: string;
  /** First non-null values as text. */
  values: string[];
}

export interface ColumnMapping {
  customer: string | null;
  date: string | null;
  amount: string | null;
  order: string | null;
  quantity: string | null;
  unitPrice: string | null;
  category: string | null;
  channel: string | null;
  region: string | null;
  dateFormat: DateFormat;
  /** Day-first vs month-first undecidable from the values; the UI asks. */
  dateFormatAmbiguous: boolean;
  decimalSeparator: DecimalSeparator;
  /**
   * Whether "1.234" means 1234 or 1.234 is undecidable from the whole file: every value with a
   * point has exactly three digits after it and nothing else settles it; the UI asks. Absent: decided.
   */
  decimalSeparatorAmbiguous?: boolean;
  /** Readings settled by a pass over the whole file because the sampled rows left them open. */
  decisions?: MappingDecision[];
  /**
   * Payment or order status ("succeeded", "failed", "refunded"…): rows whose payment did not happen
   * are left out (counted), a refunded row nets to nothing. Optional; absent means none.
   */
  status?: string | null;
  /** Amount refunded on the row's payment (Stripe's amount_refunded, Shopify's Refunded Amount): subtracted. */
  refund?: string | null;
  /** ISO currency code per row, needed to read amounts written in minor units. */
  currency?: string | null;
  /**
   * What kind of transaction each row is (Shopify's "Kind", "Transaction Type"): refunds and credit
   * memos are returns whatever their sign; authorizations, voids and payouts (and a ledger's
   * payments) are not purchases. See transactionKinds.ts.
   */
  kind?: string | null;
  /** Amounts are whole numbers of the currency's minor unit (cents), as payment APIs export them. */
  amountMinorUnits?: boolean;
  /**
   * A yes/no column that marks rows that are no real charge: test payments (Lemon Squeezy's "Test
   * Mode", Stripe's livemode) and pre-order authorizations (Gumroad): left out as not a purchase.
   * See paymentStatus.ts isTestFlag. Optional; absent means none.
   */
  testFlag?: string | null;
}

/** A reading the sample could not settle, decided (or left to the user) from counts over the whole file. */
export interface MappingDecision {
  setting: 'dateFormat' | 'decimalSeparator' | 'amountUnit' | 'ledgerSide';
  column: string;
  /** The reading chosen, or null when the whole file fits several equally (the user is asked). */
  chosen: string | null;
  /** Values in the whole file that only one reading can parse, by reading (e.g. {dmy: 0, mdy: 234047}). */
  evidence: Record<string, number>;
  /** Values every reading parses the same way or all equally (e.g. 12/1/2010 for dmy vs mdy). */
  undecided: number;
}

/**
 * A guess complete enough to load without asking: every required role found (an amount, or a
 * quantity and a unit price), a date format and a decimal separator decided by the values. The
 * app then loads at once and keeps the mapping on screen to change; otherwise it waits at the
 * mapping step.
 */
export function isConfidentMapping(m: ColumnMapping): boolean {
  return m.customer !== null && m.date !== null && (m.amount !== null || (m.quantity !== null && m.unitPrice !== null)) && !m.dateFormatAmbiguous && !m.decimalSeparatorAmbiguous;
}

const NAME_PATTERNS: Record<Role, RegExp> = {
  customer: /(^|_|\b)(customer|cust|client|user|member|buyer|shopper|account|contact|household|master|company|organi[sz]ation|kunde|kunden|cliente|debitor|debitoren|debtor|debiteur|debiteuren|partner)(_?id|_?no|_?nr|_?key|_?number|_?code|nummer|naam|name)?($|_|\b)|^(cid|uid|customerid|clientid|userid|name|cardcode|cardname)$|^co\.?\s*\/\s*last name$|^verk\.? an deb\.?-?nr\.?$|e-?mail/i,
  date: /date|time|^ts$|timestamp|^day$|created|ordered_at|purchased|processed_at|period/i,
  amount: /amount|revenue|sales|spend|total|value|payment|paid|gmv|dollar|price_total|turnover|^sum$|net|gross|brutto|betrag|umsatz|valor|importe|montant|preis|prix|bedrag|belopp|debit|^soll$|^debe$|sale_?price|sale price/i,
  order: /(order|invoice|transaction|receipt|basket|txn|ticket|bill)([\s_-]?(id|no|number|key|nr|#)\.?)?$/i,
  quantity: /qty|quantity|units|number_of|n_items|items|^count$|pieces/i,
  unitPrice: /unit_?price|^price$|item_?price|unitcost|^rate$|einzelpreis|st(ü|ue)ckpreis|prix_?unitaire|precio_?unitario|preco_?unitario/i,
  category: /category|product_?type|department|genre|family|^product$|stockcode|sku|item_?group|brand/i,
  channel: /channel|source|medium|platform|device|store_?type/i,
  region: /region|country|state|city|(^|[\s_.-])market($|[\s_.-])|zone|province|territory|location/i,
};


/**
 * Among several columns whose names fit a role, how well each name says it (higher wins; ties go to
 * the earlier column); -1 rules a column out. Exports carry many money columns (Subtotal, Shipping,
 * Taxes, Total; amount, amount_refunded) and several ids (customer_id per order vs
 * customer_unique_id): the one a careful analyst picks is the one that says what was paid, or who paid.
 */
function namePreference(role: Role, rawName: string, context: { feesBeside: boolean } = { feesBeside: false }): number {
  const name = normalisedName(rawName);
  if (role === 'amount') {
    // "Order Total (inc tax)" and "Total excl. VAT" are totals; "Tax", "VAT amount" are the tax alone.
    // French exports: HT (hors taxes) before tax, TTC (toutes taxes comprises) with it.
    // Tax by its names in German (MwSt., read mw_st; USt.), Dutch (btw), French (TVA), Spanish and Italian (IVA), Nordic (moms); "ohne" (without) and "exkl." too.
    const withTax = /(^|_)(inc|incl|including|inclusive|with|after|plus|inkl|mit)_?(of_)?(tax|taxes|vat|gst|mw_?st|ust|btw|tva|iva|moms)(_|$)|(^|_)ttc$/.test(name);
    const plain = name
      .replace(/(^|_)(inc|incl|including|inclusive|ex|excl|excluding|exclusive|with|without|after|before|plus|less|inkl|exkl|ohne|mit|zzgl)_?(of_)?(tax|taxes|vat|gst|mw_?st|ust|btw|tva|iva|moms)(_|$)/g, '$1')
      .replace(/_(ht|ttc)$/, '')
      .replace(/^_+|_+$/g, '');
    if (/sub_?total|shipping|freight|tax|vat|discount|fee|tip|refund|gift|voucher|coupon|redeem|points|store_?credit|commission|margin|profit|sequential|installment|method|type|currency|count|number|(^|_)id$|percent|qty|quantity|captured|converted|compare|processing/.test(plain)) return -1;
    // What the customer paid, taxes in, over the same before tax (Shopify's Total, "Bruttobetrag" beside "Nettobetrag");
    // and in the company's own currency over each row's (Business Central's "Amount (LCY)" beside "Amount").
    // Sales before discounts are not what was paid: Square's "Net Sales" over "Gross Sales".
    const gross = (withTax || (/gross|brutto/.test(plain) && !/sales/.test(plain)) || /net_?sales/.test(plain) ? 0.5 : 0) + (inOneCurrency(name) ? 1.5 : 0);
    // A ledger's credit side beside its debit (Business Central's "Credit Amount"): read with the debit, as money going back (guessPaymentColumns).
    if (CREDIT_SIDE.test(name)) return 0.25;
    // Beside a fee column, a net total is what the seller kept after the platform's fees (Gumroad's "Net Total ($)",
    // PayPal's "Net"), not what the customer paid ("Sale Price ($)", "Gross"); a net of discounts ("Net Sales") still is.
    if (context.feesBeside && /(^|_)(net|earnings|proceeds|payout)(_|$)/.test(plain) && !/sales/.test(plain)) return 0.5;
    // How much of it has been paid or is still owed (Sage's "Amount Paid", Xero's "Amount Due") beside what was sold: last.
    if (/(^|_)(paid|due|outstanding|owing|owed|balance|remaining)(_|$)/.test(plain)) return 0.5;
    // What a card was authorized for (Braintree's "Amount Authorized") beside what was settled: a capture may be smaller.
    if (/(^|_)(authori[sz]ed|authori[sz]ation)(_|$)/.test(plain)) return 0.5;
    // A price alone is what one item cost (Business Central's "VK-Preis ohne MwSt." beside "Betrag inkl. MwSt."); "Sale Price" and a total still are amounts.
    if (/(^|_)(preis|price|prix|precio|preco|prijs)(_|$)/.test(plain) && !/sale|total|paid|amount|betrag/.test(plain)) return 0.5;
    if (/^(total|amount|order_?total|grand_?total|total_?amount|gross|net_?sales|gross_?sales|sales|revenue|payment_?value|value|spend|betrag|valor|importe|montant|umsatz|bedrag)$/.test(plain)) return 3 + gross;
    if (/total|amount|revenue|sales|value|betrag|bedrag|montant|importe/.test(plain)) return 2 + gross;
    return 1 + gross;
  }
  if (role === 'date') {
    // When the row happened over when it was last touched or is due (Mailchimp's updated_at_foreign before processed_at_foreign).
    // Nor the day the money settled or was paid out (Authorize.net's "Settlement Date/Time", Braintree's "Disbursement Date").
    if (/updated|modified|synced|loaded|exported|imported|due|expir|deleted|settle|disburse|payout|available_on/.test(name)) return 0;
    return 1;
  }
  if (role === 'customer') {
    if (/unique/.test(name)) return 4;
    if (/^(customer|customer_?id|client_?id|user_?id|buyer_?id|member_?id|account_?id|customerid|kundennummer|kunden_?nr|debitoren_?nr|debitor_?nr|debitorennummer|partner|partner_?id)$/.test(name)) return 3;
    if (/^(from_?)?e_?mail(_?address)?$|^buyer_?email$|^customer_?email$/.test(name)) return 2;
    // An account's user name is its key (eBay's "Buyer Username"); its e-mail may be a relay address new with every order.
    if (/(^|_)user_?name$/.test(name)) return 2.5;
    if (/phone|name$/.test(name)) return 0;
    // "Associated Company IDs" says who as a key; "Associated Company" only as a name.
    if (/(^|_)(ids?|no|nr|number|code|key|reference|ref)$/.test(name)) return 2;
    return 1;
  }
  return 0;
}

/** Names of columns that count or identify (order_item_id, invoice_no, zip, line): never money, never a quantity. */
const ID_LIKE = /(^|_)(id|no|nr|number|num|key|code|year|zip|phone|seq|sequence|sequential|installments?|rank|position|line)$|^(id|no|nr|number|year)(_|$)/i;

/**
 * A customer ledger's two money columns (Business Central's "Debit Amount" and "Credit Amount",
 * German "Soll" and "Haben", Spanish "Debe" and "Haber", French "Débit" and "Crédit"; with "(LCY)"):
 * on a customer's account a debit is what they were invoiced, a credit what went back (a credit
 * note) or was paid. The debit is the amount and the credit is subtracted, as a refunded amount is.
 */
const DEBIT_SIDE = /^(debit|debits|debit_?amount|dr|dr_?amount|soll|soll_?betrag|betrag_?soll|debe|d[eé]bit)(_lcy|_mw)?$/;
const CREDIT_SIDE = /^(credit|credits|credit_?amount|cr|cr_?amount|haben|haben_?betrag|betrag_?haben|haber|cr[eé]dit)(_lcy|_mw)?$/;

/**
 * An amount named for one currency ("Total (USD)") with a refunded amount that is not, in a file
 * that also says each row's own currency: the refunds may be in the row's currency, and then a
 * partial refund on a row in another currency is off by the exchange rate. The currency column, or
 * null when there is no such doubt.
 */
export function refundCurrencyDoubt(mapping: Pick<ColumnMapping, 'amount' | 'refund'>, columns: readonly string[]): string | null {
  if (!mapping.amount || !mapping.refund || !inOneCurrency(normalisedName(mapping.amount)) || inOneCurrency(normalisedName(mapping.refund))) return null;
  return columns.find((c) => ROW_CURRENCY.some((pattern) => pattern.test(normalisedName(c)))) ?? null;
}

/** A side of a ledger's money named as a word of the column's name, and the word for the other side. */
const OTHER_SIDE: Record<string, string> = { debit: 'credit', credit: 'debit', debits: 'credits', credits: 'debits', dr: 'cr', cr: 'dr', soll: 'haben', haben: 'soll', debe: 'haber', haber: 'debe', 'débit': 'crédit', 'crédit': 'débit' };
/** Words that make "debit" or "credit" something else than a ledger's side: a card, a note, a limit, a balance. */
const NOT_A_SIDE = new Set(['card', 'cards', 'note', 'notes', 'memo', 'memos', 'limit', 'balance', 'account', 'rating', 'score', 'terms']);

/**
 * Two columns that are the two sides of one ledger's money by name: the same name but for one word,
 * debit in one and credit in the other (Adyen's "Gross Debit (GC)" and "Gross Credit (GC)", Wave's
 * "Debit Amount (Two Column Approach)" and "Credit Amount (…)", "Betrag Soll" and "Betrag Haben").
 */
export function ledgerSides(a: string, b: string): boolean {
  const words = normalisedName(a).split('_');
  const other = normalisedName(b);
  if (words.some((w) => NOT_A_SIDE.has(w))) return false;
  return words.some((w, i) => OTHER_SIDE[w] !== undefined && [...words.slice(0, i), OTHER_SIDE[w], ...words.slice(i + 1)].join('_') === other);
}

/** Whether `amount` is one side of a ledger (named Debit, Credit, Soll, Haben…, or with a column among `names` named alike for the other side): its blanks are rows on the other side. */
export function isLedgerSide(amount: string, names: readonly string[]): boolean {
  const name = normalisedName(amount);
  return DEBIT_SIDE.test(name) || CREDIT_SIDE.test(name) || names.some((n) => n !== amount && ledgerSides(amount, n));
}

/**
 * The amount and the refunded amount are a ledger's two sides (a debit and a credit column): the
 * refund side is subtracted, and a blank side is zero. Which side is the sale is settled from the
 * whole file (wholeFileEvidence.ts settleLedgerSide).
 */
export function readsDebitAndCredit(mapping: Pick<ColumnMapping, 'amount' | 'refund'>): boolean {
  if (mapping.amount == null || mapping.refund == null) return false;
  return (DEBIT_SIDE.test(normalisedName(mapping.amount)) && CREDIT_SIDE.test(normalisedName(mapping.refund))) || ledgerSides(mapping.amount, mapping.refund);
}

/** Numbered places and times beside a sale (accounting's department and nominal code, a store, till or period): never a quantity by their values. */
const NOT_A_COUNT = /(^|_)(dept|department|nominal|nominal_?code|account|acct|branch|store|shop|location|site|terminal|register|till|warehouse|period|month|week|day|hour|quarter)(_|$)/;
/** Whole numbers that count something else than items bought (Stripe's "Attempt Count", a record's version), are a rate (an "Exchange Rate" of 1), a code (SAP's ObjType 13/14) or a card's last digits (Square's "PAN Suffix"): never a quantity by their values. */
const NOT_ITEMS = /(^|_)(rate|exchange|fx|attempts?|attempt_count|retries|retry|tries|version|revision|type|suffix|digits|entry)(_|$)/;

/** Costs written beside what was paid for the items (freight_value, shipping_cost, fee): never the amount by their values. A "Total incl. tax" still is. */
const COST_BESIDE_PRICE = /(^|_)(freight|shipping|postage|handling|fees?|discounts?|tips?)(_|$)/;

/** Share of readable dates a date-named column needs (by values alone it is 0.9, see detectDateFormat). */
const NAMED_DATE_MIN_SHARE = 0.5;

/**
 * An amount in the company's own (local, base) currency, whatever each row's own: Business Central's
 * "Amount (LCY)", Magento's "(Base)"; or named for one currency, as an export that converts each
 * order writes it beside the order's own (Lemon Squeezy's "Total (USD)" beside "Total" and "Currency").
 */
const LOCAL_CURRENCY = /(^|_)(lcy|mw(?!_st)|local_currency|base_currency|company_currency|home_currency|in_base_currency)(_|$)/;
const ONE_CURRENCY = /(^|_)(in_)?(usd|eur|gbp|jpy|cad|aud|nzd|chf|cny|hkd|sgd|sek|nok|dkk|pln|czk|huf|ron|inr|brl|mxn|zar|krw|try|ils|aed|sar|thb|myr|idr|php|twd|clp|cop|ars|pen)$/;
const inOneCurrency = (name: string) => LOCAL_CURRENCY.test(name) || ONE_CURRENCY.test(name);

/**
 * Names of the column giving each row's own currency, in the order tried: "Currency"; one named for
 * the row's own ("Transaction Currency", "Order Currency"), never the customer's side of a
 * conversion; a report's prefixed name (Zuora's "Account: Currency").
 */
const ROW_CURRENCY: readonly RegExp[] = [/^(currency|currency_code|currency_iso)$/, /^(transaction|order|payment|charge|invoice|sale|document)_currency(_code)?$/, /^[a-z]+:_currency$/];


/** Yes/no answers (PrestaShop's "Nouveau client": Oui/Non) and times of day (Zettle's "Time": 14:05): values that identify no one. */
const YES_NO = /^(yes|no|y|n|true|false|oui|non|ja|nein|si|sí|0|1)$/i;
const TIME_OF_DAY = /^\d{1,2}:\d{2}(:\d{2})?(\s?[ap]\.?m\.?)?$/i;
/** A general-ledger account by its usual names, a number before it or not ("11000 Accounts Receivable", "Undeposited Funds", "Accounts Receivable (A/R)"). */
const LEDGER_ACCOUNT = /^(\d{3,6}\s*[-:]?\s*)?(accounts? receivable|trade receivables?|debtors? control|undeposited funds|accounts? payable|sales orders?|sales|income|revenue|cash( on hand)?|petty cash|bank|checking|savings|inventory|sales tax payable)(\s*\((a\/r|a\/p)\))?$/i;
/** A calendar day as exports write one (2023-12-29, 29/12/2023, 12.29.23, "Dec 29, 2023"), a time after it or not. */
const CALENDAR_DAY = /^(\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})([ T].*)?$/;
/**
 * Columns that never name the customer: yes/no answers and times of day (their values), the
 * customer's own purchase-order number (MYOB's "Customer PO #" names an order), the seller's side
 * of the counter (Zettle's "Staff", a till or device, a sales rep), a reference to another purchase,
 * and a masked card number.
 */
function namesNoCustomer(c: ColumnSample): boolean {
  const name = normalisedName(c.name);
  if (/(^|_)(po|p_o|purchase_order)(_|$)/.test(name)) return true;
  if (/(^|_)(staff|employee|cashier|clerk|served_by|server|sales_?person|sales_?rep|salesperson|operator|device|register|till)(_|$)/.test(name)) return true;
  // A reference to another purchase (Zettle's "Reference to original purchase", on refunds) names a purchase.
  if (/(^|_)(original_(purchase|order|transaction|payment|receipt)|reference_to)(_|$)/.test(name)) return true;
  // A masked card number (**** 3456) is four digits shared by many cards, and blank for cash.
  if (/(^|_)(card_?(number|no|nr)|pan|last_?(four|4)(_digits)?)(_|$)/.test(name)) return true;
  // A payout, settlement, deposit or batch is the merchant's money moving (Shopify Payments' "Payout ID", Amazon's settlement-id), not a customer.
  if (/(^|_)(payout|settlement|deposit|batch|shipment|checkout|tracking)(_|$)/.test(name)) return true;
  // A ledger's own accounts (NetSuite's and QuickBooks' "Account": Accounts Receivable, Undeposited Funds) are where money was booked, not who paid.
  const booked = c.values.map((v) => v.trim()).filter((v) => v !== '');
  if (booked.length > 0 && booked.every((v) => LEDGER_ACCOUNT.test(v))) return true;
  // A date is when, not who (Shopify Payments' "Payout Date" in a file with no customer column).
  if (/(^|_)(date|datum|fecha|timestamp)(_|$)/.test(name)) return true;
  const filled = c.values.map((v) => v.trim()).filter((v) => v !== '');
  return filled.length > 0 && (filled.every((v) => YES_NO.test(v)) || filled.every((v) => TIME_OF_DAY.test(v)) || filled.every((v) => CALENDAR_DAY.test(v)));
}

/**
 * Values spread as a log's customer ids are (taken by position only, when no column is named for
 * the customer): some id seen once in the sample, ten distinct ids or more, or distinct ids on more
 * than a tenth of the rows. A handful of values each on many rows is a category (a payment method, a
 * card type), not customers.
 */
function spreadLikeIds(c: ColumnSample): boolean {
  const filled = c.values.map((v) => v.trim()).filter((v) => v !== '');
  const counts = new Map<string, number>();
  for (const v of filled) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].some((n) => n === 1) || counts.size >= 10 || counts.size > 0.1 * filled.length;
}

const ROLE_ORDER: Role[] = ['date', 'unitPrice', 'amount', 'quantity', 'order', 'customer', 'category', 'channel', 'region'];

function numericShare(values: string[]): { numeric: number; decimals: number; integers: number } {
  const ne = values.filter((v) => v.trim() !== '');
  if (ne.length === 0) return { numeric: 0, decimals: 0, integers: 0 };
  const numeric = ne.filter((v) => looksLikeMoney(v)).length / ne.length;
  const decimals = ne.filter((v) => /[.,]\d{1,2}\s*\D{0,4}$/.test(v.trim())).length / ne.length;
  const integers = ne.filter((v) => /^-?\d+$/.test(v.trim())).length / ne.length;
  return { numeric, decimals, integers };
}

/** Guesses a role for every column from its name first, then from its values. */
export function guessMapping(columns: readonly ColumnSample[]): ColumnMapping {
  const taken = new Set<string>();
  const chosen: Partial<Record<Role, string>> = {};
  const sampledRows = Math.max(0, ...columns.map((c) => c.values.length));
  const take = (role: Role, name: string) => {
    chosen[role] = name;
    taken.add(name);
  };
  /** A column named like a date needs only a majority of dates; unreadable values become rejected rows. */
  const isDate = (c: ColumnSample) => detectDateFormat(c.values, c.type, NAMED_DATE_MIN_SHARE, true) !== null;

  /** Whether a column whose name suggests `role` also holds values that fit it. */
  const fits = (role: Role, c: ColumnSample): boolean => {
    if (role === 'date') return isDate(c);
    if ((role === 'amount' || role === 'unitPrice' || role === 'quantity') && !isNumericType(c.type) && numericShare(c.values).numeric < 0.5) return false;
    if (role === 'amount' && NAME_PATTERNS.customer.test(c.name)) return false;
    if (role === 'customer') {
      const filled = c.values.map((v) => v.trim()).filter((v) => v !== '');
      // An id column that is mostly empty (a contact phone nobody filled in) identifies nobody. Rows without a date
      // either are not transactions (Odoo writes an invoice's further lines below it with its number, partner and date blank).
      const dated = chosen.date ? columns.find((d) => d.name === chosen.date) : undefined;
      const rows = dated ? Math.min(sampledRows, dated.values.filter((v) => v.trim() !== '').length) : sampledRows;
      if (filled.length < 0.5 * rows) return false;
      // Money ("Customer Facing Amount", Apple's "Customer Price") is not who paid.
      if ((NAME_PATTERNS.amount.test(c.name) || /price|cost|proceeds|fee/i.test(c.name)) && numericShare(c.values).decimals >= 0.5) return false;
      if (namesNoCustomer(c)) return false;
    }
    if (role === 'quantity' && /(^|_)(id|no|nr|number|key|code)$/i.test(normalisedName(c.name))) return false;
    // A customer's own count (Shopify's customer.orders_count) is not the row's quantity.
    if (role === 'quantity' && NAME_PATTERNS.customer.test(c.name)) return false;
    // "Order Payment State" or an invoice's "state" of paid / failed / past_due is a status, not where the customer lives.
    if ((role === 'region' || role === 'channel' || role === 'category') && holdsStatuses(c)) return false;
    // A time zone (Adyen's and PayPal's "TimeZone") says nothing about where the customer is.
    if (role === 'region' && /time_?zone|(^|_)tz$/.test(normalisedName(c.name))) return false;
    return true;
  };
  // A platform's fees written beside the money (Gumroad's "Fees ($)", PayPal's "Fee"): a "net" column is then after them.
  const feesBeside = columns.some((c) => /(^|_)(fees?|processing_fees?|transaction_fees?)(_|$)/.test(normalisedName(c.name)));
  for (const role of ROLE_ORDER) {
    // The best-named column whose name and values both fit (the earlier one on a tie): a "timezone"
    // of text does not hide a later "order_date", nor "Subtotal" a later "Total".
    let best: ColumnSample | null = null;
    let bestScore = -1;
    for (const c of columns) {
      if (taken.has(c.name) || !NAME_PATTERNS[role].test(c.name) || !fits(role, c)) continue;
      const score = namePreference(role, c.name, { feesBeside });
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (best && role === 'customer') best = betterIdentified(best, columns.filter((c) => c !== best && !taken.has(c.name) && NAME_PATTERNS.customer.test(c.name) && fits('customer', c)), sampledRows);
    if (best) take(role, best.name);
  }

  if (!chosen.date) {
    // By values: a column written as a date beats one that only reads as epoch seconds/ms,
    // since 9–13 digit numbers are as often ids (a headerless file with ids like 1234567890).
    const dated = columns
      // An "Item Number" of 12 digits reads as epoch milliseconds; a number that names a thing is not a time.
      .filter((col) => !taken.has(col.name) && !ID_LIKE.test(normalisedName(col.name)))
      .map((col) => ({ col, guess: detectDateFormat(col.values, col.type) }))
      .filter((x) => x.guess !== null);
    const c = dated.find((x) => !x.guess!.format.startsWith('epoch')) ?? dated[0];
    if (c) take('date', c.col.name);
  }
  const free = () => columns.filter((c) => !taken.has(c.name));
  if (!chosen.customer) {
    // The first column that is not a number with decimals is the usual place for an id; not a
    // transaction kind (NetSuite's "Type": Invoice, Payment) or a status, which say what, not who.
    const eligible = free().filter((col) => {
      const s = numericShare(col.values);
      return s.decimals < 0.5 && !isNumericTypeWithFraction(col.type) && !findKindColumn([col]) && !holdsStatuses(col) && !namesNoCustomer(col) && spreadLikeIds(col);
    });
    // One value on every sampled row is the merchant's own account (Apple's Provider), or the first customer of a file sorted by customer: another column that varies is taken first.
    const c = eligible.find((col) => !isConstant(col)) ?? eligible[0];
    if (c) take('customer', c.name);
  }
  if (!chosen.amount && !(chosen.quantity && chosen.unitPrice)) {
    // By values: a numeric column whose name is not an id, a count or a cost beside the price
    // (Olist's order_item_id 1, 2, 3 and freight_value are not what the customer paid for the item).
    const numeric = free().filter(
      (c) => (isNumericType(c.type) || numericShare(c.values).numeric >= 0.9) && !ID_LIKE.test(normalisedName(c.name)) && !COST_BESIDE_PRICE.test(normalisedName(c.name)),
    );
    const withDecimals = numeric
      .map((c) => ({ c, d: isNumericTypeWithFraction(c.type) ? 1 : numericShare(c.values).decimals }))
      .sort((a, b) => b.d - a.d);
    const best = withDecimals[0]?.d > 0 ? withDecimals[0].c : numeric[numeric.length - 1];
    if (best) take('amount', best.name);
  }
  // Before the quantity guess by values: an amount_refunded of small integers is money, not a count.
  const payment = guessPaymentColumns(columns, taken, chosen.amount ?? null);
  for (const name of [payment.status, payment.refund, payment.currency, payment.kind, payment.testFlag]) if (name) taken.add(name);
  if (!chosen.quantity) {
    // Small integers without leading zeros (those are ids); the smallest such column wins.
    const maxAbs = (col: ColumnSample) => Math.max(0, ...col.values.map((v) => Math.abs(Number(v)) || 0));
    const c = free()
      .filter((col) => {
        const s = numericShare(col.values);
        // Not an id, a customer's own count, or a share or score (Salesforce's "Probability (%)": 0–100).
        const idLike = ID_LIKE.test(normalisedName(col.name)) || NAME_PATTERNS.customer.test(col.name) || /percent|probability|pct|%|score|rating|rank/i.test(col.name);
        // Nor a code for where or when (Sage's Dept 0 and Nominal 4000, a store or till number, a month), and some row buys something.
        const placeOrTime = NOT_A_COUNT.test(normalisedName(col.name)) || NOT_ITEMS.test(normalisedName(col.name));
        // Nor money: a fee, tax or discount in whole cents (Paddle's details.totals.fee) is no count of items.
        const money = NAME_PATTERNS.amount.test(col.name) || /(^|_)(fees?|tax|taxes|vat|discounts?|earnings|credit|balance|subtotal|grand_total)(_|$)/.test(normalisedName(col.name));
        return !idLike && !placeOrTime && !money && s.integers >= 0.95 && !col.values.some((v) => /^-?0\d/.test(v.trim())) && maxAbs(col) >= 1 && maxAbs(col) < 10_000;
      })
      .sort((a, b) => maxAbs(a) - maxAbs(b))[0];
    if (c) take('quantity', c.name);
  }

  if (!chosen.amount && chosen.unitPrice && !chosen.quantity) {
    // A lone price or total with no quantity is what each row cost: the amount, whatever its name.
    chosen.amount = chosen.unitPrice;
    delete chosen.unitPrice;
  }

  const dateColumn = columns.find((c) => c.name === chosen.date);
  const dateGuess = dateColumn ? detectDateFormat(dateColumn.values, dateColumn.type, NAMED_DATE_MIN_SHARE, true) : null;
  const moneyColumn = columns.find((c) => c.name === (chosen.amount ?? chosen.unitPrice));
  return {
    customer: chosen.customer ?? null,
    date: chosen.date ?? null,
    amount: chosen.amount ?? null,
    order: chosen.order ?? null,
    quantity: chosen.quantity ?? null,
    unitPrice: chosen.unitPrice ?? null,
    category: chosen.category ?? null,
    channel: chosen.channel ?? null,
    region: chosen.region ?? null,
    dateFormat: dateGuess?.format ?? 'iso',
    dateFormatAmbiguous: dateGuess?.ambiguous ?? false,
    decimalSeparator: moneyColumn ? detectDecimalSeparator(moneyColumn.values) : '.',
    ...payment,
    ...((payment.currency && dateGuess && moneyColumn && writtenInMinorUnits(moneyColumn, dateGuess.format)) || (moneyColumn && namedInMinorUnits(moneyColumn)) ? { amountMinorUnits: true } : {}),
  };
}

/** Most of a column's sampled values are payment, order or deal statuses (paymentStatus.ts). */
export function holdsStatuses(c: ColumnSample): boolean {
  const values = c.values.filter((v) => v.trim() !== '');
  return values.length > 0 && values.filter(isKnownStatus).length >= 0.5 * values.length;
}

/**
 * Status, refunded amount and currency columns of payment and order exports, by name and values:
 * a status column must hold status words, a currency column three-letter codes, a refund column
 * numbers, a kind column words among which a known kind (transactionKinds.ts).
 */
function guessPaymentColumns(columns: readonly ColumnSample[], taken: ReadonlySet<string>, amount: string | null): Pick<ColumnMapping, 'status' | 'refund' | 'currency' | 'kind' | 'testFlag'> {
  const free = columns.filter((c) => !taken.has(c.name));
  const named = (pattern: RegExp) => free.filter((c) => pattern.test(normalisedName(c.name)));
  // A column named as a status (Recurly's "state", Clover's "Order Payment State", a CRM's "Deal Stage") holding status words.
  // An item's own status over its order's, in a file of item lines (Amazon's item-status beside order-status).
  // In a list of invoices the document's own status (Odoo's "Status": Posted, Draft, Cancelled) says whether it was issued;
  // its "Payment Status" (Not Paid) only whether it was paid yet, which an issued invoice need not be (invoiceList.ts).
  const invoiceStatus = listsInvoices({ order: null, date: null }, free) ? named(/^status$/).find((c) => c.values.some(isKnownStatus)) : undefined;
  const status =
    named(/^(item|line|line_item)_?status$/).find((c) => c.values.some(isKnownStatus)) ??
    invoiceStatus ??
    named(/^(status|financial_status|payment_status|order_status|transaction_status|charge_status|payment)$/).find((c) => c.values.some(isKnownStatus)) ??
    // Not a fulfilment or shipping status (Wix's "Fulfillment Status" beside its "Payment"): delivery says nothing of payment.
    named(/(^|_)(status|state|stage|statut|état|etat|estado|zustand)$/).find((c) => holdsStatuses(c) && !/fulfil|shipping|shipment|delivery/.test(normalisedName(c.name))) ??
    free.find(isRefundFlag);
  const money = (c: ColumnSample) => isNumericType(c.type) || numericShare(c.values).numeric >= 0.9;
  // Then any money column named for what was refunded of the row (Shopify's totalRefundedSet.shopMoney.amount, Gumroad's
  // "Partial Refund ($)"); not a refund's own value (GA4's ecommerce.refund_value, on the refund event itself).
  // A ledger's credit column beside the debit taken as the amount.
  const credit = amount ? (DEBIT_SIDE.test(normalisedName(amount)) ? named(CREDIT_SIDE).find(money) : undefined) ?? free.find((c) => ledgerSides(amount, c.name) && money(c)) : undefined;
  // An amount in one currency takes off what was refunded in the same currency, when the file has it (Lemon Squeezy's API: refunded_amount_usd).
  const sameCurrency = amount !== null && inOneCurrency(normalisedName(amount)) ? normalisedName(amount).match(/[a-z]+$/)![0] : null;
  const refundable = (c: ColumnSample) => money(c) && !/fee|count|number|(^|_)id$|date|reason/.test(normalisedName(c.name));
  const refund = amount
    ? credit ??
      (sameCurrency ? named(/(^|_)(refunded|refunds?)(_|$)/).find((c) => refundable(c) && normalisedName(c.name).endsWith(`_${sameCurrency}`)) : undefined) ??
      named(/^(amount_refunded|refunded_amount|refund_amount|refund_total|refunds_total|refunded_total|total_refunded|total_refunds|total_refund|refunded|refunds)$/).find(money) ??
      named(/(^|_)(refunded|partial_refunds?|refund_amount)(_|$)/).find(refundable) ??
      // An order's refund total written beside it (WooCommerce's "Order Refund").
      named(/^(order_refund|order_refunds|refund|refunds)$/).find(refundable)
    : undefined;
  // A row's currency says nothing about an amount already in the company's own currency, or in one named currency.
  // Beside the same amount "in Currency" (Odoo's "Total" and "Total in Currency"), the plain one is in the company's currency.
  const inOwnCurrency = amount !== null && (inOneCurrency(normalisedName(amount)) || columns.some((c) => normalisedName(c.name) === `${normalisedName(amount)}_in_currency`));
  const isCodes = (c: ColumnSample) => c.values.length > 0 && c.values.every((v) => /^[A-Za-z]{3}$/.test(v.trim()));
  const currency = inOwnCurrency
    ? undefined
    : ROW_CURRENCY.map((pattern) => named(pattern).find(isCodes)).find((c) => c !== undefined);
  const kind = amount ? findKindColumn(free.filter((c) => c !== status && c !== currency)) : undefined;
  const testFlag = free.find(isTestFlag);
  const out: Pick<ColumnMapping, 'status' | 'refund' | 'currency' | 'kind' | 'testFlag'> = {};
  if (kind) out.kind = kind.name;
  if (testFlag) out.testFlag = testFlag.name;
  if (status) out.status = status.name;
  if (refund) out.refund = refund.name;
  if (currency) out.currency = currency.name;
  return out;
}

/**
 * Payment APIs (Stripe, Adyen, Braintree's API…) write amounts as whole numbers of the minor unit
 * beside a currency code and epoch timestamps; people's exports write 12.50 and calendar dates.
 * Only the first combination is read as minor units.
 */
function writtenInMinorUnits(money: ColumnSample, dateFormat: DateFormat): boolean {
  if (dateFormat !== 'epoch_s' && dateFormat !== 'epoch_ms') return false;
  const values = money.values.map((v) => v.trim()).filter((v) => v !== '');
  return values.length > 0 && values.every((v) => /^-?\d+$/.test(v)) && values.some((v) => Math.abs(Number(v)) >= 100);
}

/** A money column whose name says it holds the minor unit: amount_cents, total_in_cents, AmountInCents, price_pence, amount_minor. */
export function amountNamedInMinorUnits(name: string): boolean {
  return /(^|_|in)(cents|pence)$|(^|_)(minor|minor_units?|paise|kopecks?)$/.test(normalisedName(name));
}

/** A column named in cents (amountNamedInMinorUnits) holding whole numbers only: its name is taken at its word. */
function namedInMinorUnits(money: ColumnSample): boolean {
  if (!amountNamedInMinorUnits(money.name)) return false;
  const values = money.values.map((v) => v.trim()).filter((v) => v !== '');
  return values.length > 0 && values.every((v) => /^-?\d+$/.test(v));
}

function isNumericTypeWithFraction(type: string): boolean {
  return /^(FLOAT|DOUBLE|DECIMAL|REAL)/i.test(type);
}
