/** Numbers and cells formatted for the user's locale; values from files are always plain text. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const precise = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

const tick = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 6 });

/** Linear axis ticks (round numbers from the scale) in the user's locale: 1,400 · 0.05 · 1.400 · 0,05. */
export function formatTick(v: number): string {
  return Number.isFinite(v) ? tick.format(v) : '';
}

/** Axis ticks: 1.2K, 3M (in the user's locale). */
export function formatCompact(v: number): string {
  return Number.isFinite(v) ? compact.format(v) : '';
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  return Number.isInteger(v) ? integer.format(v) : decimal.format(v);
}

/** Metrics and probabilities: three significant digits, so small values keep their meaning. */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1000 ? integer.format(v) : precise.format(v);
}

/**
 * One column of a table, one number of decimals: values in [-1, 1] (correlations, AUC, R²) with
 * three decimals, amounts with three significant digits of the column's largest value, so that
 * 125 sits beside 85, not 85.2, and 0.055 beside 0.260.
 */
export function columnFormatter(values: readonly (number | null | undefined)[], unitInterval = false): (v: number | null | undefined) => string {
  const finite = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  const largest = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const decimals = unitInterval ? 3 : largest === 0 ? 0 : Math.max(0, Math.min(4, 2 - Math.floor(Math.log10(largest))));
  const f = new Intl.NumberFormat(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : f.format(v));
}

export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return percent.format(v);
}

/** A duration in words-free form for an ETA: "45 s", "3 min 10 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}

export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

/** Offers text as a file download without any network request. */
export function downloadText(fileName: string, text: string, type = 'text/csv'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

export function downloadBytes(fileName: string, bytes: Uint8Array, type: string): void {
  downloadBlob(fileName, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
