/**
 * Okabe–Ito: eight colours that stay distinct under the common colour-vision deficiencies.
 * theme.css carries the same values as CSS variables for the rest of the interface.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#999999',
} as const;

/**
 * The colour of single-series charts (bars, dots): Okabe–Ito blue on light backgrounds, its sky
 * blue on dark ones (theme.css sets --chart-main), so marks keep their contrast in both themes.
 * Chart exports write the resolved colour in (chartExport.ts).
 */
export const MAIN_COLOUR = `var(--chart-main, ${OKABE_ITO.blue})`;

/** Categorical order for series (models, measures): the most distinct colours first. */
export const SERIES_COLOURS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.vermillion,
  OKABE_ITO.purple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.yellow,
  OKABE_ITO.grey,
];

/** Sequential scheme for counts; cividis was designed to read the same with colour-vision deficiencies. */
export const SEQUENTIAL_SCHEME = 'cividis';

/** A colour scale for named series, stable for a given list of names. */
export function seriesScale(names: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...names], range: names.map((_, i) => SERIES_COLOURS[i % SERIES_COLOURS.length]) };
}

/**
 * A legend drawn inside the plot (so it survives SVG/PNG export): one coloured line of text per
 * series, stacked in a corner of the frame. Direct labels at line ends collide when curves meet.
 */
export function seriesLegendText(names: readonly string[], anchor: 'top-right' | 'bottom-right' = 'bottom-right'): { text: string; colour: string; dy: number; anchor: typeof anchor }[] {
  const { range } = seriesScale(names);
  const step = 14;
  return names.map((name, i) => ({
    text: `— ${name}`,
    colour: range[i],
    dy: anchor === 'bottom-right' ? -step * (names.length - 1 - i) - 4 : step * i + 4,
    anchor,
  }));
}
