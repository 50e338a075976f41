/**
 * A stacked ensemble: non-negative weights (no intercept) over base models' predictions, fitted by
 * least squares on the rows given — in evaluateModels, out-of-fold predictions of every training
 * and validation customer (see crossFittedStack there), so the test slice stays untouched.
 */
export interface StackedEnsemble {
  models: string[];
  weights: number[];
}

/** Non-negative least squares by cyclic coordinate descent (a handful of columns, converges fast). */
export function fitStackedEnsemble(columns: Record<string, ArrayLike<number>>, target: ArrayLike<number>, rows: ArrayLike<number>): StackedEnsemble {
  const models = Object.keys(columns).sort();
  const k = models.length;
  const gram = Array.from({ length: k }, () => new Float64Array(k));
  const xty = new Float64Array(k);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let a = 0; a < k; a++) {
      const va = columns[models[a]][i];
      xty[a] += va * target[i];
      for (let b = a; b < k; b++) gram[a][b] += va * columns[models[b]][i];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) gram[a][b] = gram[b][a];
  const w = new Float64Array(k).fill(k > 0 ? 1 / k : 0);
  for (let sweep = 0; sweep < 500; sweep++) {
    let change = 0;
    for (let a = 0; a < k; a++) {
      if (gram[a][a] <= 0) continue;
      let residual = xty[a];
      for (let b = 0; b < k; b++) if (b !== a) residual -= gram[a][b] * w[b];
      const next = Math.max(0, residual / gram[a][a]);
      change = Math.max(change, Math.abs(next - w[a]));
      w[a] = next;
    }
    if (change < 1e-10) break;
  }
  return { models, weights: Array.from(w) };
}

export function predictStackedEnsemble(ensemble: StackedEnsemble, columns: Record<string, ArrayLike<number>>, n: number): Float64Array {
  const out = new Float64Array(n);
  ensemble.models.forEach((m, j) => {
    const col = columns[m];
    for (let i = 0; i < n; i++) out[i] += ensemble.weights[j] * col[i];
  });
  return out;
}
