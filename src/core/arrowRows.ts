import type { Row } from './db';

/** The subset of an Arrow table the core reads: both duckdb-wasm builds return these. */
export interface ArrowLikeTable {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChild(name: string): { toArray(): ArrayLike<unknown>; get(i: number): unknown } | null;
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** Arrow → plain objects with JS numbers (int64 counts fit comfortably in a double). */
export function arrowToRows(table: ArrowLikeTable): Row[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => table.getChild(n));
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (let j = 0; j < names.length; j++) {
      const v = columns[j]?.get(i);
      row[names[j]] = v !== null && typeof v === 'object' && 'toJSON' in (v as object) && !(v instanceof Date) ? (v as { toJSON(): unknown }).toJSON() : plain(v);
    }
    rows[i] = row;
  }
  return rows;
}

export function arrowToColumns(table: ArrowLikeTable): Record<string, ArrayLike<unknown>> {
  const out: Record<string, ArrayLike<unknown>> = {};
  for (const f of table.schema.fields) {
    const child = table.getChild(f.name);
    const arr = child ? child.toArray() : [];
    out[f.name] = arr instanceof BigInt64Array ? Float64Array.from(arr, Number) : arr;
  }
  return out;
}
