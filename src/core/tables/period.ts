import { ClvError } from '../errors';

/** Calibration ends at `cutoff` (inclusive); the horizon runs from the next day to `horizonEnd` (inclusive). */
export interface Period {
  cutoff: string;
  horizonEnd: string | null;
}

export type TimeUnit = 'day' | 'week';

export const UNIT_DAYS: Record<TimeUnit, number> = { day: 1, week: 7 };

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseDay(value: string, what: string): number {
  if (!ISO_DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new ClvError('BAD_PERIOD', `The ${what} "${value}" is not a date. Write it as YYYY-MM-DD, e.g. 1997-09-30.`);
  }
  return Date.parse(`${value}T00:00:00Z`) / DAY_MS;
}

export function formatDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return parseDay(to, 'date') - parseDay(from, 'date');
}

/**
 * Defaults from the data's date range: the horizon is the later half of the span, at most a year,
 * so the model learns from the earlier part and is checked on what came after.
 */
export function defaultPeriod(firstDate: string, lastDate: string): Period {
  const first = parseDay(firstDate, 'first date');
  const last = parseDay(lastDate, 'last date');
  const span = last - first;
  if (span < 2) return { cutoff: lastDate, horizonEnd: null };
  const horizon = Math.min(365, Math.floor(span / 2));
  return { cutoff: formatDay(last - horizon), horizonEnd: lastDate };
}

export function validatePeriod(period: Period, firstDate: string | null, lastDate: string | null): void {
  const cutoff = parseDay(period.cutoff, 'cutoff');
  if (period.horizonEnd !== null) {
    const end = parseDay(period.horizonEnd, 'horizon end');
    if (end <= cutoff) {
      throw new ClvError('BAD_PERIOD', `The horizon end (${period.horizonEnd}) must be after the cutoff (${period.cutoff}).`);
    }
  }
  if (firstDate && cutoff < parseDay(firstDate, 'first date')) {
    throw new ClvError('BAD_PERIOD', `The cutoff ${period.cutoff} is before the first transaction (${firstDate}). Choose a later cutoff.`);
  }
  if (lastDate && period.horizonEnd === null && cutoff > parseDay(lastDate, 'last date') + 3650) {
    throw new ClvError('BAD_PERIOD', `The cutoff ${period.cutoff} is far after the last transaction (${lastDate}).`);
  }
}
