/**
 * The probabilistic models (BG/NBD, Pareto/NBD, MBG/NBD, each with Gamma-Gamma): fitted once per
 * window on calibration summaries alone (they never see the horizon), so every scored customer's
 * prediction is already out-of-sample; plus their per-customer 90% intervals.
 */
import { fitBtyd, forecastFromFit, usableGammaGamma, type BtydColumns, type BtydFit, type BtydForecast } from '../models/btydForecast';
import { fitLognormalSpend, lognormalExpectedSpend, type LogSpendColumns, type LognormalSpendFit } from '../models/lognormalSpend';
import { fitTransactionModel, forecastIntervals, forecastTransactionModel, type CustomerIntervals, type TransactionForecast } from '../models/transactionForecast';
import { deriveSeed } from '../random';
import { bgnbdChurn } from './churn';
import type { EvaluationRun } from './evaluationRun';
import { checkAborted, type EvaluationData } from './evaluationTypes';
import { PROBABILISTIC_MODELS, type ProbabilisticModelName } from './modelNames';

export interface ProbabilisticFits {
  /** BG/NBD + Gamma-Gamma on the scored window. */
  btyd: BtydForecast | null;
  /** The same on the fit window (the scored window's own when they are the same). */
  fitWindowBtyd: BtydForecast | null;
  transactionModels: Partial<Record<'pnbd-gg' | 'mbgnbd-gg', TransactionForecast>>;
  intervals: Partial<Record<ProbabilisticModelName, CustomerIntervals>>;
  /**
   * BG/NBD's expected purchases × the lognormal spend model (models/lognormalSpend.ts), for the
   * ensemble only, where Gamma-Gamma is degenerate on the scored window: the model as fitted there,
   * and its horizon spend on the scored and fit windows (null when either window cannot fit it).
   */
  lognormal: { fit: LognormalSpendFit; score: Float64Array; fitWindow: Float64Array } | null;
}

const horizonOf = (data: EvaluationData) => data.horizonDays / data.unitDays;

