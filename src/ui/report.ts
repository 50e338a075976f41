/**
 * A self-contained HTML report: tables written with text nodes (so names from the file stay
 * text), the page's charts inlined as SVG, a CSP that lets the file load nothing, no scripts.
 */
import type { QualityReport } from '../core/clean/qualityReport';
import type { BuildResult } from '../core/engine';
import type { SegmentShare, TrainResult } from '../../workers/contracts';
import { chartSvg, standaloneSvg } from './chartExport';
import { formatMetric, formatNumber, formatPercent } from './format';
import { STRINGS } from './strings';

export interface ReportInput {
  fileName: string;
  quality: QualityReport | null;
  built: BuildResult | null;
  segments: SegmentShare[];
  result: TrainResult | null;
  primaryModel: string | null;
  /** Where to collect charts from: every `[data-chart]` figure under it. */
  chartsFrom: ParentNode;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:0.5rem 0 1.5rem}th,td{border-bottom:1px solid #cfd6dd;padding:0.25rem 0.6rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1rem 0 2rem}svg{max-width:100%;height:auto}.muted{color:#5b6470}`;

type Cell = string | number;

function table(doc: Document, head: string[], rows: Cell[][]): HTMLTableElement {
  const t = doc.createElement('table');
  const tr = t.createTHead().insertRow();
  for (const h of head) {
    const th = doc.createElement('th');
    th.textContent = h;
    tr.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const r = body.insertRow();
    for (const cell of row) {
      const td = r.insertCell();
      td.textContent = typeof cell === 'number' ? formatNumber(cell) : cell;
      if (typeof cell === 'number') td.className = 'num';
    }
  }
  return t;
}

function heading(doc: Document, level: 'h1' | 'h2' | 'h3', text: string): HTMLElement {
  const h = doc.createElement(level);
  h.textContent = text;
  return h;
}

function paragraph(doc: Document, text: string, className?: string): HTMLParagraphElement {
  const p = doc.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

export function buildReport(input: ReportInput): string {
  const R = STRINGS.report;
  const Q = STRINGS.quality;
  const C = STRINGS.segmentColumns;
  const doc = document.implementation.createHTMLDocument(R.title(input.fileName));
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  const csp = doc.createElement('meta');
  csp.httpEquiv = 'Content-Security-Policy';
  csp.content = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  const style = doc.createElement('style');
  style.textContent = STYLE;
  doc.head.prepend(charset, csp);
  doc.head.append(style);

  const body = doc.body;
  body.append(heading(doc, 'h1', R.title(input.fileName)), paragraph(doc, R.generated(new Date().toLocaleString()), 'muted'));

  if (input.quality) {
    const q = input.quality;
    body.append(heading(doc, 'h2', R.data));
    body.append(
      table(doc, ['', ''], [
        [Q.file, `${q.file} (${q.format})`],
        [Q.rowsRead, q.rows_read],
        [Q.rowsRejected, q.rows_rejected],
        [Q.rowsUsed, q.rows_kept],
        [Q.customers, q.customers],
        [Q.dates, `${q.first_date ?? ''} … ${q.last_date ?? ''}`],
        ...(input.built ? [[Q.cutoff, input.built.period.cutoff] as Cell[], [Q.horizonEnd, input.built.period.horizonEnd ?? '—'] as Cell[]] : []),
      ]),
    );
  }
  if (input.segments.length > 0) {
    body.append(heading(doc, 'h2', R.segments));
    body.append(
      table(
        doc,
        [C.segment, C.customers, C.share, C.spendShare],
        input.segments.map((s) => [s.segment, s.customers, formatPercent(s.customer_share), formatPercent(s.value_share)]),
      ),
    );
  }
  if (input.result) {
    const names = STRINGS.results.metricNames;
    body.append(heading(doc, 'h2', R.metrics));
    body.append(paragraph(doc, STRINGS.results.backendUsed(input.result.backend.backend, input.result.trainingWorkers), 'muted'));
    body.append(
      table(
        doc,
        [STRINGS.results.model, names.rmse, names.mae, names.r2, names.spearman, names.normalized_gini, names.top_decile_share],
        input.result.metrics.map((m) => [
          `${m.model === input.primaryModel ? `${STRINGS.results.primaryMark} ` : ''}${STRINGS.modelNames[m.model] ?? m.model}`,
          formatMetric(m.regression.rmse),
          formatMetric(m.regression.mae),
          formatMetric(m.regression.r2),
          formatMetric(m.regression.spearman),
          formatMetric(m.regression.normalized_gini),
          formatPercent(m.regression.top_decile_share),
        ]),
      ),
    );
    if (input.result.warnings.length > 0) {
      body.append(heading(doc, 'h3', R.warnings));
      const list = doc.createElement('ul');
      for (const w of input.result.warnings) {
        const li = doc.createElement('li');
        li.textContent = w;
        list.append(li);
      }
      body.append(list);
    }
  }

  const figures = [...input.chartsFrom.querySelectorAll<HTMLElement>('[data-chart]')];
  if (figures.length > 0) body.append(heading(doc, 'h2', R.charts));
  for (const figure of figures) {
    const svg = chartSvg(figure);
    if (!svg) continue;
    const f = doc.createElement('figure');
    f.append(heading(doc, 'h3', figure.dataset.chart ?? ''), doc.importNode(standaloneSvg(svg), true));
    body.append(f);
  }
  body.append(paragraph(doc, R.footer, 'muted'));
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}
