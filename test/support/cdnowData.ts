/**
 * The public CDNOW data set (Fader, Hardie & Lee 2005) the tests check published figures on, read
 * from ../shared/datasets/cdnow next to the repository (see that folder's README). A missing file
 * fails the test that needs it with a message saying where it was looked for; nothing is skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CDNOW_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets/cdnow');

export type CdnowFile = 'CDNOW_master.txt' | 'CDNOW_sample.txt' | 'cdnow_customers_summary.csv' | 'cdnow_customers_summary_with_transactions.csv';

/** The path of a CDNOW file; throws (failing the test) when it is not there. */
export function cdnowFile(name: CdnowFile): string {
  const file = path.join(CDNOW_DIR, name);
  if (!existsSync(file)) {
    throw new Error(
      `CDNOW reference data missing: ${file} not found. The tests need the public CDNOW files in ` +
        `../shared/datasets/cdnow beside the repository (.github/workflows/pages.yml shows where to fetch them).`,
    );
  }
  return file;
}

/** Days since 1997-01-01 for a yyyymmdd string. */
function dayIndex(yyyymmdd: string): number {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return (Date.UTC(y, m - 1, d) - Date.UTC(1997, 0, 1)) / 86_400_000;
}

/** 1997-09-30, the end of the 39-week calibration period of the published figures. */
const CALIBRATION_END = dayIndex('19970930');

export interface CdnowSummary {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Purchase days in the 39-week holdout (1997-10-01 … 1998-06-30). */
  holdout: Float64Array;
}

/**
 * RFM in weeks (lifetimes conventions: same-day purchases merged, calibration end inclusive) plus
 * the number of purchase days in the holdout, computed here from a raw CDNOW log (customer id in
 * the first column, yyyymmdd in `dateColumn`), independently of the app's SQL.
 */
export function summariseCdnowLog(file: 'CDNOW_master.txt' | 'CDNOW_sample.txt', dateColumn: number): CdnowSummary {
  const days = new Map<string, Set<number>>();
  for (const line of readFileSync(cdnowFile(file), 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (!/^\d{8}$/.test(fields[dateColumn] ?? '')) continue; // header or blank line
    const set = days.get(fields[0]) ?? new Set<number>();
    set.add(dayIndex(fields[dateColumn]));
    days.set(fields[0], set);
  }
  const n = days.size;
  const out = { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n), holdout: new Float64Array(n) };
  let i = 0;
  for (const set of days.values()) {
    const calibration = [...set].filter((d) => d <= CALIBRATION_END);
    const first = Math.min(...calibration);
    out.frequency[i] = calibration.length - 1;
    out.recency[i] = (Math.max(...calibration) - first) / 7;
    out.T[i] = (CALIBRATION_END - first) / 7;
    out.holdout[i] = set.size - calibration.length;
    i++;
  }
  return out;
}
