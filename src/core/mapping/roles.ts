import { detectDateFormat, type DateFormat } from './dateFormat';
import { detectDecimalSeparator, isNumericType, looksLikeMoney, type DecimalSeparator } from './amountFormat';

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
  /** Readings settled by a pass over the whole file because the sampled rows left them open. */
  decisions?: MappingDecision[];
}

/** A reading the sample could not settle, decided (or left to the user) from counts over the whole file. */
export interface MappingDecision {
  setting: 'dateFormat' | 'decimalSeparator';
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
 * quantity and a unit price) and a date format decided by the values. The app then loads at once
 * and keeps the mapping on screen to change; otherwise it waits at the mapping step.
 */
export function isConfidentMapping(m: ColumnMapping): boolean {
  return m.customer !== null && m.date !== null && (m.amount !== null || (m.quantity !== null && m.unitPrice !== null)) && !m.dateFormatAmbiguous;
}

const NAME_PATTERNS: Record<Role, RegExp> = {
  customer: /(^|_|\b)(customer|cust|client|user|member|buyer|shopper|account|contact|household|master)(_?id|_?no|_?key|_?number|_?code)?($|_|\b)|^(cid|uid|customerid|clientid|userid)$/i,
  date: /date|time|^ts$|timestamp|^day$|created|ordered_at|purchased|period/i,
  amount: /amount|revenue|sales|spend|total|value|payment|paid|gmv|dollar|price_total|turnover|^sum$|net|gross|betrag|umsatz|valor|importe|montant|preis|prix|bedrag|belopp/i,
  order: /(order|invoice|transaction|receipt|basket|txn|ticket|bill)(_?(id|no|number|key|nr))?$/i,
  quantity: /qty|quantity|units|number_of|n_items|items|^count$|pieces/i,
  unitPrice: /unit_?price|^price$|item_?price|unitcost|^rate$|einzelpreis|st(ü|ue)ckpreis|prix_?unitaire|precio_?unitario|preco_?unitario/i,
  category: /category|product_?type|department|genre|family|^product$|stockcode|sku|item_?group|brand/i,
  channel: /channel|source|medium|platform|device|store_?type/i,
  region: /region|country|state|city|market|zone|province|territory|location/i,
};

/** Share of readable dates a date-named column needs (by values alone it is 0.9, see detectDateFormat). */
const NAMED_DATE_MIN_SHARE = 0.5;

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
  const take = (role: Role, name: string) => {
    chosen[role] = name;
    taken.add(name);
  };
  /** A column named like a date needs only a majority of dates; unreadable values become rejected rows. */
  const isDate = (c: ColumnSample) => detectDateFormat(c.values, c.type, NAMED_DATE_MIN_SHARE) !== null;

  /** Whether a column whose name suggests `role` also holds values that fit it. */
  const fits = (role: Role, c: ColumnSample): boolean => {
    if (role === 'date') return isDate(c);
    if ((role === 'amount' || role === 'unitPrice' || role === 'quantity') && !isNumericType(c.type) && numericShare(c.values).numeric < 0.5) return false;
    if (role === 'amount' && NAME_PATTERNS.customer.test(c.name)) return false;
    return true;
  };
  for (const role of ROLE_ORDER) {
    // The first column whose name and values both fit: a "timezone" of text does not hide a later "order_date".
    const byName = columns.find((c) => !taken.has(c.name) && NAME_PATTERNS[role].test(c.name) && fits(role, c));
    if (byName) take(role, byName.name);
  }

  if (!chosen.date) {
    // By values: a column written as a date beats one that only reads as epoch seconds/ms,
    // since 9–13 digit numbers are as often ids (a headerless file with ids like 1234567890).
    const dated = columns
      .filter((col) => !taken.has(col.name))
      .map((col) => ({ col, guess: detectDateFormat(col.values, col.type) }))
      .filter((x) => x.guess !== null);
    const c = dated.find((x) => !x.guess!.format.startsWith('epoch')) ?? dated[0];
    if (c) take('date', c.col.name);
  }
  const free = () => columns.filter((c) => !taken.has(c.name));
  if (!chosen.customer) {
    // The first column that is not a number with decimals is the usual place for an id.
    const c = free().find((col) => {
      const s = numericShare(col.values);
      return s.decimals < 0.5 && !isNumericTypeWithFraction(col.type);
    });
    if (c) take('customer', c.name);
  }
  if (!chosen.amount && !(chosen.quantity && chosen.unitPrice)) {
    const numeric = free().filter((c) => isNumericType(c.type) || numericShare(c.values).numeric >= 0.9);
    const withDecimals = numeric
      .map((c) => ({ c, d: isNumericTypeWithFraction(c.type) ? 1 : numericShare(c.values).decimals }))
      .sort((a, b) => b.d - a.d);
    const best = withDecimals[0]?.d > 0 ? withDecimals[0].c : numeric[numeric.length - 1];
    if (best) take('amount', best.name);
  }
  if (!chosen.quantity) {
    // Small integers without leading zeros (those are ids); the smallest such column wins.
    const maxAbs = (col: ColumnSample) => Math.max(0, ...col.values.map((v) => Math.abs(Number(v)) || 0));
    const c = free()
      .filter((col) => {
        const s = numericShare(col.values);
        return s.integers >= 0.95 && !col.values.some((v) => /^-?0\d/.test(v.trim())) && maxAbs(col) < 10_000;
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
  const dateGuess = dateColumn ? detectDateFormat(dateColumn.values, dateColumn.type, NAMED_DATE_MIN_SHARE) : null;
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
  };
}

function isNumericTypeWithFraction(type: string): boolean {
  return /^(FLOAT|DOUBLE|DECIMAL|REAL)/i.test(type);
}
