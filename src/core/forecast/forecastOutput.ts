/**
 * A forecast as files: one row per customer (forecast.csv) and its terms and parameters
 * (forecast.json). The CLI writes both and the app exports the same rows, so the two agree.
 */
import { retentionList, segmentByQuantile, upsellList } from '../eval/segments';
import { CHURN_DEFINITION } from '../evaluate/churn';
import type { CustomerForecast } from './customerForecast';

/**
 * Columns of forecast.csv; clv_low and clv_high only when the model gave intervals. `churn` is the
 * one churn definition (P(no purchase in the period)); `p_alive` is the other reading, by name.
 * `value_segment`: high (top 20% by CLV), medium (next 30%), low.
 */
export function forecastColumns(forecast: Pick<CustomerForecast, 'clvLow' | 'clvHigh'>): string[] {
  const columns = ['customer_id', 'expected_purchases', 'p_alive', 'churn', 'expected_spend', 'clv'];
  if (forecast.clvLow && forecast.clvHigh) columns.push('clv_low', 'clv_high');
  columns.push('value_segment');
  return columns;
}

/** One row per customer, in the forecast's customer order. */
export function forecastRows(forecast: CustomerForecast): Record<string, string | number>[] {
  const intervals = forecast.clvLow && forecast.clvHigh ? { low: forecast.clvLow, high: forecast.clvHigh } : null;
  const segments = segmentByQuantile(forecast.clv).labels;
  return forecast.customerIds.map((id, i) => ({
    customer_id: id,
    expected_purchases: forecast.expectedPurchases[i],
    p_alive: forecast.pAlive[i],
    churn: forecast.churn[i],
    expected_spend: forecast.expectedSpend[i],
    clv: forecast.clv[i],
    ...(intervals && { clv_low: intervals.low[i], clv_high: intervals.high[i] }),
    value_segment: segments[i],
  }));
}

/**
 * Segments, retention and upsell lists from the forecast: value segments by forecast CLV (high: top
 * 20%, medium: next 30%), high-value customers most at risk of churning (by value at risk) and
 * medium-value customers clearly active, with the one churn definition.
 */
export function forecastActions(forecast: CustomerForecast, limit = 100) {
  const segmentation = segmentByQuantile(forecast.clv);
  const options = { limit, churn: forecast.churn };
  const withIds = <T extends { index: number }>(list: T[]) => list.map(({ index, ...rest }) => ({ customer_id: forecast.customerIds[index], ...rest }));
  return {
    segments: segmentation.summary,
    retention: withIds(retentionList(forecast.clv, forecast.pAlive, segmentation.labels, options)),
    upsell: withIds(upsellList(forecast.clv, forecast.pAlive, segmentation.labels, options)),
  };
}

/** forecast.json: what the numbers are (model, period, unit, discount, margin) and the fitted parameters. */
export function forecastJson(forecast: CustomerForecast): Record<string, unknown> {
  const { terms } = forecast;
  const sum = (values: Float64Array) => values.reduce((s, v) => s + v, 0);
  return {
    model: forecast.model,
    description: terms.description,
    period: { start: terms.start, end: terms.end, days: terms.days, months: terms.months },
    unit: terms.unit,
    discount: {
      annual_rate: terms.annualDiscountRate,
      periods: terms.discount.periods,
      rate_per_period: terms.discount.discountRate,
      units_per_period: terms.discount.unitsPerPeriod,
      method: forecast.discounting,
    },
    margin: terms.margin,
    clv: terms.margin === null ? 'discounted expected spend (revenue)' : 'margin × discounted expected spend',
    interval_level: forecast.intervalLevel,
    purchases_and_p_alive_from: forecast.purchasesFrom,
    churn: `${CHURN_DEFINITION}; p_alive is P(alive at the period's start)`,
    customers: forecast.customerIds.length,
    totals: { expected_purchases: sum(forecast.expectedPurchases), expected_spend: sum(forecast.expectedSpend), clv: sum(forecast.clv) },
    params: forecast.params,
    warnings: forecast.warnings,
  };
}
