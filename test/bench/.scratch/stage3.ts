import { readFileSync } from 'node:fs';
import { openWasmDb } from '../../../src/node/wasmDb';
import { openNativeDb } from '../../../src/node/nativeDb';
import { amountSql } from '../../../src/core/mapping/amountFormat';
const f = process.argv[3] ?? '/tmp/clv-bench/synthetic_1000000_s20240917_v1.csv';
const db = process.argv[2] === 'native' ? await openNativeDb({ threads: 1 }) : await openWasmDb();
const cpu = () => { const s = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'); const x = s.slice(s.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) * 10; };
const t = async (label: string, sql: string) => { const c0 = cpu(); const t0 = performance.now(); const r = await db.query(sql); console.log(label.padEnd(36), String(cpu() - c0).padStart(6), 'ms main-cpu', (performance.now() - t0).toFixed(0).padStart(6), 'wall', JSON.stringify(r[0] ?? {}).slice(0, 50)); };
const opts = `delim=',', header=true, quote='"', escape='"', null_padding=true, strict_mode=false, compression='none'`;
await db.exec(`CREATE OR REPLACE TABLE a AS SELECT row_number() OVER () AS "__clv_row", * FROM read_csv('${f}', ${opts}, all_varchar=true)`);
const v = (c: string) => `trim(CAST("${c}" AS VARCHAR))`;
const fast = `CASE WHEN regexp_full_match(${v('amount')}, '[-+]?[0-9]+(\\.[0-9]+)?') THEN try_cast(${v('amount')} AS DOUBLE) ELSE ${amountSql('"amount"', 'VARCHAR', '.')} END`;
const cols = {
  row_id: `"__clv_row"`,
  customer_id: `NULLIF(${v('customer_id')}, '')`,
  day: `CAST(try_cast(${v('date')} AS TIMESTAMP) AS DATE)`,
  amount: fast,
  nulls: `CAST(NULL AS VARCHAR) AS order_id, CAST(NULL AS DOUBLE) AS quantity, CAST(NULL AS VARCHAR) AS category, CAST(NULL AS VARCHAR) AS channel, CAST(NULL AS VARCHAR) AS region`,
  row_hash: `hash("customer_id", "date", "amount")`,
  original: `struct_pack("customer_id" := CAST("customer_id" AS VARCHAR), "date" := CAST("date" AS VARCHAR), "amount" := CAST("amount" AS VARCHAR))`,
};
const sel = (skip: string[]) => Object.entries(cols).filter(([k]) => !skip.includes(k)).map(([k, e]) => k === 'nulls' ? e : `${e} AS ${k}`).join(', ');
const reason = `CASE WHEN customer_id IS NULL THEN 'missing customer id' WHEN day IS NULL THEN 'unparseable date' WHEN amount IS NULL OR isnan(amount) OR isinf(amount) THEN 'non-numeric amount' END`;
const full = (skip: string[] = []) => `CREATE OR REPLACE TABLE s AS SELECT * ${skip.includes("original") ? "" : "EXCLUDE (original)"}, ${reason} AS reason${skip.includes('original') ? '' : `, CASE WHEN ${reason} IS NOT NULL THEN original END AS original`} FROM (SELECT ${sel(skip)} FROM a)`;
for (let i = 0; i < 2; i++) {
await t('full proto staging (from table)', full());
await t('  - original', full(['original']));
await t('  - original - hash', full(['original', 'row_hash']));
await t('  - original - hash - nulls', full(['original', 'row_hash', 'nulls']));
await t('projection only, no reason', `CREATE OR REPLACE TABLE s AS SELECT ${sel([])} FROM a`);
await t('projection no original', `CREATE OR REPLACE TABLE s AS SELECT ${sel(['original'])} FROM a`);
}
