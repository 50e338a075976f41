/**
 * `--engine native --memory-limit SIZE` bounds the whole process (issue 15): DuckDB's own
 * memory_limit bounds only its buffer pool, so it gets a share of SIZE (nativeMemory.ts); the
 * quartiles of the amounts no longer use quantile_cont, whose array of every value lives outside
 * that pool; and each database spills into a folder of its own that goes when it closes, so runs
 * sharing --temp-dir neither delete nor grow each other's spill files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { positiveAmountQuartiles } from '../../src/core/clean/amountQuartiles';
import { ClvError } from '../../src/core/errors';
import { parseCliArgs } from '../../src/node/cliArgs';
import { engineSettings, openEngineDb } from '../../src/node/engineChoice';
import { openNativeDb } from '../../src/node/nativeDb';
import { duckdbMemoryLimit, memoryBytes, MIN_POOL_BYTES, POOL_SHARE, PROCESS_RESERVE_BYTES } from '../../src/node/nativeMemory';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'clv-native-memory-'));
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function settingsOf(argv: string[]) {
  const request = parseCliArgs(['features', 'log.csv', '--cutoff', '2023-06-30', '--out', tmp, '--engine', 'native', ...argv]);
  if (request.kind !== 'run') throw new Error('expected a command');
  return engineSettings(request.args);
}

/** Peak RSS growth while `work` runs, sampled every 5 ms (the event loop is free while native DuckDB works). */
async function rssGrowth(work: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - start;
}

const MiB = 2 ** 20;

