/**
 * What a forecast covers, in the terms a manager reads it in: a calendar period after the file's
 * last day, an annual discount rate and a margin. The period is whole calendar months (presets
 * 3, 6, 12, 24) or runs to an end date; discounting is monthly: purchases expected in month k are
 * valued at its end and divided by (1 + R)^(days to that end / 365.25), so the same annual rate
 * gives the same value whether the model counts time in days or weeks.
 */
import { ClvError } from '../errors';
import { daysBetween, formatDay, parseDay, UNIT_DAYS, type TimeUnit } from '../tables/period';

/** The horizon presets offered by the app, in months. */
export const FORECAST_MONTH_PRESETS = [3, 6, 12, 24] as const;

/** Days of the average (Julian) year. */
const DAYS_PER_YEAR = 365.25;
/** Average days of a month: the length of one discounting period. */
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

export interface ForecastTermsInput {
  /** The file's last day (YYYY-MM-DD): the forecast starts the day after. */
  lastDay: string;
  /** Horizon in calendar months from the day after `lastDay`. */
  months?: number;
  /** Last day of the horizon (YYYY-MM-DD), inclusive; instead of `months`. */
  end?: string;
  /** Horizon in days when neither months nor end is given (the backtest's length). */
  defaultDays: number;
  /** Discount rate per year, e.g. 0.1 for 10%; 0 or absent: not discounted. */
  annualDiscountRate?: number;
  /** Share of spend that is margin, e.g. 0.3 for 30%; absent: CLV is revenue. */
  margin?: number | null;
  unit: TimeUnit;
}

export interface ForecastTerms {
  /** First and last day of the forecast period, inclusive. */
  start: string;
  end: string;
  days: number;
  /** Months, when the period was asked for in months. */
  months: number | null;
  unit: TimeUnit;
  /** The period in the model's time unit. */
  horizonUnits: number;
  annualDiscountRate: number;
  /** Null: CLV is revenue (expected spend). */
  margin: number | null;
  /** Discounting periods, model units per period and the rate per period, as discountedValue takes them. */
  discount: { periods: number; unitsPerPeriod: number; discountRate: number };
  /** The result in words, e.g. "expected gross margin (30% of spend), 1 Jan 2012 – 31 Dec 2012, discounted at 10%/yr". */
  description: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1 Jan 2012" for an ISO day. */
export function dayInWords(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** The last day of a period of `months` calendar months that starts the day after `day`. */
export function monthsLater(day: string, months: number): string {
  parseDay(day, 'last day');
  const [y, m, d] = day.split('-').map(Number);
  // The period starts the next day and covers `months` months: it ends on the day that is
  // `months` months after `day`, clamped to the end of a shorter month (31 Jan + 1 month → 28/29 Feb).
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastOfMonth = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  // A period from a month's last day runs to the last day of the target month.
  const endOfSource = new Date(Date.UTC(y, m, 0)).getUTCDate() === d;
  const dayOfMonth = endOfSource ? lastOfMonth : Math.min(d, lastOfMonth);
  return formatDay(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), dayOfMonth) / 86_400_000);
}

const percent = (share: number) => `${Number((share * 100).toPrecision(6))}%`;

/** What the CLV column means for these terms, in words. */
export function describeForecast(terms: Pick<ForecastTerms, 'start' | 'end' | 'annualDiscountRate' | 'margin'>): string {
  const what = terms.margin === null ? 'expected revenue' : `expected gross margin (${percent(terms.margin)} of spend)`;
  const discount = terms.annualDiscountRate > 0 ? `discounted at ${percent(terms.annualDiscountRate)}/yr` : 'not discounted';
  return `${what}, ${dayInWords(terms.start)} – ${dayInWords(terms.end)}, ${discount}`;
}

/** The forecast period, discounting and margin; throws BAD_ARGUMENT for a value a user got wrong. */
export function forecastTerms(input: ForecastTermsInput): ForecastTerms {
  const last = parseDay(input.lastDay, 'last day');
  if (input.months !== undefined && input.end !== undefined) throw new ClvError('BAD_ARGUMENT', 'Give the forecast horizon either in months or as an end date, not both.');
  if (input.months !== undefined && !(Number.isInteger(input.months) && input.months >= 1 && input.months <= 120)) {
    throw new ClvError('BAD_ARGUMENT', `The forecast horizon must be a whole number of months from 1 to 120, got ${input.months}.`);
  }
  let end: string;
  if (input.months !== undefined) end = monthsLater(input.lastDay, input.months);
  else if (input.end !== undefined) {
    if (parseDay(input.end, 'forecast end') <= last) throw new ClvError('BAD_ARGUMENT', `The forecast end ${input.end} must be after the file's last day (${input.lastDay}).`);
    end = input.end;
  } else {
    if (!(input.defaultDays >= 1)) throw new RangeError(`defaultDays must be at least 1, got ${input.defaultDays}`);
    end = formatDay(last + Math.round(input.defaultDays));
  }
  const rate = input.annualDiscountRate ?? 0;
  if (!(Number.isFinite(rate) && rate >= 0 && rate < 10)) throw new ClvError('BAD_ARGUMENT', `The discount rate must be a yearly rate between 0 and 10 (0.1 is 10%/yr), got ${rate}.`);
  const margin = input.margin ?? null;
  if (margin !== null && !(Number.isFinite(margin) && margin > 0 && margin <= 1)) {
    throw new ClvError('BAD_ARGUMENT', `The margin must be a share of spend above 0 and at most 1 (0.3 is 30%), got ${margin}.`);
  }
  const days = daysBetween(input.lastDay, end);
  const unitDays = UNIT_DAYS[input.unit];
  const periods = Math.max(1, Math.round(days / DAYS_PER_MONTH));
  const periodDays = days / periods;
  const start = formatDay(last + 1);
  const terms = {
    start,
    end,
    days,
    months: input.months ?? null,
    unit: input.unit,
    horizonUnits: days / unitDays,
    annualDiscountRate: rate,
    margin,
    discount: { periods, unitsPerPeriod: periodDays / unitDays, discountRate: Math.pow(1 + rate, periodDays / DAYS_PER_YEAR) - 1 },
  };
  return { ...terms, description: describeForecast(terms) };
}
