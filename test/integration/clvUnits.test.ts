/**
 * §4 of the probabilistic toolkit: the same data in days and in weeks give the same CLV for the same
 * calendar horizon and annual discount rate. CDNOW_sample goes through the real engine (DuckDB-WASM)
 * twice, once with --unit day and once with --unit week; BG/NBD, Pareto/NBD and MBG/NBD, each with
 * Gamma-Gamma, are fitted in each unit, and every customer's discounted CLV is compared. A
 * continuous-time reference (expected purchases discounted day by day at the annual rate) computed
 * here checks that the terms discount at the annual rate at all.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataEngine, type ModelInputs } from '../../src/core/engine';
import { clvTerms, rateForDays } from '../../src/core/models/clvTerms';
import { fitTransactionModel, forecastTransactionModel } from '../../src/core/models/transactionForecast';
import { gammaGammaExpectedSpend } from '../../src/core/models/gammaGamma';
import { TRANSACTION_MODELS, type TransactionModelKind } from '../../src/core/models/transactionModels';
import { openWasmDb } from '../../src/node/wasmDb';
import { cdnowFile } from '../support/cdnowData';

const CUTOFF = '1997-09-30';
const HORIZON_END = '1998-06-30';
const ANNUAL = 0.15;

async function inputsIn(unit: 'day' | 'week'): Promise<ModelInputs> {
  const file = cdnowFile('CDNOW_sample.txt');
  const db = await openWasmDb();
  try {
    const engine = new DataEngine(db);
    const size = statSync(file).size;
    const head = new Uint8Array(Math.min(size, 4096));
    const fd = openSync(file, 'r');
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const inspection = await engine.inspect({ fileName: 'CDNOW_sample.txt', path: file, head, size });
    await engine.load({ ...inspection.mapping, customer: 'column1' });
    await engine.build({ period: { cutoff: CUTOFF, horizonEnd: HORIZON_END }, unit });
    return await engine.modelInputs();
  } finally {
    db.close();
  }
}

describe('CLV terms: rates per year converted for the unit', () => {
  it('compounds back to the annual rate and states the horizon as dates', () => {
    const terms = clvTerms({ unit: 'week', cutoff: CUTOFF, horizonEnd: HORIZON_END, annualDiscountRate: 0.1 });
    expect(terms.horizonStart).toBe('1997-10-01');
    expect(terms.horizonDays).toBe(273);
    expect(terms.horizonUnits).toBe(39);
    expect(terms.discount.periods).toBe(39);
    expect(terms.discount.unitsPerPeriod).toBeCloseTo(1, 12);
    // 365.25 days of weekly compounding give back 10 %.
    expect((1 + terms.discountRatePerUnit) ** (365.25 / 7)).toBeCloseTo(1.1, 12);
    const days = clvTerms({ unit: 'day', cutoff: CUTOFF, horizonEnd: HORIZON_END, annualDiscountRate: 0.1 });
    expect(days.horizonUnits).toBe(273);
    expect(days.discount.unitsPerPeriod).toBeCloseTo(7, 12);
    expect(days.discount.discountRate).toBeCloseTo(terms.discount.discountRate, 14);
    expect((1 + days.discountRatePerUnit) ** 365.25).toBeCloseTo(1.1, 12);
    // A horizon that is not whole weeks is split into equal periods that cover it exactly.
    const odd = clvTerms({ unit: 'day', cutoff: '2024-01-31', horizonEnd: '2024-03-01', annualDiscountRate: 0.1 });
    expect(odd.discount.periods * odd.discount.unitsPerPeriod).toBeCloseTo(30, 12);
    expect(rateForDays(0.1, 365.25 / 12) * 12).toBeLessThan(0.1);
  });

  it('refuses a negative or absurd rate and a horizon before the cutoff', () => {
    expect(() => clvTerms({ unit: 'day', cutoff: CUTOFF, horizonEnd: HORIZON_END, annualDiscountRate: -0.1 })).toThrow(/annual discount rate/);
    expect(() => clvTerms({ unit: 'day', cutoff: CUTOFF, horizonEnd: CUTOFF, annualDiscountRate: 0.1 })).toThrow(/after the cutoff/);
  });
});

describe('CDNOW_sample in days and in weeks: the same CLV for the same calendar horizon and annual rate', () => {
  let days: ModelInputs;
  let weeks: ModelInputs;
  beforeAll(async () => {
    [days, weeks] = [await inputsIn('day'), await inputsIn('week')];
  }, 120_000);

  it('reads the same customers, with recency and T seven times larger in days', () => {
    expect(days.customerIds).toEqual(weeks.customerIds);
    expect(days.customerIds.length).toBe(2357);
    for (let i = 0; i < days.customerIds.length; i++) {
      expect(days.btyd.T[i]).toBeCloseTo(7 * weeks.btyd.T[i], 9);
      expect(days.btyd.recency[i]).toBeCloseTo(7 * weeks.btyd.recency[i], 9);
    }
  });

  for (const kind of ['bgnbd', 'pnbd', 'mbgnbd'] as TransactionModelKind[]) {
    it(`${TRANSACTION_MODELS[kind].label} + Gamma-Gamma`, { timeout: 120_000 }, () => {
      const clvIn = (inputs: ModelInputs, periodDays?: number) => {
        const terms = clvTerms({ unit: inputs.unit, cutoff: CUTOFF, horizonEnd: HORIZON_END, annualDiscountRate: ANNUAL, periodDays });
        const fit = fitTransactionModel(kind, inputs.btyd);
        const forecast = forecastTransactionModel(fit, inputs.btyd, { horizon: terms.horizonUnits, discount: terms.discount });
        return { terms, fit, forecast };
      };
      const d = clvIn(days);
      const w = clvIn(weeks);
      expect(d.forecast.discountedClv).not.toBeNull();
      const clvD = d.forecast.discountedClv!;
      const clvW = w.forecast.discountedClv!;
      let totalD = 0;
      let totalW = 0;
      let worst = 0;
      for (let i = 0; i < clvD.length; i++) {
        totalD += clvD[i];
        totalW += clvW[i];
        worst = Math.max(worst, Math.abs(clvD[i] - clvW[i]) / Math.max(1, clvW[i]));
      }
      if (process.env.CLV_UNITS_REPORT) console.log(kind, { totalD, totalW, worst });
      expect(Math.abs(totalD / totalW - 1)).toBeLessThan(1e-3);
      expect(worst).toBeLessThan(5e-3);
      // Discounted per model unit instead (each day vs each week): only the discretisation differs.
      const daily = clvIn(days, 1).forecast.discountedClv!;
      const weekly = clvIn(weeks, 7).forecast.discountedClv!;
      const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
      if (process.env.CLV_UNITS_REPORT) console.log(kind, 'per unit', sum(daily), sum(weekly));
      expect(Math.abs(sum(daily) / sum(weekly) - 1)).toBeLessThan(3e-3);
      expect(sum(daily)).toBeGreaterThan(sum(weekly));

      // Independent of the discounting code: ∫ spend · dE[Y(t)] · (1+R)^(−t/365.25 days), summed
      // day by day with the day model's own expected purchases.
      const model = TRANSACTION_MODELS[kind];
      const params = d.fit.model.params;
      const gg = d.fit.gammaGamma!;
      expect(gg.degenerate).toBe(false);
      let referenceTotal = 0;
      let undiscounted = 0;
      for (let i = 0; i < clvD.length; i += 7) {
        const x = days.btyd.frequency[i];
        const tx = x === 0 ? 0 : days.btyd.recency[i];
        const T = days.btyd.T[i];
        const spend = gammaGammaExpectedSpend(gg, x, days.btyd.monetary[i]);
        let previous = 0;
        let value = 0;
        for (let day = 1; day <= 273; day++) {
          const cumulative = model.expectedPurchases(params, day, x, tx, T);
          value += (cumulative - previous) * spend * Math.pow(1 + ANNUAL, -(day - 0.5) / 365.25);
          previous = cumulative;
        }
        referenceTotal += value;
        undiscounted += previous * spend;
        if (process.env.CLV_UNITS_REPORT && i === 0) console.log(kind, 'customer 0', clvD[i], value);
        expect(Math.abs(clvD[i] - value)).toBeLessThanOrEqual(0.004 * value + 1e-9);
      }
      // The discount is real: about 5–6 % of the value over nine months at 15 % a year.
      if (process.env.CLV_UNITS_REPORT) console.log(kind, { referenceTotal, undiscounted });
      expect(referenceTotal / undiscounted).toBeLessThan(0.97);
      expect(referenceTotal / undiscounted).toBeGreaterThan(0.92);
    });
  }
});
