import { openWasmDb } from '../../../src/node/wasmDb';
const db = await openWasmDb();
const vals = ['2024-01-01', '2024-1-1', '2024-01-01 10:00', '2024-01-01T10:00:00', '2024-01-01 01:00:00+02:00', '2024-01-01 23:30:00-05:00', '20240101', '2024/01/01', ' 2024-01-01', '2024-01-01Z', 'infinity', '-infinity', '2024-02-30', '0024-01-01', '2024-01-01 BC', 'epoch', 'today', '99999-01-01'];
for (const v of vals) {
  const [r] = await db.query(`SELECT CAST(try_cast(trim(?) AS DATE) AS VARCHAR) AS d, CAST(CAST(try_cast(trim(?) AS TIMESTAMP) AS DATE) AS VARCHAR) AS ts`, [v, v]);
  console.log(JSON.stringify(v).padEnd(30), String(r.d).padEnd(14), String(r.ts), r.d !== null && r.d !== r.ts ? 'DIFF' : '');
}
