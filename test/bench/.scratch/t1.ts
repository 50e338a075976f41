import { openWasmDb } from '../../../src/node/wasmDb';
const db = await openWasmDb();
const rows = await db.query(`SELECT DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts, 12::BIGINT AS b, 1.5::DECIMAL(10,2) AS dec, [1,2]::BIGINT[] AS l, {'a': 1::BIGINT} AS s, 'x' AS v, NULL AS n, true AS bo, 3::INTEGER AS i, 2.5::DOUBLE AS dd, INTERVAL 3 DAY AS iv, 1::HUGEINT AS h`);
console.log(rows, Object.fromEntries(Object.entries(rows[0]).map(([k,v])=>[k, typeof v + (v?.constructor?.name ?? '')])));
const cols = await db.columns(`SELECT DATE '2024-01-02' AS d, 12::BIGINT AS b, 'x' AS v, 2.5 AS dd, 3::INTEGER i, true bo`);
console.log(Object.fromEntries(Object.entries(cols).map(([k,v])=>[k, (v as any).constructor.name + ' ' + JSON.stringify(Array.from(v as any, (x:any)=> typeof x === 'bigint' ? String(x) : x))])));
