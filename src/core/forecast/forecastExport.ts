/**
 * The forecast as export files (CSV or Parquet), the same rows the CLI writes: the customers
 * (forecast.csv's columns), the retention list and the upsell list (forecastActions), each row
 * carrying the period it is for and the sentence that says what the CLV is.
 */
import { toCsv } from '../csv';
import { writeParquet, type ParquetKind } from '../parquetWriter';
import type { CustomerForecast } from './customerForecast';
import { forecastActions, forecastColumns, forecastRows } from './forecastOutput';

export type ForecastTable = 'forecast' | 'retention' | 'upsell';
export type ForecastExportFormat = 'csv' | 'parquet';

const PERIOD_COLUMNS = ['period_start', 'period_end', 'clv_is'];
const LIST_COLUMNS: Record<Exclude<ForecastTable, 'forecast'>, string[]> = {
  retention: ['customer_id', 'predicted_clv', 'p_alive', 'churn_risk', 'value_at_risk'],
  upsell: ['customer_id', 'predicted_clv', 'p_alive', 'churn_risk', 'score'],
};

/** Rows and columns of one forecast table, the period on every row. */
export function forecastTable(forecast: CustomerForecast, table: ForecastTable): { rows: Record<string, string | number>[]; columns: string[] } {
  const { terms } = forecast;
  const period = { period_start: terms.start, period_end: terms.end, clv_is: terms.description };
  if (table === 'forecast') return { rows: forecastRows(forecast).map((row) => ({ ...row, ...period })), columns: [...forecastColumns(forecast), ...PERIOD_COLUMNS] };
  const list = forecastActions(forecast)[table] as Record<string, string | number>[];
  return { rows: list.map((row) => ({ ...row, ...period })), columns: [...LIST_COLUMNS[table], ...PERIOD_COLUMNS] };
}

/** One forecast table as file bytes. */
export function forecastTableBytes(forecast: CustomerForecast, table: ForecastTable, format: ForecastExportFormat): Uint8Array {
  const { rows, columns } = forecastTable(forecast, table);
  if (format === 'csv') return new TextEncoder().encode(toCsv(rows, columns));
  const kind = (name: string): ParquetKind => (name === 'customer_id' || name === 'value_segment' || PERIOD_COLUMNS.includes(name) ? 'string' : 'double');
  return writeParquet(
    columns.map((name) => ({ name, kind: kind(name), values: rows.map((r) => r[name]) })),
    rows.length,
  );
}