export function fitProbabilisticModels(run: EvaluationRun): ProbabilisticFits {
  const { models, options, protocol, sameData } = run;
  const { fit, score } = protocol;
  const needsBtyd = models.some((m) => m === 'bgnbd-gg' || m === 'hybrid' || m === 'ensemble');
  let btyd: BtydForecast | null = null;
  let fitWindowBtyd: BtydForecast | null = null;
  if (needsBtyd) {
    run.report('bgnbd-gg', 'fitting BG/NBD + Gamma-Gamma');
    // One fit per window: the scored window's may come in ready-made; the past window (backtest
    // only) needs its own, fitted on data before its cutoff, for the ensemble's and hybrid's training rows.
    const forecast = (data: EvaluationData, fitted: BtydFit) => forecastFromFit(fitted, data.btyd, { horizon: horizonOf(data), discount: options.discount });
    btyd = forecast(score, options.btydFit ?? fitBtyd(score.btyd));
    fitWindowBtyd = sameData ? btyd : forecast(fit, fitBtyd(fit.btyd));
    run.warnings.push(...btyd.warnings);
    run.predictions['bgnbd-gg'] = btyd.horizonSpend;
    run.fitPredictions['bgnbd-gg'] = fitWindowBtyd.horizonSpend;
    // The one churn definition (churn.ts): P(no purchase in the horizon), exact under BG/NBD.
    run.churnScores['bgnbd-gg'] = bgnbdChurn(btyd.bgnbd, score.btyd, horizonOf(score));
  }
  const lognormal = models.includes('ensemble') && btyd && fitWindowBtyd ? lognormalSpendBase(btyd, score.btyd, sameData ? null : { forecast: fitWindowBtyd, data: fit.btyd }) : null;
  if (lognormal) run.warnings.push(`Gamma-Gamma is degenerate on these data; the stacked ensemble sizes its predictions with a lognormal spend model instead (log-scale mean ${lognormal.fit.mu0.toFixed(2)}, spread between customers ${Math.sqrt(lognormal.fit.tau2).toFixed(2)}, within a customer ${Math.sqrt(lognormal.fit.sigma2).toFixed(2)}).`);
  // Pareto/NBD and MBG/NBD with Gamma-Gamma (reused from BG/NBD's fit when there is one), scored like BG/NBD.
  const transactionModels: ProbabilisticFits['transactionModels'] = {};
  for (const name of ['pnbd-gg', 'mbgnbd-gg'] as const) {
    if (!models.includes(name)) continue;
    checkAborted(options.signal);
    const kind = PROBABILISTIC_MODELS[name];
    run.report(name, `fitting ${kind === 'pnbd' ? 'Pareto/NBD' : 'MBG/NBD'} + Gamma-Gamma`);
    const forecast = (data: EvaluationData, spend: BtydForecast | null) =>
      forecastTransactionModel(fitTransactionModel(kind, data.btyd, spend ?? undefined), data.btyd, { horizon: horizonOf(data), discount: options.discount });
    const scored = forecast(score, btyd);
    transactionModels[name] = scored;
    run.warnings.push(...scored.warnings);
    run.predictions[name] = scored.horizonSpend;
    run.fitPredictions[name] = sameData ? scored.horizonSpend : models.includes('ensemble') ? forecast(fit, fitWindowBtyd).horizonSpend : undefined;
    run.churnScores[name] = scored.probabilityNoPurchase;
  }
  const intervals: ProbabilisticFits['intervals'] = {};
  for (const name of Object.keys(PROBABILISTIC_MODELS) as ProbabilisticModelName[]) {
    if (!models.includes(name)) continue;
    const source =
      name === 'bgnbd-gg'
        ? btyd && { kind: 'bgnbd' as const, model: { params: { r: btyd.bgnbd.r, alpha: btyd.bgnbd.alpha, a: btyd.bgnbd.a, b: btyd.bgnbd.b }, customers: score.customerIds.length }, gammaGamma: btyd.gammaGamma, populationSpend: btyd.populationSpend }
        : transactionModels[name];
    if (!source) continue;
    checkAborted(options.signal);
    run.report(name, 'intervals');
    const { intervals: bounds, warning } = forecastIntervals(source, score.btyd, score.btyd, { horizon: horizonOf(score), discount: options.discount, seed: deriveSeed(options.seed, 'intervals', name) });
    if (warning) run.warnings.push(warning);
    if (bounds) intervals[name] = bounds;
  }
  return { btyd, fitWindowBtyd, transactionModels, intervals, lognormal };
}

/**
 * The lognormal spend base, only where Gamma-Gamma is degenerate on the scored window (where it
 * fits, BG/NBD + Gamma-Gamma is the ensemble's spend side) and the summaries carry log spend;
 * fitted on each window's calibration data alone, like BG/NBD. `fitWindow`: the past window, when it is another.
 */
function lognormalSpendBase(scored: BtydForecast, data: BtydColumns, fitWindow: { forecast: BtydForecast; data: BtydColumns } | null): ProbabilisticFits['lognormal'] {
  if (usableGammaGamma(scored) || !data.logSpend) return null;
  const fit = fitLognormalSpend(data.logSpend);
  if (!fit) return null;
  const horizonSpend = (forecast: BtydForecast, model: LognormalSpendFit, stats: LogSpendColumns) => {
    const spend = lognormalExpectedSpend(model, stats);
    return Float64Array.from(forecast.expectedPurchases, (e, i) => e * spend[i]);
  };
  const score = horizonSpend(scored, fit, data.logSpend);
  if (!fitWindow) return { fit, score, fitWindow: score };
  const pastStats = fitWindow.data.logSpend;
  const past = pastStats && fitLognormalSpend(pastStats);
  return past ? { fit, score, fitWindow: horizonSpend(fitWindow.forecast, past, pastStats) } : null;
}
