import { chinchilla } from "./chinchilla.js";
import type { Columns, Law } from "./types.js";

/**
 * Chinchilla's form with one exponent for both terms, L(N, D) = E + A·N^-α + B·D^-α: Gadre et al.
 * 2024's `powlaw_ours` (arXiv 2403.08540, eq. 4, L = E + a·N^b + c·6^{b/2}·(M·N)^b with D = M·N,
 * so B = c·6^{b/2} and α = −b). Four parameters: fits five points, as Gadre's protocol does, and
 * is the shared-exponent model `compare` falls back to.
 * θ = [E, A, B, alpha].
 */
export const chinchillaTied: Law = {
  name: "chinchilla-tied",
  formula: "L = E + A·N^-alpha + B·D^-alpha",
  reference:
    "Gadre et al. 2024, Language models scale reliably with over-training and on downstream tasks, eq. 4",
  inputs: ["params", "tokens"],
  // E, A and alpha as in chinchilla; B's basis now depends on the shared alpha.
  params: [
    chinchilla.params[0],
    chinchilla.params[1],
    { ...chinchilla.params[2], basisDependsOn: ["alpha"] },
    { ...chinchilla.params[3], doc: "shared exponent of N and D" },
  ],
  predict(t: Float64Array, x: Columns, out: Float64Array): void {
    const [E, A, B, alpha] = t;
    for (let i = 0; i < out.length; i++) {
      out[i] = E + A * Math.exp(-alpha * x.ln.params[i]) + B * Math.exp(-alpha * x.ln.tokens[i]);
    }
  },
  jacobian(t: Float64Array, x: Columns, out: Float64Array, pred?: Float64Array): void {
    const [E, A, B, alpha] = t;
    const n = x.params.length;
    for (let i = 0; i < n; i++) {
      const lnN = x.ln.params[i];
      const lnD = x.ln.tokens[i];
      const pN = Math.exp(-alpha * lnN);
      const pD = Math.exp(-alpha * lnD);
      const o = i * 4;
      out[o] = 1;
      out[o + 1] = pN;
      out[o + 2] = pD;
      out[o + 3] = -A * pN * lnN - B * pD * lnD;
      if (pred) pred[i] = E + A * pN + B * pD;
    }
  },
  weightedHessian(t: Float64Array, x: Columns, w: Float64Array, out: Float64Array): void {
    // Nonzero: ∂²/∂A∂α = −N^-α·lnN, ∂²/∂B∂α = −D^-α·lnD, ∂²/∂α² = A·N^-α·ln²N + B·D^-α·ln²D.
    const [, A, B, alpha] = t;
    let aa = 0;
    let bb = 0;
    let a2 = 0;
    for (let i = 0; i < w.length; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const lnN = x.ln.params[i];
      const lnD = x.ln.tokens[i];
      const pN = wi * Math.exp(-alpha * lnN) * lnN;
      const pD = wi * Math.exp(-alpha * lnD) * lnD;
      aa -= pN;
      bb -= pD;
      a2 += A * pN * lnN + B * pD * lnD;
    }
    out.fill(0);
    out[1 * 4 + 3] = aa;
    out[3 * 4 + 1] = aa;
    out[2 * 4 + 3] = bb;
    out[3 * 4 + 2] = bb;
    out[3 * 4 + 3] = a2;
  },
  basis(t: Float64Array, x: Columns, out: Float64Array): void {
    const alpha = t[3];
    const n = x.params.length;
    for (let i = 0; i < n; i++) {
      out[i * 3] = 1;
      out[i * 3 + 1] = Math.exp(-alpha * x.ln.params[i]);
      out[i * 3 + 2] = Math.exp(-alpha * x.ln.tokens[i]);
    }
  },
};
