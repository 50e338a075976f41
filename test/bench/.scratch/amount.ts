import { openNativeDb } from '../../../src/node/nativeDb';
import { openWasmDb } from '../../../src/node/wasmDb';
import { amountSql } from '../../../src/core/mapping/amountFormat';
const which = process.argv[2];
const db = which === 'wasm' ? await openWasmDb() : await openNativeDb({ threads: 1 });
const f = '/tmp/clv-bench/synthetic_1000000_s20240917_v1.csv';
const t = async (label: string, sql: string) => { const c0 = process.cpuUsage(); const t0 = performance.now(); const r = await db.query(sql); const c = process.cpuUsage(c0); console.log(label.padEnd(28), (performance.now()-t0).toFixed(0).padStart(6), 'ms wall', ((c.user+c.system)/1000).toFixed(0).padStart(6), 'ms cpu', JSON.stringify(Object.values(r[0])).slice(0,60)); };
await db.exec(`CREATE TABLE r AS SELECT * FROM read_csv('${f}', all_varchar=true)`);
const am = amountSql('"amount"', 'VARCHAR', '.');
const v = `trim(CAST("amount" AS VARCHAR))`;
for (let rep = 0; rep < 2; rep++) {
await t('current', `SELECT sum(${am}) FROM r`);
await t('try_cast only', `SELECT sum(try_cast(${v} AS DOUBLE)) FROM r`);
await t('simple regex guard', `SELECT sum(CASE WHEN regexp_full_match(${v}, '[-+]?[0-9]+(\\.[0-9]+)?') THEN try_cast(${v} AS DOUBLE) ELSE ${am} END) FROM r`);
await t('translate guard', `SELECT sum(CASE WHEN ${v} <> '' AND translate(${v}, '0123456789.', '') = '' AND NOT starts_with(${v}, '.') THEN try_cast(${v} AS DOUBLE) ELSE ${am} END) FROM r`);
await t('decimal cast', `SELECT sum(CAST(try_cast(${v} AS DECIMAL(18,4)) AS DOUBLE)) FROM r`);
}
