/**
 * A monotone recalibration of predicted spend: spend = c·exp(b·s) for a log-scale score s (for one
 * model, s = log1p(ŷ): c·(1+ŷ)^b), fitted by least squares on the spend of the rows given. The
 * evaluation's nets use it (evaluate/netStep.ts) to put their level and spread right without
 * changing their ranking; old 'log'-scale stacks (models/stackedEnsemble.ts) were mapped the same way.
 */

/** Powers tried by the recalibration (b in c·exp(b·s)). */
const POWERS = Array.from({ length: 57 }, (_, j) => 0.2 + 0.05 * j);

/**
 * The recalibration c·exp(b·s) of a log-scale score s (for one base, s = log1p(ŷ): c·(1+ŷ)^b),
 * least squares on the spend of the rows given: for each power b on a grid, c is closed-form.
 * Strictly increasing in s, so the ranking is kept exactly.
 */
export function fitPowerCalibration(s: ArrayLike<number>, y: ArrayLike<number>, rows: ArrayLike<number>): { scale: number; power: number } {
  let best = { scale: 1, power: 1, gain: -Infinity };
  for (const b of POWERS) {
    let sgy = 0;
    let sgg = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      const g = Math.exp(b * s[i]);
      sgy += g * y[i];
      sgg += g * g;
    }
    if (sgg === 0) continue;
    // SSE = Σy² − (Σgy)²/Σg² at the best c = Σgy/Σg² (kept ≥ 0).
    const c = Math.max(0, sgy / sgg);
    const gain = c * sgy;
    if (gain > best.gain) best = { scale: c, power: b, gain };
  }
  return { scale: best.scale, power: best.power };
}

