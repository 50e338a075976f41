/**
 * The CLI's commands imported and run in this process (no child process, no exit): the mapping
 * flags reach the engine, quality.json says which mapping and cleaning were used, the rejection
 * guard comes back as one line naming the flag, and the strict backtest names itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClvError } from '../../src/core/errors';
import { parseCliArgs, type CliArgs } from '../../src/node/cliArgs';
import { runCli } from '../../src/node/cliMain';
import { featuresCommand } from '../../src/node/commands/features';
import { fitCommand } from '../../src/node/commands/fit';
import { predictCommand } from '../../src/node/commands/predict';

let dir: string;

function args(argv: string[]): CliArgs {
  const request = parseCliArgs(argv);
  if (request.kind !== 'run') throw new Error('expected a command');
  return request.args;
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const iso = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);

/** One row per purchase: Id, Date (ISO), Price (a plain total with cents). */
interface Purchase {
  id: string;
  day: number;
  cents: number;
}

function idDatePrice(): Purchase[] {
  const rows: Purchase[] = [];
  const start = day('2024-01-03');
  for (let c = 0; c < 12; c++) {
    const visits = 1 + (c % 4);
    for (let v = 0; v < visits; v++) rows.push({ id: `u${c}`, day: start + c * 3 + v * (9 + c), cents: 500 + 137 * c + 71 * v });
  }
  return rows;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'clv-cli-commands-'));
});

describe('features, imported', () => {
  it('--amount Price on an Id,Date,Price file: Price is the amount, and the RFM table matches a reference', async () => {
    const purchases = idDatePrice();
    const file = path.join(dir, 'id_date_price.csv');
    writeFileSync(file, `Id,Date,Price\n${purchases.map((p) => `${p.id},${iso(p.day)},${(p.cents / 100).toFixed(2)}`).join('\n')}\n`);
    const out = path.join(dir, 'features');
    const cutoff = '2024-02-20';
    const summary = await featuresCommand(args(['features', file, '--amount', 'Price', '--cutoff', cutoff, '--out', out]));
    expect(summary).toMatchObject({ command: 'features', rows_read: purchases.length, rows_rejected: 0 });

    const quality = JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8'));
    expect(quality.mapping).toMatchObject({ customer: 'Id', date: 'Date', amount: 'Price', unitPrice: null, quantity: null });
    expect(quality.cleaning).toEqual({ returns: 'net', duplicates: 'auto', allowRejects: false });

    // Reference: purchase days up to the cutoff per customer (every amount here is positive).
    const byCustomer = new Map<string, Map<number, number>>();
    for (const p of purchases) {
      if (p.day > day(cutoff)) continue;
      const days = byCustomer.get(p.id) ?? new Map<number, number>();
      days.set(p.day, (days.get(p.day) ?? 0) + p.cents);
      byCustomer.set(p.id, days);
    }
    const rfm = parseCsv(readFileSync(path.join(out, 'rfm.csv'), 'utf8'));
    expect(rfm.map((r) => r.customer_id).sort()).toEqual([...byCustomer.keys()].sort());
    for (const row of rfm) {
      const days = [...byCustomer.get(row.customer_id)!.entries()].sort((a, b) => a[0] - b[0]);
      const repeat = days.slice(1);
      expect(Number(row.frequency)).toBe(repeat.length);
      expect(Number(row.recency)).toBe(days[days.length - 1][0] - days[0][0]);
      expect(Number(row.T)).toBe(day(cutoff) - days[0][0]);
      const monetary = repeat.length === 0 ? 0 : repeat.reduce((s, [, c]) => s + c, 0) / 100 / repeat.length;
      expect(Number(row.monetary_value)).toBeCloseTo(monetary, 9);
    }
  });

  it('a file that does not exist, a folder as FILE and a file as --out are named, not engine text', async () => {
    await expect(featuresCommand(args(['features', path.join(dir, 'missing.csv'), '--cutoff', '2024-01-01', '--out', dir]))).rejects.toThrow(/does not exist/);
    await expect(featuresCommand(args(['features', dir, '--cutoff', '2024-01-01', '--out', dir]))).rejects.toThrow(/is a folder/);
    const file = path.join(dir, 'id_date_price.csv');
    await expect(featuresCommand(args(['features', file, '--amount', 'Price', '--cutoff', '2024-02-20', '--out', file]))).rejects.toThrow(/--out ".*" is a file, not a folder/);
  });

  it('a missing --cutoff or --out is named before anything is read', async () => {
    await expect(featuresCommand(args(['features', 'nowhere.csv', '--out', dir]))).rejects.toThrow(/--cutoff is required for "features"/);
    await expect(predictCommand(args(['predict', 'nowhere.csv', '--out', dir]))).rejects.toThrow(/--bundle is required for "predict"/);
  });
});

