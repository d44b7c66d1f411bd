/**
 * Forward-difference Hessian (k×k, row-major, symmetrised) of an analytic gradient: column j is
 * (∇f(x + h·e_j) − ∇f(x))/h with h = 1e-6·max(1, |x_j|), stepping backwards where the forward probe
 * is not finite. Steps scale with |x| so ln-coefficients near 20 and exponents near 0.3 are each
 * differenced at their own precision; the O(h) error only shapes Newton's step, never its
 * convergence test, which uses the exact gradient.
 * @param gradAt writes ∇f at a point and returns f (Infinity where undefined)
 * @param g0 ∇f(x), already computed
 * @returns the number of gradient evaluations used
 */
export function forwardHessian(
  gradAt: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  g0: Float64Array,
  out: Float64Array,
): number {
  const k = x.length;
  const xt = new Float64Array(k);
  const gp = new Float64Array(k);
  let evals = 0;
  for (let j = 0; j < k; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[j]));
    xt.set(x);
    xt[j] = x[j] + h;
    let sgn = 1;
    let ok = Number.isFinite(gradAt(xt, gp));
    evals++;
    if (!ok) {
      xt[j] = x[j] - h;
      sgn = -1;
      ok = Number.isFinite(gradAt(xt, gp));
      evals++;
    }
    for (let i = 0; i < k; i++) out[i * k + j] = ok ? (sgn * (gp[i] - g0[i])) / h : 0;
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (out[i * k + j] + out[j * k + i]);
      out[i * k + j] = v;
      out[j * k + i] = v;
    }
  }
  return evals;
}
