import { bgnbdExpectedPurchasesMany, bgnbdProbabilityAliveMany, fitBgNbd, type BgNbdFit } from './bgnbd';
import { discountedClvMany } from './clv';
import { fitGammaGamma, gammaGammaExpectedSpendMany, type GammaGammaFit } from './gammaGamma';
import type { LogSpendColumns } from './lognormalSpend';

/** Calibration summaries per customer in the model's time unit (lifetimes conventions). */
export interface BtydColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary: ArrayLike<number>;
  /** Log spend of each customer's positive purchase days, first included (the lognormal spend model's data); absent where the source has no transactions. */
  logSpend?: LogSpendColumns;
}

/** BG/NBD + Gamma-Gamma as fitted on one window's calibration summaries; forecasts reuse it. */
export interface BtydFit {
  bgnbd: BgNbdFit;
  /** Null when Gamma-Gamma could not be fitted at all; check `degenerate` before using it. */
  gammaGamma: GammaGammaFit | null;
  /**
   * Mean spend of the repeat customers the fit saw: the stand-in spend per purchase for one-time
   * buyers when Gamma-Gamma is degenerate or missing.
   */
  populationSpend: number;
  /** What went wrong or was doubtful while fitting, in plain sentences. */
  warnings: string[];
}

export interface BtydForecast extends BtydFit {
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedSpendPerPurchase: Float64Array;
  /** Expected spend over the horizon: expected purchases × expected spend per purchase. */
  horizonSpend: Float64Array;
  discountedClv: Float64Array | null;
}

const PENALTY = 1e-3;
const isExtreme = (p: BgNbdFit) => [p.r, p.alpha, p.a, p.b].some((v) => v > 1e4 || v < 1e-6);

export interface BtydForecastOptions {
  /** Horizon length in the model's time unit. */
  horizon: number;
  discount?: { periods: number; unitsPerPeriod: number; discountRate: number };
}

/** Whether a Gamma-Gamma fit may be used for forecasts (fitted, and not degenerate). */
export const usableGammaGamma = (fit: BtydFit): GammaGammaFit | null => (fit.gammaGamma && !fit.gammaGamma.degenerate ? fit.gammaGamma : null);

/**
 * Fits BG/NBD + Gamma-Gamma on calibration summaries only (no horizon data). A BG/NBD fit that
 * runs to a boundary is refitted with a small L2 penalty; a degenerate Gamma-Gamma fit is kept
 * (so callers can report it) but flagged, and forecasts do not use it.
 */
export function fitBtyd(data: BtydColumns): BtydFit {
  const warnings: string[] = [];
  let bgnbd = fitBgNbd(data);
  if (!bgnbd.converged) warnings.push('BG/NBD did not fully converge; its forecasts may be rough.');
  if (isExtreme(bgnbd)) {
    // Plain maximum likelihood ran off to a boundary; a small penalty (as lifetimes' penalizer) pulls it back.
    const penalised = fitBgNbd(data, { l2Penalty: PENALTY });
    warnings.push(
      `BG/NBD parameters ran to extremes (r=${bgnbd.r.toPrecision(3)}, α=${bgnbd.alpha.toPrecision(3)}, a=${bgnbd.a.toPrecision(3)}, b=${bgnbd.b.toPrecision(3)}); refitted with an L2 penalty of ${PENALTY}.`,
    );
    bgnbd = penalised;
  }
  const spend = fitSpendModel(data);
  return { bgnbd, gammaGamma: spend.gammaGamma, populationSpend: spend.populationSpend, warnings: [...warnings, ...spend.warnings] };
}

/** The spend side shared by every transaction model: Gamma-Gamma, and the population's mean repeat spend as a fallback. */
export function fitSpendModel(data: BtydColumns): { gammaGamma: GammaGammaFit | null; populationSpend: number; warnings: string[] } {
  const warnings: string[] = [];
  let gammaGamma: GammaGammaFit | null = null;
  try {
    gammaGamma = fitGammaGamma(data);
    warnings.push(...gammaGamma.warnings);
  } catch (error) {
    warnings.push(`Gamma-Gamma could not be fitted: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (gammaGamma?.degenerate) warnings.push(`Gamma-Gamma fit is degenerate (${gammaGamma.degenerateReason}); using each customer's mean spend instead.`);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (data.frequency[i] > 0) {
      sum += data.monetary[i];
      count++;
    }
  }
  return { gammaGamma, populationSpend: count > 0 ? sum / count : 0, warnings };
}

/**
 * Forecasts with an already fitted BG/NBD + Gamma-Gamma (no refit) for the customers of `data`,
 * which need not be the ones it was fitted on. Without a usable Gamma-Gamma fit each customer's
 * own mean spend stands in (the fit's population mean for one-time buyers).
 */
export function forecastFromFit(fit: BtydFit, data: BtydColumns, options: BtydForecastOptions): BtydForecast {
  const pAlive = bgnbdProbabilityAliveMany(fit.bgnbd, data);
  const expectedPurchases = bgnbdExpectedPurchasesMany(fit.bgnbd, options.horizon, data);
  const gammaGamma = usableGammaGamma(fit);
  const spend = gammaGamma
    ? gammaGammaExpectedSpendMany(gammaGamma, data)
    : Float64Array.from({ length: data.frequency.length }, (_, i) => (data.frequency[i] > 0 ? data.monetary[i] : fit.populationSpend));
  const horizonSpend = expectedPurchases.map((e, i) => e * spend[i]);
  const discountedClv = options.discount && gammaGamma ? discountedClvMany(fit.bgnbd, gammaGamma, data, options.discount) : null;
  return { ...fit, warnings: [...fit.warnings], pAlive, expectedPurchases, expectedSpendPerPurchase: spend, horizonSpend, discountedClv };
}

/** BG/NBD + Gamma-Gamma fitted on calibration summaries and forecast for the same customers. */
export function forecastBtyd(data: BtydColumns, options: BtydForecastOptions): BtydForecast {
  return forecastFromFit(fitBtyd(data), data, options);
}
