// EXPLAIN ANALYZE selected statements of the proto engine in duckdb-wasm (Node)
import { openWasmDb } from '../../../src/node/wasmDb';
import type { SqlDb } from '../../../src/core/db';
import { ProtoEngine } from '../proto/engine';
import { readHead } from '../flow';
const f = process.argv[2] ?? '/tmp/clv-bench/synthetic_1000000_s20240917_v1.csv';
const target = new RegExp(process.argv[3] ?? 'TABLE rfm');
const inner = await openWasmDb();
const lit = (v: unknown) => typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v);
const bind = (sql: string, params?: readonly unknown[]) => { let i = 0; let out = ''; let q = false; for (const ch of sql) { if (ch === "'") q = !q; out += (!q && ch === '?') ? lit(params![i++]) : ch; } return out; };
async function explain(sql: string, p?: readonly unknown[]) {
  const r = await inner.query(`EXPLAIN (ANALYZE, FORMAT json) ${bind(sql, p)}`);
  const tree = JSON.parse(String(r[0].explain_value));
  const walk = (n: any, d: number) => {
    const name = n.operator_name ?? n.query_name ?? '?';
    const t = n.operator_timing ?? n.latency ?? 0;
    const extra = n.extra_info ? JSON.stringify(n.extra_info).slice(0, 110) : '';
    if (t >= 0.02 || d < 2) console.log(`${'  '.repeat(d)}${name} ${t.toFixed(3)}s rows=${n.operator_cardinality ?? ''} ${extra}`);
    for (const c of n.children ?? []) walk(c, d + 1);
  };
  (Array.isArray(tree) ? tree : [tree]).forEach((t: any) => walk(t, 0));
}
const db: SqlDb = {
  async query(sql, p) { if (target.test(sql)) { console.log('==', sql.replace(/\s+/g, ' ').slice(0, 100)); await explain(sql, p); } return inner.query(sql, p); },
  async exec(sql, p) { if (target.test(sql)) { console.log('==', sql.replace(/\s+/g, ' ').slice(0, 100)); await explain(sql, p); } return inner.exec(sql, p); },
  columns: (sql, p) => inner.columns(sql, p),
};
const e = new ProtoEngine(db);
const { head, size } = readHead(f);
const ins = await e.inspect({ fileName: 'x.csv', path: f, head, size });
const l = await e.load(ins.mapping);
await e.build({ period: l.period, unit: 'day' });
