import { describe, expect, it } from 'vitest';
import { ClvError } from '../../src/core/errors';
import { dayInWords, forecastTerms, monthsLater } from '../../src/core/forecast/forecastTerms';

describe('forecast terms', () => {
  it('counts whole calendar months from the day after the last day', () => {
    expect(monthsLater('2011-12-31', 12)).toBe('2012-12-31');
    expect(monthsLater('2011-12-09', 3)).toBe('2012-03-09');
    expect(monthsLater('2012-01-31', 1)).toBe('2012-02-29');
    expect(monthsLater('2011-02-28', 1)).toBe('2011-03-31');
    expect(monthsLater('1998-06-30', 24)).toBe('2000-06-30');
    expect(dayInWords('2012-01-01')).toBe('1 Jan 2012');
  });

  it('states the result in words and converts the yearly rate to a monthly one', () => {
    const terms = forecastTerms({ lastDay: '2011-12-31', months: 12, defaultDays: 100, annualDiscountRate: 0.1, margin: 0.3, unit: 'week' });
    expect(terms.description).toBe('expected gross margin (30% of spend), 1 Jan 2012 – 31 Dec 2012, discounted at 10%/yr');
    expect(terms.days).toBe(366);
    expect(terms.horizonUnits).toBeCloseTo(366 / 7, 12);
    expect(terms.discount.periods).toBe(12);
    // Twelve months compound back to the yearly rate (over 366/365.25 of a year).
    expect((1 + terms.discount.discountRate) ** 12).toBeCloseTo(1.1 ** (366 / 365.25), 12);
    expect(terms.discount.periods * terms.discount.unitsPerPeriod).toBeCloseTo(366 / 7, 12);
    const plain = forecastTerms({ lastDay: '2011-12-31', end: '2012-03-31', defaultDays: 100, unit: 'day' });
    expect(plain.description).toBe('expected revenue, 1 Jan 2012 – 31 Mar 2012, not discounted');
    expect(plain.discount.discountRate).toBe(0);
    expect(forecastTerms({ lastDay: '2011-12-31', defaultDays: 100, unit: 'day' }).end).toBe('2012-04-09');
  });

  it('refuses values a user got wrong, saying what to give', () => {
    const bad = (input: Partial<Parameters<typeof forecastTerms>[0]>) => () => forecastTerms({ lastDay: '2011-12-31', defaultDays: 30, unit: 'day', ...input });
    expect(bad({ months: 0 })).toThrow(ClvError);
    expect(bad({ months: 6, end: '2012-06-30' })).toThrow(/either in months or as an end date/);
    expect(bad({ end: '2011-12-01' })).toThrow(/must be after the file's last day/);
    expect(bad({ annualDiscountRate: -0.1 })).toThrow(/discount rate/);
    expect(bad({ margin: 30 })).toThrow(/0\.3 is 30%/);
  });
});
