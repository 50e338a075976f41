/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z ≤ 1.
 *
 * BG/NBD forecasts need it on [0, 1) with z creeping towards 1 as the horizon grows, and tests and
 * callers also use negative z. The strategy:
 *   - terminating series when a or b is a non-positive integer (a polynomial, any z);
 *   - z < 0: Pfaff transformation to w = z/(z−1) in (0, 1);
 *   - 0 ≤ z ≤ 0.9: the defining power series;
 *   - 0.9 < z < 1: the 1−z connection formula when c−a−b is safely away from an integer (both
 *     series then converge fast) and its two terms do not cancel; otherwise the power series,
 *     which still converges, just slowly;
 *   - z = 1: Gauss's summation theorem.
 * Every loop is bounded; when the series cannot reach full precision in the budget it throws
 * rather than return a wrong number.
 */
import { gammaSign, isNonPositiveInteger, lgamma } from './special';

/** Thrown when no evaluation route converges within the term budget. */
export class Hyp2f1ConvergenceError extends Error {
  constructor(a: number, b: number, c: number, z: number, terms: number) {
    super(`2F1(${a}, ${b}; ${c}; ${z}) did not converge within ${terms} series terms`);
    this.name = 'Hyp2f1ConvergenceError';
  }
}

const MAX_SERIES_TERMS = 1_000_000;
const RELATIVE_TOLERANCE = 1e-16;
/** Above this z the plain series needs hundreds of terms, so the 1−z transformation is tried. */
const NEAR_ONE = 0.9;
/** The 1−z formula divides by Γ terms that blow up as c−a−b nears an integer; stay clear. */
const MIN_DISTANCE_FROM_INTEGER = 0.05;
/** Largest |first| + |second| to |sum| ratio accepted from the 1−z formula (≤ 4 digits lost). */
const MAX_CANCELLATION = 1e4;

export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) {
    throw new RangeError(`2F1 needs finite arguments, got (${a}, ${b}; ${c}; ${z})`);
  }
  // A non-positive integer a or b ends the series before (c)_n can reach zero only if it is > c.
  const terminatesAt = Math.max(
    isNonPositiveInteger(a) ? a : -Infinity,
    isNonPositiveInteger(b) ? b : -Infinity,
  );
  const terminates = terminatesAt > -Infinity;
  if (isNonPositiveInteger(c) && !(terminatesAt > c)) {
    throw new RangeError(`2F1 is undefined for c = ${c}, a non-positive integer`);
  }
  if (z === 0 || a === 0 || b === 0) return 1;
  if (terminates) return powerSeries(a, b, c, z);
  if (z > 1) throw new RangeError(`2F1 is only real-valued for z ≤ 1, got z = ${z}`);
  if (z === 1) return atOne(a, b, c);
  if (z < 0) return pfaff(a, b, c, z);
  return onUnitInterval(a, b, c, z);
}

/**
 * 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)) = (1−z)^(−b) 2F1(c−a, b; c; z/(z−1)).
 * Either form is exact; keep the one whose new series starts with the smaller term ratio, so that
 * a large parameter does not end up both in the prefactor's exponent and in the series.
 */
function pfaff(a: number, b: number, c: number, z: number): number {
  const w = z / (z - 1);
  const logOneMinusZ = Math.log1p(-z);
  const keepA = Math.abs(a * (c - b)) <= Math.abs(b * (c - a));
  if (keepA) return Math.exp(-a * logOneMinusZ) * hyp2f1(a, c - b, c, w);
  return Math.exp(-b * logOneMinusZ) * hyp2f1(c - a, b, c, w);
}

function onUnitInterval(a: number, b: number, c: number, z: number): number {
  const excess = c - a - b;
  if (z > NEAR_ONE && Math.abs(excess - Math.round(excess)) > MIN_DISTANCE_FROM_INTEGER) {
    return oneMinusZ(a, b, c, z);
  }
  return powerSeries(a, b, c, z);
}

