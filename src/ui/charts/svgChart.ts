/**
 * Chart specs as plain data and a renderer from spec to an SVG string, with no DOM: the fit-check
 * charts are built in a worker, the CLI or a test the same way, exported as standalone SVG and put
 * into the HTML report as they are. A spec is what is drawn; the renderer only lays it out.
 */

export interface LineSeries {
  kind: 'line';
  label: string;
  colour: string;
  /** SVG stroke-dasharray, e.g. "6 3"; solid when absent. */
  dash?: string;
  /** [x, y] on a linear x axis, or [band index, y] on a band axis. */
  points: [number, number][];
  /** Dots at the points (for lines over categories). */
  dots?: boolean;
}

export interface BarSeries {
  kind: 'bars';
  label: string;
  colour: string;
  /** One value per x band, in band order. */
  values: number[];
}

export interface HeatCells {
  /** Row labels, bottom to top. */
  rows: string[];
  /** Column labels, left to right. */
  columns: string[];
  /** Row-major values. */
  values: number[];
  domain: [number, number];
  /** Colours at the low and high end of the domain. */
  range: [string, string];
}

export interface SvgChartSpec {
  title: string;
  width: number;
  height: number;
  /** Linear with a numeric domain, or bands with labels. */
  x: { label: string; domain: [number, number] | string[] };
  y: { label: string; domain: [number, number] | string[] };
  series: (LineSeries | BarSeries)[];
  cells?: HeatCells;
  /** Vertical reference lines, e.g. the end of calibration. */
  rules?: { x: number; label: string }[];
}

const MARGIN = { top: 44, right: 20, bottom: 46, left: 62 };
const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

