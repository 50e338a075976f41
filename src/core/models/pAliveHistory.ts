/**
 * One customer's P(alive) as it would have read on each day from the first purchase to the cutoff:
 * at every evaluation day τ the model sees only the purchases made by then (x(τ) repeat purchases,
 * the last at t_x(τ), age T = τ − first purchase), in the model's time unit, exactly as the `rfm`
 * table measures them at the cutoff. The curve decays while the customer is quiet and jumps at
 * each purchase; its last point is the P(alive) of the predictions.
 */
import { TRANSACTION_MODELS, type TransactionModelKind, type TransactionParams } from './transactionModels';

export interface PAlivePoint {
  /** Day number (days since 1970-01-01, as tables/period.ts parseDay gives). */
  day: number;
  pAlive: number;
}

export interface PAliveHistoryOptions {
  /** Days per model time unit (1 for days, 7 for weeks). */
  unitDays: number;
  /** At most about this many evaluation days besides the purchase days (default 240). */
  maxPoints?: number;
}

/**
 * P(alive) from the first purchase day to `cutoffDay`, evaluated every unit (coarser when the span
 * would need more than `maxPoints`), at the cutoff, and on each purchase day both just before the
 * purchase counts and just after (so the jump is drawn as a jump). `purchaseDays` are the
 * customer's purchase day numbers; days after the cutoff are ignored.
 */
export function pAliveHistory(kind: TransactionModelKind, params: TransactionParams, purchaseDays: readonly number[], cutoffDay: number, options: PAliveHistoryOptions): PAlivePoint[] {
  const days = [...new Set(purchaseDays.filter((d) => d <= cutoffDay))].sort((a, b) => a - b);
  if (days.length === 0) return [];
  const model = TRANSACTION_MODELS[kind];
  const unit = options.unitDays;
  const first = days[0];
  const span = cutoffDay - first;
  const step = Math.max(unit, Math.ceil(span / Math.max(1, options.maxPoints ?? 240)));
  /** P(alive) on `day` with the purchases up to `seen` (index into days, inclusive) counted. */
  const at = (day: number, seen: number) => {
    const x = seen;
    const tx = x === 0 ? 0 : (days[seen] - first) / unit;
    return { day, pAlive: model.probabilityAlive(params, x, tx, (day - first) / unit) };
  };
  const points: PAlivePoint[] = [];
  let seen = 0;
  const grid = new Set<number>();
  for (let d = first; d < cutoffDay; d += step) grid.add(d);
  grid.add(cutoffDay);
  const evaluationDays = [...new Set([...grid, ...days])].sort((a, b) => a - b);
  for (const day of evaluationDays) {
    if (seen + 1 < days.length && days[seen + 1] === day) {
      // The moment before this purchase, then with it.
      points.push(at(day, seen));
      seen++;
    }
    points.push(at(day, seen));
  }
  return points;
}
