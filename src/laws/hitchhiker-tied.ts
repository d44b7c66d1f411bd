import { chinchilla } from "./chinchilla.js";
import type { Columns, Law } from "./types.js";

/**
 * The Hitchhiker's Guide's linear relations between the coefficients and exponents of fitted
 * Chinchilla laws across families (Choshen et al. 2025, §9; HITCHHIKER_SPEC §2.2): α = 0.011628 +
 * 0.05004588·ln A and β = 0.23710262 + 0.03844353·ln B.
 */
export const HITCHHIKER_RELATIONS = {
  alphaOnA: { intercept: 0.011628, slope: 0.05004588 },
  betaOnB: { intercept: 0.23710262, slope: 0.03844353 },
} as const;

const { alphaOnA: RA, betaOnB: RB } = HITCHHIKER_RELATIONS;

/**
 * `hitchhiker-tied`: the Chinchilla law with its exponents tied to its coefficients by the guide's
 * relations, L = E + A·N^-α(A) + B·D^-β(B), α(A) = 0.011628 + 0.0500·ln A, β(B) = 0.2371 +
 * 0.0384·ln B: three free parameters (E, A, B) where the 5-parameter law has five, the guide's
 * suggestion that a law may need only about three degrees of freedom (§9). θ = [E, A, B].
 */
export const hitchhikerTied: Law = {
  name: "hitchhiker-tied",
  formula: "L = E + A·N^-(0.011628+0.05005·lnA) + B·D^-(0.23710+0.03844·lnB)",
  reference: "Choshen, Zhang & Andreas 2025, A Hitchhiker's Guide to Scaling Law Estimation, §9",
  inputs: ["params", "tokens"],
  // Chinchilla's E, A and B, all searched by the local optimizer (α and β follow A and B, so no
  // term is linear in a free parameter); A and B stay positive so that ln A, ln B exist.
  params: chinchilla.params.slice(0, 3).map(({ basisDependsOn: _b, ...p }) => ({
    ...p,
    linear: false,
    lower: p.name === "E" ? 0 : 1e-6,
  })),
  predict(t: Float64Array, x: Columns, out: Float64Array): void {
    const [E, A, B] = t;
    const alpha = RA.intercept + RA.slope * Math.log(A);
    const beta = RB.intercept + RB.slope * Math.log(B);
    for (let i = 0; i < out.length; i++)
      out[i] = E + A * Math.exp(-alpha * x.ln.params[i]) + B * Math.exp(-beta * x.ln.tokens[i]);
  },
  jacobian(t: Float64Array, x: Columns, out: Float64Array, pred?: Float64Array): void {
    const [E, A, B] = t;
    const alpha = RA.intercept + RA.slope * Math.log(A);
    const beta = RB.intercept + RB.slope * Math.log(B);
    for (let i = 0; i < x.params.length; i++) {
      const lnN = x.ln.params[i];
      const lnD = x.ln.tokens[i];
      const pN = Math.exp(-alpha * lnN);
      const pD = Math.exp(-beta * lnD);
      // d/dA [A·N^-α(A)] = N^-α − A·N^-α·lnN·α'(A), α'(A) = slope/A.
      out[i * 3] = 1;
      out[i * 3 + 1] = pN * (1 - RA.slope * lnN);
      out[i * 3 + 2] = pD * (1 - RB.slope * lnD);
      if (pred) pred[i] = E + A * pN + B * pD;
    }
  },
  starts(_x: Columns, loss: Float64Array): Float64Array[] {
    let min = Number.POSITIVE_INFINITY;
    for (const v of loss) min = Math.min(min, v);
    const out: Float64Array[] = [];
    for (const e of [0.5, 0.8, 0.95])
      for (const A of [10, 100, 1000, 1e4])
        for (const B of [10, 100, 1000, 1e4]) out.push(Float64Array.from([e * min, A, B]));
    return out;
  },
};
