/**
 * A chart drawn by svgChart.ts (standalone SVG text) as an element for the page. The text is
 * parsed as SVG, never as HTML (no script runs; labels stay text), and its ink, the white paper
 * and the grey rules take the theme's colours, so the chart reads in the dark theme too. The
 * exports write the resolved colours back in (chartExport.ts), as for every other chart.
 */
const THEME_COLOURS: Record<string, string> = {
  '#ffffff': 'var(--bg)',
  '#222222': 'var(--fg)',
  '#333333': 'var(--fg)',
  '#555555': 'var(--muted)',
  '#e5e5e5': 'var(--border)',
};

export function svgChartElement(svgText: string, doc: Document = document): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.nodeName !== 'svg') throw new Error('the chart is not an SVG document');
  const svg = doc.importNode(root, true) as unknown as SVGSVGElement;
  // Text without a fill of its own takes the page's text colour.
  svg.setAttribute('fill', 'currentColor');
  // Drawn for the width its box had; until it is drawn again for a new width (charts redraw one
  // per frame), it scales down into a narrower box instead of making the box scroll.
  svg.setAttribute('style', 'max-width: 100%; height: auto;');
  for (const el of svg.querySelectorAll('[fill], [stroke]')) {
    for (const attribute of ['fill', 'stroke']) {
      const themed = THEME_COLOURS[el.getAttribute(attribute)?.toLowerCase() ?? ''];
      if (themed) el.setAttribute(attribute, themed);
    }
  }
  return svg;
}
