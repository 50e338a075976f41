/**
 * Row helpers for row-major matrices (n × d Float32Array) and per-customer columns: gathering the
 * rows of a subset of customers, in the order given. Shared by the evaluation and the training loop.
 */

/** Copies rows `order[start … start+count)` of a row-major matrix into `out` (count × d). */
export function gatherRows(X: Float32Array, d: number, order: ArrayLike<number>, start: number, count: number, out: Float32Array): void {
  for (let r = 0; r < count; r++) {
    const src = order[start + r] * d;
    for (let j = 0; j < d; j++) out[r * d + j] = X[src + j];
  }
}

/** Copies values `y[order[start … start+count)]` into `out`. */
export function gatherValues(y: ArrayLike<number>, order: ArrayLike<number>, start: number, count: number, out: Float32Array | Float64Array): void {
  for (let r = 0; r < count; r++) out[r] = y[order[start + r]];
}

/** The rows `rows` of a row-major n × d matrix, as a new rows.length × d matrix. */
export function gather(X: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  gatherRows(X, d, rows, 0, rows.length, out);
  return out;
}

/** values[rows[0]], values[rows[1]], … as a Float64Array. */
export function pick(values: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  return Float64Array.from(rows, (i) => values[i]);
}

/** Column j of a row-major matrix with d columns. */
export function column(X: Float32Array, d: number, j: number): Float64Array {
  const n = X.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = X[i * d + j];
  return out;
}

/** At most `max` of `rows`, evenly spaced (a deterministic sample that keeps their order). */
export function sampleRows(rows: Int32Array, max: number): Int32Array {
  if (rows.length <= max) return rows;
  const step = rows.length / max;
  return Int32Array.from({ length: max }, (_, k) => rows[Math.floor(k * step)]);
}

/** Two sets of rows together, ascending. */
export function unionRows(a: ArrayLike<number>, b: ArrayLike<number>): Int32Array {
  const rows = new Int32Array(a.length + b.length);
  rows.set(a as ArrayLike<number>);
  rows.set(b as ArrayLike<number>, a.length);
  return rows.sort();
}
