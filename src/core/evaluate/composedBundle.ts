/**
 * A composed model bundle: a model made of other models, each saved as a bundle of its own (a
 * part), plus how they combine. Two models are composed:
 * - the hybrid: its net (features plus BG/NBD + Gamma-Gamma outputs, hybridInputs.ts) and the
 *   BG/NBD + Gamma-Gamma fit that feeds it;
 * - the stacked ensemble: the stack (models/stackedEnsemble.ts StackedEnsemble, saved whole as
 *   JSON, whatever fields it has) and every base it stacks, as kept for scoring new data.
 *
 * Layout: "CLVC" | header length (uint32, little-endian) | header (UTF-8 JSON) | parts, one after
 * another, each a complete bundle (nets/bundle.ts or a parameter bundle) of the header's lengths.
 */
import { ClvError } from '../errors';
import type { BtydForecast } from '../models/btydForecast';
import { lognormalExpectedSpend, type LogSpendColumns, type LognormalSpendFit } from '../models/lognormalSpend';
import { predictSpendPerPurchase, type SpendPerPurchaseModel } from '../models/spendPerPurchase';
import { predictStackedEnsemble, type StackedEnsemble } from '../models/stackedEnsemble';
import { HYBRID_EXTRA_FEATURES, hybridInputs } from './hybridInputs';
import { modelLabel } from './modelLabels';

const MAGIC = 'CLVC';
export const COMPOSED_BUNDLE_VERSION = 1;

/**
 * One input column of the composed model, per base:
 * - 'parts': the mean of the parts' predictions (one part: that model itself), each clipped to
 *   [0, ceiling] when a ceiling is given, else as the part scores them; fed the features, or the
 *   hybrid's inputs;
 * - 'order-value': BG/NBD's expected purchases × a learned spend per purchase (the stack's
 *   "btyd-order-value" base), on the hybrid's inputs;
 * - 'lognormal-spend': BG/NBD's expected purchases × the lognormal spend model's expected spend
 *   per purchase day (the stack's values where Gamma-Gamma was degenerate), on the customers' log-spend statistics.
 */
export type BaseRecipe =
  | { kind: 'parts'; parts: number[]; inputs: 'features' | 'hybrid'; ceiling: number | null }
  | { kind: 'order-value'; model: { scaler: SpendPerPurchaseModel['scaler']; beta: number[]; smear: number; lambda: number } }
  | { kind: 'lognormal-spend'; model: Pick<LognormalSpendFit, 'mu0' | 'tau2' | 'sigma2'> };

/** Recipes that multiply BG/NBD's expected purchases, so the bundle needs its BG/NBD part. */
const readsPurchases = (recipe: BaseRecipe) => recipe.kind === 'order-value' || recipe.kind === 'lognormal-spend' || recipe.inputs === 'hybrid';

export interface ComposedHeader {
  formatVersion: number;
  model: 'ensemble' | 'hybrid';
  /** What the bundle holds, in words (which fitted models, and how they were kept). */
  holds: string;
  /** The stack, as the evaluation fitted it (ensemble only). */
  stack: StackedEnsemble | null;
  /** The part holding BG/NBD + Gamma-Gamma, which feeds the hybrid inputs and the expected purchases; null when nothing needs it. */
  btydPart: number | null;
  /** How each base column is predicted; a stacked base absent here has weight 0 and is not the stack's `values` base, so it is not needed. */
  bases: Record<string, BaseRecipe>;
  /** Byte length of each part. */
  partLengths: number[];
  unit: string;
  horizonDays: number;
  cutoff: string;
  seed: number;
  metrics: Record<string, number>;
  createdAt: string;
}

/** What scoring a part takes: the same as scoring a bundle (modelBundle.ts), passed in to keep the files acyclic. */
export interface PartScorer<Inputs extends { featureNames: readonly string[]; X: Float32Array }> {
  /** A part's predictions of horizon spend, clipped as the part says (at 0 and its spend ceiling). */
  spend(bytes: Uint8Array, inputs: Inputs): Promise<Float64Array>;
  /** BG/NBD + Gamma-Gamma's forecast of a parameter part, on the inputs' purchase summaries. */
  btyd(bytes: Uint8Array, inputs: Inputs): BtydForecast;
  /** The customers' log-spend statistics (the lognormal spend recipe's data), or a clear error when the inputs lack them. */
  logSpend(inputs: Inputs): LogSpendColumns;
  /** Checks a part against feature columns, as checkBundle does. */
  check(bytes: Uint8Array, featureNames: readonly string[]): Promise<void>;
}

/** Typed arrays become plain arrays, so the stack serialises whole, whatever fields it gains. */
const plainArrays = (_key: string, value: unknown) => (ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value);

