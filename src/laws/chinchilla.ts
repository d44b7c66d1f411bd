import { distinctValues } from "./distinct.js";
import { coefficient, exponent, irreducible } from "./params.js";
import type { Columns, Law } from "./types.js";

/**
 * Chinchilla law, L(N, D) = E + A·N^-α + B·D^-β (Hoffmann et al. 2022, eq. 2; "Approach 3").
 * E is the irreducible loss; A·N^-α the cost of a finite model; B·D^-β of finite data.
 * θ = [E, A, B, alpha, beta].
 */
export const chinchilla: Law = {
  name: "chinchilla",
  formula: "L = E + A·N^-alpha + B·D^-beta",
  reference: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, eq. 2",
  inputs: ["params", "tokens"],
  params: [
    irreducible(),
    coefficient("A", "model-size coefficient", { basis: "alpha" }),
    coefficient("B", "data coefficient", { basis: "beta" }),
    exponent("alpha", "model-size exponent", { grid: true }),
    exponent("beta", "data exponent", { grid: true }),
  ],
  predict(t: Float64Array, x: Columns, out: Float64Array): void {
    const [E, A, B, alpha, beta] = t;
    for (let i = 0; i < out.length; i++) {
      out[i] = E + A * Math.exp(-alpha * x.ln.params[i]) + B * Math.exp(-beta * x.ln.tokens[i]);
    }
  },
  jacobian(t: Float64Array, x: Columns, out: Float64Array, pred?: Float64Array): void {
    const [E, A, B, alpha, beta] = t;
    const n = x.params.length;
    // A ladder's rows come run by run, each run one model size: N^-α is the same number for every
    // checkpoint of a run, so it is recomputed only when N changes (the same bits, half the exps).
    let lnN = Number.NaN;
    let pN = Number.NaN;
    // Runs share their token counts: D^-β once per distinct D when that saves enough exps.
    const dd = distinctValues(x.ln.tokens);
    if (dd)
      for (let v = 0; v < dd.values.length; v++) dd.scratch[v] = Math.exp(-beta * dd.values[v]);
    for (let i = 0; i < n; i++) {
      const lnNi = x.ln.params[i];
      if (lnNi !== lnN) {
        lnN = lnNi;
        pN = Math.exp(-alpha * lnN);
      }
      const lnD = x.ln.tokens[i];
      const pD = dd ? dd.scratch[dd.index[i]] : Math.exp(-beta * lnD);
      const o = i * 5;
      out[o] = 1;
      out[o + 1] = pN;
      out[o + 2] = pD;
      out[o + 3] = -A * pN * lnN;
      out[o + 4] = -B * pD * lnD;
      if (pred) pred[i] = E + A * pN + B * pD;
    }
  },
  weightedHessian(
    t: Float64Array,
    x: Columns,
    w: Float64Array,
    out: Float64Array,
    jac?: Float64Array,
  ): void {
    // Nonzero second derivatives: ∂²/∂A∂α = −N^-α·lnN, ∂²/∂α² = A·N^-α·ln²N, and alike for B, β.
    const [, A, B, alpha, beta] = t;
    let aa = 0;
    let a2 = 0;
    let bb = 0;
    let b2 = 0;
    for (let i = 0; i < w.length; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const lnN = x.ln.params[i];
      const lnD = x.ln.tokens[i];
      // N^-α and D^-β are the Jacobian's columns 1 and 2: the same numbers, not recomputed.
      const pN = wi * (jac ? jac[i * 5 + 1] : Math.exp(-alpha * lnN)) * lnN;
      const pD = wi * (jac ? jac[i * 5 + 2] : Math.exp(-beta * lnD)) * lnD;
      aa -= pN;
      a2 += pN * lnN;
      bb -= pD;
      b2 += pD * lnD;
    }
    out.fill(0);
    out[1 * 5 + 3] = aa;
    out[3 * 5 + 1] = aa;
    out[3 * 5 + 3] = A * a2;
    out[2 * 5 + 4] = bb;
    out[4 * 5 + 2] = bb;
    out[4 * 5 + 4] = B * b2;
  },
  basis(t: Float64Array, x: Columns, out: Float64Array): void {
    const alpha = t[3];
    const beta = t[4];
    const n = x.params.length;
    for (let i = 0; i < n; i++) {
      out[i * 3] = 1;
      out[i * 3 + 1] = Math.exp(-alpha * x.ln.params[i]);
      out[i * 3 + 2] = Math.exp(-beta * x.ln.tokens[i]);
    }
  },
};