/**
 * Sums Σ (a)_n (b)_n / ((c)_n n!) zⁿ. It stops only once the remaining tail is provably below the
 * tolerance: past `monotoneFrom` the term ratio moves monotonically towards z, so the tail is
 * bounded by a geometric series with ratio max(|current ratio|, |z|). A tiny early term alone is
 * not enough (with a ≈ 0 the first terms vanish while later ones grow).
 */
function powerSeries(a: number, b: number, c: number, z: number): number {
  const safeFrom = monotoneFrom(a, b, c);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_SERIES_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    const bound = Math.max(Math.abs(ratio), Math.abs(z));
    if (
      n >= safeFrom &&
      bound < 1 &&
      (Math.abs(term) * bound) / (1 - bound) <= RELATIVE_TOLERANCE * Math.abs(sum)
    ) {
      return sum;
    }
  }
  throw new Hyp2f1ConvergenceError(a, b, c, z, MAX_SERIES_TERMS);
}

/**
 * The index from which the term ratio (n+a)(n+b)/((n+c)(n+1)) keeps its sign and is monotone:
 * past −a, −b, −c and past the critical points of 1 + (Kn + L)/((n+c)(n+1)), K = a+b−c−1,
 * L = ab−c, which solve K n² + 2L n + L(c+1) − K c = 0.
 */
function monotoneFrom(a: number, b: number, c: number): number {
  let from = Math.max(0, -a, -b, -c);
  const k = a + b - c - 1;
  const l = a * b - c;
  if (k === 0) return from;
  const discriminant = l * l - k * (l * (c + 1) - k * c);
  if (discriminant >= 0) {
    const root = Math.sqrt(discriminant);
    from = Math.max(from, (-l + root) / k, (-l - root) / k);
  }
  return from;
}

/**
 * Abramowitz & Stegun 15.3.6, with s = c − a − b not an integer:
 *   2F1(a,b;c;z) = Γ(c)Γ(s)/(Γ(c−a)Γ(c−b)) 2F1(a, b; 1−s; 1−z)
 *                + (1−z)^s Γ(c)Γ(−s)/(Γ(a)Γ(b)) 2F1(c−a, c−b; 1+s; 1−z).
 */
function oneMinusZ(a: number, b: number, c: number, z: number): number {
  const s = c - a - b;
  const y = 1 - z;
  const first = gammaRatio([c, s], [c - a, c - b]) * powerSeries(a, b, 1 - s, y);
  const second =
    Math.exp(s * Math.log(y)) * gammaRatio([c, -s], [a, b]) * powerSeries(c - a, c - b, 1 + s, y);
  const value = first + second;
  // With large parameters the two terms can be huge and nearly cancel (e.g. ±1e21 for a value
  // of 6e6). Then the slower power series, which still converges for z < 1, is the safe route.
  const cancelled = Math.abs(first) + Math.abs(second) > MAX_CANCELLATION * Math.abs(value);
  return Number.isFinite(value) && !cancelled ? value : powerSeries(a, b, c, z);
}

/** Gauss: 2F1(a,b;c;1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)), finite only when c−a−b > 0. */
function atOne(a: number, b: number, c: number): number {
  if (c - a - b <= 0) {
    throw new RangeError(`2F1(${a}, ${b}; ${c}; 1) diverges because c − a − b ≤ 0`);
  }
  return gammaRatio([c, c - a - b], [c - a, c - b]);
}

/** Π Γ(numerator) / Π Γ(denominator) in log space; a pole in the denominator gives 0. */
function gammaRatio(numerator: number[], denominator: number[]): number {
  let sign = 1;
  let logValue = 0;
  for (const x of denominator) {
    const s = gammaSign(x);
    if (s === 0) return 0;
    sign *= s;
    logValue -= lgamma(x);
  }
  for (const x of numerator) {
    sign *= gammaSign(x);
    logValue += lgamma(x);
  }
  return sign * Math.exp(logValue);
}