describe('--memory-limit bounds the whole process', () => {
  it('reads amounts in DuckDB units', () => {
    expect(memoryBytes('4GB')).toBe(4e9);
    expect(memoryBytes('512MB')).toBe(512e6);
    expect(memoryBytes(' 1.5GiB ')).toBe(1.5 * 2 ** 30);
    expect(memoryBytes('2048KiB')).toBe(2 * MiB);
  });

  it("gives DuckDB's buffer pool its share of what the reserve for Node and the rest leaves, in whole MiB", () => {
    const pool = (bytes: number) => `${Math.floor(((bytes - PROCESS_RESERVE_BYTES) * POOL_SHARE) / MiB)}MiB`;
    expect(duckdbMemoryLimit('4GB')).toBe(pool(4e9));
    expect(duckdbMemoryLimit('1GiB')).toBe(pool(2 ** 30));
    expect(duckdbMemoryLimit('64GB')).toBe(pool(64e9));
    for (const limit of ['1GB', '4GB', '64GB']) expect(memoryBytes(duckdbMemoryLimit(limit))).toBeLessThan(memoryBytes(limit) - PROCESS_RESERVE_BYTES);
  });

  it('refuses a limit too small for Node and a working pool, before any work, saying what is enough', () => {
    const least = Math.ceil((MIN_POOL_BYTES / POOL_SHARE + PROCESS_RESERVE_BYTES) / 1e6);
    const error = (() => {
      try {
        settingsOf(['--memory-limit', `${least - 1}MB`]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ClvError);
    expect((error as ClvError).message).toMatch(new RegExp(`^--memory-limit ${least - 1}MB is too little .* give at least ${least}MB`));
    expect(memoryBytes(duckdbMemoryLimit(`${least}MB`))).toBeGreaterThanOrEqual(MIN_POOL_BYTES - MiB);
  });

  it("sets DuckDB's memory_limit to the pool's share when the engine opens", async () => {
    const db = await openEngineDb(settingsOf(['--memory-limit', '4GB']));
    const pool = Math.floor(((4e9 - PROCESS_RESERVE_BYTES) * POOL_SHARE) / MiB) * MiB;
    const [{ limit, expected, whole }] = await db.query(`SELECT current_setting('memory_limit') AS limit, format_bytes(CAST(? AS BIGINT)) AS expected, format_bytes(CAST(4e9 AS BIGINT)) AS whole`, [pool]);
    db.close();
    expect(limit).toBe(expected);
    expect(limit).not.toBe(whole);
  });
});

describe('the amount quartiles stay in DuckDB’s pool', () => {
  it('where quantile_cont holds every amount outside it', async () => {
    const db = await openNativeDb({ memoryLimit: '100MB', threads: 2, tempDir: path.join(tmp, 'spill-q') });
    // 20M amounts made on the fly (a view: nothing stored), 160 MB as doubles.
    await db.exec(`CREATE VIEW amounts AS SELECT round(exp((hash(i) % 1000000) / 1e6 * 6), 2) AS amount FROM range(20000000) r(i)`);
    let quartiles: [number, number] | null = null;
    const counted = await rssGrowth(async () => {
      quartiles = await positiveAmountQuartiles(db, 'amounts');
    });
    let reference: number[] = [];
    const vector = await rssGrowth(async () => {
      const [row] = await db.query(`SELECT quantile_cont(amount, [0.25, 0.75]) FILTER (WHERE amount > 0) AS q FROM amounts`);
      reference = Array.from(row.q as Iterable<unknown>, Number);
    });
    db.close();
    expect(quartiles![0]).toBeCloseTo(reference[0], 9);
    expect(quartiles![1]).toBeCloseTo(reference[1], 9);
    // quantile_cont's array alone is 160 MB; the counts by value stay within the 100 MB pool.
    expect(vector).toBeGreaterThan(150 * MiB);
    expect(counted).toBeLessThan(100 * MiB);
  });
});

describe('spill folders', () => {
  /** A spilling sort: 10M rows under a 64 MB pool. */
  const spillSql = `CREATE TABLE sorted AS SELECT * FROM (SELECT hash(i) AS h, i FROM range(10000000) r(i)) ORDER BY h`;

  it("are each database's own: another run's spill files in --temp-dir are left alone, and the folder goes on close", async () => {
    const tempDir = path.join(tmp, 'shared');
    mkdirSync(tempDir, { recursive: true });
    // What another DuckDB spilling into the same folder names its file.
    const other = path.join(tempDir, 'duckdb_temp_storage_DEFAULT-0.tmp');
    writeFileSync(other, 'another run');
    const db = await openNativeDb({ memoryLimit: '64MB', threads: 1, tempDir });
    await db.exec(spillSql);
    const own = readdirSync(tempDir).filter((n) => n.startsWith('clv-spill-'));
    expect(own).toHaveLength(1);
    expect(readdirSync(path.join(tempDir, own[0])).some((n) => n.startsWith('duckdb_temp_'))).toBe(true);
    db.close();
    expect(readFileSync(other, 'utf8')).toBe('another run');
    expect(readdirSync(tempDir)).toEqual(['duckdb_temp_storage_DEFAULT-0.tmp']);
  });

  it('go when the process exits without closing its database', () => {
    const tempDir = path.join(tmp, 'exit');
    const script = path.join(tmp, 'exit.mts');
    writeFileSync(
      script,
      `import { openNativeDb } from ${JSON.stringify(path.join(ROOT, 'src/node/nativeDb.ts'))};
       const db = await openNativeDb({ memoryLimit: '64MB', threads: 1, tempDir: ${JSON.stringify(tempDir)} });
       await db.exec(${JSON.stringify(spillSql)});
       console.log(JSON.stringify((await import('node:fs')).readdirSync(${JSON.stringify(tempDir)})));
       process.exit(0);`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const during = JSON.parse(run.stdout) as string[];
    expect(during.filter((n) => n.startsWith('clv-spill-'))).toHaveLength(1);
    expect(existsSync(tempDir) ? readdirSync(tempDir) : []).toEqual([]);
  });

  it('go when the process is stopped by a signal (Ctrl-C, kill), which still ends it', async () => {
    const tempDir = path.join(tmp, 'signal');
    const script = path.join(tmp, 'signal.mts');
    writeFileSync(
      script,
      `import { openNativeDb } from ${JSON.stringify(path.join(ROOT, 'src/node/nativeDb.ts'))};
       const db = await openNativeDb({ memoryLimit: '64MB', threads: 1, tempDir: ${JSON.stringify(tempDir)} });
       await db.exec(${JSON.stringify(spillSql)});
       console.log(JSON.stringify((await import('node:fs')).readdirSync(${JSON.stringify(tempDir)})));
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const during = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out) as string[]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} before spilling`)));
    });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    expect(during.filter((n) => n.startsWith('clv-spill-'))).toHaveLength(1);
    expect(existsSync(tempDir) ? readdirSync(tempDir) : []).toEqual([]);
  });
});
