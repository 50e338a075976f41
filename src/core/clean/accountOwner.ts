/**
 * A payment account's activity download, written from the account's own side with two address
 * columns: PayPal's "From Email Address" and "To Email Address" (German "Absender E-Mail-Adresse"
 * and "Empfänger E-Mail-Adresse"). A payment received is from the buyer to the shop; a refund the
 * shop sends, from the shop to the buyer. Read from one column alone, every refund's customer is the
 * shop itself, and the buyers keep what was refunded to them.
 *
 * So where the customer column has a partner named for the other direction (from/to,
 * sender/recipient, payer/payee, Absender/Empfänger) and one value — the account's own address — sits
 * on one side or the other of most rows, the file is read from the account's side: on each row where
 * the customer column holds that address, the customer is the partner column's value (left as it is
 * where the partner is blank: a withdrawal to a bank, left out by its kind). Decided over the whole
 * file, before the rows are staged.
 */
import type { SqlDb } from '../db';
import { normalisedName } from '../mapping/columnNames';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { ident } from '../sql';
import type { RawRelation } from '../source/rawRelation';

/** The account's own address, on the customer column's side of `swapped` rows, where `counterparty` then names the customer. */
export interface AccountOwner {
  owner: string;
  counterparty: string;
  swapped: number;
}

/** Words of a column name for one direction, and the word its partner has in the same place. */
const DIRECTIONS: readonly [string, string][] = [
  ['from', 'to'],
  ['sender', 'recipient'],
  ['sender', 'receiver'],
  ['payer', 'payee'],
  ['absender', 'empfänger'],
  ['zahler', 'empfänger'],
  ['expéditeur', 'destinataire'],
  ['remitente', 'destinatario'],
];

/** Share of the rows with an address on which the owner must sit, on either side. */
export const OWNER_SHARE = 0.5;

/** The column named as `customer`'s partner in the other direction (either way round), among `names`. */
export function counterpartyColumn(customer: string, names: readonly string[]): string | null {
  const words = normalisedName(customer).split('_');
  for (const [a, b] of DIRECTIONS) {
    for (const [mine, theirs] of [[a, b], [b, a]]) {
      const at = words.indexOf(mine);
      if (at < 0) continue;
      const wanted = [...words.slice(0, at), theirs, ...words.slice(at + 1)].join('_');
      const partner = names.find((n) => n !== customer && normalisedName(n) === wanted);
      if (partner) return partner;
    }
  }
  return null;
}

const text = (column: string) => `nullif(trim(CAST(${ident(column)} AS VARCHAR)), '')`;

/** The account's own address (see the file's comment), or null where the file is not written from one account's side. */
export async function findAccountOwner(db: SqlDb, raw: RawRelation, mapping: Pick<ColumnMapping, 'customer'>, columns: readonly ColumnSample[]): Promise<AccountOwner | null> {
  const customer = mapping.customer;
  if (!customer || !columns.some((c) => c.name === customer)) return null;
  const counterparty = counterpartyColumn(customer, columns.map((c) => c.name));
  if (!counterparty) return null;
  const [row] = await db.query(
    `WITH sides AS (SELECT ${text(customer)} AS mine, ${text(counterparty)} AS theirs FROM (${raw.sql})),
          top AS (SELECT address, count(*) AS n FROM (SELECT mine AS address FROM sides UNION ALL SELECT theirs FROM sides) WHERE address IS NOT NULL GROUP BY address ORDER BY n DESC, address LIMIT 1)
     SELECT top.address AS owner, top.n AS n,
            (SELECT count(*) FROM sides WHERE mine IS NOT NULL OR theirs IS NOT NULL) AS filled,
            (SELECT count(*) FROM sides WHERE mine = top.address AND theirs IS NOT NULL) AS swapped,
            (SELECT count(*) FROM sides WHERE mine = top.address AND theirs = top.address) AS both_sides
     FROM top`,
    raw.params,
  );
  if (!row || row.owner === null) return null;
  const n = Number(row.n) - Number(row.both_sides);
  const swapped = Number(row.swapped);
  if (swapped === 0 || n < OWNER_SHARE * Number(row.filled)) return null;
  return { owner: String(row.owner), counterparty, swapped };
}
