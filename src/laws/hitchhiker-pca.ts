import type { Columns, Law } from "./types.js";

/**
 * The PCA of fitted Chinchilla laws across families (Choshen et al. 2025, §9; HITCHHIKER_SPEC
 * §3.4i) as this corpus gives it: the mean of (a, b, e, α, β) = (ln A, ln B, ln E, α, β) over the
 * 21 families with finite parameters in the default protocol's `params` cells (hitchhiker-colpret
 * + pythia-evals), and its first 3 principal components (99.995% of the variance). Regenerated
 * and checked by test/laws/hitchhiker-pca.test.ts.
 */
export const HITCHHIKER_PCA = {
  mean: [
    10.706605217588375, 6.296557730614454, 0.28777539258000295, 0.5286009477559835,
    0.2917259013908195,
  ],
  components: [
    [
      0.9970598426322171, 0.029049478029736793, 0.04988946671561384, 0.05036870192947184,
      -0.0013538881747604647,
    ],
    [
      -0.02798168762382195, 0.9987439071271703, -0.019655068335712417, -0.0016569283837609412,
      0.036586418397091106,
    ],
    [
      -0.05207656962218034, 0.017974427723047505, 0.997935252450165, 0.03225080144140987,
      0.007075914642490774,
    ],
  ],
} as const;

const MU = HITCHHIKER_PCA.mean;
const V = HITCHHIKER_PCA.components;

/** (a, b, e, α, β) at PCA coordinates z. */
function theta5(z: Float64Array): [number, number, number, number, number] {
  const t = [...MU] as [number, number, number, number, number];
  for (let k = 0; k < 3; k++) for (let j = 0; j < 5; j++) t[j] += z[k] * V[k][j];
  return t;
}

/**
 * `hitchhiker-pca`: the Chinchilla law restricted to the 3-dimensional subspace of the corpus's
 * fitted parameters, (ln A, ln B, ln E, α, β) = mean + z1·v1 + z2·v2 + z3·v3: three free
 * coordinates, the guide's "about 3 degrees of freedom" (§9). θ = [z1, z2, z3].
 */
export const hitchhikerPca: Law = {
  name: "hitchhiker-pca",
  formula: "L = E + A·N^-alpha + B·D^-beta with (lnA, lnB, lnE, alpha, beta) = mean + Σ z_k·v_k",
  reference: "Choshen, Zhang & Andreas 2025, §9 (PCA of fitted laws), components from this corpus",
  inputs: ["params", "tokens"],
  params: (["z1", "z2", "z3"] as const).map((name, k) => ({
    name,
    lower: -100,
    upper: 100,
    scale: "linear" as const,
    linear: false,
    doc: `coordinate on principal component ${k + 1}`,
  })),
  predict(z: Float64Array, x: Columns, out: Float64Array): void {
    const [a, b, e, alpha, beta] = theta5(z);
    const E = Math.exp(e);
    for (let i = 0; i < out.length; i++)
      out[i] = E + Math.exp(a - alpha * x.ln.params[i]) + Math.exp(b - beta * x.ln.tokens[i]);
  },
  jacobian(z: Float64Array, x: Columns, out: Float64Array, pred?: Float64Array): void {
    const [a, b, e, alpha, beta] = theta5(z);
    const E = Math.exp(e);
    for (let i = 0; i < x.params.length; i++) {
      const lnN = x.ln.params[i];
      const lnD = x.ln.tokens[i];
      const tA = Math.exp(a - alpha * lnN);
      const tB = Math.exp(b - beta * lnD);
      // ∂L/∂(a, b, e, α, β), then the chain rule through θ = mean + Σ z_k·v_k.
      const g = [tA, tB, E, -lnN * tA, -lnD * tB];
      for (let k = 0; k < 3; k++) {
        let s = 0;
        for (let j = 0; j < 5; j++) s += g[j] * V[k][j];
        out[i * 3 + k] = s;
      }
      if (pred) pred[i] = E + tA + tB;
    }
  },
  starts(): Float64Array[] {
    const out: Float64Array[] = [];
    for (const z1 of [-6, -3, 0, 3, 6])
      for (const z2 of [-4, -2, 0, 2, 4])
        for (const z3 of [-1, 0, 1]) out.push(Float64Array.from([z1, z2, z3]));
    return out;
  },
};
