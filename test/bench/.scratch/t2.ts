import { openNativeDb } from '../../../src/node/nativeDb';
const db = await openNativeDb();
const rows = await db.query(`SELECT DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts, 12::BIGINT AS b, 1.5::DECIMAL(10,2) AS dec, [1,2]::BIGINT[] AS l, {'a': 1::BIGINT} AS s, 'x' AS v, NULL AS n, true AS bo, 3::INTEGER AS i, 2.5::DOUBLE AS dd, CAST(? AS DATE) AS p, ? > 1 AS q`, ['2024-05-06', 2.5]);
console.log(rows);
const cols = await db.columns(`SELECT DATE '2024-01-02' AS d, 12::BIGINT AS b, 'x' AS v, 2.5 AS dd, 3::INTEGER i, true bo`);
console.log(cols);
await db.exec('CREATE TABLE t AS SELECT ? AS x', ['a']);
console.log(await db.query('SELECT * FROM t'));
db.close();
