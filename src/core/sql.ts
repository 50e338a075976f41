/**
 * SQL text is only ever assembled from these helpers: identifiers are quoted, values are bound
 * as `?` parameters. A column called `x"; DROP TABLE t; --` is just a column name.
 */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal, for the few places DuckDB does not accept a bound parameter (e.g. DDL). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A finite number as SQL text; anything else is refused so no text can slip in through it. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

export function identList(names: readonly string[]): string {
  return names.map(ident).join(', ');
}
