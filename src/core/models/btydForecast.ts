import { bgnbdExpectedPurchasesMany, bgnbdProbabilityAliveMany, fitBgNbd, type BgNbdFit } from './bgnbd';
import { discountedClvMany } from './clv';
import { fitGammaGamma, gammaGammaExpectedSpendMany, type GammaGammaFit } from './gammaGamma';

/** Calibration summaries per customer in the model's time unit (lifetimes conventions). */
export interface BtydColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

export interface BtydForecast {
  bgnbd: BgNbdFit;
  gammaGamma: GammaGammaFit | null;
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedSpendPerPurchase: Float64Array;
  /** Expected spend over the horizon: expected purchases × expected spend per purchase. */
  horizonSpend: Float64Array;
  discountedClv: Float64Array | null;
  warnings: string[];
}

const PENALTY = 1e-3;
const isExtreme = (p: BgNbdFit) => [p.r, p.alpha, p.a, p.b].some((v) => v > 1e4 || v < 1e-6);

export interface BtydForecastOptions {
  /** Horizon length in the model's time unit. */
  horizon: number;
  discount?: { periods: number; unitsPerPeriod: number; discountRate: number };
}

/**
 * BG/NBD + Gamma-Gamma fitted on calibration summaries only (no horizon data). A degenerate
 * Gamma-Gamma fit is not used: each customer's own mean spend (population mean for one-timers)
 * stands in, and a warning says so.
 */
export function forecastBtyd(data: BtydColumns, options: BtydForecastOptions): BtydForecast {
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
  const pAlive = bgnbdProbabilityAliveMany(bgnbd, data);
  const expectedPurchases = bgnbdExpectedPurchasesMany(bgnbd, options.horizon, data);
  let gammaGamma: GammaGammaFit | null = null;
  try {
    gammaGamma = fitGammaGamma(data);
    warnings.push(...gammaGamma.warnings);
  } catch (error) {
    warnings.push(`Gamma-Gamma could not be fitted: ${error instanceof Error ? error.message : String(error)}`);
  }
  let spend: Float64Array;
  if (gammaGamma && !gammaGamma.degenerate) {
    spend = gammaGammaExpectedSpendMany(gammaGamma, data);
  } else {
    if (gammaGamma?.degenerate) warnings.push(`Gamma-Gamma fit is degenerate (${gammaGamma.degenerateReason}); using each customer's mean spend instead.`);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < data.frequency.length; i++) {
      if (data.frequency[i] > 0) {
        sum += data.monetary[i];
        count++;
      }
    }
    const population = count > 0 ? sum / count : 0;
    spend = Float64Array.from({ length: data.frequency.length }, (_, i) => (data.frequency[i] > 0 ? data.monetary[i] : population));
  }
  const horizonSpend = expectedPurchases.map((e, i) => e * spend[i]);
  const discountedClv =
    options.discount && gammaGamma && !gammaGamma.degenerate ? discountedClvMany(bgnbd, gammaGamma, data, options.discount) : null;
  return { bgnbd, gammaGamma, pAlive, expectedPurchases, expectedSpendPerPurchase: spend, horizonSpend, discountedClv, warnings };
}
