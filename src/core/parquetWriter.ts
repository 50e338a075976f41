/**
 * A small Parquet writer for exports. DuckDB-WASM cannot write Parquet without downloading its
 * parquet extension from DuckDB's online extension repository, which this app must never contact; so exports
 * are encoded here: one row group, one uncompressed PLAIN data page per column, every column
 * OPTIONAL (nulls as definition levels). Readers (DuckDB, pyarrow, pandas, Spark) accept this.
 *
 * Format reference: apache/parquet-format (parquet.thrift), Thrift compact protocol.
 */

export type ParquetKind = 'double' | 'int64' | 'boolean' | 'string';

export interface ParquetColumn {
  name: string;
  kind: ParquetKind;
  /** One value per row; null or undefined is a null. */
  values: ArrayLike<unknown>;
}

const PHYSICAL_TYPE: Record<ParquetKind, number> = { boolean: 0, int64: 2, double: 5, string: 6 };
const ENCODING_PLAIN = 0;
const ENCODING_RLE = 3;
const REPETITION_OPTIONAL = 1;
const CONVERTED_UTF8 = 0;
const PAGE_DATA = 0;
const CODEC_UNCOMPRESSED = 0;

/** Growable little-endian byte buffer. */
class Bytes {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  i64(v: bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }

  /** Unsigned LEB128 varint (values up to 2^53). */
  varint(v: number): void {
    let n = v;
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  done(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();

/** Thrift compact protocol, only what Parquet's metadata needs. */
class Compact {
  private readonly out = new Bytes();
  private lastField: number[] = [0];

  private header(id: number, type: number): void {
    const delta = id - this.lastField[this.lastField.length - 1];
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.zigzag(id);
    }
    this.lastField[this.lastField.length - 1] = id;
  }

  private zigzag(v: number): void {
    this.out.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  i32(id: number, v: number): this {
    this.header(id, 5);
    this.zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.header(id, 6);
    this.zigzag(v);
    return this;
  }

  string(id: number, v: string): this {
    this.header(id, 8);
    const b = utf8.encode(v);
    this.out.varint(b.length);
    this.out.bytes(b);
    return this;
  }

  struct(id: number, body: (c: this) => void): this {
    this.header(id, 12);
    this.lastField.push(0);
    body(this);
    this.out.byte(0);
    this.lastField.pop();
    return this;
  }

  /** A list of i32 (5), strings (8) or structs (12). */
  list<T>(id: number, elementType: 5 | 8 | 12, items: readonly T[], write: (c: this, item: T) => void): this {
    this.header(id, 9);
    if (items.length < 15) this.out.byte((items.length << 4) | elementType);
    else {
      this.out.byte(0xf0 | elementType);
      this.out.varint(items.length);
    }
    for (const item of items) write(this, item);
    return this;
  }

  /** Ends the top-level struct and returns its bytes. */
  end(): Uint8Array {
    this.out.byte(0);
    return this.out.done();
  }

  /** List elements: raw values without field headers. */
  rawI32(v: number): void {
    this.zigzag(v);
  }

  rawString(v: string): void {
    const b = utf8.encode(v);
    this.out.varint(b.length);
    this.out.bytes(b);
  }

  rawStruct(body: (c: this) => void): void {
    this.lastField.push(0);
    body(this);
    this.out.byte(0);
    this.lastField.pop();
  }
}

const isNull = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

/** Definition levels (1 = present) as RLE runs of the RLE/bit-packing hybrid, bit width 1. */
function definitionLevels(values: ArrayLike<unknown>, out: Bytes): void {
  const runs = new Bytes();
  let i = 0;
  while (i < values.length) {
    const present = isNull(values[i]) ? 0 : 1;
    let j = i + 1;
    while (j < values.length && (isNull(values[j]) ? 0 : 1) === present) j++;
    runs.varint((j - i) * 2);
    runs.byte(present);
    i = j;
  }
  const encoded = runs.done();
  out.u32(encoded.length);
  out.bytes(encoded);
}

function plainValues(column: ParquetColumn, out: Bytes): number {
  let nonNull = 0;
  const { values, kind } = column;
  if (kind === 'boolean') {
    let bits = 0;
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      if (isNull(values[i])) continue;
      if (values[i]) bits |= 1 << count;
      if (++count === 8) {
        out.byte(bits);
        bits = 0;
        count = 0;
      }
      nonNull++;
    }
    if (count > 0) out.byte(bits);
    return nonNull;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isNull(v)) continue;
    nonNull++;
    if (kind === 'double') out.f64(Number(v));
    else if (kind === 'int64') out.i64(typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
    else {
      const b = utf8.encode(v instanceof Date ? v.toISOString() : String(v));
      out.u32(b.length);
      out.bytes(b);
    }
  }
  return nonNull;
}

interface WrittenChunk {
  column: ParquetColumn;
  offset: number;
  size: number;
}

export function writeParquet(columns: readonly ParquetColumn[], rows: number): Uint8Array {
  for (const c of columns) if (c.values.length !== rows) throw new Error(`column ${c.name} has ${c.values.length} values, expected ${rows}`);
  const file = new Bytes();
  file.bytes(utf8.encode('PAR1'));
  const chunks: WrittenChunk[] = [];
  for (const column of columns) {
    const page = new Bytes();
    definitionLevels(column.values, page);
    plainValues(column, page);
    const body = page.done();
    const header = new Compact()
      .i32(1, PAGE_DATA)
      .i32(2, body.length)
      .i32(3, body.length)
      .struct(5, (c) => c.i32(1, rows).i32(2, ENCODING_PLAIN).i32(3, ENCODING_RLE).i32(4, ENCODING_RLE))
      .end();
    const offset = file.length;
    file.bytes(header);
    file.bytes(body);
    chunks.push({ column, offset, size: header.length + body.length });
  }
  const meta = new Compact()
    .i32(1, 1)
    .list(2, 12, [null, ...columns], (c, col) =>
      c.rawStruct((s) => {
        if (col === null) {
          s.string(4, 'schema').i32(5, columns.length);
          return;
        }
        s.i32(1, PHYSICAL_TYPE[col.kind]).i32(3, REPETITION_OPTIONAL).string(4, col.name);
        if (col.kind === 'string') s.i32(6, CONVERTED_UTF8);
      }),
    )
    .i64(3, rows)
    .list(4, 12, [chunks], (c, group) =>
      c.rawStruct((g) => {
        g.list(1, 12, group, (l, chunk) =>
          l.rawStruct((cc) => {
            cc.i64(2, chunk.offset).struct(3, (m) => {
              m.i32(1, PHYSICAL_TYPE[chunk.column.kind])
                .list(2, 5, [ENCODING_PLAIN, ENCODING_RLE], (e, v) => e.rawI32(v))
                .list(3, 8, [chunk.column.name], (p, v) => p.rawString(v))
                .i32(4, CODEC_UNCOMPRESSED)
                .i64(5, rows)
                .i64(6, chunk.size)
                .i64(7, chunk.size)
                .i64(9, chunk.offset);
            });
          }),
        );
        g.i64(2, group.reduce((sum, chunk) => sum + chunk.size, 0)).i64(3, rows);
      }),
    )
    .string(6, 'CLV Studio')
    .end();
  file.bytes(meta);
  file.u32(meta.length);
  file.bytes(utf8.encode('PAR1'));
  return file.done();
}

/** Which Parquet kind holds a DuckDB column type. */
export function parquetKind(duckdbType: string): ParquetKind {
  const t = duckdbType.toUpperCase();
  if (t === 'BOOLEAN') return 'boolean';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/.test(t)) return 'int64';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL|HUGEINT|UBIGINT)/.test(t)) return 'double';
  return 'string';
}
