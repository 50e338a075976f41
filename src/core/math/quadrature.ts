/** Gauss-Legendre quadrature, for smooth one-dimensional integrals over a finite interval. */

const cache = new Map<number, { nodes: Float64Array; weights: Float64Array }>();

/** Nodes and weights on [−1, 1] for `order` points, by Newton's method on Pₙ (cached). */
export function gaussLegendre(order: number): { nodes: Float64Array; weights: Float64Array } {
  const known = cache.get(order);
  if (known) return known;
  if (!(Number.isInteger(order) && order >= 1)) throw new RangeError(`order must be a positive integer, got ${order}`);
  const nodes = new Float64Array(order);
  const weights = new Float64Array(order);
  for (let i = 0; i < Math.ceil(order / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (order + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= order; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (order * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / derivative;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = -x;
    nodes[order - 1 - i] = x;
    const w = 2 / ((1 - x * x) * derivative * derivative);
    weights[i] = w;
    weights[order - 1 - i] = w;
  }
  const rule = { nodes, weights };
  cache.set(order, rule);
  return rule;
}

/** ∫_lo^hi f, on `panels` equal panels with a `order`-point rule on each. */
export function integrate(f: (x: number) => number, lo: number, hi: number, panels = 16, order = 16): number {
  if (hi === lo) return 0;
  const { nodes, weights } = gaussLegendre(order);
  const width = (hi - lo) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const mid = lo + (p + 0.5) * width;
    let sum = 0;
    for (let k = 0; k < order; k++) sum += weights[k] * f(mid + (nodes[k] * width) / 2);
    total += (sum * width) / 2;
  }
  return total;
}
