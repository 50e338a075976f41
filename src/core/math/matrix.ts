/** Small dense symmetric matrices (a handful of model parameters): Cholesky and inverse. */

/**
 * Lower-triangular L with A = L Lᵀ, or null when A is not (numerically) positive definite, e.g.
 * an information matrix at a point that is not a strict maximum.
 */
export function cholesky(A: readonly ArrayLike<number>[]): Float64Array[] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i][j];
      for (let k = 0; k < j; k++) sum -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(sum > 0)) return null;
        L[i][i] = Math.sqrt(sum);
      } else {
        L[i][j] = sum / L[j][j];
      }
    }
  }
  return L;
}

/** A⁻¹ for a symmetric positive definite A, via its Cholesky factor; null when A is not SPD. */
export function invertPositiveDefinite(A: readonly ArrayLike<number>[]): Float64Array[] | null {
  const L = cholesky(A);
  if (!L) return null;
  const n = A.length;
  const inverse = Array.from({ length: n }, () => new Float64Array(n));
  const column = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Solve L y = e_c, then Lᵀ x = y.
    for (let i = 0; i < n; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= L[i][k] * column[k];
      column[i] = sum / L[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = column[i];
      for (let k = i + 1; k < n; k++) sum -= L[k][i] * column[k];
      column[i] = sum / L[i][i];
    }
    for (let i = 0; i < n; i++) inverse[i][c] = column[i];
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const mean = (inverse[i][j] + inverse[j][i]) / 2;
      inverse[i][j] = mean;
      inverse[j][i] = mean;
    }
  }
  return inverse;
}
