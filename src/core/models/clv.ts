/**
 * Customer lifetime value from the two probabilistic models: BG/NBD says how many purchases to
 * expect, Gamma-Gamma what each is worth.
 *
 * Discounting convention (the one lifetimes' customer_lifetime_value uses): the horizon is split
 * into `periods` equal periods of `unitsPerPeriod` model time units each (e.g. a model fitted in
 * days with monthly periods: unitsPerPeriod ≈ 30). Purchases expected during period k (k = 1…H)
 * are valued at the end of that period, discounted by (1 + discountRate)^k, where discountRate is
 * the rate per period (e.g. 0.01 a month ≈ 12.7 % a year).
 *
 * Every function here also takes ClvTerms (clvTerms.ts): the model's unit, a calendar horizon and an
 * annual rate, converted for the unit there; that is how the CLI and the evaluation state a CLV.
 */
import { bgnbdExpectedPurchases, type BgNbdParams, type RfmColumns } from './bgnbd';
import type { ClvTerms } from './clvTerms';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gammaGamma';

/** One customer's calibration summary, in the BG/NBD model's time unit. */
export interface CustomerSummary {
  /** Repeat purchases x. */
  frequency: number;
  /** Time of the last repeat purchase since the first, t_x. */
  recency: number;
  /** Time from the first purchase to the end of calibration. */
  T: number;
  /** Mean value of the repeat purchases, m̄ (anything when frequency is 0). */
  monetary: number;
}

export interface ClvHorizon {
  /** Number of discounting periods H. */
  periods: number;
  /** Model time units per period. */
  unitsPerPeriod: number;
  /** Discount rate per period, ≥ 0. */
  discountRate: number;
}

/** A horizon in periods, or the CLV terms (unit, calendar horizon, annual rate) it is derived from. */
export type ClvHorizonOrTerms = ClvHorizon | ClvTerms;

/** The periods, units per period and rate per period of a horizon or of CLV terms. */
export const horizonOf = (horizon: ClvHorizonOrTerms): ClvHorizon => ('discount' in horizon ? horizon.discount : horizon);

/** Columnar summaries for many customers: RFM plus mean repeat spend. */
export interface ClvColumns extends RfmColumns {
  monetary: ArrayLike<number>;
}

/**
 * Σ_{k=1..H} (E[Y(k·u)] − E[Y((k−1)·u)]) · E[spend] / (1 + d)^k, with E[Y(t)] the BG/NBD
 * conditional expectation and E[spend] the Gamma-Gamma conditional mean spend.
 */
export function discountedClv(
  bgnbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: CustomerSummary,
  horizon: ClvHorizonOrTerms,
): number {
  const { frequency: x, recency: tx, T, monetary } = customer;
  const spend = gammaGammaExpectedSpend(gammaGamma, x, monetary);
  return discountedValue((t) => bgnbdExpectedPurchases(bgnbd, t, x, tx, T), spend, horizon);
}

/**
 * Σ_{k=1..H} (E(k·u) − E((k−1)·u)) · spend / (1 + d)^k for any transaction model's cumulative
 * expected purchases E(t) and a spend per purchase.
 */
export function discountedValue(cumulativePurchases: (t: number) => number, spend: number, horizonOrTerms: ClvHorizonOrTerms): number {
  const horizon = horizonOf(horizonOrTerms);
  checkHorizon(horizon);
  const { periods, unitsPerPeriod, discountRate } = horizon;
  let value = 0;
  let previous = 0;
  for (let k = 1; k <= periods; k++) {
    const cumulative = cumulativePurchases(k * unitsPerPeriod);
    value += ((cumulative - previous) * spend) / (1 + discountRate) ** k;
    previous = cumulative;
  }
  return value;
}

/** discountedClv for every customer, in one pass. */
export function discountedClvMany(
  bgnbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customers: ClvColumns,
  horizonOrTerms: ClvHorizonOrTerms,
): Float64Array {
  const horizon = horizonOf(horizonOrTerms);
  const n = customers.frequency.length;
  if (customers.recency.length !== n || customers.T.length !== n || customers.monetary.length !== n) {
    throw new RangeError('frequency, recency, T and monetary must have equal lengths');
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = discountedClv(
      bgnbd,
      gammaGamma,
      {
        frequency: customers.frequency[i],
        recency: customers.recency[i],
        T: customers.T[i],
        monetary: customers.monetary[i],
      },
      horizon,
    );
  }
  return out;
}

/** Undiscounted expected spend over the next t time units: E[purchases] × E[spend per purchase]. */
export function expectedHorizonSpend(
  bgnbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  t: number,
  x: number,
  tx: number,
  T: number,
  mbar: number,
): number {
  return bgnbdExpectedPurchases(bgnbd, t, x, tx, T) * gammaGammaExpectedSpend(gammaGamma, x, mbar);
}

function checkHorizon({ periods, unitsPerPeriod, discountRate }: ClvHorizon): void {
  if (!(Number.isInteger(periods) && periods >= 0)) {
    throw new RangeError(`periods must be a non-negative integer, got ${periods}`);
  }
  if (!(unitsPerPeriod > 0 && Number.isFinite(unitsPerPeriod))) {
    throw new RangeError(`unitsPerPeriod must be positive, got ${unitsPerPeriod}`);
  }
  if (!(discountRate >= 0 && Number.isFinite(discountRate))) {
    throw new RangeError(`discountRate must be ≥ 0, got ${discountRate}`);
  }
}