const num = (v: number) => (Math.round(v * 10) / 10).toString();
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Up to ~6 round ticks (1, 2 or 5 × 10ᵏ apart) over [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A tick label: integers as they are, other values to 3 significant digits. */
export function tickLabel(v: number): string {
  if (Number.isInteger(v)) return Math.abs(v) >= 10_000 ? v.toLocaleString('en-US') : String(v);
  return Number(v.toPrecision(3)).toString();
}

function mix(from: string, to: string, t: number): string {
  const parse = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  const a = parse(from);
  const b = parse(to);
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  return `#${a.map((v, i) => Math.round(v + (b[i] - v) * clamped).toString(16).padStart(2, '0')).join('')}`;
}

interface Axis {
  scale: (v: number) => number;
  /** Band width in pixels (0 for a linear axis). */
  band: number;
  ticks: { at: number; label: string }[];
}

function axis(domain: [number, number] | string[], from: number, to: number): Axis {
  if (typeof domain[0] === 'string') {
    const labels = domain as string[];
    const band = (to - from) / labels.length;
    return { scale: (i) => from + (i + 0.5) * band, band, ticks: labels.map((label, i) => ({ at: from + (i + 0.5) * band, label })) };
  }
  const [lo, hi] = domain as [number, number];
  const span = hi > lo ? hi - lo : 1;
  const scale = (v: number) => from + ((v - lo) / span) * (to - from);
  return { scale, band: 0, ticks: niceTicks(lo, hi).map((v) => ({ at: scale(v), label: tickLabel(v) })) };
}

/** Rough width of one character of the 11 px labels and the 13 px title, for wrapping. */
const LABEL_CHAR = 7;
const TITLE_CHAR = 8;
const LINE = 16;

/** Words into lines of at most `chars` characters (a longer word gets a line of its own). */
function wrapWords(text: string, chars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= chars) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Legend entries into rows that fit between `left` and `right`, in series order. */
function legendRows(series: SvgChartSpec['series'], span: number): SvgChartSpec['series'][] {
  const rows: SvgChartSpec['series'][] = [];
  let used = Infinity;
  for (const s of series) {
    const w = LABEL_CHAR * s.label.length + 26;
    if (used + w > span && (rows.length === 0 || rows[rows.length - 1].length > 0)) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push(s);
    used += w;
  }
  return rows;
}

/**
 * The chart as a standalone SVG document (fixed size, inline styles, no external references). A
 * title or legend too long for the width wraps onto more lines, and the chart grows by as much.
 */
export function renderSvgChart(spec: SvgChartSpec): string {
  const { width } = spec;
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const titleLines = wrapWords(spec.title, Math.max(12, Math.floor((width - left - 8) / TITLE_CHAR)));
  const legend = legendRows(spec.series, right - 8);
  const titleExtra = LINE * (titleLines.length - 1);
  const extra = titleExtra + LINE * Math.max(0, legend.length - 1);
  // Centred under the plot, so half of a line may reach from the plot's middle to the edge.
  const xLabelLines = wrapWords(spec.x.label, Math.max(12, Math.floor((2 * (width - 8 - (left + right) / 2)) / LABEL_CHAR)));
  const xLabelExtra = LINE * (xLabelLines.length - 1);
  const height = spec.height + extra + xLabelExtra;
  const top = MARGIN.top + extra;
  const bottom = height - MARGIN.bottom - xLabelExtra;
  const x = axis(spec.x.domain, left, right);
  const y = axis(spec.y.domain, bottom, top);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`);
  out.push(`<title>${escape(spec.title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  titleLines.forEach((line, i) => out.push(`<text x="${left}" y="${16 + LINE * i}" font-size="13" font-weight="600">${escape(line)}</text>`));

  if (spec.cells) {
    const { rows, columns, values, domain, range } = spec.cells;
    const cw = (right - left) / columns.length;
    const ch = (bottom - top) / rows.length;
    const span = domain[1] > domain[0] ? domain[1] - domain[0] : 1;
    rows.forEach((_, r) =>
      columns.forEach((__, c) => {
        const v = values[r * columns.length + c];
        out.push(`<rect x="${num(left + c * cw)}" y="${num(bottom - (r + 1) * ch)}" width="${num(cw + 0.3)}" height="${num(ch + 0.3)}" fill="${mix(range[0], range[1], (v - domain[0]) / span)}"><title>${escape(`${rows[r]}, ${columns[c]}: ${tickLabel(v)}`)}</title></rect>`);
      }),
    );
  }
  // Grid and axes.
  if (!spec.cells) for (const t of y.ticks) out.push(`<line x1="${left}" x2="${right}" y1="${num(t.at)}" y2="${num(t.at)}" stroke="#e5e5e5"/>`);
  out.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#333333"/>`);
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#333333"/>`);
  // At most 12 labels, and no more than fit side by side at the chart's width.
  const widestX = Math.max(...x.ticks.map((t) => t.label.length));
  const thinX = Math.max(1, Math.ceil(x.ticks.length / 12), Math.ceil((x.ticks.length * (widestX * LABEL_CHAR + 6)) / (right - left)));
  x.ticks.forEach((t, i) => {
    if (i % thinX !== 0) return;
    out.push(`<text x="${num(t.at)}" y="${bottom + 15}" text-anchor="middle">${escape(t.label)}</text>`);
  });
  const thinY = Math.max(1, Math.ceil(y.ticks.length / 12));
  y.ticks.forEach((t, i) => {
    if (i % thinY !== 0) return;
    out.push(`<text x="${left - 6}" y="${num(t.at + 4)}" text-anchor="end">${escape(t.label)}</text>`);
  });
  xLabelLines.forEach((line, i) => out.push(`<text x="${num((left + right) / 2)}" y="${height - 8 - LINE * (xLabelLines.length - 1 - i)}" text-anchor="middle">${escape(line)}</text>`));
  out.push(`<text transform="translate(14 ${num((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escape(spec.y.label)}</text>`);

  const bars = spec.series.filter((s): s is BarSeries => s.kind === 'bars');
  bars.forEach((s, k) => {
    const inner = (x.band * 0.8) / bars.length;
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const x0 = x.scale(i) - x.band * 0.4 + k * inner;
      const y0 = y.scale(Math.max(0, v));
      out.push(`<rect x="${num(x0)}" y="${num(y0)}" width="${num(inner)}" height="${num(Math.abs(y.scale(0) - y0))}" fill="${s.colour}"><title>${escape(`${s.label}: ${tickLabel(v)}`)}</title></rect>`);
    });
  });
  for (const s of spec.series) {
    if (s.kind !== 'line') continue;
    const points = s.points.filter(([, v]) => Number.isFinite(v)).map(([px, py]) => `${num(x.scale(px))},${num(y.scale(py))}`);
    if (points.length === 0) continue;
    out.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${points.join(' ')}"/>`);
    if (s.dots) for (const p of points) out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${s.colour}"/>`);
  }
  for (const rule of spec.rules ?? []) {
    const at = num(x.scale(rule.x));
    out.push(`<line x1="${at}" x2="${at}" y1="${top}" y2="${bottom}" stroke="#555555" stroke-dasharray="2 3"/>`);
    // Inside the plot, right of the line (left of it where the label would pass the plot's right
    // end): above it the label would meet the legend.
    const after = x.scale(rule.x) + 4 + LABEL_CHAR * rule.label.length <= right;
    const anchor = after ? '' : ' text-anchor="end"';
    out.push(`<text x="${num(x.scale(rule.x) + (after ? 4 : -4))}" y="${top + 12}"${anchor} fill="#555555">${escape(rule.label)}</text>`);
  }
  // Legend, top right, in rows under the title.
  legend.forEach((row, r) => {
    const dy = titleExtra + LINE * r;
    let lx = right;
    for (const s of [...row].reverse()) {
      lx -= LABEL_CHAR * s.label.length + 26;
      const mark = s.kind === 'bars' ? `<rect x="${num(lx)}" y="${24 + dy}" width="10" height="10" fill="${s.colour}"/>` : `<line x1="${num(lx)}" x2="${num(lx + 14)}" y1="${29 + dy}" y2="${29 + dy}" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`;
      out.push(`${mark}<text x="${num(lx + 18)}" y="${33 + dy}">${escape(s.label)}</text>`);
    }
  });
  if (spec.cells) {
    const { domain, range } = spec.cells;
    out.push(`<text x="${right}" y="${33 + titleExtra}" text-anchor="end">${escape(`${tickLabel(domain[0])} `)}<tspan fill="${range[0]}">■</tspan> … <tspan fill="${range[1]}">■</tspan>${escape(` ${tickLabel(domain[1])}`)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
