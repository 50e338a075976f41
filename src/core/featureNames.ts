/** The 16 per-customer features of the design brief, in their fixed order. */
export const FEATURE_NAMES = [
  'recency_days',
  'tenure_days',
  'frequency',
  'n_orders',
  'total_spend',
  'avg_order_value',
  'std_order_value',
  'max_order_value',
  'avg_gap_days',
  'std_gap_days',
  'orders_30d',
  'orders_90d',
  'spend_90d',
  'spend_trend',
  'active_months',
  'recency_score',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Targets measured in the horizon after the cutoff. */
export const TARGET_NAMES = ['holdout_spend', 'holdout_orders', 'active_in_holdout'] as const;

export type TargetName = (typeof TARGET_NAMES)[number];
