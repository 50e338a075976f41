import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Float64, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { SqlDb } from '../core/db';
import { ClvError } from '../core/errors';
import { ident } from '../core/sql';
import { nodeSourceFile } from './sourceFile';

/** The files a --from-stats argument names: a folder (its *.parquet), a file, or a glob in the last path part ('DIR/*.parquet'). */
export function shardFileList(input: string): string[] {
  let folder = false;
  try {
    folder = statSync(input).isDirectory();
  } catch {
    // A glob or a missing path.
  }
  const dir = folder ? input : path.dirname(input);
  const pattern = folder ? '*.parquet' : path.basename(input);
  if (/[*?[]/.test(dir)) throw new ClvError('BAD_ARGUMENT', `--from-stats takes a folder or a pattern in the file name only ('DIR/*.parquet'), not "${input}".`);
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => re.test(n)).sort();
  } catch {
    // Said below.
  }
  if (names.length === 0) throw new ClvError('BAD_ARGUMENT', `No shard file matches --from-stats "${input}". Give the folder or pattern where "clv stats" wrote its Parquet files (quote the pattern so the shell does not expand it).`);
  return names.map((n) => path.resolve(dir, n));
}

/**
 * Every shard file as one table. Native DuckDB reads them itself; DuckDB-WASM has no Parquet
 * reader, so they are decoded in JavaScript (hyparquet) and handed over as Arrow.
 */
export async function loadShardFiles(db: SqlDb, files: readonly string[], table: string): Promise<void> {
  if (db.readsFiles) {
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
    await db.exec(`CREATE OR REPLACE TEMP TABLE ${ident(table)} AS SELECT * FROM read_parquet([${list}], union_by_name=true)`);
    return;
  }
  const parts: string[] = [];
  for (const [i, file] of files.entries()) {
    let rows: Record<string, unknown>[];
    try {
      rows = (await parquetReadObjects({ file: nodeSourceFile(file).bytes!, compressors })) as Record<string, unknown>[];
    } catch {
      throw new ClvError('SHARDS_MISMATCH', `"${path.basename(file)}" could not be read as Parquet. Give the files that "clv stats" wrote.`);
    }
    if (rows.length === 0) continue;
    const names = Object.keys(rows[0]);
    const vectors = Object.fromEntries(
      names.map((n) => {
        const values = rows.map((r) => r[n]);
        const numeric = values.every((v) => v === null || v === undefined || typeof v === 'number' || typeof v === 'bigint');
        return [n, numeric ? vectorFromArray(values.map((v) => (v === null || v === undefined ? null : Number(v))), new Float64()) : vectorFromArray(values.map((v) => (v === null || v === undefined ? null : String(v))), new Utf8())];
      }),
    );
    const part = `${table}_${i}`;
    await db.insertArrowIpc(part, tableToIPC(new Table(vectors), 'stream'));
    parts.push(part);
  }
  if (parts.length === 0) throw new ClvError('SHARDS_MISMATCH', 'The shard files hold no customers. Give the files that "clv stats" wrote.');
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${ident(table)} AS ${parts.map((p) => `SELECT * FROM ${ident(p)}`).join(' UNION ALL BY NAME ')}`);
  for (const p of parts) await db.exec(`DROP TABLE ${ident(p)}`);
}
