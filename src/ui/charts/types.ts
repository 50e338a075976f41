/** What every chart function receives besides its data. */
export interface ChartSize {
  width: number;
}

/** A chart: an SVG element made by Observable Plot, ready to mount or export. */
export type ChartElement = SVGSVGElement | HTMLElement;
