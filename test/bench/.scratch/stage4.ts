import { readFileSync } from 'node:fs';
import { openWasmDb } from '../../../src/node/wasmDb';
import type { SqlDb } from '../../../src/core/db';
import { ProtoEngine } from '../proto/engine';
import { readHead } from '../flow';
const f = '/tmp/clv-bench/synthetic_1000000_s20240917_v1.csv';
const inner = await openWasmDb();
const cpu = () => { const s = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'); const x = s.slice(s.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) * 10; };
let staged: { sql: string; p?: readonly unknown[] } | null = null;
const db: SqlDb = {
  query: (sql, p) => inner.query(sql, p),
  async exec(sql, p) { if (/TABLE staged AS/.test(sql)) staged = { sql, p }; return inner.exec(sql, p); },
  columns: (sql, p) => inner.columns(sql, p),
};
const e = new ProtoEngine(db);
const { head, size } = readHead(f);
const ins = await e.inspect({ fileName: 'x.csv', path: f, head, size });
await e.load(ins.mapping);
const t = async (label: string, sql: string, p?: readonly unknown[]) => { const c0 = cpu(); const t0 = performance.now(); await inner.exec(sql, p as any); console.log(label.padEnd(40), String(cpu() - c0).padStart(6), 'ms main-cpu', (performance.now() - t0).toFixed(0).padStart(6), 'wall'); };
const s = staged!;
console.log(s.sql.slice(0, 3000));
for (let i = 0; i < 3; i++) await t('staged again', s.sql, s.p);
const inner2 = s.sql.replace(/^[\s\S]*?FROM \(SELECT \*, CASE/, 'SELECT * FROM (SELECT *, CASE');
await t('plain read rn ctas', `CREATE OR REPLACE TABLE q AS SELECT row_number() OVER () AS "__clv_row", * FROM read_csv(?, delim=',', header=true, all_varchar=true, quote='"', escape='"', null_padding=true, strict_mode=false, compression='none')`, s.p);
await t('plain read ctas no rn', `CREATE OR REPLACE TABLE q AS SELECT * FROM read_csv(?, delim=',', header=true, all_varchar=true, quote='"', escape='"', null_padding=true, strict_mode=false, compression='none')`, s.p);
