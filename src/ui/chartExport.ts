/**
 * Charts to files, made in the tab: a standalone SVG (theme colours written in, so it reads the
 * same outside the page) and a PNG drawn from that SVG through a canvas.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

/** The chart's SVG with its text colour and background fixed, and the XML namespace set. */
export function standaloneSvg(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const style = getComputedStyle(svg);
  copy.setAttribute('xmlns', SVG_NS);
  copy.style.color = style.color;
  copy.style.background = getComputedStyle(document.body).backgroundColor;
  copy.style.fontFamily = style.fontFamily;
  // Theme colours (CSS variables) mean nothing outside the page: write the resolved colours in.
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((el, i) => {
    for (const attribute of ['fill', 'stroke'] as const) {
      if (el.getAttribute(attribute)?.includes('var(')) copies[i].setAttribute(attribute, getComputedStyle(el)[attribute]);
    }
  });
  return copy;
}

export function svgText(svg: SVGSVGElement): string {
  return new XMLSerializer().serializeToString(standaloneSvg(svg));
}

export function svgBlob(svg: SVGSVGElement): Blob {
  return new Blob([svgText(svg)], { type: 'image/svg+xml' });
}

export async function pngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const url = URL.createObjectURL(svgBlob(svg));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const context = canvas.getContext('2d')!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The chart SVG inside a container (Plot returns either the SVG or a figure around it). */
export function chartSvg(container: Element): SVGSVGElement | null {
  return container.querySelector('svg');
}