export function encodeComposedBundle(header: Omit<ComposedHeader, 'partLengths' | 'formatVersion'>, parts: Uint8Array[]): Uint8Array {
  const full: ComposedHeader = { formatVersion: COMPOSED_BUNDLE_VERSION, ...header, partLengths: parts.map((p) => p.byteLength) };
  const json = new TextEncoder().encode(JSON.stringify(full, plainArrays));
  const total = 8 + json.byteLength + parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, json.byteLength, true);
  out.set(json, 8);
  let offset = 8 + json.byteLength;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export const isComposedBundle = (bytes: Uint8Array) => bytes.byteLength >= 8 && new TextDecoder().decode(bytes.subarray(0, 4)) === MAGIC;

const CORRUPT = 'This file is not a readable CLV Studio model bundle; export the model again from CLV Studio.';
const corrupt = () => new ClvError('BUNDLE_CORRUPT', CORRUPT);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, count: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < count;

function checkRecipe(recipe: unknown, parts: number): recipe is BaseRecipe {
  if (!isObject(recipe)) return false;
  if (recipe.kind === 'parts') {
    return (
      Array.isArray(recipe.parts) &&
      recipe.parts.length > 0 &&
      recipe.parts.every((p) => isIndex(p, parts)) &&
      (recipe.inputs === 'features' || recipe.inputs === 'hybrid') &&
      (recipe.ceiling === null || (typeof recipe.ceiling === 'number' && recipe.ceiling > 0))
    );
  }
  if (recipe.kind === 'order-value') {
    const m = recipe.model;
    return isObject(m) && isObject(m.scaler) && Array.isArray(m.beta) && m.beta.every(Number.isFinite) && typeof m.smear === 'number' && Number.isFinite(m.smear);
  }
  if (recipe.kind === 'lognormal-spend') {
    const m = recipe.model;
    return isObject(m) && Number.isFinite(m.mu0) && [m.tau2, m.sigma2].every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0);
  }
  return false;
}

/** The header and the parts of a composed bundle, every reference checked (the parts themselves are checked when scored). */
export function readComposedBundle(bytes: Uint8Array): { header: ComposedHeader; parts: Uint8Array[] } {
  if (!isComposedBundle(bytes)) throw corrupt();
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.byteLength) throw corrupt();
  let header: ComposedHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length)));
  } catch {
    throw corrupt();
  }
  if (!isObject(header)) throw corrupt();
  if (header.formatVersion !== COMPOSED_BUNDLE_VERSION) {
    throw new ClvError('BUNDLE_VERSION', `This model bundle has format version ${String(header.formatVersion)} but this CLV Studio reads version ${COMPOSED_BUNDLE_VERSION} of composed bundles (ensemble, hybrid); export the model again.`);
  }
  const lengths = header.partLengths;
  if (!Array.isArray(lengths) || !lengths.every((l) => Number.isInteger(l) && l > 0)) throw corrupt();
  if (8 + length + lengths.reduce((s, l) => s + l, 0) !== bytes.byteLength) throw corrupt();
  const parts: Uint8Array[] = [];
  let offset = 8 + length;
  for (const l of lengths) {
    parts.push(bytes.subarray(offset, offset + l));
    offset += l;
  }
  const ok =
    (header.model === 'ensemble' || header.model === 'hybrid') &&
    (header.btydPart === null || isIndex(header.btydPart, parts.length)) &&
    isObject(header.bases) &&
    Object.values(header.bases).every((r) => checkRecipe(r, parts.length)) &&
    (header.unit === 'day' || header.unit === 'week') &&
    typeof header.horizonDays === 'number' &&
    header.horizonDays > 0 &&
    (header.model === 'hybrid'
      ? header.bases.hybrid !== undefined
      : isObject(header.stack) &&
        Array.isArray(header.stack.models) &&
        Array.isArray(header.stack.weights) &&
        // The base whose values the stack hands out must be there to score (zeros would stand in otherwise).
        (header.stack.values === undefined || header.bases[header.stack.values] !== undefined));
  if (!ok) throw corrupt();
  const needsBtyd = Object.values(header.bases).some(readsPurchases);
  if (needsBtyd && header.btydPart === null) throw corrupt();
  return { header, parts };
}

/** The features the hybrid's net reads: the data's own, then BG/NBD + Gamma-Gamma's outputs. */
export const hybridFeatureNames = (featureNames: readonly string[]) => [...featureNames, ...HYBRID_EXTRA_FEATURES];

