import { openWasmDb } from '../../../src/node/wasmDb';
const db = await openWasmDb();
const f = '/tmp/clv-bench/synthetic_1000000_s20240917_v1.csv';
const size = async () => { const s = await db.query(`SELECT memory_usage FROM pragma_database_size()`); return String(s[0].memory_usage); };
await db.exec(`CREATE TABLE a AS SELECT row_number() OVER () AS rn, * FROM read_csv('${f}', all_varchar=true)`);
console.log('raw', await size());
const base = `rn AS row_id, customer_id, CAST(date AS DATE) AS day, CAST(amount AS DOUBLE) AS amount`;
const variants: Record<string, string> = {
  'current staged': `${base}, CAST(NULL AS VARCHAR) AS order_id, CAST(NULL AS DOUBLE) AS quantity, CAST(NULL AS VARCHAR) AS category, CAST(NULL AS VARCHAR) AS channel, CAST(NULL AS VARCHAR) AS region, hash(customer_id, date, amount) AS row_hash, CAST(NULL AS VARCHAR) AS reason, CASE WHEN rn < 0 THEN struct_pack(customer_id := customer_id, date := date, amount := amount) END AS original`,
  'no unmapped NULL columns': `${base}, hash(customer_id, date, amount) AS row_hash, CAST(NULL AS VARCHAR) AS reason, CASE WHEN rn < 0 THEN struct_pack(customer_id := customer_id, date := date, amount := amount) END AS original`,
  'no unmapped, no original': `${base}, hash(customer_id, date, amount) AS row_hash, CAST(NULL AS VARCHAR) AS reason`,
  'no unmapped, no original, reason utinyint': `${base}, hash(customer_id, date, amount) AS row_hash, CAST(NULL AS UTINYINT) AS reason`,
  'minimal (id, day, amount)': `customer_id, CAST(date AS DATE) AS day, CAST(amount AS DOUBLE) AS amount`,
};
for (const [k, sel] of Object.entries(variants)) {
  const before = await size();
  await db.exec(`CREATE OR REPLACE TABLE s AS SELECT ${sel} FROM a`);
  const after = await size();
  console.log(k.padEnd(44), before, '->', after);
  await db.exec('DROP TABLE s');
}
