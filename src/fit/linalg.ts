/**
 * Small dense linear algebra for the fitter (matrices of at most a dozen rows), row-major in
 * Float64Array. Written here because these sizes do not repay a library's overhead.
 */

/**
 * Cholesky factorisation in place: on success the lower triangle of `a` (n×n) holds L with A = LLᵀ.
 * @returns false when A is not (numerically) positive definite
 */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves LLᵀx = b in place in `b`, given the factor from {@link cholesky}. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * Solves the symmetric positive definite system Ax = b (A n×n, not modified).
 * @returns x, or null when A is not positive definite
 */
export function solveSpd(a: Float64Array, n: number, b: Float64Array): Float64Array | null {
  const l = Float64Array.from(a);
  if (!cholesky(l, n)) return null;
  const x = Float64Array.from(b);
  choleskySolve(l, n, x);
  return x;
}
