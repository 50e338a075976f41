/**
 * CSV written by DuckDB (csvSql.ts, native `--format csv`) holds the cells csv.ts writes from
 * JavaScript: the same text for integers, booleans, text (formula guard, quoting) and headers, and
 * the same values for fractional numbers (C's exponent form 1e-07 where JavaScript writes 1e-7).
 * Both sides read the same rows from DuckDB-WASM; toCsv is the reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/core/csv';
import { csvLinesSql, type DescribedColumn } from '../../src/core/csvSql';
import type { SqlDb } from '../../src/core/db';
import { ident } from '../../src/core/sql';
import { openWasmDb } from '../../src/node/wasmDb';

let db: SqlDb & { close(): void };

beforeAll(async () => {
  db = await openWasmDb();
});

afterAll(() => db.close());

async function describeQuery(sql: string): Promise<DescribedColumn[]> {
  return (await db.query(`DESCRIBE ${sql}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** The header and lines each side writes for a query ordered by its first column. */
async function bothWays(sql: string): Promise<{ js: string[]; duck: string[] }> {
  const columns = await describeQuery(sql);
  const names = columns.map((c) => c.name);
  // toCsv's lines, one per row (a cell may hold a line break).
  const js = [toCsv([], names).trimEnd(), ...(await db.query(sql)).map((row) => names.map((c) => csvCell(row[c])).join(','))];
  const linesSql = csvLinesSql(sql, columns);
  const [header] = await describeQuery(linesSql);
  const lines = (await db.query(`SELECT * FROM (${linesSql})`)).map((r) => String(r[header.name]));
  return { js, duck: [header.name, ...lines] };
}

describe('CSV cells written by DuckDB', () => {
  it('write numbers as csvCell does: integers exactly, fractions to the same value, non-finite and NULL empty', async () => {
    const doubles = ['74.02000000000001', '0.1 + 0.2', '2.0 / 3', '-0.0', '5.0', '-12.5', '1e-7', '1.5e-7', '0.00001234', '1.5e21', '123456789012345678', '1234567890123456.7', "'nan'", "'inf'", "'-inf'", 'NULL', '1e300', '-3.141592653589793'];
    await db.exec(`CREATE OR REPLACE TABLE nums AS SELECT * FROM (VALUES ${doubles
      .map((d, i) => `(${i}, CAST(${d} AS DOUBLE), CAST(${i % 3 === 0 ? 'NULL' : i * 1000003 - 7} AS BIGINT), ${i % 2 === 0}, CAST(${i} AS INTEGER))`)
      .join(', ')}) v(k, x, big, flag, small)`);
    const { js, duck } = await bothWays('SELECT * FROM nums ORDER BY k');
    expect(duck).toHaveLength(doubles.length + 1);
    expect(duck[0]).toBe(js[0]);
    for (let i = 1; i < js.length; i++) {
      const [a, b] = [js[i].split(','), duck[i].split(',')];
      expect(b).toHaveLength(a.length);
      a.forEach((cell, j) => {
        // A fraction's text may differ (exponent form, 15 digits rounded to an integer); its value may not.
        if (j === 1 && cell !== '' && !/^-?\d+$/.test(b[j])) expect(Number(b[j]), `row ${i}: ${cell} vs ${b[j]}`).toBe(Number(cell));
        else expect(b[j], `row ${i} column ${j}`).toBe(cell);
      });
    }
  });

  it('write text, headers and quoting as csvCell does', async () => {
    const texts = ['abc', '', '=SUM(A1)', '-5', '+x', '@a', '\tx', '\rx', ' lead', 'trail ', 'a,b', 'say "hi"', 'line\nbreak', 'nbsp\u00a0', '\u00a0nbsp', "it's", 'ünïcødé', null];
    await db.exec(`CREATE OR REPLACE TABLE texts (k INTEGER, "odd, ""name""" VARCHAR, "=formula" VARCHAR)`);
    for (const [i, t] of texts.entries()) await db.exec(`INSERT INTO texts VALUES (?, ?, ?)`, [i, t, t === null ? null : `${t}!`]);
    const { js, duck } = await bothWays(`SELECT * FROM texts ORDER BY k`);
    expect(js).toHaveLength(texts.length + 1);
    expect(duck).toEqual(js);
  });

  it('keep the columns in the order asked for', async () => {
    await db.exec(`CREATE OR REPLACE TABLE pair AS SELECT 1 AS b, 'x' AS a`);
    const columns = (await describeQuery('SELECT * FROM pair')).reverse();
    const linesSql = csvLinesSql('SELECT * FROM pair', columns);
    const [header] = await describeQuery(linesSql);
    const [row] = await db.query(`SELECT * FROM (${linesSql})`);
    expect([header.name, row[header.name]]).toEqual(['a,b', 'x,1']);
    expect(ident(header.name)).toBe('"a,b"');
  });
});
