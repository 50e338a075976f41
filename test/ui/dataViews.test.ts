/**
 * The data worker's UI views (workers/dataViews.ts) on the bundled CDNOW sample, run by the same
 * DuckDB-WASM engine in Node: filters are bound not spliced, aggregates add up, and the
 * predictions table lines up with the training inputs' customer order.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import type { SqlDb } from '../../src/core/db';
import { openWasmDb } from '../../src/node/wasmDb';
import * as views from '../../workers/dataViews';

const SAMPLE = path.resolve(import.meta.dirname, '../../public/samples/cdnow_sample.txt');

describe('data worker views on the sample', () => {
  let db: SqlDb & { close(): void };
  let engine: DataEngine;
  let customers: number;

  beforeAll(async () => {
    db = await openWasmDb();
    engine = new DataEngine(db);
    const head = new Uint8Array(readFileSync(SAMPLE).subarray(0, 4096));
    const inspection = await engine.inspect({ fileName: 'cdnow_sample.txt', path: SAMPLE, head, size: statSync(SAMPLE).size });
    const loaded = await engine.load(inspection.mapping);
    customers = (await engine.build({ period: loaded.period })).rfmCustomers;
  });

  afterAll(() => db?.close());

  it('pages with filters and sorting done by DuckDB', async () => {
    const all = await views.filteredPage(db, 'features', { offset: 0, limit: 5 });
    expect(all.rows).toHaveLength(5);
    expect(all.total).toBe(customers);
    // Unsorted requests page through the table in its natural order, without overlaps.
    const pages = [all, await views.filteredPage(db, 'features', { offset: 5, limit: 5 })].flatMap((p) => p.rows.map((r) => String(r.customer_id)));
    const ids = (await db.query('SELECT customer_id FROM features ORDER BY customer_id LIMIT 10')).map((r) => String(r.customer_id));
    expect(pages).toEqual(ids);
    const filtered = await views.filteredPage(db, 'features', {
      offset: 0,
      limit: 10,
      orderBy: { column: 'total_spend', descending: true },
      filters: [{ column: 'frequency', op: '>=', value: '3' }],
    });
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(customers);
    expect(filtered.rows.every((r) => Number(r.frequency) >= 3)).toBe(true);
    const spends = filtered.rows.map((r) => Number(r.total_spend));
    expect([...spends].sort((a, b) => b - a)).toEqual(spends);
    const hostile = await views.filteredPage(db, 'features', { offset: 0, limit: 5, filters: [{ column: 'customer_id', op: 'contains', value: "x'); DROP TABLE rfm; --" }] });
    expect(hostile.total).toBe(0);
    expect(await views.tableExists(db, 'rfm')).toBe(true);
    await expect(views.filteredPage(db, 'features', { offset: 0, limit: 5, filters: [{ column: 'nope', op: '=', value: '1' }] })).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
    await expect(views.filteredPage(db, 'features', { offset: 0, limit: 5, filters: [{ column: 'frequency', op: '>=', value: 'abc' }] })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('carries hostile text and non-finite numbers through the raw CSV unchanged', async () => {
    const ids = ['a"b', 'x,y', 'line\nbreak', '=HYPERLINK("u")', ' padded '];
    const raw: views.RawColumn[] = [
      { name: 'customer_id', type: 'VARCHAR', values: ids },
      { name: 'predicted_clv', type: 'DOUBLE', values: [1.25, Number.NaN, Infinity, -0.5, 3] },
      { name: 'in_test', type: 'BOOLEAN', values: [true, false, true, false, true] },
    ];
    const csv = path.join(mkdtempSync(path.join(os.tmpdir(), 'clv-views-')), 'raw.csv');
    writeFileSync(csv, views.rawColumnsCsv(raw));
    await views.loadRawColumns(db, csv, raw);
    const rows = await db.query(`SELECT * FROM ${views.PREDICTIONS_RAW}`);
    expect(rows.map((r) => r.customer_id)).toEqual(ids);
    expect(rows.map((r) => r.predicted_clv)).toEqual([1.25, null, null, -0.5, 3]);
    expect(rows.map((r) => r.in_test)).toEqual([true, false, true, false, true]);
    await db.exec(`DROP TABLE ${views.PREDICTIONS_RAW}`);
  });

  it('aggregates segments and the heatmap over every customer', async () => {
    const segments = await views.rfmSegmentShares(db);
    expect(segments.reduce((s, r) => s + r.customers, 0)).toBe(customers);
    expect(segments.reduce((s, r) => s + r.value_share, 0)).toBeCloseTo(1, 9);
    const cells = await views.rfmHeatmap(db);
    expect(cells.reduce((s, c) => s + c.customers, 0)).toBe(customers);
    expect(cells.every((c) => c.r_score >= 1 && c.r_score <= 5 && c.f_score >= 1 && c.f_score <= 5)).toBe(true);
  });

  it('builds predictions aligned with the training order and answers the result views', async () => {
    const inputs = await engine.modelInputs();
    const n = inputs.customerIds.length;
    // Stand-in model output: the customer's calibration spend, so every view has a known answer.
    const byId = new Map((await db.query('SELECT customer_id, total_spend, holdout_spend FROM features')).map((r) => [String(r.customer_id), r]));
    const predicted = Float32Array.from(inputs.customerIds, (id) => Number(byId.get(id)!.total_spend));
    const actual = Float64Array.from(inputs.customerIds, (id) => Number(byId.get(id)!.holdout_spend));
    const raw: views.RawColumn[] = [
      { name: 'customer_id', type: 'VARCHAR', values: inputs.customerIds },
      { name: 'value_segment', type: 'VARCHAR', values: Array.from(predicted, (p) => (p > 100 ? 'high' : 'low')) },
      { name: 'predicted_clv', type: 'DOUBLE', values: predicted },
      { name: 'actual_spend', type: 'DOUBLE', values: actual },
      { name: 'pred_naive', type: 'DOUBLE', values: predicted },
      { name: 'in_test', type: 'BOOLEAN', values: inputs.customerIds.map((_, i) => i % 3 === 0) },
    ];
    const csv = path.join(mkdtempSync(path.join(os.tmpdir(), 'clv-views-')), 'raw.csv');
    writeFileSync(csv, views.rawColumnsCsv(raw));
    await views.loadRawColumns(db, csv, raw);
    const columns = await views.buildPredictions(db);
    expect(columns).toEqual(['customer_id', 'rfm_segment', 'value_segment', 'predicted_clv', 'actual_spend', 'pred_naive', 'in_test']);
    expect(await views.tableExists(db, views.PREDICTIONS_RAW)).toBe(false);

    const points = await views.predictedVsActual(db, 'naive', 100_000);
    const bins = await views.predictedVsActual(db, 'naive', 10);
    expect(points.kind).toBe('points');
    expect(bins.kind).toBe('bins');
    if (bins.kind === 'bins') expect(bins.bins.reduce((s, b) => s + b.customers, 0)).toBe(points.n);

    const [gain] = await views.gainCurves(db, ['naive'], 10);
    expect(gain.points).toHaveLength(10);
    expect(gain.points[9].gain).toBeCloseTo(1, 9);

    const histogram = await views.clvHistogram(db, 20);
    expect(histogram.length).toBeLessThanOrEqual(20);
    expect(histogram.reduce((s, b) => s + b.customers, 0)).toBe(n);

    const shares = await views.valueShares(db);
    const value = shares.filter((s) => s.grouping === 'value');
    expect(value.reduce((s, r) => s + r.customers, 0)).toBe(n);
    expect(value.reduce((s, r) => s + r.predicted_share, 0)).toBeCloseTo(1, 6);

    const id = inputs.customerIds[7];
    const profile = await views.customerProfile(db, id);
    expect(profile?.index).toBe(7);
    expect(profile?.prediction?.customer_id).toBe(id);
    expect(await views.customerProfile(db, 'no such customer')).toBeNull();
    expect(await views.searchCustomers(db, id.slice(0, 3), 5)).toContain(inputs.customerIds.filter((c) => c.startsWith(id.slice(0, 3)))[0]);
  });
});