describe('the rejection guard through the CLI', () => {
  /** m/d/yyyy dates; about a third have a day above 12, which a d/m/y reading rejects. */
  function monthFirstFile(): { file: string; rows: number; dayAbove12: number } {
    const lines = ['customer,when,amount'];
    let dayAbove12 = 0;
    for (let i = 0; i < 300; i++) {
      const d = new Date((day('2023-01-01') + ((i * 7) % 360)) * DAY);
      const m = d.getUTCMonth() + 1;
      const dd = d.getUTCDate();
      if (dd > 12) dayAbove12++;
      lines.push(`c${i % 40},${m}/${dd}/${d.getUTCFullYear()},${(10 + (i % 9)).toFixed(2)}`);
    }
    const file = path.join(dir, 'month_first.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    return { file, rows: 300, dayAbove12 };
  }

  it('a forced wrong date order stops with one line naming the column, the count and --date-format mdy', async () => {
    const { file, rows, dayAbove12 } = monthFirstFile();
    expect(dayAbove12 / rows).toBeGreaterThan(0.01);
    const r = await runCli(['features', file, '--date-format', 'dmy', '--cutoff', '2023-09-30', '--out', path.join(dir, 'guard')]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const share = ((100 * dayAbove12) / rows).toFixed(1);
    expect(r.stderr).toBe(
      `TOO_MANY_REJECTS: ${dayAbove12} of ${rows} rows (${share}%) have a date in "when" that cannot be read as dmy; --date-format mdy reads ${dayAbove12} of them (or --allow-rejects to build without them).\n`,
    );
  });

  it('--allow-rejects builds without those rows and says so in quality.json; the flag it named loads them all', async () => {
    const { file, dayAbove12 } = monthFirstFile();
    const out = path.join(dir, 'allowed');
    const allowed = await runCli(['features', file, '--date-format', 'dmy', '--allow-rejects', '--cutoff', '2023-09-30', '--out', out]);
    expect(allowed.stderr).toBe('');
    expect(JSON.parse(allowed.stdout).rows_rejected).toBe(dayAbove12);
    const quality = JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8'));
    expect(quality.cleaning.allowRejects).toBe(true);
    expect(quality.mapping).toMatchObject({ date: 'when', dateFormat: 'dmy', dateFormatAmbiguous: false });
    const fixed = await runCli(['features', file, '--date-format', 'mdy', '--cutoff', '2023-09-30', '--out', path.join(dir, 'fixed')]);
    expect(fixed.stderr).toBe('');
    expect(JSON.parse(fixed.stdout).rows_rejected).toBe(0);
  });
});

describe('quality.json and the whole-file decisions', () => {
  it('prints the mapping the engine settled from the whole file, decisions included', async () => {
    // 1,500 rows: the first 1,200 (more than the sampled rows) have days of 12 or less, so only the
    // whole column shows that the dates are month first.
    const lines = ['customer,when,amount'];
    for (let i = 0; i < 1_500; i++) {
      const m = 1 + (i % 12);
      const d = i < 1_200 ? 1 + ((i * 7) % 12) : 13 + (i % 15);
      lines.push(`c${i % 50},${m}/${d}/2022,${(3 + (i % 11)).toFixed(2)}`);
    }
    const file = path.join(dir, 'late_evidence.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = path.join(dir, 'late_evidence');
    const r = await runCli(['features', file, '--cutoff', '2022-12-31', '--out', out]);
    expect(r.stderr).toBe('');
    const quality = JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8'));
    expect(quality.rows_rejected).toBe(0);
    expect(quality.mapping.dateFormat).toBe('mdy');
    expect(quality.mapping.decisions).toEqual(expect.arrayContaining([expect.objectContaining({ setting: 'dateFormat', column: 'when', chosen: 'mdy' })]));
  });
});

describe('the CLI on amounts that read both ways', () => {
  it('whole amounts grouped by "." stop with the flag to type; --decimal , reads them as thousands', async () => {
    const amounts = Array.from({ length: 60 }, (_, i) => 1000 + 137 * i);
    const lines = ['Kunde;Datum;Betrag', ...amounts.map((a, i) => `k${i % 15};${1 + (i % 28)}.${1 + (i % 12)}.2023;${Math.floor(a / 1000)}.${String(a % 1000).padStart(3, '0')}`)];
    const file = path.join(dir, 'grouped.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await runCli(['features', file, '--cutoff', '2023-12-31', '--out', path.join(dir, 'grouped')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^AMBIGUOUS_DECIMAL: .*"Betrag".*Use --decimal , \(thousands grouped by "."\) or --decimal \. \(a decimal point\)\.\n$/);
    const settled = await runCli(['features', file, '--decimal', ',', '--cutoff', '2023-12-31', '--out', path.join(dir, 'grouped_settled')]);
    expect(settled.stderr).toBe('');
    const spend = readFileSync(path.join(dir, 'grouped_settled', 'features.csv'), 'utf8').trim().split('\n').slice(1).reduce((s, l) => s + Number(l.split(',')[5]), 0);
    expect(spend).toBeCloseTo(amounts.reduce((s, a) => s + a, 0), 6);
  });
});

describe('the CLI on dates that read both ways', () => {
  it('an ambiguous date order stops with the flag to type; --date-format settles it', async () => {
    const lines = ['customer_id,date,amount'];
    for (let i = 0; i < 60; i++) lines.push(`k${i % 15},${String(1 + (i % 12)).padStart(2, '0')}/${String(1 + ((i * 5) % 12)).padStart(2, '0')}/2023,${(5 + i).toFixed(2)}`);
    const file = path.join(dir, 'ambiguous.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await runCli(['features', file, '--cutoff', '2023-06-30', '--out', path.join(dir, 'ambiguous')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^AMBIGUOUS_DATES: .*--date-format dmy or --date-format mdy/);
    const settled = await runCli(['features', file, '--date-format', 'dmy', '--cutoff', '2023-06-30', '--out', path.join(dir, 'settled')]);
    expect(settled.stderr).toBe('');
    expect(JSON.parse(settled.stdout)).toMatchObject({ rows_read: 60, rows_rejected: 0 });
  });
});

describe('fit, imported: flags that do not apply are refused, not ignored', () => {
  it('a mapping flag with --target, and --kfold without it', async () => {
    await expect(fitCommand(args(['fit', 'table.csv', '--target', 'clv', '--amount', 'x', '--out', dir]))).rejects.toThrow(/--amount does not apply to a customer table \(--target\)/);
    await expect(fitCommand(args(['fit', 'data.csv', '--kfold', '3', '--cutoff', '2024-01-01', '--horizon-end', '2024-06-01', '--model', 'naive', '--out', dir]))).rejects.toThrow(
      /--kfold applies only to a customer table with --target COL/,
    );
  });
});

describe('fit, imported: the strict backtest', () => {
  /** 40 customers who all buy in the horizon; only 5 bought before the backtest's cutoff. */
  function lateStarters(): string {
    const lines = ['customer_id,date,amount'];
    for (let c = 0; c < 40; c++) {
      const first = c < 5 ? day('2023-01-10') + c : day('2023-09-01') + c;
      for (let k = 0; k < 3; k++) lines.push(`c${c},${iso(first + k * 20)},${(15 + c + k).toFixed(2)}`);
      lines.push(`c${c},${iso(day('2024-02-01') + c)},${(20 + c).toFixed(2)}`);
    }
    const file = path.join(dir, 'late_starters.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  it('too few customers in the backtest window: the error says it is the backtest and how to turn it off', async () => {
    const file = lateStarters();
    const argv = ['fit', file, '--cutoff', '2024-01-01', '--horizon-end', '2024-07-01', '--model', 'naive', '--out', path.join(dir, 'fit')];
    const error = await fitCommand(args(argv)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClvError);
    const { code, message } = error as ClvError;
    expect(code).toBe('TOO_FEW_CUSTOMERS');
    // 2024-01-01 minus the 182-day horizon.
    expect(message).toMatch(/^The strict backtest \(learning from the data up to 2023-07-03, one horizon before the cutoff\) has only 5 customers; /);
    expect(message).toContain('--backtest off');
    expect(message).not.toMatch(/\b1 customers\b/);
    const off = await fitCommand(args([...argv, '--backtest', 'off']));
    expect(off).toMatchObject({ command: 'fit', customers: 40, backtest: null });
  });
});
