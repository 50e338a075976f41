/**
 * Which of several columns named for the customer identifies customers (roles.ts takes the
 * best-named one first): one filled on every row, e-mail addresses over people's names, a real id
 * over one whose guests all share a placeholder.
 */

/** A column as sampled: its first non-null values as text. */
interface Sample {
  name: string;
  values: readonly string[];
}

/** Sampled values after which a column holding one value only is taken to be constant. */
const CONSTANT_AFTER = 20;

/** One value on every sampled row (at least CONSTANT_AFTER of them). */
export function isConstant(c: Sample): boolean {
  const filled = c.values.map((v) => v.trim()).filter((v) => v !== '');
  return filled.length >= CONSTANT_AFTER && new Set(filled).size === 1;
}

/** Ids exports write for a customer they do not know (a guest checkout). */
const PLACEHOLDER_IDS = new Set(['0', '-1', 'guest', 'anonymous', 'unknown', 'none', 'null', 'n/a', '-']);

const isEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim());
const isPersonName = (v: string) => /^[\p{L}'.-]+(\s+[\p{L}'.-]+)+$/u.test(v.trim());

/**
 * The customer column a careful analyst would take over the best-named one: an id filled on (almost)
 * every row over one left blank on many (GA4's user_id, set only for signed-in users, beside
 * user_pseudo_id on every event: the blank rows would be left out); e-mail addresses over people's
 * names ("Customer" holding "Lena Jones" beside "Email": two people of one name are two customers).
 */
export function betterIdentified<C extends Sample>(best: C, others: readonly C[], sampledRows: number): C {
  const filledShare = (c: Sample) => c.values.filter((v) => v.trim() !== '').length / Math.max(1, sampledRows);
  const share = (c: Sample, test: (v: string) => boolean) => {
    const filled = c.values.filter((v) => v.trim() !== '');
    return filled.length === 0 ? 0 : filled.filter(test).length / filled.length;
  };
  // One value on every sampled row (Adyen's "Company Account", the shop's own e-mail) beside a column that varies: the merchant, not the customer.
  // (The first customer of a file sorted by customer is constant in the sample too: alone, it stays.)
  if (isConstant(best)) {
    const varying = others.find((c) => !isConstant(c));
    if (varying) return varying;
  }
  // One value standing for many customers (BigCommerce and WooCommerce write guest orders' customer id as 0) beside e-mails on every row.
  const counts = new Map<string, number>();
  for (const v of best.values) counts.set(v.trim().toLowerCase(), (counts.get(v.trim().toLowerCase()) ?? 0) + 1);
  const [top, topCount] = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  if (PLACEHOLDER_IDS.has(top) && topCount >= 0.1 * sampledRows) {
    const emails = others.find((c) => share(c, isEmail) >= 0.9 && filledShare(c) >= 0.95);
    if (emails) return emails;
  }
  if (filledShare(best) < 0.8) {
    // Not a column that is filled because it is the same on every row (the till's user, the shop's account).
    const full = others.find((c) => filledShare(c) >= 0.95 && !isConstant(c));
    if (full) return full;
  }
  // An "Account" of a handful of values on many rows (NetSuite's: 11000 Accounts Receivable, 12000 Undeposited Funds) beside a
  // column with many: the ledger's accounts, not customers. Only "account", which names both; a "Customer" of few values stays.
  const distinct = (c: Sample) => new Set(c.values.map((v) => v.trim().toLowerCase()).filter((v) => v !== '')).size;
  if (/(^|\s|_)account(\s|_|$)/i.test(best.name) && distinct(best) < 10 && best.values.length >= 50) {
    const spread = others.find((c) => distinct(c) >= Math.max(10, 3 * distinct(best)) && filledShare(c) >= 0.8 * filledShare(best));
    if (spread) return spread;
  }
  if (share(best, isPersonName) >= 0.8) {
    const emails = others.find((c) => share(c, isEmail) >= 0.9 && filledShare(c) >= filledShare(best));
    if (emails) return emails;
  }
  return best;
}