/** Checks every part of a composed bundle against the feature columns it will score. */
export async function checkComposedBundle<I extends { featureNames: readonly string[]; X: Float32Array }>(bytes: Uint8Array, featureNames: readonly string[], scorer: PartScorer<I>): Promise<{ model: string }> {
  const { header, parts } = readComposedBundle(bytes);
  for (const recipe of Object.values(header.bases)) {
    if (recipe.kind !== 'parts') continue;
    for (const p of recipe.parts) await scorer.check(parts[p], recipe.inputs === 'hybrid' ? hybridFeatureNames(featureNames) : featureNames);
  }
  if (header.btydPart !== null) await scorer.check(parts[header.btydPart], featureNames);
  return { model: header.model };
}

/**
 * Horizon spend of the composed model for the customers of `inputs`: each base column from its
 * recipe, then the stack (ensemble) or the hybrid's own column.
 */
export async function predictComposed<I extends { featureNames: readonly string[]; X: Float32Array }>(bytes: Uint8Array, inputs: I, scorer: PartScorer<I>): Promise<{ model: string; values: Float64Array }> {
  const { header, parts } = readComposedBundle(bytes);
  const d = inputs.featureNames.length;
  const n = inputs.X.length / d;
  let btyd: BtydForecast | null = null;
  const btydOf = () => (btyd ??= scorer.btyd(parts[header.btydPart!], inputs));
  let hybrid: I | null = null;
  const hybridOf = () => (hybrid ??= { ...inputs, featureNames: hybridFeatureNames(inputs.featureNames), X: hybridInputs(inputs.X, d, btydOf()) });
  const columns: Record<string, Float64Array> = {};
  for (const [name, recipe] of Object.entries(header.bases)) {
    if (recipe.kind === 'order-value') {
      const model: SpendPerPurchaseModel = { ...recipe.model, beta: Float64Array.from(recipe.model.beta) };
      if (model.scaler.mean.length !== d + HYBRID_EXTRA_FEATURES.length) throw corrupt();
      const value = predictSpendPerPurchase(model, hybridOf().X);
      const purchases = btydOf().expectedPurchases;
      columns[name] = Float64Array.from(value, (v, i) => purchases[i] * v);
      continue;
    }
    if (recipe.kind === 'lognormal-spend') {
      const spend = lognormalExpectedSpend(recipe.model, scorer.logSpend(inputs));
      const purchases = btydOf().expectedPurchases;
      columns[name] = Float64Array.from(spend, (v, i) => purchases[i] * v);
      continue;
    }
    const data = recipe.inputs === 'hybrid' ? hybridOf() : inputs;
    // The same arithmetic as the evaluation's mean over fold models (stackingStep.ts). Without a
    // ceiling a part is taken as it scores (the run rate can be negative after returns, and the
    // stack weighed it so).
    const ceiling = recipe.ceiling;
    const mean = new Float64Array(n);
    for (const p of recipe.parts) {
      const values = await scorer.spend(parts[p], data);
      for (let i = 0; i < n; i++) mean[i] += (ceiling === null ? values[i] : Math.min(Math.max(values[i], 0), ceiling)) / recipe.parts.length;
    }
    columns[name] = mean;
  }
  if (header.model === 'hybrid') return { model: 'hybrid', values: columns.hybrid };
  const stack = header.stack!;
  // Bases the stack gives weight 0 (other than its values base, checked above) may not have been
  // saved; they add nothing, so zeros stand in for them.
  for (const m of stack.models) columns[m] ??= new Float64Array(n);
  const values = predictStackedEnsemble(stack, columns, n);
  if (!values.every(Number.isFinite)) throw unscoredCustomers(stack, columns, values);
  return { model: 'ensemble', values };
}

/**
 * The ensemble gave no number for some customers. The bundle was read and checked, so it is the
 * data being scored: a base model (the first the stack leans on with a missing value) produced no
 * number for them, which is said with what to check in the file.
 */
function unscoredCustomers(stack: StackedEnsemble, columns: Record<string, Float64Array>, values: Float64Array): ClvError {
  const missing = (column: ArrayLike<number>) => Array.prototype.filter.call(column, (v: number) => !Number.isFinite(v)).length;
  const base = stack.models.find((m, j) => (stack.weights[j] !== 0 || m === stack.values) && missing(columns[m]) > 0) ?? null;
  const customers = missing(values);
  const what = base === null ? 'The stacked ensemble' : `${modelLabel(base)}, one of the stacked ensemble's base models,`;
  return new ClvError(
    'BUNDLE_NO_SCORE',
    `${what} produced no number for ${customers} of the ${values.length} customers of this file, so the ensemble cannot score them; the bundle itself is fine. ` +
      "Check those customers' rows in the file: amounts or dates that are empty, not numbers, or far outside what the model was trained on (such as an amount many times the usual). Correct them and build the tables again, or score this file with a bundle of another model.",
    { model: base, customers, of: values.length },
  );
}
