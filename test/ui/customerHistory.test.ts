/**
 * The customer lookup's timeline (workers/dataViews.ts customerHistory) on the bundled CDNOW
 * sample: each customer's days and net spend as read straight from the text file here, and the
 * P(alive) history drawn from those days ends, at the cutoff, on the P(alive) of the customer's
 * row in `rfm` (frequency, recency, T), so the timeline counts purchases as the models do.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import type { SqlDb } from '../../src/core/db';
import { bgnbdProbabilityAlive } from '../../src/core/models/bgnbd';
import { pAliveHistory } from '../../src/core/models/pAliveHistory';
import { parseDay, UNIT_DAYS, type Period, type TimeUnit } from '../../src/core/tables/period';
import { openWasmDb } from '../../src/node/wasmDb';
import * as views from '../../workers/dataViews';
import { customerPurchaseDays } from '../../src/ui/customerPurchaseDays';

const SAMPLE = path.resolve(import.meta.dirname, '../../public/samples/cdnow_sample.txt');

/** Per customer id (either id column of the file), day → summed amount, from the raw lines. */
function daysFromFile(column: 0 | 1): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const line of readFileSync(SAMPLE, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const day = `${f[2].slice(0, 4)}-${f[2].slice(4, 6)}-${f[2].slice(6, 8)}`;
    const days = out.get(f[column]) ?? new Map<string, number>();
    days.set(day, (days.get(day) ?? 0) + Number(f[4]));
    out.set(f[column], days);
  }
  return out;
}

describe('customer history on the sample', () => {
  let db: SqlDb & { close(): void };
  let period: Period;
  let unit: TimeUnit;

  beforeAll(async () => {
    db = await openWasmDb();
    const engine = new DataEngine(db);
    const head = new Uint8Array(readFileSync(SAMPLE).subarray(0, 4096));
    const inspection = await engine.inspect({ fileName: 'cdnow_sample.txt', path: SAMPLE, head, size: statSync(SAMPLE).size });
    const loaded = await engine.load(inspection.mapping);
    const built = await engine.build({ period: loaded.period });
    period = built.period;
    unit = built.unit;
  });

  afterAll(() => db?.close());

  it('gives every day of a customer with its net spend, oldest first, before and after the cutoff', async () => {
    const ids = (await db.query('SELECT customer_id FROM features ORDER BY customer_id')).map((r) => String(r.customer_id));
    const byFirst = daysFromFile(0);
    const file = ids.every((id) => byFirst.has(id)) ? byFirst : daysFromFile(1);
    let afterCutoff = 0;
    for (const id of ids.filter((_, i) => i % 37 === 0)) {
      const history = await views.customerHistory(db, id);
      const expected = [...file.get(id)!.entries()].sort(([a], [b]) => a.localeCompare(b));
      expect(history.truncated).toBe(false);
      expect(history.days.map((d) => d.day)).toEqual(expected.map(([day]) => day));
      history.days.forEach((d, i) => expect(d.spend).toBeCloseTo(expected[i][1], 6));
      expect(history.days.every((d) => d.purchase)).toBe(true);
      afterCutoff += history.days.filter((d) => d.day > period.cutoff).length;
    }
    expect(afterCutoff).toBeGreaterThan(0);
  });

  it('keeps only the most recent days when asked for fewer, and says so', async () => {
    const [row] = await db.query('SELECT customer_id FROM rfm ORDER BY frequency DESC, customer_id LIMIT 1');
    const all = await views.customerHistory(db, String(row.customer_id));
    const last2 = await views.customerHistory(db, String(row.customer_id), 2);
    expect(last2.truncated).toBe(true);
    expect(last2.days).toEqual(all.days.slice(-2));
  });

  it('its P(alive) history ends on the P(alive) of the customer at the cutoff', async () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const rows = await db.query('SELECT customer_id, frequency, recency, "T" FROM rfm WHERE frequency > 0 ORDER BY customer_id LIMIT 40');
    expect(rows.length).toBe(40);
    for (const r of rows) {
      const history = await views.customerHistory(db, String(r.customer_id));
      const days = history.days.filter((d) => d.purchase).map((d) => parseDay(d.day, 'day'));
      const points = pAliveHistory('bgnbd', params, days, parseDay(period.cutoff, 'cutoff'), { unitDays: UNIT_DAYS[unit] });
      const atCutoff = bgnbdProbabilityAlive(params, Number(r.frequency), Number(r.recency), Number(r.T));
      expect(points[points.length - 1].pAlive).toBeCloseTo(atCutoff, 10);
    }
  });

  it('an unknown customer has no days', async () => {
    expect(await views.customerHistory(db, "nobody'; DROP TABLE customer_days; --")).toEqual({ days: [], truncated: false, firstPurchase: null, earlierPurchaseDays: 0, purchaseDays: null });
    expect(await views.tableExists(db, 'customer_days')).toBe(true);
  });
});

