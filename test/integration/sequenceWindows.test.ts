/**
 * A sequence net (the CNN: it shares the LSTM's inputs and scoring, and trains faster) through the CLI's two-window paths on CDNOW_sample (18 months of history): the forecast and
 * the strict backtest train the net on a past window with less than a year of history before its
 * cutoff and score the present window, which has a full year. Both windows' sequences must be cut
 * with the past window's layout, or the trained net is handed more periods than it reads. The fit
 * also reruns the evaluation with a second seed (--seeds): every net of every evaluation, the
 * sequence nets included, is released when the command ends (tf.memory() back to where it was).
 * Real data, real DuckDB-WASM, real tfjs, one epoch per net.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../src/core/nets/backendChoice';
import { parseCliArgs, type CliArgs } from '../../src/node/cliArgs';
import { fitCommand } from '../../src/node/commands/fit';
import { forecastCommand } from '../../src/node/commands/forecast';
import { cdnowFile } from '../support/cdnowData';

const SAMPLE = cdnowFile('CDNOW_sample.txt');
const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOf = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/** The sample's customers and first and last purchase days, read from the raw file (id, customer, yyyymmdd, cds, dollars). */
function sampleFacts(): { customers: Set<string>; first: string; last: string } {
  const customers = new Set<string>();
  let first = '9999-99-99';
  let last = '0000-00-00';
  for (const line of readFileSync(SAMPLE, 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 5 || !/^\d{8}$/.test(parts[2])) continue;
    customers.add(parts[0]);
    const day = isoOf(parts[2]);
    if (day < first) first = day;
    if (day > last) last = day;
  }
  return { customers, first, last };
}

/** Weeks of history up to `cutoff` (both ends counted), as many as the engine would give a net trained there (at most 52). */
const weeksUpTo = (first: string, cutoff: string) => Math.min(52, Math.ceil((dayOf(cutoff) - dayOf(first) + 1) / 7));

function args(argv: string[]): CliArgs {
  const request = parseCliArgs(argv);
  if (request.kind !== 'run') throw new Error('expected a command');
  return request.args;
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

const facts = sampleFacts();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'clv-sequence-windows-'));
  await activateBackend('wasm');
});

describe('sequence nets trained on one window and scoring another', () => {
  it('forecast --model cnn with the default period: trains on the past window and forecasts every customer', { timeout: 600_000 }, async () => {
    const out = path.join(dir, 'forecast');
    const summary = await forecastCommand(args(['forecast', SAMPLE, '--model', 'cnn', '--epochs', '1', '--intervals', 'off', '--out', out]));
    const json = JSON.parse(readFileSync(path.join(out, 'forecast.json'), 'utf8'));
    // The case this is about: the past window (cutoff = last day − the period) has fewer weeks than the present one.
    const pastCutoff = new Date((dayOf(facts.last) - json.period.days) * DAY).toISOString().slice(0, 10);
    expect(weeksUpTo(facts.first, pastCutoff)).toBeLessThan(weeksUpTo(facts.first, facts.last));
    expect(summary.customers).toBe(facts.customers.size);
    const rows = parseCsv(readFileSync(path.join(out, 'forecast.csv'), 'utf8'));
    expect(new Set(rows.map((r) => String(Number(r.customer_id))))).toEqual(new Set([...facts.customers].map((c) => String(Number(c)))));
    for (const row of rows) {
      const spend = Number(row.expected_spend);
      expect(Number.isFinite(spend) && spend >= 0).toBe(true);
    }
  });

  it('fit --model cnn with the strict backtest and two seeds: the backtest scores the present window, and no tensor is left', { timeout: 600_000 }, async () => {
    const cutoff = '1997-12-31';
    const horizonEnd = facts.last;
    const pastCutoff = new Date((2 * dayOf(cutoff) - dayOf(horizonEnd)) * DAY).toISOString().slice(0, 10);
    expect(weeksUpTo(facts.first, pastCutoff)).toBeLessThan(weeksUpTo(facts.first, cutoff));
    const before = tf.memory().numTensors;
    const out = path.join(dir, 'fit');
    await fitCommand(args(['fit', SAMPLE, '--model', 'cnn', '--eval', 'split', '--seeds', '1,2', '--epochs', '1', '--cutoff', cutoff, '--horizon-end', horizonEnd, '--out', out]));
    const backtest = JSON.parse(readFileSync(path.join(out, 'backtest_metrics.json'), 'utf8'));
    expect(JSON.stringify(backtest)).toContain('cnn');
    expect(tf.memory().numTensors).toBe(before);
  });
});
