/**
 * The start-up warm-up (src/core/engineWarmup.ts) runs the real pipeline on its generated log, in a
 * schema and on a connection of its own: the user's tables are untouched, nothing of it is left
 * behind, and it stops between steps when asked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { warmUpEngine, warmupLog, WARMUP_FILE_NAME, WARMUP_SCHEMA } from '../../src/core/engineWarmup';
import { sqlDbFromConnection, type BlockingConnection } from '../../src/core/blockingDb';
import { startWarmup } from '../../workers/warmupRunner';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmBindings, openWasmDb } from '../../src/node/wasmDb';

let dir: string;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let warmFile: string;
let userFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-warmup-'));
  db = await openWasmDb();
  warmFile = path.join(dir, 'warm.csv');
  writeFileSync(warmFile, warmupLog(20_000));
  userFile = path.join(dir, 'user.csv');
  writeFileSync(
    userFile,
    ['customer_id,date,amount', 'a,2024-01-01,10', 'a,2024-02-01,20', 'b,2024-01-05,5', 'b,2024-03-01,7', 'c,2024-02-10,3'].join('\n'),
  );
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const noPause = () => Promise.resolve();

it('generates the same log for the same seed, with rejected rows and returns among the purchases', async () => {
  const log = warmupLog(20_000);
  expect(Buffer.from(log).equals(Buffer.from(warmupLog(20_000)))).toBe(true);
  expect(Buffer.from(log).equals(Buffer.from(warmupLog(20_000, 2)))).toBe(false);
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(warmFile));
  const { quality } = await engine.load(inspection.mapping);
  expect(quality.rows_read).toBe(20_000);
  expect(Object.keys(quality.rejected_by_reason).sort()).toEqual(['missing customer id', 'unparseable date']);
  expect(quality.returns.rows).toBeGreaterThan(10);
  expect(quality.customers).toBeGreaterThan(2_000);
  const built = await engine.build();
  expect(built.features.customers).toBeGreaterThan(1_000);
});

it("runs inspect, load and build without touching the user's tables, and leaves nothing behind", async () => {
  const user = new DataEngine(db);
  const inspection = await user.inspect(nodeSourceFile(userFile));
  await user.load(inspection.mapping);
  await user.build();
  const before = await user.rows('rfm');

  const other = db.connect();
  try {
    const report = await warmUpEngine(other, nodeSourceFile(warmFile), () => false, noPause);
    expect(report.steps).toEqual(['inspect', 'load', 'build']);
    expect(report.completed).toBe(true);
    expect(report.stepMs).toHaveLength(3);
  } finally {
    other.close();
  }
  expect(await user.rows('rfm')).toEqual(before);
  const schemas = await db.query(`SELECT schema_name FROM duckdb_schemas() WHERE schema_name = ?`, [WARMUP_SCHEMA]);
  expect(schemas).toEqual([]);
  // The user's engine carries on as before (a rebuild reads its own transactions).
  await user.build();
  expect(await user.rows('rfm')).toEqual(before);
});

it('stops before the next step when asked, and still drops its schema', async () => {
  const other = db.connect();
  let asked = 0;
  try {
    const report = await warmUpEngine(other, nodeSourceFile(warmFile), () => ++asked > 1, noPause);
    expect(report.steps).toEqual(['inspect']);
    expect(report.completed).toBe(false);
  } finally {
    other.close();
  }
  expect(await db.query(`SELECT schema_name FROM duckdb_schemas() WHERE schema_name = ?`, [WARMUP_SCHEMA])).toEqual([]);
  // A stop in the middle of the pipeline (after load) leaves no table either.
  const third = db.connect();
  asked = 0;
  try {
    const report = await warmUpEngine(third, nodeSourceFile(warmFile), () => ++asked > 2, noPause);
    expect(report.steps).toEqual(['inspect', 'load']);
  } finally {
    third.close();
  }
  const left = await db.query(`SELECT table_name FROM duckdb_tables() WHERE schema_name = ?`, [WARMUP_SCHEMA]);
  expect(left).toEqual([]);
});

/**
 * The worker's side (workers/warmupRunner.ts) on DuckDB-WASM's Node bindings: the same calls the
 * browser worker makes (registerFileBuffer, connect, dropFile). Node reports no deviceMemory, so
 * the pipeline runs and no heap is written.
 */
describe('startWarmup (the data worker runs this at start)', () => {
  let bindings: Awaited<ReturnType<typeof openWasmBindings>>;
  let user: ReturnType<typeof sqlDbFromConnection>;
  let engine: DataEngine;
  let before: unknown[];

  beforeAll(async () => {
    bindings = await openWasmBindings();
    user = sqlDbFromConnection(bindings.connect() as BlockingConnection);
    engine = new DataEngine(user);
    const inspection = await engine.inspect(nodeSourceFile(userFile));
    await engine.load(inspection.mapping);
    await engine.build();
    before = await engine.rows('rfm');
  });

  const untouched = async () => {
    expect(await engine.rows('rfm')).toEqual(before);
    expect(await user.query(`SELECT schema_name FROM duckdb_schemas() WHERE schema_name = ?`, [WARMUP_SCHEMA])).toEqual([]);
  };

  it('runs every step, writes no heap without deviceMemory, and leaves the user tables as they were', async () => {
    const warmup = startWarmup(bindings as never, 20_000);
    const report = await warmup.done;
    expect(report).not.toBeNull();
    expect(report!.steps).toEqual(['inspect', 'load', 'build']);
    expect(report!.stepMs).toHaveLength(3);
    expect(report!).toMatchObject({ completed: true, rows: 20_000, heapBytes: 0 });
    await untouched();
    // The generated log is no longer registered.
    await expect(user.query(`SELECT count(*) FROM read_csv('${WARMUP_FILE_NAME}')`)).rejects.toThrow();
  });

  it('does not start when stopped at once (a file dropped right away)', async () => {
    const warmup = startWarmup(bindings as never, 20_000);
    await warmup.stop();
    expect(await warmup.done).toBeNull();
    await untouched();
  });

  it('stops after the step that is running when the user needs the engine', async () => {
    const warmup = startWarmup(bindings as never, 20_000);
    // Fires after the warm-up's first timer, so after its first step (steps run without yielding).
    setTimeout(() => void warmup.stop(), 0);
    const report = await warmup.done;
    expect(report?.steps).toEqual(['inspect']);
    expect(report?.completed).toBe(false);
    await untouched();
  });
});
