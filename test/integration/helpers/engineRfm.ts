/**
 * Runs the real engine (DuckDB-WASM, Node build) on one file in its own process and prints one
 * JSON line: { format, mapping, quality, rfm }. Tests call it as a child process when a read may
 * block the whole process (DuckDB-WASM autoloading an extension), so a time limit can stop it.
 *
 *   node --import tsx test/integration/helpers/engineRfm.ts FILE CUTOFF [HORIZON_END]
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataEngine } from '../../../src/core/engine';
import { openWasmDb } from '../../../src/node/wasmDb';

const [file, cutoff, horizonEnd] = process.argv.slice(2);
const size = statSync(file).size;
const head = new Uint8Array(Math.min(size, 4096));
const fd = openSync(file, 'r');
readSync(fd, head, 0, head.length, 0);
closeSync(fd);

const engine = new DataEngine(await openWasmDb());
const inspection = await engine.inspect({ fileName: path.basename(file), path: file, head, size });
const { quality } = await engine.load(inspection.mapping);
await engine.build({ period: { cutoff, horizonEnd: horizonEnd ?? null }, unit: 'day' });
const rfm = await engine.rows('rfm');
process.stdout.write(`${JSON.stringify({ format: inspection.format, mapping: inspection.mapping, quality, rfm })}\n`);
process.exit(0);
