import * as Plot from '@observablehq/plot';
import { seriesLegendText } from './palette';

/**
 * Legend marks drawn inside the plot (so they survive SVG/PNG export): per series a swatch in its
 * colour and its name in the text colour of the theme, so the names read well on light and dark
 * backgrounds whatever the series colour.
 */
export function legendMarks(entries: readonly { text: string; colour: string; dy: number }[], anchor: 'top-right' | 'bottom-right', swatch: string, options: { facet?: 'super' } = {}): Plot.Markish[] {
  return entries.flatMap((e) => [
    Plot.text([e.text], { frameAnchor: anchor, dx: -22, dy: e.dy, fill: 'currentColor', fontWeight: 600, ...options }),
    Plot.text([swatch], { frameAnchor: anchor, dx: -4, dy: e.dy, fill: e.colour, fontWeight: 700, fontSize: 14, ...options }),
  ]);
}

/** The legend of a line chart: one line per named series, in the series' colours. */
export function seriesLegend(names: readonly string[], anchor: 'top-right' | 'bottom-right' = 'bottom-right'): Plot.Markish[] {
  return legendMarks(
    seriesLegendText(names, anchor).map((l) => ({ text: l.text.replace(/^— /, ''), colour: l.colour, dy: l.dy })),
    anchor,
    '—',
  );
}
