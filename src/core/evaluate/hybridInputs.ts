import type { BtydForecast } from '../models/btydForecast';

export const HYBRID_EXTRA_FEATURES = ['btyd_log_spend', 'btyd_p_alive', 'btyd_log_purchases', 'gg_log_spend_per_purchase'];

/** Features plus the BG/NBD + Gamma-Gamma outputs: the "deep + econometric" hybrid's inputs. */
export function hybridInputs(X: Float32Array, d: number, btyd: BtydForecast): Float32Array {
  const n = X.length / d;
  const extra = HYBRID_EXTRA_FEATURES.length;
  const out = new Float32Array(n * (d + extra));
  for (let i = 0; i < n; i++) {
    out.set(X.subarray(i * d, (i + 1) * d), i * (d + extra));
    const o = i * (d + extra) + d;
    out[o] = Math.log1p(Math.max(0, btyd.horizonSpend[i]));
    out[o + 1] = btyd.pAlive[i];
    out[o + 2] = Math.log1p(btyd.expectedPurchases[i]);
    out[o + 3] = Math.log1p(Math.max(0, btyd.expectedSpendPerPurchase[i]));
  }
  return out;
}
