/**
 * Sharded by customer: `clv stats FILE --shard K/N` for every K, then `clv features --from-stats`,
 * must give the tables of the unsharded `clv features` run (every column, every customer), for
 * N = 1, 3 and 7; each customer must sit in the shard its id's MD5 names.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/node/cliMain';
import { cdnowFile } from '../support/cdnowData';
import { folderDifferences, NO_DIFFERENCES } from '../support/compareTables';
import { DEFAULT_GENERATOR, generateTransactions, toCsv } from '../support/transactionGenerator';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'clv-shards-'));

async function clv(...argv: string[]): Promise<Record<string, unknown>> {
  const outcome = await runCli(argv);
  if (outcome.code !== 0) throw new Error(outcome.stderr);
  return JSON.parse(outcome.stdout) as Record<string, unknown>;
}

/** The shard the README defines, computed here with Node's own MD5. */
function expectedShard(id: string, n: number): number {
  return 1 + (createHash('md5').update(id, 'utf8').digest().readUInt32BE(0) % n);
}

async function parquetRows(file: string): Promise<Record<string, unknown>[]> {
  const bytes = readFileSync(file);
  return (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), compressors })) as Record<string, unknown>[];
}

describe('sharded by customer', () => {
  const file = cdnowFile('CDNOW_master.txt');
  const period = ['--cutoff', '1997-09-30', '--horizon-end', '1998-06-30'];
  const whole = path.join(tmp, 'whole');

  it.each([1, 3, 7])('N = %i shards on CDNOW_master (native) give the unsharded tables', async (n) => {
    if (n === 1) await clv('features', file, ...period, '--unit', 'week', '--engine', 'native', '--out', whole);
    const dir = path.join(tmp, `stats-${n}`);
    let customers = 0;
    for (let k = 1; k <= n; k++) {
      const summary = await clv('stats', file, ...period, '--shard', `${k}/${n}`, '--engine', 'native', '--out', dir);
      customers += Number(summary.customers);
      const rows = await parquetRows(path.join(dir, `customers-${k}-of-${n}.parquet`));
      expect(rows.filter((r) => r.customer_id !== null).length).toBe(summary.customers);
      expect(rows.filter((r) => r.customer_id !== null && expectedShard(String(r.customer_id), n) !== k).map((r) => r.customer_id)).toEqual([]);
    }
    expect(customers).toBe(23_570);
    const out = path.join(tmp, `from-${n}`);
    const summary = await clv('features', '--from-stats', path.join(dir, '*.parquet'), '--unit', 'week', '--engine', 'native', '--out', out);
    expect(summary.shards).toBe(n);
    expect(summary.customers).toBe(23_570);
    expect(folderDifferences(whole, out)).toEqual(NO_DIFFERENCES);
    // The extreme-amount fence (Q3 + 3·IQR over every row's positive amount) from the shards' counts.
    const expected = JSON.parse(readFileSync(path.join(whole, 'quality.json'), 'utf8')).extreme_amounts;
    const merged = JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8')).extreme_amounts;
    expect(expected.threshold).toBeGreaterThan(0);
    expect(merged.threshold).toBeCloseTo(expected.threshold, 9);
    expect(merged.rows).toBe(expected.rows);
  });

  it('works on DuckDB-WASM too, with the order-id features (n_orders) taken from the shards', async () => {
    const data = generateTransactions({ ...DEFAULT_GENERATOR, randomCustomers: 500, withOrders: true });
    const log = path.join(tmp, 'generated.csv');
    writeFileSync(log, toCsv(data, { timestamps: true }));
    const genPeriod = ['--cutoff', data.cutoff, '--horizon-end', data.horizonEnd];
    await clv('features', log, ...genPeriod, '--out', path.join(tmp, 'gen-whole'));
    const dir = path.join(tmp, 'gen-stats');
    for (let k = 1; k <= 3; k++) expect((await clv('stats', log, ...genPeriod, '--shard', `${k}/3`, '--out', dir)).engine).toBe('wasm');
    await clv('features', '--from-stats', dir, '--out', path.join(tmp, 'gen-from'));
    expect(folderDifferences(path.join(tmp, 'gen-whole'), path.join(tmp, 'gen-from'))).toEqual(NO_DIFFERENCES);
    const expected = JSON.parse(readFileSync(path.join(tmp, 'gen-whole', 'quality.json'), 'utf8')).extreme_amounts;
    const merged = JSON.parse(readFileSync(path.join(tmp, 'gen-from', 'quality.json'), 'utf8')).extreme_amounts;
    expect(merged.threshold).toBeCloseTo(expected.threshold, 9);
    expect(merged.rows).toBe(expected.rows);
  });

  it('refuses an incomplete set of shards, naming the missing one', async () => {
    const dir = path.join(tmp, 'stats-3');
    const partial = path.join(tmp, 'partial');
    mkdirSync(partial);
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.parquet') && !f.startsWith('customers-2-'))) {
      writeFileSync(path.join(partial, name), readFileSync(path.join(dir, name)), { flag: 'w' });
    }
    const outcome = await runCli(['features', '--from-stats', path.join(partial, '*.parquet'), '--engine', 'native', '--out', path.join(tmp, 'x')]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^SHARDS_MISMATCH: Shard 2\/3 is missing/);
    rmSync(partial, { recursive: true });
  });

  it('refuses a shard outside 1..N', async () => {
    const outcome = await runCli(['stats', file, ...period, '--shard', '4/3', '--out', path.join(tmp, 'x')]);
    expect(outcome.stderr).toMatch(/^BAD_ARGUMENT: --shard must be K\/N with 1 ≤ K ≤ N/);
  });
});