/**
 * A customer who bought on 1,300 days (more than the timeline keeps): P(alive) over time must count
 * from the true first purchase, so at the cutoff it equals the BG/NBD closed form written out here
 * from (x, t_x, T) counted from the generated dates themselves.
 */
describe('customer history of a customer with more days than the timeline keeps', () => {
  const DAY = 86_400_000;
  const start = Date.UTC(2019, 0, 1);
  const iso = (day: number) => new Date(start + day * DAY).toISOString().slice(0, 10);
  /** Day offsets of the heavy buyer's purchases: 1,300 days, with quiet spells (every 7th day skipped, a 40-day gap). */
  const heavy: number[] = [];
  for (let d = 0; heavy.length < 1300; d++) if (d % 7 !== 3 && !(d >= 600 && d < 640)) heavy.push(d);
  let db: SqlDb & { close(): void };
  let period: Period;
  let unit: TimeUnit;

  beforeAll(async () => {
    const lines = ['customer_id,order_date,amount'];
    heavy.forEach((d, i) => lines.push(`heavy,${iso(d)},${(10 + (i % 5)).toFixed(2)}`));
    // Other customers over the same span, so the file has a population and the same date range.
    for (let c = 0; c < 60; c++) for (let k = 0; k < 1 + (c % 6); k++) lines.push(`c${c},${iso((c * 37 + k * 211) % heavy[heavy.length - 1])},${(5 + c).toFixed(2)}`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-heavy-'));
    const csv = path.join(dir, 'heavy.csv');
    writeFileSync(csv, lines.join('\n') + '\n');
    db = await openWasmDb();
    const engine = new DataEngine(db);
    const head = new Uint8Array(readFileSync(csv).subarray(0, 4096));
    const inspection = await engine.inspect({ fileName: 'heavy.csv', path: csv, head, size: statSync(csv).size });
    const loaded = await engine.load(inspection.mapping);
    const built = await engine.build({ period: loaded.period });
    period = built.period;
    unit = built.unit;
  });

  afterAll(() => db?.close());

  it('keeps the most recent days, says where the purchases began, and P(alive) at the cutoff is the closed form', async () => {
    const history = await views.customerHistory(db, 'heavy');
    expect(history.truncated).toBe(true);
    expect(history.days).toHaveLength(views.HISTORY_DAYS);
    expect(history.firstPurchase).toBe(iso(heavy[0]));
    expect(history.earlierPurchaseDays).toBe(heavy.length - views.HISTORY_DAYS);
    expect(history.purchaseDays).toEqual(heavy.map(iso));

    const cutoff = parseDay(period.cutoff, 'cutoff');
    const first = parseDay(iso(heavy[0]), 'first');
    const before = heavy.map((d) => parseDay(iso(d), 'day')).filter((d) => d <= cutoff);
    // The cutoff falls inside the kept days, after the first kept day: the old count (kept days only) was wrong.
    expect(before.length).toBeGreaterThan(heavy.length - views.HISTORY_DAYS + 1);
    expect(before.length).toBeLessThan(heavy.length);
    const u = UNIT_DAYS[unit];
    const x = before.length - 1;
    const tx = (before[before.length - 1] - first) / u;
    const T = (cutoff - first) / u;
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const closedForm = 1 / (1 + (params.a / (params.b + x - 1)) * ((params.alpha + T) / (params.alpha + tx)) ** (params.r + x));

    const points = pAliveHistory('bgnbd', params, customerPurchaseDays(history), cutoff, { unitDays: u });
    expect(points[0].day).toBe(first);
    expect(points[points.length - 1].day).toBe(cutoff);
    expect(points[points.length - 1].pAlive).toBeCloseTo(closedForm, 10);
    const [rfm] = await db.query(`SELECT frequency FROM rfm WHERE customer_id = 'heavy'`);
    expect(Number(rfm.frequency)).toBe(x);
  });
});
