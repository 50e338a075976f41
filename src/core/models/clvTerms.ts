/**
 * The terms a CLV is stated in, so that it cannot be misread: the model's time unit, the horizon
 * as calendar dates, and the discount rate per year converted for the unit and for the
 * discounting period. The same calendar horizon and annual rate give the same CLV whether the
 * model was fitted in days or in weeks.
 *
 * Conversion: a rate per year R is a rate per span of d days of (1 + R)^(d / 365.25) − 1
 * (compounding, not R·d/365.25), so discounting over a year of periods compounds back to R.
 */
import { ClvError } from '../errors';
import { daysBetween, formatDay, parseDay, UNIT_DAYS, type TimeUnit } from '../tables/period';

/** Days of the average (Julian) year. */
export const DAYS_PER_YEAR = 365.25;

/** Default length of a discounting period: a week, whatever the model's unit (a daily model is not discounted day by day). */
export const DEFAULT_DISCOUNT_PERIOD_DAYS = 7;

/** Default annual discount rate of the CLI and the app. */
export const DEFAULT_ANNUAL_DISCOUNT_RATE = 0.1;

export interface ClvTermsInput {
  /** The model's time unit (the unit of recency and T it was fitted on). */
  unit: TimeUnit;
  /** Last day of calibration (YYYY-MM-DD); the horizon starts the next day. */
  cutoff: string;
  /** Last day of the horizon (YYYY-MM-DD), inclusive. */
  horizonEnd: string;
  /** Discount rate per year, e.g. 0.1 for 10 %. */
  annualDiscountRate: number;
  /** Nominal length of a discounting period in days (default a week); the horizon is split into whole, equal periods. */
  periodDays?: number;
}

export interface ClvTerms {
  unit: TimeUnit;
  /** Days per model time unit. */
  unitDays: number;
  /** First and last day of the horizon, inclusive. */
  horizonStart: string;
  horizonEnd: string;
  horizonDays: number;
  /** The horizon in the model's time unit (what E[purchases in the next t] takes as t). */
  horizonUnits: number;
  annualDiscountRate: number;
  /** The annual rate converted for one model time unit. */
  discountRatePerUnit: number;
  /** Length of each discounting period in days (the horizon split into `discount.periods` equal periods). */
  periodDays: number;
  /** What discountedValue and the forecasts take: periods, model units per period, rate per period. */
  discount: { periods: number; unitsPerPeriod: number; discountRate: number };
}

/** A rate per year as a rate per span of `days` days. */
export function rateForDays(annualRate: number, days: number): number {
  return Math.pow(1 + annualRate, days / DAYS_PER_YEAR) - 1;
}

/** The CLV terms for a model unit, a calendar horizon and an annual discount rate. */
export function clvTerms(input: ClvTermsInput): ClvTerms {
  const { unit, cutoff, horizonEnd, annualDiscountRate } = input;
  if (!(unit in UNIT_DAYS)) throw new ClvError('BAD_ARGUMENT', `The time unit must be "day" or "week", not "${String(unit)}".`);
  const horizonDays = daysBetween(cutoff, horizonEnd);
  if (!(horizonDays > 0)) throw new ClvError('BAD_PERIOD', `The horizon end (${horizonEnd}) must be after the cutoff (${cutoff}).`);
  if (!(Number.isFinite(annualDiscountRate) && annualDiscountRate >= 0 && annualDiscountRate < 10)) {
    throw new ClvError('BAD_ARGUMENT', `The annual discount rate must be a number from 0 to 10 (0.1 is 10 % a year), not ${annualDiscountRate}.`);
  }
  const nominal = input.periodDays ?? DEFAULT_DISCOUNT_PERIOD_DAYS;
  if (!(nominal > 0 && Number.isFinite(nominal))) throw new RangeError(`periodDays must be positive, got ${nominal}`);
  const unitDays = UNIT_DAYS[unit];
  const periods = Math.max(1, Math.round(horizonDays / nominal));
  const periodDays = horizonDays / periods;
  return {
    unit,
    unitDays,
    horizonStart: formatDay(parseDay(cutoff, 'cutoff') + 1),
    horizonEnd,
    horizonDays,
    horizonUnits: horizonDays / unitDays,
    annualDiscountRate,
    discountRatePerUnit: rateForDays(annualDiscountRate, unitDays),
    periodDays,
    discount: { periods, unitsPerPeriod: periodDays / unitDays, discountRate: rateForDays(annualDiscountRate, periodDays) },
  };
}

/** The terms as params.json and the exports state them (snake_case, rates as fractions). */
export function clvTermsJson(terms: ClvTerms): Record<string, unknown> {
  return {
    unit: terms.unit,
    unit_days: terms.unitDays,
    horizon_start: terms.horizonStart,
    horizon_end: terms.horizonEnd,
    horizon_days: terms.horizonDays,
    horizon_units: terms.horizonUnits,
    annual_discount_rate: terms.annualDiscountRate,
    discount_rate_per_unit: terms.discountRatePerUnit,
    discount_periods: terms.discount.periods,
    discount_period_days: terms.periodDays,
    discount_rate_per_period: terms.discount.discountRate,
  };
}

/** One line that says what a CLV figure means, e.g. "CLV 1997-10-01 … 1998-06-30 (273 days = 39 weeks), discounted at 10 % a year (0.183 % a week)". */
export function describeClvTerms(terms: ClvTerms): string {
  const span = terms.unit === 'week' ? `${terms.horizonDays} days = ${+terms.horizonUnits.toFixed(2)} weeks` : `${terms.horizonDays} days`;
  const perUnit = `${+(100 * terms.discountRatePerUnit).toPrecision(3)} % a ${terms.unit}`;
  return `CLV ${terms.horizonStart} … ${terms.horizonEnd} (${span}), discounted at ${+(100 * terms.annualDiscountRate).toPrecision(4)} % a year (${perUnit})`;
}
